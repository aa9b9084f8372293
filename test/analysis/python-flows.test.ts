import { beforeAll, describe, expect, it } from 'vitest';
import type { CodeFlow } from '../../src/analysis/code/flow.js';
import { analysePython } from '../../src/analysis/code/python.js';
import { initTreeSitter, withTree } from '../../src/parsers/tree-sitter.js';
import codeInjection from '../../src/rules/code/code-injection.js';
import commandInjection from '../../src/rules/code/command-injection.js';
import unsafeDeserialization from '../../src/rules/code/unsafe-deserialization.js';
import { deepPython } from '../hostile/generate.mjs';

beforeAll(() => initTreeSitter());

function flowsOf(source: string): CodeFlow[] {
  const out = withTree('python', source, (tree) => analysePython(tree.rootNode));
  if (!out.ok) throw new Error(`not parsed: ${out.reason}`);
  return out.value;
}

/** A step as a reader sees it in code scanning: what happens and on which line. */
const stepText = (s: CodeFlow['steps'][number]): string => `${s.label} (line ${s.at.line})`;

/** Each flow as `rule callee @line <- source` (or `<- ?` without one): what a reader checks first. */
const brief = (source: string): string[] =>
  flowsOf(source).map((f) => `${f.rule} ${f.sink.callee} @${f.sink.at.line} <- ${f.source ? f.source.label : '?'}`);

const flask = (body: string) => `import os, subprocess, pickle, yaml, shlex\nfrom flask import Flask, request, abort\napp = Flask(__name__)\n\n@app.route("/x")\ndef view():\n${body.replace(/^/gm, '    ')}\n`;

