import { describe, expect, test } from '@jest/globals';
import { beginMarker, endMarker, patchBody } from '../src/release/body.js';

const section = (text: string) =>
  `### ${text}\n\n| Region | Version | ARN |\n| --- | --- | --- |\n| us-east-1 | 1 | x |\n`;
const wrapped = (name: string, text: string, eol = '\n') =>
  `${beginMarker(name)}\n${section(text).trimEnd()}\n\n${endMarker(name)}`.replace(/\n/g, eol);

describe('patchBody', () => {
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
    const patched = patchBody(body, 'otel', section('otel 1.0.1'));
    expect(patched).toBe(body.replace(wrapped('otel', 'otel 1.0.0'), wrapped('otel', 'otel 1.0.1')));
    expect(patchBody(patched, 'otel', section('otel 1.0.1'))).toBe(patched);
  });

  test.each([
    ['empty body', '', `${wrapped('otel', 'A')}\n`],
    ['null body', null, `${wrapped('otel', 'A')}\n`],
    ['body without newline', 'Notes', `Notes\n\n${wrapped('otel', 'A')}\n`],
    ['body with one newline', 'Notes\n', `Notes\n\n${wrapped('otel', 'A')}\n`],
    ['body ending in a blank line', 'Notes\n\n', `Notes\n\n${wrapped('otel', 'A')}\n`],
    ['CRLF body', 'Notes\r\nmore\r\n', `Notes\r\nmore\r\n\r\n${wrapped('otel', 'A', '\r\n')}\r\n`],
  ])('appends when absent: %s', (_label, body, expected) => {
    expect(patchBody(body, 'otel', section('A'))).toBe(expected);
  });

  test('a CRLF body keeps CRLF everywhere and its outside text byte for byte', () => {
    const body = `Intro\r\n\r\n${wrapped('otel', 'old', '\r\n')}\r\nOutro\r\n`;
    const patched = patchBody(body, 'otel', section('new'));
    expect(patched).toBe(`Intro\r\n\r\n${wrapped('otel', 'new', '\r\n')}\r\nOutro\r\n`);
    expect(patched.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  test('a section whose end marker was lost ends after its table, keeping the text that follows', () => {
    const body = `Intro\n${beginMarker('otel')}\n${section('old')}\nHand-written after.\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(`Intro\n${wrapped('otel', 'new')}\n\nHand-written after.\n`);
  });

  test('a lost end marker never reaches into the next layer section', () => {
    const other = wrapped('otel-arm', 'arm');
    const body = `${beginMarker('otel')}\n### old\n${other}\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(`${wrapped('otel', 'new')}\n### old\n${other}\n`);
  });

  test('a lost end marker with no table in reach replaces only the marker line', () => {
    const body = `${beginMarker('otel')}\nHand-written paragraph.\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(`${wrapped('otel', 'new')}\nHand-written paragraph.\n`);
  });

  test('a copy-pasted duplicate of the same section is removed, other text kept', () => {
    const body = `${wrapped('otel', 'one')}\nMiddle\n\n${wrapped('otel', 'two')}\nEnd\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(`${wrapped('otel', 'new')}\nMiddle\nEnd\n`);
  });

  test('a layer whose name starts like another layer is not confused with it', () => {
    const body = `${wrapped('otel-arm', 'arm')}\n`;
    const patched = patchBody(body, 'otel', section('x86'));
    expect(patched).toBe(`${wrapped('otel-arm', 'arm')}\n\n${wrapped('otel', 'x86')}\n`);
  });

  test('an orphan end marker before the section is left alone', () => {
    const body = `${endMarker('otel')}\ntext\n`;
    expect(patchBody(body, 'otel', section('A'))).toBe(`${endMarker('otel')}\ntext\n\n${wrapped('otel', 'A')}\n`);
  });
});
