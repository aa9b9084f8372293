import { checkUnit } from './engine.js';
import { REPOSITORY_ROOT, type Finding, type Notice, type Project, type Report, type RepositoryDoc, type Rule } from './types.js';

/** Whether a rule reads the repository as a whole (see RepositoryDoc) rather than one file at a time. */
export function isRepositoryRule(rule: Rule): boolean {
  return rule.reads.includes('repository');
}

/**
 * Runs the repository rules once over the whole tree. A rule's reports are grouped by the file they name
 * (`Report.path`, the repository root when absent) and each group goes through the engine as that file's findings,
 * so fingerprints, line hashes and config `ignore:` entries work as they do for every other finding. A rule that
 * throws becomes a notice; the scan goes on.
 */
export function checkRepository(
  rules: readonly Rule[],
  doc: RepositoryDoc,
  project: Project,
  notices: Notice[],
  optionsOf: (rule: Rule) => Record<string, unknown>,
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules.filter(isRepositoryRule)) {
    const byPath = new Map<string, Report[]>();
    try {
      rule.check(doc, {
        path: REPOSITORY_ROOT,
        project,
        options: optionsOf(rule),
        report: (r) => {
          const path = r.path ?? REPOSITORY_ROOT;
          let list = byPath.get(path);
          if (!list) byPath.set(path, (list = []));
          list.push(r);
        },
      });
    } catch (err) {
      notices.push({ message: `rule ${rule.id} could not check the repository (${err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : 'unknown error'})` });
      continue;
    }
    for (const [path, reports] of byPath) {
      const replay: Rule = { ...rule, reads: ['repository'], check: (_doc, ctx) => reports.forEach((r) => ctx.report(r)) };
      const text = path === REPOSITORY_ROOT ? '' : (project.read(path) ?? '');
      const unit = { path, text, kinds: ['repository'] as const, document: () => doc };
      for (const f of checkUnit([replay], unit, project, notices, optionsOf)) findings.push(f);
    }
  }
  return findings;
}