describe('Python sinks', () => {
  it.each([
    ['eval', 'eval(request.args["e"])', 'code-injection eval'],
    ['exec', 'exec(request.form["code"])', 'code-injection exec'],
    ['compile', 'compile(request.data, "<x>", "exec")', 'code-injection compile'],
    ['__import__', '__import__(request.args["m"])', 'code-injection __import__'],
    ['os.system', 'os.system("ls " + request.args["d"])', 'command-injection os.system'],
    ['os.popen', 'os.popen(request.values["c"]).read()', 'command-injection os.popen'],
    ['subprocess shell=True', 'subprocess.call(request.json["c"], shell=True)', 'command-injection subprocess.call'],
    ['Popen shell=True list', 'subprocess.Popen(["ls " + request.args["d"]], shell=True)', 'command-injection subprocess.Popen'],
    ['getoutput', 'subprocess.getoutput(request.args["c"])', 'command-injection subprocess.getoutput'],
    ['create_subprocess_shell', 'asyncio.create_subprocess_shell(request.args["c"])', 'command-injection asyncio.create_subprocess_shell'],
    ['pickle.loads', 'pickle.loads(request.data)', 'unsafe-deserialization pickle.loads'],
    ['yaml.load', 'yaml.load(request.data)', 'unsafe-deserialization yaml.load'],
    ['yaml.load FullLoader', 'yaml.load(request.data, Loader=yaml.FullLoader)', 'unsafe-deserialization yaml.load'],
    ['yaml.load_all Loader positional', 'yaml.load_all(request.data, yaml.Loader)', 'unsafe-deserialization yaml.load_all'],
    ['yaml.unsafe_load', 'yaml.unsafe_load(request.get_data())', 'unsafe-deserialization yaml.unsafe_load'],
    ['torch.load weights_only=False', 'torch.load(request.files["m"], weights_only=False)', 'unsafe-deserialization torch.load'],
    ['jsonpickle.decode', 'jsonpickle.decode(request.json["state"])', 'unsafe-deserialization jsonpickle.decode'],
    ['marshal.loads', 'marshal.loads(request.data)', 'unsafe-deserialization marshal.loads'],
  ])('%s with request data is a flow from the request', (_name, line, expected) => {
    const [flow, ...rest] = brief(flask(line));
    expect(rest).toEqual([]);
    expect(flow).toMatch(new RegExp(`^${expected.replace(/\./g, '\\.')} @7 <- Flask request data`));
  });

  it('resolves import aliases and does not take methods or shadowed names for the builtins', () => {
    const src = [
      'import subprocess as sp', 'from os import system', 'from yaml import load', 'import cPickle as pk', 'import re', 'import sys',
      'arg = sys.argv[1]',
      'sp.check_output(arg, shell=True)', 'system(arg)', 'load(arg)', 'pk.loads(arg)',
      're.compile(arg)', 'self.eval(arg)', 'obj.exec(arg)', 'yaml.load(arg)',
    ].join('\n');
    expect(brief(src)).toEqual([
      'command-injection subprocess.check_output @8 <- command-line argument `sys.argv`',
      'command-injection os.system @9 <- command-line argument `sys.argv`',
      'unsafe-deserialization yaml.load @10 <- command-line argument `sys.argv`',
      'unsafe-deserialization cPickle.loads @11 <- command-line argument `sys.argv`',
      // `yaml` is not imported here under that name, but the call reads as yaml.load all the same
      'unsafe-deserialization yaml.load @15 <- command-line argument `sys.argv`',
    ]);
    expect(brief('def eval(s):\n    return s\n\neval(input())\n')).toEqual([]);
    expect(brief('from mylib import compile\ncompile(input())\n')).toEqual([]);
  });

  it('never reports constant arguments, safe loaders, argument lists or calls without a shell', () => {
    const src = flask([
      'host = request.args["host"]',
      'os.system("uptime")',
      'os.system("ping " + "-c 1 " + "localhost")',
      'CMD = "ls -l"',
      'os.system(CMD)',
      'subprocess.run(["ping", "-c", "1", host])',
      'subprocess.run("ping " + host)',
      'subprocess.run("ping " + host, shell=False)',
      'subprocess.check_output(f"ping {host}", shell=use_shell)',
      'yaml.load(request.data, Loader=yaml.SafeLoader)',
      'yaml.load(request.data, Loader=yaml.CSafeLoader)',
      'yaml.load(request.data, yaml.BaseLoader)',
      'yaml.safe_load(request.data)',
      'eval("1 + 2")',
      'exec(f"x = {1}")',
      'torch.load(request.files["m"])',
      'yaml.load(request.data, Loader=yaml_file.Loader)',
      'yaml.load(request.data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))',
    ].join('\n'));
    expect(brief(src)).toEqual([]);
  });

  it('reports a non-constant argument with no source seen, without a source', () => {
    const flows = flowsOf('import pickle\n\ndef load(path):\n    with open(path, "rb") as fh:\n        return pickle.load(fh)\n');
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ rule: 'unsafe-deserialization', sink: { callee: 'pickle.load', at: { line: 5, column: 16 } }, fix: expect.stringMatching(/json/) });
    expect(flows[0]!.source).toBeUndefined();
    expect(flows[0]!.steps.map(stepText)).toEqual(['reaches `pickle.load` (line 5)']);
  });

  it('gives the fix in Python for each kind of sink', () => {
    const fixes = flowsOf(flask('eval(request.args["a"])\nos.system(request.args["b"])\nyaml.load(request.data)\npickle.loads(request.data)')).map((f) => f.fix);
    expect(fixes[0]).toMatch(/ast\.literal_eval/);
    expect(fixes[1]).toContain('subprocess.run(["ping", host])');
    expect(fixes[2]).toContain('yaml.safe_load');
    expect(fixes[3]).toMatch(/`json` instead of `pickle`/);
  });
});

