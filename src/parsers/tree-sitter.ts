import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Language as LanguageType, Parser as ParserType, Tree } from 'web-tree-sitter';
import runtime from './tree-sitter-runtime.cjs';

/**
 * Tree-sitter grammars compiled to WebAssembly: one runtime for every language the gate reads as source (Python,
 * JavaScript, TypeScript, TSX, Terraform). No native binary, so it runs on every runner OS and architecture. The
 * grammar files are vendored under `vendor/tree-sitter/` (sources and checksums in its `grammars.json`) and copied
 * next to the bundle into `dist/tree-sitter/` by the build.
 *
 * Cost is paid only on use: `initTreeSitter()` (the ~0.2 MB runtime, ~15 ms) is awaited by the async scan entry
 * only when it will parse something; each grammar (0.1–1.4 MB, 10–35 ms) is compiled on its first parse, so a tree
 * with Python but no TypeScript never loads TypeScript.
 */
export type Grammar = 'python' | 'javascript' | 'typescript' | 'tsx' | 'terraform';

export const GRAMMARS: readonly Grammar[] = ['python', 'javascript', 'typescript', 'tsx', 'terraform'];

/** Bigger sources are not parsed (a notice says so): parse time and the wasm heap grow with the text. */
export const MAX_PARSE_BYTES = 2 * 1024 * 1024;

/** The grammar a file is parsed with, by its name: only these files can make a scan load the runtime. */
export function grammarForPath(path: string): Grammar | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return EXTENSIONS[path.slice(dot + 1).toLowerCase()];
}

const EXTENSIONS: Readonly<Record<string, Grammar>> = {
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  tf: 'terraform',
};

/** Loads the runtime when some of `paths` may be parsed with it; the grammars still wait for their first parse. */
export async function initTreeSitterFor(paths: readonly string[]): Promise<void> {
  if (paths.some((p) => grammarForPath(p) !== undefined)) await initTreeSitter();
}

const here = dirname(fileURLToPath(import.meta.url));

const { Language, Parser } = runtime;
type Language = LanguageType;
type Parser = ParserType;

/** Node's WebAssembly global (the project's `lib` has no DOM types, which is where TypeScript declares it). */
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => unknown } }).WebAssembly;

/** dist/tree-sitter next to the bundle; in the source tree, vendor/ and node_modules/ from the repository root. */
function locate(file: string): string {
  const candidates = [
    join(here, 'tree-sitter', file),
    join(here, '..', '..', 'vendor', 'tree-sitter', file),
    join(here, '..', '..', 'node_modules', 'web-tree-sitter', file),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`tree-sitter: ${file} is missing next to the bundle`);
  return found;
}

let init: Promise<void> | undefined;
let ready = false;
const languages = new Map<Grammar, Language>();
const parsers = new Map<Grammar, Parser>();

/** Loads the runtime once; later calls share the first. */
export function initTreeSitter(): Promise<void> {
  init ??= (async () => {
    // The runtime's start-up reads `__dirname` (unused: locateFile says where the .wasm is), which an ES module
    // bundle does not define: lend it one for the start-up only.
    const global = globalThis as { __dirname?: string };
    const lent = global.__dirname === undefined;
    if (lent) global.__dirname = here;
    try {
      await Parser.init({ locateFile: () => locate('web-tree-sitter.wasm') });
    } finally {
      if (lent) delete global.__dirname;
    }
    ready = true;
  })();
  return init;
}

/** Whether `parseSource` can run now (the runtime is loaded). */
export function treeSitterReady(): boolean {
  return ready;
}

function parserFor(grammar: Grammar): Parser {
  let parser = parsers.get(grammar);
  if (parser) return parser;
  let language = languages.get(grammar);
  if (!language) {
    const module = new wasm.Module(readFileSync(locate(`tree-sitter-${grammar}.wasm`)));
    language = Language.loadSync(module as Parameters<typeof Language.loadSync>[0]);
    languages.set(grammar, language);
  }
  parser = new Parser();
  parser.setLanguage(language);
  parsers.set(grammar, parser);
  return parser;
}

/** The grammars compiled so far (for benchmarks and tests of the lazy loading). */
export function loadedGrammars(): Grammar[] {
  return [...languages.keys()].sort();
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; reason: 'not-ready' | 'too-large' | 'failed' };

/**
 * Parses `text` and hands the tree to `use`; the tree lives in the wasm heap, so it is freed when `use` returns
 * (keep nothing of it: copy spans and strings out). Never throws for bad input: tree-sitter recovers from syntax
 * errors into ERROR nodes (`rootNode.hasError`), and what cannot be parsed at all is an outcome, not an exception.
 */
export function withTree<T>(grammar: Grammar, text: string, use: (tree: Tree) => T): ParseOutcome<T> {
  if (!ready) return { ok: false, reason: 'not-ready' };
  if (Buffer.byteLength(text) > MAX_PARSE_BYTES) return { ok: false, reason: 'too-large' };
  let tree: Tree | null;
  try {
    tree = parserFor(grammar).parse(text);
  } catch {
    return { ok: false, reason: 'failed' };
  }
  if (!tree) return { ok: false, reason: 'failed' };
  try {
    return { ok: true, value: use(tree) };
  } finally {
    tree.delete();
  }
}
