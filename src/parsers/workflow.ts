import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Notice, Span } from '../core/types.js';
import { getNode, resolveNode, scalarString, type YamlFile } from './yaml.js';

/** A string value from the YAML with the span of its node (or of its key when the value is absent). */
export interface Located<T = string> {
  value: T;
  span: Span;
  node?: Node;
}

export interface Permissions {
  span: Span;
  /** `read-all`, `write-all`, or `{}` written as a string / empty map. */
  shorthand?: 'read-all' | 'write-all' | 'none';
  scopes: Map<string, Located>;
}

export interface Step {
  index: number;
  span: Span;
  /** Where the step is written: the alias (`- *checkout`) for a reused step, else the same as `span`. */
  itemSpan: Span;
  node: Node;
  id?: string;
  name?: string;
  uses?: Located;
  run?: Located;
  shell?: string;
  with: Map<string, Located>;
  env: Map<string, Located>;
  if?: Located;
}

export interface ImageUse {
  image: Located;
  credentials?: { username?: Located; password?: Located };
  label: string;
}

export interface Job {
  id: string;
  keySpan: Span;
  node: Node;
  name?: string;
  runsOn: Located<string[]>[];
  permissions?: Permissions;
  containers: ImageUse[];
  environment?: Located;
  uses?: Located;
  secrets?: Located;
  with: Map<string, Located>;
  env: Map<string, Located>;
  steps: Step[];
  if?: Located;
}

export interface Trigger {
  name: string;
  span: Span;
  config?: Node;
}

/** A workflow (`.github/workflows/*.yml`) or an action metadata file (`action.yml`). */
export interface WorkflowDoc {
  type: 'workflow' | 'action';
  path: string;
  file: YamlFile;
  doc: Document.Parsed;
  triggers: Trigger[];
  permissions?: Permissions;
  env: Map<string, Located>;
  jobs: Job[];
  /** Composite action: its steps; Docker action: `runs.image`. */
  runs?: { using?: Located; image?: Located; steps: Step[] };
  /** The file's source text (node ranges are offsets into it). */
  text: string;
  /** Absolute offset of a substring inside a node's source, to point at it exactly. */
  spanWithin(node: Node | undefined, needle: string, from?: number): Span | undefined;
}

export function isWorkflowPath(path: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(path);
}

export function isActionPath(path: string): boolean {
  return /(^|\/)action\.ya?ml$/i.test(path);
}

