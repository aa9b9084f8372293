import type { FlowStep } from './flow.js';

/**
 * What the analyser knows of a value: `safe` (a constant, or sanitised: it can never carry input), `unknown` (not
 * constant, origin not seen: a finding without a source) or `tainted` (input reaches it, with the steps so far).
 */
export type Value = { kind: 'safe' } | { kind: 'unknown' } | { kind: 'tainted'; source: FlowStep; steps: FlowStep[] };

export const SAFE: Value = { kind: 'safe' };
export const UNKNOWN: Value = { kind: 'unknown' };

const RANK = { safe: 0, unknown: 1, tainted: 2 } as const;

/** The value of an expression built from several: the worst of them (the first tainted one carries the flow). */
export function join(values: Iterable<Value>): Value {
  let out: Value = SAFE;
  for (const v of values) if (RANK[v.kind] > RANK[out.kind]) out = v;
  return out;
}

/** The steps a flow keeps: the source, and the last ones before the sink (a long chain says little more). */
const MAX_STEPS = 8;

/** `value` with one more step (when it is tainted). */
export function withStep(value: Value, step: FlowStep): Value {
  if (value.kind !== 'tainted') return value;
  const last = value.steps[value.steps.length - 1];
  if (last && last.label === step.label) return value;
  const steps = [...value.steps, step];
  if (steps.length > MAX_STEPS) steps.splice(1, steps.length - MAX_STEPS);
  return { ...value, steps };
}

interface Entry {
  value: Value;
  /** The block the value was bound in (its entry number): see `bind`. */
  block: number;
}

/** A function's (or the module's) variables, flow-sensitive in source order. */
export class Scope {
  private readonly vars = new Map<string, Entry>();
  /** The blocks open at this point of the walk, innermost last, each by the number it was entered with. */
  private readonly open: number[] = [0];
  private static entered = 0;

  /** A nested function sees its enclosing scope's variables as they are where it is defined (a bounded copy). */
  constructor(
    readonly requestParam?: string,
    outer?: Scope,
  ) {
    if (!outer) return;
    let n = 0;
    for (const [name, e] of outer.vars) {
      if (n++ >= 500) break;
      this.vars.set(name, { value: e.value, block: 0 });
    }
  }

  enterBlock(): void {
    this.open.push(++Scope.entered);
  }

  leaveBlock(): void {
    if (this.open.length > 1) this.open.pop();
  }

  get(name: string): Value | undefined {
    return this.vars.get(name)?.value;
  }

  /**
   * Binds `name` at the current point. A binding in the block that made the old value, or in one enclosing it,
   * replaces it on every path from here (`x = int(x)` ends a flow); one in a nested block (a branch of an `if`, a loop
   * body) only may run, so the worse of the two values stays.
   */
  bind(name: string, value: Value): void {
    const here = this.open[this.open.length - 1]!;
    const old = this.vars.get(name);
    if (!old || old.block >= here || RANK[value.kind] >= RANK[old.value.kind]) this.vars.set(name, { value, block: here });
  }

  /** Replaces `name` outright (an allow-list check), returning what to put back when its region ends. */
  override(name: string, value: Value): () => void {
    const before = this.vars.get(name);
    const set: Entry = { value, block: this.open[this.open.length - 1]! };
    this.vars.set(name, set);
    return () => {
      if (this.vars.get(name) !== set) return;
      if (before) this.vars.set(name, before);
      else this.vars.delete(name);
    };
  }
}