describe('Python sources', () => {
  it('reads Flask request data through any alias, and get_json()', () => {
    expect(brief('import flask\nimport os\n\ndef v():\n    os.system(flask.request.args["a"])\n')).toEqual(['command-injection os.system @5 <- Flask request data `flask.request.args`']);
    expect(brief('from flask import request as rq\nimport os\n\ndef v():\n    os.system(rq.get_json()["c"])\n')).toEqual(['command-injection os.system @5 <- Flask request data `rq.get_json()`']);
  });

  it('does not take a local variable called request for Flask\'s', () => {
    const src = 'import os, urllib.request\nfrom flask import request\n\ndef fetch(url):\n    request = urllib.request.Request(url)\n    os.system(request.data)\n';
    expect(brief(src)).toEqual(['command-injection os.system @6 <- ?']);
  });

  it('reads Python 2 exec statements', () => {
    expect(brief('import sys\ncode = sys.argv[1]\nexec code\n')).toEqual(['code-injection exec @3 <- command-line argument `sys.argv`']);
  });

  it('reads Django request data in views, including class-based ones', () => {
    const src = [
      'import os, pickle, base64',
      'def view(request, slug):',
      '    token = base64.b64decode(request.COOKIES["t"])',
      '    pickle.loads(token)',
      '    os.system("echo " + request.GET.get("q"))',
      'class V(View):',
      '    def post(self, request):',
      '        eval(request.POST["expr"])',
      '        exec(self.request.body)',
    ].join('\n');
    expect(brief(src)).toEqual([
      'unsafe-deserialization pickle.loads @4 <- request data `request.COOKIES`',
      'command-injection os.system @5 <- request data `request.GET`',
      'code-injection eval @8 <- request data `request.POST`',
      'code-injection exec @9 <- request data `self.request.body`',
    ]);
  });

  it('reads FastAPI handler parameters, but not the request object, dependencies or validated numbers', () => {
    const src = [
      'import os',
      'from fastapi import FastAPI, Depends, Request',
      'router = APIRouter()',
      '@router.post("/run/{host}")',
      'async def run(host: str, count: int, request: Request, db: Session = Depends(get_db)):',
      '    os.system(f"ping -c {count} {host}")',
      '    os.system(f"ping -c {count}")',
      '    os.system(db)',
      '    body = await request.json()',
      '    eval(body["expr"])',
      '    exec(request.query_params["c"])',
    ].join('\n');
    expect(brief(src)).toEqual([
      'command-injection os.system @6 <- route parameter `host`',
      'command-injection os.system @8 <- ?',
      'code-injection eval @10 <- request data `request.json()`',
      'code-injection exec @11 <- request data `request.query_params`',
    ]);
  });

  it('reads Flask path parameters, except those a converter makes numbers', () => {
    const src = '@app.route("/u/<int:uid>/<name>")\ndef u(uid, name):\n    os.system("id %s" % uid)\n    os.system("id %s" % name)\n';
    expect(brief(`import os\n${src}`)).toEqual(['command-injection os.system @5 <- route parameter `name`']);
  });

  it('takes Optional, Annotated and Literal annotations for what they validate to', () => {
    const src = [
      'import os',
      '@app.get("/x")',
      'def x(a: Optional[int] = None, b: int | None = None, c: Annotated[int, Query()] = 1, d: Literal["a", "b"] = "a", e: Annotated[str, Query()] = ""):',
      '    os.system(f"echo {a} {b} {c} {d}")',
      '    os.system(f"echo {e}")',
    ].join('\n');
    expect(brief(src)).toEqual(['command-injection os.system @5 <- route parameter `e`']);
  });

  it('reads sys.argv and input(), and does not take a plain function parameter for input', () => {
    const src = 'import os, sys\nos.system(input("cmd? "))\nos.system("ls " + sys.argv[1])\n\ndef f(cmd):\n    os.system(cmd)\n';
    expect(brief(src)).toEqual([
      'command-injection os.system @2 <- user input `input("cmd? ")`',
      'command-injection os.system @3 <- command-line argument `sys.argv`',
      'command-injection os.system @6 <- ?',
    ]);
  });

  it('does not take a decorator named get for a route', () => {
    expect(brief('import os\n@cache.get(timeout=5)\ndef f(cmd):\n    os.system(cmd)\n')).toEqual(['command-injection os.system @4 <- ?']);
  });
});

