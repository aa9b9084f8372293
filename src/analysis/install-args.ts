/**
 * What an install command installs, read with each tool's own options: an option that takes a value consumes it
 * (`pip install --root-user-action ignore poetry` installs poetry, not "ignore"), `--opt=value` and `-xVALUE` forms
 * included, and `--` ends the options. Every option not listed as taking a value is a flag. The tables are written from
 * each tool's documentation (the URL above each); an option a tool adds later and that takes a value costs one misread
 * word, never a crash.
 */
export interface InstallArgs {
  /** The operands (package specs, paths, URLs) in order. */
  operands: string[];
  /** The options as written, in order, with their values (`['--version', '1.2.3']`; a flag has the value ''). */
  options: [string, string][];
}

/** The values given to any of `names`. */
export const optionValues = (a: InstallArgs, ...names: string[]): string[] => a.options.filter(([n]) => names.includes(n)).map(([, v]) => v);
export const hasOption = (a: InstallArgs, ...names: string[]): boolean => a.options.some(([n]) => names.includes(n));

interface Table {
  /** Long options (with the `--`) that take a value. */
  long: ReadonlySet<string>;
  /** Short option letters that take a value (`-r file`, `-rfile`). */
  short: string;
  /** Single-dash long options (Go's `-tags x`, choco's `-source x`): every word from `-` is one option. */
  singleDash?: boolean;
}

const table = (long: string, short: string, singleDash = false): Table => ({ long: new Set(long.split(/\s+/).filter(Boolean)), short, singleDash });

// npm: every config key that is not a boolean takes a value on the command line (`--loglevel verbose`).
// https://docs.npmjs.com/cli/v10/using-npm/config , https://docs.npmjs.com/cli/v10/commands/npm-install
const NPM = table(
  '--loglevel --registry --cache --prefix --tag --workspace --save-prefix --userconfig --globalconfig --omit --include --install-strategy ' +
    '--auth-type --otp --before --cafile --ca --cert --key --proxy --https-proxy --noproxy --fetch-retries --fetch-retry-factor ' +
    '--fetch-retry-mintimeout --fetch-retry-maxtimeout --fetch-timeout --maxsockets --script-shell --node-options --location --umask ' +
    '--depth --audit-level --scope --cpu --os --libc --replace-registry-host --local-address --logs-dir --logs-max --editor --shell',
  'wC',
);
// Yarn 1 (https://classic.yarnpkg.com/en/docs/cli/add, https://classic.yarnpkg.com/en/docs/cli/#global-options) and Yarn 2+ (https://yarnpkg.com/cli/add)
const YARN = table(
  '--cwd --modules-folder --cache-folder --mutex --network-timeout --network-concurrency --global-folder --link-folder --https-proxy --proxy ' +
    '--registry --use-yarnrc --mode --emoji --preferred-cache-folder --otp',
  '',
);
// https://pnpm.io/cli/add , https://pnpm.io/pnpm-cli#options , https://pnpm.io/filtering
const PNPM = table('--filter --dir --reporter --loglevel --store-dir --virtual-store-dir --registry --config --modules-dir --lockfile-dir --workspace-concurrency --allow-build', 'FC');
// https://bun.sh/docs/cli/add , https://bun.sh/docs/cli/install
const BUN = table('--cwd --config --registry --backend --cache-dir --cafile --ca --network-concurrency --concurrent-scripts --omit --filter --linker --cpu --os', 'c');
// https://pip.pypa.io/en/stable/cli/pip_install/ (install, package index and general options); `-e` takes its spec, read as an operand
const PIP = table(
  '--requirement --constraint --target --platform --python-version --implementation --abi --root --prefix --src --upgrade-strategy ' +
    '--config-settings --global-option --install-option --no-binary --only-binary --progress-bar --root-user-action --report --group ' +
    '--index-url --extra-index-url --find-links --log --log-file --proxy --retries --timeout --exists-action --trusted-host --cert --client-cert ' +
    '--cache-dir --keyring-provider --use-feature --use-deprecated --python --resume-retries --build --download',
  'rctCifb',
);
// https://pipx.pypa.io/stable/docs/ (`pipx install`): `--spec` names what to install instead of the operand
const PIPX = table('--python --pip-args --index-url --suffix --preinstall --spec --backend', 'i');
// https://guides.rubygems.org/command-reference/#gem-install
const GEM = table('--version --source --install-dir --bindir --platform --file --trust-policy --document --build-root --target-rbconfig --config-file', 'vsinPg');
// apt-get(8) / apt(8): https://manpages.debian.org/bookworm/apt/apt-get.8.en.html
const APT = table('--option --config-file --target-release --default-release --host-architecture --build-profiles --solver', 'octaP');
// apk(8): https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper , https://man.archlinux.org/man/apk.8 ; `--virtual NAME` names a group, not a package
const APK = table('--repository --root --keys-dir --repositories-file --virtual --arch --cache-dir --cache-max-age --timeout --progress-fd --wait', 'Xpt');
// dnf(8) / yum(8): https://dnf.readthedocs.io/en/latest/command_ref.html#options
const DNF = table(
  '--config --installroot --releasever --enablerepo --disablerepo --repo --repoid --exclude --excludepkgs --setopt --debuglevel --errorlevel ' +
    '--rpmverbosity --downloaddir --destdir --forcearch --color --disableplugin --enableplugin --advisory --advisories --bz --bzs --cve --cves ' +
    '--comment --sec-severity --secseverity --repofrompath',
  'cxde',
);
// https://doc.rust-lang.org/cargo/commands/cargo-install.html
const CARGO = table(
  '--version --vers --git --branch --tag --rev --path --root --index --registry --jobs --target --target-dir --profile --features --config ' +
    '--color --bin --example --message-format --manifest-path',
  'jFZ',
);
// `go help build` (build flags shared by install/get): https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
const GO = table(
  '-C -modfile -mod -tags -ldflags -gcflags -asmflags -p -pkgdir -toolexec -overlay -pgo -buildmode -compiler -installsuffix -covermode ' +
    '-coverpkg -gccgoflags -o -exec',
  '',
  true,
);
// https://docs.chocolatey.org/en-us/choco/commands/install/
const CHOCO = table(
  '--source --version --checksum --checksum64 --checksumtype --params --package-parameters --install-arguments --ia --user --password ' +
    '--timeout --execution-timeout --cache-location --cache --proxy --proxy-user --proxy-password --log-file --override-arguments',
  'sup',
);

