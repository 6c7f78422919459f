/**
 * Patches one layer's section of a release body in place. Text outside the section, and other layers' sections,
 * are kept byte for byte, whatever line endings the body uses (bodies edited on github.com come back with CRLF).
 *
 * A marker counts only where this action writes it: alone at the start of a line, outside fenced code blocks. Release
 * notes that quote a section in a code block (how the table looks, a migration guide) keep the quote untouched.
 */
const MARKER_START = '<!-- lambda-layer-release:';
const MARKER_LINE = /^<!-- lambda-layer-release:([A-Za-z0-9_-]{1,140}):(begin|end) -->/;
/** A CommonMark fence: up to three spaces, then three or more backticks or tildes (a backtick fence's info has none). */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

export function beginMarker(name: string): string {
  return `${MARKER_START}${name}:begin -->`;
}

export function endMarker(name: string): string {
  return `${MARKER_START}${name}:end -->`;
}

function lineEnding(body: string): string {
  return body.includes('\r\n') ? '\r\n' : '\n';
}

interface Marker {
  at: number;
  length: number;
  name: string;
  kind: 'begin' | 'end';
}

/**
 * Every marker line, in order, skipping those inside a closed fenced code block. A fence that is never closed hides
 * nothing: GitHub would show the rest as code, but treating it as text keeps a rerun from appending a second section.
 */
function findMarkers(body: string): Marker[] {
  const markers: Marker[] = [];
  let fence: { char: string; length: number; inside: Marker[] } | undefined;
  for (let start = 0; start <= body.length;) {
    const newline = body.indexOf('\n', start);
    const end = newline < 0 ? body.length : newline;
    const line = body.slice(start, end).replace(/\r$/, '');
    const fenceMatch = FENCE.exec(line);
    const marker = MARKER_LINE.exec(line);
    if (fence) {
      const closes =
        fenceMatch &&
        fenceMatch[1][0] === fence.char &&
        fenceMatch[1].length >= fence.length &&
        fenceMatch[2].trim() === '';
      if (closes) fence = undefined;
      else if (marker)
        fence.inside.push({ at: start, length: marker[0].length, name: marker[1], kind: marker[2] as Marker['kind'] });
    } else if (fenceMatch && !(fenceMatch[1][0] === '`' && fenceMatch[2].includes('`'))) {
      fence = { char: fenceMatch[1][0], length: fenceMatch[1].length, inside: [] };
    } else if (marker) {
      markers.push({ at: start, length: marker[0].length, name: marker[1], kind: marker[2] as Marker['kind'] });
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  if (fence) markers.push(...fence.inside);
  return markers;
}

/**
 * Where a section whose end marker was lost (a hand edit) stops: after its table, the last part of every section
 * renderSection writes, and never past the next section's marker. Without a table in reach only the begin marker
 * line is taken, so hand-written text is never eaten.
 */
function guessSectionEnd(body: string, from: number, limit: number): number {
  let at = body.indexOf('\n', from);
  if (at < 0 || at >= limit) return Math.min(limit, at < 0 ? body.length : at);
  const markerLineEnd = at;
  let inTable = false;
  let lastTableLineEnd = -1;
  while (at >= 0 && at < limit) {
    const next = body.indexOf('\n', at + 1);
    const lineEnd = next < 0 || next > limit ? limit : next;
    const line = body.slice(at + 1, lineEnd).replace(/\r$/, '');
    if (line.trimStart().startsWith('|')) {
      inTable = true;
      lastTableLineEnd = line.length + at + 1;
    } else if (inTable) break;
    if (lineEnd === limit) break;
    at = lineEnd;
  }
  return lastTableLineEnd >= 0 ? lastTableLineEnd : markerLineEnd;
}

/** [start, end) of the first section of `name`, or undefined when the body has none. */
function findSection(body: string, name: string): { start: number; end: number } | undefined {
  const markers = findMarkers(body);
  const i = markers.findIndex((m) => m.name === name && m.kind === 'begin');
  if (i < 0) return undefined;
  const begin = markers[i];
  const next = markers[i + 1];
  if (next && next.name === name && next.kind === 'end') return { start: begin.at, end: next.at + next.length };
  const limit = next ? next.at : body.length;
  return { start: begin.at, end: guessSectionEnd(body, begin.at + begin.length, limit) };
}

/**
 * The section wrapped in its markers, in the body's line endings. The blank line before the end marker ends the
 * table: GitHub's markdown would otherwise read the next line as one more row.
 */
function block(name: string, section: string, eol: string): string {
  const text = `${beginMarker(name)}\n${section.replace(/\r\n/g, '\n').replace(/\n+$/, '')}\n\n${endMarker(name)}`;
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

/**
 * Replaces the text between `<!-- lambda-layer-release:<name>:begin -->` and its end marker with `section`, or
 * appends the section when the body has none. A later duplicate of the same section (a copy-paste) is removed so
 * that reruns never leave a stale table behind.
 */
export function patchBody(body: string | null | undefined, name: string, section: string): string {
  const text = body ?? '';
  const eol = lineEnding(text);
  const wrapped = block(name, section, eol);
  const first = findSection(text, name);
  if (!first) {
    if (text.trim() === '') return `${wrapped}${eol}`;
    const gap = text.endsWith(eol + eol) ? '' : text.endsWith(eol) ? eol : eol + eol;
    return `${text}${gap}${wrapped}${eol}`;
  }
  let result = text.slice(0, first.start) + wrapped;
  let rest = text.slice(first.end);
  for (let dup = findSection(rest, name); dup; dup = findSection(rest, name)) {
    const before = rest.slice(0, dup.start).replace(/(\r?\n)+$/, '');
    result += before;
    rest = rest.slice(dup.end);
  }
  return result + rest;
}
