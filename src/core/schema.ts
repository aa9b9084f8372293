import { closest } from './suggest.js';
import { excerpt } from './limits.js';

/**
 * A small typed schema DSL: one description validates the config file (with the YAML node of
 * every value, so each error has a line) and generates the published JSON Schema.
 */
interface Base {
  description?: string;
}
export interface StringSchema extends Base {
  kind: 'string';
  nonEmpty?: boolean;
}
export interface BoolSchema extends Base {
  kind: 'bool';
}
export interface IntSchema extends Base {
  kind: 'int';
  /** Inclusive bounds. */
  min?: number;
  max?: number;
}
export interface DateSchema extends Base {
  kind: 'date';
}
export interface EnumSchema<V extends string = string> extends Base {
  kind: 'enum';
  values: readonly V[];
  /** What a value is called in messages ("rule id"), and the label of the list of known values. */
  noun?: string;
  listLabel?: string;
}
export interface ArraySchema<I extends Schema = Schema> extends Base {
  kind: 'array';
  items: I;
}
export interface RecordSchema<V extends Schema = Schema> extends Base {
  kind: 'record';
  values: V;
  /** A regular expression every key must match, and how to describe it in a message. */
  keyPattern?: string;
  keyHint?: string;
}
export interface ObjectSchema<F extends Record<string, Schema> = Record<string, Schema>> extends Base {
  kind: 'object';
  fields: F;
  required?: readonly string[];
  /** What a key is called in messages ("rule id"), and the label of the list of known keys. */
  noun?: string;
  listLabel?: string;
}
export type Schema = StringSchema | BoolSchema | IntSchema | DateSchema | EnumSchema | ArraySchema | RecordSchema | ObjectSchema;

/** The plain value a schema accepts (object fields are optional unless required). */
export type Infer<S> = S extends StringSchema | DateSchema
  ? string
  : S extends BoolSchema
    ? boolean
    : S extends IntSchema
      ? number
    : S extends EnumSchema<infer V>
      ? V
      : S extends ArraySchema<infer I>
        ? Infer<I>[]
        : S extends RecordSchema<infer V>
          ? Record<string, Infer<V>>
          : S extends ObjectSchema<infer F>
            ? { [K in keyof F]?: Infer<F[K]> }
            : never;

type Opts<S> = Omit<S, 'kind'>;
export const s = {
  string: (o: Opts<StringSchema> = {}): StringSchema => ({ kind: 'string', ...o }),
  bool: (o: Opts<BoolSchema> = {}): BoolSchema => ({ kind: 'bool', ...o }),
  int: (o: Opts<IntSchema> = {}): IntSchema => ({ kind: 'int', ...o }),
  date: (o: Opts<DateSchema> = {}): DateSchema => ({ kind: 'date', ...o }),
  enum: <const V extends string>(values: readonly V[], o: Omit<Opts<EnumSchema<V>>, 'values'> = {}): EnumSchema<V> => ({ kind: 'enum', values, ...o }),
  array: <I extends Schema>(items: I, o: Omit<Opts<ArraySchema<I>>, 'items'> = {}): ArraySchema<I> => ({ kind: 'array', items, ...o }),
  record: <V extends Schema>(values: V, o: Omit<Opts<RecordSchema<V>>, 'values'> = {}): RecordSchema<V> => ({ kind: 'record', values, ...o }),
  object: <F extends Record<string, Schema>>(fields: F, o: Omit<Opts<ObjectSchema<F>>, 'fields' | 'required'> & { required?: readonly (keyof F & string)[] } = {}): ObjectSchema<F> => ({
    kind: 'object',
    fields,
    ...o,
  }),
};

/** A value as the validator sees it: its plain value (maps and lists as entries) and where it is. */
export type Tree =
  | { kind: 'scalar'; value: unknown; at: Pos }
  | { kind: 'map'; entries: { key: string; keyAt: Pos; value: Tree }[]; at: Pos }
  | { kind: 'seq'; items: Tree[]; at: Pos };
export interface Pos {
  line: number;
  column: number;
}
export interface Issue extends Pos {
  /** Dotted path of the value (`rules.unpinned-action.severity`, `ignore[0].reason`). */
  path: string;
  message: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isCalendarDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === v;
}

