import type { BuildLink } from './analysis/build-links.js';
import type { KustomizeLink } from './analysis/kustomize.js';
import type { Config } from './core/config.js';
import { listed } from './core/limits.js';
import { contextOverride, DEFAULT_GATE_SCOPE, outOfScope, pathContext, type FileContext, type GateScope } from './core/context.js';
import { declaredFolderOf } from './core/declared-samples.js';
import type { Finding, Notice, Rule } from './core/types.js';

/** What the checked files said about other files: who builds or deploys what, which folders call themselves samples. */
export interface ContextLinks {
  builds: readonly BuildLink[];
  kustomize: readonly KustomizeLink[];
  /** Folders whose README declares them a sample or an example (see core/declared-samples.ts). */
  samples: readonly string[];
}

/**
 * Each finding's file context and whether the gate's scope lets it block (core/context.ts). The context of a path is
 * the config's `contexts:` if a glob matches, else its path's; a production path inside a folder that its README
 * declares a sample is `example`. Then what production files build or deploy is production wherever it sits: a
 * Dockerfile that a production workflow or compose file builds, and the manifests a production kustomization lists
 * (`resources:`, `bases:`, `components:`, patches), following the folders it names to their kustomizations, each once.
 * Returns a notice naming the sample folders that took findings out of production, so that a README doing so is seen.
 */
export function scopeFindings(findings: Finding[], links: ContextLinks, config: Config | undefined, rules: readonly Rule[]): Notice | undefined {
  const override = contextOverride(config?.contexts);
  const samples = new Set(links.samples);
  const fromSample = new Map<string, string>();
  const contextOf = (path: string): FileContext => {
    // a config glob is the maintainer's explicit word; only the path's own verdict gives way to a README
    const explicit = override(path);
    if (explicit) return explicit;
    const context = pathContext(path);
    if (context !== 'production' || path.startsWith('.github/')) return context;
    const folder = declaredFolderOf(path, samples);
    if (folder === undefined) return context;
    fromSample.set(path, folder);
    return 'example';
  };
  const production = deployedByProduction(links, contextOf);
  const confidence = config?.gateConfidence ?? DEFAULT_GATE_SCOPE.confidence;
  // gate-contexts, when set, is the scope of every rule; otherwise production plus what each rule adds.
  const fixed: GateScope | undefined = config?.gateContexts ? { contexts: new Set(config.gateContexts), confidence } : undefined;
  const byRule = new Map<string, GateScope>();
  const scopeOf = (id: string): GateScope => {
    if (fixed) return fixed;
    let scope = byRule.get(id);
    if (!scope) {
      const extra = rules.find((r) => r.id === id)?.alsoBlocksIn ?? [];
      byRule.set(id, (scope = { contexts: new Set([...DEFAULT_GATE_SCOPE.contexts, ...extra]), confidence }));
    }
    return scope;
  };
  const memo = new Map<string, FileContext>();
  const demoted = new Set<string>();
  for (const f of findings) {
    let context = memo.get(f.path);
    if (context === undefined) memo.set(f.path, (context = production.has(f.path) ? 'production' : contextOf(f.path)));
    f.context = context;
    if (context === 'example' && fromSample.has(f.path)) demoted.add(fromSample.get(f.path)!);
    const out = outOfScope(context, f.confidence, scopeOf(f.ruleId));
    if (out) f.outOfScope = out;
    else delete f.outOfScope;
  }
  if (demoted.size === 0) return undefined;
  const list = [...demoted].sort();
  const shown = listed(list);
  return {
    message: `${list.length} folder(s) treated as examples because their README calls them a sample or an example (${shown}); their findings do not block unless a production file builds or deploys them (config contexts: production: [...] overrides)`,
  };
}

/** The paths production files build or deploy: Dockerfiles built by production files, and the Kustomize closure. */
function deployedByProduction(links: ContextLinks, contextOf: (path: string) => FileContext): Set<string> {
  const out = new Set<string>();
  for (const l of links.builds) if (contextOf(l.path) === 'production') out.add(l.dockerfile);
  if (links.kustomize.length === 0) return out;
  const byPath = new Map(links.kustomize.map((k) => [k.path, k]));
  const queue = links.kustomize.filter((k) => contextOf(k.path) === 'production').map((k) => k.path);
  const visited = new Set(queue);
  // Each kustomization is followed once, so cycles (a → b → a) and diamonds end; the order does not change the set.
  while (queue.length > 0) {
    const link = byPath.get(queue.pop()!);
    if (!link) continue;
    for (const f of link.files) out.add(f);
    for (const k of link.kustomizations) {
      out.add(k);
      if (!visited.has(k)) {
        visited.add(k);
        queue.push(k);
      }
    }
  }
  return out;
}
