import { substitute, type DockerArgument, type DockerfileDoc, type DockerInstruction, type Resolved } from '../parsers/dockerfile.js';

/**
 * An instruction argument with the ARG/ENV values in scope substituted: the stage's own ARG and ENV lines above
 * the instruction (a bare `ARG X` takes the global default), as Docker does for ADD, COPY, EXPOSE and the like.
 * Simpler than the parser's full scoping (no inheritance through `FROM <stage>`), which is enough for literals.
 */
export function resolveIn(doc: DockerfileDoc, ins: DockerInstruction, raw: string): Resolved {
  const globals = new Map(doc.globalArgs.map((kv) => [kv.name, kv.value]));
  const lookup = (name: string): string | undefined => {
    let value: string | undefined;
    for (const kv of doc.keyValues) {
      if (kv.stage !== ins.stage || kv.instruction === 'LABEL' || kv.name !== name) continue;
      if (kv.span.line >= ins.span.line) break;
      value = kv.value ?? (kv.instruction === 'ARG' ? globals.get(name) : value);
    }
    return value;
  };
  return substitute(raw, lookup, doc.escapeChar);
}

/** The sources and destination of COPY/ADD, in shell form or JSON form (`COPY ["a b", "/d/"]`, spans then cover the whole list). */
export function copyArgs(ins: DockerInstruction): { sources: DockerArgument[]; dest?: DockerArgument } {
  let args = ins.args;
  if (args[0]?.value.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(args.map((a) => a.value).join(' '));
      const first = args[0].span;
      const last = args[args.length - 1]!.span;
      const span = { line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn };
      if (Array.isArray(list) && list.every((x) => typeof x === 'string')) args = (list as string[]).map((value) => ({ value, span }));
    } catch {
      // Not JSON: Docker reads it as shell form, and so do we.
    }
  }
  return args.length < 2 ? { sources: [] } : { sources: args.slice(0, -1), dest: args[args.length - 1]! };
}
