import { DockerfileParser, Instruction, type Argument, type Flag, type From, type Property } from 'dockerfile-ast';
import type { Notice, Span } from '../core/types.js';

/** A Dockerfile as typed, span-carrying data; variable references are resolved with Docker's ARG/ENV scoping. */
export interface DockerfileDoc {
  path: string;
  /** The source text (BOM stripped), for rules that read instruction bodies such as RUN scripts. */
  text: string;
  escapeChar: string;
  /** ARGs before the first FROM: usable in FROM lines, and in a stage that redeclares them. */
  globalArgs: KeyValue[];
  stages: Stage[];
  /** Every ENV, ARG and LABEL pair in file order (global ARGs have stage -1). */
  keyValues: KeyValue[];
  /** External image references: FROM lines that are not a stage or scratch, COPY --from and RUN --mount from=. */
  images: ImageUse[];
}

/** A value after variable substitution; `unresolved` names the variables that had no known value. */
export interface Resolved {
  raw: string;
  /** The text with every known variable substituted; unknown ones stay as `${NAME}`. */
  value: string;
  unresolved: string[];
}

export interface Stage {
  index: number;
  /** The `AS` name, as written. */
  name?: string;
  image: Resolved;
  imageSpan: Span;
  fromSpan: Span;
  /** Index of the earlier stage this one is built FROM, if any. */
  parent?: number;
  instructions: DockerInstruction[];
  keyValues: KeyValue[];
  users: UserInstruction[];
  /** COPY --from / RUN --mount from= references, to stages or images. */
  references: StageReference[];
  /** True for the last stage and every stage it depends on through FROM <stage>, COPY --from or RUN --mount from=. */
  reachesFinal: boolean;
}

export interface DockerArgument {
  value: string;
  span: Span;
}

export interface DockerFlag {
  name: string;
  value: string | null;
  span: Span;
  valueSpan?: Span;
  options: { name: string; value: string | null; span: Span; valueSpan?: Span }[];
}

export interface DockerInstruction {
  keyword: string;
  span: Span;
  args: DockerArgument[];
  flags: DockerFlag[];
  /** Stage index, or -1 before the first FROM. */
  stage: number;
}

export interface KeyValue {
  instruction: 'ENV' | 'ARG' | 'LABEL';
  name: string;
  /** The value as written, quotes removed; undefined for `ARG NAME` without a default. */
  value?: string;
  nameSpan: Span;
  valueSpan?: Span;
  /** The whole `name=value` pair. */
  span: Span;
  stage: number;
}

export interface UserInstruction {
  user: Resolved;
  span: Span;
  argSpan: Span;
}

export interface StageReference {
  kind: 'copy' | 'mount';
  ref: Resolved;
  span: Span;
  /** Index of the stage it names (by name or number); undefined when it names an image. */
  stage?: number;
}

export interface ImageUse {
  kind: 'from' | 'copy' | 'mount';
  image: Resolved;
  span: Span;
  stage: number;
}

const toSpan = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): Span => ({
  line: r.start.line + 1,
  column: r.start.character + 1,
  endLine: r.end.line + 1,
  endColumn: r.end.character + 1,
});

/** Platform ARGs BuildKit defines in the global scope; their values depend on the build, so they stay unresolved. */
const AUTOMATIC_ARGS = new Set([
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
]);

type Scope = (name: string) => string | undefined;

/** Docker's variable substitution: `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`; the escape char protects `$`. */
export function substitute(raw: string, lookup: Scope, escapeChar = '\\'): Resolved {
  const unresolved: string[] = [];
  let value = '';
  let close = raw.indexOf('}');
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === escapeChar && raw[i + 1] === '$') {
      value += '$';
      i++;
      continue;
    }
    if (c !== '$') {
      value += c;
      continue;
    }
    // The braced form ends at the next `}`: searched once per `$`, and none left means no braced form from here on
    // (a regex over the rest would rescan it from every `${`, quadratic on `${x:-${x:-…`).
    if (close !== -1 && close < i) close = raw.indexOf('}', i);
    const braced = close === -1 ? null : /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}/.exec(raw.slice(i, close + 1));
    const bare = braced ? null : /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(raw.slice(i));
    const m = braced ?? bare;
    if (!m) {
      value += c;
      continue;
    }
    i += m[0].length - 1;
    const name = m[1]!;
    const known = lookup(name);
    const op = braced?.[2];
    const word = braced?.[3] ?? '';
    if (op === ':-' || op === '-') {
      value += known !== undefined && (op === '-' || known !== '') ? known : word;
    } else if (op === ':+' || op === '+') {
      if (known === undefined) {
        unresolved.push(name);
        value += m[0];
      } else value += op === '+' || known !== '' ? word : '';
    } else if (known !== undefined) {
      value += known;
    } else {
      unresolved.push(name);
      value += `\${${name}}`;
    }
  }
  return { raw, value, unresolved: [...new Set(unresolved)] };
}

