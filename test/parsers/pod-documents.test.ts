import { describe, expect, it } from 'vitest';
import { parseWorkload } from '../../src/parsers/workloads/index.js';
import { kubernetesPods } from '../../src/parsers/workloads/kubernetes.js';
import { Reader } from '../../src/parsers/workloads/nodes.js';
import { podDocuments } from '../../src/parsers/workloads/pod-documents.js';
import { parseYaml } from '../../src/parsers/yaml.js';
import type { Notice } from '../../src/core/types.js';

/** A rendered install manifest: CRDs (whose schemas even name `containers`), RBAC, a Service and workloads, CRLF in one document. */
const crd = (n: number) =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things${n}.example.io\nspec:\n  group: example.io\n  versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        properties:\n          containers:\n            type: array\n          image:\n            type: string\n`;
const deployment = (n: number, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${n}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: main\n        image: example.com/app:${n}\n        securityContext:\n          privileged: true\n${extra}`;
const manifest = [
  '# Source: example/templates/crds.yaml',
  crd(1),
  '---',
  'apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: app\r\n',
  '---',
  deployment(1, '        env:\n        - name: MODE\n          value: "a: b"\n'),
  '--- # the next one',
  crd(2),
  '---',
  deployment(2),
  '...',
  '---',
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n  spec:\n    containers:\n    - name: c\n      image: example.com/p:1\n',
].join('\n');

/** PodSpecs without the YAML nodes they hold, for comparison. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v) => (k === 'node' || (v && typeof v === 'object' && 'range' in v && 'toJSON' in v) ? undefined : v)));

describe('podDocuments', () => {
  it('parses only the documents that can hold a pod, with spans identical to a parse of the whole file', () => {
    const notices: Notice[] = [];
    const file = podDocuments('install.yaml', manifest, notices)!;
    expect(notices).toEqual([]);
    expect(file.documents).toHaveLength(3);
    const whole = parseYaml('install.yaml', manifest, [])!;
    const expected = whole.documents.flatMap((d) => kubernetesPods(new Reader(whole, d, manifest)));
    const got = parseWorkload('install.yaml', manifest, [], () => whole);
    expect(got?.format).toBe('kubernetes');
    expect(expected.length).toBe(3);
    expect(plain(got!.format === 'kubernetes' ? got!.pods : [])).toEqual(plain(expected));
    // a span points into the whole file
    const lines = manifest.split('\n');
    const second = got!.format === 'kubernetes' ? got!.pods[1]! : undefined;
    expect(lines[second!.span.line - 1]).toContain('kind: Deployment');
  });

  it('falls back to the whole parse when nothing can be skipped, and reports a broken workload document at its line', () => {
    expect(podDocuments('a.yaml', deployment(1), [])).toBeUndefined();
    expect(podDocuments('crd.yaml', crd(3), [])?.documents).toEqual([]);
    expect(podDocuments('a.yaml', `${deployment(1)}---\n${deployment(2)}`, [])).toBeUndefined();
    const notices: Notice[] = [];
    const broken = `${crd(1)}---\n${deployment(1)}      - [unclosed\n`;
    const file = podDocuments('b.yaml', broken, notices);
    expect(file?.documents).toEqual([]);
    expect(notices[0]?.line).toBeGreaterThan(crd(1).split('\n').length);
  });
});

describe('podDocuments cannot be fooled into skipping a pod', () => {
  const pods = (text: string) => {
    const got = parseWorkload('x.yaml', text, [], () => parseYaml('x.yaml', text, []));
    return got?.format === 'kubernetes' ? got.pods.map((p) => p.label) : [];
  };
  const whole = (text: string) => {
    const file = parseYaml('x.yaml', text, [])!;
    return file.documents.flatMap((d) => kubernetesPods(new Reader(file, d, text))).map((p) => p.label);
  };
  it.each([
    ['a second, duplicate top-level kind', 'kind: Deployment\napiVersion: apps/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: hidden\nspec:\n  template:\n    spec:\n      hostNetwork: true\n'],
    ['a flow mapping (JSON) document', '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hidden"}, "spec": {"hostPID": true}}\n'],
    ['an escaped key', 'apiVersion: v1\n"k\\x69nd": Pod\nmetadata:\n  name: hidden\nspec:\n  hostIPC: true\n'],
    ['an explicit key', 'apiVersion: v1\n? kind\n: Pod\nmetadata:\n  name: hidden\nspec:\n  hostPID: true\n'],
    ['a pod without containers', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hidden\nspec:\n  hostNetwork: true\n'],
  ])('%s', (_, hostile) => {
    const text = `${crd(9)}---\n${hostile}`;
    expect(whole(text).length).toBe(1);
    expect(pods(text)).toEqual(whole(text));
  });
});
