import type { DockerfileDoc, DockerInstruction, Stage } from '../parsers/dockerfile.js';
import { copyArgs } from './docker-args.js';
import { parseImageRef, type ImageRef } from './image-ref.js';

/**
 * What the image a Dockerfile builds is for, read from its content: which stages run as containers, and whether the
 * image is a base for other images, a toolbox, or a server that drops its own privileges. The container rules use it
 * to judge the image people run, not a stage that only carries build output.
 */

/** A stage and the stages it is built FROM, nearest first. */
export function ancestry(doc: DockerfileDoc, stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<number>();
  let s: Stage | undefined = stage;
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    out.push(s);
    s = s.parent !== undefined ? doc.stages[s.parent] : undefined;
  }
  return out;
}

const keyword = (ins: DockerInstruction): string => ins.keyword.toUpperCase();
const RUNS = new Set(['CMD', 'ENTRYPOINT']);
/** What an export stage holds: files, metadata, no command. */
const EXPORT_ONLY = new Set(['FROM', 'COPY', 'ADD', 'ARG', 'LABEL', 'ENV', 'WORKDIR']);
/** Build output no kernel executes: an app package, an archive, a document. */
const ARTIFACT = /\.(apk|aab|ipa|jar|war|ear|zip|tar|tgz|gz|xz|zst|deb|rpm|whl|msi|dmg|pkg|nupkg|json|txt|md|html)$/i;

/** The words of a CMD or ENTRYPOINT, JSON form or shell form. */
function commandWords(ins: DockerInstruction): string[] {
  const text = ins.args.map((a) => a.value).join(' ').trim();
  if (text.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(text);
      if (Array.isArray(list) && list.every((x) => typeof x === 'string')) return list as string[];
    } catch {
      // shell form after all
    }
  }
  return text.split(/\s+/).filter((w) => w !== '');
}

/** The CMD and ENTRYPOINT in effect in a stage (inherited through FROM <stage>), nearest first. */
function effectiveCommand(doc: DockerfileDoc, stage: Stage): { cmd?: DockerInstruction; entrypoint?: DockerInstruction } {
  const out: { cmd?: DockerInstruction; entrypoint?: DockerInstruction } = {};
  for (const s of ancestry(doc, stage))
    for (const ins of [...s.instructions].reverse()) {
      if (keyword(ins) === 'CMD') out.cmd ??= ins;
      if (keyword(ins) === 'ENTRYPOINT') out.entrypoint ??= ins;
    }
  return out;
}

/** The external image a stage's chain starts from (undefined for scratch or an unparsable reference). */
export function baseImage(doc: DockerfileDoc, stage: Stage): ImageRef | undefined {
  const root = ancestry(doc, stage).at(-1)!;
  return parseImageRef(root.image.value);
}

const rootIsScratch = (doc: DockerfileDoc, stage: Stage): boolean => ancestry(doc, stage).at(-1)!.image.value.trim().toLowerCase() === 'scratch';

/**
 * A stage that only carries files out of the build (`docker build --output`, or a `COPY --from` source): built on
 * scratch, with nothing but files and metadata in it, and no command, or one naming a file no kernel runs (an .apk).
 */
function isExportStage(doc: DockerfileDoc, stage: Stage): boolean {
  if (!rootIsScratch(doc, stage)) return false;
  const all = ancestry(doc, stage).flatMap((s) => s.instructions);
  if (!all.every((ins) => EXPORT_ONLY.has(keyword(ins)) || RUNS.has(keyword(ins)))) return false;
  return all.filter((ins) => RUNS.has(keyword(ins))).every((ins) => ARTIFACT.test(commandWords(ins)[0] ?? ''));
}

/**
 * The stages that run as containers: the last stage, which `docker build` builds; or, when the last stage is an export
 * stage, the other stages that declare a CMD or ENTRYPOINT of their own (built with `--target`). None when nothing runs.
 */
export function runnableStages(doc: DockerfileDoc): Stage[] {
  const last = doc.stages.at(-1);
  if (!last) return [];
  if (!isExportStage(doc, last)) return [last];
  return doc.stages.filter((s) => s !== last && !isExportStage(doc, s) && s.instructions.some((ins) => RUNS.has(keyword(ins))));
}

/** Interpreters and shells whose bare invocation is a prompt, not an application. */
const INTERPRETER = /^(python[\d.]*|pypy[\d.]*|node|nodejs|deno|bun|ruby|irb|php|perl|julia|R|ghci|iex|erl|jshell|scala|groovysh|lua|tclsh|bash|sh|ash|dash|zsh|fish|pwsh|powershell(\.exe)?|cmd(\.exe)?)$/i;
/** Files a base image definition copies beside its build steps: its entrypoint and helper scripts. */
const SCRIPT = /(^|\/)([^/]*entrypoint[^/]*|[^/]+\.(sh|ps1|cmd|bat))$/i;