describe('Python taint within a function', () => {
  it('follows assignments, tuple unpacking, +=, f-strings, %, .format, +, .join, subscripts and wrappers', () => {
    const src = flask([
      'host = request.args.get("host", "").strip().lower()', // 7
      'a, b = host, "-c 1"', // 8
      'cmd = "ping "', // 9
      'cmd += a', // 10
      'os.system(cmd)', // 11
      'os.system(f"ping {b}")', // 12: b is constant
      'os.system("ping %s" % str(a))', // 13
      'os.system("ping {}".format(host))', // 14
      'os.system(" ".join(["ping", host]))', // 15
      'data = request.get_json()', // 16
      'os.system(data["cmd"]["x"])', // 17
      'parts = [p for p in request.args.getlist("p")]', // 18
      'os.system(parts[0])', // 19
      'x, *rest = request.args["a"].split()', // 20
      'os.system(rest[0])', // 21
      'if (w := request.args.get("w")):', // 22
      '    os.system(w)', // 23
      '[os.system(c) for c in request.args.getlist("c")]', // 24
      'os.system(c)', // 25: c was the comprehension's own
    ].join('\n'));
    expect(brief(src).map((f) => f.split(' <- ')[0])).toEqual([11, 13, 14, 15, 17, 19, 21, 23, 24, 25].map((l) => expect.stringMatching(new RegExp(`@${l}$`))));
    expect(brief(src).at(-1)).toMatch(/@25 <- \?$/);
  });

  it('names the source, each step and the sink with their lines, source first', () => {
    const [flow] = flowsOf(flask('host = request.args["host"]\ncmd = f"ping {host}"\nos.system(cmd)'));
    expect(flow!.steps.map(stepText)).toEqual([
      'Flask request data `request.args` (line 7)',
      'assigned to `host` (line 7)',
      'f-string (line 8)',
      'assigned to `cmd` (line 8)',
      'reaches `os.system` (line 9)',
    ]);
    expect(flow!.steps.map((s) => s.at.line)).toEqual([7, 7, 8, 8, 9]);
    expect(flow!.source).toEqual(flow!.steps[0]);
    expect(flow!.sink.at).toEqual({ line: 9, column: 5, endLine: 9, endColumn: 19 });
  });

  it('ends the flow at sanitisers: shlex.quote, int, float, bool, uuid.UUID', () => {
    const src = flask([
      'h = request.args["h"]',
      'os.system("ping " + shlex.quote(h))',
      'os.system("sleep %d" % int(h))',
      'os.system(f"sleep {float(h)}")',
      'os.system("x" if bool(h) else "y")',
      'import uuid',
      'os.system("rm /tmp/" + str(uuid.UUID(h)))',
      'n = int(h)',
      'os.system(f"seq {n}")',
      'COMMANDS = {"up": "uptime", "disk": "df -h"}',
      'os.system(COMMANDS[h])',
      'os.system(COMMANDS.get(h, "true"))',
      'os.system("sleep %s" % request.args.get("n", type=int))',
      'os.system("echo " + shlex.join(["a", h]))',
    ].join('\n'));
    expect(brief(src)).toEqual([]);
  });

  it('ends the flow at an allow-list check before the use', () => {
    const src = flask([
      'h = request.args["h"]',
      'if h in ALLOWED:',
      '    os.system("ping " + h)', // 9: inside the check
      'os.system("ping " + h)', // 10: after it, still input
      'if h not in ALLOWED:',
      '    abort(400)',
      'os.system("ping " + h)', // 13: after a leaving check
    ].join('\n'));
    expect(brief(src)).toEqual(['command-injection os.system @10 <- Flask request data `request.args`']);
    const leaves = (exit: string) => brief(flask(`h = request.args["h"]\nif not h in ALLOWED or x:\n    ${exit}\nos.system(h)`));
    for (const exit of ['return', 'raise ValueError(h)', 'return abort(403)']) expect(leaves(exit)).toEqual([]);
    // A check that does not leave, or that only might hold, ends nothing.
    expect(brief(flask('h = request.args["h"]\nif h not in ALLOWED:\n    log(h)\nos.system(h)'))).toHaveLength(1);
    expect(brief(flask('h = request.args["h"]\nif h in ALLOWED or debug:\n    os.system(h)'))).toHaveLength(1);
    expect(brief(flask('h = request.args["h"]\nif h in request.args:\n    os.system(h)'))).toHaveLength(1);
  });

  it('keeps input that only one branch replaces, and drops it when every path replaces it', () => {
    const branches = flask('x = request.args["x"]\nif c:\n    x = "safe"\nos.system(x)');
    expect(brief(branches)).toEqual(['command-injection os.system @10 <- Flask request data `request.args`']);
    const both = flask('if c:\n    x = request.args["x"]\nelse:\n    x = "safe"\nx = "ls"\nos.system(x)');
    expect(brief(both)).toEqual([]);
    const elseBranch = flask('if c:\n    x = "a"\nelse:\n    x = request.args["x"]\nos.system(x)');
    expect(brief(elseBranch)).toHaveLength(1);
  });

  it('keeps each function to itself, but lets a nested function see what its enclosing one holds', () => {
    const src = flask('cmd = request.args["c"]\ndef inner():\n    os.system(cmd)\ninner()');
    expect(brief(src)).toEqual(['command-injection os.system @9 <- Flask request data `request.args`']);
    expect(brief('import os\ndef a(request):\n    x = request.GET["x"]\n\ndef b():\n    os.system(x)\n')).toEqual(['command-injection os.system @6 <- ?']);
  });
});

