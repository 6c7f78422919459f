/**
 * Patches one layer's section of a release body. Text outside the section, and other layers' sections, are kept
 * byte for byte, whatever line endings the body uses (CRLF from github.com's editor, a lone CR from old tools).
 *
 * A marker counts only where this action writes it: alone on its line, as markdown structure (not inside a fenced
 * code block, not inside an HTML comment). A section is a begin marker whose next marker is its own end marker.
 * Anything else of this layer's markers (a begin without its end, an end before its begin, text beside a marker, a
 * marker hidden in a comment) is ambiguous: the notes are left exactly as they are, the section is written afresh
 * at the end, and the caller is told why so that it can warn. The fresh section is found again by the next run (the
 * last section, after every stray marker), so reruns never stack up sections.
 */
const MARKER_START = '<!-- lambda-layer-release:';
/** A marker at the start of a line (up to three spaces, as CommonMark allows for an HTML block), and what follows. */
const MARKER_LINE = /^ {0,3}<!-- lambda-layer-release:([A-Za-z0-9_-]{1,140}):(begin|end) -->(.*)$/;
/** A CommonMark fence: up to three spaces, then three or more backticks or tildes (a backtick fence's info has none). */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** An HTML block of comment type: a line starting with `<!--` (CommonMark type 2), running to a line with `-->`. */
const COMMENT_START = /^ {0,3}<!--/;

export function beginMarker(name: string): string {
  return `${MARKER_START}${name}:begin -->`;
}

export function endMarker(name: string): string {
  return `${MARKER_START}${name}:end -->`;
}

/** The body's own line ending: CRLF, a lone CR, or LF. */
function lineEnding(body: string): string {
  if (body.includes('\r\n')) return '\r\n';
  return /\r(?!\n)/.test(body) ? '\r' : '\n';
}

interface Line {
  /** Offset of the line's first character and of the end of its text (before the line break). */
  start: number;
  end: number;
  text: string;
  /** 1-based, for messages. */
  number: number;
}

function splitLines(body: string): Line[] {
  const lines: Line[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = breaks.exec(body); m; m = breaks.exec(body)) {
    lines.push({ start, end: m.index, text: body.slice(start, m.index), number: lines.length + 1 });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: body.length, text: body.slice(start), number: lines.length + 1 });
  return lines;
}

interface Marker {
  line: Line;
  name: string;
  kind: 'begin' | 'end';
  /** Why it cannot be used as a marker (text beside it, inside a comment); undefined for a usable one. */
  unusable?: string;
}

interface Scan {
  markers: Marker[];
  /** The line that closes what is still open at the end of the body (a fence, a comment), if anything is. */
  unclosed?: string;
}

/**
 * Every marker line outside fenced code, in order. A fence that is never closed hides nothing (GitHub would show
 * the rest as code, but treating it as text keeps a rerun from appending a second section): the scan is redone with
 * that opening line read as text.
 */
function findMarkers(lines: Line[], ignoredFences = new Set<number>()): Scan {
  const markers: Marker[] = [];
  let fence: { char: string; length: number; at: number } | undefined;
  let inComment = false;
  for (const [i, line] of lines.entries()) {
    const fenceMatch = FENCE.exec(line.text);
    if (fence) {
      const closes =
        fenceMatch &&
        fenceMatch[1][0] === fence.char &&
        fenceMatch[1].length >= fence.length &&
        fenceMatch[2].trim() === '';
      if (closes) fence = undefined;
      continue;
    }
    const marker = MARKER_LINE.exec(line.text);
    if (inComment) {
      if (marker) markers.push({ line, name: marker[1], kind: marker[2] as Marker['kind'], unusable: 'in a comment' });
      if (line.text.includes('-->')) inComment = false;
      continue;
    }
    if (!ignoredFences.has(i) && fenceMatch && !(fenceMatch[1][0] === '`' && fenceMatch[2].includes('`'))) {
      fence = { char: fenceMatch[1][0], length: fenceMatch[1].length, at: i };
      continue;
    }
    if (marker) {
      const beside = marker[3].trim() !== '';
      markers.push({
        line,
        name: marker[1],
        kind: marker[2] as Marker['kind'],
        ...(beside ? { unusable: 'with text beside it' } : {}),
      });
      continue;
    }
    if (COMMENT_START.test(line.text) && !line.text.slice(line.text.indexOf('<!--') + 4).includes('-->')) {
      inComment = true;
    }
  }
  if (fence) {
    const closing = fence.char.repeat(fence.length);
    return { ...findMarkers(lines, new Set([...ignoredFences, fence.at])), unclosed: closing };
  }
  return { markers, ...(inComment ? { unclosed: '-->' } : {}) };
}

