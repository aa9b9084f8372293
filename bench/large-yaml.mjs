#!/usr/bin/env node
// Speed on large rendered Kubernetes manifests (issue 14, item 4). Not a test: nothing is asserted.
//
//   node bench/large-yaml.mjs [--runs N] [--mb 2] [--file MANIFEST] [--tree DIR] [--cli FILE]
//
// Writes a deterministic multi-document install manifest of about --mb MB into bench/out/large-yaml/ (the shape of a
// rendered operator install: CustomResourceDefinitions with large openAPIV3Schema trees, RBAC, ConfigMaps, Services and a
// few Deployments/StatefulSets), or takes --file. Times, as child processes with NODE_EXTRA_CA_CERTS unset, medians of
// --runs (default 5): `node CLI --version` (start-up), `node CLI scan <dir holding only the manifest> --format json --jobs 1`,
// and with --tree, `node CLI scan DIR --format json` (e.g. a checkout of argoproj/argo-cd).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const runs = Number(opt('--runs', 5));
const mb = Number(opt('--mb', 1.9)); // below the 2 MiB YAML parse limit (src/parsers/yaml.ts), like argo-cd's 1.9 MB install.yaml
const cli = resolve(opt('--cli', join(root, 'dist', 'cli.js')));
const tree = opt('--tree');
if (!existsSync(cli)) {
  console.error(`large-yaml: ${cli} is missing; run \`npm run build\` first`);
  process.exit(2);
}

/** A CRD whose schema nests `width` properties `depth` levels deep: the bulk of a rendered install manifest. */
function crd(i, width, depth) {
  const lines = [`apiVersion: apiextensions.k8s.io/v1`, `kind: CustomResourceDefinition`, `metadata:`, `  name: things${i}.example.io`, `spec:`, `  group: example.io`];
  lines.push(`  names:`, `    kind: Thing${i}`, `    plural: things${i}`, `  scope: Namespaced`, `  versions:`, `  - name: v1alpha1`, `    served: true`, `    storage: true`, `    schema:`, `      openAPIV3Schema:`);
  const props = (indent, level) => {
    const pad = ' '.repeat(indent);
    lines.push(`${pad}type: object`, `${pad}properties:`);
    for (let p = 0; p < width; p++) {
      lines.push(`${pad}  field${level}x${p}:`, `${pad}    description: Field ${p} at level ${level} of thing ${i}; an explanation as long as generated API docs write them.`);
      if (level < depth) props(indent + 4, level + 1);
      else lines.push(`${pad}    type: string`);
    }
  };
  props(8, 1);
  return lines.join('\n');
}

function workload(i) {
  const kind = i % 3 === 0 ? 'StatefulSet' : 'Deployment';
  return [
    `apiVersion: apps/v1`, `kind: ${kind}`, `metadata:`, `  name: component-${i}`, `  namespace: example`, `spec:`, `  selector:`, `    matchLabels:`, `      app: component-${i}`,
    `  template:`, `    metadata:`, `      labels:`, `        app: component-${i}`, `    spec:`, `      serviceAccountName: component-${i}`, `      containers:`,
    `      - name: main`, `        image: quay.example.com/example/component:v3.${i}.0`, `        args: ["/usr/local/bin/component", "--loglevel", "info"]`,
    `        env:`, `        - name: COMPONENT_ID`, `          value: "${i}"`, `        ports:`, `        - containerPort: 8080`,
    `        securityContext:`, `          readOnlyRootFilesystem: true`, `          runAsNonRoot: true`, `          allowPrivilegeEscalation: false`,
  ].join('\n');
}

const small = (i) =>
  [
    [`apiVersion: v1`, `kind: ServiceAccount`, `metadata:`, `  name: component-${i}`].join('\n'),
    [`apiVersion: rbac.authorization.k8s.io/v1`, `kind: Role`, `metadata:`, `  name: component-${i}`, `rules:`, `- apiGroups: [""]`, `  resources: [secrets, configmaps]`, `  verbs: [get, list, watch]`].join('\n'),
    [`apiVersion: v1`, `kind: Service`, `metadata:`, `  name: component-${i}`, `spec:`, `  ports:`, `  - port: 8080`, `  selector:`, `    app: component-${i}`].join('\n'),
  ].join('\n---\n');

function manifest(targetBytes) {
  const docs = [];
  let size = 0;
  for (let i = 0; size < targetBytes * 0.85; i++) {
    const d = crd(i, 6, 3);
    docs.push(d);
    size += d.length;
  }
  for (let i = 0; size < targetBytes; i++) {
    const d = `${small(i)}\n---\n${workload(i)}`;
    docs.push(d);
    size += d.length;
  }
  return `${docs.join('\n---\n')}\n`;
}

const dir = join(root, 'bench', 'out', 'large-yaml');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const file = opt('--file');
if (file) copyFileSync(file, join(dir, basename(file)));
else writeFileSync(join(dir, 'install.yaml'), manifest(mb * 1024 * 1024));
const manifestPath = file ? join(dir, basename(file)) : join(dir, 'install.yaml');

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
function time(args) {
  const samples = [];
  let findings;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const out = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
    samples.push((performance.now() - t) / 1000);
    if (args[0] === 'scan') findings = JSON.parse(out.stdout).findings.length;
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1], min: samples[0], findings };
}

const rows = [
  ['start-up (`--version`)', time(['--version'])],
  [`${basename(manifestPath)}, ${(statSync(manifestPath).size / 1024 / 1024).toFixed(2)} MB (\`--jobs 1\`)`, time(['scan', dir, '--format', 'json', '--jobs', '1'])],
];
if (tree) rows.push([`tree ${tree}`, time(['scan', resolve(tree), '--format', 'json'])]);
console.log(`| what | median s | min s | findings |\n| --- | ---: | ---: | ---: |`);
for (const [what, r] of rows) console.log(`| ${what} | ${r.median.toFixed(2)} | ${r.min.toFixed(2)} | ${r.findings ?? '-'} |`);
