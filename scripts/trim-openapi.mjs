#!/usr/bin/env node
// Dev-time script: trims GitHub's official OpenAPI description (the `@octokit/openapi` package, ~400 MB,
// never a project dependency) down to the operations the action calls, with every $ref inlined, and
// writes test/support/github-openapi.json. The fake GitHub used by the tests validates request bodies
// and parameters against it.
//
//   npm install --prefix /tmp/openapi @octokit/openapi
//   node scripts/trim-openapi.mjs /tmp/openapi/node_modules/@octokit/openapi [out.json]
//
// The argument is the package folder (or its generated/api.github.com.json directly).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The operations the action calls: [method, path template]. Keep in step with src/action/github.ts and src/action/pins/. */
export const OPERATIONS = [
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}/files'],
  ['get', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['post', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['patch', '/repos/{owner}/{repo}/issues/comments/{comment_id}'],
  ['delete', '/repos/{owner}/{repo}/issues/comments/{comment_id}'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}/comments'],
  ['post', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews'],
  ['get', '/repos/{owner}/{repo}/contents/{path}'],
  ['post', '/repos/{owner}/{repo}/code-scanning/sarifs'],
  ['get', '/repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}'],
  // src/action/pins/action-refs.ts: an action's ref to its commit.
  ['get', '/repos/{owner}/{repo}/commits/{ref}'],
  ['get', '/repos/{owner}/{repo}'],
  ['get', '/repos/{owner}/{repo}/rules/branches/{branch}'],
  ['get', '/repos/{owner}/{repo}/branches/{branch}/protection'],
  ['get', '/repos/{owner}/{repo}/rulesets/{ruleset_id}'],
];

/** Operations whose 200 answer schema is kept too: the fake checks its own answers to them against it (review-policy's reads). */
export const RESPONSES = new Set([
  'GET /repos/{owner}/{repo}/rules/branches/{branch}',
  'GET /repos/{owner}/{repo}/branches/{branch}/protection',
  'GET /repos/{owner}/{repo}/rulesets/{ruleset_id}',
]);

/** Keys that document rather than constrain: dropped to keep the committed file small. */
const DOC_KEYS = new Set(['description', 'example', 'examples', 'summary', 'externalDocs', 'title']);

function main() {
  const arg = process.argv[2];
  if (!arg) {
    console.error('usage: node scripts/trim-openapi.mjs <path to @octokit/openapi or api.github.com.json> [out.json]');
    process.exit(2);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const out = process.argv[3] ?? join(here, '..', 'test', 'support', 'github-openapi.json');
  const isDir = statSync(arg).isDirectory();
  const specPath = isDir ? join(arg, 'generated', 'api.github.com.json') : arg;
  let version = 'unknown';
  if (isDir) {
    try {
      version = JSON.parse(readFileSync(join(arg, 'package.json'), 'utf8')).version;
    } catch {
      /* keep unknown */
    }
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));

  const resolveRef = (ref) => {
    if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
    let node = spec;
    for (const part of ref.slice(2).split('/')) node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    return node;
  };
  // Inline every $ref; a cycle (none in these operations' request schemas) would throw.
  const inline = (node, seen = []) => {
    if (Array.isArray(node)) return node.map((n) => inline(n, seen));
    if (node === null || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string') {
      if (seen.includes(node.$ref)) throw new Error(`cyclic $ref ${node.$ref}`);
      return inline(resolveRef(node.$ref), [...seen, node.$ref]);
    }
    const outNode = {};
    for (const [k, v] of Object.entries(node)) {
      if (DOC_KEYS.has(k)) continue;
      outNode[k] = inline(v, seen);
    }
    return outNode;
  };

  const operations = {};
  for (const [method, path] of OPERATIONS) {
    const op = spec.paths?.[path]?.[method];
    if (!op) throw new Error(`operation ${method.toUpperCase()} ${path} not found in ${specPath}`);
    const parameters = inline(op.parameters ?? []).map((p) => {
      const q = { name: p.name, in: p.in, required: p.required === true, schema: p.schema ?? {} };
      if (p['x-multi-segment']) q.multiSegment = true;
      return q;
    });
    const entry = { method: method.toUpperCase(), path, parameters };
    const body = op.requestBody;
    if (body) {
      const resolved = inline(body);
      entry.requestBody = { required: resolved.required === true, schema: resolved.content?.['application/json']?.schema ?? {} };
    }
    if (RESPONSES.has(`${method.toUpperCase()} ${path}`)) entry.response = inline(op.responses?.['200'])?.content?.['application/json']?.schema ?? {};
    entry.documentationUrl = op.externalDocs?.url;
    operations[op.operationId] = entry;
  }

  const result = {
    source: `@octokit/openapi@${version} generated/api.github.com.json (OpenAPI ${spec.openapi}, ${spec.info?.version ?? ''})`,
    generatedBy: 'scripts/trim-openapi.mjs',
    operations,
  };
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${Object.keys(operations).length} operations to ${out}`);
}

main();
