/**
 * Conformance with Bandit's Python checks for the three source-code rules, as a table.
 *
 * Source: Bandit's documentation (bandit.readthedocs.io, "Test Plugins" and "Blacklist Plugins": B102 exec_used,
 * B307 eval (blacklist calls), B301 pickle, B302 marshal, B506 yaml_load, B602 subprocess_popen_with_shell_equals_true,
 * B603 subprocess_without_shell_equals_true, B604 any_other_function_with_shell_equals_true, B605
 * start_process_with_a_shell). B609 (wildcard injection) is out of scope. The snippets are written here from what those
 * pages say each check reports; none is copied from Bandit's examples or tests.
 *
 * Bandit reports every use of a check's call; Portcullis reports a use whose argument can change at run time, and
 * blocks only when input from a request, the command line or `input()` reaches it within the function. Each row says
 * what Bandit reports, what we report (`source`: a flow from input; `no-source`: a low finding; `none`), and where we
 * differ, why. The figures asked of us: at least 95% of the rows with input reaching a Bandit sink found with their
 * source, and no finding on a constant argument.
 */
import { describe, expect, it } from 'vitest';
import { analysePython } from '../../src/analysis/code/python.js';
import { initTreeSitter, withTree } from '../../src/parsers/tree-sitter.js';

type Outcome = 'source' | 'no-source' | 'none';
interface Row {
  check: string;
  code: string;
  /**
   * What reaches the call: input (the recall figure), a constant (the 0-findings figure), a variable of unknown
   * origin, input made safe first, or input given to a call that is not a sink for us.
   */
  kind: 'input' | 'constant' | 'variable' | 'sanitised' | 'not-a-sink';
  ours: Outcome;
  bandit: 'reports' | 'silent';
  difference?: string;
}

const F = 'from flask import request\n';
const CONSTANT = 'Constant argument: nothing outside the code can change what runs, so Portcullis never reports it.';

