// The generator: names, guards against templates cdk-from-cfn cannot convert faithfully,
// the repairs of its output, and the staleness check that `just cdk-check` runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { GenerateError, generate, namesFor, stackModule, stackPropNames } from '../scripts/generate.mjs';

const fixturePath = fileURLToPath(new URL('./fixtures/pool.json', import.meta.url));
const fixtureText = fs.readFileSync(fixturePath, 'utf8');
const generator = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));

function withTemplate(mutate) {
  const t = JSON.parse(fixtureText);
  mutate(t);
  return JSON.stringify(t);
}

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'poolctl-cdk-test-'));
}

test('pool names become class, stack and module names', () => {
  assert.deepEqual(namesFor('demo'), { pool: 'demo', className: 'DemoPoolStack', stackId: 'DemoPool', module: 'demo-stack' });
  assert.equal(namesFor('review-env').className, 'ReviewEnvPoolStack');
  assert.throws(() => namesFor('1st'), GenerateError);
});

test('StackProps names are read from aws-cdk-lib', () => {
  const names = stackPropNames();
  for (const prop of ['env', 'description', 'stackName', 'tags', 'synthesizer']) assert.ok(names.has(prop), prop);
});

for (const parameter of ['Env', 'Description', 'StackName', 'Tags']) {
  test(`a parameter named ${parameter} is refused before it breaks the TypeScript`, () => {
    const text = withTemplate((t) => {
      t.Parameters[parameter] = { Type: 'String' };
    });
    assert.throws(() => stackModule(text, namesFor('demo')), (err) => {
      assert.ok(err instanceof GenerateError);
      const prop = parameter[0].toLowerCase() + parameter.slice(1);
      assert.match(err.message, new RegExp(`"${prop}", which cdk.StackProps already has`));
      return true;
    });
  });
}

test('Conditions are refused: cdk-from-cfn turns them into synth-time booleans', () => {
  const text = withTemplate((t) => {
    t.Conditions = { IsProduction: { 'Fn::Equals': [{ Ref: 'EnvironmentName' }, 'production'] } };
  });
  assert.throws(() => stackModule(text, namesFor('demo')), /Conditions \(IsProduction\) become synth-time booleans/);
});

