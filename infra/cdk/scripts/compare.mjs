#!/usr/bin/env node
// Structural comparison of a rendered template with the template `cdk synth` made from it.
//
//   node scripts/compare.mjs                       every templates/<pool>.json against
//                                                  cdk.out/<Pool>Pool.template.json
//   node scripts/compare.mjs EXPECTED.json ACTUAL.json
//
// Exit 1 and one line per difference, each naming its JSON path. Ignored, because CDK adds
// them of its own and they are not infrastructure of the pool:
//   - Metadata["aws:cdk:path"] on resources (and Metadata left empty by removing it),
//   - the CDKMetadata resource and its condition CDKMetadataAvailable,
//   - the BootstrapVersion parameter and the CheckBootstrapVersion rule.
// Compared as equal because CloudFormation treats them as the same value:
//   - Fn::Sub, Fn::Join of a literal list with any delimiter, and the Fn::Join "" CDK writes
//     for both: each side becomes one canonical concatenation of literal strings and
//     Ref / Fn::GetAtt parts;
//   - Fn::GetAtt "A.B" and ["A", "B"]; DependsOn "A" and ["A"], in any order.
// Numbers and strings are NOT equal: 7 and "7" is reported. CDK passes literals through
// unchanged, so such a difference means the conversion changed a value's type.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { namesFor } from './generate.mjs';

const cdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(cdkDir, '..', '..');

/** Removes what CDK adds of its own; returns a new template. */
export function withoutCdkAdditions(template) {
  const t = structuredClone(template);
  if (t.Resources) {
    delete t.Resources.CDKMetadata;
    for (const resource of Object.values(t.Resources)) {
      if (resource && resource.Metadata && typeof resource.Metadata === 'object') {
        delete resource.Metadata['aws:cdk:path'];
        if (Object.keys(resource.Metadata).length === 0) delete resource.Metadata;
      }
    }
  }
  if (t.Conditions) {
    delete t.Conditions.CDKMetadataAvailable;
    if (Object.keys(t.Conditions).length === 0) delete t.Conditions;
  }
  if (t.Parameters) {
    delete t.Parameters.BootstrapVersion;
    if (Object.keys(t.Parameters).length === 0) delete t.Parameters;
  }
  if (t.Rules) {
    delete t.Rules.CheckBootstrapVersion;
    if (Object.keys(t.Rules).length === 0) delete t.Rules;
  }
  return t;
}

/** Splits a Fn::Sub string into literal strings and Ref / Fn::GetAtt parts. */
function subParts(text, variables, where) {
  const parts = [];
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf('${');
    if (start < 0) {
      parts.push(rest);
      break;
    }
    if (start > 0) parts.push(rest.slice(0, start));
    const end = rest.indexOf('}', start);
    if (end < 0) throw new Error(`${where}: unterminated \${ in Fn::Sub`);
    const name = rest.slice(start + 2, end);
    if (name.startsWith('!')) {
      // ${!Literal} writes "${Literal}" verbatim.
      parts.push('${' + name.slice(1) + '}');
    } else if (variables && Object.hasOwn(variables, name)) {
      parts.push(variables[name]);
    } else if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      parts.push({ 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] });
    } else {
      parts.push({ Ref: name });
    }
    rest = rest.slice(end + 1);
  }
  return parts;
}

/** One concatenation: flattened, adjacent literals merged, a lone string as itself. */
function concat(parts) {
  const merged = [];
  for (const part of parts) {
    if (typeof part === 'string' && typeof merged.at(-1) === 'string') merged[merged.length - 1] += part;
    else if (part !== '') merged.push(part);
  }
  if (merged.length === 0) return '';
  if (merged.length === 1 && typeof merged[0] === 'string') return merged[0];
  return { 'Fn::Join': ['', merged] };
}

