import { describe, expect, it } from 'vitest';
import { findRule } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const run = (id: string, files: Record<string, string>) =>
  scanFiles(files, { rules: [findRule(id)!] }).findings.map((f) => [f.path, f.line, f.severity, f.confidence]);
const messages = (id: string, files: Record<string, string>) => scanFiles(files, { rules: [findRule(id)!] }).findings.map((f) => f.message);

/** Shaped like the official Python images: a parent OS image by tag, a long build RUN, the interpreter as the command. */
const PYTHON_BASE = [
  'FROM debian:bookworm-slim',
  'ENV PATH /usr/local/bin:$PATH',
  'ENV PYTHON_VERSION 3.13.1',
  'RUN set -eux; \\',
  '\tapt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata; \\',
  '\trm -rf /var/lib/apt/lists/*',
  'RUN set -eux; for src in idle3 pip3 pydoc3 python3; do ln -svT "$src" "/usr/local/bin/${src%3}"; done',
  'CMD ["python3"]',
  '',
].join('\n');

/** Shaped like the official Node images: an entrypoint script copied in, the interpreter as the command. */
const NODE_BASE = 'FROM alpine:3.21\nENV NODE_VERSION 22.12.0\nRUN apk add --no-cache libstdc++\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD [ "node" ]\n';

/** Shaped like docker/compose's release Dockerfile: build, lint and test stages, and scratch stages that only export files. */
const RELEASE = [
  'ARG GO_VERSION=1.24',
  'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS base', // 2
  'WORKDIR /src',
  'FROM base AS build',
  'COPY . .',
  'RUN go build -o /out/tool ./cmd',
  'FROM golangci/golangci-lint:v2.1.6-alpine AS lint', // 7
  'FROM scratch AS binary',
  'COPY --link --from=build /out/tool /',
  'FROM --platform=$BUILDPLATFORM alpine AS releaser', // 10
  'RUN --mount=from=binary mkdir -p /out && cp tool* /out/',
  'FROM scratch AS release',
  'COPY --from=releaser /out/ /',
  'COPY LICENSE /',
  '',
].join('\n');

