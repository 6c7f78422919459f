/**
 * Patches one layer's section of a release body in place. Text outside the section, and other layers' sections,
 * are kept byte for byte, whatever line endings the body uses (bodies edited on github.com come back with CRLF).
 */
const MARKER_START = '<!-- lambda-layer-release:';

export function beginMarker(name: string): string {
  return `${MARKER_START}${name}:begin -->`;
}

export function endMarker(name: string): string {
  return `${MARKER_START}${name}:end -->`;
}

function lineEnding(body: string): string {
  return body.includes('\r\n') ? '\r\n' : '\n';
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
function findSection(body: string, name: string, from = 0): { start: number; end: number } | undefined {
  const begin = beginMarker(name);
  const start = body.indexOf(begin, from);
  if (start < 0) return undefined;
  const afterBegin = start + begin.length;
  const nextMarker = body.indexOf(MARKER_START, afterBegin);
  const end = endMarker(name);
  if (nextMarker >= 0 && body.startsWith(end, nextMarker)) return { start, end: nextMarker + end.length };
  const limit = nextMarker >= 0 ? nextMarker : body.length;
  return { start, end: guessSectionEnd(body, afterBegin, limit) };
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
