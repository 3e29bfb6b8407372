#!/usr/bin/env node
// Converts every templates/<pool>.json into a CDK stack class with cdk-from-cfn and writes the
// app that instantiates them all.
//
//   node scripts/generate.mjs            write lib/<pool>-stack.ts and bin/app.ts
//   node scripts/generate.mjs --check    fail (exit 1) when the committed files are stale
//
// Options: --templates DIR (default: <repo>/templates), --out DIR (default: infra/cdk).
// The output depends only on the templates and the pinned cdk-from-cfn version, so it is
// committed and checked like templates/ is.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cdkFromCfn = require('cdk-from-cfn');
const cdkFromCfnVersion = require('cdk-from-cfn/package.json').version;

const cdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(cdkDir, '..', '..');

export class GenerateError extends Error {}

/** `review-env` -> `ReviewEnv`. */
export function pascalCase(name) {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Names the generated code uses for one pool. */
export function namesFor(pool) {
  const base = pascalCase(pool);
  if (!/^[A-Za-z]/.test(base)) {
    throw new GenerateError(`pool name "${pool}" must start with a letter to become a class name`);
  }
  return {
    pool,
    className: `${base}PoolStack`,
    stackId: `${base}Pool`,
    module: `${pool}-stack`,
  };
}

/**
 * The property names of cdk.StackProps, read from the installed aws-cdk-lib so that a new
 * StackProps member is caught without editing this list.
 */
export function stackPropNames() {
  // The .d.ts files are not in the package's exports map: locate them from its entry point.
  const cdkLib = path.dirname(require.resolve('aws-cdk-lib'));
  const dts = fs.readFileSync(path.join(cdkLib, 'core', 'lib', 'stack.d.ts'), 'utf8');
  const body = dts.match(/export interface StackProps \{([\s\S]*?)\n\}/);
  if (!body) throw new GenerateError('cannot find StackProps in aws-cdk-lib/core/lib/stack.d.ts');
  return new Set([...body[1].matchAll(/^\s{4}readonly (\w+)\??:/gm)].map((m) => m[1]));
}

/** The props that cdk-from-cfn declared for the template's parameters. */
function generatedPropNames(code, className) {
  const body = code.match(new RegExp(`export interface ${className}Props extends cdk\\.StackProps \\{([\\s\\S]*?)\\n\\}`));
  if (!body) return [];
  return [...body[1].matchAll(/^\s+readonly (\w+)\??:/gm)].map((m) => m[1]);
}

/** Member names of a cdk.Stack instance (own fields and inherited accessors and methods). */
function stackMemberNames() {
  const cdk = require('aws-cdk-lib');
  const stack = new cdk.Stack(new cdk.App(), 'Probe');
  const names = new Set(Object.keys(stack));
  for (let proto = Object.getPrototypeOf(stack); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  return names;
}

/** Every Fn::Sub format string in a template value. */
function subStrings(value, out = []) {
  if (Array.isArray(value)) value.forEach((v) => subStrings(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        if (typeof text === 'string') out.push(text);
      }
      subStrings(v, out);
    }
  }
  return out;
}

/**
 * Template features that cdk-from-cfn 0.334 converts into TypeScript that does not compile,
 * or into synth-time code so that the synthesized template is no longer the same
 * infrastructure. Reported with the fix before any code is written.
 */
export function unsupportedFeatures(template, code, names) {
  const problems = [];
  const clashes = generatedPropNames(code, names.className).filter((p) => stackPropNames().has(p));
  for (const prop of clashes) {
    problems.push(`a parameter becomes the prop "${prop}", which cdk.StackProps already has; rename the parameter`);
  }
  // Outputs become public fields of the stack class.
  const members = stackMemberNames();
  for (const output of Object.keys(template.Outputs ?? {})) {
    const field = output[0].toLowerCase() + output.slice(1);
    if (members.has(field)) problems.push(`output ${output} becomes the field "${field}", which cdk.Stack already has; rename the output`);
  }
  // Resources become local variables next to the module imports and the constructor's own.
  const taken = new Set(['scope', 'id', 'props', ...[...code.matchAll(/^import \* as (\w+) from/gm)].map((m) => m[1])]);
  for (const [, variable] of code.matchAll(/^\s+const (\w+) = new /gm)) {
    if (taken.has(variable)) problems.push(`a resource becomes the variable "${variable}", which shadows the generated code's own; rename the resource`);
  }
  // cdk-from-cfn evaluates Conditions and Fn::If in TypeScript against the props; with the
  // parameters passed as deploy-time references the comparison is always false.
  if (template.Conditions && Object.keys(template.Conditions).length > 0) {
    problems.push(`Conditions (${Object.keys(template.Conditions).join(', ')}) become synth-time booleans; decide them when rendering instead`);
  }
  // Mappings become a TypeScript record indexed at synth time; a parameter key crashes synth.
  if (template.Mappings && Object.keys(template.Mappings).length > 0) {
    problems.push(`Mappings (${Object.keys(template.Mappings).join(', ')}) become synth-time lookups; resolve them when rendering instead`);
  }
  // Resource Metadata keys are written unquoted: `cfn-lint: {...}` is a syntax error.
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    for (const key of Object.keys(resource?.Metadata ?? {})) {
      if (!/^[A-Za-z_$][\w$]*$/.test(key)) problems.push(`resource ${logicalId}: Metadata key ${JSON.stringify(key)} is not an identifier and is written unquoted`);
    }
  }
  // Fn::Sub becomes a template literal without escaping.
  for (const text of subStrings(template.Resources ?? {}).concat(subStrings(template.Outputs ?? {}))) {
    if (text.includes('`')) problems.push(`Fn::Sub ${JSON.stringify(text)} contains a backtick, which ends the generated template literal`);
    if (text.includes('${!')) problems.push(`Fn::Sub ${JSON.stringify(text)} uses the \${!...} escape, which becomes a variable reference`);
  }
  return problems;
}

