// A pool stack class taken into another CDK app synthesizes with the artifact passed either
// way, and its outputs reach the app's own stacks (test/app/existing-app.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

const cdkDir = fileURLToPath(new URL('..', import.meta.url));

test('the production pool class in an existing app', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'poolctl-cdk-usage-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/app/existing-app.ts'], {
      cwd: cdkDir,
      env: { ...process.env, CDK_OUTDIR: out },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const template = (id) => JSON.parse(fs.readFileSync(path.join(out, `${id}.template.json`), 'utf8'));

    const users = template('Users');
    const code = users.Resources.PreSignUpFunction.Properties.Code;
    assert.deepEqual(code, { S3Bucket: 'acme-artifacts', S3Key: 'poolctl/0123abcd.zip' });
    assert.deepEqual(users.Resources.PreSignUpFunction.Properties.Architectures, ['x86_64']);
    assert.equal(users.Parameters?.ArtifactBucket, undefined);
    // CDK exports the pool id for the other stack.
    const exported = Object.values(users.Outputs).filter((o) => o.Export);
    assert.ok(exported.some((o) => o.Value.Ref === 'UserPool'), JSON.stringify(users.Outputs));
    const api = template('Api');
    assert.ok(JSON.stringify(api.Resources.UserPoolIdParameter.Properties.Value).includes('Fn::ImportValue'));

    const withParameters = template('UsersWithParameters');
    assert.deepEqual(withParameters.Resources.PreSignUpFunction.Properties.Code, {
      S3Bucket: { Ref: 'ArtifactBucket' },
      S3Key: { Ref: 'ArtifactKey' },
    });
    assert.equal(withParameters.Parameters.ArtifactBucket.Type, 'String');

    // The stage's own assembly holds the pool stack.
    const stage = path.join(out, 'assembly-Prod');
    const manifest = JSON.parse(fs.readFileSync(path.join(stage, 'manifest.json'), 'utf8'));
    const stacks = Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
    assert.equal(stacks.length, 1, JSON.stringify(manifest.artifacts));
    const staged = JSON.parse(fs.readFileSync(path.join(stage, stacks[0].properties.templateFile), 'utf8'));
    assert.equal(staged.Resources.UserPool.Type, 'AWS::Cognito::UserPool');
    assert.equal(staged.Resources.UserPool.DeletionPolicy, 'Retain');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