describe('runs-as-root judges the image people run', () => {
  it('leaves base image definitions (the interpreter as the command, nothing copied but scripts) to the images built FROM them', () => {
    expect(run('runs-as-root', { '3.13/slim-bookworm/Dockerfile': PYTHON_BASE, '22/alpine/Dockerfile': NODE_BASE })).toEqual([]);
    // the same base running an application is reported
    const app = 'FROM python:3.13-slim\nWORKDIR /app\nCOPY . .\nCMD ["python3", "app.py"]\n';
    expect(run('runs-as-root', { Dockerfile: app })).toEqual([['Dockerfile', 1, 'high', 'high']]);
  });

  it('ignores a last stage that only exports files, and judges the stages that run instead', () => {
    expect(run('runs-as-root', { Dockerfile: RELEASE })).toEqual([]);
    const withService = `${RELEASE.replace('FROM scratch AS binary', 'FROM alpine:3.21 AS service\nCOPY --from=build /out/tool /usr/bin/\nENTRYPOINT ["tool"]\nFROM scratch AS binary')}`;
    expect(run('runs-as-root', { Dockerfile: withService })).toEqual([['Dockerfile', 8, 'high', 'high']]);
    expect(messages('runs-as-root', { Dockerfile: withService })[0]).toMatch(/^The stage service \(built with --target\) sets no USER/);
    // an Android build exported as an .apk: the ENTRYPOINT names a file no kernel runs
    const apk = 'FROM reactnative/android:v21 AS builder\nCOPY . .\nRUN ./gradlew assembleRelease\nFROM scratch\nCOPY --from=builder /src/app-release.apk /app.apk\nENTRYPOINT ["/app.apk"]\n';
    expect(run('runs-as-root', { 'android.Dockerfile': apk })).toEqual([]);
    // a scratch image running a static binary does run, as root
    expect(run('runs-as-root', { Dockerfile: 'FROM golang:1.24 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nCMD ["/app"]\n' })).toEqual([
      ['Dockerfile', 3, 'high', 'high'],
    ]);
  });

  it('judges the target a compose file builds, and says so', () => {
    const df =
      'FROM --platform=$BUILDPLATFORM python:3.12-alpine AS builder\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["python3"]\nCMD ["app.py"]\n\n' +
      'FROM builder AS dev-envs\nRUN apk add git\nRUN adduser -D vscode\nCOPY --from=example/docker-tools:1.0 / /\nCMD ["python3", "app.py"]\n';
    const compose = 'services:\n  web:\n    build:\n      context: app\n      target: builder\n    ports:\n      - "8000:8000"\n';
    const result = scanFiles({ 'app/Dockerfile': df, 'compose.yaml': compose }, { rules: [findRule('runs-as-root')!] });
    expect(result.findings.map((f) => [f.path, f.line])).toEqual([['app/Dockerfile', 1]]);
    expect(result.findings[0]!.message).toMatch(/^The stage builder \(the target compose service web builds\) sets no USER/);
    expect(result.findings[0]!.related.map((r) => r.label)).toEqual(['built by compose service web (target builder)']);
  });

  it('rates servers that drop their own privileges, tool environments and templates medium with low confidence', () => {
    expect(run('runs-as-root', { 'proxy/Dockerfile': 'FROM nginx:1.27-alpine\nCOPY conf /etc/nginx/conf.d\n' })).toEqual([['proxy/Dockerfile', 1, 'medium', 'low']]);
    const php = 'FROM php:8.3-apache AS builder\nCOPY src/ /var/www/html/\nCMD ["apache2-foreground"]\n';
    expect(run('runs-as-root', { Dockerfile: php })).toEqual([['Dockerfile', 1, 'medium', 'low']]);
    // nginx told to run something else is an ordinary root process
    expect(run('runs-as-root', { Dockerfile: 'FROM nginx:1.27\nCMD ["sh", "-c", "sleep infinity"]\n' })).toEqual([['Dockerfile', 1, 'high', 'high']]);
    // a code-generation image with no command; a compose service that gives it one makes it a service
    const gen = 'FROM golang:1.24-alpine\nWORKDIR /build\nRUN apk add --no-cache protobuf-dev\nCOPY ./src/checkout/go.mod go.mod\nRUN go install tool\n';
    expect(run('runs-as-root', { 'src/checkout/genproto/Dockerfile': gen })).toEqual([['src/checkout/genproto/Dockerfile', 1, 'medium', 'low']]);
    const served = { 'svc/Dockerfile': gen, 'svc/compose.yaml': 'services:\n  api:\n    build: .\n    command: ["/go/bin/api"]\n' };
    expect(run('runs-as-root', served)).toEqual([['svc/Dockerfile', 1, 'high', 'high']]);
    expect(run('runs-as-root', { 'build/assets/alpine.Dockerfile': 'FROM REPLACE-ME\n' })).toEqual([['build/assets/alpine.Dockerfile', 1, 'medium', 'low']]);
  });

  it('trusts more images known to run as a non-root user', () => {
    const k6 = 'FROM golang:1.24 AS b\nRUN go build -o /k6 .\nFROM grafana/k6:1.0.0-with-browser\nCOPY --from=b /k6 /usr/bin/k6\nENTRYPOINT ["k6"]\n';
    expect(run('runs-as-root', { Dockerfile: k6 })).toEqual([]);
    expect(run('runs-as-root', { Dockerfile: 'FROM mcr.microsoft.com/dotnet/runtime-deps:9.0-noble-chiseled\nCOPY app /app\nENTRYPOINT ["/app/api"]\n' })).toEqual([]);
  });
});

