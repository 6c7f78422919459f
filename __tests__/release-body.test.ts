/**
 * The section finder: every shape of release notes users really have (hand edits, lost or doubled markers, text
 * beside a marker, markers in code or comments, CRLF and lone-CR bodies). A clear section is replaced in place; an
 * ambiguous one leaves the notes untouched (they stay a prefix of the result), gets a fresh section at the end and a
 * problem to warn about; and a rerun always lands on the same section instead of adding another.
 */
import { describe, expect, test } from '@jest/globals';
import { beginMarker, endMarker, patchBody, planBody } from '../src/release/body.js';

const section = (text: string) =>
  `### ${text}\n\n| Region | Version | ARN |\n| --- | --- | --- |\n| us-east-1 | 1 | x |\n`;
const wrapped = (name: string, text: string, eol = '\n') =>
  `${beginMarker(name)}\n${section(text).trimEnd()}\n\n${endMarker(name)}`.replace(/\n/g, eol);
const B = beginMarker('otel');
const E = endMarker('otel');
const NEW = wrapped('otel', 'new');

describe('a clear section is replaced in place', () => {
  test('a rerun of one layer changes only its own section; hand-written text and the other layer stay', () => {
    const body = [
      'Hand-written notes.',
      '',
      wrapped('otel', 'otel 1.0.0'),
      '',
      'More words between <b>sections</b>.',
      wrapped('otel-arm', 'otel-arm 1.0.0'),
      'Footer.',
    ].join('\n');
    const { body: patched, problems } = planBody(body, 'otel', section('otel 1.0.1'));
    expect(patched).toBe(body.replace(wrapped('otel', 'otel 1.0.0'), wrapped('otel', 'otel 1.0.1')));
    expect(problems).toEqual([]);
    expect(patchBody(patched, 'otel', section('otel 1.0.1'))).toBe(patched);
  });

  test.each([
    ['empty body', '', `${wrapped('otel', 'A')}\n`],
    ['null body', null, `${wrapped('otel', 'A')}\n`],
    ['body without newline', 'Notes', `Notes\n\n${wrapped('otel', 'A')}\n`],
    ['body with one newline', 'Notes\n', `Notes\n\n${wrapped('otel', 'A')}\n`],
    ['body ending in a blank line', 'Notes\n\n', `Notes\n\n${wrapped('otel', 'A')}\n`],
    ['CRLF body', 'Notes\r\nmore\r\n', `Notes\r\nmore\r\n\r\n${wrapped('otel', 'A', '\r\n')}\r\n`],
    ['lone-CR body', 'Notes\rmore\r', `Notes\rmore\r\r${wrapped('otel', 'A', '\r')}\r`],
    [
      'another layer only',
      `${wrapped('otel-arm', 'arm')}\n`,
      `${wrapped('otel-arm', 'arm')}\n\n${wrapped('otel', 'A')}\n`,
    ],
  ])('appended when absent: %s', (_label, body, expected) => {
    expect(planBody(body, 'otel', section('A'))).toEqual({ body: expected, problems: [] });
  });

  test.each([
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
  ])('a %s body keeps its line ending everywhere and its outside text byte for byte', (_label, eol) => {
    const body = `Intro${eol}${eol}${wrapped('otel', 'old', eol)}${eol}Outro${eol}`;
    const { body: patched, problems } = planBody(body, 'otel', section('new'));
    expect(patched).toBe(`Intro${eol}${eol}${wrapped('otel', 'new', eol)}${eol}Outro${eol}`);
    expect(problems).toEqual([]);
    expect(patched.replace(new RegExp(eol, 'g'), '')).not.toMatch(/[\r\n]/);
    expect(patchBody(patched, 'otel', section('new'))).toBe(patched);
  });

  test.each([
    ['a backtick fence', '```text\n', '```\n'],
    ['a tilde fence', '~~~\n', '~~~\n'],
    ['a longer fence closed by a longer one', '````md\n```\n', '```\n`````\n'],
    ['an indented fence', '   ```\n', '   ```\n'],
  ])('markers quoted inside %s are text; the real section is replaced', (_label, open, close) => {
    const quoted = `How it looks:\n\n${open}${wrapped('otel', 'example')}\n${close}\n`;
    const body = `${quoted}${wrapped('otel', 'old')}\nFooter\n`;
    expect(planBody(body, 'otel', section('new'))).toEqual({ body: `${quoted}${NEW}\nFooter\n`, problems: [] });
  });

  test('a closed HTML comment before the section hides nothing of it', () => {
    const body = `<!--\nreviewers: check the table\n-->\n${wrapped('otel', 'old')}\n`;
    expect(planBody(body, 'otel', section('new'))).toEqual({
      body: `<!--\nreviewers: check the table\n-->\n${NEW}\n`,
      problems: [],
    });
  });

  test('a marker mentioned inside a line of text is not a marker', () => {
    const body = `Our table sits after \`${B}\` below.\n\n${wrapped('otel', 'old')}\n`;
    expect(planBody(body, 'otel', section('new'))).toEqual({
      body: `Our table sits after \`${B}\` below.\n\n${NEW}\n`,
      problems: [],
    });
  });
});

/**
 * [label, notes, what the problem says]. Each body is ambiguous for layer otel: the result is the notes untouched
 * followed by a fresh section, and one problem naming what was found.
 */
