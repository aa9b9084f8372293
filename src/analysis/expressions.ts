/**
 * GitHub Actions expressions (`${{ … }}`): find them in text, and work out which context paths
 * can flow into the expression's value. Functions and operators that return booleans or numbers
 * (`contains`, `startsWith`, `==`, `!`, …) stop the flow; `||`, `format`, `join`, `toJSON` and
 * `fromJSON` pass their operands' text through; `a && b` passes only b's (a falsy a carries no text).
 */

export interface ExpressionMatch {
  /** Offset of `${{` in the text. */
  start: number;
  /** Offset just after `}}`. */
  end: number;
  /** The inside of `${{ … }}`, trimmed. */
  body: string;
}

export function findExpressions(text: string): ExpressionMatch[] {
  const out: ExpressionMatch[] = [];
  let i = text.indexOf('${{');
  while (i >= 0) {
    const close = findClose(text, i + 3);
    if (close < 0) break;
    out.push({ start: i, end: close + 2, body: text.slice(i + 3, close).trim() });
    i = text.indexOf('${{', close + 2);
  }
  return out;
}

/**
 * `text.replace(/\$\{\{[\s\S]*?\}\}/g, by)` in linear time: the regex rescans to the end from every unclosed `${{`,
 * which a 1 MB line of `${{` turns into hours.
 */
export function replaceExpressions(text: string, by: string): string {
  let i = text.indexOf('${{');
  if (i < 0) return text;
  let out = '';
  let pos = 0;
  while (i >= 0) {
    const close = text.indexOf('}}', i + 3);
    if (close < 0) break;
    out += text.slice(pos, i) + by;
    pos = close + 2;
    i = text.indexOf('${{', pos);
  }
  return out + text.slice(pos);
}

/** Index of the `}}` that closes an expression starting at `from`, skipping string literals. */
function findClose(text: string, from: number): number {
  for (let i = from; i < text.length - 1; i++) {
    const c = text[i];
    if (c === "'") {
      const j = text.indexOf("'", i + 1);
      if (j < 0) return -1;
      i = j;
    } else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

type Token = { t: 'id' | 'str' | 'num' | 'op' | 'punc'; v: string };

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let j = i + 1;
      let v = '';
      while (j < src.length) {
        if (src[j] === "'" && src[j + 1] === "'") {
          v += "'";
          j += 2;
        } else if (src[j] === "'") break;
        else v += src[j++];
      }
      out.push({ t: 'str', v });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9][0-9a-fA-FxX.eE+-]*/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>=', '&&', '||'].includes(two) ? two : '<>!'.includes(c) ? c : undefined;
      out.push(op ? { t: 'op', v: op } : { t: 'punc', v: c });
      i += op?.length ?? 1;
    }
  }
  return out;
}

/** A value's provenance: the context paths whose text can become the value, and the string literals it can be. */
type Item = { path: string } | { lit: string };
type Flow = Item[];

const TEXT_FUNCTIONS = new Set(['format', 'join', 'tojson', 'fromjson']);
const paths = (flow: Flow): Flow => flow.filter((i) => 'path' in i);

/**
 * Context paths (normalised: `github.event.issue.title`, `*` for indexes) whose text can reach
 * the value of the expression. Unparseable input yields every context path found in it, so a
 * parse failure errs on the side of reporting.
 */
export function flowingContexts(body: string): string[] {
  const flow = parseFlow(body);
  if (!flow) return everyPath(body);
  return [...new Set(flow.flatMap((i) => ('path' in i ? [i.path] : [])))];
}

/**
 * The string literals the expression's value can be, as a whole: `c && 'redis:7' || 'redis:6'` → redis:7, redis:6.
 * Literals compared (`x == 'a'`), passed to a function or only part of the value are not among them. Undefined when the
 * expression does not parse.
 */
export function flowingLiterals(body: string): string[] | undefined {
  const flow = parseFlow(body);
  return flow && [...new Set(flow.flatMap((i) => ('lit' in i ? [i.lit] : [])))];
}

function parseFlow(body: string): Flow | undefined {
  const toks = lex(body);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[pos++];
  const isOp = (v: string) => peek()?.t === 'op' && peek()?.v === v;

  function orExpr(): Flow {
    let left = andExpr();
    while (isOp('||')) {
      next();
      left = [...left, ...andExpr()];
    }
    return left;
  }
  function andExpr(): Flow {
    let left = cmpExpr();
    while (isOp('&&')) {
      next();
      // `a && b` yields b when a is truthy, else a's falsy value ('', 0, false, null), which carries
      // no text: only the right operand flows.
      left = cmpExpr();
    }
    return left;
  }
  function cmpExpr(): Flow {
    const left = unary();
    if (peek()?.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(peek()!.v)) {
      while (peek()?.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(peek()!.v)) {
        next();
        unary();
      }
      return [];
    }
    return left;
  }
  function unary(): Flow {
    if (isOp('!')) {
      next();
      unary();
      return [];
    }
    return primary();
  }
  function primary(): Flow {
    const tok = next();
    if (!tok) return [];
    if (tok.t === 'str') return postfix([{ lit: tok.v }], undefined);
    if (tok.t === 'num') return [];
    if (tok.t === 'punc' && tok.v === '(') {
      const inner = orExpr();
      if (peek()?.v === ')') next();
      return postfix(inner, undefined);
    }
    if (tok.t === 'id') {
      if (peek()?.v === '(') {
        next();
        const args: Flow[] = [];
        while (peek() && peek()!.v !== ')') {
          args.push(orExpr());
          if (peek()?.v === ',') next();
          else break;
        }
        if (peek()?.v === ')') next();
        const fn = tok.v.toLowerCase();
        // the text of the arguments' contexts flows into the result; no literal argument is the result as a whole
        return postfix(TEXT_FUNCTIONS.has(fn) ? paths(args.flat()) : [], undefined);
      }
      if (['true', 'false', 'null'].includes(tok.v)) return [];
      return postfix([], tok.v);
    }
    return [];
  }
  function postfix(value: Flow, path: string | undefined): Flow {
    let flow = value;
    let p = path;
    const member = (seg: string): void => {
      if (p !== undefined) p += seg;
      // `(a || b).number`, `fromJSON(x).id`: the member of each flowing value (a string literal has none)
      else flow = flow.flatMap((f) => ('path' in f ? [{ path: f.path + seg }] : []));
    };
    for (;;) {
      if (peek()?.v === '.' && toks[pos + 1]) {
        next();
        const t = next()!;
        member(`.${t.v === '*' ? '*' : t.v}`);
      } else if (peek()?.v === '[') {
        next();
        const t = next();
        if (peek()?.v === ']') next();
        member(t?.t === 'str' ? `.${t.v}` : '.*');
      } else break;
    }
    return p !== undefined ? [...flow, { path: p }] : flow;
  }

  try {
    const flow = orExpr();
    return pos < toks.length ? undefined : flow;
  } catch {
    return undefined;
  }
}

function everyPath(body: string): string[] {
  return [...new Set(body.match(/[A-Za-z_][\w-]*(?:\.(?:[\w-]+|\*)|\[[^\]]*\])+/g) ?? [])];
}
