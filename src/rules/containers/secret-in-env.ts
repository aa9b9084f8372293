import { isCredentialName, isPlaceholder, isTrivialValue, knownTokenFormat } from '../../analysis/credentials.js';
import { hasStandInMarker, isMarkerPhrase, isWordLike, notCredentialShaped } from '../../analysis/secrets/shape.js';
import { isWeakValue } from '../../analysis/secrets/values.js';
import { buildArgReadBy } from '../../analysis/stage-reach.js';
import { startsDatabase, workloadContainers } from '../../analysis/workloads.js';
import { redact } from '../../core/redact.js';
import type { CheckContext, Rule, Severity } from '../../core/types.js';
import type { DockerfileDoc, KeyValue } from '../../parsers/dockerfile.js';
import type { WorkloadDoc } from '../../parsers/workload.js';

const ONLY_REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
/** A literal that names a credential but is not shaped like one: a template, a path, a list of names, or a stand-in spelled out (`FAKE_VALUE`). */
/** A stand-in default (`ARG NPM_TOKEN=changeme`, `=<token>`): the real value still comes in with `--build-arg`, like a bare `ARG NPM_TOKEN`. */
const standInDefault = (value: string | undefined): boolean =>
  value === undefined || value === '' || (!value.includes('$') && (isPlaceholder(value) || isMarkerPhrase(value)));
const notASecret = (value: string): boolean => ONLY_REFERENCE.test(value) || isPlaceholder(value) || isTrivialValue(value) || notCredentialShaped(value) || isMarkerPhrase(value);

export default {
  id: 'secret-in-env',
  title: 'Secret in ENV, ARG, LABEL or container environment',
  severity: 'critical',
  area: 'containers',
  summary:
    'An `ENV` or `ARG` with a credential name (`*_PASSWORD`, `*_TOKEN`, `API_KEY`…) has a literal value, or an `ENV`/`ARG`/`LABEL` holds a value in a known token format; ' +
    'the same for compose `environment:` (map or list) and Kubernetes `env[].value` of containers and init containers.',
  rationale:
    'ENV and LABEL values are stored in the image config and ARG values in its history: anyone who can pull the image reads them with ' +
    '`docker inspect` or `docker history`, and the value is also committed in the repository. Build arguments passed with `--build-arg` ' +
    'stay in the history of the RUN steps that read them, so a secret-named `ARG` without a value that a RUN reads is reported at medium ' +
    'severity (low when that stage is not one the final image is built on; not at all when nothing reads it), and so is one whose default is a stand-in (`ARG NPM_TOKEN=changeme`). A stage that the final image does ' +
    'not use lowers the severity to medium (the value is still in the repository and the build cache). Compose and Kubernetes environment ' +
    'values are committed in the repository and readable by anyone who can inspect the container or the pod spec; compose `${VAR}` ' +
    'interpolation and Kubernetes `valueFrom`/`$(VAR)` are references, not reported. A value needs the shape of a credential: templates ' +
    '(`#{x}`, `%s`), paths (`/run/secrets/db`), lists of variable names and stand-ins spelled out in words (`FAKE_TO_TRIGGER_THE_WARNING`, ' +
    '`your-token-here`) are not reported, and a token with EXAMPLE or FAKE written into it is reported with low confidence. A plain-word ' +
    'password in a compose file that starts its own database (postgres, mysql, mariadb, mongo, redis…), and in any compose file a stock ' +
    'one (`postgres`, `root`) or the name of a service or its image (`grafana`), is a throwaway local stack\'s default: medium severity, medium confidence. The value is never shown in findings.',
  fix:
    'Revoke the credential and remove it from the file. In a Dockerfile, pass build-time secrets with BuildKit secret mounts ' +
    '(`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` and `docker build --secret id=npm_token,env=NPM_TOKEN`), ' +
    'and give run-time secrets to the container when it starts (orchestrator secrets, `docker run --env-file`), not in the image. ' +
    'In compose, write `DB_PASSWORD: ${DB_PASSWORD}` with the value in an untracked `.env` file, or use `secrets:`; in Kubernetes, use ' +
    '`valueFrom: {secretKeyRef: …}` or mount a Secret.',
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
        text: 'FROM node:22\nARG NPM_TOKEN\nRUN echo "//npm.internal.example/:_authToken=${NPM_TOKEN}" > .npmrc\n',
        line: 2,
      },
      { path: 'Dockerfile', text: 'FROM golang:1.23\nARG GITHUB_TOKEN=placeholder\nRUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"\n', line: 2 },
      { path: 'Dockerfile', text: 'FROM maven:3-eclipse-temurin-21\nARG ARTIFACTORY_PSW\nRUN mvn -Dpassword=$ARTIFACTORY_PSW deploy\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM alpine:3.20\nLABEL deploy.key="ghp_' + 'A1b2C3d4E5'.repeat(3) + 'A1b2C3"\n',
        line: 2,
      },
      { path: 'Dockerfile', text: 'FROM alpine:3.20\nENV apiKey 9f8e7d6c5b4a39281706\n', line: 2 },
      { path: 'docker-compose.yml', text: 'services:\n  api:\n    image: example/api:1.0\n    environment:\n      - STRIPE_API_KEY=k7Qz2Lw9Xp4Rt8Vm\n', line: 5 },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1.0\n      env:\n' +
          '        - name: DB_PASSWORD\n          value: Tr0ub4dor-and-3\n',
        line: 10,
      },
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
      {
        path: 'test/Dockerfile',
        text: 'FROM alpine:3.20\nARG AWS_SECRET_ACCESS_KEY=FAKE_TO_TRIGGER_THE_BUILD_WARNING\nENV DB_PASSWORD=/run/secrets/db_password\n',
      },
      { path: 'Dockerfile', text: 'FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n' },
      {
        path: 'compose.yaml',
        text: 'services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      API_TOKEN_FILE: /run/secrets/token\n',
      },
      {
        path: 'k8s/deployment.yaml',
        text:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:1.0\n      env:\n' +
          '        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n',
      },
    ],
  },
  reads: ['dockerfile', 'workload'],
  check(doc, ctx) {
    if ('pods' in doc) return checkWorkload(doc, ctx);
    const reachesFinal = (kv: KeyValue): boolean => kv.stage < 0 || doc.stages[kv.stage]?.reachesFinal !== false;
    for (const kv of doc.keyValues) {
      const value = kv.value;
      const format = value !== undefined ? knownTokenFormat(value) : undefined;
      const named = kv.instruction !== 'LABEL' && isCredentialName(kv.name);
      let severity: Severity;
      let message: string;
      if (format !== undefined && value !== undefined) {
        severity = 'critical';
        message = `${kv.instruction} ${kv.name} holds what looks like a ${format} (${redact(value)}): anyone who pulls the image can read it. Revoke it and pass it with \`RUN --mount=type=secret\` or at run time instead.`;
      } else if (named && kv.instruction === 'ARG' && standInDefault(value)) {
        // a build argument is recorded with the RUN steps that read it: unread, it is nowhere; read in a stage the final
        // image is not built FROM, it stays in that stage (and the build cache), not in the image's history
        const where = buildArgReadBy(doc, kv);
        if (where === 'nowhere') continue;
        severity = where === 'image' ? 'medium' : 'low';
        message =
          where === 'image'
            ? `ARG ${kv.name} takes a secret as a build argument, and a RUN step reads it, so it stays in the image history: use \`RUN --mount=type=secret\` instead.`
            : `ARG ${kv.name} takes a secret as a build argument, read in a stage the final image is not built on (its value stays in the build cache): use \`RUN --mount=type=secret\` instead.`;
      } else if (named && value !== undefined && !notASecret(value)) {
        severity = 'critical';
        message = `${kv.instruction} ${kv.name} sets a literal secret (${redact(value)}) that is stored in the image and the repository: revoke it and use \`RUN --mount=type=secret\` or a run-time secret.`;
      } else continue;
      const lowered = severity === 'critical' && !reachesFinal(kv);
      ctx.report({
        message: lowered ? `${message} (in a stage the final image does not use)` : message,
        at: kv.span,
        severity: lowered ? 'medium' : severity,
        // a token with EXAMPLE or FAKE written into it is likelier a stand-in
        ...(value !== undefined && hasStandInMarker(value) ? { confidence: 'low' as const } : {}),
        // the variable, never anything about the value: the baseline tells a changed value by its digest
        fingerprintKey: `${kv.instruction} ${kv.name}`,
        ...(value ? { secretValue: value } : {}),
      });
    }
  },
} satisfies Rule<DockerfileDoc | WorkloadDoc>;

