import type { Rule } from '../core/types.js';
import addRemoteUrl from './containers/add-remote-url.js';
import codeInjection from './code/code-injection.js';
import commandInjection from './code/command-injection.js';
import unsafeDeserialization from './code/unsafe-deserialization.js';
import dangerousCapabilities from './containers/dangerous-capabilities.js';
import dockerSocketMount from './containers/docker-socket-mount.js';
import exposedAdminPort from './containers/exposed-admin-port.js';
import hostNamespace from './containers/host-namespace.js';
import latestImageTag from './containers/latest-image-tag.js';
import privilegeEscalation from './containers/privilege-escalation.js';
import reviewPolicy from './meta/review-policy.js';
import noNetworkPolicy from './network/no-network-policy.js';
import plaintextTraffic from './network/plaintext-traffic.js';
import rbacOverreach from './network/rbac-overreach.js';
import worldOpenPort from './network/world-open-port.js';
import privilegedContainer from './containers/privileged-container.js';
import runsAsRoot from './containers/runs-as-root.js';
import secretFileCopied from './containers/secret-file-copied.js';
import secretInEnv from './containers/secret-in-env.js';
import sudo from './containers/sudo.js';
import unpinnedImage from './containers/unpinned-image.js';
import unsignedPackages from './containers/unsigned-packages.js';
import ineffectiveSuppression from './meta/ineffective-suppression.js';
import uncheckedFile from './meta/unchecked-file.js';
import codeownersGaps from './governance/codeowners-gaps.js';
import missingDependencyUpdates from './governance/missing-dependency-updates.js';
import missingSecurityPolicy from './governance/missing-security-policy.js';
import committedDotenv from './secrets/committed-dotenv.js';
import composeSecretFile from './secrets/compose-secret-file.js';
import hardcodedSecret from './secrets/hardcoded-secret.js';
import compromisedDependency from './supply-chain/compromised-dependency.js';
import conflictingLockfiles from './supply-chain/conflicting-lockfiles.js';
import curlPipeShell from './supply-chain/curl-pipe-shell.js';
import installScriptDependency from './supply-chain/install-script-dependency.js';
import lockfileDrift from './supply-chain/lockfile-drift.js';
import lockfileInsecureSource from './supply-chain/lockfile-insecure-source.js';
import lockfileIntegrity from './supply-chain/lockfile-integrity.js';
import missingLockfile from './supply-chain/missing-lockfile.js';
import nonFrozenInstall from './supply-chain/non-frozen-install.js';
import tlsVerificationDisabled from './supply-chain/tls-verification-disabled.js';
import typosquatDependency from './supply-chain/typosquat-dependency.js';
import unpinnedGitDependency from './supply-chain/unpinned-git-dependency.js';
import approvalRace from './workflows/approval-race.js';
import dangerousTrigger from './workflows/dangerous-trigger.js';
import excessivePermissions from './workflows/excessive-permissions.js';
import githubEnvInjection from './workflows/github-env-injection.js';
import hardcodedCredential from './workflows/hardcoded-credential.js';
import insecureCommands from './workflows/insecure-commands.js';
import knownVulnerableAction from './workflows/known-vulnerable-action.js';
import persistedCredentials from './workflows/persisted-credentials.js';
import secretsInherit from './workflows/secrets-inherit.js';
import selfHostedRunner from './workflows/self-hosted-runner.js';
import templateInjection from './workflows/template-injection.js';
import unpinnedAction from './workflows/unpinned-action.js';
import untrustedCheckout from './workflows/untrusted-checkout.js';
import vulnerableDependency from './supply-chain/vulnerable-dependency.js';
import publicDatabase from './network/public-database.js';

/** Every rule, sorted by id. Bundles cannot scan folders, so this list is explicit; a test keeps it complete. */
export const rules: readonly Rule[] = [
  addRemoteUrl,
  approvalRace,
  codeInjection,
  codeownersGaps,
  commandInjection,
  committedDotenv,
  composeSecretFile,
  compromisedDependency,
  conflictingLockfiles,
  curlPipeShell,
  dangerousCapabilities,
  dangerousTrigger,
  dockerSocketMount,
  excessivePermissions,
  exposedAdminPort,
  githubEnvInjection,
  hardcodedCredential,
  hardcodedSecret,
  hostNamespace,
  ineffectiveSuppression,
  insecureCommands,
  installScriptDependency,
  knownVulnerableAction,
  latestImageTag,
  lockfileDrift,
  lockfileInsecureSource,
  lockfileIntegrity,
  missingDependencyUpdates,
  missingLockfile,
  missingSecurityPolicy,
  noNetworkPolicy,
  nonFrozenInstall,
  persistedCredentials,
  plaintextTraffic,
  privilegeEscalation,
  privilegedContainer,
  publicDatabase,
  rbacOverreach,
  reviewPolicy,
  runsAsRoot,
  secretFileCopied,
  secretInEnv,
  secretsInherit,
  selfHostedRunner,
  sudo,
  templateInjection,
  tlsVerificationDisabled,
  typosquatDependency,
  uncheckedFile,
  unpinnedAction,
  unpinnedGitDependency,
  unpinnedImage,
  unsafeDeserialization,
  unsignedPackages,
  untrustedCheckout,
  vulnerableDependency,
  worldOpenPort,
] as Rule[];

export function findRule(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}