describe('dev containers, known by content', () => {
  const dockerfile = 'FROM mcr.microsoft.com/devcontainers/base:1-bookworm\nRUN apt-get update && apt-get install -y graphviz\n';
  it('leaves the user to devcontainer.json when it sets one, and lowers the rest', () => {
    const withUser = { 'tools/dev.Dockerfile': dockerfile, '.devcontainer.json': '{\n  // the workstation\n  "build": { "dockerfile": "tools/dev.Dockerfile" },\n  "remoteUser": "vscode",\n}\n' };
    expect(run('runs-as-root', withUser)).toEqual([]);
    expect(run('unpinned-image', withUser)).toEqual([['tools/dev.Dockerfile', 1, 'medium', 'low']]);
    const noUser = { 'tools/dev.Dockerfile': dockerfile.replace('mcr.microsoft.com/devcontainers/base:1-bookworm', 'debian:12'), '.devcontainer/devcontainer.json': '{"dockerFile": "../tools/dev.Dockerfile"}' };
    expect(run('runs-as-root', noUser)).toEqual([['tools/dev.Dockerfile', 1, 'medium', 'low']]);
    // on a dev container base, with no devcontainer.json in sight (a patch of a published dev container image)
    expect(run('runs-as-root', { 'build/patch/Dockerfile': dockerfile })).toEqual([['build/patch/Dockerfile', 1, 'medium', 'low']]);
    expect(run('runs-as-root', { 'build/patch/Dockerfile': 'FROM mcr.microsoft.com/vscode/devcontainers/universal:1\nRUN sudo apt-get upgrade -y git\n' })).toEqual([]);
  });
});

describe('image pinning on images nobody deploys as such', () => {
  it('rates the parent of a base image definition low: it tracks the tag so that rebuilds take its fixes', () => {
    expect(run('unpinned-image', { 'Dockerfile': PYTHON_BASE })).toEqual([['Dockerfile', 1, 'low', 'low']]);
    expect(messages('unpinned-image', { 'Dockerfile': PYTHON_BASE })[0]).toContain('defines a base image');
    // tool stages of a release Dockerfile stay as they are
    expect(run('unpinned-image', { Dockerfile: RELEASE })).toEqual([['Dockerfile', 2, 'high', 'high'], ['Dockerfile', 7, 'high', 'high']]);
    expect(run('latest-image-tag', { Dockerfile: RELEASE })).toEqual([['Dockerfile', 10, 'high', 'high']]);
  });

  it('rates references only a template tool fills in medium with low confidence', () => {
    const template = 'ARG VARIANT=18\nFROM mcr.microsoft.com/devcontainers/typescript-node:0-${templateOption:imageVariant}\n';
    expect(run('unpinned-image', { 'src/vue/.devcontainer/Dockerfile': template })).toEqual([['src/vue/.devcontainer/Dockerfile', 2, 'medium', 'low']]);
  });

  it('does not ask to pin the image a compose service builds, even when its Dockerfile path is a variable', () => {
    const compose = 'services:\n  proxy:\n    image: ${IMAGE_NAME}:${DEMO_VERSION}-proxy\n    build:\n      context: ./\n      dockerfile: ${PROXY_DOCKERFILE}\n  cache:\n    image: valkey/valkey:8.1\n';
    expect(run('unpinned-image', { 'compose.yaml': compose })).toEqual([['compose.yaml', 8, 'high', 'high']]);
  });
});