const deletionPolicies = {
  Delete: 'DELETE',
  Retain: 'RETAIN',
  Snapshot: 'SNAPSHOT',
  RetainExceptOnCreate: 'RETAIN_EXCEPT_ON_CREATE',
};

/**
 * Repairs what cdk-from-cfn converts wrongly, so that the synthesized template stays the
 * rendered one (scripts/compare.mjs checks it):
 * - UpdateReplacePolicy is dropped (aws/aws-cdk#29635); it is set again after the resource.
 * - ${AWS::StackName} becomes `this.stackName`, which CDK resolves to the literal name at synth
 *   time; cdk.Aws.STACK_NAME keeps the deploy-time reference the template has.
 * - DependsOn becomes CfnResource.addDependency, deprecated in aws-cdk-lib 2.x for
 *   addResourceDependency (same DependsOn, no deprecation warning at every synth).
 * - The constructor takes a `cdk.App`; a `Construct` lets the stack live in a `cdk.Stage`
 *   (CDK Pipelines) as well as in an app.
 * What the converter does not know at all is set aside and restored (setAside, restore).
 */
export function repair(code, template, pool) {
  let out = code
    .replace(/\bthis\.stackName\b/g, 'cdk.Aws.STACK_NAME')
    .replace(/^(\s+\w+)\.addDependency\((\w+)\);$/gm, '$1.addResourceDependency($2);')
    .replace(/\bconstructor\(scope: cdk\.App,/, 'constructor(scope: Construct,');
  if (out.includes('scope: Construct') && !/^import \{ Construct \} from 'constructs';$/m.test(out)) {
    out = out.replace(/^(import \* as cdk from 'aws-cdk-lib';)$/m, "$1\nimport { Construct } from 'constructs';");
  }
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const policy = resource?.UpdateReplacePolicy;
    if (policy === undefined) continue;
    const value = deletionPolicies[policy];
    if (!value) throw new GenerateError(`templates/${pool}.json: ${logicalId}: unknown UpdateReplacePolicy ${JSON.stringify(policy)}`);
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.includes(`(this, '${logicalId}', {`) && /^\s*const \w+ = new /.test(l));
    if (start < 0) throw new GenerateError(`templates/${pool}.json: cannot find resource ${logicalId} in the cdk-from-cfn output`);
    const variable = lines[start].match(/const (\w+) = /)[1];
    if (lines.some((l) => l.includes(`${variable}.cfnOptions.updateReplacePolicy`))) continue;
    const indent = lines[start].match(/^\s*/)[0];
    let end = lines.findIndex((l, i) => i > start && l === `${indent}});`);
    if (end < 0) throw new GenerateError(`templates/${pool}.json: cannot find the end of resource ${logicalId}`);
    lines.splice(end + 1, 0, `${indent}${variable}.cfnOptions.updateReplacePolicy = cdk.CfnDeletionPolicy.${value};`);
    out = lines.join('\n');
  }
  return out;
}

