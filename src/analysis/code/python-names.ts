import type { Node } from 'web-tree-sitter';

/**
 * What the names in one Python module stand for: imports (`import subprocess as sp` → `sp` = `subprocess`,
 * `from os import system` → `system` = `os.system`) and the module's own definitions, which shadow builtins (a
 * module that defines `compile` calls its own, not the builtin). Callees are resolved through them, so a sink is
 * recognised however it was imported, and `re.compile` or `self.eval` are never the builtins.
 */
export class PythonNames {
  private readonly aliases = new Map<string, string>();
  private readonly shadowed = new Set<string>();

  /** Records an `import_statement`, `import_from_statement` or `future_import_statement` wherever it appears. */
  addImport(node: Node): void {
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        if (name.type === 'aliased_import') {
          const target = name.childForFieldName('name')?.text;
          const alias = name.childForFieldName('alias')?.text;
          if (target && alias) this.aliases.set(alias, target);
        } else {
          // `import os.path` binds `os`
          const head = name.text.split('.')[0]!;
          this.aliases.set(head, head);
        }
      }
      return;
    }
    if (node.type !== 'import_from_statement') return;
    const module = node.childForFieldName('module_name');
    // Relative imports (`from . import x`) name the project's own modules: nothing to resolve against.
    if (!module || module.type !== 'dotted_name') return;
    for (const name of node.childrenForFieldName('name')) {
      if (name.type === 'aliased_import') {
        const target = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (target && alias) this.aliases.set(alias, `${module.text}.${target}`);
      } else {
        this.aliases.set(name.text, `${module.text}.${name.text}`);
      }
    }
  }

  /** A name the module binds itself (`def eval`, `compile = …`): it is no longer the builtin. */
  shadow(name: string): void {
    this.shadowed.add(name);
    this.aliases.delete(name);
  }

  /** Whether `name` still means the builtin of that name. */
  isBuiltin(name: string): boolean {
    return !this.shadowed.has(name) && !this.aliases.has(name);
  }

  /**
   * The dotted name an expression stands for, resolved through imports: `sp.run` → `subprocess.run`, `system` →
   * `os.system`, `eval` → `eval` (the builtin, unless shadowed: then undefined). Anything that is not a chain of
   * identifiers (`f().x`, `a[0].b`) has no name.
   */
  resolve(node: Node): string | undefined {
    const parts: string[] = [];
    let cur: Node | null = node;
    // Attribute chains nest to the left; walked in a loop, bounded by the chain's length.
    while (cur && cur.type === 'attribute') {
      const attr = cur.childForFieldName('attribute');
      if (!attr) return undefined;
      parts.push(attr.text);
      cur = cur.childForFieldName('object');
    }
    if (!cur || cur.type !== 'identifier') return undefined;
    const head = cur.text;
    const base = this.aliases.get(head) ?? (this.shadowed.has(head) && parts.length === 0 ? undefined : head);
    if (base === undefined) return undefined;
    return [base, ...parts.reverse()].join('.');
  }
}

/** The identifier at the head of an attribute chain (`request` in `request.args.get`), if it is one. */
export function chainHead(node: Node): Node | undefined {
  let cur: Node | null = node;
  while (cur && cur.type === 'attribute') cur = cur.childForFieldName('object');
  return cur?.type === 'identifier' ? cur : undefined;
}

/** Short text for a label: one line, at most 60 characters. */
export function snippet(node: Node): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