describe('Kustomize patches and securityContext hardening', () => {
  const base =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n' +
    '        - name: api\n          image: registry.example/api:1.4@sha256:' + 'a'.repeat(64) + '\n';
  const patch =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n' +
    '        - name: api\n          image: registry.example/api:1.5@sha256:' + 'b'.repeat(64) + '\n          resources:\n            limits: {memory: 256Mi}\n';
  const files = {
    'deploy/base/deployment.yaml': base,
    'deploy/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'deploy/overlays/prod/memory.yaml': patch,
    'deploy/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: memory.yaml\n',
  };

  it('judges what a patch sets, never what it leaves to its base', () => {
    expect(run('privilege-escalation', files)).toEqual([['deploy/base/deployment.yaml', 9, 'medium', 'high']]);
    expect(run('runs-as-root', files)).toEqual([['deploy/base/deployment.yaml', 9, 'high', 'medium']]);
    const rootPatch = patch.replace('          resources:', '          securityContext: {runAsUser: 0}\n          resources:');
    expect(run('runs-as-root', { ...files, 'deploy/overlays/prod/memory.yaml': rootPatch }).map((f) => f[0])).toContain('deploy/overlays/prod/memory.yaml');
    const strategic = { ...files, 'deploy/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatchesStrategicMerge:\n  - memory.yaml\n' };
    expect(run('privilege-escalation', strategic).map((f) => f[0])).toEqual(['deploy/base/deployment.yaml']);
  });

  it('reports an unset allowPrivilegeEscalation only where nothing in the securityContext is hardened', () => {
    const hardened = base.replace('    spec:\n      containers:', '    spec:\n      securityContext: {seccompProfile: {type: RuntimeDefault}}\n      containers:');
    expect(run('privilege-escalation', { 'k8s/api.yaml': hardened })).toEqual([]);
    const dropped = `${base}          securityContext:\n            capabilities: {drop: [ALL]}\n`;
    expect(run('privilege-escalation', { 'k8s/api.yaml': dropped })).toEqual([]);
    const explicit = `${base}          securityContext:\n            runAsNonRoot: true\n            allowPrivilegeEscalation: true\n`;
    expect(run('privilege-escalation', { 'k8s/api.yaml': explicit })).toEqual([['k8s/api.yaml', 13, 'medium', 'high']]);
  });
});

describe('images the repository builds itself (Buildx named contexts)', () => {
  const bake =
    'variable "CORE_IMAGE" {\n  default = "ghcr.io/acme/updater-core"\n}\n\ntarget "updater-core" {\n  context = "."\n  dockerfile = "Dockerfile.core"\n}\n\n' +
    'target "ecosystem" {\n  name = item.image\n  matrix = { item = [{ image = "npm", dockerfile = "npm/Dockerfile" }] }\n  dockerfile = item.dockerfile\n' +
    '  contexts = merge({ (CORE_IMAGE) = "target:updater-core" }, { "ghcr.io/acme/updater-gomod:latest" = "target:gomod" })\n}\n';
  const eco = 'FROM ghcr.io/acme/updater-core\nCOPY --chown=app:app npm $HOME/npm\nFROM ghcr.io/acme/updater-gomod:latest AS gomod\n';
  it('does not ask to pin an image a named context replaces with a target the same build makes', () => {
    const files = { 'docker-bake.hcl': bake, 'npm/Dockerfile': eco };
    expect(run('latest-image-tag', files)).toEqual([
      ['npm/Dockerfile', 1, 'low', 'low'],
      ['npm/Dockerfile', 3, 'low', 'low'],
    ]);
    expect(messages('latest-image-tag', files)[0]).toContain('target updater-core of docker-bake.hcl');
    // without the Bake file the same references are pulled from the registry
    expect(run('latest-image-tag', { 'npm/Dockerfile': eco }).map((f) => f[2])).toEqual(['high', 'high']);
  });
  it('leaves the user of such an image to the Dockerfile that builds its base', () => {
    const files = { 'docker-bake.json': '{"target": {"npm": {"contexts": {"ghcr.io/acme/updater-core": "target:updater-core"}}}}', 'npm/Dockerfile': 'FROM ghcr.io/acme/updater-core\nCOPY npm /opt/npm\n' };
    expect(run('runs-as-root', files)).toEqual([['npm/Dockerfile', 1, 'medium', 'low']]);
  });
});

describe('a devcontainer.json does not speak for a Dockerfile a compose service builds', () => {
  it('keeps judging the production image', () => {
    const files = {
      Dockerfile: 'FROM node:22\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
      'compose.yaml': 'services:\n  api:\n    build: .\n',
      '.devcontainer.json': '{"build": {"dockerfile": "Dockerfile"}, "remoteUser": "node"}',
    };
    expect(run('runs-as-root', files)).toEqual([['Dockerfile', 1, 'high', 'high']]);
  });
});
