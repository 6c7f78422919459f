/**
 * The release section and asset through the real Octokit (@actions/github getOctokit, which reads GITHUB_API_URL when
 * imported, hence the dynamic import) against the emulator's releases REST API.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { beginMarker, endMarker } from '../src/release/body.js';
import { updateRelease, type Octokit } from '../src/release/github.js';
import type { RegionResult, ResultRecord } from '../src/record/record.js';
import { parseRecord } from '../src/record/json.js';
import { ArnMismatchError } from '../src/record/validate.js';
import { renderSection, recordComment } from '../src/release/section.js';
import { releaseRef, releaseTarget } from '../src/settings/release.js';

let emu: RunningEmulator;
let octokit: Octokit;
const owner = 'octo-org';
const repo = 'octo-layer';
const noSleep = async () => undefined;

const arn = (name: string, region: string, v: number, partition = 'aws') =>
  `arn:${partition}:lambda:${region}:123456789012:layer:${name}:${v}`;
const row = (name: string, region: string, v: number): RegionResult => ({
  status: 'published',
  arn: arn(name, region, v),
  version: v,
  sharing: ['public'],
});

function record(name: string, version: string, regions: Record<string, RegionResult>): ResultRecord {
  return { schema: 1, name, version, sha256: 'a'.repeat(64), codeSha256: 'qg==', regions };
}

async function createRelease(tag: string, body: string, draft = false) {
  return (await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, body, draft })).data;
}

async function getRelease(id: number) {
  return (await octokit.rest.repos.getRelease({ owner, repo, release_id: id })).data;
}

async function assetText(id: number): Promise<string> {
  const res = await fetch(`${emu.url}/repos/${owner}/${repo}/releases/assets/${id}`, {
    headers: { accept: 'application/octet-stream', authorization: `token ${emu.env.GITHUB_TOKEN}` },
  });
  return res.text();
}

beforeAll(async () => {
  emu = await startEmulator();
  Object.assign(process.env, emu.env);
  const github = await import('@actions/github');
  octokit = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
});

afterAll(async () => {
  await emu?.stop();
});

describe('updateRelease', () => {
  test('a rerun of one layer changes only its own section; the asset exists once after two runs', async () => {
    const release = await createRelease('v1.0.0', 'Hand-written notes.\r\n\r\nSee the changelog.');
    const otel1 = record('otel', '1.0.0', {
      'us-east-1': row('otel', 'us-east-1', 1),
      'eu-west-1': row('otel', 'eu-west-1', 1),
    });
    const arm = record('otel-arm', '1.0.0', { 'us-east-1': row('otel-arm', 'us-east-1', 4) });
    await updateRelease({ octokit, owner, repo, release: { id: release.id }, record: otel1, sleep: noSleep });
    await updateRelease({ octokit, owner, repo, release: { tag: 'v1.0.0' }, record: arm, sleep: noSleep });

    // Someone edits the text around the sections on github.com.
    const edited = `${(await getRelease(release.id)).body}\r\n\r\nFooter added by hand.`;
    await octokit.rest.repos.updateRelease({ owner, repo, release_id: release.id, body: edited });

    const otel2 = record('otel', '1.0.0', {
      'us-east-1': row('otel', 'us-east-1', 2),
      'eu-west-1': row('otel', 'eu-west-1', 2),
    });
    const result = await updateRelease({
      octokit,
      owner,
      repo,
      release: { id: release.id },
      record: otel2,
      sleep: noSleep,
    });
    expect(result).toMatchObject({ bodyChanged: true, asset: { replaced: 1 }, tag: 'v1.0.0' });

    const after = await getRelease(release.id);
    const section = (name: string, text: string) => {
      const start = text.indexOf(beginMarker(name));
      return text.slice(start, text.indexOf(endMarker(name), start) + endMarker(name).length);
    };
    // Everything but the otel section is byte for byte what the hand edit left.
    expect(after.body!.replace(section('otel', after.body!), '')).toBe(edited.replace(section('otel', edited), ''));
    expect(section('otel', after.body!)).toBe(
      `${beginMarker('otel')}\r\n${recordComment(otel2)}\r\n${renderSection(otel2).trimEnd().replace(/\n/g, '\r\n')}\r\n\r\n${endMarker('otel')}`,
    );
    expect(after.body).toContain(arn('otel', 'eu-west-1', 2));
    expect(after.body).not.toContain(arn('otel', 'eu-west-1', 1));

    const names = after.assets.map((a) => a.name).sort();
    expect(names).toEqual(['otel-arm.arns.json', 'otel.arns.json']);
    const asset = after.assets.find((a) => a.name === 'otel.arns.json')!;
    expect(parseRecord(await assetText(asset.id), 'asset')).toEqual(otel2);
    expect(asset.browser_download_url).toContain('/releases/download/v1.0.0/otel.arns.json');

    // A rerun with the same record changes nothing in the body and still leaves exactly one asset.
    const again = await updateRelease({
      octokit,
      owner,
      repo,
      release: { id: release.id },
      record: otel2,
      sleep: noSleep,
    });
    expect(again.bodyChanged).toBe(false);
    expect((await getRelease(release.id)).assets.filter((a) => a.name === 'otel.arns.json')).toHaveLength(1);
  });

  test.each([
    ['an ARN of another region', { 'eu-west-1': { ...row('otel', 'eu-west-1', 3), arn: arn('otel', 'us-east-1', 3) } }],
    [
      'an ARN of another partition',
      { 'eu-west-1': { ...row('otel', 'eu-west-1', 3), arn: arn('otel', 'eu-west-1', 3, 'aws-cn') } },
    ],
    ['an ARN of another layer', { 'eu-west-1': row('other', 'eu-west-1', 3) }],
    ['an ARN of another version', { 'eu-west-1': { ...row('otel', 'eu-west-1', 3), version: 2 } }],
  ])('a forged record (%s) is refused before the release is touched', async (_label, regions) => {
    const release = await createRelease(`forged-${Math.random().toString(36).slice(2)}`, 'untouched');
    const before = emu.server.log.length;
    await expect(
      updateRelease({ octokit, owner, repo, release: { id: release.id }, record: record('otel', '1.0.0', regions) }),
    ).rejects.toThrow(ArnMismatchError);
    expect(emu.server.log.slice(before)).toEqual([]);
    const after = await getRelease(release.id);
    expect([after.body, after.assets]).toEqual(['untouched', []]);
  });

  test('a draft release is found by its tag through the list', async () => {
    const draft = await createRelease('v2.0.0-draft', '', true);
    const result = await updateRelease({
      octokit,
      owner,
      repo,
      release: { tag: 'v2.0.0-draft' },
      record: record('otel', '2.0.0', { 'us-east-1': row('otel', 'us-east-1', 9) }),
    });
    expect(result.releaseId).toBe(draft.id);
    expect((await getRelease(draft.id)).body).toContain(arn('otel', 'us-east-1', 9));
  });

  test('a missing tag is a clear error', async () => {
    await expect(
      updateRelease({
        octokit,
        owner,
        repo,
        release: { tag: 'v9.9.9' },
        record: record('otel', '9.9.9', { 'us-east-1': row('otel', 'us-east-1', 1) }),
      }),
    ).rejects.toThrow("Input 'release': no release with tag 'v9.9.9' in octo-org/octo-layer");
  });

  test('release: auto takes the release from the event payload', async () => {
    const release = await createRelease('v3.0.0', 'From the event.');
    const dir = await mkdtemp(path.join(tmpdir(), 'llr-event-'));
    const eventPath = path.join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify({ action: 'published', release }));
    const target = releaseTarget('auto', { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: eventPath });
    const rec = record('otel', '3.0.0', { 'ap-southeast-2': row('otel', 'ap-southeast-2', 1) });
    await updateRelease({ octokit, owner, repo, release: releaseRef(target)!, record: rec });
    expect((await getRelease(release.id)).body).toMatch(
      /^From the event\.\n\n<!-- lambda-layer-release:otel:begin -->/,
    );
  });

  test('two layers written at the same time both keep their sections', async () => {
    const release = await createRelease('v4.0.0', 'Concurrent.');
    const layers = ['a', 'b', 'c'].map((n) =>
      record(`layer-${n}`, '4.0.0', { 'us-east-1': row(`layer-${n}`, 'us-east-1', 1) }),
    );
    await Promise.all(
      layers.map((rec) =>
        updateRelease({ octokit, owner, repo, release: { id: release.id }, record: rec, bodyAttempts: 5 }),
      ),
    );
    const body = (await getRelease(release.id)).body!;
    for (const rec of layers) expect(body).toContain(beginMarker(rec.name));
  });
});
