import { FIRST_LINE, REPOSITORY_ROOT, type RepositoryDoc, type Rule } from '../../core/types.js';

/** Where GitHub looks for a security policy; the name in any case, as Markdown or the other formats GitHub renders. */
const FOLDERS = ['', '.github/', 'docs/'];
const POLICY = /^security(\.(md|markdown|rst|adoc|txt))?$/i;

export default {
  id: 'missing-security-policy',
  title: 'No security policy',
  severity: 'info',
  area: 'governance',
  summary:
    'The repository has no `SECURITY.md` (any case; `.markdown`, `.rst`, `.adoc`, `.txt` and no extension count too) at its root, in `.github/` or in `docs/`. ' +
    'A policy in the organisation\'s `.github` repository is not visible offline. It runs when the whole repository is scanned, not on named files.',
  rationale:
    'Someone who finds a vulnerability needs to know how to report it privately. Without a policy they may open a public issue, describing the hole to everyone before a fix exists, or give up. ' +
    'GitHub links SECURITY.md from the repository\'s Security tab and from the new-issue page.',
  fix:
    'Add `SECURITY.md` saying how to report a vulnerability (private vulnerability reporting on GitHub, or an address), which versions get fixes, and how soon to expect an answer. ' +
    'An organisation can publish one default policy from its `.github` repository instead.',
  references: [
    'https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository',
    'https://github.com/ossf/scorecard/blob/main/docs/checks.md#security-policy',
  ],
  examples: {
    bad: [{ path: 'README.md', text: '# app\n', files: { 'docs/index.md': '# docs\n' }, reportedAt: REPOSITORY_ROOT }],
    good: [
      { path: 'SECURITY.md', text: '# Security\n\nReport vulnerabilities through GitHub private vulnerability reporting.\n' },
      { path: '.github/security.md', text: '# Reporting\n' },
    ],
  },
  reads: ['repository'],
  check(doc, ctx) {
    if (FOLDERS.some((dir) => ctx.project.list(dir.replace(/\/$/, '')).some((p) => POLICY.test(p.slice(dir.length))))) return;
    if (FOLDERS.some((dir) => doc.hidden(`${dir}SECURITY.md`))) return; // excluded from the scan: it may be there
    ctx.report({
      message: 'No security policy (SECURITY.md at the root, in .github/ or in docs/): people who find a vulnerability are not told how to report it privately.',
      at: FIRST_LINE,
      fingerprintKey: 'no SECURITY.md',
    });
  },
} satisfies Rule<RepositoryDoc>;