function checkWorkload(doc: WorkloadDoc, ctx: CheckContext): void {
  const fixFor = (name: string): string =>
    doc.format === 'compose' ? `write \`\${${name}}\` with the value in an untracked \`.env\` file, or use compose \`secrets:\`` : 'read it from a Secret with `valueFrom.secretKeyRef`';
  // A compose file that starts its own database: a plain-word password there is the local stack's throwaway default.
  const localDatabase = doc.format === 'compose' && startsDatabase(doc);
  // the name of a service or its image as the password (`GF_SECURITY_ADMIN_PASSWORD=grafana`): the product's own default
  const names = new Set(workloadContainers(doc).flatMap(({ container }) => [container.name, container.image?.value.replace(/[:@].*$/, '').replace(/^.*\//, '') ?? ''].map((n) => n.toLowerCase())));
  for (const { container, where } of workloadContainers(doc)) {
    for (const env of container.env) {
      const value = env.value;
      if (value === undefined) continue;
      const format = knownTokenFormat(value);
      const literal = isCredentialName(env.name) && !notASecret(value);
      if (format === undefined && !literal) continue;
      const stock = isWeakValue(value) || names.has(value.trim().toLowerCase());
      const local = format === undefined && doc.format === 'compose' && (stock || (localDatabase && isWordLike(value)));
      const fix = fixFor(env.name);
      ctx.report({
        message:
          format !== undefined
            ? `${where} sets ${env.name} to what looks like a ${format} (${redact(value)}): revoke it and ${fix}.`
            : local
              ? `${where} sets ${env.name} to a plain-word password (${redact(value)}), a local stack's default: fine for a throwaway local stack, not for one that is deployed; there, ${fix}.`
              : `${where} sets ${env.name} to a literal secret (${redact(value)}) committed in the repository: revoke it and ${fix}.`,
        at: env.span,
        ...(local ? { severity: 'medium' as const, confidence: 'medium' as const } : {}),
        ...(hasStandInMarker(value) ? { confidence: 'low' as const } : {}),
        fingerprintKey: `env ${where} ${env.name}`,
        // a plain word (`postgres`) too: the baseline digests it, so swapping it for a real one is noticed; masking is
        // decided by the value's shape (action/mask.ts), so a word is never masked
        secretValue: value,
      });
    }
  }
}
