// Rule options of the container rules, set in the config file and run through the whole pipeline (scanFiles).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, type Config } from '../../src/core/config.js';
import { rules } from '../../src/rules/index.js';
import { scanFiles } from '../../src/scan.js';

const FILE = '.github/portcullis.yml';
const parse = (text: string): Config => parseConfig(text, FILE, rules);
const hits = (files: Record<string, string>, rule: string, configText = '') =>
  scanFiles(files, { config: parse(configText) })
    .findings.filter((f) => f.ruleId === rule)
    .map((f) => `${f.path}:${f.line}`)
    .sort();
function errors(text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.slice();
  }
  throw new Error('expected a ConfigError');
}

const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: ${image}\n`;

describe('runs-as-root: non-root-images', () => {
  const files = {
    'base/Dockerfile': 'FROM myregistry.example.com/base/node:22\nCMD ["node", "server.js"]\n',
    'app/Dockerfile': 'FROM myorg/app:1.2-nonroot\nCMD ["app"]\n',
    'old/Dockerfile': 'FROM myorg/app:1.2\nCMD ["app"]\n',
    'plain/Dockerfile': 'FROM node:22\nCOPY server.js .\nCMD ["node", "server.js"]\n',
    'distroless/Dockerfile': 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n',
    'k8s/pod.yaml': pod('myregistry.example.com/base/python:3.12'),
  };

  it('without the option, only the built-in list is trusted', () => {
    expect(hits(files, 'runs-as-root')).toEqual(['app/Dockerfile:1', 'base/Dockerfile:1', 'k8s/pod.yaml:7', 'old/Dockerfile:1', 'plain/Dockerfile:1']);
  });

  it('configured patterns are trusted beside the built-in list: a path glob, a Docker Hub name with a tag glob', () => {
    const config = "rules:\n  runs-as-root:\n    options:\n      non-root-images:\n        - 'myregistry.example.com/base/*'\n        - 'myorg/app:*-nonroot'\n";
    expect(hits(files, 'runs-as-root', config)).toEqual(['old/Dockerfile:1', 'plain/Dockerfile:1']);
  });

  it('a bare registry host trusts every image in it; a Docker Hub short name is its library image', () => {
    const config = 'rules:\n  runs-as-root:\n    options:\n      non-root-images: [myregistry.example.com, node]\n';
    expect(hits(files, 'runs-as-root', config)).toEqual(['app/Dockerfile:1', 'old/Dockerfile:1']);
  });

  it('an explicit USER root is reported whatever the base image', () => {
    const config = 'rules:\n  runs-as-root:\n    options:\n      non-root-images: [node]\n';
    expect(hits({ Dockerfile: 'FROM node:22\nUSER root\n' }, 'runs-as-root', config)).toEqual(['Dockerfile:2']);
  });
});

describe('unpinned-image: tag-pinned-ok', () => {
  const D = '@sha256:' + 'a'.repeat(64);
  const files = {
    Dockerfile: `FROM registry.internal.example.com/team/build:1.4 AS build\nFROM node:22\nCOPY --from=registry.internal.example.com/team/tools:2 /bin/x /x\nFROM registry.internal.example.com/team/app:latest\n`,
    'compose.yaml': `services:\n  api:\n    image: registry.internal.example.com/team/api:3.1\n  db:\n    image: postgres:17.2\n  cache:\n    image: redis:7${D}\n`,
    '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: registry.internal.example.com/ci/runner:5\n    steps:\n      - run: make\n',
  };

  it('a tag from a listed registry is accepted; other images are still reported; :latest stays with latest-image-tag', () => {
    expect(hits(files, 'unpinned-image')).toEqual(['.github/workflows/ci.yml:5', 'Dockerfile:1', 'Dockerfile:2', 'Dockerfile:3', 'compose.yaml:3', 'compose.yaml:5']);
    const config = 'rules:\n  unpinned-image:\n    options:\n      tag-pinned-ok: [registry.internal.example.com]\n';
    expect(hits(files, 'unpinned-image', config)).toEqual(['Dockerfile:2', 'compose.yaml:5']);
    expect(hits(files, 'latest-image-tag', config)).toEqual(['Dockerfile:4']);
  });

  it('patterns can name one repository path or one image', () => {
    const config = "rules:\n  unpinned-image:\n    options:\n      tag-pinned-ok: ['registry.internal.example.com/team/*', postgres]\n";
    expect(hits(files, 'unpinned-image', config)).toEqual(['.github/workflows/ci.yml:5', 'Dockerfile:2']);
  });
});

describe('exposed-admin-port: ports', () => {
  const files = {
    Dockerfile: 'FROM ubuntu:24.04\nEXPOSE 22\nEXPOSE 8000-8100\nEXPOSE 9000\n',
    'compose.yaml': 'services:\n  admin:\n    image: example/admin:1\n    ports:\n      - "9000:9000"\n      - "5432:5432"\n',
  };

  it('the default list reports SSH, InfluxDB (8086, in the range) and PostgreSQL', () => {
    expect(hits(files, 'exposed-admin-port')).toEqual(['Dockerfile:2', 'Dockerfile:3', 'compose.yaml:6']);
  });

  it('a configured list replaces the default: its ports are reported with their service names, the others are not', () => {
    const config = 'rules:\n  exposed-admin-port:\n    options:\n      ports:\n        - { port: 8081, service: admin console }\n        - port: 9000\n          service: Portainer\n';
    const found = scanFiles(files, { config: parse(config) }).findings.filter((f) => f.ruleId === 'exposed-admin-port');
    expect(found.map((f) => `${f.path}:${f.line}`).sort()).toEqual(['Dockerfile:3', 'Dockerfile:4', 'compose.yaml:5']);
    expect(found.find((f) => f.line === 3)!.message).toContain('EXPOSE 8000-8100 includes 8081 (admin console)');
    expect(found.find((f) => f.line === 4)!.message).toContain('EXPOSE 9000 (Portainer)');
    expect(found.find((f) => f.path === 'compose.yaml')!.message).toContain('9000 (Portainer)');
  });

  it('an empty list turns the port checks off', () => {
    expect(hits(files, 'exposed-admin-port', 'rules:\n  exposed-admin-port:\n    options:\n      ports: []\n')).toEqual([]);
  });
});

describe('option errors name the file, line, key and what is allowed', () => {
  it.each([
    ['a port out of range', 'rules:\n  exposed-admin-port:\n    options:\n      ports:\n        - { port: 70000, service: x }\n', [`${FILE}:5:19: rules.exposed-admin-port.options.ports[0].port: expected a whole number from 1 to 65535, got 70000`]],
    ['a port as a string', "rules:\n  exposed-admin-port:\n    options:\n      ports:\n        - { port: '22', service: SSH }\n", [`${FILE}:5:19: rules.exposed-admin-port.options.ports[0].port: expected a whole number from 1 to 65535, got "22"`]],
    ['a port without its service', 'rules:\n  exposed-admin-port:\n    options:\n      ports:\n        - port: 22\n', [`${FILE}:5:11: rules.exposed-admin-port.options.ports[0]: missing required key service`]],
    ['a port entry with an unknown key', 'rules:\n  exposed-admin-port:\n    options:\n      ports:\n        - { port: 22, service: SSH, proto: tcp }\n', [`${FILE}:5:37: rules.exposed-admin-port.options.ports[0].proto: unknown key; did you mean port? Allowed keys: port, service`]],
    ['a single image instead of a list', 'rules:\n  runs-as-root:\n    options:\n      non-root-images: myorg/app\n', [`${FILE}:4:24: rules.runs-as-root.options.non-root-images: expected a list, got the string "myorg/app"`]],
    ['a misspelt option', 'rules:\n  unpinned-image:\n    options:\n      tag-pined-ok: []\n', [`${FILE}:4:7: rules.unpinned-image.options.tag-pined-ok: unknown key; did you mean tag-pinned-ok? Allowed keys: tag-pinned-ok`]],
    ['an empty baseline path', "baseline: ''\n", [`${FILE}:1:11: baseline: must not be empty`]],
  ])('%s', (_name, text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it('baseline: the path is kept as written (the CLI and the action resolve it against the scanned root)', () => {
    expect(parse('baseline: debt/portcullis-baseline.json\n').baseline).toBe('debt/portcullis-baseline.json');
    expect(parse('fail-on: low\n').baseline).toBeUndefined();
  });
});