describe('hostile Python', () => {
  it('survives damaged trees: a chained assignment that ends without a value', () => {
    expect(brief('import os\nx = y: int\nos.system(x)\n')).toEqual(['command-injection os.system @3 <- ?']);
  });

  it('does not recurse through 20,000-deep assignment targets', () => {
    const n = 20_000;
    expect(brief(`import os, sys\n${'('.repeat(n)}x${')'.repeat(n)} = sys.argv[1]\n${'['.repeat(n)}y${']'.repeat(n)} = sys.argv[1]\nos.system(x)\n`)).toEqual(['command-injection os.system @4 <- ?']);
  });

  it('gets through the hostile corpus\'s deep/nested.py and still finds the flow after it', () => {
    const text = deepPython();
    expect(brief(text)).toEqual(['command-injection os.system @9 <- Flask request data `request.args`']);
  });

  it('analyses 20,000 levels of nesting without a crash', () => {
    const n = 20_000;
    expect(brief(`import os\nos.system(${'('.repeat(n)}x${')'.repeat(n)})\n`)).toEqual(['command-injection os.system @2 <- ?']);
    expect(brief(`import os\nos.system(${'f('.repeat(n)}x${')'.repeat(n)})\n`)).toEqual(['command-injection os.system @2 <- ?']);
    // Past the depth the analyser reads, a value is not known to be constant: reported without a source.
    expect(brief(`import os\nx = ${'['.repeat(n)}1${']'.repeat(n)}\nos.system(x)\n`)).toEqual(['command-injection os.system @3 <- ?']);
    const chain = `import os\nfrom flask import request\nos.system("a"${' + x'.repeat(n)} + request.args["h"])\n`;
    expect(brief(chain)).toEqual(['command-injection os.system @3 <- Flask request data `request.args`']);
  });
});

/** The Python examples for the three rule files (the rules' own example test runs them once they are there). */
/** The rule files' Python examples (the engine runs them all in test/rules.test.ts; here: each is a flow from a source). */
const RULE_EXAMPLES = Object.fromEntries(
  [codeInjection, commandInjection, unsafeDeserialization].map((rule) => [
    rule.id,
    {
      bad: rule.examples.bad.filter((e) => e.path.endsWith('.py')).map((e) => e.text),
      good: rule.examples.good.filter((e) => e.path.endsWith('.py')).map((e) => e.text),
    },
  ]),
);

describe('the Python examples for the rule files', () => {
  for (const [rule, { bad, good }] of Object.entries(RULE_EXAMPLES)) {
    it(`${rule}: each bad example is one flow from a source, each good example none`, () => {
      expect(bad.length).toBeGreaterThanOrEqual(2);
      for (const src of bad) {
        const flows = flowsOf(src);
        expect(flows.map((f) => [f.rule, Boolean(f.source)]), src).toEqual([[rule, true]]);
      }
      for (const src of good) expect(flowsOf(src), src).toEqual([]);
    });
  }
});
