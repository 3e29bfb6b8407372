// Converted from templates/demo.json by cdk-from-cfn 0.334.0.
// Do not edit: run `just cdk` after `just render`. The repairs made to the converter
// output are listed in scripts/generate.mjs (repair).
import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

export interface DemoPoolStackProps extends cdk.StackProps {
  /**
   * Name of the environment this pool serves (tagged on every resource)
   * @default 'production'
   */
  readonly environmentName?: string;
  /**
   * S3 bucket holding the PreSignUp trigger zip
   */
  readonly artifactBucket: string;
  /**
   * S3 key of the PreSignUp trigger zip (named by its sha256)
   */
  readonly artifactKey: string;
  /**
   * CPU architecture of the PreSignUp trigger zip
   * @default 'arm64'
   */
  readonly triggerArchitecture?: string;
}

/**
 * Cognito user pool demo: Demo pool for trying poolctl locally and in a sandbox account (poolctl)
 */
export class DemoPoolStack extends cdk.Stack {
  /**
   * User pool id
   */
  public readonly userPoolId;
  /**
   * User pool ARN
   */
  public readonly userPoolArn;
  /**
   * OpenID Connect issuer URL of the pool
   */
  public readonly providerUrl;
  /**
   * App client id of web
   */
  public readonly clientWebId;
  /**
   * App client id of agent
   */
  public readonly clientAgentId;
  /**
   * Hosted sign-in URL
   */
  public readonly hostedUiUrl;
  /**
   * ARN of the PreSignUp trigger function
   */
  public readonly preSignUpFunctionArn;

  public constructor(scope: Construct, id: string, props: DemoPoolStackProps) {
    super(scope, id, props);

    // Applying default props
    props = {
      ...props,
      environmentName: props.environmentName ?? 'production',
      triggerArchitecture: props.triggerArchitecture ?? 'arm64',
    };

    // Resources
    const preSignUpLogGroup = new logs.CfnLogGroup(this, 'PreSignUpLogGroup', {
      logGroupName: `/aws/lambda/${cdk.Aws.STACK_NAME}-pre-sign-up`,
      retentionInDays: 7,
      tags: [
        {
          key: 'app',
          value: 'poolctl-demo',
        },
        {
          key: 'environment',
          value: 'demo',
        },
        {
          key: 'poolctl:environment',
          value: props.environmentName!,
        },
        {
          key: 'poolctl:pool',
          value: 'demo',
        },
      ],
    });
    preSignUpLogGroup.cfnOptions.updateReplacePolicy = cdk.CfnDeletionPolicy.DELETE;
    preSignUpLogGroup.cfnOptions.metadata = {
      checkov: {
        skip: [
          {
            id: 'CKV_AWS_158',
            comment: 'CloudWatch Logs encrypts these logs at rest with its own key; they hold one line per sign-up decision (email domain, provider, client id, never an address or a secret). Set triggers.log_group_kms_key for a customer managed key',
          },
        ],
      },
    };
    preSignUpLogGroup.cfnOptions.deletionPolicy = cdk.CfnDeletionPolicy.DELETE;

    const preSignUpRole = new iam.CfnRole(this, 'PreSignUpRole', {
      description: 'Runs the PreSignUp trigger',
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              Service: 'lambda.amazonaws.com',
            },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      tags: [
        {
          key: 'app',
          value: 'poolctl-demo',
        },
        {
          key: 'environment',
          value: 'demo',
        },
        {
          key: 'poolctl:environment',
          value: props.environmentName!,
        },
        {
          key: 'poolctl:pool',
          value: 'demo',
        },
      ],
    });