interface Pair {
  begin: Marker;
  end: Marker;
}

/** What the body holds for one layer: its sections and the markers that belong to none. */
function survey(body: string, name: string): { pairs: Pair[]; strays: Marker[]; unclosed?: string } {
  const { markers: all, unclosed } = findMarkers(splitLines(body));
  const usable = all.filter((m) => !m.unusable);
  const pairs: Pair[] = [];
  const paired = new Set<Marker>();
  usable.forEach((m, i) => {
    const next = usable[i + 1];
    if (m.name === name && m.kind === 'begin' && next?.name === name && next.kind === 'end') {
      pairs.push({ begin: m, end: next });
      paired.add(m).add(next);
    }
  });
  const strays = all.filter((m) => m.name === name && !paired.has(m));
  return { pairs, strays, ...(unclosed ? { unclosed } : {}) };
}

function describeStray(marker: Marker, pairs: Pair[]): string {
  const what = `${marker.kind} marker on line ${marker.line.number}`;
  if (marker.unusable) return `a ${what} ${marker.unusable}`;
  if (marker.kind === 'begin') return `a ${what} without its end marker`;
  return pairs.some((p) => p.begin.line.number < marker.line.number)
    ? `a second ${what}`
    : `an ${what} before any begin marker`;
}

/**
 * The section wrapped in its markers, in the body's line endings. The blank line before the end marker ends the
 * table: GitHub's markdown would otherwise read the next line as one more row.
 */
function block(name: string, section: string, eol: string): string {
  const text = `${beginMarker(name)}\n${section.replace(/\r\n?/g, '\n').replace(/\n+$/, '')}\n\n${endMarker(name)}`;
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

/**
 * The section after the notes. Notes that end inside a code block or an HTML comment (never closed) would swallow
 * it, so that is closed first: the notes' own text renders as before, and the section is seen, also by the next run.
 */
function append(text: string, wrapped: string, eol: string, unclosed: string | undefined): string {
  if (text.trim() === '') return `${wrapped}${eol}`;
  const end = text.endsWith(eol) ? text : `${text}${eol}`;
  const closed = unclosed ? `${end}${unclosed}${eol}` : end;
  return `${closed}${closed.endsWith(eol + eol) ? '' : eol}${wrapped}${eol}`;
}

export interface PatchedBody {
  body: string;
  /** Why the notes were not patched in place, or what in them was left alone; empty when all was clear. */
  problems: string[];
}

/** The section planBody would replace: the last clear one, after every stray marker; undefined when none is. */
function target(survey: { pairs: Pair[]; strays: Marker[] }): Pair | undefined {
  const last = survey.pairs.at(-1);
  return last && survey.strays.every((m) => m.line.number < last.begin.line.number) ? last : undefined;
}

/** The text between the markers of the layer's section (as planBody finds it), or undefined. */
export function sectionText(body: string | null | undefined, name: string): string | undefined {
  const text = body ?? '';
  const found = target(survey(text, name));
  return found && text.slice(found.begin.line.end, found.end.line.start);
}

/**
 * Puts `section` between `<!-- lambda-layer-release:<name>:begin -->` and its end marker: in place of the section
 * the body has, or appended when it has none or when its markers are ambiguous (then `problems` says why).
 */
export function planBody(body: string | null | undefined, name: string, section: string): PatchedBody {
  const text = body ?? '';
  const eol = lineEnding(text);
  const wrapped = block(name, section, eol);
  const surveyed = survey(text, name);
  const { pairs, strays, unclosed } = surveyed;
  const last = target(surveyed);
  const leftAlone = [
    ...pairs.slice(0, -1).map((p) => `an older section on lines ${p.begin.line.number}-${p.end.line.number}`),
    ...strays.map((m) => describeStray(m, pairs)),
  ];
  if (last) {
    const patched = text.slice(0, last.begin.line.start) + wrapped + text.slice(last.end.line.end);
    const problems = leftAlone.length
      ? [`${leftAlone.join('; ')}: left as it is; the last section (lines ${last.begin.line.number}+) was updated`]
      : [];
    return { body: patched, problems };
  }
  if (leftAlone.length === 0) return { body: append(text, wrapped, eol, unclosed), problems: [] };
  return {
    body: append(text, wrapped, eol, unclosed),
    problems: [`${leftAlone.join('; ')}: the notes were left as they are and a fresh section was added at the end`],
  };
}

/** planBody's text alone, for callers that only compare bodies. */
export function patchBody(body: string | null | undefined, name: string, section: string): string {
  return planBody(body, name, section).body;
}
