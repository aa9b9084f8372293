import type { Node } from 'web-tree-sitter';
import { spanOf, type FlowStep } from './flow.js';
import { chainHead, snippet, type PythonNames } from './python-names.js';
import type { Scope } from './python-scope.js';

/**
 * Where untrusted input enters a Python function: Flask's (and Quart's) global `request`, the request parameter of a
 * Django, Django REST framework or Starlette/FastAPI view, the parameters of a routed handler, `sys.argv` and
 * `input()`.
 */

/** Request attributes that hold what the client sent (Flask, Django, DRF, Starlette). */
const FLASK_DATA = new Set(['args', 'form', 'values', 'json', 'data', 'cookies', 'headers', 'files', 'stream']);
const FLASK_CALLS = new Set(['get_json', 'get_data']);
const VIEW_DATA = new Set([...FLASK_DATA, 'GET', 'POST', 'body', 'COOKIES', 'META', 'FILES', 'query_params', 'path_params']);
const VIEW_CALLS = new Set([...FLASK_CALLS, 'body', 'json', 'form']);

const GLOBAL_REQUESTS = new Set(['flask.request', 'quart.request']);

const label = (what: string, node: Node): FlowStep => ({ at: spanOf(node), label: `${what} \`${snippet(node)}\`` });

/** The source an attribute expression is (`request.args`, `self.request.GET`, `sys.argv`), if it is one. */
export function attributeSource(node: Node, names: PythonNames, scope: Scope): FlowStep | undefined {
  const attr = node.childForFieldName('attribute')?.text;
  const object = node.childForFieldName('object');
  if (!attr || !object) return undefined;
  if (VIEW_DATA.has(attr) && isViewRequest(object, scope.requestParam)) return label('request data', node);
  if (FLASK_DATA.has(attr) && isGlobalRequest(object, names, scope)) return label('Flask request data', node);
  if (attr === 'argv' && names.resolve(node) === 'sys.argv') return label('command-line argument', node);
  return undefined;
}

/** The source a call is (`request.get_json()`, `await request.body()`, `input()`), if it is one. */
export function callSource(call: Node, names: PythonNames, scope: Scope): FlowStep | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier' && (fn.text === 'input' || fn.text === 'raw_input') && names.isBuiltin(fn.text)) return label('user input', call);
  if (fn.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text;
  const object = fn.childForFieldName('object');
  if (!method || !object) return undefined;
  if (VIEW_CALLS.has(method) && isViewRequest(object, scope.requestParam)) return label('request data', call);
  if (FLASK_CALLS.has(method) && isGlobalRequest(object, names, scope)) return label('Flask request data', call);
  return undefined;
}

/** `request` as the view's own parameter, or `self.request` in a class-based view. */
function isViewRequest(object: Node, requestParam: string | undefined): boolean {
  if (object.type === 'identifier') return requestParam !== undefined && object.text === requestParam;
  return object.type === 'attribute' && object.text === 'self.request';
}

/** Flask's global `request` (through any import alias), unless a parameter or variable of the same name hides it. */
function isGlobalRequest(object: Node, names: PythonNames, scope: Scope): boolean {
  const head = chainHead(object);
  if (head && (head.text === scope.requestParam || scope.get(head.text) !== undefined)) return false;
  const resolved = names.resolve(object);
  return resolved !== undefined && GLOBAL_REQUESTS.has(resolved);
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'route', 'api_route', 'websocket']);

/**
 * Whether a decorator routes requests to the function (`@app.get("/items/{id}")`, `@router.post(path="/x")`,
 * `@bp.route("/<name>")`): then its parameters carry the request. The path must be a literal string, which tells a
 * route from other decorators that happen to be called `get`.
 */
export function isRouteDecorator(decorator: Node): boolean {
  const call = decorator.namedChildren.find((c) => c.type === 'call');
  const fn = call?.childForFieldName('function');
  if (!call || fn?.type !== 'attribute') return false;
  if (!ROUTE_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) return false;
  const first = call.childForFieldName('arguments')?.namedChildren[0];
  if (!first) return false;
  if (first.type === 'keyword_argument') return first.childForFieldName('name')?.text === 'path' && first.childForFieldName('value')?.type === 'string';
  return first.type === 'string';
}

/** Annotations a framework validates into a value that cannot carry a command or code. */
const SAFE_ANNOTATIONS = /^(int|float|bool|UUID|uuid\.UUID|datetime|date|time|Decimal|PositiveInt|NonNegativeInt|conint\(.*\)|(typing\.)?Literal\[.*\])$/;
/** Parameters the framework fills with its own objects, not with what the client sent. */
const FRAMEWORK_ANNOTATIONS = /^(Request|HttpRequest|WebSocket|BackgroundTasks|Response|Session|AsyncSession|SecurityScopes)$/;
const INJECTED = /^(Depends|Security)\(/;

/** The type an annotation validates to: `Optional[int]`, `int | None` and `Annotated[int, Query()]` are `int`. */
function bareAnnotation(text: string): string {
  let t = text.replace(/\s+/g, '');
  const annotated = /^(?:typing\.)?Annotated\[([^,\]]+(?:\[[^\]]*\])?),/.exec(t);
  if (annotated) t = annotated[1]!;
  const optional = /^(?:typing\.)?Optional\[(.*)\]$/.exec(t);
  if (optional) t = optional[1]!;
  return t.replace(/^None\||\|None$/g, '');
}

/** How a routed handler's parameter is filled: `input` (from the request), `request` (the request object) or `other`. */
export function routeParameter(param: Node, flaskConverters: ReadonlyMap<string, string>): { name: string; kind: 'input' | 'request' | 'safe' | 'other' } | undefined {
  const name = (param.type === 'identifier' ? param : (param.childForFieldName('name') ?? param.namedChildren.find((c) => c.type === 'identifier')))?.text;
  if (!name || param.type.includes('splat')) return undefined;
  const annotation = bareAnnotation(param.childForFieldName('type')?.text ?? '');
  const value = param.childForFieldName('value')?.text ?? '';
  if (name === 'self' || name === 'cls') return { name, kind: 'other' };
  if (FRAMEWORK_ANNOTATIONS.test(annotation) || (annotation === '' && name === 'request')) return { name, kind: name === 'request' || /Request$/.test(annotation) ? 'request' : 'other' };
  if (INJECTED.test(value) || /Depends\(/.test(annotation)) return { name, kind: 'other' };
  if (SAFE_ANNOTATIONS.test(annotation) || /^(int|float|uuid)$/.test(flaskConverters.get(name) ?? '')) return { name, kind: 'safe' };
  return { name, kind: 'input' };
}

/** Flask route converters by parameter (`/<int:id>` → id: int), which make a path parameter safe. */
export function flaskConverters(decorators: readonly Node[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of decorators) for (const m of d.text.matchAll(/<(\w+):(\w+)>/g)) out.set(m[2]!, m[1]!);
  return out;
}

export const sourceStep = label;