const AMBIGUOUS: [string, string, RegExp][] = [
  [
    'a begin marker without its end marker, before the user’s own table',
    `Intro\n${B}\n### old\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nMy own table:\n| x | y |\n| --- | --- |\n`,
    /begin marker on line 2 without its end marker/,
  ],
  ['a begin marker at the very end', `Notes\n${B}`, /begin marker on line 2 without its end marker/],
  ['an end marker alone', `${E}\ntext\n`, /end marker on line 1 before any begin marker/],
  [
    'the markers out of order',
    `${E}\nold\n${B}\ntext\n`,
    /end marker on line 1 before any begin.*begin marker on line 3/,
  ],
  ['text after the begin marker', `${B} Thanks, all!\n### old\n\n${E}\n`, /begin marker on line 1 with text beside/],
  [
    'text after the end marker',
    `${B}\n### old\n\n${E} Thanks to our contributors!\n`,
    /end marker on line 4 with text/,
  ],
  ['the section inside an HTML comment', `<!--\n${B}\n### old\n\n${E}\n-->\n`, /begin marker on line 2 in a comment/],
  [
    'a comment opened by hand text just before the begin marker',
    `Notes <!-- hidden\n<!-- to do\n${B}\nold\n${E}\n`,
    /begin marker on line 3 in a comment/,
  ],
  [
    "another layer's section inside this one",
    `${B}\n${wrapped('otel-arm', 'arm')}\n${E}\n`,
    /begin marker on line 1 without its end.*end marker on line 10/,
  ],
];

describe('ambiguous notes are left as they are; a fresh section goes at the end', () => {
  test.each(AMBIGUOUS)('%s', (_label, body, problem) => {
    const first = planBody(body, 'otel', section('v1'));
    expect(first.body.startsWith(body)).toBe(true);
    expect(first.body.slice(body.length).trim()).toBe(wrapped('otel', 'v1'));
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatch(problem);
    expect(first.problems[0]).toMatch(/left as they are and a fresh section was added at the end/);
    // The rerun finds the fresh section (the last one, after every stray marker) and replaces only it.
    const second = planBody(first.body, 'otel', section('v2'));
    expect(second.body).toBe(first.body.replace(wrapped('otel', 'v1'), wrapped('otel', 'v2')));
    expect(second.problems[0]).toMatch(/left as it is; the last section \(lines \d+\+\) was updated/);
    expect(patchBody(second.body, 'otel', section('v2'))).toBe(second.body);
  });

  test.each(AMBIGUOUS)('%s, in CRLF and lone-CR bodies alike', (_label, body) => {
    for (const eol of ['\r\n', '\r']) {
      const text = body.replace(/\n/g, eol);
      const patched = planBody(text, 'otel', section('v1'));
      expect(patched.body.startsWith(text)).toBe(true);
      expect(patched.body.slice(text.length).trim()).toBe(wrapped('otel', 'v1', eol));
      expect(patched.problems).toHaveLength(1);
    }
  });

  test("other layers' broken markers are theirs: no problem for this layer", () => {
    const body = `${beginMarker('otel-arm')}\n${wrapped('otel', 'old')}\n`;
    expect(planBody(body, 'otel', section('new'))).toEqual({
      body: `${beginMarker('otel-arm')}\n${NEW}\n`,
      problems: [],
    });
  });
});

describe('a clear last section after strays is updated, and the strays are reported', () => {
  test('an orphan end marker before the section', () => {
    const body = `${E}\ntext\n${wrapped('otel', 'old')}\n`;
    const { body: patched, problems } = planBody(body, 'otel', section('new'));
    expect(patched).toBe(`${E}\ntext\n${NEW}\n`);
    expect(problems).toEqual([
      'an end marker on line 1 before any begin marker: left as it is; the last section (lines 3+) was updated',
    ]);
  });

  test('a copy-pasted older section is kept (it is the user’s text now) and named', () => {
    const body = `${wrapped('otel', 'one')}\nMiddle\n\n${wrapped('otel', 'two')}\nEnd\n`;
    const { body: patched, problems } = planBody(body, 'otel', section('new'));
    expect(patched).toBe(`${wrapped('otel', 'one')}\nMiddle\n\n${NEW}\nEnd\n`);
    expect(problems).toEqual([
      'an older section on lines 1-8: left as it is; the last section (lines 11+) was updated',
    ]);
  });

  test('inside a code block with no real section, the section is appended and a rerun replaces it', () => {
    const body = `Docs:\n\n\`\`\`\n${wrapped('otel', 'example')}\n\`\`\`\n`;
    const once = patchBody(body, 'otel', section('v1'));
    expect(once).toBe(`${body}\n${wrapped('otel', 'v1')}\n`);
    expect(planBody(once, 'otel', section('v2'))).toEqual({
      body: `${body}\n${wrapped('otel', 'v2')}\n`,
      problems: [],
    });
  });

  test.each([
    ['a code block', 'Notes\n````sh\nnpm ci\n', '````'],
    ['an HTML comment', 'Notes\n<!-- draft: say more\n', '-->'],
  ])(
    'notes ending inside %s that is never closed get it closed, so the section shows and is found',
    (_l, body, close) => {
      const once = planBody(body, 'otel', section('v1'));
      expect(once).toEqual({ body: `${body}${close}\n\n${wrapped('otel', 'v1')}\n`, problems: [] });
      expect(planBody(once.body, 'otel', section('v2'))).toEqual({
        body: once.body.replace(wrapped('otel', 'v1'), wrapped('otel', 'v2')),
        problems: [],
      });
    },
  );

  test('a fence that is never closed does not hide the section after it', () => {
    const body = `\`\`\`\nunclosed\n${wrapped('otel', 'old')}\n`;
    expect(planBody(body, 'otel', section('new'))).toEqual({ body: `\`\`\`\nunclosed\n${NEW}\n`, problems: [] });
  });
});
