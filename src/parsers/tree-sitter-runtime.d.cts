import type { Language, Parser } from 'web-tree-sitter';

declare const runtime: { Language: typeof Language; Parser: typeof Parser };
export = runtime;
