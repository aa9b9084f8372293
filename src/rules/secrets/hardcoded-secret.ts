import { commandSpan } from '../../analysis/command-span.js';
import { dotenvReportedAt, isDotenvPath } from '../../analysis/dotenv.js';
import { fileFormat } from '../../analysis/file-format.js';
import { SECRET_SOURCE } from '../../analysis/secret-fix.js';
import { literalPasswords } from '../../analysis/password-set.js';
import { scriptsOf, type ScriptDoc } from '../../analysis/scripts.js';
import { parseShell } from '../../analysis/shell.js';
import { detectSecrets } from '../../analysis/secrets/detect.js';
import { ALNUM, BASE64, fake, pemBlock } from '../../analysis/secrets/fake.js';
import { redact } from '../../core/redact.js';
import type { Rule } from '../../core/types.js';
import { LineIndex } from '../../parsers/source.js';

/** A Slack bot token assembled at run time (see fake.ts): no complete token is ever written in the source. */
const SLACK = `xoxb-${fake(11, '0123456789', 100)}-${fake(13, '0123456789', 101)}-${fake(24, ALNUM, 102)}`;

export default {
  id: 'hardcoded-secret',
  title: 'Secret committed to the repository',
  severity: 'critical',
  area: 'secrets',
  summary:
    'A credential in any text file: one of 60+ known token formats (GitHub, GitLab, AWS key pairs, Google Cloud service-account keys, Azure, ' +
    'Slack, Stripe, Twilio, SendGrid, npm, PyPI, Docker Hub, OpenAI, Anthropic, private keys of every PEM/OpenSSH/PGP kind, passwords in URLs, …), ' +
    'checked for structure and checksum where the format has one, or a high-entropy literal assigned to a credential-named key; and a ' +
    'password set from a literal in a Dockerfile `RUN`, a workflow `run:`, a shell script or a Makefile recipe (`echo \'root:root\' | chpasswd`, ' +
    '`echo pw | passwd --stdin app`).',
  rationale:
    'Everyone who can read the repository can read the secret, and it stays in every clone and in the history after the line is deleted; ' +
    'public repositories are scraped for tokens within minutes of a push. Known formats are reported as critical (a Stripe test-mode key as low, ' +
    'a lone AWS access key id as medium); a high-entropy literal assigned to a key such as `api_key` or `DB_PASSWORD` is reported as high with ' +
    'medium confidence. Documentation values (`AKIAIOSFODNN7EXAMPLE`), placeholders (`changeme`, `<token>`, `${VAR}`, `{{ x }}`), tokens whose ' +
    'checksum does not match and lockfile integrity hashes are skipped, and so are values that are not shaped like a credential: interpolations ' +
    '(`#{x}`, `${x}`, `%s`, `{x}`, `$(cmd)`), regular expressions, lists of variable names, constant paths, file paths and keys that are public ' +
    'by design (PostHog `phc_`, Stripe `pk_`). A password in a URL is skipped when it is a word and the host is a reserved example or local ' +
    'name (`user:pass@example.com`, RFC 2606), and is reported at medium severity with low confidence when only one of the two holds. ' +
    'A URL password or a generic literal inside a comment (in the file\'s syntax: `#`, `//`, `;` in ini files, `--` in SQL), a generic ' +
    'literal in a development or test configuration (`config/dev.exs`, `application-test.yml`), any value with `EXAMPLE` written into ' +
    'it and a private key in a file named as a stand-in (`fake_rsa`, `dummy.key`) are reported with low confidence (and at most medium severity, except the last). In test, fixture, example and documentation paths ' +
    '(and Markdown) findings are one step lower in severity and confidence. In a committed `.env` file, known token formats are reported ' +
    'here as well as by `committed-dotenv`, which reports the file on one line (a generic or URL password on that line is left to it). The value itself never appears in a finding: only its first characters.',
  fix:
    'Revoke or rotate the credential first (removing it from the file does not un-publish it), then delete it from the file and load it at run ' +
    'time from a secret store or an environment variable (`process.env.API_KEY`, an Actions secret, a Kubernetes Secret). ' +
    'Rewrite the history only if the repository has not been published; either way the old value must stop working. ' +
    'A password set with `chpasswd`/`passwd --stdin` comes from a build secret or the environment at run time (`echo "app:$APP_PASSWORD" | chpasswd`), ' +
    'or the account is locked (`passwd -l`) and reached with a key.',
  references: [
    'https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning',
    'https://cwe.mitre.org/data/definitions/798.html',
    'https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
    'https://github.com/gitleaks/gitleaks',
  ],
  examples: {
    bad: [
      { path: 'deploy/id_rsa', text: `${pemBlock('RSA PRIVATE KEY', 6, 7)}\n`, line: 1 },
      { path: 'config/database.yml', text: 'production:\n  adapter: postgresql\n  url: postgres://app:s3cretPassw0rd@db/app\n', line: 3 },
      { path: 'app/settings.py', text: `DEBUG = False\nAPI_KEY = "${fake(32, ALNUM, 3)}"\n`, line: 2 },
      { path: 'terraform/storage.tf', text: `locals {\n  storage_key = "${fake(86, BASE64, 90)}=="\n}\n`, line: 2 },
      { path: 'Dockerfile', text: `FROM alpine:3.20\nRUN git clone https://ci:${fake(24, ALNUM, 40)}@git.acme-corp.net/tools.git /opt/tools\n`, line: 2 },
      { path: 'compose.yaml', text: `services:\n  bot:\n    image: example/bot:1.0\n    command: ["--slack-token", "${SLACK}"]\n`, line: 4 },
      {
        path: 'k8s/bot-config.yaml',
        text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bot\ndata:\n  slack.conf: |\n    token = ${SLACK}\n`,
        line: 7,
      },
      {
        path: '.github/workflows/notify.yml',
        text: `on: push\njobs:\n  notify:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -H "Authorization: Bearer ${SLACK}" https://slack.com/api/chat.postMessage\n`,
        line: 6,
      },
      {
        path: 'action.yml',
        text: `name: notify\nruns:\n  using: composite\n  steps:\n    - run: curl -H "Authorization: Bearer ${SLACK}" https://slack.com/api/chat.postMessage\n      shell: bash\n`,
        line: 5,
      },
      { path: 'package.json', text: `{\n  "name": "bot",\n  "scripts": {\n    "notify": "slack-notify --token ${SLACK}"\n  }\n}\n`, line: 4 },
      {
        path: 'yarn.lock',
        text: `# yarn lockfile v1\n\n\ntools@1.0.0:\n  version "1.0.0"\n  resolved "https://ci:${fake(16, ALNUM, 41)}@npm.acme-corp.net/tools/-/tools-1.0.0.tgz"\n`,
        line: 6,
      },
      { path: 'Dockerfile', text: 'FROM ubuntu:24.04\nRUN useradd -m dev && \\\n    echo \'root:root\' | chpasswd\n', line: 3 },
      { path: 'provision/users.sh', text: '#!/bin/sh\nset -e\necho "Winter2024" | passwd --stdin deploy\n', line: 3 },
    ],
    good: [
      { path: 'app/settings.py', text: 'import os\nAPI_KEY = os.environ["API_KEY"]\nDB_PASSWORD = "${DB_PASSWORD}"\nSECRET_KEY = "changeme"\n' },
      { path: '.env.example', text: 'API_TOKEN=your-api-token-here\nDATABASE_URL=postgres://user:password@localhost:5432/app\nGITHUB_TOKEN=<token>\n' },
      { path: 'docs/aws.md', text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' },
      { path: 'Dockerfile', text: 'FROM ubuntu:24.04\nRUN --mount=type=secret,id=pw echo "app:$(cat /run/secrets/pw)" | chpasswd && passwd -l root\n' },
      { path: 'scripts/sshd.sh', text: '#!/bin/bash\necho "${USERNAME}:${NEW_PASSWORD}" | chpasswd\necho \'app:$6$salt$hash\' | chpasswd -e\n' },
    ],
  },
  reads: ['text', 'dockerfile', 'workflow', 'shell'],
  // Dockerfile ENV/ARG, compose and Kubernetes env, and workflow env/with have their own rules with a sharper message.
  // In a committed .env file, a known-format token is reported here too, with its provider, beside committed-dotenv.
  yieldsTo: ['secret-in-env', 'hardcoded-credential'],
  check(doc, ctx) {
    if (typeof doc !== 'string') {
      for (const block of scriptsOf(doc)) {
        for (const p of literalPasswords(parseShell(block.script))) {
          const a = commandSpan(block, p.from);
          const b = commandSpan(block, p.to);
          ctx.report({
            message:
              `\`${p.tool}\` sets the password of ${p.user} to a literal written in this file (${redact(p.password)}): everyone who can read the ` +
              'repository can log in with it wherever this runs. Pass it in at run time (a build secret, an environment variable), or lock the ' +
              'account and use a key.',
            at: { line: a.line, column: a.column, endLine: b.endLine, endColumn: b.endColumn },
            severity: 'high',
            fingerprintKey: `${p.tool} ${p.user}`,
            secretValue: p.password,
          });
        }
      }
      return;
    }
    const text = doc;
    const hits = detectSecrets(text, ctx.path);
    if (hits.length === 0) return;
    const index = new LineIndex(text);
    // committed-dotenv reports a .env file on one line: a generic or URL password there is its finding, not a second one
    const dotenvLine = isDotenvPath(ctx.path) ? dotenvReportedAt(text)?.span.line : undefined;
    const source = SECRET_SOURCE[fileFormat(ctx.path, text)];
    for (const h of hits) {
      if (dotenvLine !== undefined && (h.formatId === 'generic' || h.formatId === 'url-credentials') && index.span(h.start, h.end).line === dotenvLine) continue;
      const what = h.formatId === 'generic' ? `A high-entropy literal assigned to ${h.key}` : `${/^[AEIOU]/i.test(h.name) ? 'An' : 'A'} ${h.name}`;
      ctx.report({
        message:
          `${what} is written in this file (${redact(h.value)}). Revoke or rotate it at ${h.rotate}, then ${source}. ` +
          'Deleting the line alone does not help: the value stays in the history.',
        at: index.span(h.start, h.end),
        severity: h.severity,
        confidence: h.confidence,
        // the format and the key name, never the value (not even hashed): the baseline tells a changed value by its digest
        fingerprintKey: h.key !== undefined ? `${h.formatId} ${h.key}` : h.formatId,
        secretValue: h.value,
        ...(h.related ? { related: [{ at: index.span(h.related.start, h.related.end), label: h.related.label }] } : {}),
      });
    }
  },
} satisfies Rule<string | ScriptDoc>;