/**
 * A base image definition (the official python, node, ruby images and the like): its command is a bare interpreter or
 * shell, and it copies nothing from the build context but scripts. It exists to be built FROM, and the image built on
 * it chooses the user; setting one here would break the images that do.
 */
export function isBaseImageDefinition(doc: DockerfileDoc, stage: Stage): boolean {
  const { cmd, entrypoint } = effectiveCommand(doc, stage);
  if (!cmd) return false;
  const words = commandWords(cmd);
  const bare = words.length > 0 && words.length <= 2 && INTERPRETER.test(words[0]!.replace(/^.*[/\\]/, '')) && (words.length === 1 || /^-[a-z]$/i.test(words[1]!));
  if (!bare) return false;
  if (entrypoint && !SCRIPT.test(commandWords(entrypoint)[0] ?? '')) return false;
  return ancestry(doc, stage).every((s) => s.instructions.every((ins) => !copiesFromContext(ins) || copyArgs(ins).sources.every((src) => SCRIPT.test(src.value))));
}

const copiesFromContext = (ins: DockerInstruction): boolean =>
  (keyword(ins) === 'COPY' || keyword(ins) === 'ADD') && !ins.flags.some((f) => f.name === 'from');

/**
 * Official server images that start as root only to bind a port or fix permissions, then run the service as an
 * unprivileged user: nginx and httpd workers, PHP-FPM pools, and the docker-library entrypoints (gosu/su-exec) of
 * databases and brokers. Only while the Dockerfile keeps the image's own command.
 */
const DROPS_PRIVILEGES = /^docker\.io\/library\/(nginx|httpd|postgres|mysql|mariadb|mongo|redis|valkey|rabbitmq|memcached|cassandra|couchdb|influxdb|neo4j)$|^docker\.io\/library\/php$/;

export function dropsPrivileges(doc: DockerfileDoc, stage: Stage): string | undefined {
  const ref = baseImage(doc, stage);
  if (!ref || !DROPS_PRIVILEGES.test(ref.canonical)) return undefined;
  const name = ref.canonical.slice(ref.canonical.lastIndexOf('/') + 1);
  if (name === 'php' && !/(apache|fpm)/.test(ref.tag ?? '')) return undefined;
  // the image's own command, or one that still starts the server (`ENTRYPOINT ["nginx", "-g", "daemon off;"]`)
  const { cmd, entrypoint } = effectiveCommand(doc, stage);
  const start = entrypoint ? programOf(commandWords(entrypoint)) : cmd ? programOf(commandWords(cmd)) : undefined;
  if (start !== undefined && !SERVER_COMMAND.test(start) && !/^docker-entrypoint(\.sh)?$/.test(start)) return undefined;
  return name === 'php' ? `php:${/apache/.test(ref.tag ?? '') ? 'apache' : 'fpm'}` : name;
}

const SERVER_COMMAND = /^(nginx|httpd|httpd-foreground|apache2-foreground|apache2ctl|php-fpm[\d.]*|postgres|mysqld|mariadbd|mongod|redis-server|valkey-server|rabbitmq-server|memcached|cassandra|couchdb|influxd|neo4j)$/;
const programOf = (words: readonly string[]): string => (words[0] === 'sh' || words[0] === 'bash') && words[1] === '-c' ? (words[2] ?? '').split(/\s+/)[0]! : (words[0] ?? '').replace(/^.*\//, '');

/**
 * Operating-system and language images whose own command is a shell or a prompt: an image built on one that sets no
 * CMD or ENTRYPOINT of its own is a toolbox (a build or code-generation environment) until someone runs a command in it.
 */
const SHELL_DEFAULT = /^docker\.io\/library\/(alpine|debian|ubuntu|busybox|fedora|centos|rockylinux|almalinux|amazonlinux|oraclelinux|archlinux|buildpack-deps|python|pypy|node|ruby|golang|rust|openjdk|eclipse-temurin|amazoncorretto|perl|erlang|elixir|haskell|swift|gcc|julia|r-base|clojure|maven|gradle)$/;

export function isToolbox(doc: DockerfileDoc, stage: Stage): boolean {
  const { cmd, entrypoint } = effectiveCommand(doc, stage);
  const ref = baseImage(doc, stage);
  return !cmd && !entrypoint && ref !== undefined && SHELL_DEFAULT.test(ref.canonical);
}

/**
 * A reference that only a template tool fills in: not a valid image name (Docker's names are lower case, so
 * `REPLACE-ME` is not one), or a `${…}` placeholder that is no Dockerfile variable (`${templateOption:imageVariant}`).
 */
export function isTemplateImage(image: { value: string; unresolved: readonly string[] }): boolean {
  const name = image.value.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  return /[A-Z]/.test(name.replace(/^[^/]*[.:][^/]*\//, '')) || (image.value.includes('${') && image.unresolved.length === 0);
}
