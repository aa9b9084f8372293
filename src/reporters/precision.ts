/**
 * Each rule's `precision` for GitHub code scanning: how often its results are true (code scanning orders
 * alerts by level and precision). Each value was derived this way:
 *
 * 1. The rule's typical confidence: the confidence most of its findings carry on the real-world corpus
 *    (eight public repositories, every file) plus its bad examples; a tie goes to the lower one.
 * 2. That confidence is the precision: high → `high`, medium → `medium`, low → `low`.
 * 3. `very-high` instead of `high` when the rule never reports below high confidence, reads a literal
 *    setting or fact of the file (a flag, a missing hash, a ref that is not a SHA) with no guess about
 *    values, names or intent, and no hand-judged corpus label shows it wrong.
 * 4. One step down when the hand-judged labels it still reports are wrong (FP) at least as often as right.
 *
 * A new rule needs an entry (test/reporters/sarif.test.ts checks every registered rule has one).
 */
export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export const PRECISIONS: readonly Precision[] = ['very-high', 'high', 'medium', 'low'];

export const RULE_PRECISION: Readonly<Record<string, Precision>> = {
  'add-remote-url': 'very-high',
  'approval-race': 'medium', // new: no finding on the real-world corpus yet; an environment approval is medium confidence
  'code-injection': 'high', // new: no finding on the real-world corpus; a flow from a source is high confidence, the rest low
  'codeowners-gaps': 'high', // new: GitHub's pattern semantics emulated; whether an owner exists is not visible offline
  'command-injection': 'high', // new: as code-injection
  'committed-dotenv': 'medium', // high, one step down: its judged labels still reported are 1 FP, 0 TP
  'compose-secret-file': 'high', // new: medium-confidence plain values on the corpus are samples' local defaults
  'compromised-dependency': 'very-high',
  'conflicting-lockfiles': 'very-high',
  'curl-pipe-shell': 'high',
  'dangerous-capabilities': 'very-high',
  'dangerous-trigger': 'medium', // as many medium as high findings
  'docker-socket-mount': 'high',
  'excessive-permissions': 'medium',
  'exposed-admin-port': 'high', // high only, but the service is inferred from the port number
  'github-env-injection': 'low', // taint through commands and actions: as many low as high findings
  'hardcoded-credential': 'high',
  'hardcoded-secret': 'low',
  'host-namespace': 'very-high',
  'ineffective-suppression': 'very-high',
  'insecure-commands': 'high',
  'install-script-dependency': 'very-high',
  'known-vulnerable-action': 'very-high',
  'latest-image-tag': 'high',
  'lockfile-drift': 'high', // high only, but it reasons about version ranges
  'lockfile-insecure-source': 'high',
  'lockfile-integrity': 'very-high',
  'missing-dependency-updates': 'high', // new: which ecosystems are production is decided by path
  'missing-lockfile': 'high',
  'missing-security-policy': 'high', // new: an organisation's default policy is not visible offline
  'no-network-policy': 'low', // new: low confidence only, the policy may live outside the repository
  'non-frozen-install': 'high',
  'persisted-credentials': 'high',
  'plaintext-traffic': 'medium', // new: an Ingress without tls: may sit behind a load balancer that terminates TLS
  'privilege-escalation': 'very-high',
  'privileged-container': 'very-high',
  'rbac-overreach': 'high', // new: literal grants; a controller's own role is low confidence
  'public-database': 'high', // new: a literal flag or firewall range; through a variable default it is medium confidence
  'review-policy': 'high', // new: settings as the GitHub API states them; low confidence while classic protection is unreadable
  'runs-as-root': 'low', // most findings are dev-container and test images, at low confidence
  'secret-file-copied': 'high',
  'secret-in-env': 'medium',
  'secrets-inherit': 'very-high',
  'self-hosted-runner': 'medium', // high, one step down: 1 FP, 0 TP
  sudo: 'medium', // high, one step down: 3 FP (sudo -u dropping privileges), 2 TP
  'template-injection': 'medium',
  'tls-verification-disabled': 'very-high',
  'typosquat-dependency': 'high',
  'unchecked-file': 'very-high',
  'unpinned-action': 'very-high',
  'unpinned-git-dependency': 'medium', // high, one step down: 1 FP (the lockfile pins it), 1 TP
  'unpinned-image': 'high',
  'unsafe-deserialization': 'high', // new: as code-injection (js-yaml of unknown version: medium)
  'unsigned-packages': 'very-high',
  'untrusted-checkout': 'high',
  'vulnerable-dependency': 'high', // an OSV record naming the exact version; no real-world figure (no network here)
  'world-open-port': 'medium', // new: NodePort and externalIPs findings are medium confidence
};

/** The rule's precision; a rule not measured yet (no entry) is `medium`, neither promoted nor played down. */
export function precisionOf(ruleId: string): Precision {
  return RULE_PRECISION[ruleId] ?? 'medium';
}
