// An application's own CDK app that takes the production pool in, as docs/cdk.md shows: the
// artifact as plain values in one stack, as deploy-time parameters in another, the pool id
// handed to a stack of the application's own, and the pool in a Stage (CDK Pipelines). test/usage.test.mjs synthesizes it.
import * as cdk from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ProductionPoolStack } from '../../lib/production-stack';

interface ApiStackProps extends cdk.StackProps {
  readonly userPoolId: string;
}

/** Stands for the application's own stack that needs the pool id. */
class ApiStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    new ssm.CfnParameter(this, 'UserPoolIdParameter', { type: 'String', value: props.userPoolId });
  }
}

const app = new cdk.App({ builtinCloudFormationValidation: false });
const env = { account: '123456789012', region: 'eu-west-1' };

const users = new ProductionPoolStack(app, 'Users', {
  env,
  artifactBucket: 'acme-artifacts',
  artifactKey: 'poolctl/0123abcd.zip',
  triggerArchitecture: 'x86_64',
});
new ApiStack(app, 'Api', { env, userPoolId: users.userPoolId });

const deployTime = new ProductionPoolStack(app, 'UsersWithParameters', {
  artifactBucket: cdk.Fn.ref('ArtifactBucket'),
  artifactKey: cdk.Fn.ref('ArtifactKey'),
});
new cdk.CfnParameter(deployTime, 'ArtifactBucket', { type: 'String' });
new cdk.CfnParameter(deployTime, 'ArtifactKey', { type: 'String' });

// A stage of a CDK pipeline holds the pool like any other stack.
const production = new cdk.Stage(app, 'Prod', { env });
new ProductionPoolStack(production, 'Users', {
  artifactBucket: 'acme-artifacts',
  artifactKey: 'poolctl/0123abcd.zip',
});

app.synth();
