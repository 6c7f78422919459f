/**
 * Hand-written release notes through the publish bundle on a release event, against the emulator: whatever shape
 * the notes are in (a begin marker whose end was deleted, text beside a marker, a section hidden in a comment, CRLF
 * and lone-CR line endings), not a byte of them is lost. Ambiguous notes stay as they are, get a fresh section at
 * the end and a warning; the rerun replaces only that section.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ActionRun } from '../__fixtures__/action.js';
import { startReleaseWorld, type ReleaseWorld } from '../__fixtures__/release-world.js';
import { beginMarker, endMarker, sectionText } from '../src/release/body.js';
import type { Octokit } from '../src/release/github.js';

const B = beginMarker('notes');
const E = endMarker('notes');
let world: ReleaseWorld;
let octokit: Octokit, owner: string, repo: string;

beforeAll(async () => {
  world = await startReleaseWorld({ workspace: 'llr-notes-', layer: { 'python/n.py': 'n = 1\n' } });
  ({ octokit, owner, repo } = world);
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

let tags = 0;

const releaseWith = (body: string) => world.releaseEvent(`v1.0.${tags++}`, body);
const bodyOf = (id: number) => world.bodyOf(id);

function publish(eventPath: string, version: string): Promise<ActionRun> {
  return world.publish(
    { name: 'notes', version, regions: 'us-east-1' },
    { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: eventPath },
  );
}

const AMBIGUOUS: [string, string][] = [
  [
    'a begin marker whose end marker was deleted, then the user’s own table',
    `Intro\n\n${B}\n### old\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nOur own table:\n| x | y |\n| --- | --- |\n| 3 | 4 |\n`,
  ],
  ['text beside the end marker', `${B}\n### old\n\n${E} Thanks to everyone who tested the release candidates!\n`],
  ['a section hidden in an HTML comment', `Notes.\n\n<!--\n${B}\n### old\n\n${E}\n-->\n`],
  ['a lone-CR body with a lost end marker', `Notes\r\r${B}\r### old\rKept words.\r`],
];

describe('ambiguous notes', () => {
  test.each(AMBIGUOUS)('%s: kept byte for byte, a fresh section at the end, a warning', async (_label, notes) => {
    const { id, eventPath } = await releaseWith(notes);
    const first = await publish(eventPath, '1.0.0');
    expect([first.code, first.errors]).toEqual([0, []]);
    expect(first.warnings.join('\n')).toMatch(
      /the 'notes' section: .*the notes were left as they are and a fresh section/,
    );
    const body = await bodyOf(id);
    expect(body.startsWith(notes)).toBe(true);
    expect(body.slice(notes.length)).toContain('### Lambda layer `notes` 1.0.0');

    const rerun = await publish(eventPath, '1.0.1');
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    const after = await bodyOf(id);
    expect(after.startsWith(notes)).toBe(true);
    expect(after.split(B)).toHaveLength(body.split(B).length);
    expect(sectionText(after, 'notes')).toContain('### Lambda layer `notes` 1.0.1');
  });
});

test.each([
  ['CRLF', '\r\n'],
  ['lone CR', '\r'],
])('a clear section in a %s body is replaced in place, the notes around it kept', async (_label, eol) => {
  const { id, eventPath } = await releaseWith(`Before.${eol}${eol}`);
  expect((await publish(eventPath, '2.0.0')).code).toBe(0);
  const withSection = `${await bodyOf(id)}${eol}After.${eol}`;
  await octokit.rest.repos.updateRelease({ owner, repo, release_id: id, body: withSection });
  const rerun = await publish(eventPath, '2.0.1');
  expect([rerun.code, rerun.errors, rerun.warnings.filter((w) => w.includes('section'))]).toEqual([0, [], []]);
  const body = await bodyOf(id);
  expect(body.startsWith(`Before.${eol}${eol}${B}${eol}`)).toBe(true);
  expect(body.endsWith(`${E}${eol}${eol}After.${eol}`)).toBe(true);
  expect(body.split(B)).toHaveLength(2);
  expect(body.replace(new RegExp(eol, 'g'), '')).not.toMatch(/[\r\n]/);
});
