import { copyArgs } from '../../analysis/docker-args.js';
import { dockerignoreExcludes, isWholeContext, secretSource } from '../../analysis/dockerignore.js';
import type { Rule } from '../../core/types.js';
import type { DockerfileDoc } from '../../parsers/dockerfile.js';

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^[\w.-]+@[\w.-]+:/i;

export default {
  id: 'secret-file-copied',
  title: 'Secret file copied into the image',
  severity: 'high',
  area: 'containers',
  summary:
    'A `COPY`/`ADD` takes a credential file from the build context (`.env`, `id_rsa`, `*.pem`, `*.key`, `.npmrc`, `.netrc`, ' +
    '`credentials.json`, `.aws/credentials`, `kubeconfig`…, globs included), or copies the whole context (`COPY . .`) while no ' +
    '`.dockerignore` keeps `.env` and `.git` out.',
  rationale:
    'Every file copied into a layer stays in the image for anyone who can pull it, even if a later `RUN rm` deletes it: layers are ' +
    'additive and `docker save` or `dive` shows them. Private keys, registry tokens in `.npmrc` and `.env` files are the usual leaks, and ' +
    '`COPY . .` takes them along with `.git` (whose history and config can hold more) unless `.dockerignore` excludes them. ' +
    'The `.dockerignore` read is the one in the Dockerfile\'s directory (taken as the build context), or `<Dockerfile>.dockerignore` beside it, ' +
    'which BuildKit prefers. `COPY --from=` copies from another stage, not the context, and is not reported; templates (`.env.example`), public keys ' +
    '(`*.pub`) and certificate `.pem` files (`ca.pem`, `*-cert.pem`, or copied into a CA store) are not secrets. A stage the final image does not use lowers the severity to medium.',
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
      { path: 'Dockerfile', text: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\n', line: 3, files: { '.dockerignore': 'node_modules\n.git\n' } },
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
    ],
  },
  reads: ['dockerfile'],
  check(doc, ctx) {
    const dir = ctx.path.includes('/') ? ctx.path.slice(0, ctx.path.lastIndexOf('/') + 1) : '';
    const ignoreFile = [`${ctx.path}.dockerignore`, `${dir}.dockerignore`].find((p) => ctx.project.has(p));
    const ignore = ignoreFile ? (ctx.project.read(ignoreFile) ?? '') : undefined;
    const excluded = (path: string): boolean => ignore !== undefined && dockerignoreExcludes(ignore, path);
    for (const stage of doc.stages) {
      for (const ins of stage.instructions) {
        const keyword = ins.keyword.toUpperCase();
        if ((keyword !== 'COPY' && keyword !== 'ADD') || ins.flags.some((f) => f.name === 'from')) continue;
        const { sources, dest } = copyArgs(ins);
        for (const src of sources) {
          if (REMOTE.test(src.value)) continue;
          if (isWholeContext(src.value)) {
            const missing = ['.env', '.git'].filter((p) => !excluded(p));
            if (missing.length === 0) continue;
            ctx.report({
              message:
                `${keyword} ${src.value} copies the whole build context, and ${ignoreFile ? `${ignoreFile} does not exclude ${missing.join(' or ')}` : 'no .dockerignore excludes .env or .git'}: ` +
                'local secrets and repository history end up in the image. Add them to .dockerignore, or copy only what the build needs.',
              at: src.span,
              severity: 'medium',
            });
            continue;
          }
          const secret = secretSource(src.value, dest?.value);
          if (secret === undefined || (!/[*?[]/.test(secret) && excluded(secret.replace(/^\.\//, '')))) continue;
          const unused = !stage.reachesFinal;
          ctx.report({
            message:
              `${keyword} ${secret} puts a credential file into an image layer, where anyone who can pull the image can read it (a later rm does not remove it)` +
              `${unused ? ', in a stage the final image does not use but the build cache keeps' : ''}. Use a secret mount (RUN --mount=type=secret) instead.`,
            at: src.span,
            ...(unused ? { severity: 'medium' as const } : {}),
          });
        }
      }
    }
  },
} satisfies Rule<DockerfileDoc>;
