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
    ],
  },
  reads: ['code'],
  check(doc, ctx) {
    reportFlows(doc, 'code-injection', ctx, { harm: 'which runs it as code, so whoever controls it runs any code in the process' });
  },
} satisfies Rule<CodeDoc>;
