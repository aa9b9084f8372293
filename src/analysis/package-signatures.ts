import { programName, unwrap, type ShellCommand } from './shell.js';

/**
 * Package-manager invocations that install packages without checking their signatures: `apk --allow-untrusted`,
 * `apt-get --allow-unauthenticated`, `yum --nogpgcheck`, `rpm -i --nosignature`, `zypper --no-gpg-checks`, and an
 * apt source marked `[trusted=yes]`.
 */
export interface UnsignedInstall {
  /** The word as written (the flag, or the sources line). */
  word: string;
  /** `apt-get --allow-unauthenticated` … for the message. */
  command: string;
  fix: string;
}

const APT_OPTIONS = /^(APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories)(=|\s+)"?(1|true|yes)"?$/i;
const TRUSTED = /\[[^\]]*\btrusted=yes\b[^\]]*\]/;
const SOURCES = /\/etc\/apt\/sources\.list/;

const FIX = {
  apk: 'add the repository\'s signing key to /etc/apk/keys/ instead',
  apt: 'import the repository\'s signing key (`/etc/apt/keyrings/<name>.gpg` with `signed-by=` in the sources line) instead',
  rpm: 'import the repository\'s key (`rpm --import <key>` or `gpgkey=` in the .repo file) and keep `gpgcheck=1`',
  zypper: 'import the repository\'s key (`rpm --import <key>`) and keep signature checks on',
} as const;

/** `line` is the logical script line that holds the command, to see where `echo … >` writes. */
export function unsignedInstall(c: ShellCommand, line = ''): UnsignedInstall | undefined {
  const argv = unwrap(c.argv);
  const p = programName(argv[0]);
  const flag = (...names: string[]) => argv.find((w) => names.includes(w) || names.some((n) => n.startsWith('--') && w.startsWith(`${n}=`)));
  if (p === 'apk') {
    const w = flag('--allow-untrusted');
    return w ? { word: w, command: `apk ${w}`, fix: FIX.apk } : undefined;
  }
  if (/^(apt-get|apt|aptitude)$/.test(p)) {
    const w = flag('--allow-unauthenticated', '--force-yes', '--allow-insecure-repositories');
    if (w) return { word: w, command: `${p} ${w}`, fix: FIX.apt };
    for (let i = 1; i < argv.length; i++) {
      const opt = argv[i] === '-o' || argv[i] === '--option' ? argv[i + 1] : /^-o./.test(argv[i]!) ? argv[i]!.slice(2) : undefined;
      if (opt !== undefined && APT_OPTIONS.test(opt)) return { word: opt, command: `${p} -o ${opt}`, fix: FIX.apt };
    }
    return undefined;
  }
  if (/^(yum|dnf|tdnf|microdnf|yum-config-manager)$/.test(p)) {
    const w = flag('--nogpgcheck') ?? argv.find((x) => /^--setopt=(\S+\.)?(repo_)?gpgcheck=(0|false|no)$/i.test(x));
    return w ? { word: w, command: `${p} ${w}`, fix: FIX.rpm } : undefined;
  }
  if (p === 'rpm') {
    const installs = argv.some((w) => /^--(install|upgrade|freshen|reinstall)$/.test(w) || /^-[a-zA-Z]*[iUF][a-zA-Z]*$/.test(w));
    const w = installs ? flag('--nosignature', '--nodigest', '--noverify') : undefined;
    return w ? { word: w, command: `rpm ${w}`, fix: FIX.rpm } : undefined;
  }
  if (p === 'zypper') {
    const w = flag('--no-gpg-checks', '--no-gpgcheck', '-G');
    return w ? { word: w, command: `zypper ${w}`, fix: FIX.zypper } : undefined;
  }
  // echo "deb [trusted=yes] http://… stable main" > /etc/apt/sources.list.d/x.list (or | tee …)
  if (/^(echo|printf|add-apt-repository|tee)$/.test(p)) {
    const text = argv.slice(1).join(' ');
    const m = TRUSTED.exec(text);
    if (m && (p === 'add-apt-repository' || SOURCES.test(line))) return { word: m[0], command: `an apt source marked ${m[0]}`, fix: FIX.apt };
  }
  return undefined;
}
