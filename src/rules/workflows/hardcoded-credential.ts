import { isCredentialName, isPlaceholder, isTrivialValue, knownTokenFormat } from '../../analysis/credentials.js';
import { hasStandInMarker, isMarkerPhrase, notCredentialShaped } from '../../analysis/secrets/shape.js';
import { settings } from '../../analysis/workflow-env.js';
import { SECRET_SOURCE } from '../../analysis/secret-fix.js';
import { redact } from '../../core/redact.js';
import type { Confidence, Rule, Span } from '../../core/types.js';
import type { WorkflowDoc } from '../../parsers/workflow.js';
import { getNode } from '../../parsers/yaml.js';

/** A literal that stands for a location or a switch, not a secret: a path, a URL without credentials, a file name. */
const NOT_A_SECRET = /^(\/|\.{1,2}\/|~\/|[a-z][a-z0-9+.-]*:\/\/[^@/]*(\/|$))|^[\w.-]+\.(json|ya?ml|pem|key|txt|env|p12|crt)$/i;

export default {
  id: 'hardcoded-credential',
  title: 'Credential written in the workflow',
  severity: 'critical',
  area: 'workflows',
  summary:
    'A literal value (not a `${{ secrets.* }}` expression) in a `container`/`services` `credentials.password`, or in an `env:`/`with:` entry whose ' +
    'name says it is a credential, or any `env:`/`with:` value in a known token format.',
  rationale:
    'A workflow file is readable by everyone who can read the repository (everyone, for a public one) and stays in its history after it is ' +
    'deleted. A password or token written there is disclosed, and it is not masked in logs the way secrets are. Values that are entirely or ' +
    'partly expressions, placeholders (`changeme`, `<token>`), booleans, paths and URLs are not reported, nor are values not shaped like a ' +
    'credential (templates such as `%s`, regular expressions, lists of secret names, stand-ins spelled out such as `FAKE_TOKEN_FOR_TESTS`); a ' +
    'token with EXAMPLE or FAKE written into it is reported with low confidence. The value is never shown in findings.',
  fix:
    'Revoke the credential, store a new one as an Actions secret (or an environment secret) and reference it: ' +
    '`password: ${{ secrets.REGISTRY_PASSWORD }}`. An action (`action.yml`) cannot read secrets: declare an input and have the calling workflow pass ' +
    'the secret to it (`password: ${{ inputs.password }}`). For GitHub APIs use `${{ github.token }}`; for clouds, prefer OIDC federation over stored keys.',
  references: [
    'https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions',
    'https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idcontainercredentials',
    'https://github.com/rhysd/actionlint/blob/main/docs/checks.md#hardcoded-credentials',
    'https://docs.zizmor.sh/audits/#hardcoded-container-credentials',
  ],
  examples: {
    bad: [
      {
        path: '.github/workflows/ci.yml',
        text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container:\n      image: ghcr.io/acme/build:1\n      credentials:\n        username: ci\n        password: hunter2-Secret\n    steps:\n      - run: make\n',
        line: 9,
      },
      {
        path: '.github/workflows/deploy.yml',
        text: 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      DEPLOY_API_KEY: 7f3a9c1e5b2d8f4a6c0e\n    steps:\n      - run: ./deploy.sh\n',
        line: 6,
      },
      {
        path: '.github/workflows/comment.yml',
        text: `on: push\njobs:\n  c:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: some-org/comment@${'0'.repeat(40)}\n        with:\n          auth: ghp_${'A1b2C3d4E5'.repeat(3)}A1b2C3\n`,
        line: 8,
      },
      {
        path: 'action.yml',
        text: `name: notify\nruns:\n  using: composite\n  steps:\n    - run: ./notify.sh\n      shell: bash\n      env:\n        GH_TOKEN: ghp_${'A1b2C3d4E5'.repeat(3)}A1b2C3\n`,
        line: 8,
      },
    ],
    good: [
      {
        path: '.github/workflows/ci.yml',
        text:
          'on: push\nenv:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  TOKEN_URL: https://auth.example.com/token\n  PASSWORD_FILE: /run/secrets/db\n' +
          'jobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:17\n        credentials:\n          username: ci\n' +
          '          password: ${{ secrets.REGISTRY_PASSWORD }}\n    steps:\n      - uses: docker/login-action@' + '0'.repeat(40) +
          '\n        with:\n          password: ${{ secrets.GHCR_TOKEN }}\n          token-prefix: Bearer-${{ env.X }}\n          password-stdin: true\n',
      },
    ],
  },
  reads: ['workflow'],
  check(wf, ctx) {
    const report = (where: string, fpKey: string, value: string, at: Span, kind: string, confidence: Confidence, block?: Span): void =>
      ctx.report({
        // an action cannot read the secrets context: its callers pass secrets in as inputs
        message: `${where} holds ${kind} written in the ${wf.type} (${redact(value)}): revoke it, then ${SECRET_SOURCE[wf.type]}`,
        at,
        confidence,
        fingerprintKey: fpKey,
        secretValue: value,
        ...(block ? { related: [{ at: block, label: 'the credentials block' }] } : {}),
      });
    for (const job of wf.jobs) {
      for (const c of job.containers) {
        const pw = c.credentials?.password;
        if (!pw || pw.value.includes('${{') || isPlaceholder(pw.value)) continue;
        const owner = c.label === 'container' ? getNode(job.node, 'container', wf.doc) : getNode(getNode(job.node, 'services', wf.doc), c.label.slice(8), wf.doc);
        const block = wf.file.keySpanOf(owner ?? null, 'credentials');
        report(`The ${c.label} credentials.password of job ${job.id}`, `${job.id} ${c.label} password`, pw.value, pw.span, 'a registry password', 'high', block);
      }
    }
    for (const s of settings(wf)) {
      const value = s.value.value;
      const where = `${s.kind}: ${s.key} in the ${s.scope}`;
      const format = knownTokenFormat(value);
      if (format !== undefined) {
        report(where, `${s.kind} ${s.scope} ${s.key}`, value, s.value.span, `what looks like a ${format}`, 'high');
        continue;
      }
      const literal = value.trim();
      if (!isCredentialName(s.key) || literal.includes('${{') || isPlaceholder(literal) || isTrivialValue(literal)) continue;
      if (literal.length < 6 || /\s/.test(literal) || NOT_A_SECRET.test(literal) || notCredentialShaped(literal) || isMarkerPhrase(literal)) continue;
      const confidence = hasStandInMarker(literal) ? 'low' : s.kind === 'env' ? 'high' : 'medium';
      report(where, `${s.kind} ${s.scope} ${s.key}`, value, s.value.span, 'a literal credential', confidence);
    }
  },
} satisfies Rule<WorkflowDoc>;