export function workflowFromYaml(file: YamlFile, text: string, notices: Notice[]): WorkflowDoc | undefined {
  const doc = file.documents[0];
  if (!doc) return undefined;
  const root = resolveNode(doc.contents, doc);
  if (!isMap(root)) {
    notices.push({ path: file.path, message: 'not a workflow: the top level is not a mapping' });
    return undefined;
  }
  const type = isActionPath(file.path) && !isWorkflowPath(file.path) ? 'action' : 'workflow';
  const str = (node: unknown): Located | undefined => {
    const n = resolveNode(node, doc);
    const v = scalarString(n);
    return v === undefined ? undefined : { value: v, span: file.spanOf(n), node: n };
  };
  const mapOf = (node: unknown): Map<string, Located> => {
    const out = new Map<string, Located>();
    const n = resolveNode(node, doc);
    if (!isMap(n)) return out;
    for (const pair of n.items) {
      const key = scalarString(pair.key);
      const v = resolveNode(pair.value, doc);
      if (key === undefined) continue;
      out.set(key, { value: scalarString(v) ?? '', span: file.spanOf((v ?? pair.key) as Node), node: (v ?? pair.key) as Node });
    }
    return out;
  };
  const permissions = (node: unknown): Permissions | undefined => {
    const n = resolveNode(node, doc);
    if (!n) return undefined;
    const s = scalarString(n);
    if (s !== undefined) {
      const shorthand = s === 'read-all' || s === 'write-all' ? s : s === '' ? 'none' : undefined;
      return { span: file.spanOf(n), shorthand, scopes: new Map() };
    }
    const scopes = mapOf(n);
    return { span: file.spanOf(n), shorthand: scopes.size === 0 ? 'none' : undefined, scopes };
  };
  // Where a step is written: the alias for `- *x`, and from its `&x` anchor (which the node's range leaves out) for an anchored step.
  const itemSpan = (item: Node, s: Node): Span => {
    const span = file.spanOf(item);
    const anchor = (item as { anchor?: string }).anchor;
    const start = item.range?.[0];
    if (!anchor || start === undefined) return span;
    const at = text.lastIndexOf(`&${anchor}`, start);
    if (at < 0 || /\S/.test(text.slice(at + anchor.length + 1, start).replace(/#.*$/gm, ''))) return file.spanOf(s);
    const a = file.spanOf({ range: [at, at, at] } as unknown as Node);
    return { ...span, line: a.line, column: a.column };
  };
  // A parallel group (`- parallel: [steps…]`, GitHub's parallel steps) runs its steps side by side: each is a step of the
  // job, in file order. `index` is the step's position in the flattened list.
  const steps = (node: unknown, out: Step[] = [], depth = 0): Step[] => {
    const n = resolveNode(node, doc);
    if (!isSeq(n) || depth > 4) return out;
    for (const item of n.items) {
      const s = resolveNode(item, doc);
      if (!isMap(s)) continue;
      const group = getNode(s, 'parallel', doc);
      if (group !== undefined && getNode(s, 'run', doc) === undefined && getNode(s, 'uses', doc) === undefined) {
        steps(group, out, depth + 1);
        continue;
      }
      const step: Step = {
        index: out.length,
        span: file.spanOf(s),
        itemSpan: itemSpan(item as Node, s),
        node: s,
        id: str(getNode(s, 'id', doc))?.value,
        name: str(getNode(s, 'name', doc))?.value,
        uses: str(getNode(s, 'uses', doc)),
        run: str(getNode(s, 'run', doc)),
        shell: str(getNode(s, 'shell', doc))?.value,
        with: mapOf(getNode(s, 'with', doc)),
        env: mapOf(getNode(s, 'env', doc)),
        if: str(getNode(s, 'if', doc)),
      };
      out.push(step);
    }
    return out;
  };
  const imageUse = (node: unknown, label: string): ImageUse | undefined => {
    const n = resolveNode(node, doc);
    const image = isMap(n) ? str(getNode(n, 'image', doc)) : str(n);
    if (!image) return undefined;
    const cred = isMap(n) ? resolveNode(getNode(n, 'credentials', doc), doc) : undefined;
    return {
      image,
      label,
      credentials: isMap(cred) ? { username: str(getNode(cred, 'username', doc)), password: str(getNode(cred, 'password', doc)) } : undefined,
    };
  };

  const triggers: Trigger[] = [];
  const onPair = root.items.find((p) => scalarString(p.key) === 'on' || (isScalar(p.key) && p.key.value === true));
  const on = resolveNode(onPair?.value, doc);
  if (isScalar(on) && on.value !== null) triggers.push({ name: String(on.value), span: file.spanOf(on) });
  else if (isSeq(on)) for (const t of on.items) { const l = str(t); if (l) triggers.push({ name: l.value, span: l.span }); }
  else if (isMap(on))
    for (const pair of on.items) {
      const name = scalarString(pair.key);
      if (name) triggers.push({ name, span: file.spanOf(pair.key as Node), config: resolveNode(pair.value, doc) });
    }

  const jobs: Job[] = [];
  const jobsNode = resolveNode(getNode(root, 'jobs', doc), doc);
  if (isMap(jobsNode)) {
    for (const pair of jobsNode.items) {
      const id = scalarString(pair.key);
      const j = resolveNode(pair.value, doc);
      if (id === undefined || !isMap(j)) continue;
      const runsOnNode = resolveNode(getNode(j, 'runs-on', doc), doc);
      const runsOn: Located<string[]>[] = [];
      if (runsOnNode) {
        const labelsNode = isMap(runsOnNode) ? resolveNode(getNode(runsOnNode, 'labels', doc), doc) : runsOnNode;
        const group = isMap(runsOnNode) ? scalarString(getNode(runsOnNode, 'group', doc)) : undefined;
        const labels = isSeq(labelsNode) ? labelsNode.items.map((i) => scalarString(resolveNode(i, doc)) ?? '') : [scalarString(labelsNode) ?? ''];
        runsOn.push({ value: [...labels.filter(Boolean), ...(group ? [`group:${group}`] : [])], span: file.spanOf(runsOnNode), node: runsOnNode });
      }
      const containers: ImageUse[] = [];
      const c = imageUse(getNode(j, 'container', doc), 'container');
      if (c) containers.push(c);
      const services = resolveNode(getNode(j, 'services', doc), doc);
      if (isMap(services))
        for (const sp of services.items) {
          const u = imageUse(sp.value, `service ${scalarString(sp.key) ?? ''}`);
          if (u) containers.push(u);
        }
      const envNode = resolveNode(getNode(j, 'environment', doc), doc);
      jobs.push({
        id,
        keySpan: file.spanOf(pair.key as Node),
        node: j,
        name: str(getNode(j, 'name', doc))?.value,
        runsOn,
        permissions: permissions(getNode(j, 'permissions', doc)),
        containers,
        environment: isMap(envNode) ? str(getNode(envNode, 'name', doc)) : str(envNode),
        uses: str(getNode(j, 'uses', doc)),
        secrets: str(getNode(j, 'secrets', doc)),
        with: mapOf(getNode(j, 'with', doc)),
        env: mapOf(getNode(j, 'env', doc)),
        steps: steps(getNode(j, 'steps', doc)),
        if: str(getNode(j, 'if', doc)),
      });
    }
  }

  let runs: WorkflowDoc['runs'];
  const runsNode = resolveNode(getNode(root, 'runs', doc), doc);
  if (isMap(runsNode)) runs = { using: str(getNode(runsNode, 'using', doc)), image: str(getNode(runsNode, 'image', doc)), steps: steps(getNode(runsNode, 'steps', doc)) };

  return {
    type,
    path: file.path,
    file,
    doc,
    triggers,
    permissions: permissions(getNode(root, 'permissions', doc)),
    env: mapOf(getNode(root, 'env', doc)),
    jobs,
    runs,
    text,
    spanWithin(node, needle, from = 0) {
      const range = node?.range;
      if (!range) return undefined;
      const at = text.indexOf(needle, range[0] + from);
      if (at < 0 || at >= range[1]) return undefined;
      return file.spanOf({ range: [at, at + needle.length, at + needle.length] } as unknown as Node);
    },
  };
}

/** Every step of a workflow or composite action, with the job it belongs to (undefined in an action). */
export function allSteps(wf: WorkflowDoc): { job?: Job; step: Step }[] {
  return [...wf.jobs.flatMap((job) => job.steps.map((step) => ({ job, step }))), ...(wf.runs?.steps ?? []).map((step) => ({ step }))];
}
