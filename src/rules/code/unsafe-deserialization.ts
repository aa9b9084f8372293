import { reportFlows } from '../../analysis/code/report.js';
import type { Rule } from '../../core/types.js';
import type { CodeDoc } from '../../parsers/code.js';

export default {
  id: 'unsafe-deserialization',
  title: 'Untrusted input deserialized into live objects',
  severity: 'high',
  area: 'code',
  summary:
    'Application code deserializes request data or command-line input with a format that builds functions or arbitrary objects ' +
    '(node-serialize `unserialize`, js-yaml 3 `load`; Python `pickle`, `marshal`, `shelve`, `yaml.load` without a safe Loader, ' +
    '`yaml.unsafe_load`, `jsonpickle.decode`).',
  rationale:
    'These formats carry code, not just data: node-serialize calls functions embedded in the payload, js-yaml 3\'s default schema builds ' +
    '`!!js/function` values, and unpickling calls whatever `__reduce__` names. Deserializing what a request sends runs the sender\'s code. ' +
    "js-yaml's `safeLoad` and version 4's `load` are safe and not reported; when the nearest package.json does not say which js-yaml is " +
    'used, a flow to `load` is medium confidence. A flow from a source is high and blocks; a non-constant argument of unknown origin is ' +
    'reported low with low confidence and never blocks by default; a constant is never reported.',
  fix:
    'Use a data-only format: `JSON.parse` in JavaScript, `json` instead of `pickle` in Python, `yaml.safe_load` in Python and ' +
    '`yaml.safeLoad` (js-yaml 3) or js-yaml 4 in JavaScript.',
  references: [
    'https://owasp.org/www-community/vulnerabilities/Deserialization_of_untrusted_data',
    'https://cwe.mitre.org/data/definitions/502.html',
    'https://github.com/nodeca/js-yaml/blob/master/migrate_v3_to_v4.md',
  ],
  examples: {
    bad: [
      {
        path: 'src/session.js',
        text:
          "const serialize = require('node-serialize');\n" +
          "app.get('/profile', (req, res) => {\n" +
          '  const profile = serialize.unserialize(Buffer.from(req.cookies.profile, "base64").toString());\n' +
          '  res.send(profile.name);\n' +
          '});\n',
        line: 3,
      },
      {
        path: 'src/import.js',
        text: "const yaml = require('js-yaml');\napp.post('/import', (req, res) => res.json(yaml.load(req.body.doc)));\n",
        files: { 'package.json': '{ "dependencies": { "js-yaml": "^3.14.1" } }\n' },
        line: 2,
      },
      // Python
      {
        path: 'app/views.py',
        text: "import base64, pickle\nfrom flask import request\n\ndef session():\n    return pickle.loads(base64.b64decode(request.cookies[\"session\"]))\n",
        line: 5,
      },
      {
        path: 'app/views.py',
        text: "import yaml\nfrom flask import request\n\ndef config():\n    return yaml.load(request.data, Loader=yaml.Loader)\n",
        line: 5,
      },
      {
        path: 'app/views.py',
        text: "import jsonpickle\n\ndef restore(request):\n    return jsonpickle.decode(request.body)\n",
        line: 4,
      },
    ],
    good: [
      {
        path: 'src/import.js',
        text:
          "const yaml = require('js-yaml');\n" +
          "app.post('/import', (req, res) => res.json(yaml.safeLoad(req.body.doc)));\n" +
          "app.post('/json', (req, res) => res.json(yaml.load(req.body.doc, { schema: yaml.JSON_SCHEMA })));\n",
        files: { 'package.json': '{ "dependencies": { "js-yaml": "^3.14.1" } }\n' },
      },
      {
        path: 'src/import.js',
        text: "import yaml from 'js-yaml';\napp.post('/import', (req, res) => res.json(yaml.load(req.body.doc)));\n",
        files: { 'package.json': '{ "dependencies": { "js-yaml": "^4.1.0" } }\n' },
      },
      // Python
      {
        path: 'app/views.py',
        text: "import yaml\nfrom flask import request\n\ndef config():\n    return yaml.safe_load(request.data)\n",
      },
      {
        path: 'app/views.py',
        text: "import json\nfrom flask import request\n\ndef session():\n    return json.loads(request.cookies[\"session\"])\n",
      },
      {
        path: 'app/views.py',
        text: "import yaml\nfrom flask import request\n\ndef config():\n    return yaml.load(request.data, Loader=yaml.SafeLoader)\n",
      },
    ],
  },
  reads: ['code'],
  check(doc, ctx) {
    reportFlows(doc, 'unsafe-deserialization', ctx, { harm: 'which can build functions and objects from it, so whoever controls it can run code' });
  },
} satisfies Rule<CodeDoc>;
