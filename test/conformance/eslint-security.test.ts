// eslint-plugin-security's documented checks for the two JavaScript concerns Portcullis shares with it, scored against
// code-injection and command-injection. The snippets are written here from the rules' documentation (the rule names:
// detect-eval-with-expression, "eval(variable) which can allow an attacker to run arbitrary code"; detect-child-process,
// "child_process & non-literal exec()"); none is copied from the plugin's tests. detect-non-literal-require is out of
// scope: `require(x)` loads a module, it runs no string, and Portcullis has no sink for it.
//
// Each case is a flow with a source (it must block), a constant (no finding at all), or a policy difference (a
// non-constant value the function does not show to be untrusted: the plugin reports it as an error; Portcullis
// reports it low with low confidence, never blocking, and the expectation is exactly that).
import { beforeAll, describe, expect, it } from 'vitest';
import { initTreeSitter } from '../../src/parsers/tree-sitter.js';
import { scanFiles } from '../../src/scan.js';

type Expect = 'flow' | 'constant' | 'low';
interface Case {
  check: 'detect-eval-with-expression' | 'detect-child-process';
  code: string;
  expect: Expect;
}

const CP = "const cp = require('child_process');\n";
const route = (body: string, head = CP) => `${head}app.post('/x', (req, res) => {\n${body}\n});\n`;

const CASES: Case[] = [
  // detect-eval-with-expression: an expression, not a literal, given to eval
  { check: 'detect-eval-with-expression', code: route('  eval(req.body.code);'), expect: 'flow' },
  { check: 'detect-eval-with-expression', code: route('  const code = req.query.c;\n  eval(code);'), expect: 'flow' },
  { check: 'detect-eval-with-expression', code: route('  eval("(" + req.body.json + ")");'), expect: 'flow' },
  { check: 'detect-eval-with-expression', code: route('  eval(`var x = ${req.params.v}`);'), expect: 'flow' },
  { check: 'detect-eval-with-expression', code: route('  const { expr } = req.body;\n  res.send(String(eval(expr.trim())));'), expect: 'flow' },
  { check: 'detect-eval-with-expression', code: route('  window.eval(req.query.c);'), expect: 'flow' },
  { check: 'detect-eval-with-expression', code: `${CP}const input = process.argv[2];\neval(input);\n`, expect: 'flow' },
  { check: 'detect-eval-with-expression', code: route("  eval('var x = 1');"), expect: 'constant' },
  { check: 'detect-eval-with-expression', code: route('  eval(`1 + 2`);'), expect: 'constant' },
  { check: 'detect-eval-with-expression', code: route("  const CODE = 'x = 1';\n  eval(CODE + ';');"), expect: 'constant' },
  { check: 'detect-eval-with-expression', code: 'function run(src) {\n  return eval(src);\n}\n', expect: 'low' },
  { check: 'detect-eval-with-expression', code: 'const src = load();\neval(src);\n', expect: 'low' },
  // detect-child-process: child_process's exec with a non-literal command
  { check: 'detect-child-process', code: route('  cp.exec(req.body.cmd);'), expect: 'flow' },
  { check: 'detect-child-process', code: route('  cp.exec("git log " + req.query.branch);'), expect: 'flow' },
  { check: 'detect-child-process', code: route('  cp.execSync(`ping -c 1 ${req.body.host}`);'), expect: 'flow' },
  { check: 'detect-child-process', code: route("  exec('convert ' + req.params.file + ' out.png');", "const { exec } = require('child_process');\n"), expect: 'flow' },
  { check: 'detect-child-process', code: route('  run(`tar xf ${req.query.f}`);', "import { exec as run } from 'node:child_process';\n"), expect: 'flow' },
  { check: 'detect-child-process', code: route('  const host = req.body.host;\n  const cmd = "nslookup " + host;\n  cp.exec(cmd, () => {});'), expect: 'flow' },
  { check: 'detect-child-process', code: route("  require('child_process').exec(req.query.cmd);", ''), expect: 'flow' },
  { check: 'detect-child-process', code: route("  cp.spawn('sh', ['-c', req.query.cmd], { shell: true });"), expect: 'flow' },
  { check: 'detect-child-process', code: `${CP}cp.execSync('npm test ' + process.argv.slice(2).join(' '));\n`, expect: 'flow' },
  { check: 'detect-child-process', code: route("  cp.exec('ls -la');"), expect: 'constant' },
  { check: 'detect-child-process', code: route("  const LS = 'ls';\n  cp.exec(`${LS} -la`);"), expect: 'constant' },
  { check: 'detect-child-process', code: route("  cp.execFile('ls', [req.query.dir]);"), expect: 'constant' },
  { check: 'detect-child-process', code: route("  cp.spawn('git', ['log', req.query.branch]);"), expect: 'constant' },
  { check: 'detect-child-process', code: `${CP}function sh(cmd) {\n  return cp.execSync(cmd);\n}\n`, expect: 'low' },
];

beforeAll(() => initTreeSitter());

function verdict(code: string): Expect | 'none' | string {
  const found = scanFiles({ 'src/app.js': code }).findings.filter((f) => f.ruleId === 'code-injection' || f.ruleId === 'command-injection');
  if (found.length === 0) return 'constant';
  if (found.every((f) => f.severity === 'critical' && f.confidence === 'high')) return 'flow';
  if (found.every((f) => f.severity === 'low' && f.confidence === 'low')) return 'low';
  return found.map((f) => `${f.severity}/${f.confidence}`).join(',');
}

describe('eslint-plugin-security documented examples', () => {
  it('recalls at least 95% of the flows with a source, reports no constant argument, and reports the rest low', () => {
    const rows = CASES.map((c) => ({ ...c, got: verdict(c.code) }));
    const table = ['check | expect | flows found | constants silent | low', '--- | --- | --- | --- | ---'];
    for (const check of ['detect-eval-with-expression', 'detect-child-process'] as const) {
      const mine = rows.filter((r) => r.check === check);
      const count = (e: Expect) => `${mine.filter((r) => r.expect === e && r.got === e).length}/${mine.filter((r) => r.expect === e).length}`;
      table.push(`${check} | ${mine.length} cases | ${count('flow')} | ${count('constant')} | ${count('low')}`);
    }
    console.log(`\neslint-plugin-security conformance\n${table.join('\n')}\n`);
    const flows = rows.filter((r) => r.expect === 'flow');
    const recalled = flows.filter((r) => r.got === 'flow');
    expect(recalled.length / flows.length, flows.filter((r) => r.got !== 'flow').map((r) => r.code).join('\n---\n')).toBeGreaterThanOrEqual(0.95);
    expect(rows.filter((r) => r.expect === 'constant' && r.got !== 'constant').map((r) => r.code)).toEqual([]);
    expect(rows.filter((r) => r.expect === 'low' && r.got !== 'low').map((r) => `${r.got}: ${r.code}`)).toEqual([]);
  });
});
