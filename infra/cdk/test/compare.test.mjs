// The comparison must pass equal infrastructure written the way CDK writes it, and name the
// path of every real difference.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import test from 'node:test';
import { compareTemplates } from '../scripts/compare.mjs';

const fixture = JSON.parse(fs.readFileSync(new URL('./fixtures/pool.json', import.meta.url), 'utf8'));

/** The fixture as `cdk synth` writes it: CDK's additions, Fn::Join for Fn::Sub. */
function synthesizedFixture() {
  const t = structuredClone(fixture);
  for (const [id, resource] of Object.entries(t.Resources)) {
    resource.Metadata = { ...(resource.Metadata ?? {}), 'aws:cdk:path': `DemoPool/${id}` };
  }
  t.Resources.CDKMetadata = {
    Type: 'AWS::CDK::Metadata',
    Properties: { Analytics: 'v2:deflate64:abc' },
    Condition: 'CDKMetadataAvailable',
  };
  t.Conditions = { CDKMetadataAvailable: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } };
  t.Parameters.BootstrapVersion = { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' };
  t.Rules = { CheckBootstrapVersion: { Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1'], { Ref: 'BootstrapVersion' }] }] } }] } };
  t.Resources.PreSignUpLogGroup.Properties.LogGroupName = { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'PreSignUpFunction' }]] };
  t.Outputs.IssuerUrl.Value = {
    'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: 'UserPool' }]],
  };
  return t;
}

test('the same infrastructure with CDK additions and Fn::Join spelling has no difference', () => {
  assert.deepEqual(compareTemplates(fixture, synthesizedFixture()), []);
});

test('a changed property is reported with its path', () => {
  const synth = synthesizedFixture();
  synth.Resources.UserPool.Properties.AutoVerifiedAttributes = ['phone_number'];
  assert.deepEqual(compareTemplates(fixture, synth), [
    '$.Resources.UserPool.Properties.AutoVerifiedAttributes[0]: expected "email", cdk synth has "phone_number"',
  ]);
});

test('a dropped UpdateReplacePolicy is reported', () => {
  const synth = synthesizedFixture();
  delete synth.Resources.UserPool.UpdateReplacePolicy;
  assert.deepEqual(compareTemplates(fixture, synth), [
    '$.Resources.UserPool.UpdateReplacePolicy: missing in cdk synth (expected "Retain")',
  ]);
});

test('a number and the same digits as a string differ', () => {
  const synth = synthesizedFixture();
  synth.Resources.PreSignUpFunction.Properties.Timeout = '3';
  assert.deepEqual(compareTemplates(fixture, synth), [
    '$.Resources.PreSignUpFunction.Properties.Timeout: expected number 3, cdk synth has string "3"',
  ]);
});

test('extra resources, parameters, conditions and outputs in the synthesized template are reported', () => {
  const synth = synthesizedFixture();
  synth.Resources.Extra = { Type: 'AWS::SNS::Topic' };
  synth.Parameters.Stage = { Type: 'String' };
  synth.Conditions.IsProduction = { 'Fn::Equals': ['a', 'b'] };
  synth.Outputs.Extra = { Value: 'x' };
  assert.deepEqual(compareTemplates(fixture, synth).sort(), [
    '$.Conditions.IsProduction: only in cdk synth ({"Fn::Equals":["a","b"]})',
    '$.Outputs.Extra: only in cdk synth ({"Value":"x"})',
    '$.Parameters.Stage: only in cdk synth ({"Type":"String"})',
    '$.Resources.Extra: only in cdk synth ({"Type":"AWS::SNS::Topic"})',
  ]);
});

test('a condition the template has and the synthesized one lacks is reported', () => {
  const rendered = structuredClone(fixture);
  rendered.Conditions = { IsProduction: { 'Fn::Equals': [{ Ref: 'EnvironmentName' }, 'production'] } };
  assert.deepEqual(compareTemplates(rendered, synthesizedFixture()), [
    '$.Conditions.IsProduction: missing in cdk synth (expected {"Fn::Equals":[{"Ref":"EnvironmentName"},"production"]})',
  ]);
});

test('resource metadata of the template is compared; only aws:cdk:path is ignored', () => {
  const rendered = structuredClone(fixture);
  const synth = synthesizedFixture();
  assert.deepEqual(compareTemplates(rendered, synth), []);
  synth.Resources.Domain.Metadata.note = 'added';
  assert.deepEqual(compareTemplates(rendered, synth), ['$.Resources.Domain.Metadata: only in cdk synth ({"note":"added"})']);
});

test('Fn::Sub forms match the concatenation CDK writes', () => {
  const rendered = {
    Outputs: {
      A: { Value: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${Pool.Arn}/${!Literal}' } },
      B: { Value: { 'Fn::Sub': ['${Name}-suffix', { Name: { Ref: 'Pool' } }] } },
      C: { Value: { 'Fn::Sub': 'plain' } },
    },
  };
  const synth = {
    Outputs: {
      A: { Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x:', { 'Fn::GetAtt': ['Pool', 'Arn'] }, '/${Literal}']] } },
      B: { Value: { 'Fn::Join': ['', [{ Ref: 'Pool' }, '-', 'suffix']] } },
      C: { Value: 'plain' },
    },
  };
  assert.deepEqual(compareTemplates(rendered, synth), []);
  synth.Outputs.A.Value['Fn::Join'][1][3] = { 'Fn::GetAtt': ['Pool', 'ProviderURL'] };
  assert.equal(compareTemplates(rendered, synth).length, 1);
  assert.match(compareTemplates(rendered, synth)[0], /^\$\.Outputs\.A\.Value\.Fn::Join|^\$\.Outputs\.A\.Value\["Fn::Join"\]/);
});

test('DependsOn compares as a set; GetAtt string and list forms are equal', () => {
  const rendered = { Resources: { A: { Type: 'T', DependsOn: 'B', Properties: { X: { 'Fn::GetAtt': 'B.Arn' } } } } };
  const synth = { Resources: { A: { Type: 'T', DependsOn: ['B'], Properties: { X: { 'Fn::GetAtt': ['B', 'Arn'] } } } } };
  assert.deepEqual(compareTemplates(rendered, synth), []);
  synth.Resources.A.DependsOn = ['B', 'C'];
  assert.deepEqual(compareTemplates(rendered, synth), [
    '$.Resources.A.DependsOn: expected 1 item(s) ["B"], cdk synth has 2 ["B","C"]',
  ]);
});

test('a join with a delimiter matches the concatenation CDK writes for it', () => {
  const rendered = { Outputs: { J: { Value: { 'Fn::Join': [',', ['a', { Ref: 'Pool' }, 'b']] } } } };
  const synth = { Outputs: { J: { Value: { 'Fn::Join': ['', ['a,', { Ref: 'Pool' }, ',b']] } } } };
  assert.deepEqual(compareTemplates(rendered, synth), []);
  synth.Outputs.J.Value['Fn::Join'][1][2] = ';b';
  assert.deepEqual(compareTemplates(rendered, synth), [
    '$.Outputs.J.Value["Fn::Join"][1][2]: expected ",b", cdk synth has ";b"',
  ]);
});
