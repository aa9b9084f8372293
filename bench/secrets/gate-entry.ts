// The gate restricted to `hardcoded-secret`, as one child process: `node <bundle> DIR` prints
// {stats, findings} as JSON. compare.mjs bundles this file with esbuild (like the action's ncc
// bundle: no TypeScript loader at run time) into bench/out/gate-secrets.mjs.
import { findRule } from '../../src/rules/index.js';
import { scanDirectory } from '../../src/scan.js';

const dir = process.argv[2];
const rule = findRule('hardcoded-secret');
if (!dir || !rule) {
  console.error(dir ? 'gate-entry: the hardcoded-secret rule is not registered' : 'usage: gate-secrets.mjs DIR');
  process.exit(2);
}
const result = await scanDirectory(dir, { rules: [rule] });
const findings = result.findings.map((f) => ({ path: f.path, line: f.line, endLine: f.endLine, confidence: f.confidence, message: f.message }));
process.stdout.write(JSON.stringify({ stats: result.stats, findings }));
