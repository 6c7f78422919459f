/**
 * align-versions through the bundle as a runner runs it, against the emulator with five regions of different
 * histories (one with deleted versions AWS does not list), and against moto where it is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { isPadding } from '../src/publish/align/alignment.js';
import { makeZip, describeOnMoto } from '../__fixtures__/emulator-support.js';
import { lambdaClient, publishVersion } from '../__fixtures__/release-support.js';

/** Region -> versions published before the test, and where the counter really is (deleted versions on top). */
const HISTORY: Record<string, { versions: number; next?: number }> = {
  'us-east-1': { versions: 0 },
  'us-east-2': { versions: 3 },
  'us-west-2': { versions: 5 },
  'eu-west-1': { versions: 5, next: 9 },
  'eu-central-1': { versions: 2 },
};
const REGIONS = Object.keys(HISTORY);
let emu: RunningEmulator;
let ws: string;

async function listed(endpoint: string, region: string, name: string) {
  const answer = await lambdaClient(endpoint, region).send(new ListLayerVersionsCommand({ LayerName: name }));
  return (answer.LayerVersions ?? []).map((v) => ({ version: v.Version!, padding: isPadding(v.Description) }));
}

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-align-'));
  for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
    await writeFile(path.join(ws, `${v}.zip`), makeZip({ 'python/otel.py': `VERSION = "${v}"\n` }));
  }
  for (const [region, h] of Object.entries(HISTORY)) {
    for (let i = 0; i < h.versions; i++) await publishVersion(lambdaClient(emu.url, region), 'otel', `0.${i}.0`);
    if (h.next) {
      await fetch(`${emu.url}/__emulator/aws/lambda/next-version`, {
        method: 'POST',
        body: JSON.stringify({ layerName: 'otel', region, nextVersion: h.next }),
      });
    }
  }
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

function publish(version: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction(
    'publish',
    { name: 'otel', zip: `${version}.zip`, version, regions: REGIONS.join(' '), 'share-with': 'public', ...inputs },
    { ...emu.env, GITHUB_EVENT_NAME: 'push', ...env },
    { cwd: ws },
  );
}

const lambdaWrites = (from: number) =>
  emu.server.log.slice(from).filter((e) => e.service === 'lambda' && e.method !== 'GET');