/**
 * What cdk-from-cfn 0.334's resource specification does not know yet (the Cognito additions
 * of 2024-2026), by resource type and property path: the converter rejects a template with
 * any of them, so they are set aside before conversion and put back afterwards as raw
 * property overrides, which synthesize to the same template.
 */
export const NEWER_PROPERTIES = {
  'AWS::Cognito::UserPool': [
    ['UserPoolTier'],
    ['WebAuthnRelyingPartyID'],
    ['WebAuthnUserVerification'],
    ['EmailAuthenticationMessage'],
    ['EmailAuthenticationSubject'],
    ['UserPoolAddOns'],
    ['Policies', 'SignInPolicy'],
    ['Policies', 'PasswordPolicy', 'PasswordHistorySize'],
    ['LambdaConfig', 'PreTokenGenerationConfig'],
    ['LambdaConfig', 'CustomEmailSender'],
    ['LambdaConfig', 'CustomSMSSender'],
    ['LambdaConfig', 'KMSKeyID'],
    ['LambdaConfig', 'InboundFederation'],
  ],
  'AWS::Cognito::UserPoolDomain': [['ManagedLoginVersion']],
  'AWS::Cognito::UserPoolClient': [['RefreshTokenRotation']],
};

/** Resource types cdk-from-cfn 0.334 does not know: written back as cdk.CfnResource. */
export const NEWER_TYPES = ['AWS::Cognito::ManagedLoginBranding'];

/**
 * The template without what cdk-from-cfn cannot convert, and what was taken out: property
 * overrides ({ logicalId, path, value }) and whole resources ({ logicalId, resource }).
 */
export function setAside(template) {
  const convertible = structuredClone(template);
  const overrides = [];
  const resources = [];
  for (const [logicalId, resource] of Object.entries(convertible.Resources ?? {})) {
    if (NEWER_TYPES.includes(resource?.Type)) {
      resources.push({ logicalId, resource });
      delete convertible.Resources[logicalId];
      continue;
    }
    for (const propertyPath of NEWER_PROPERTIES[resource?.Type] ?? []) {
      let parent = resource.Properties;
      for (const key of propertyPath.slice(0, -1)) parent = parent?.[key];
      const last = propertyPath[propertyPath.length - 1];
      if (parent && typeof parent === 'object' && Object.hasOwn(parent, last)) {
        overrides.push({ logicalId, path: propertyPath.join('.'), value: parent[last] });
        delete parent[last];
      }
    }
  }
  return { convertible, overrides, resources };
}

/** Puts back what setAside took out, on the constructs of the converted code. */
export function restore(code, overrides, resources, pool) {
  const lines = code.split('\n');
  for (const { logicalId, path: propertyPath, value } of overrides) {
    const start = lines.findIndex((l) => l.includes(`(this, '${logicalId}', {`) && /^\s*const \w+ = new /.test(l));
    if (start < 0) throw new GenerateError(`templates/${pool}.json: cannot find resource ${logicalId} in the cdk-from-cfn output`);
    const variable = lines[start].match(/const (\w+) = /)[1];
    const indent = lines[start].match(/^\s*/)[0];
    let end = lines.findIndex((l, i) => i > start && l === `${indent}});`);
    if (end < 0) throw new GenerateError(`templates/${pool}.json: cannot find the end of resource ${logicalId}`);
    // After the construct and the overrides already added to it.
    while (lines[end + 1]?.startsWith(`${indent}${variable}.`)) end++;
    lines.splice(end + 1, 0, `${indent}${variable}.addPropertyOverride(${literal(propertyPath)}, ${literal(value)});`);
  }
  if (resources.length > 0) {
    const close = lines.lastIndexOf('  }');
    if (close < 0) throw new GenerateError(`templates/${pool}.json: cannot find the end of the constructor`);
    const added = [];
    for (const { logicalId, resource } of resources) {
      const { Type, Properties, ...options } = resource;
      added.push('', '    {');
      added.push(`      const resource = new cdk.CfnResource(this, ${literal(logicalId)}, {`);
      added.push(`        type: ${literal(Type)},`);
      if (Properties !== undefined) added.push(`        properties: ${literal(Properties)},`);
      added.push('      });');
      for (const [key, value] of Object.entries(options)) {
        added.push(`      resource.addOverride(${literal(key)}, ${literal(value)});`);
      }
      added.push('    }');
    }
    lines.splice(close, 0, ...added);
  }
  return lines.join('\n');
}

