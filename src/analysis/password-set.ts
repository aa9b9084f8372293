import { programName, unwrap, type ShellCommand, type ShellScript } from './shell.js';

/** A password set from a literal written in a script: `echo 'root:root' | chpasswd`, `echo s3cret | passwd --stdin app`. */
export interface LiteralPassword {
  user: string;
  password: string;
  /** The program that sets it (`chpasswd`, `passwd`). */
  tool: string;
  /** The command that writes the literal, and the one that reads it. */
  from: ShellCommand;
  to: ShellCommand;
}

/**
 * The literal a pipeline's `echo`/`printf` writes, or undefined when any part of it is not written in the file (`$VAR`,
 * `${{ … }}`, `$(…)`, a printf format with arguments): a password read from the environment is not committed.
 */
function literalOutput(argv: readonly string[]): string | undefined {
  const p = programName(argv[0]);
  if (p !== 'echo' && p !== 'printf') return undefined;
  const words = argv.slice(1).filter((w, i) => !(p === 'echo' && i === 0 && /^-[neE]+$/.test(w)));
  if (words.length !== 1) return undefined;
  const text = words[0]!;
  if (/[$`]/.test(text) || (p === 'printf' && /%/.test(text))) return undefined;
  return text.replace(/(\\n|\n)+$/, '');
}

export function literalPasswords(sh: ShellScript): LiteralPassword[] {
  const out: LiteralPassword[] = [];
  for (const pipe of sh.pipelines) {
    for (let i = 1; i < pipe.length; i++) {
      const sink = unwrap(pipe[i]!.argv);
      const tool = programName(sink[0]);
      // `chpasswd -e` reads hashes, not passwords
      const chpasswd = tool === 'chpasswd' && !sink.some((w) => /^(-e|--encrypted)$/.test(w));
      const stdin = tool === 'passwd' && sink.includes('--stdin');
      if (!chpasswd && !stdin) continue;
      const text = literalOutput(unwrap(pipe[i - 1]!.argv));
      if (text === undefined) continue;
      if (chpasswd) {
        for (const line of text.split(/\\n|\n/)) {
          const colon = line.indexOf(':');
          if (colon > 0 && colon < line.length - 1) out.push({ user: line.slice(0, colon), password: line.slice(colon + 1), tool, from: pipe[i - 1]!, to: pipe[i]! });
        }
      } else if (text !== '') {
        const user = sink.slice(1).filter((w) => !w.startsWith('-')).at(-1) ?? 'the current user';
        out.push({ user, password: text, tool, from: pipe[i - 1]!, to: pipe[i]! });
      }
    }
  }
  return out;
}
