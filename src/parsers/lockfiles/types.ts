import type { Span } from '../../core/types.js';

export type LockEcosystem = 'npm' | 'pypi' | 'cargo' | 'go' | 'rubygems' | 'packagist';
export type LockFormat =
  | 'package-lock'
  | 'yarn-classic'
  | 'yarn-berry'
  | 'pnpm'
  | 'bun'
  | 'poetry'
  | 'uv'
  | 'pipfile'
  | 'requirements'
  | 'cargo'
  | 'gemfile'
  | 'composer'
  | 'go-sum';
export type LockSource = 'registry' | 'git' | 'file' | 'link' | 'url' | 'workspace';

/** One locked package version. */
export interface LockEntry {
  name: string;
  /** The locked version ('' when the format records none, e.g. a git requirement). */
  version: string;
  /** Where the package is fetched from (a tarball, wheel or git URL), when the lockfile records it. */
  resolved?: string;
  /** Integrity hash as written (`sha512-…`, a yarn berry checksum, `sha256:…`). */
  integrity?: string;
  hasInstallScript?: boolean;
  dev?: boolean;
  source?: LockSource;
  /** The git ref (commit, branch or tag) of a git source. */
  gitRef?: string;
  /** The install path or entry key (package-lock `node_modules/a/node_modules/b`, pnpm `/a@1.0.0`). */
  key?: string;
  /** Descriptors the entry satisfies (yarn `a@^1.0.0`, `a@npm:^1.0.0`), for drift checks. */
  specs?: string[];
  /** 1-based line of the entry's key (or version line). */
  line: number;
  span: Span;
  /** The `resolved` field as written (package-lock v2/v3, yarn), when the format gives it a line of its own. */
  resolvedSpan?: Span;
  /** The `integrity` field (yarn berry: `checksum`), when present and on a line of its own. */
  integritySpan?: Span;
  /** The `"hasInstallScript": true` field (package-lock v2/v3). */
  installScriptSpan?: Span;
}

/** A lockfile parsed into its entries; `entries` is empty (with a notice) when the file is malformed. */
export interface LockfileDoc {
  path: string;
  format: LockFormat;
  ecosystem: LockEcosystem;
  entries: LockEntry[];
  /**
   * pnpm: what each importer (workspace member directory relative to the lockfile, `.` for its own) resolved each direct
   * dependency to, as written (`1.2.3`, `1.2.3(peer@1.0.0)`, `link:../pkg`, `file:…`).
   */
  importers?: Map<string, Map<string, string>>;
  /** package-lock v2/v3: the names the root package and the workspace members declare (`packages[""]` and member entries). */
  direct?: Set<string>;
}
