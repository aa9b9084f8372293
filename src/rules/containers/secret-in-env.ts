import { isCredentialName, isPlaceholder, isTrivialValue, knownTokenFormat } from '../../analysis/credentials.js';
import { redact } from '../../core/redact.js';
import type { Rule, Severity } from '../../core/types.js';
import type { DockerfileDoc, KeyValue } from '../../parsers/dockerfile.js';

const ONLY_REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

export default {
  id: 'secret-in-env',
  title: 'Secret in ENV, ARG or LABEL',
  severity: 'critical',
  area: 'containers',
  summary:
    'An `ENV` or `ARG` with a credential name (`*_PASSWORD`, `*_TOKEN`, `API_KEY`…) has a literal value, or an `ENV`/`ARG`/`LABEL` holds a value in a known token format.',
  rationale:
    'ENV and LABEL values are stored in the image config and ARG values in its history: anyone who can pull the image reads them with ' +
    '`docker inspect` or `docker history`, and the value is also committed in the repository. Build arguments passed with `--build-arg` ' +
    'stay in the history too, so a secret-named `ARG` without a value is reported at medium severity. A stage that the final image does ' +
    'not use lowers the severity to medium (the value is still in the repository and the build cache). The value is never shown in findings.',
  fix:
    'Revoke the credential and remove it from the Dockerfile. Pass build-time secrets with BuildKit secret mounts ' +
    '(`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` and `docker build --secret id=npm_token,env=NPM_TOKEN`), ' +
    'and give run-time secrets to the container when it starts (orchestrator secrets, `docker run --env-file`), not in the image.',
  references: [
    'https://docs.docker.com/build/building/secrets/',
    'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/',
    'https://docs.docker.com/reference/dockerfile/#arg',
    'CIS Docker Benchmark 4.10 (ensure secrets are not stored in Dockerfiles)',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM alpine:3.20\nENV DB_PASSWORD=s3cr3t-Passw0rd\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM node:22\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc\n',
        line: 2,
      },
      {
        path: 'Dockerfile',
        text: 'FROM alpine:3.20\nLABEL deploy.key="ghp_' + 'A1b2C3d4E5'.repeat(3) + 'A1b2C3"\n',
        line: 2,
      },
      { path: 'Dockerfile', text: 'FROM alpine:3.20\nENV apiKey 9f8e7d6c5b4a39281706\n', line: 2 },
    ],
    good: [
      {
        path: 'Dockerfile',
        text: 'FROM alpine:3.20\nENV PASSWORD_FILE=/run/secrets/db_password TOKEN_URL=https://auth.example.com\n',
      },
      {
        path: 'Dockerfile',
        text: 'FROM alpine:3.20\nARG API_TOKEN=${CI_TOKEN}\nENV DB_PASSWORD=changeme AUTHOR=jane\n',
      },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n' },
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
    const reachesFinal = (kv: KeyValue): boolean => kv.stage < 0 || doc.stages[kv.stage]?.reachesFinal !== false;
    for (const kv of doc.keyValues) {
      const value = kv.value;
      const format = value !== undefined ? knownTokenFormat(value) : undefined;
      const named = kv.instruction !== 'LABEL' && isCredentialName(kv.name);
      let severity: Severity;
      let message: string;
      if (format !== undefined && value !== undefined) {
        severity = 'critical';
        message = `${kv.instruction} ${kv.name} holds what looks like a ${format} (${redact(value)}): anyone who pulls the image can read it.`;
      } else if (named && kv.instruction === 'ARG' && (value === undefined || value === '')) {
        severity = 'medium';
        message = `ARG ${kv.name} takes a secret as a build argument, which stays in the image history: use RUN --mount=type=secret instead.`;
      } else if (
        named &&
        value !== undefined &&
        !ONLY_REFERENCE.test(value) &&
        !isPlaceholder(value) &&
        !isTrivialValue(value)
      ) {
        severity = 'critical';
        message = `${kv.instruction} ${kv.name} sets a literal secret (${redact(value)}) that is stored in the image and the repository: revoke it and use RUN --mount=type=secret or a run-time secret.`;
      } else continue;
      const lowered = severity === 'critical' && !reachesFinal(kv);
      ctx.report({
        message: lowered ? `${message} (in a stage the final image does not use)` : message,
        at: kv.span,
        severity: lowered ? 'medium' : severity,
        fingerprintKey: `${kv.instruction} ${kv.name}${format !== undefined ? ` ${format}` : ''}`,
      });
    }
  },
} satisfies Rule<DockerfileDoc>;
