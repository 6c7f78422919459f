/**
 * Overlap and cancellation, through the bundle as a runner runs it, against the emulator with Lambda at 500 ms a
 * request, 16 regions, on a `release` event: two publish processes of one release at the same time (a re-run
 * racing the original) end with one version per region, identical `arns` and `versions`, every output ARN alive,
 * with and without `keep-versions: 1`, and a release whose table and asset list only live ARNs. A process killed
 * mid-publish, then a rerun, ends the same way.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetLayerVersionByArnCommand, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import type { ActionRun } from '../__fixtures__/action.js';
import { startReleaseWorld, type ReleaseWorld } from '../__fixtures__/release-world.js';
import type { RunningEmulator } from '../emulators/index.js';
import { lambdaRegions } from '../src/aws/partitions.js';
import { parseRecord } from '../src/record/json.js';
import { lambdaClient, publishVersion } from '../__fixtures__/release-support.js';

const REGIONS = lambdaRegions('aws').slice(0, 16);
let world: ReleaseWorld;
let emu: RunningEmulator;

beforeAll(async () => {
  world = await startReleaseWorld({
    workspace: 'llr-race-',
    layer: { 'python/race.py': 'VERSION = "3.1.0"\n' },
    emulator: { latencyMs: 500, latencyServices: ['lambda'] },
  });
  ({ emu } = world);
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

const releaseEvent = (tag: string) => world.releaseEvent(tag, 'Notes.');

function publish(name: string, eventPath: string, inputs: Record<string, string> = {}, signal?: AbortSignal) {
  return world.publish(
    { name, version: '3.1.0', regions: REGIONS.join(' '), 'share-with': 'public', ...inputs },
    { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: eventPath },
    { timeoutMs: 180_000, ...(signal ? { signal } : {}) },
  );
}

const alive = async (arn: string) => {
  const region = arn.split(':')[3];
  return lambdaClient(emu.url, region)
    .send(new GetLayerVersionByArnCommand({ Arn: arn }))
    .then(
      () => true,
      () => false,
    );
};

async function versionsOf(name: string, region: string): Promise<number[]> {
  const answer = await lambdaClient(emu.url, region).send(
    new ListLayerVersionsCommand({ LayerName: name, MaxItems: 50 }),
  );
  return (answer.LayerVersions ?? []).map((v) => v.Version!).sort((a, b) => a - b);
}

/** The release's section ARNs and its one asset's, each checked alive. */
async function releaseArns(id: number, name: string): Promise<{ table: string[]; asset: string[] }> {
  // Each row names its ARN twice (the text and the copyable code); every one must be a live one.
  const found = [...(await world.bodyOf(id)).matchAll(/arn:aws:lambda:[a-z0-9-]+:\d{12}:layer:[\w-]+:\d+/g)];
  const table = [...new Set(found.map((m) => m[0]))];
  const assets = await world.assets(id);
  expect(assets.map((a) => a.name)).toEqual([`${name}.arns.json`]);
  const record = parseRecord(await world.assetText(assets[0].id), 'asset');
  return { table, asset: Object.values(record.regions).map((r) => r.arn!) };
}

/** What every scenario must end with: one version of the release per region, the one every output names. */
async function expectConverged(name: string, runs: ActionRun[], releaseId: number, expected: (r: string) => number[]) {
  for (const run of runs) expect([run.code, run.errors]).toEqual([0, []]);
  const arns = JSON.parse(runs[0].outputs.arns) as Record<string, string>;
  for (const run of runs.slice(1)) {
    expect(JSON.parse(run.outputs.arns)).toEqual(arns);
    expect(JSON.parse(run.outputs.versions)).toEqual(JSON.parse(runs[0].outputs.versions));
  }
  expect(Object.keys(arns).sort()).toEqual([...REGIONS].sort());
  for (const region of REGIONS) {
    const number = Number(arns[region].split(':').pop());
    expect([region, await versionsOf(name, region)]).toEqual([region, expected(region).concat(number)]);
    expect([region, await alive(arns[region])]).toEqual([region, true]);
  }
  const { table, asset } = await releaseArns(releaseId, name);
  expect(table.sort()).toEqual(Object.values(arns).sort());
  expect(asset.sort()).toEqual(Object.values(arns).sort());
}

describe('two publish processes of one release at once', () => {
  test('16 regions: one version each, identical outputs, every ARN alive, one section and one asset', async () => {
    const release = await releaseEvent('v3.1.0-race');
    const runs = await Promise.all([publish('race', release.eventPath), publish('race', release.eventPath)]);
    await expectConverged('race', runs, release.id, () => []);
    // They really raced: both published, and the duplicates were removed by the run that made them.
    const removed = runs.flatMap((r) => r.stdout.split('\n').filter((l) => l.includes("removed this run's duplicate")));
    expect(removed.length).toBeGreaterThan(0);
  }, 240_000);

  test('with keep-versions: 1 neither deletes the other’s version; the old ones go', async () => {
    emu.aws.configure({ clockOffsetSeconds: -3600 });
    for (const region of REGIONS) await publishVersion(lambdaClient(emu.url, region), 'kept', '3.0.0');
    emu.aws.configure({ clockOffsetSeconds: 0 });
    const release = await releaseEvent('v3.1.0-keep');
    const inputs = { 'keep-versions': '1' };
    const runs = await Promise.all([
      publish('kept', release.eventPath, inputs),
      publish('kept', release.eventPath, inputs),
    ]);
    await expectConverged('kept', runs, release.id, () => []);
  }, 240_000);
});

describe('a cancelled run, then a rerun', () => {
  test('killed mid-publish: the rerun completes every region with one version each, the table lists live ARNs', async () => {
    const release = await releaseEvent('v3.1.0-cancel');
    const abort = new AbortController();
    const before = emu.server.log.length;
    const watcher = setInterval(() => {
      const published = emu.server.log.slice(before).filter((e) => e.method === 'POST' && e.status === 201);
      if (published.length >= 3) abort.abort();
    }, 20);
    const killed = await publish('cancel', release.eventPath, {}, abort.signal).finally(() => clearInterval(watcher));
    expect(killed.code).toBeNull();
    const rerun = await publish('cancel', release.eventPath);
    await expectConverged('cancel', [rerun], release.id, () => []);
    expect(JSON.parse(rerun.outputs['unchanged-regions']).length).toBeGreaterThan(0);
  }, 240_000);
});