/** A value from the file, as messages quote it: JSON, at most MAX_EXCERPT characters. */
const quote = (v: unknown): string => excerpt(JSON.stringify(v) ?? String(v));
const describe = (t: Tree): string => (t.kind === 'map' ? 'a map' : t.kind === 'seq' ? 'a list' : t.value === null ? 'nothing' : `${typeof t.value === 'string' ? 'the string' : typeof t.value} ${quote(t.value)}`);
const got = (t: Tree): string => (t.kind === 'scalar' && t.value !== null ? quote(t.value) : describe(t));
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Checks `tree` against `schema`, pushing every problem to `issues`; returns the plain value (undefined when invalid). */
export function validate(schema: Schema, node: Tree, path: string, issues: Issue[]): unknown {
  // `key:` with nothing after it is an empty map or list, not a type error.
  const empty = node.kind === 'scalar' && node.value === null;
  const tree: Tree =
    empty && schema.kind === 'array' ? { kind: 'seq', items: [], at: node.at } : empty && (schema.kind === 'object' || schema.kind === 'record') ? { kind: 'map', entries: [], at: node.at } : node;
  const fail = (message: string, at: Pos = tree.at): undefined => {
    issues.push({ path, message, ...at });
    return undefined;
  };
  switch (schema.kind) {
    case 'string':
    case 'date': {
      if (tree.kind !== 'scalar' || typeof tree.value !== 'string') return fail(`expected ${schema.kind === 'date' ? 'a date YYYY-MM-DD' : 'a string'}, got ${describe(tree)}`);
      if (schema.kind === 'date' && !isCalendarDate(tree.value)) return fail(`expected a date YYYY-MM-DD, got ${quote(tree.value)}`);
      if (schema.kind === 'string' && schema.nonEmpty && tree.value.trim() === '') return fail('must not be empty');
      return tree.value;
    }
    case 'bool':
      if (tree.kind !== 'scalar' || typeof tree.value !== 'boolean') return fail(`expected true or false, got ${got(tree)}`);
      return tree.value;
    case 'int': {
      const range = `${schema.min !== undefined ? ` from ${schema.min}` : ''}${schema.max !== undefined ? ` to ${schema.max}` : ''}`;
      if (tree.kind !== 'scalar' || typeof tree.value !== 'number' || !Number.isInteger(tree.value)) return fail(`expected a whole number${range}, got ${got(tree)}`);
      if ((schema.min !== undefined && tree.value < schema.min) || (schema.max !== undefined && tree.value > schema.max)) return fail(`expected a whole number${range}, got ${quote(tree.value)}`);
      return tree.value;
    }
    case 'enum': {
      const value = tree.kind === 'scalar' && typeof tree.value === 'string' ? tree.value : undefined;
      if (value !== undefined && schema.values.includes(value)) return value;
      if (schema.noun && value !== undefined) {
        const near = closest(value, schema.values);
        return fail(`unknown ${schema.noun} ${quote(value)}${near ? `; did you mean ${near}?` : '.'} ${schema.listLabel ?? 'Allowed'}: ${schema.values.join(', ')}`);
      }
      return fail(`must be one of ${schema.values.join(', ')} (got ${got(tree)})`);
    }
    case 'array': {
      if (tree.kind !== 'seq') return fail(`expected a list, got ${describe(tree)}`);
      const out = tree.items.map((item, i) => validate(schema.items, item, `${path}[${i}]`, issues));
      return out.every((v) => v !== undefined) ? out : undefined;
    }
    case 'record': {
      if (tree.kind !== 'map') return fail(`expected a map, got ${describe(tree)}`);
      const out: Record<string, unknown> = {};
      let ok = true;
      for (const e of tree.entries) {
        if (schema.keyPattern && !new RegExp(schema.keyPattern).test(e.key)) {
          issues.push({ path: join(path, e.key), message: `invalid key${schema.keyHint ? `: ${schema.keyHint}` : ''}`, ...e.keyAt });
          ok = false;
          continue;
        }
        const v = validate(schema.values, e.value, join(path, e.key), issues);
        if (v === undefined) ok = false;
        else out[e.key] = v;
      }
      return ok ? out : undefined;
    }
    case 'object': {
      if (tree.kind !== 'map') return fail(`expected a map, got ${describe(tree)}`);
      const out: Record<string, unknown> = {};
      let ok = true;
      const keys = Object.keys(schema.fields);
      for (const e of tree.entries) {
        const field = schema.fields[e.key];
        if (!field || !Object.hasOwn(schema.fields, e.key)) {
          const near = closest(e.key, keys);
          const noun = schema.noun ?? 'key';
          const list = keys.length === 0 ? 'No keys are allowed here.' : `${schema.listLabel ?? 'Allowed keys'}: ${keys.join(', ')}`;
          issues.push({ path: join(path, e.key), message: `unknown ${noun}${near ? `; did you mean ${near}?` : '.'} ${list}`, ...e.keyAt });
          ok = false;
          continue;
        }
        const v = validate(field, e.value, join(path, e.key), issues);
        if (v === undefined) ok = false;
        else out[e.key] = v;
      }
      for (const key of schema.required ?? []) {
        if (!tree.entries.some((e) => e.key === key)) {
          fail(`missing required key ${key}`);
          ok = false;
        }
      }
      return ok ? out : undefined;
    }
  }
}

/** The JSON Schema (draft 2020-12) equivalent of a schema. */
export function toJsonSchema(schema: Schema): Record<string, unknown> {
  const d = schema.description ? { description: schema.description } : {};
  switch (schema.kind) {
    case 'string':
      return { type: 'string', ...(schema.nonEmpty ? { minLength: 1, pattern: '\\S' } : {}), ...d };
    case 'date':
      return { type: 'string', format: 'date', pattern: DATE.source, ...d };
    case 'bool':
      return { type: 'boolean', ...d };
    case 'int':
      return { type: 'integer', ...(schema.min !== undefined ? { minimum: schema.min } : {}), ...(schema.max !== undefined ? { maximum: schema.max } : {}), ...d };
    case 'enum':
      return { enum: [...schema.values], ...d };
    case 'array':
      return { type: 'array', items: toJsonSchema(schema.items), ...d };
    case 'record':
      return {
        type: 'object',
        ...(schema.keyPattern ? { propertyNames: { pattern: schema.keyPattern } } : {}),
        additionalProperties: toJsonSchema(schema.values),
        ...d,
      };
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(schema.fields).map(([k, v]) => [k, toJsonSchema(v)])),
        ...(schema.required?.length ? { required: [...schema.required] } : {}),
        additionalProperties: false,
        ...d,
      };
  }
}