describe('align-versions on the emulator', () => {
  test('strict: the visible numbers differ, so nothing is published and every region is named', async () => {
    const before = emu.server.log.length;
    const run = await publish('1.0.0', { 'align-versions': 'strict' });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      "Input 'align-versions' is strict, but the regions would get different version numbers: eu-west-1 6, " +
        'us-west-2 6, us-east-2 4 (2 behind), eu-central-1 3 (3 behind), us-east-1 1 (5 behind). Nothing was ' +
        "published; use 'pad' to bring every region up to 6.",
    ]);
    expect(lambdaWrites(before)).toEqual([]);
  });

  test('pad, dry run: the plan, and nothing written', async () => {
    const before = emu.server.log.length;
    const run = await publish('1.0.0', { 'align-versions': 'pad', 'dry-run': 'true' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toContain('align-versions: version 6 in every region.');
    expect(run.stdout).toContain('us-east-1: would publish 5 filler version(s) (1-5) first.');
    expect(run.stdout).toContain('eu-central-1: would publish 3 filler version(s) (3-5) first.');
    expect(lambdaWrites(before)).toEqual([]);
  });

  test('pad: one number everywhere, even past the deleted versions of eu-west-1; fillers deleted', async () => {
    const run = await publish('1.0.0', { 'align-versions': 'pad' });
    expect([run.code, run.errors]).toEqual([0, []]);
    // eu-west-1's counter was at 9 behind its visible 5: the first pass gets 6 elsewhere, the second pass 9.
    expect(run.stdout).toContain('align-versions: the regions got different numbers; padding once more.');
    expect(JSON.parse(run.outputs.versions)).toEqual(Object.fromEntries(REGIONS.map((r) => [r, 9])));
    for (const region of REGIONS) {
      const versions = await listed(emu.url, region, 'otel');
      expect(versions.filter((v) => v.padding)).toEqual([]);
      expect(versions[0].version).toBe(9);
    }
    expect((await listed(emu.url, 'us-east-1', 'otel')).map((v) => v.version)).toEqual([9, 6]);
  });

  test('a rerun: every region unchanged at 9, nothing written', async () => {
    const before = emu.server.log.length;
    const run = await publish('1.0.0', { 'align-versions': 'pad' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs['unchanged-regions'])).toHaveLength(5);
    expect(lambdaWrites(before)).toEqual([]);
  });

  test('after a partial publish the lagging region catches up without fillers; strict names a reused region', async () => {
    const partial = await publish('1.1.0', { 'align-versions': 'strict', 'exclude-regions': 'eu-central-1' });
    expect([partial.code, partial.errors]).toEqual([0, []]);
    expect(Object.values(JSON.parse(partial.outputs.versions))).toEqual([10, 10, 10, 10]);
    const rest = await publish('1.1.0', { 'align-versions': 'strict' });
    expect([rest.code, rest.errors]).toEqual([0, []]);
    expect(JSON.parse(rest.outputs.versions)).toEqual(Object.fromEntries(REGIONS.map((r) => [r, 10])));
    // Someone publishes by hand in one region: the reused regions can no longer meet it.
    await publishVersion(lambdaClient(emu.url, 'us-west-2'), 'otel', '0.9.9', { marker: false });
    const strict = await publish('1.1.0', { 'align-versions': 'strict' });
    expect(strict.code).toBe(1);
    expect(strict.errors[0]).toMatch(
      /^Input 'align-versions' is strict, but .*: us-west-2 12, eu-central-1 10 \(reused, 2 behind\), eu-west-1 10/,
    );
  });

  test('pad republishes a release a region holds under a lower number', async () => {
    const run = await publish('1.1.0', { 'align-versions': 'pad', 'skip-unchanged': 'true' });
    expect([run.code, run.errors]).toEqual([0, []]);
    // us-west-2 is at 11 (by hand): the others hold 1.1.0 as 10 and publish it again as 12.
    expect(JSON.parse(run.outputs.versions)).toEqual(Object.fromEntries(REGIONS.map((r) => [r, 12])));
    expect(run.stdout).toContain('us-east-1: version 10 holds this release already; publish it again as 12.');
  });

  test('pad refuses a gap of more than 100 before publishing anything', async () => {
    await fetch(`${emu.url}/__emulator/aws/lambda/next-version`, {
      method: 'POST',
      body: JSON.stringify({ layerName: 'far', region: 'us-east-2', nextVersion: 150 }),
    });
    await publishVersion(lambdaClient(emu.url, 'us-east-2'), 'far', '0.1.0');
    const before = emu.server.log.length;
    const run = await publish('1.2.0', { name: 'far', 'align-versions': 'pad' });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      "Input 'align-versions': pad would publish more than 100 filler versions in a region (eu-central-1 150, " +
        'eu-west-1 150, us-east-1 150, us-west-2 150; the target is version 151). Nothing was published; leave ' +
        "those regions out (exclude-regions), or set 'align-versions' to off.",
    ]);
    expect(lambdaWrites(before)).toEqual([]);
  });
});

describeOnMoto('align-versions on moto', (moto) => {
  test('pad over three regions of 0, 2 and 4 versions: 5 everywhere, no filler left', async () => {
    const regions = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
    for (const [i, region] of regions.entries()) {
      for (let n = 0; n < 2 * i; n++) await publishVersion(lambdaClient(moto().url, region), 'otel', `0.${n}.0`);
    }
    const run = await publish(
      '1.0.0',
      { regions: regions.join(' '), 'align-versions': 'pad' },
      { AWS_ENDPOINT_URL_LAMBDA: moto().url },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs.versions)).toEqual(Object.fromEntries(regions.map((r) => [r, 5])));
    for (const region of regions)
      expect((await listed(moto().url, region, 'otel')).filter((v) => v.padding)).toEqual([]);
  }, 60_000);
});