// https://python-poetry.org/docs/cli/#add
const POETRY = table('--group --source --extras --python --platform --markers --directory --project', 'GEC');
// https://docs.astral.sh/uv/reference/cli/#uv-add
const UV = table(
  '--group --optional --extra --index --default-index --index-url --extra-index-url --find-links --rev --tag --branch --package --script ' +
    '--directory --project --python --config-file --cache-dir --bounds --marker --constraints --requirements --editable-requirements',
  'prmf',
);
// https://pdm-project.org/latest/reference/cli/#add
const PDM = table('--group --project --lockfile --strategy --venv --config-setting', 'GpLSk');

const INSTALL_TABLES: Readonly<Record<string, Table>> = {
  npm: NPM, yarn: YARN, pnpm: PNPM, bun: BUN, pip: PIP, pipx: PIPX, gem: GEM, apt: APT, 'apt-get': APT, apk: APK,
  yum: DNF, dnf: DNF, microdnf: DNF, cargo: CARGO, go: GO, choco: CHOCO, poetry: POETRY, uv: UV, pdm: PDM,
};

/** The operands and options of `argv` (the words after the subcommand) as `tool` reads them. */
export function installArgs(tool: string, argv: readonly string[]): InstallArgs {
  const t = INSTALL_TABLES[tool];
  const operands: string[] = [];
  const options: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (w === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      operands.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    if (w.startsWith('--') || t?.singleDash) {
      const name = eq >= 0 ? w.slice(0, eq) : w;
      // Go accepts `--tags` for `-tags`
      const key = t?.singleDash ? name.replace(/^--/, '-') : name;
      if (eq >= 0) options.push([key, w.slice(eq + 1)]);
      else if (t?.long.has(key) && i + 1 < argv.length) options.push([key, argv[++i]!]);
      else options.push([key, '']);
      continue;
    }
    // a cluster of short options: the first that takes a value takes the rest of the word, or the next word
    for (let k = 1; k < w.length; k++) {
      const letter = w[k]!;
      if (t?.short.includes(letter)) {
        const rest = w.slice(k + 1).replace(/^=/, '');
        options.push([`-${letter}`, rest !== '' ? rest : i + 1 < argv.length ? argv[++i]! : '']);
        break;
      }
      options.push([`-${letter}`, '']);
    }
  }
  return { operands, options };
}

/** An operand that names a local path or archive, not a registry package: `./x`, `../x`, `/abs`, `~/x`, `file:`, `*.tgz`, `*.whl`. */
export function isLocalOperand(w: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(w)) return false;
  return /^(\.{1,2}(\/|$)|\/|~\/|file:)/.test(w) || /\.(tgz|tar|tar\.gz|tar\.bz2|tar\.xz|tbz2?|zip|whl|gem|crate|deb|rpm|apk)$/i.test(w);
}
