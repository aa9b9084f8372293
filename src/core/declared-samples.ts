/**
 * Folders whose own README says they are a sample or an example: what an `examples/` folder says by its name, a
 * collection of copy-paste projects (one folder each, "## Compose sample application") says in the README of each.
 * Their files are `example` context unless a production file builds or deploys them (see scope.ts), so a README
 * cannot take a file that production uses out of the gate. The repository's own README never counts: it describes
 * the whole project, and "OpenTelemetry Demo" or "Example Corp" in a title says nothing about its deployment.
 */

/** README names (any case) that describe their folder. */
const README = /^readme(\.(md|markdown|mdown|txt|rst|adoc|asciidoc))?$/i;
/** The title's words that declare a sample; "demo" is left out: products are named that way ("OpenTelemetry Demo"). */
const TITLE = /\b(samples?|examples?)\b/i;
/** A first sentence that says so: "This example provides a base setup for …", "This is a sample application …". */
const FIRST_SENTENCE = /^(this|these)\s+(is\s+an?\s+|are\s+)?(samples?|examples?)\b/i;
/** Only the top of a README is read: a title and its first paragraph come first. */
const HEAD_BYTES = 4096;

/** A README in a folder below the repository root (the root's own README never declares anything). */
export function isReadmePath(path: string): boolean {
  const slash = path.lastIndexOf('/');
  return slash > 0 && README.test(path.slice(slash + 1));
}

/** Whether the README's title (its first heading) or the first sentence after it calls the folder a sample or an example. */
export function declaresSample(text: string): boolean {
  const lines = text.slice(0, HEAD_BYTES).replace(/^\uFEFF/, '').split(/\r?\n/);
  let titled = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || ornament(line)) continue;
    const next = lines[i + 1]?.trim() ?? '';
    // ATX (`## Title`), setext or reStructuredText (`Title` over `=====`), or an HTML heading.
    const atx = /^#{1,6}\s+(.*?)\s*#*$/.exec(line)?.[1];
    const underlined = /^(=+|-+|~+|\*+)$/.test(next) && !/^(=+|-+|~+|\*+)$/.test(line) ? line : undefined;
    const html = /^<h[1-6][^>]*>(.*?)<\/h[1-6]>$/i.exec(line)?.[1];
    const heading = atx ?? underlined ?? html;
    if (heading !== undefined) {
      if (titled) return false;
      if (TITLE.test(heading)) return true;
      titled = true;
      if (underlined !== undefined) i++;
      continue;
    }
    // The first paragraph: before any title, or right after the first one.
    return FIRST_SENTENCE.test(line);
  }
  return false;
}

/** Badges, images, comments and rules above a title say nothing about the folder. */
function ornament(line: string): boolean {
  return /^(!\[|\[!\[|<img\b|<p\b|<\/p>|<a\b|<\/a>|<!--|<br|<div\b|<\/div>|\.\. |---+$|\*\*\*+$)/i.test(line);
}

/**
 * The declaring folder a path sits in (the nearest one, or undefined), given the declared folders. Paths and folders
 * are repository-relative POSIX; a declared folder covers everything below it.
 */
export function declaredFolderOf(path: string, declared: ReadonlySet<string>): string | undefined {
  if (declared.size === 0) return undefined;
  let end = path.lastIndexOf('/');
  while (end > 0) {
    const dir = path.slice(0, end);
    if (declared.has(dir)) return dir;
    end = dir.lastIndexOf('/');
  }
  return undefined;
}