const ROWS: Row[] = [
  // B102 exec_used: any call of exec
  { check: 'B102', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}def v():\n    exec(request.form["code"])\n` },
  { check: 'B102', kind: 'input', ours: 'source', bandit: 'reports', code: 'import sys\ncode = sys.argv[1]\nexec(code)\n' },
  { check: 'B102', kind: 'input', ours: 'source', bandit: 'reports', code: 'def view(request):\n    src = request.POST.get("src")\n    exec(f"result = {src}", {})\n' },
  { check: 'B102', kind: 'variable', ours: 'no-source', bandit: 'reports', code: 'def run(script):\n    exec(script, {"__builtins__": {}})\n' },
  { check: 'B102', kind: 'constant', ours: 'none', bandit: 'reports', code: 'exec("import math")\n', difference: CONSTANT },
  // B307 eval (blacklist call): suggests ast.literal_eval
  { check: 'B307', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}def calc():\n    return str(eval(request.args.get("expr")))\n` },
  { check: 'B307', kind: 'input', ours: 'source', bandit: 'reports', code: 'expr = input("> ")\nprint(eval(expr))\n' },
  { check: 'B307', kind: 'input', ours: 'source', bandit: 'reports', code: 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/calc")\ndef calc(q: str):\n    return {"v": eval(q)}\n' },
  { check: 'B307', kind: 'input', ours: 'source', bandit: 'reports', code: 'class Calc(View):\n    def get(self, request):\n        value = request.GET["v"].strip()\n        return eval("(" + value + ")")\n' },
  { check: 'B307', kind: 'variable', ours: 'no-source', bandit: 'reports', code: 'def parse(text):\n    return eval(text)\n' },
  { check: 'B307', kind: 'constant', ours: 'none', bandit: 'reports', code: 'x = eval("2 ** 10")\n', difference: CONSTANT },
  { check: 'B307', kind: 'not-a-sink', ours: 'none', bandit: 'silent', code: `${F}import ast\ndef v():\n    return ast.literal_eval(request.args["x"])\n` },
  // B301 pickle: pickle/cPickle load, loads, Unpickler (Bandit's list also covers dill, shelve, jsonpickle, pandas.read_pickle)
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import pickle\ndef v():\n    return pickle.loads(request.data)\n` },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: 'import pickle, base64\ndef view(request):\n    obj = pickle.loads(base64.b64decode(request.COOKIES["session"]))\n' },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import cPickle\ndef v():\n    return cPickle.load(request.files["f"])\n` },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import pickle\ndef v():\n    return pickle.Unpickler(request.stream).load()\n` },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}from pickle import loads as l\ndef v():\n    blob = request.get_data()\n    return l(blob)\n` },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import dill\ndef v():\n    return dill.loads(request.data)\n` },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import jsonpickle\ndef v():\n    return jsonpickle.decode(request.get_json()["state"])\n` },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import shelve\ndef v():\n    return shelve.open(request.args["db"])\n` },
  { check: 'B301', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import pandas as pd\ndef v():\n    return pd.read_pickle(request.files["frame"])\n` },
  { check: 'B301', kind: 'variable', ours: 'no-source', bandit: 'reports', code: 'import pickle\ndef load(path):\n    with open(path, "rb") as f:\n        return pickle.load(f)\n' },
  { check: 'B301', kind: 'constant', ours: 'none', bandit: 'reports', code: 'import pickle\nDEFAULTS = pickle.loads(b"\\x80\\x04K\\x01.")\n', difference: CONSTANT },
  // B302 marshal
  { check: 'B302', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import marshal\ndef v():\n    return marshal.loads(request.data)\n` },
  { check: 'B302', kind: 'input', ours: 'source', bandit: 'reports', code: 'import marshal, sys\ncode = marshal.loads(bytes.fromhex(sys.argv[1]))\n' },
  { check: 'B302', kind: 'constant', ours: 'none', bandit: 'reports', code: 'import marshal\nVERSION = marshal.loads(b"\\xe9\\x01\\x00\\x00\\x00")\n', difference: CONSTANT },
  // B506 yaml_load: yaml.load without SafeLoader/CSafeLoader
  { check: 'B506', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import yaml\ndef v():\n    return yaml.load(request.data)\n` },
  { check: 'B506', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import yaml\ndef v():\n    return yaml.load(request.data, Loader=yaml.Loader)\n` },
  { check: 'B506', kind: 'input', ours: 'source', bandit: 'reports', code: 'import yaml\ndef view(request):\n    return yaml.load(request.FILES["f"], yaml.FullLoader)\n' },
  { check: 'B506', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}from yaml import load, UnsafeLoader\ndef v():\n    return load(request.get_data(), Loader=UnsafeLoader)\n` },
  { check: 'B506', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import yaml\ndef v():\n    return list(yaml.load_all(request.data, Loader=yaml.Loader))\n` },
  { check: 'B506', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import yaml\ndef v():\n    return yaml.unsafe_load(request.data)\n`, difference: 'Bandit matches `yaml.load` only; `unsafe_load` is the same call under its honest name, so we report it too.' },
  { check: 'B506', kind: 'not-a-sink', ours: 'none', bandit: 'silent', code: `${F}import yaml\ndef v():\n    return yaml.load(request.data, Loader=yaml.SafeLoader)\n` },
  { check: 'B506', kind: 'not-a-sink', ours: 'none', bandit: 'silent', code: `${F}import yaml\ndef v():\n    return yaml.load(request.data, Loader=yaml.CSafeLoader)\n` },
  { check: 'B506', kind: 'not-a-sink', ours: 'none', bandit: 'silent', code: `${F}import yaml\ndef v():\n    return yaml.safe_load(request.data)\n` },
  { check: 'B506', kind: 'constant', ours: 'none', bandit: 'reports', code: 'import yaml\nDEFAULTS = yaml.load("a: 1")\n', difference: CONSTANT },
  { check: 'B506', kind: 'variable', ours: 'no-source', bandit: 'reports', code: 'import yaml\ndef read(path):\n    with open(path) as f:\n        return yaml.load(f, Loader=yaml.FullLoader)\n' },
  // B602 subprocess_popen_with_shell_equals_true: severity high when the command is built by formatting
  { check: 'B602', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import subprocess\ndef v():\n    return subprocess.check_output("ping -c 1 " + request.args["host"], shell=True)\n` },
  { check: 'B602', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import subprocess as sp\ndef v():\n    host = request.args.get("host")\n    sp.run(f"nslookup {host}", shell=True)\n` },
  { check: 'B602', kind: 'input', ours: 'source', bandit: 'reports', code: 'import subprocess\ndef view(request):\n    cmd = "dig %s" % request.GET["d"]\n    subprocess.Popen(cmd, shell=True)\n' },
  { check: 'B602', kind: 'input', ours: 'source', bandit: 'reports', code: 'import subprocess, sys\nsubprocess.call("tar czf {}.tgz .".format(sys.argv[1]), shell=True)\n' },
  { check: 'B602', kind: 'input', ours: 'source', bandit: 'reports', code: 'from subprocess import check_call\nname = input()\ncheck_call(["echo " + name], shell=True)\n' },
  { check: 'B602', kind: 'constant', ours: 'none', bandit: 'reports', code: 'import subprocess\nsubprocess.run("ls -l | wc -l", shell=True)\n', difference: CONSTANT },
  { check: 'B602', kind: 'variable', ours: 'no-source', bandit: 'reports', code: 'import subprocess\ndef build(target):\n    subprocess.run(f"make {target}", shell=True, check=True)\n' },
  { check: 'B602', kind: 'sanitised', ours: 'none', bandit: 'reports', code: `${F}import subprocess, shlex\ndef v():\n    subprocess.run("ping -c 1 " + shlex.quote(request.args["host"]), shell=True)\n`, difference: 'Quoted with `shlex.quote`: the value is one word for the shell, which is the documented remedy; Bandit still reports the shell.' },
  // B603 subprocess_without_shell_equals_true: Bandit reports low; an argument list cannot be injected into
  { check: 'B603', kind: 'not-a-sink', ours: 'none', bandit: 'reports', code: `${F}import subprocess\ndef v():\n    subprocess.run(["ping", "-c", "1", request.args["host"]])\n`, difference: 'No shell: the value is one argument of a fixed program, which is the fix we recommend. Argument injection (`-o…` options) is out of scope.' },
  // B604 any_other_function_with_shell_equals_true
  { check: 'B604', kind: 'not-a-sink', ours: 'none', bandit: 'reports', code: `${F}def v():\n    helpers.run_command(request.args["c"], shell=True)\n`, difference: 'An unknown function with `shell=True`: without its code we cannot say it runs a shell; Bandit reports it at medium with low confidence.' },
  // B605 start_process_with_a_shell: os.system, os.popen, popen2, commands
  { check: 'B605', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import os\ndef v():\n    os.system("ping -c 1 " + request.args["host"])\n` },
  { check: 'B605', kind: 'input', ours: 'source', bandit: 'reports', code: `${F}import os\ndef v():\n    return os.popen("whois %s" % request.form["domain"]).read()\n` },
  { check: 'B605', kind: 'input', ours: 'source', bandit: 'reports', code: 'from os import system\nimport sys\nsystem("rm -rf /tmp/" + sys.argv[1])\n' },
  { check: 'B605', kind: 'input', ours: 'source', bandit: 'reports', code: 'import commands\nuser = raw_input()\nprint(commands.getoutput("id " + user))\n' },
  { check: 'B605', kind: 'input', ours: 'source', bandit: 'reports', code: 'import subprocess\nfrom fastapi import APIRouter\nrouter = APIRouter()\n@router.post("/dig")\nasync def dig(domain: str):\n    return subprocess.getoutput(f"dig {domain}")\n' },
  { check: 'B605', kind: 'constant', ours: 'none', bandit: 'reports', code: 'import os\nos.system("uptime")\n', difference: CONSTANT },
  { check: 'B605', kind: 'variable', ours: 'no-source', bandit: 'reports', code: 'import os\ndef clean(path):\n    os.system("rm -rf " + path)\n' },
  { check: 'B605', kind: 'sanitised', ours: 'none', bandit: 'reports', code: `${F}import os\ndef v():\n    n = int(request.args["n"])\n    os.system(f"sleep {n}")\n`, difference: 'Converted with `int()`: a number cannot carry a command.' },
  { check: 'B605', kind: 'sanitised', ours: 'none', bandit: 'reports', code: `${F}import os\nALLOWED = {"web1", "web2"}\ndef v():\n    h = request.args["h"]\n    if h not in ALLOWED:\n        return "no", 400\n    os.system("ping " + h)\n`, difference: 'Checked against an allow-list before use; Bandit does not follow values.' },
];

await initTreeSitter();

function outcome(code: string): Outcome {
  const out = withTree('python', code, (tree) => analysePython(tree.rootNode));
  if (!out.ok) throw new Error(out.reason);
  if (out.value.length === 0) return 'none';
  return out.value.some((f) => f.source) ? 'source' : 'no-source';
}

describe('Bandit conformance (B102, B307, B301, B302, B506, B602–B605)', () => {
  const results = ROWS.map((row) => ({ row, got: outcome(row.code) }));

  it.each(ROWS.map((row, i) => [i + 1, row.check, row] as const))('row %i (%s) gives the outcome the table states', (i, _check, row) => {
    expect(results[i - 1]!.got, row.code).toBe(row.ours);
  });

  it('states a reason wherever our outcome differs from what Bandit reports', () => {
    for (const { row } of results) {
      const banditReports = row.bandit === 'reports';
      if (banditReports !== (row.ours !== 'none')) expect(row.difference, row.code).toBeTruthy();
    }
  });

  it('finds at least 95% of the flows from input into a sink Bandit reports, and nothing on constants', () => {
    const flows = results.filter(({ row }) => row.kind === 'input' && row.bandit === 'reports');
    const found = flows.filter(({ got }) => got === 'source').length;
    const constants = results.filter(({ row }) => row.kind === 'constant');
    console.log(`Bandit conformance: ${found}/${flows.length} flows with a source found; ${constants.filter(({ got }) => got !== 'none').length}/${constants.length} constant rows reported`);
    expect(flows.length).toBeGreaterThanOrEqual(30);
    expect(found / flows.length).toBeGreaterThanOrEqual(0.95);
    expect(constants.length).toBeGreaterThanOrEqual(6);
    for (const { row, got } of constants) expect(got, row.code).toBe('none');
  });
});
