import { posix } from 'node:path';
import { ignoredLocally, localDotenv, matchingFiles, settingsOnlyEnvFile } from '../../analysis/build-context.js';
import { copyArgs } from '../../analysis/docker-args.js';
import { dockerignoreExcludes, isWholeContext, secretSource } from '../../analysis/dockerignore.js';
import { destination, reaches, stageReach } from '../../analysis/stage-reach.js';
import type { Rule } from '../../core/types.js';
import type { DockerfileDoc } from '../../parsers/dockerfile.js';

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^[\w.-]+@[\w.-]+:/i;
/** Variables that name the file a cloud SDK reads its credentials from: a file copied to that path is a credential, whatever its name. */
const CREDENTIAL_FILE_VARS = /^(GOOGLE_APPLICATION_CREDENTIALS|AWS_SHARED_CREDENTIALS_FILE)$/;
export default {
  id: 'secret-file-copied',
  title: 'Secret file copied into the image',
  severity: 'high',
  area: 'containers',
  summary:
    'A `COPY`/`ADD` takes a credential file from the build context (`.env`, `id_rsa`, `*.pem`, `*.key`, `.npmrc`, `.netrc`, ' +
    '`credentials.json`, `.aws/credentials`, `kubeconfig`…, globs included, or the file `GOOGLE_APPLICATION_CREDENTIALS`/`AWS_SHARED_CREDENTIALS_FILE` names), or copies the whole context (`COPY . .`) while no ' +
    '`.dockerignore` keeps `.env` and `.git` out.',
  rationale:
    'Every file copied into a layer stays in the image for anyone who can pull it, even if a later `RUN rm` deletes it: layers are ' +
    'additive and `docker save` or `dive` shows them. Private keys, registry tokens in `.npmrc` and `.env` files are the usual leaks, and ' +
    '`COPY . .` takes them along with `.git` (whose history and config can hold more) unless `.dockerignore` excludes them. ' +
    'The `.dockerignore` read is the one in the Dockerfile\'s directory (taken as the build context), or `<Dockerfile>.dockerignore` beside it, ' +
    'which BuildKit prefers. `COPY --from=` copies from another stage, not the context, and is not reported; templates (`.env.example`), public keys ' +
    '(`*.pub`) and certificate `.pem` files (`ca.pem`, `*-cert.pem`, or copied into a CA store) are not secrets, and neither are env files the ' +
    'repository holds whose values are all settings (`VERSION=dev`); a glob that matches no file the repository holds (and that no ' +
    '`.gitignore` keeps locally) is medium with low confidence. Stages are followed: a file copied into a build stage is reported only ' +
    'when it reaches the final image (the final stage is built FROM that stage, or a `COPY --from` takes the path it landed on); a stage ' +
    'that only hands binaries on leaves the build context behind. A whole-context copy is reported (medium) for `.git` when the context is ' +
    'the repository root, and for `.env` when one is committed in the context or a `.gitignore` there or above names one (developers keep ' +
    'it locally, so a local build takes it).',
  fix:
    'Do not copy credentials into the image: pass them at build time with a secret mount (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`, ' +
    '`RUN --mount=type=ssh git clone …`) and at run time through the orchestrator\'s secrets. Add a `.dockerignore` with at least `.git`, `.env*`, ' +
    '`**/*.pem`, `**/*.key` and `**/id_*`, or copy only what the build needs (`COPY package*.json ./`, `COPY src/ ./src/`).',
  references: [
    'https://docs.docker.com/build/concepts/context/#dockerignore-files',
    'https://docs.docker.com/build/building/secrets/',
    'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/',
    'https://cwe.mitre.org/data/definitions/538.html',
  ],
  examples: {
    bad: [
      { path: 'Dockerfile', text: 'FROM node:22\nWORKDIR /app\nCOPY .npmrc package.json package-lock.json ./\nRUN npm ci\n', line: 3 },
      { path: 'deploy/Dockerfile', text: 'FROM nginx:1.27\nCOPY certs/*.key /etc/nginx/tls/\n', line: 2 },
      {
        path: 'Dockerfile',
        text: 'FROM python:3.12\nWORKDIR /app\nCOPY deploy/sa-prod.json ./app/\nENV GOOGLE_APPLICATION_CREDENTIALS=./app/sa-prod.json\nCMD ["python", "main.py"]\n',
        line: 3,
      },
      {
        path: 'Dockerfile',
        text: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\n',
        line: 3,
        files: { '.dockerignore': 'node_modules\n.git\n', '.gitignore': 'node_modules/\n.env\n' },
      },
    ],
    good: [
      {
        path: 'Dockerfile',
        text: 'FROM python:3.12\nWORKDIR /app\nCOPY .env.example ./\nCOPY certs/ca.pem /usr/local/share/ca-certificates/\nCOPY . .\n',
        files: { '.dockerignore': '.git\n**/.env\n.env.*\n!.env.example\n' },
      },
      {
        path: 'Dockerfile',
        text: 'FROM golang:1.23 AS build\nCOPY --from=keys /id_rsa /tmp/\nFROM scratch\nADD . /app\n',
        files: { 'Dockerfile.dockerignore': '*\n!src\n!go.mod\n' },
      },
      {
        path: 'Dockerfile',
        text: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nCOPY .netrc /root/\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n',
        files: { '.gitignore': '.env\n' },
      },
      { path: 'Dockerfile', text: 'FROM python:3.12\nWORKDIR /app\nCOPY config/settings.json ./app/\nENV GOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/gcp/key.json\n' },
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
    const dir = ctx.path.includes('/') ? ctx.path.slice(0, ctx.path.lastIndexOf('/') + 1) : '';
    const ignoreFile = [`${ctx.path}.dockerignore`, `${dir}.dockerignore`].find((p) => ctx.project.has(p));
    const ignore = ignoreFile ? (ctx.project.read(ignoreFile) ?? '') : undefined;
    const excluded = (path: string): boolean => ignore !== undefined && dockerignoreExcludes(ignore, path);
    const reach = stageReach(doc);
    // `ENV GOOGLE_APPLICATION_CREDENTIALS=./app/key.json`: the path (relative ones against any directory) the SDK reads
    const credentialEnv = doc.keyValues.filter((kv) => kv.instruction === 'ENV' && CREDENTIAL_FILE_VARS.test(kv.name) && kv.value && !kv.value.includes('$'));
    const credentialAt = (path: string | undefined) =>
      path === undefined ? undefined : credentialEnv.find((kv) => (kv.value!.startsWith('/') ? path === posix.normalize(kv.value!) : path.endsWith(`/${posix.normalize(kv.value!)}`)));
    for (const stage of doc.stages) {
      for (const ins of stage.instructions) {
        const keyword = ins.keyword.toUpperCase();
        if ((keyword !== 'COPY' && keyword !== 'ADD') || ins.flags.some((f) => f.name === 'from')) continue;
        const { sources, dest } = copyArgs(ins);
        const into = dest ? destination(doc, stage, ins, dest.value) : undefined;
        const intoDir = dest !== undefined && (sources.length > 1 || /\/$|^\.$/.test(dest.value));
        const landing = (name: string): string | undefined =>
          into === undefined ? undefined : intoDir ? posix.join(into, posix.basename(name)) : into;
        for (const src of sources) {
          if (REMOTE.test(src.value)) continue;
          if (isWholeContext(src.value)) {
            // .git is there when the context is the repository's root; a .env when one is committed in it, or kept locally
            // by developers (.gitignore names it) and so taken by a local build
            const missing = [
              ...(dir === '' && !excluded('.git') && reaches(reach, stage.index, into && posix.join(into, '.git')) ? ['.git'] : []),
              ...(!excluded('.env') && localDotenv(ctx.project, dir) && reaches(reach, stage.index, into && posix.join(into, '.env')) ? ['.env'] : []),
            ];
            if (missing.length === 0) continue;
            ctx.report({
              message:
                `${keyword} ${src.value} copies the whole build context, and ${ignoreFile ? `${ignoreFile} does not exclude ${missing.join(' or ')}` : `no .dockerignore excludes ${missing.join(' or ')}`}: ` +
                `${missing.length > 1 ? 'the repository history and local secrets end' : missing[0] === '.git' ? 'the repository history ends' : 'local secrets end'} up in the image. ` +
                `Add ${missing.length > 1 ? 'them' : missing[0]} to ${ignoreFile ?? '.dockerignore'}, or copy only what the build needs.`,
              at: src.span,
              severity: 'medium',
            });
            continue;
          }
          const secret = secretSource(src.value, dest?.value);
          const named = secret === undefined && !/[*?[]/.test(src.value) ? credentialAt(landing(src.value)) : undefined;
          if (named && reaches(reach, stage.index, landing(src.value))) {
            ctx.report({
              message:
                `${keyword} ${src.value} puts the file that ${named.name} names into an image layer: a credentials file, readable by anyone who can pull ` +
                'the image (a later rm does not remove it). Mount it at run time (a volume or the orchestrator\'s secrets, or workload identity) or at build time with RUN --mount=type=secret.',
              at: src.span,
              related: [{ at: named.span, label: `${named.name} names this file` }],
            });
            continue;
          }
          if (secret === undefined || (!/[*?[]/.test(secret) && excluded(secret.replace(/^\.\//, '')))) continue;
          // a build stage whose files never reach the image: the secret stays on the build machine
          if (!reaches(reach, stage.index, landing(secret))) continue;
          // a source that takes only env files the repository holds, all of them settings (`VERSION='dev'`), copies no secret
          const files = matchingFiles(ctx.project, dir, secret);
          if (files && files.length > 0 && files.every((f) => settingsOnlyEnvFile(f, ctx.project.read(f)))) continue;
          // a glob that matches nothing here, of a kind nobody keeps locally: a secret only if the build writes one there
          const empty = /[*?[]/.test(secret) && files?.length === 0 && !ignoredLocally(ctx.project, dir, posix.basename(secret).replace(/[*?]/g, 'x'));
          ctx.report({
            message: empty
              ? `${keyword} ${secret} matches no file in the repository, but a credential file put there before the build (by CI, say) ends up in an ` +
                'image layer. Copy only the files the image needs, and pass secrets with a secret mount (RUN --mount=type=secret).'
              : `${keyword} ${secret} puts a credential file into an image layer, where anyone who can pull the image can read it (a later rm does not remove it). ` +
                'Use a secret mount (RUN --mount=type=secret) instead.',
            at: src.span,
            ...(empty ? { severity: 'medium' as const, confidence: 'low' as const } : {}),
          });
        }
      }
    }
  },
} satisfies Rule<DockerfileDoc>;
