/**
 * Shortening text for a place with a length limit (an annotation, a table cell, an error message), so that a cut never
 * misquotes: text is cut between words, an ellipsis marks the cut, and the words kept are whole. A fix clipped mid-word
 * ("… or `frizbee` rew…") reads as a different word, or as a command that does not exist.
 */

const SPACE = /\s/;
/** Where a long word (a path, a URL, a package spec) may be cut: after one of these. */
const JOINT = /[/\\.,;:=&?#@_-]/;
/** Left dangling before an ellipsis, they read as the start of something cut off. */
export const DANGLING = /[\s.,;:([{'"=&-]+$/u;

/**
 * The longest prefix of `text` that fits `room` characters and ends at a word boundary: before a space, or, when no
 * space keeps half of the room (one long path or URL), after a joint inside the word. Only a single word longer than
 * half the room with no joint in reach is cut inside, and never between the halves of a surrogate pair; with `whole`,
 * such a word is not cut at all and the prefix is empty (for code, where half a word is a different command).
 */
export function wordPrefix(text: string, room: number, whole = false): string {
  if (text.length <= room) return text;
  if (room <= 0) return '';
  let space = -1;
  let joint = -1;
  // A cut at `i` keeps text[0..i): a boundary when text[i] is a space, or text[i - 1] a joint.
  for (let i = room; i > 0; i--) {
    if (space < 0 && SPACE.test(text[i]!)) space = i;
    if (joint < 0 && JOINT.test(text[i - 1]!)) joint = i;
    if (space >= 0 && joint >= 0) break;
  }
  const half = Math.ceil(room / 2);
  let cut = space >= half ? space : joint >= half ? joint : space > 0 ? space : joint > 0 ? joint : whole ? 0 : room;
  if (cut === room && /[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut--;
  return text.slice(0, cut);
}

/** `text` in at most `max` characters: whole if it fits, else its longest word-boundary prefix and `…`. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  // A backtick is not a dangling separator: a cut before a space that follows it keeps a closed code span.
  return `${wordPrefix(text, max - 1).replace(DANGLING, '')}…`;
}