/** TypeScript source of one stack module. */
export function stackModule(templateText, names) {
  const template = JSON.parse(templateText);
  const { convertible, overrides, resources } = setAside(template);
  const convertibleText = overrides.length + resources.length > 0 ? JSON.stringify(convertible) : templateText;
  let code;
  try {
    code = cdkFromCfn.transmute(convertibleText, 'typescript', names.className);
  } catch (err) {
    throw new GenerateError(`cdk-from-cfn rejected templates/${names.pool}.json: ${err?.message ?? err}`);
  }
  code = repair(code, convertible, names.pool);
  code = restore(code, overrides, resources, names.pool);
  const problems = unsupportedFeatures(template, code, names);
  if (problems.length > 0) {
    throw new GenerateError(`templates/${names.pool}.json cannot be converted faithfully:\n  - ${problems.join('\n  - ')}`);
  }
  // The prop cdk-from-cfn made of each parameter (camel case: ArtifactBucket -> artifactBucket).
  const generated = generatedPropNames(code, names.className);
  const squash = (n) => n.toLowerCase().replace(/_/g, '');
  const props = {};
  for (const parameter of Object.keys(template.Parameters ?? {})) {
    const prop = generated.find((p) => squash(p) === squash(parameter));
    if (!prop) throw new GenerateError(`templates/${names.pool}.json: no prop for parameter ${parameter} in the cdk-from-cfn output`);
    props[parameter] = prop;
  }
  const header =
    `// Converted from templates/${names.pool}.json by cdk-from-cfn ${cdkFromCfnVersion}.\n` +
    '// Do not edit: run `just cdk` after `just render`. The repairs made to the converter\n' +
    '// output are listed in scripts/generate.mjs (repair).\n';
  return { template, props, source: header + code.trimEnd() + '\n' };
}

/** A TypeScript literal for a JSON value: JSON is valid TypeScript. */
function literal(value) {
  return JSON.stringify(value);
}

/** The prop value that refers to a deploy-time parameter, typed as cdk-from-cfn types it. */
function parameterReference(name, definition) {
  const ref = `cdk.Fn.ref(${literal(name)})`;
  if (definition.Type === 'Number') return `cdk.Token.asNumber(${ref})`;
  if (definition.Type === 'CommaDelimitedList' || /^List</.test(definition.Type)) return `cdk.Token.asList(${ref})`;
  return ref;
}

const parameterKeys = {
  Type: 'type',
  Description: 'description',
  Default: 'default',
  AllowedValues: 'allowedValues',
  AllowedPattern: 'allowedPattern',
  ConstraintDescription: 'constraintDescription',
  MinLength: 'minLength',
  MaxLength: 'maxLength',
  MinValue: 'minValue',
  MaxValue: 'maxValue',
  NoEcho: 'noEcho',
};

function parameterDeclaration(stackVar, name, definition) {
  const lines = [`new cdk.CfnParameter(${stackVar}, ${literal(name)}, {`];
  for (const [key, value] of Object.entries(definition)) {
    const prop = parameterKeys[key];
    if (!prop) throw new GenerateError(`parameter ${name}: attribute ${key} is not supported by the generator`);
    lines.push(`  ${prop}: ${literal(value)},`);
  }
  lines.push('});');
  return lines;
}

/** TypeScript source of bin/app.ts for the given pools. */
export function appModule(stacks) {
  const out = [
    '#!/usr/bin/env node',
    '// The CDK app with one stack per pool in templates/. Do not edit: run `just cdk`.',
    '//',
    '// Every template parameter stays a CloudFormation parameter here (the stacks get',
    '// references to them as props), so the synthesized templates take ArtifactBucket and',
    '// ArtifactKey at deploy time, exactly as `poolctl deploy` passes them.',
    '// `cdk synth -c pool=<name>` synthesizes that pool only.',
    "import * as cdk from 'aws-cdk-lib';",
  ];
  for (const { names } of stacks) {
    out.push(`import { ${names.className} } from '../lib/${names.module}';`);
  }
  const pools = stacks.map(({ names }) => names.pool);
  out.push(
    '',
    'const app = new cdk.App();',
    `const pools = ${literal(pools)};`,
    "const selected: string | undefined = app.node.tryGetContext('pool');",
    'if (selected !== undefined && !pools.includes(selected)) {',
    "  throw new Error(`unknown pool ${selected} (-c pool=...); the pools are ${pools.join(', ')}`);",
    '}',
  );
  for (const { names, template, props } of stacks) {
    const stackVar = names.className[0].toLowerCase() + names.className.slice(1);
    const parameters = Object.entries(template.Parameters ?? {});
    const body = [`const ${stackVar} = new ${names.className}(app, ${literal(names.stackId)}, {`];
    if (template.Description !== undefined) body.push(`  description: ${literal(template.Description)},`);
    for (const [name, definition] of parameters) {
      body.push(`  ${props[name]}: ${parameterReference(name, definition)},`);
    }
    body.push('});');
    if (template.AWSTemplateFormatVersion !== undefined) {
      body.push(`${stackVar}.templateOptions.templateFormatVersion = ${literal(template.AWSTemplateFormatVersion)};`);
    }
    if (template.Metadata !== undefined) {
      body.push(`${stackVar}.templateOptions.metadata = ${literal(template.Metadata)};`);
    }
    for (const [name, definition] of parameters) {
      body.push(...parameterDeclaration(stackVar, name, definition));
    }
    out.push('', `if (selected === undefined || selected === ${literal(names.pool)}) {`, ...body.map((l) => `  ${l}`), '}');
  }
  out.push('');
  return out.join('\n');
}