export function parseDockerfile(path: string, text: string, notices: Notice[]): DockerfileDoc | undefined {
  try {
    return build(path, text, notices);
  } catch (err) {
    notices.push({
      path,
      message: `could not parse Dockerfile: ${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}`,
    });
    return undefined;
  }
}

function build(path: string, text: string, notices: Notice[]): DockerfileDoc | undefined {
  // dockerfile-ast breaks lines at a lone CR; Docker (and every span we report) breaks only at LF. Same length, so offsets hold.
  const df = DockerfileParser.parse(text.includes('\r') ? text.replace(/\r(?!\n)/g, ' ') : text);
  const escapeChar = df.getEscapeCharacter();
  const all = df.getInstructions();
  if (!all.some((i) => i.getKeyword() === 'FROM')) {
    notices.push({
      path,
      message:
        all.length === 0
          ? 'no instructions: not parsed as a Dockerfile'
          : 'no FROM instruction: not checked as a Dockerfile',
    });
    return undefined;
  }
  const doc: DockerfileDoc = { path, text, escapeChar, globalArgs: [], stages: [], keyValues: [], images: [] };
  const globals = new Map<string, string | undefined>();
  const globalScope: Scope = (n) => globals.get(n);
  let stage: Stage | undefined;
  let args = new Map<string, string | undefined>();
  let env = new Map<string, string>();
  const scope: Scope = (n) => env.get(n) ?? args.get(n);
  const envOf: Map<string, string>[] = [];

  for (const ins of all) {
    memoArguments(ins);
    const keyword = ins.getKeyword();
    if (keyword === 'FROM') {
      if (stage) envOf[stage.index] = env;
      stage = startStage(ins, doc, globalScope, escapeChar);
      doc.stages.push(stage);
      args = new Map();
      env = new Map(stage.parent !== undefined ? envOf[stage.parent] : []);
      continue;
    }
    const record = instruction(ins, stage?.index ?? -1);
    if (!stage) {
      if (keyword !== 'ARG') continue;
      for (const kv of keyValues(ins, 'ARG', -1)) {
        globals.set(kv.name, kv.value === undefined ? undefined : substitute(kv.value, globalScope, escapeChar).value);
        doc.globalArgs.push(kv);
        doc.keyValues.push(kv);
      }
      continue;
    }
    stage.instructions.push(record);
    if (keyword === 'ARG' || keyword === 'ENV' || keyword === 'LABEL') {
      for (const kv of keyValues(ins, keyword, stage.index)) {
        stage.keyValues.push(kv);
        doc.keyValues.push(kv);
        const value = kv.value === undefined ? undefined : substitute(kv.value, scope, escapeChar);
        const known = value && value.unresolved.length === 0 ? value.value : undefined;
        if (keyword === 'ARG') args.set(kv.name, kv.value === undefined ? globals.get(kv.name) : known);
        else if (keyword === 'ENV' && known !== undefined) env.set(kv.name, known);
        else if (keyword === 'ENV') env.delete(kv.name);
      }
    } else if (keyword === 'USER' && record.args[0]) {
      const first = record.args[0];
      stage.users.push({ user: substitute(first.value, scope, escapeChar), span: record.span, argSpan: first.span });
    } else if (keyword === 'COPY') {
      const from = record.flags.find((f) => f.name === 'from');
      if (from?.value)
        stage.references.push({
          kind: 'copy',
          ref: substitute(from.value, scope, escapeChar),
          span: from.valueSpan ?? from.span,
        });
    } else if (keyword === 'RUN') {
      for (const flag of record.flags.filter((f) => f.name === 'mount')) {
        const opt = flag.options.find((o) => o.name === 'from');
        if (opt?.value)
          stage.references.push({
            kind: 'mount',
            ref: substitute(opt.value, scope, escapeChar),
            span: opt.valueSpan ?? opt.span,
          });
      }
    }
  }
  linkReferences(doc);
  return doc;
}

/**
 * dockerfile-ast recomputes an instruction's arguments on every call, and its own getters (image, flags, properties,
 * stage name, heredocs, the constructors of RUN/CMD/COPY, …) call them again and again: compute them once per
 * instruction. The raw arguments depend only on state set by Instruction's constructor (document, range, escape
 * character), so they are cached per instance for the whole library; subclasses' getArguments once per instruction
 * here. Each call gets a copy, since some of the library's getters shift the array they are given.
 */
const RAW_ARGUMENTS = Symbol('portcullis.rawArguments');
type Cached = { [RAW_ARGUMENTS]?: Argument[] };
const instructionProto = Instruction.prototype as unknown as { getRawArguments: () => Argument[] };
const computeRawArguments = instructionProto.getRawArguments;
// Kept on the instance (a WeakMap lookup per call cost more than the copy).
instructionProto.getRawArguments = function (this: Cached): Argument[] {
  const args = (this[RAW_ARGUMENTS] ??= computeRawArguments.call(this));
  return args.slice();
};

