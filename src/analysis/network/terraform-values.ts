import type { Confidence, Project } from '../../core/types.js';
import { isTerraformPath, parseTerraform, type TerraformDoc, type TfBlock, type TfValue } from '../../parsers/terraform.js';

/**
 * The module's `locals` and `variable` defaults, so that `cidr_blocks = [local.anywhere]` reads as what it says. A
 * Terraform module is the `.tf` files of one folder: they share locals and variables, so the siblings are read through
 * the project view (once per folder and scan). A variable's default can be overridden at plan time (tfvars, `-var`,
 * the calling module), so what comes through one is less certain than a literal; anything else stays unknown.
 */
export interface Symbols {
  locals: ReadonlyMap<string, TfValue>;
  /** Declared variables; undefined: declared without a default (its value comes from outside). */
  variables: ReadonlyMap<string, TfValue | undefined>;
}

/** A value once references are followed, and how sure it is: `high` literal, `medium` through a variable's default, `low` unknown. */
export interface Resolved {
  value: TfValue;
  confidence: Confidence;
}

/** Variable files Terraform loads without being told (https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files). */
const AUTO_TFVARS = /(^|\/)(terraform\.tfvars|[^/]*\.auto\.tfvars)$/i;

/** Sibling files read per folder: beyond this a module is not followed (its references stay unknown). */
const MAX_SIBLINGS = 200;
/** Locals referring to locals: deeper chains (or cycles) stay unknown. */
const MAX_HOPS = 8;

const DECLARES_SYMBOLS = /^[ \t]*(locals|variable)\b/m;

const cache = new WeakMap<Project, Map<string, Symbols>>();

/** The symbols of the module `path` belongs to: this document's, plus its siblings' when the project can list them. */
export function moduleSymbols(doc: TerraformDoc, path: string, project?: Project): Symbols {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const own = collect([doc]);
  if (!project) return own;
  let byDir = cache.get(project);
  if (!byDir) cache.set(project, (byDir = new Map()));
  let shared = byDir.get(dir);
  if (!shared) {
    const docs: TerraformDoc[] = [];
    const vars: TerraformDoc[] = [];
    for (const p of project.list(dir).filter((p) => isTerraformPath(p) || AUTO_TFVARS.test(p)).slice(0, MAX_SIBLINGS)) {
      const text = project.read(p);
      // a .tf file without a `locals` or `variable` block adds no symbol: not parsed a second time
      if (text === undefined || (isTerraformPath(p) && !DECLARES_SYMBOLS.test(text))) continue;
      const sibling = parseTerraform(p, text, []);
      if (sibling) (isTerraformPath(p) ? docs : vars).push(sibling);
    }
    shared = collect(docs);
    // the values Terraform loads by itself override the defaults (as certain as a default: -var and -var-file still can)
    for (const a of vars.flatMap((v) => v.attributes)) if (shared.variables.has(a.name)) (shared.variables as Map<string, TfValue | undefined>).set(a.name, a.value);
    byDir.set(dir, shared);
  }
  // this file's own locals win (the project may not have its text: a scan of named files); its variables' defaults
  // do not override a tfvars value the folder gives
  const variables = new Map([...own.variables, ...shared.variables]);
  return { locals: new Map([...shared.locals, ...own.locals]), variables };
}

function collect(docs: readonly TerraformDoc[]): Symbols {
  const locals = new Map<string, TfValue>();
  const variables = new Map<string, TfValue | undefined>();
  for (const b of docs.flatMap((d) => d.blocks)) {
    if (b.type === 'locals') for (const a of b.attributes) locals.set(a.name, a.value);
    if (b.type === 'variable' && b.labels[0]) variables.set(b.labels[0], b.attributes.find((a) => a.name === 'default')?.value);
  }
  return { locals, variables };
}

const weaker = (a: Confidence, b: Confidence): Confidence => (a === 'low' || b === 'low' ? 'low' : a === 'medium' || b === 'medium' ? 'medium' : 'high');

/** Follows `local.x` / `var.x` to a value; a reference that leads nowhere is `unknown` (low). */
export function resolve(v: TfValue | undefined, sym: Symbols): Resolved | undefined {
  if (!v) return undefined;
  let value = v;
  let confidence: Confidence = 'high';
  for (let hop = 0; value.kind === 'ref'; hop++) {
    const next = hop >= MAX_HOPS ? undefined : value.scope === 'local' ? sym.locals.get(value.name) : sym.variables.get(value.name);
    if (value.scope === 'var') confidence = weaker(confidence, 'medium');
    if (!next || next.kind === 'null') return { value: { kind: 'unknown', text: `${value.scope}.${value.name}`, span: v.span }, confidence: 'low' };
    value = next;
  }
  // keep the span where the value is used: that is where a finding points
  return { value: { ...value, span: v.span }, confidence: value.kind === 'unknown' ? 'low' : confidence };
}

/** The literal string, number or bool a value resolves to (numbers as written: `"22"` and `22` are both 22). */
export function scalar(v: TfValue | undefined, sym: Symbols): { value: string; confidence: Confidence } | undefined {
  const r = resolve(v, sym);
  if (!r) return undefined;
  const x = r.value;
  if (x.kind === 'string') return { value: x.value, confidence: r.confidence };
  if (x.kind === 'number' || x.kind === 'bool') return { value: String(x.value), confidence: r.confidence };
  return undefined;
}

/** The strings of a list (or of a lone string); `unknown` when some item, or the list itself, is not known. */
export function stringList(v: TfValue | undefined, sym: Symbols): { values: string[]; unknown: boolean; confidence: Confidence } {
  const r = resolve(v, sym);
  if (!r) return { values: [], unknown: false, confidence: 'high' };
  const items = r.value.kind === 'tuple' ? r.value.items : [r.value];
  const out = { values: [] as string[], unknown: r.value.kind !== 'tuple' && r.value.kind !== 'string', confidence: r.confidence };
  for (const item of items) {
    const s = scalar(item, sym);
    if (s) {
      out.values.push(s.value);
      out.confidence = weaker(out.confidence, s.confidence);
    } else if (resolve(item, sym)?.value.kind !== 'null') out.unknown = true;
  }
  return out;
}

/** A block's attribute as a scalar string. */
export function attrScalar(b: TfBlock, name: string, sym: Symbols): { value: string; confidence: Confidence } | undefined {
  return scalar(b.attributes.find((a) => a.name === name)?.value, sym);
}

export { weaker };
