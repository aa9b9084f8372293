export const EVIL_NAMES: string[];
export const DEFAULT_BIG_BYTES: number;
export const LOCKFILE_BYTES: number;
export const MANY_JOBS: number;
export const CASES: Record<string, string>;
export const HEAVY: Set<string>;
export function generateHostile(root: string, options?: { bigBytes?: number; heavy?: boolean }): string;
export function deepPython(n?: number): string;
