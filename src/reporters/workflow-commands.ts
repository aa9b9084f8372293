/**
 * GitHub Actions workflow commands as text (`::name key=value,…::message`), escaped as GitHub documents
 * ("Workflow commands for GitHub Actions"). Escaping is what keeps a file name, a message or file content from
 * becoming a command of its own: data escapes `%`, `\r` and `\n`; property values also `:` and `,`.
 * Pure: the action writes these lines to the runner (action/toolkit.ts), the CLI prints them (`--format github`).
 */

export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One workflow command line; properties without a value are left out. */
export function commandLine(name: string, properties: Readonly<Record<string, string | number | undefined>>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}
