// Converted from templates/production.json by cdk-from-cfn 0.334.0.
// Do not edit: run `just cdk` after `just render`. The repairs made to the converter
// output are listed in scripts/generate.mjs (repair).
import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

export interface ProductionPoolStackProps extends cdk.StackProps {
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
 * Cognito user pool acme-users: Acme customer and staff accounts (poolctl)
 */
export class ProductionPoolStack extends cdk.Stack {
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
   * App client id of fulfilment
   */
  public readonly clientFulfilmentId;
  /**
   * Hosted sign-in URL
   */
  public readonly hostedUiUrl;
  /**
   * ARN of the PreSignUp trigger function
   */
  public readonly preSignUpFunctionArn;

  public constructor(scope: Construct, id: string, props: ProductionPoolStackProps) {
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
      retentionInDays: 90,
      kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/3c5e7a9b-1d2f-4a6b-8c0d-e1f2a3b4c5d6',
      tags: [
        {
          key: 'app',
          value: 'acme',
        },
        {
          key: 'cost-center',
          value: '4711',
        },
        {
          key: 'environment',
          value: 'production',
        },
        {
          key: 'owner',
          value: 'identity-team',
        },
        {
          key: 'poolctl:environment',
          value: props.environmentName!,
        },
        {
          key: 'poolctl:pool',
          value: 'acme-users',
        },
      ],
    });
    preSignUpLogGroup.cfnOptions.updateReplacePolicy = cdk.CfnDeletionPolicy.DELETE;
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
          value: 'acme',
        },
        {
          key: 'cost-center',
          value: '4711',
        },
        {
          key: 'environment',
          value: 'production',
        },
        {
          key: 'owner',
          value: 'identity-team',
        },
        {
          key: 'poolctl:environment',
          value: props.environmentName!,
        },
        {
          key: 'poolctl:pool',
          value: 'acme-users',
        },
      ],
    });

    const userPool = new cognito.CfnUserPool(this, 'UserPool', {
      userPoolName: 'acme-users',
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
        emailMessage: 'Your Acme verification code is {####}. It expires in 24 hours.',
        emailSubject: 'Your Acme verification code',
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
        emailSendingAccount: 'DEVELOPER',
        sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/acme.example',
        from: 'Acme <no-reply@acme.example>',
        replyToEmailAddress: 'support@acme.example',
      },
      policies: {
        passwordPolicy: {
          minimumLength: 14,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: true,
          temporaryPasswordValidityDays: 3,
        },
      },
      mfaConfiguration: 'OPTIONAL',
      enabledMfas: [
        'SOFTWARE_TOKEN_MFA',
        'EMAIL_OTP',
      ],
      schema: [
        {
          name: 'email',
          required: true,
          mutable: true,
        },
        {
          name: 'family_name',
          required: false,
          mutable: true,
        },
        {
          name: 'given_name',
          required: false,
          mutable: true,
        },
        {
          name: 'name',
          required: false,
          mutable: true,
        },
        {
          name: 'plan',
          attributeDataType: 'String',
          mutable: true,
          stringAttributeConstraints: {
            maxLength: '32',
          },
        },
        {
          name: 'tenant',
          attributeDataType: 'String',
          mutable: false,
          stringAttributeConstraints: {
            minLength: '1',
            maxLength: '64',
          },
        },
      ],
      lambdaConfig: {
        preSignUp: `arn:${this.partition}:lambda:${this.region}:${this.account}:function:${cdk.Aws.STACK_NAME}-pre-sign-up`,
        postConfirmation: 'arn:aws:lambda:eu-west-1:123456789012:function:acme-users-post-confirmation',
      },
      deletionProtection: 'ACTIVE',
      userPoolTags: {
        app: 'acme',
        'cost-center': '4711',
        environment: 'production',
        owner: 'identity-team',
        'poolctl:environment': props.environmentName!,
        'poolctl:pool': 'acme-users',
      },
    });
    userPool.cfnOptions.updateReplacePolicy = cdk.CfnDeletionPolicy.RETAIN;
    userPool.cfnOptions.deletionPolicy = cdk.CfnDeletionPolicy.RETAIN;
    userPool.addPropertyOverride("UserPoolTier", "PLUS");
    userPool.addPropertyOverride("WebAuthnRelyingPartyID", "acme.example");
    userPool.addPropertyOverride("WebAuthnUserVerification", "required");
    userPool.addPropertyOverride("EmailAuthenticationMessage", "Your Acme sign-in code is {####}. It expires in 3 minutes.");
    userPool.addPropertyOverride("EmailAuthenticationSubject", "Your Acme sign-in code");
    userPool.addPropertyOverride("UserPoolAddOns", {"AdvancedSecurityMode":"ENFORCED"});
    userPool.addPropertyOverride("Policies.SignInPolicy", {"AllowedFirstAuthFactors":["PASSWORD","EMAIL_OTP","WEB_AUTHN"]});
    userPool.addPropertyOverride("Policies.PasswordPolicy.PasswordHistorySize", 5);
    userPool.addPropertyOverride("LambdaConfig.InboundFederation", {"LambdaArn":{"Fn::Sub":"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AWS::StackName}-pre-sign-up"},"LambdaVersion":"V1_0"});

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
      accessTokenValidity: 15,
      idTokenValidity: 15,
      refreshTokenValidity: 1,
      tokenValidityUnits: {
        accessToken: 'minutes',
        idToken: 'minutes',
        refreshToken: 'days',
      },
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
    });

    const groupAdmins = new cognito.CfnUserPoolGroup(this, 'GroupAdmins', {
      userPoolId: userPool.ref,
      groupName: 'admins',
      description: 'Acme staff who administer customer accounts',
      precedence: 0,
      roleArn: 'arn:aws:iam::123456789012:role/acme-users-admins',
    });

    const groupSupport = new cognito.CfnUserPoolGroup(this, 'GroupSupport', {
      userPoolId: userPool.ref,
      groupName: 'support',
      description: 'Acme support staff',
      precedence: 10,
    });

    const postConfirmationPermission = new lambda.CfnPermission(this, 'PostConfirmationPermission', {
      action: 'lambda:InvokeFunction',
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:acme-users-post-confirmation',
      principal: 'cognito-idp.amazonaws.com',
      sourceArn: userPool.attrArn,
      sourceAccount: this.account,
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

    const providerCorp = new cognito.CfnUserPoolIdentityProvider(this, 'ProviderCorp', {
      userPoolId: userPool.ref,
      providerName: 'Corp',
      providerType: 'OIDC',
      providerDetails: {
        'client_id': 'poolctl-acme-users',
        'client_secret': '{{resolve:secretsmanager:acme/idp/corp:SecretString:client_secret}}',
        'attributes_request_method': 'GET',
        'oidc_issuer': 'https://login.acme.example',
        'authorize_scopes': 'openid email profile',
      },
      attributeMapping: {
        email: 'email',
        'email_verified': 'email_verified',
        name: 'name',
      },
    });

    const providerFacebook = new cognito.CfnUserPoolIdentityProvider(this, 'ProviderFacebook', {
      userPoolId: userPool.ref,
      providerName: 'Facebook',
      providerType: 'Facebook',
      providerDetails: {
        'client_id': '1234567890123456',
        'client_secret': '{{resolve:secretsmanager:acme/idp/facebook:SecretString:app_secret}}',
        'authorize_scopes': 'public_profile,email',
        'api_version': 'v19.0',
      },
      attributeMapping: {
        email: 'email',
        name: 'name',
      },
    });

    const providerGoogle = new cognito.CfnUserPoolIdentityProvider(this, 'ProviderGoogle', {
      userPoolId: userPool.ref,
      providerName: 'Google',
      providerType: 'Google',
      providerDetails: {
        'client_id': '123456789012-abcdefghijklmnop.apps.googleusercontent.com',
        'client_secret': '{{resolve:secretsmanager:acme/idp/google:SecretString:client_secret}}',
        'authorize_scopes': 'openid email profile',
      },
      attributeMapping: {
        email: 'email',
        'email_verified': 'email_verified',
        'family_name': 'family_name',
        'given_name': 'given_name',
        name: 'name',
      },
    });

    const providerOkta = new cognito.CfnUserPoolIdentityProvider(this, 'ProviderOkta', {
      userPoolId: userPool.ref,
      providerName: 'Okta',
      providerType: 'SAML',
      providerDetails: {
        MetadataURL: 'https://acme.okta.example/app/exk1a2b3c4/sso/saml/metadata',
        IDPSignout: 'true',
      },
      attributeMapping: {
        email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
        'email_verified': 'poolctl_email_verified',
        'family_name': 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
        'given_name': 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
      },
    });

    const providerSignInWithApple = new cognito.CfnUserPoolIdentityProvider(this, 'ProviderSignInWithApple', {
      userPoolId: userPool.ref,
      providerName: 'SignInWithApple',
      providerType: 'SignInWithApple',
      providerDetails: {
        'client_id': 'example.acme.signin',
        'team_id': 'ABCDE12345',
        'key_id': 'KEY1234567',
        'private_key': '{{resolve:secretsmanager:acme/idp/apple:SecretString:private_key}}',
        'authorize_scopes': 'email name',
      },
      attributeMapping: {
        email: 'email',
        'email_verified': 'email_verified',
        name: 'name',
      },
    });

    const resourceServerAcmeOrdersApi = new cognito.CfnUserPoolResourceServer(this, 'ResourceServerAcmeOrdersAPI', {
      userPoolId: userPool.ref,
      identifier: 'https://api.acme.example',
      name: 'Acme orders API',
      scopes: [
        {
          scopeName: 'orders.read',
          scopeDescription: 'Read orders',
        },
        {
          scopeName: 'orders.write',
          scopeDescription: 'Create and change orders',
        },
      ],
    });

    const userPoolDomain = new cognito.CfnUserPoolDomain(this, 'UserPoolDomain', {
      userPoolId: userPool.ref,
      domain: 'auth.acme.example',
      customDomainConfig: {
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f6c1d2e-3b4a-4c5d-8e9f-a0b1c2d3e4f5',
      },
    });
    userPoolDomain.addPropertyOverride("ManagedLoginVersion", 2);

    const clientFulfilment = new cognito.CfnUserPoolClient(this, 'ClientFulfilment', {
      userPoolId: userPool.ref,
      clientName: 'fulfilment',
      generateSecret: true,
      supportedIdentityProviders: [
        'COGNITO',
      ],
      allowedOAuthFlowsUserPoolClient: true,
      allowedOAuthFlows: [
        'client_credentials',
      ],
      allowedOAuthScopes: [
        'https://api.acme.example/orders.read',
        'https://api.acme.example/orders.write',
      ],
      explicitAuthFlows: [
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 1,
      tokenValidityUnits: {
        accessToken: 'minutes',
        idToken: 'minutes',
        refreshToken: 'days',
      },
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
    });
    clientFulfilment.addResourceDependency(resourceServerAcmeOrdersApi);

    const clientWeb = new cognito.CfnUserPoolClient(this, 'ClientWeb', {
      userPoolId: userPool.ref,
      clientName: 'web',
      generateSecret: false,
      supportedIdentityProviders: [
        'COGNITO',
        'Google',
        'Corp',
        'SignInWithApple',
        'Facebook',
        'Okta',
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
        'https://app.acme.example/auth/callback',
      ],
      logoutUrLs: [
        'https://app.acme.example/',
      ],
      explicitAuthFlows: [
        'ALLOW_USER_AUTH',
        'ALLOW_USER_SRP_AUTH',
      ],
      readAttributes: [
        'email',
        'email_verified',
        'name',
        'given_name',
        'family_name',
        'custom:tenant',
        'custom:plan',
      ],
      writeAttributes: [
        'email',
        'name',
        'given_name',
        'family_name',
        'custom:plan',
      ],
      accessTokenValidity: 30,
      idTokenValidity: 30,
      refreshTokenValidity: 30,
      tokenValidityUnits: {
        accessToken: 'minutes',
        idToken: 'minutes',
        refreshToken: 'days',
      },
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
    });
    clientWeb.addResourceDependency(providerGoogle);
    clientWeb.addResourceDependency(providerCorp);
    clientWeb.addResourceDependency(providerSignInWithApple);
    clientWeb.addResourceDependency(providerFacebook);
    clientWeb.addResourceDependency(providerOkta);
    clientWeb.addPropertyOverride("RefreshTokenRotation", {"Feature":"ENABLED","RetryGracePeriodSeconds":10});

    const preSignUpFunction = new lambda.CfnFunction(this, 'PreSignUpFunction', {
      functionName: `${cdk.Aws.STACK_NAME}-pre-sign-up`,
      description: 'PreSignUp and inbound federation trigger of the acme-users user pool',
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
          'POOLCTL_POLICY': `{"trusted_providers":["Google","Corp","SignInWithApple"],"vouched_providers":["Okta"],"trusted_clients":["${clientAgent.ref}"],"deny_domains":["mailinator.com","guerrillamail.com","*.mailinator.com"]}`,
          'POOLCTL_DECIDED_PROVIDERS': '{\"Okta\":{\"email_attribute\":\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\"}}',
        },
      },
      tags: [
        {
          key: 'app',
          value: 'acme',
        },
        {
          key: 'cost-center',
          value: '4711',
        },
        {
          key: 'environment',
          value: 'production',
        },
        {
          key: 'owner',
          value: 'identity-team',
        },
        {
          key: 'poolctl:environment',
          value: props.environmentName!,
        },
        {
          key: 'poolctl:pool',
          value: 'acme-users',
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
    this.clientFulfilmentId = clientFulfilment.ref;
    new cdk.CfnOutput(this, 'CfnOutputClientFulfilmentId', {
      key: 'ClientFulfilmentId',
      description: 'App client id of fulfilment',
      value: this.clientFulfilmentId!.toString(),
    });
    this.hostedUiUrl = 'https://auth.acme.example';
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

    {
      const resource = new cdk.CfnResource(this, "BrandingWeb", {
        type: "AWS::Cognito::ManagedLoginBranding",
        properties: {"UserPoolId":{"Ref":"UserPool"},"ClientId":{"Ref":"ClientWeb"},"UseCognitoProvidedValues":true},
      });
      resource.addOverride("DependsOn", ["UserPoolDomain"]);
    }
  }
}
