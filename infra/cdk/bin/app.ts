#!/usr/bin/env node
// The CDK app with one stack per pool in templates/. Do not edit: run `just cdk`.
//
// Every template parameter stays a CloudFormation parameter here (the stacks get
// references to them as props), so the synthesized templates take ArtifactBucket and
// ArtifactKey at deploy time, exactly as `poolctl deploy` passes them.
// `cdk synth -c pool=<name>` synthesizes that pool only.
import * as cdk from 'aws-cdk-lib';
import { DemoPoolStack } from '../lib/demo-stack';
import { ProductionPoolStack } from '../lib/production-stack';
import { ReviewPoolStack } from '../lib/review-stack';

const app = new cdk.App();
const pools = ["demo","production","review"];
const selected: string | undefined = app.node.tryGetContext('pool');
if (selected !== undefined && !pools.includes(selected)) {
  throw new Error(`unknown pool ${selected} (-c pool=...); the pools are ${pools.join(', ')}`);
}

if (selected === undefined || selected === "demo") {
  const demoPoolStack = new DemoPoolStack(app, "DemoPool", {
    description: "Cognito user pool demo: Demo pool for trying poolctl locally and in a sandbox account (poolctl)",
    environmentName: cdk.Fn.ref("EnvironmentName"),
    artifactBucket: cdk.Fn.ref("ArtifactBucket"),
    artifactKey: cdk.Fn.ref("ArtifactKey"),
    triggerArchitecture: cdk.Fn.ref("TriggerArchitecture"),
  });
  demoPoolStack.templateOptions.templateFormatVersion = "2010-09-09";
  new cdk.CfnParameter(demoPoolStack, "EnvironmentName", {
    type: "String",
    default: "production",
    description: "Name of the environment this pool serves (tagged on every resource)",
    minLength: 1,
    maxLength: 128,
  });
  new cdk.CfnParameter(demoPoolStack, "ArtifactBucket", {
    type: "String",
    description: "S3 bucket holding the PreSignUp trigger zip",
    minLength: 3,
  });
  new cdk.CfnParameter(demoPoolStack, "ArtifactKey", {
    type: "String",
    description: "S3 key of the PreSignUp trigger zip (named by its sha256)",
    minLength: 1,
  });
  new cdk.CfnParameter(demoPoolStack, "TriggerArchitecture", {
    type: "String",
    default: "arm64",
    allowedValues: ["arm64","x86_64"],
    description: "CPU architecture of the PreSignUp trigger zip",
  });
}

if (selected === undefined || selected === "production") {
  const productionPoolStack = new ProductionPoolStack(app, "ProductionPool", {
    description: "Cognito user pool acme-users: Acme customer and staff accounts (poolctl)",
    environmentName: cdk.Fn.ref("EnvironmentName"),
    artifactBucket: cdk.Fn.ref("ArtifactBucket"),
    artifactKey: cdk.Fn.ref("ArtifactKey"),
    triggerArchitecture: cdk.Fn.ref("TriggerArchitecture"),
  });
  productionPoolStack.templateOptions.templateFormatVersion = "2010-09-09";
  new cdk.CfnParameter(productionPoolStack, "EnvironmentName", {
    type: "String",
    default: "production",
    description: "Name of the environment this pool serves (tagged on every resource)",
    minLength: 1,
    maxLength: 128,
  });
  new cdk.CfnParameter(productionPoolStack, "ArtifactBucket", {
    type: "String",
    description: "S3 bucket holding the PreSignUp trigger zip",
    minLength: 3,
  });
  new cdk.CfnParameter(productionPoolStack, "ArtifactKey", {
    type: "String",
    description: "S3 key of the PreSignUp trigger zip (named by its sha256)",
    minLength: 1,
  });
  new cdk.CfnParameter(productionPoolStack, "TriggerArchitecture", {
    type: "String",
    default: "arm64",
    allowedValues: ["arm64","x86_64"],
    description: "CPU architecture of the PreSignUp trigger zip",
  });
}

if (selected === undefined || selected === "review") {
  const reviewPoolStack = new ReviewPoolStack(app, "ReviewPool", {
    description: "Cognito user pool review: Per-pull-request review pool, created and destroyed by CI (poolctl)",
    environmentName: cdk.Fn.ref("EnvironmentName"),
    artifactBucket: cdk.Fn.ref("ArtifactBucket"),
    artifactKey: cdk.Fn.ref("ArtifactKey"),
    triggerArchitecture: cdk.Fn.ref("TriggerArchitecture"),
  });
  reviewPoolStack.templateOptions.templateFormatVersion = "2010-09-09";
  new cdk.CfnParameter(reviewPoolStack, "EnvironmentName", {
    type: "String",
    default: "production",
    description: "Name of the environment this pool serves (tagged on every resource)",
    minLength: 1,
    maxLength: 128,
  });
  new cdk.CfnParameter(reviewPoolStack, "ArtifactBucket", {
    type: "String",
    description: "S3 bucket holding the PreSignUp trigger zip",
    minLength: 3,
  });
  new cdk.CfnParameter(reviewPoolStack, "ArtifactKey", {
    type: "String",
    description: "S3 key of the PreSignUp trigger zip (named by its sha256)",
    minLength: 1,
  });
  new cdk.CfnParameter(reviewPoolStack, "TriggerArchitecture", {
    type: "String",
    default: "arm64",
    allowedValues: ["arm64","x86_64"],
    description: "CPU architecture of the PreSignUp trigger zip",
  });
}