function memoArguments(ins: Instruction): void {
  const args = ins.getArguments();
  ins.getArguments = () => args.slice();
}

function startStage(ins: Instruction, doc: DockerfileDoc, globalScope: Scope, escapeChar: string): Stage {
  const from = ins as From;
  const index = doc.stages.length;
  const raw = from.getImage() ?? '';
  const imageRange = from.getImageRange();
  const image = substitute(raw, (n) => (AUTOMATIC_ARGS.has(n) ? undefined : globalScope(n)), escapeChar);
  const fromSpan = toSpan(ins.getRange());
  const name = from.getBuildStage() ?? undefined;
  const wanted = image.value.toLowerCase();
  const parent = doc.stages.find((s) => s.name !== undefined && s.name.toLowerCase() === wanted)?.index;
  const stage: Stage = {
    index,
    ...(name !== undefined ? { name } : {}),
    image,
    imageSpan: imageRange ? toSpan(imageRange) : fromSpan,
    fromSpan,
    ...(parent !== undefined ? { parent } : {}),
    instructions: [instruction(ins, index)],
    keyValues: [],
    users: [],
    references: [],
    reachesFinal: false,
  };
  if (parent === undefined && raw !== '' && wanted !== 'scratch')
    doc.images.push({ kind: 'from', image, span: stage.imageSpan, stage: index });
  return stage;
}

function instruction(ins: Instruction, stage: number): DockerInstruction {
  const withFlags = ins as Instruction & { getFlags?: () => Flag[] };
  const flags = withFlags.getFlags ? withFlags.getFlags().map(flag) : [];
  return {
    keyword: ins.getKeyword(),
    span: toSpan(ins.getRange()),
    args: ins.getArguments().map((a) => ({ value: a.getValue(), span: toSpan(a.getRange()) })),
    flags,
    stage,
  };
}

function flag(f: Flag): DockerFlag {
  const valueRange = f.getValueRange();
  return {
    name: f.getName(),
    value: f.getValue(),
    span: toSpan(f.getRange()),
    ...(valueRange ? { valueSpan: toSpan(valueRange) } : {}),
    options: f.getOptions().map((o) => {
      const vr = o.getValueRange();
      return {
        name: o.getName(),
        value: o.getValue(),
        span: toSpan(o.getRange()),
        ...(vr ? { valueSpan: toSpan(vr) } : {}),
      };
    }),
  };
}

function keyValues(ins: Instruction, kind: KeyValue['instruction'], stage: number): KeyValue[] {
  const props = (ins as Instruction & { getProperties?: () => Property[] }).getProperties?.() ?? [];
  const out: KeyValue[] = [];
  for (const p of props) {
    const name = p.getName();
    if (!name || name === '\\' || name === '`') continue;
    const nameSpan = toSpan(p.getNameRange());
    const valueRange = p.getValueRange();
    const valueSpan = valueRange ? toSpan(valueRange) : undefined;
    const value = p.getValue() ?? undefined;
    const end = valueSpan ?? nameSpan;
    out.push({
      instruction: kind,
      name,
      ...(value !== undefined ? { value } : {}),
      nameSpan,
      ...(valueSpan ? { valueSpan } : {}),
      span: { line: nameSpan.line, column: nameSpan.column, endLine: end.endLine, endColumn: end.endColumn },
      stage,
    });
  }
  return out;
}

/** Ties COPY --from / mount from= to stages (by number or name), lists external images, and marks stages the final image needs. */
function linkReferences(doc: DockerfileDoc): void {
  const byName = new Map<string, number>();
  for (const s of doc.stages) if (s.name !== undefined) byName.set(s.name.toLowerCase(), s.index);
  for (const s of doc.stages) {
    for (const ref of s.references) {
      const v = ref.ref.value;
      const stage = /^\d+$/.test(v) ? Number(v) : byName.get(v.toLowerCase());
      if (stage !== undefined) ref.stage = stage;
      else if (v !== '' && v.toLowerCase() !== 'scratch')
        doc.images.push({ kind: ref.kind, image: ref.ref, span: ref.span, stage: s.index });
    }
  }
  doc.images.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  const queue = doc.stages.length > 0 ? [doc.stages.length - 1] : [];
  while (queue.length > 0) {
    const s = doc.stages[queue.pop()!];
    if (!s || s.reachesFinal) continue;
    s.reachesFinal = true;
    if (s.parent !== undefined) queue.push(s.parent);
    for (const ref of s.references) if (ref.stage !== undefined) queue.push(ref.stage);
  }
}
