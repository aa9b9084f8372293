// The leak check every output test uses: a secret leaks when any 5 consecutive characters of it appear. Redaction
// keeps at most the first 4 characters of a value, so no window of 5 may survive anywhere.

export const WINDOW = 5;

/** `name: window` for every 5-character window of each secret found in `text` (empty when nothing leaks). */
export function leaks(text: string, secrets: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (let i = 0; i + WINDOW <= secret.length; i++) {
      const w = secret.slice(i, i + WINDOW);
      if (text.includes(w)) {
        out.push(`${name}: ${JSON.stringify(w)} in …${JSON.stringify(around(text, w))}…`);
        break;
      }
    }
  }
  return out;
}

function around(text: string, w: string): string {
  const at = text.indexOf(w);
  return text.slice(Math.max(0, at - 60), at + w.length + 20);
}
