import { pathMatcher } from './config.js';
import type { Confidence } from './types.js';

/**
 * What a file is for, decided from its path: only `production` findings block by default. Test data, examples,
 * documentation, vendored code and developer environments are reported (a maintainer may still want to know) but a
 * deliberately insecure fixture or a copy-paste sample does not fail the build.
 */
export const FILE_CONTEXTS = ['production', 'test', 'example', 'docs', 'vendored', 'dev'] as const;
export type FileContext = (typeof FILE_CONTEXTS)[number];

/** Folder names that make everything below them one context (compared lower-cased, per path segment). */
const FOLDERS: ReadonlyMap<string, FileContext> = new Map([
  ...['vendor', 'vendored', 'third_party', 'third-party', 'thirdparty', 'node_modules', 'bower_components', 'jspm_packages'].map(
    (n) => [n, 'vendored'] as const,
  ),
  ...[
    'test', 'tests', '__tests__', 'testdata', 'test-data', 'test_data', 'testfixtures', 'fixtures', 'fixture', '__fixtures__',
    'spec', 'specs', '__specs__', 'e2e', 'e2e-tests', 'cypress', 'playwright', '__mocks__', 'mocks', 'testing', 'test-project',
    'test-projects', 'integration-tests', 'integration_tests', 'smoke-tests', 'smoke-test', 'testutil', 'testutils', 'test-utils',
    'test_utils', 'test-fixtures', 'test_fixtures', 'unit-tests', 'unit_tests',
  ].map((n) => [n, 'test'] as const),
  ...['examples', 'example', 'samples', 'sample', 'demo', 'demos', 'docs_src', 'quickstart', 'quickstarts', 'tutorial', 'tutorials'].map(
    (n) => [n, 'example'] as const,
  ),
  ...['docs', 'doc', 'documentation', 'website-docs'].map((n) => [n, 'docs'] as const),
  ...['.devcontainer', '.codesandbox', '.gitpod', '.vscode', '.idea'].map((n) => [n, 'dev'] as const),
]);

/** File names that say what the file is for wherever it sits. */
const FILE_PATTERNS: readonly [RegExp, FileContext][] = [
  // Go, JS/TS, Python, Ruby, Java/Kotlin, C# test files and test helpers.
  [/(^|[._-])(test|tests|spec)\.[^/]+$|_test\.go$|^test_[^/]*\.py$|_tests?\.py$|^conftest\.py$|_spec\.rb$|Tests?\.(java|kt|cs)$/, 'test'],
  [/(^|[.-])(test|tests|ci-test)$/i, 'test'],
  [/^(Dockerfile|Containerfile)[.-](dev|devel|development|local)$|^(dev|devel|development|local)[.-](Dockerfile|Containerfile)$/i, 'dev'],
  [/^(docker-)?compose[.-](dev|devel|development|local|override)\.ya?ml$/i, 'dev'],
  [/\.rbi$/, 'vendored'],
  [/\.(min|bundle)\.(js|css)$/, 'vendored'],
  [/\.(md|mdx|markdown|rst|adoc|asciidoc)$/i, 'docs'],
  [/^\.gitpod(\.[^/]*)?$|^devcontainer\.json$|^\.devcontainer\.json$/, 'dev'],
];

/**
 * The context of a path (repository-relative, POSIX) from its folders and name. Workflows and actions under
 * `.github/` are always production: they run with the repository's token whatever folder names say.
 */
export function pathContext(path: string): FileContext {
  if (path.startsWith('.github/')) return 'production';
  const parts = path.split('/');
  const name = parts[parts.length - 1]!;
  for (let i = 0; i < parts.length - 1; i++) {
    const hit = FOLDERS.get(parts[i]!.toLowerCase());
    if (hit) return hit;
  }
  for (const [pattern, context] of FILE_PATTERNS) if (pattern.test(name)) return context;
  return 'production';
}

/** The config's `contexts:`: globs per context that override the classification by path. */
export type ContextOverrides = Partial<Record<FileContext, string[]>>;

/**
 * The config's verdict on a path, or undefined when no glob matches: a path matched by several contexts' globs is
 * `production`, the one that blocks.
 */
export function contextOverride(overrides: ContextOverrides | undefined): (path: string) => FileContext | undefined {
  const entries = FILE_CONTEXTS.flatMap((c) => (overrides?.[c]?.length ? [[c, pathMatcher(overrides[c]!)] as const] : []));
  if (entries.length === 0) return () => undefined;
  return (path) => {
    let hit: FileContext | undefined;
    for (const [c, match] of entries) {
      if (!match(path)) continue;
      if (c === 'production') return c;
      hit ??= c;
    }
    return hit;
  };
}

/** The classifier a scan uses: config overrides first (see contextOverride), then the path rules. */
export function contextClassifier(overrides: ContextOverrides | undefined): (path: string) => FileContext {
  if (!FILE_CONTEXTS.some((c) => overrides?.[c]?.length)) return pathContext;
  const override = contextOverride(overrides);
  return (path) => override(path) ?? pathContext(path);
}

/** What may block: findings in these contexts, at or above this confidence. */
export interface GateScope {
  contexts: ReadonlySet<FileContext>;
  confidence: Confidence;
}

export const DEFAULT_GATE_SCOPE: GateScope = { contexts: new Set(['production']), confidence: 'medium' };

const CONFIDENCE_RANK: Record<Confidence, number> = { high: 0, medium: 1, low: 2 };

/** Why a finding cannot block under the scope (undefined: it can, if its severity reaches fail-on). */
export function outOfScope(context: FileContext, confidence: Confidence, scope: GateScope): 'context' | 'confidence' | undefined {
  if (!scope.contexts.has(context)) return 'context';
  if (CONFIDENCE_RANK[confidence] > CONFIDENCE_RANK[scope.confidence]) return 'confidence';
  return undefined;
}