    const userPool = new cognito.CfnUserPool(this, 'UserPool', {
      userPoolName: 'demo',
      usernameAttributes: [
        'email',
      ],
      usernameConfiguration: {
        caseSensitive: false,
      },
      autoVerifiedAttributes: [
        'email',
      ],
      userAttributeUpdateSettings: {
        attributesRequireVerificationBeforeUpdate: [
          'email',
        ],
      },
      verificationMessageTemplate: {
        defaultEmailOption: 'CONFIRM_WITH_CODE',
        emailMessage: 'Your demo verification code is {####}',
        emailSubject: 'Your demo verification code',
      },
      accountRecoverySetting: {
        recoveryMechanisms: [
          {
            name: 'verified_email',
            priority: 1,
          },
        ],
      },
      emailConfiguration: {
        emailSendingAccount: 'COGNITO_DEFAULT',
      },
      policies: {
        passwordPolicy: {
          minimumLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: true,
          temporaryPasswordValidityDays: 7,
        },
      },
      mfaConfiguration: 'OFF',
      schema: [
        {
          name: 'email',
          required: true,
          mutable: true,
        },
        {
          name: 'name',
          required: false,
          mutable: true,
        },
      ],
      lambdaConfig: {
        preSignUp: `arn:${this.partition}:lambda:${this.region}:${this.account}:function:${cdk.Aws.STACK_NAME}-pre-sign-up`,
      },
      deletionProtection: 'INACTIVE',
      userPoolTags: {
        app: 'poolctl-demo',
        environment: 'demo',
        'poolctl:environment': props.environmentName!,
        'poolctl:pool': 'demo',
      },
    });
    userPool.cfnOptions.updateReplacePolicy = cdk.CfnDeletionPolicy.DELETE;
    userPool.cfnOptions.deletionPolicy = cdk.CfnDeletionPolicy.DELETE;

