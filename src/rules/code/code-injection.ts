import { reportFlows } from '../../analysis/code/report.js';
import type { Rule } from '../../core/types.js';
import type { CodeDoc } from '../../parsers/code.js';

export default {
  id: 'code-injection',
  title: 'Untrusted input run as code',
  severity: 'critical',
  area: 'code',
  summary:
    'Application code runs a string built from request data or command-line arguments as code (`eval`, `new Function`, ' +
    '`vm.runIn*Context`, `new vm.Script`, `setTimeout`/`setInterval` with a string; Python `eval`, `exec`, `compile`, `__import__`).',
  rationale:
    'Whoever controls the string runs any code in the process: read files and secrets, open a shell, pivot inward. Node\'s `vm` module ' +
    'is no sandbox. The analysis reads one function at a time (with the handler\'s own request parameter) and follows the value through ' +
    'assignments, template strings, concatenation and destructuring; `Number(…)`, `parseInt` and an allow-list check end the flow. A flow ' +
    'from a source is critical and blocks; a non-constant argument of unknown origin is reported low with low confidence and never blocks ' +
    'by default; a constant is never reported.',
  fix:
    'Never run data as code. Parse it (`JSON.parse` in JavaScript, `ast.literal_eval` for Python literals), or map the input to a fixed ' +
    'set of functions; pass `setTimeout` a function, not a string.',
  references: [
    'https://owasp.org/www-community/attacks/Code_Injection',
    'https://cwe.mitre.org/data/definitions/95.html',
    'https://nodejs.org/api/vm.html#vm-executing-javascript',
  ],
  examples: {
    bad: [
      {
        path: 'src/calc.js',
        text: "app.post('/calc', (req, res) => {\n  const expr = req.body.expr;\n  res.json({ result: eval(expr) });\n});\n",
        line: 3,
      },
      {
        path: 'src/sandbox.ts',
        text:
          "import vm from 'node:vm';\n" +
          'router.post(\'/run\', async (ctx) => {\n' +
          '  const script = new vm.Script(`(${ctx.request.body.code})`);\n' +
          '  ctx.body = script.runInNewContext({});\n' +
          '});\n',
        line: 3,
      },
      // Python
      {
        path: 'app/views.py',
        text: "from flask import Flask, request\napp = Flask(__name__)\n\n@app.route(\"/calc\")\ndef calc():\n    return str(eval(request.args[\"expr\"]))\n",
        line: 6,
      },
      {
        path: 'app/views.py',
        text: "import sys\n\nexec(sys.argv[1])\n",
        line: 3,
      },
      {
        path: 'app/views.py',
        text: "def load_plugin(request):\n    return __import__(request.GET[\"plugin\"])\n",
        line: 2,
      },
    ],
    good: [
      {
        path: 'src/calc.js',
        text:
          "app.post('/calc', (req, res) => {\n" +
          '  const data = JSON.parse(req.body.json);\n' +
          "  eval('1 + 1');\n" +
          '  setTimeout(() => res.json(data), Number(req.query.delay));\n' +
          '});\n',
      },
      // Python
      {
        path: 'app/views.py',
        text: "import ast\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.route(\"/calc\")\ndef calc():\n    return str(ast.literal_eval(request.args[\"expr\"]))\n",
      },
      {
        path: 'app/views.py',
        text: "import operator\nOPERATIONS = {\"add\": operator.add, \"sub\": operator.sub}\n\ndef compute(request):\n    return OPERATIONS[request.GET[\"op\"]](1, 2)\n",
      },
      {
        path: 'app/views.py',
        text: "exec(\"import math\")\n",
      },
    ],
  },
  reads: ['code'],
  check(doc, ctx) {
    reportFlows(doc, 'code-injection', ctx, { harm: 'which runs it as code, so whoever controls it runs any code in the process' });
  },
} satisfies Rule<CodeDoc>;