test('UpdateReplacePolicy and deploy-time stack names survive the conversion', () => {
  const { source } = stackModule(fixtureText, namesFor('demo'));
  assert.match(source, /userPool\.cfnOptions\.updateReplacePolicy = cdk\.CfnDeletionPolicy\.RETAIN;/);
  assert.match(source, /preSignUpLogGroup\.cfnOptions\.updateReplacePolicy = cdk\.CfnDeletionPolicy\.DELETE;/);
  assert.match(source, /`\$\{cdk\.Aws\.STACK_NAME\}-UserPoolId`/);
  assert.doesNotMatch(source, /this\.stackName/);
  assert.match(source, /^    webClient\.addResourceDependency\(googleProvider\);$/m);
  assert.doesNotMatch(source, /\.addDependency\(/);
  assert.match(source, /^\/\/ Converted from templates\/demo\.json by cdk-from-cfn /);
  // Any scope: an app, or a Stage of a CDK pipeline.
  assert.match(source, /constructor\(scope: Construct, id: string/);
  assert.match(source, /^import \{ Construct \} from 'constructs';$/m);
});

test('the app keeps every template parameter a CloudFormation parameter', () => {
  const dir = tempDir();
  try {
    fs.copyFileSync(fixturePath, path.join(dir, 'demo.json'));
    const files = generate(dir);
    assert.deepEqual(Object.keys(files).sort(), ['bin/app.ts', 'lib/demo-stack.ts']);
    const app = files['bin/app.ts'];
    assert.match(app, /import \{ DemoPoolStack \} from '\.\.\/lib\/demo-stack';/);
    assert.match(app, /new DemoPoolStack\(app, "DemoPool", \{/);
    for (const name of ['ArtifactBucket', 'ArtifactKey', 'EnvironmentName', 'TriggerArchitecture']) {
      const prop = name[0].toLowerCase() + name.slice(1);
      assert.match(app, new RegExp(`    ${prop}: cdk\\.Fn\\.ref\\("${name}"\\),`));
      assert.match(app, new RegExp(`new cdk\\.CfnParameter\\(demoPoolStack, "${name}", \\{`));
    }
    assert.match(app, /allowedValues: \["arm64","x86_64"\],/);
    assert.match(app, /    description: "poolctl pool fixture",/);
    assert.match(app, /if \(selected === undefined \|\| selected === "demo"\) \{/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--check passes on fresh output and fails naming the stale file', () => {
  const templates = tempDir();
  const out = tempDir();
  try {
    fs.copyFileSync(fixturePath, path.join(templates, 'demo.json'));
    const run = (...args) => spawnSync(process.execPath, [generator, '--templates', templates, '--out', out, ...args], { encoding: 'utf8' });
    assert.equal(run().status, 0);
    const fresh = run('--check');
    assert.equal(fresh.status, 0, fresh.stderr);

    // A template change not carried into infra/cdk.
    fs.writeFileSync(path.join(templates, 'demo.json'), withTemplate((t) => {
      t.Resources.PreSignUpFunction.Properties.MemorySize = 256;
    }));
    const stale = run('--check');
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /infra\/cdk is stale \(lib\/demo-stack\.ts\): run `just cdk`/);
    assert.match(stale.stdout, /^\+      memorySize: 256,$/m);

    // A pool removed from templates/ leaves a stack class behind.
    fs.copyFileSync(fixturePath, path.join(templates, 'demo.json'));
    fs.writeFileSync(path.join(out, 'lib', 'gone-stack.ts'), '// old\n');
    const leftover = run('--check');
    assert.equal(leftover.status, 1);
    assert.match(leftover.stderr, /lib\/gone-stack\.ts/);
    assert.equal(run().status, 0);
    assert.equal(fs.existsSync(path.join(out, 'lib', 'gone-stack.ts')), false);
  } finally {
    fs.rmSync(templates, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('an empty templates directory is an error that says to render first', () => {
  const dir = tempDir();
  try {
    assert.throws(() => generate(dir), /run `just render` first/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('outputs named like cdk.Stack members are refused', () => {
  const text = withTemplate((t) => {
    t.Outputs.Region = { Value: { Ref: 'AWS::Region' } };
    t.Outputs.Node = { Value: 'x' };
  });
  assert.throws(() => stackModule(text, namesFor('demo')), (err) => {
    assert.match(err.message, /output Region becomes the field "region", which cdk\.Stack already has/);
    assert.match(err.message, /output Node becomes the field "node"/);
    return true;
  });
});

test('resources that would shadow the generated code are refused', () => {
  const text = withTemplate((t) => {
    t.Resources.Props = { Type: 'AWS::SNS::Topic', Properties: {} };
    t.Resources.Cognito = { Type: 'AWS::SNS::Topic', Properties: {} };
  });
  assert.throws(() => stackModule(text, namesFor('demo')), (err) => {
    assert.match(err.message, /resource becomes the variable "props"/);
    assert.match(err.message, /resource becomes the variable "cognito"/);
    return true;
  });
});

test('Mappings and Fn::Sub strings that cdk-from-cfn mistranslates are refused', () => {
  const text = withTemplate((t) => {
    t.Mappings = { Retention: { review: { Days: 7 } } };
    t.Outputs.Quoted = { Value: { 'Fn::Sub': 'a `b` ${UserPool}' } };
    t.Outputs.Escaped = { Value: { 'Fn::Sub': '${!Literal}-${UserPool}' } };
    t.Resources.Domain.Metadata = { 'cfn-lint': { config: { ignore_checks: ['W3011'] } } };
  });
  assert.throws(() => stackModule(text, namesFor('demo')), (err) => {
    assert.match(err.message, /Mappings \(Retention\) become synth-time lookups/);
    assert.match(err.message, /contains a backtick/);
    assert.match(err.message, /uses the \$\{!\.\.\.\} escape/);
    assert.match(err.message, /resource Domain: Metadata key "cfn-lint" is not an identifier/);
    return true;
  });
});

test('properties and resource types newer than the converter are set aside and restored', () => {
  const text = withTemplate((t) => {
    const pool = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::Cognito::UserPool');
    assert.ok(pool, 'the fixture has a user pool');
    const [poolId, poolResource] = pool;
    poolResource.Properties.UserPoolTier = 'PLUS';
    poolResource.Properties.UserPoolAddOns = { AdvancedSecurityMode: 'ENFORCED' };
    t.Resources.BrandingWeb = {
      Type: 'AWS::Cognito::ManagedLoginBranding',
      DependsOn: [poolId],
      Properties: { UserPoolId: { Ref: poolId }, UseCognitoProvidedValues: true },
    };
  });
  const { source } = stackModule(text, namesFor('pool'));
  assert.match(source, /\.addPropertyOverride\("UserPoolTier", "PLUS"\);/);
  assert.match(source, /\.addPropertyOverride\("UserPoolAddOns", \{"AdvancedSecurityMode":"ENFORCED"\}\);/);
  assert.match(source, /new cdk\.CfnResource\(this, "BrandingWeb", \{\n\s+type: "AWS::Cognito::ManagedLoginBranding",/);
  assert.match(source, /resource\.addOverride\("DependsOn", \["\w+"\]\);/);
});
