import { reportFlows } from '../../analysis/code/report.js';
import type { Rule } from '../../core/types.js';
import type { CodeDoc } from '../../parsers/code.js';

export default {
  id: 'command-injection',
  title: 'Shell command built from untrusted input',
  severity: 'critical',
  area: 'code',
  summary:
    'Application code runs a shell command built from request data or command-line arguments (`child_process.exec`, `execSync`, ' +
    '`spawn`/`execFile`/`execa` with `shell: true`; Python `os.system`, `os.popen`, `subprocess` with `shell=True`).',
  rationale:
    'A shell parses the whole string: `;`, `|`, `$(…)` and backticks in the input start commands of the sender\'s choosing with the ' +
    "service's rights. The analysis reads one function at a time (with the handler's own request parameter) and follows the value " +
    'through assignments, template strings, concatenation and destructuring; `Number(…)`, `parseInt`, a shell-quoting function or an ' +
    'allow-list check (`ALLOWED.includes(x)`) end the flow. A flow from a source is critical and blocks. A non-constant command whose ' +
    'origin the function does not show is reported low with low confidence and never blocks by default; a constant command is never reported.',
  fix:
    'Run the program without a shell and pass each argument as its own array element: `execFile(\'ls\', [dir])` in JavaScript, ' +
    '`subprocess.run(["ping", host])` in Python. Check values against an allow-list when only some are valid.',
  references: [
    'https://owasp.org/www-community/attacks/Command_Injection',
    'https://cwe.mitre.org/data/definitions/78.html',
    'https://nodejs.org/api/child_process.html#child_processexeccommand-options-callback',
  ],
  examples: {
    bad: [
      {
        path: 'src/server.js',
        text:
          "const { exec } = require('node:child_process');\n" +
          "app.get('/ls', (req, res) => {\n" +
          '  exec(`ls ${req.query.dir}`, (err, out) => res.send(out));\n' +
          '});\n',
        line: 3,
      },
      {
        path: 'src/run.ts',
        text:
          "import * as cp from 'child_process';\n" +
          'export async function handler(request: Request) {\n' +
          '  const { host } = await request.json();\n' +
          "  return cp.spawnSync('ping -c 1 ' + host, [], { shell: true });\n" +
          '}\n',
        line: 4,
      },
      // Python
      {
        path: 'app/views.py',
        text: "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.get(\"/ping\")\ndef ping():\n    os.system(\"ping -c 1 \" + request.args[\"host\"])\n",
        line: 7,
      },
      {
        path: 'app/views.py',
        text: "import subprocess\n\ndef lookup(request):\n    subprocess.run(f\"dig {request.GET['domain']}\", shell=True)\n",
        line: 4,
      },
      {
        path: 'app/views.py',
        text: "import subprocess\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/whois/{domain}\")\ndef whois(domain: str):\n    return subprocess.getoutput(\"whois \" + domain)\n",
        line: 7,
      },
    ],
    good: [
      {
        path: 'src/server.js',
        text:
          "const { exec, execFile } = require('node:child_process');\n" +
          "app.get('/ls', (req, res) => {\n" +
          "  execFile('ls', [req.query.dir], (err, out) => res.send(out));\n" +
          "  exec('ls -l');\n" +
          '  exec(`ls -n ${Number(req.query.n)}`);\n' +
          '});\n',
      },
      // Python
      {
        path: 'app/views.py',
        text: "import subprocess\nfrom flask import request\n\ndef ping():\n    subprocess.run([\"ping\", \"-c\", \"1\", request.args[\"host\"]], check=False)\n",
      },
      {
        path: 'app/views.py',
        text: "import shlex, subprocess\nfrom flask import request\n\ndef ping():\n    host = request.args[\"host\"]\n    subprocess.run(\"ping -c 1 \" + shlex.quote(host), shell=True)\n",
      },
      {
        path: 'app/views.py',
        text: "import os\nfrom flask import abort, request\nALLOWED_HOSTS = {\"api\", \"db\"}\n\ndef ping():\n    host = request.args[\"host\"]\n    if host not in ALLOWED_HOSTS:\n        abort(400)\n    os.system(\"ping -c 1 \" + host)\n",
      },
    ],
  },
  reads: ['code'],
  check(doc, ctx) {
    reportFlows(doc, 'command-injection', ctx, { harm: 'where a shell parses it, so whoever controls it runs any command on the host' });
  },
} satisfies Rule<CodeDoc>;