/** Every file the generator owns, as { relative path: contents }. */
export function generate(templatesDir) {
  const pools = fs
    .readdirSync(templatesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  if (pools.length === 0) throw new GenerateError(`no templates/*.json in ${templatesDir}: run \`just render\` first`);
  const files = {};
  const stacks = [];
  for (const pool of pools) {
    const names = namesFor(pool);
    const { template, props, source } = stackModule(fs.readFileSync(path.join(templatesDir, `${pool}.json`), 'utf8'), names);
    files[`lib/${names.module}.ts`] = source;
    stacks.push({ names, template, props });
  }
  files['bin/app.ts'] = appModule(stacks);
  return files;
}

/** Generated files present on disk, so that a removed pool's stack is removed too. */
function existingGenerated(outDir) {
  const libDir = path.join(outDir, 'lib');
  const lib = fs.existsSync(libDir) ? fs.readdirSync(libDir).filter((f) => f.endsWith('-stack.ts')).map((f) => `lib/${f}`) : [];
  return fs.existsSync(path.join(outDir, 'bin', 'app.ts')) ? [...lib, 'bin/app.ts'] : lib;
}

function write(outDir, files) {
  for (const stale of existingGenerated(outDir)) {
    if (!(stale in files)) fs.rmSync(path.join(outDir, stale));
  }
  for (const [rel, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(outDir, rel), contents);
  }
}

/** Writes into a temp dir and diffs against outDir; returns the list of stale paths. */
function check(outDir, files) {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'poolctl-cdk-'));
  try {
    write(fresh, files);
    const all = new Set([...Object.keys(files), ...existingGenerated(outDir)]);
    const stale = [];
    for (const rel of [...all].sort()) {
      const committed = path.join(outDir, rel);
      const expected = path.join(fresh, rel);
      const same = fs.existsSync(committed) && fs.existsSync(expected) &&
        fs.readFileSync(committed, 'utf8') === fs.readFileSync(expected, 'utf8');
      if (same) continue;
      stale.push(rel);
      const shown = (p) => (fs.existsSync(p) ? p : '/dev/null');
      const diff = spawnSync('diff', ['-u', '--label', `committed/${rel}`, '--label', `generated/${rel}`, shown(committed), shown(expected)], { encoding: 'utf8' });
      process.stdout.write(diff.stdout ?? '');
    }
    return stale;
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const args = { templates: path.join(repoRoot, 'templates'), out: cdkDir, check: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') args.check = true;
    else if (arg === '--templates' || arg === '--out') {
      const value = argv[++i];
      if (value === undefined) throw new GenerateError(`${arg} needs a directory`);
      args[arg.slice(2)] = path.resolve(value);
    } else throw new GenerateError(`unknown argument ${arg}`);
  }
  return args;
}

function main() {
  try {
    const args = parseArgs(process.argv.slice(2));
    const files = generate(args.templates);
    if (args.check) {
      const stale = check(args.out, files);
      if (stale.length > 0) {
        console.error(`infra/cdk is stale (${stale.join(', ')}): run \`just cdk\` and commit the result`);
        process.exit(1);
      }
      console.log(`infra/cdk is up to date with ${Object.keys(files).length - 1} template(s)`);
    } else {
      write(args.out, files);
      console.log(`wrote ${Object.keys(files).sort().join(', ')}`);
    }
  } catch (err) {
    if (err instanceof GenerateError) {
      console.error(`error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