    const clientAgent = new cognito.CfnUserPoolClient(this, 'ClientAgent', {
      userPoolId: userPool.ref,
      clientName: 'agent',
      generateSecret: true,
      supportedIdentityProviders: [
        'COGNITO',
      ],
      explicitAuthFlows: [
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: {
        accessToken: 'minutes',
        idToken: 'minutes',
        refreshToken: 'days',
      },
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
    });

    const clientWeb = new cognito.CfnUserPoolClient(this, 'ClientWeb', {
      userPoolId: userPool.ref,
      clientName: 'web',
      generateSecret: false,
      supportedIdentityProviders: [
        'COGNITO',
      ],
      allowedOAuthFlowsUserPoolClient: true,
      allowedOAuthFlows: [
        'code',
      ],
      allowedOAuthScopes: [
        'openid',
        'email',
        'profile',
      ],
      callbackUrLs: [
        'http://localhost:3000/callback',
      ],
      logoutUrLs: [
        'http://localhost:3000/',
      ],
      explicitAuthFlows: [
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: {
        accessToken: 'minutes',
        idToken: 'minutes',
        refreshToken: 'days',
      },
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
    });

    const preSignUpLogsPolicy = new iam.CfnPolicy(this, 'PreSignUpLogsPolicy', {
      policyName: 'pre-sign-up-logs',
      roles: [
        preSignUpRole.ref,
      ],
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'logs:CreateLogStream',
              'logs:PutLogEvents',
            ],
            Resource: preSignUpLogGroup.attrArn,
          },
        ],
      },
    });

    const userPoolDomain = new cognito.CfnUserPoolDomain(this, 'UserPoolDomain', {
      userPoolId: userPool.ref,
      domain: 'poolctl-demo-7f3a',
    });

    const preSignUpFunction = new lambda.CfnFunction(this, 'PreSignUpFunction', {
      functionName: `${cdk.Aws.STACK_NAME}-pre-sign-up`,
      description: 'PreSignUp trigger of the demo user pool',
      runtime: 'provided.al2023',
      handler: 'bootstrap',
      architectures: [
        props.triggerArchitecture!,
      ],
      code: {
        s3Bucket: props.artifactBucket!,
        s3Key: props.artifactKey!,
      },
      role: preSignUpRole.attrArn,
      memorySize: 128,
      timeout: 5,
      environment: {
        variables: {
          'POOLCTL_POLICY': `{"trusted_clients":["${clientAgent.ref}"],"deny_domains":["mailinator.com"]}`,
        },
      },
      tags: [
        {
          key: 'app',
          value: 'poolctl-demo',
        },
        {
          key: 'environment',
          value: 'demo',
        },
        {
          key: 'poolctl:environment',
          value: props.environmentName!,
        },
        {
          key: 'poolctl:pool',
          value: 'demo',
        },
      ],
    });
    preSignUpFunction.cfnOptions.metadata = {
      checkov: {
        skip: [
          {
            id: 'CKV_AWS_115',
            comment: 'No reserved concurrency: it would cap sign-ups, since Cognito fails a sign-up whose trigger is throttled',
          },
          {
            id: 'CKV_AWS_116',
            comment: 'No dead-letter queue: Cognito invokes the trigger synchronously and retries it itself, so there is no asynchronous event to dead-letter',
          },
          {
            id: 'CKV_AWS_117',
            comment: 'Not in a VPC: the function reaches no network resource; it only answers the Lambda runtime API and writes its logs',
          },
          {
            id: 'CKV_AWS_173',
            comment: 'The environment variables (POOLCTL_POLICY, and POOLCTL_DECIDED_PROVIDERS with inbound federation) hold no secret (client ids, provider and attribute names, email domains); Lambda encrypts them at rest with its own key',
          },
        ],
      },
    };
    preSignUpFunction.addResourceDependency(preSignUpLogsPolicy);

    const preSignUpPermission = new lambda.CfnPermission(this, 'PreSignUpPermission', {
      action: 'lambda:InvokeFunction',
      functionName: preSignUpFunction.attrArn,
      principal: 'cognito-idp.amazonaws.com',
      sourceArn: userPool.attrArn,
      sourceAccount: this.account,
    });

    // Outputs
    this.userPoolId = userPool.ref;
    new cdk.CfnOutput(this, 'CfnOutputUserPoolId', {
      key: 'UserPoolId',
      description: 'User pool id',
      value: this.userPoolId!.toString(),
    });
    this.userPoolArn = userPool.attrArn;
    new cdk.CfnOutput(this, 'CfnOutputUserPoolArn', {
      key: 'UserPoolArn',
      description: 'User pool ARN',
      value: this.userPoolArn!.toString(),
    });
    this.providerUrl = `https://cognito-idp.${this.region}.amazonaws.com/${userPool.ref}`;
    new cdk.CfnOutput(this, 'CfnOutputProviderUrl', {
      key: 'ProviderUrl',
      description: 'OpenID Connect issuer URL of the pool',
      value: this.providerUrl!.toString(),
    });
    this.clientWebId = clientWeb.ref;
    new cdk.CfnOutput(this, 'CfnOutputClientWebId', {
      key: 'ClientWebId',
      description: 'App client id of web',
      value: this.clientWebId!.toString(),
    });
    this.clientAgentId = clientAgent.ref;
    new cdk.CfnOutput(this, 'CfnOutputClientAgentId', {
      key: 'ClientAgentId',
      description: 'App client id of agent',
      value: this.clientAgentId!.toString(),
    });
    this.hostedUiUrl = `https://${userPoolDomain.ref}.auth.${this.region}.amazoncognito.com`;
    new cdk.CfnOutput(this, 'CfnOutputHostedUiUrl', {
      key: 'HostedUiUrl',
      description: 'Hosted sign-in URL',
      value: this.hostedUiUrl!.toString(),
    });
    this.preSignUpFunctionArn = preSignUpFunction.attrArn;
    new cdk.CfnOutput(this, 'CfnOutputPreSignUpFunctionArn', {
      key: 'PreSignUpFunctionArn',
      description: 'ARN of the PreSignUp trigger function',
      value: this.preSignUpFunctionArn!.toString(),
    });
  }
}