/** Rewrites equivalent spellings of the same value into one canonical form. */
export function canonical(value, where = '') {
  if (Array.isArray(value)) return value.map((v, i) => canonical(v, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = value[key];
    if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(arg) ? arg : [arg, undefined];
      if (typeof text === 'string') {
        const vars = variables ? canonical(variables, `${where}.Fn::Sub[1]`) : undefined;
        return canonical(concat(subParts(text, vars, where)), where);
      }
    }
    if (key === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
      // A join of a literal list is the concatenation with the delimiter between the items
      // (CDK writes `[a, b].join(',')` that way); a nested concatenation is flattened.
      const delimiter = arg[0];
      const parts = arg[1]
        .map((p, i) => canonical(p, `${where}.Fn::Join[1][${i}]`))
        .flatMap((p, i) => (i > 0 && delimiter !== '' ? [delimiter, p] : [p]))
        .flatMap((p) => (p && p['Fn::Join'] && p['Fn::Join'][0] === '' ? p['Fn::Join'][1] : [p]));
      return concat(parts);
    }
    if (key === 'Fn::GetAtt' && typeof arg === 'string' && arg.includes('.')) {
      const dot = arg.indexOf('.');
      return { 'Fn::GetAtt': [arg.slice(0, dot), arg.slice(dot + 1)] };
    }
  }
  const out = {};
  for (const key of keys) out[key] = canonical(value[key], `${where}.${key}`);
  return out;
}

/** DependsOn as a sorted list, so "A" and ["A"] and any order compare equal. */
function canonicalDependsOn(template) {
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource && resource.DependsOn !== undefined) {
      resource.DependsOn = [resource.DependsOn].flat().sort();
    }
  }
  return template;
}

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** JSON path segment: .Key for plain names, ["key"] otherwise. */
function segment(key) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function show(value) {
  const text = JSON.stringify(value);
  return text.length > 120 ? text.slice(0, 117) + '...' : text;
}

function diff(expected, actual, where, out) {
  const te = typeName(expected);
  const ta = typeName(actual);
  if (te !== ta) {
    out.push(`${where}: expected ${te} ${show(expected)}, cdk synth has ${ta} ${show(actual)}`);
    return;
  }
  if (te === 'array') {
    if (expected.length !== actual.length) {
      out.push(`${where}: expected ${expected.length} item(s) ${show(expected)}, cdk synth has ${actual.length} ${show(actual)}`);
      return;
    }
    expected.forEach((e, i) => diff(e, actual[i], `${where}[${i}]`, out));
    return;
  }
  if (te === 'object') {
    for (const key of Object.keys(expected)) {
      if (!Object.hasOwn(actual, key)) out.push(`${where}${segment(key)}: missing in cdk synth (expected ${show(expected[key])})`);
      else diff(expected[key], actual[key], `${where}${segment(key)}`, out);
    }
    for (const key of Object.keys(actual)) {
      if (!Object.hasOwn(expected, key)) out.push(`${where}${segment(key)}: only in cdk synth (${show(actual[key])})`);
    }
    return;
  }
  if (expected !== actual) out.push(`${where}: expected ${show(expected)}, cdk synth has ${show(actual)}`);
}

const sections = ['Parameters', 'Mappings', 'Conditions', 'Rules', 'Resources', 'Outputs'];

/** Every difference between the rendered and the synthesized template, as "path: what". */
export function compareTemplates(rendered, synthesized) {
  const expected = canonicalDependsOn(canonical(rendered));
  const actual = canonicalDependsOn(canonical(withoutCdkAdditions(synthesized)));
  // An absent section is an empty one, so that a difference names the entry, not the section.
  for (const section of sections) {
    if (section in expected || section in actual) {
      expected[section] ??= {};
      actual[section] ??= {};
    }
  }
  const out = [];
  diff(expected, actual, '$', out);
  return out;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function pairs(argv) {
  if (argv.length === 2) return [{ label: argv[1], expected: argv[0], actual: argv[1] }];
  if (argv.length !== 0) throw new Error('usage: compare.mjs [EXPECTED.json ACTUAL.json]');
  const templatesDir = path.join(repoRoot, 'templates');
  const pools = fs.readdirSync(templatesDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  return pools.map((pool) => ({
    label: pool,
    expected: path.join(templatesDir, `${pool}.json`),
    actual: path.join(cdkDir, 'cdk.out', `${namesFor(pool).stackId}.template.json`),
  }));
}

function main() {
  let failed = false;
  for (const { label, expected, actual } of pairs(process.argv.slice(2))) {
    if (!fs.existsSync(actual)) {
      console.error(`${label}: ${path.relative(process.cwd(), actual)} does not exist: run \`npx cdk synth\` in infra/cdk`);
      failed = true;
      continue;
    }
    const differences = compareTemplates(readJson(expected), readJson(actual));
    if (differences.length === 0) {
      console.log(`${label}: cdk synth is the same infrastructure as ${path.relative(process.cwd(), expected)}`);
    } else {
      failed = true;
      console.error(`${label}: ${differences.length} difference(s) between ${expected} and ${actual}:`);
      for (const d of differences) console.error(`  ${d}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
