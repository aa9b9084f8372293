// The JavaScript/TypeScript analyser on its own: which calls are sinks (resolved through require/import aliases),
// which values are sources, constants or sanitised, and the steps a flow takes.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseJavaScript } from '../../src/analysis/code/javascript.js';
import type { CodeFlow } from '../../src/analysis/code/flow.js';
import { initTreeSitter, withTree, type Grammar } from '../../src/parsers/tree-sitter.js';

beforeAll(() => initTreeSitter());

function flows(text: string, grammar: Grammar = 'javascript'): CodeFlow[] {
  const out = withTree(grammar, text, (tree) => analyseJavaScript(tree.rootNode));
  if (!out.ok) throw new Error(out.reason);
  return out.value;
}
const summary = (text: string, grammar?: Grammar) =>
  flows(text, grammar).map((f) => `${f.rule} ${f.sink.callee} L${f.sink.at.line} ${f.source ? `from L${f.source.at.line}` : 'unknown'}`);

const handler = (body: string, head = "const cp = require('child_process');") => `${head}\napp.get('/x', (req, res) => {\n${body}\n});\n`;

describe('JavaScript sinks resolve through require and import aliases', () => {
  it.each([
    ["const cp = require('child_process');", 'cp.exec(req.query.d)'],
    ["const { exec } = require('node:child_process');", 'exec(req.query.d)'],
    ["const { exec: run } = require('child_process');", 'run(req.query.d)'],
    ["import { exec as run } from 'node:child_process';", 'run(req.query.d)'],
    ["import * as cp from 'child_process';", 'cp.execSync(req.query.d)'],
    ["import cp from 'child_process';", 'cp.execSync(req.query.d)'],
    ["const exec = require('child_process').exec;", 'exec(req.query.d)'],
    ["const run = util.promisify(require('child_process').exec);", 'await run(req.query.d)'],
    ['', "require('child_process').exec(req.query.d)"],
  ])('%s %s', (head, call) => {
    expect(summary(handler(`  ${call};`, head))).toEqual([expect.stringMatching(/^command-injection child_process\.exec(Sync)? L3 from L3$/)]);
  });

  it('a local function named like a sink is not one, and an unimported exec is not child_process', () => {
    expect(summary(handler('  exec(req.query.d);', 'function exec(x) {}'))).toEqual([]);
    expect(summary(handler('  exec(req.query.d);', ''))).toEqual([]);
    expect(summary(handler('  const re = /a/; re.exec(req.query.d);', ''))).toEqual([]);
  });

  it('finds the code sinks: eval, Function, vm, timers with strings', () => {
    const text = handler(
      [
        '  eval(req.body.code);',
        '  new Function("a", req.body.code);',
        '  Function(req.body.code)();',
        '  vm.runInNewContext(req.body.code, {});',
        '  new vm.Script(req.body.code);',
        '  setTimeout("run(" + req.query.x + ")", 10);',
        '  setTimeout(() => run(req.query.x), 10);',
        '  setTimeout(tick, 10);',
      ].join('\n'),
      "const vm = require('vm');",
    );
    expect(summary(text)).toEqual([
      'code-injection eval L3 from L3',
      'code-injection Function L4 from L4',
      'code-injection Function L5 from L5',
      'code-injection vm.runInNewContext L6 from L6',
      'code-injection vm.Script L7 from L7',
      'code-injection setTimeout L8 from L8',
    ]);
  });

  it('spawn, execFile and execa run a shell only with a shell option', () => {
    const text = handler(
      [
        "  cp.spawn('ls', [req.query.d]);",
        "  cp.spawn('ls', [req.query.d], { shell: true });",
        '  cp.execFile(req.query.d, [], { shell: false });',
        "  execa('ls ' + req.query.d, { shell: true });",
      ].join('\n'),
      "const cp = require('child_process'); const { execa } = require('execa');",
    );
    expect(summary(text)).toEqual(['command-injection child_process.spawn L4 from L4', 'command-injection execa.execa L6 from L6']);
  });

  it('finds node-serialize and js-yaml, not js-yaml under a safe schema or safeLoad', () => {
    const text = handler(
      [
        '  s.unserialize(req.cookies.p);',
        '  yaml.load(req.body.doc);',
        '  yaml.load(req.body.doc, { schema: yaml.JSON_SCHEMA });',
        '  yaml.safeLoad(req.body.doc);',
      ].join('\n'),
      "const s = require('node-serialize'); const yaml = require('js-yaml');",
    );
    expect(summary(text)).toEqual(['unsafe-deserialization node-serialize.unserialize L3 from L3', 'unsafe-deserialization js-yaml.load L4 from L4']);
  });
});

describe('JavaScript taint within a function', () => {
  it('follows assignments, template strings, concatenation, destructuring and wrappers, naming each step', () => {
    const text = handler(['  const { dir } = req.query;', '  let cmd = `ls ${String(dir).trim()}`;', "  cmd = cmd + ' -l';", '  cp.exec(cmd);'].join('\n'));
    const [flow] = flows(text);
    expect(flow!.source!.label).toBe('request data `req.query.dir`');
    expect(flow!.steps.map((s) => [s.at.line, s.label])).toEqual([
      [3, 'request data `req.query.dir`'],
      [3, 'destructured into `dir`'],
      [4, 'assigned to `cmd`'],
      [5, 'assigned to `cmd`'],
      [6, 'reaches `child_process.exec`'],
    ]);
  });

  it('reads the frameworks\' request parameters', () => {
    const head = "import { exec } from 'child_process';";
    const cases = [
      `${head}\nrouter.get('/', async (ctx) => { exec(ctx.request.query.d); });`,
      `${head}\nfastify.get('/', async (request, reply) => { exec(request.params.d); });`,
      `${head}\nexport async function GET(request: NextRequest) { exec(request.nextUrl.searchParams.get('d')!); }`,
      `${head}\nexport async function POST(request: Request) { const { d } = await request.json(); exec(d); }`,
      `${head}\napp.get('/', (c) => { exec(c.req.query('d')); });`,
      `${head}\nfunction h(req) { const { query } = req; exec(query.d); }`,
      `${head}\nexec('git log ' + process.argv[2]);`,
      `${head}\nclass C { @Get() list(@Query('dir') dir: string) { exec(\`ls \${dir}\`); } }`,
    ];
    for (const text of cases) expect(summary(text, 'typescript'), text).toEqual([expect.stringMatching(/from L2$/)]);
  });

  it('never reports constants, and reports other non-constant values without a source', () => {
    const text = handler(
      [
        "  const LS = 'ls';",
        "  cp.exec(LS + ' -l');",
        '  cp.exec(`ls -la`);',
        "  cp.exec('ls' + ' ' + '-l');",
        '  cp.exec(`ls -n ${Number(req.query.n)}`);',
        '  cp.exec(`ls ${parseInt(req.query.n, 10)}`);',
        '  cp.exec(buildCommand(req.query.d));',
      ].join('\n'),
    );
    expect(summary(text)).toEqual(['command-injection child_process.exec L9 unknown']);
  });

  it('an allow-list check ends the flow', () => {
    const text = handler(["  const dir = req.query.dir;", '  if (!ALLOWED.includes(dir)) return res.sendStatus(400);', '  cp.exec(`ls ${dir}`);'].join('\n'));
    expect(summary(text)).toEqual([]);
  });

  it('a parameter of a function that is not a handler is of unknown origin', () => {
    expect(summary("const cp = require('child_process');\nfunction run(cmd, req) { cp.exec(cmd); cp.exec(req.query.x); }\n")).toEqual([
      'command-injection child_process.exec L2 unknown',
      'command-injection child_process.exec L2 from L2',
    ]);
  });

  it('survives deep nesting without recursion, and analyses files with syntax errors', () => {
    const deep = `const cp = require('child_process');\nconst x = ${'['.repeat(20000)}1${']'.repeat(20000)};\ncp.exec(x);\n`;
    expect(flows(deep).length).toBeLessThanOrEqual(1);
    expect(summary(`${handler('  cp.exec(req.query.d);')}function (( {\n`)).toEqual(['command-injection child_process.exec L3 from L3']);
  });
});
