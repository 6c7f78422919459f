/**
 * Chaos on the shipped defaults: the emulator fails 20% of Lambda requests (429, 500, reset, drop-after-commit: the
 * version is created and the answer never arrives). 30 seeded runs of 16 regions go through publishStep, the same
 * code the action runs, with its own clients and retry settings (the SDK's standard 3 attempts, PublishLayerVersion's
 * 5 sends, the region retries of src/aws/region-retry.ts). Only the clock is virtual: the action's own waits (publish
 * backoff, region retries) advance it instead of sleeping, so their number and their bound in time are unchanged;
 * the SDK's waits are real. Every run must end with no failed region and exactly one new version per region, the
 * one reported.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { publishStep, type StepTiming } from '../src/action/publish.js';
import { lambdaRegions } from '../src/aws/partitions.js';
import { parseMarker } from '../src/record/marker.js';
import { parsePublishSettings } from '../src/settings/publish.js';
import { makeZip } from '../__fixtures__/emulator-support.js';

const REGIONS = lambdaRegions('aws').slice(0, 16);
const RUNS = 30;
const saved = { ...process.env };
let emu: RunningEmulator;
let dir: string;
const logged: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    faults: { rate: 0, kinds: ['429', '500', 'reset', 'drop-after-commit'], services: ['lambda'] },
  });
  for (const key of Object.keys(process.env)) if (/^(AWS_|GITHUB_|INPUT_)/.test(key)) delete process.env[key];
  Object.assign(process.env, emu.env);
  dir = await mkdtemp(path.join(tmpdir(), 'llr-chaos-'));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logged.push(String(chunk));
    return true;
  });
});

afterAll(async () => {
  jest.restoreAllMocks();
  process.env = saved;
  await emu?.stop();
});

/** A clock that the action's waits move forward instead of sleeping. */
function virtualClock(): StepTiming & { waited: number[] } {
  let offset = 0;
  const waited: number[] = [];
  return {
    waited,
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      waited.push(ms);
      offset += ms;
    },
  };
}

async function newestVersions(): Promise<Record<string, { count: number; newest?: string }>> {
  const out: Record<string, { count: number; newest?: string }> = {};
  await Promise.all(
    REGIONS.map(async (region) => {
      const client = new LambdaClient({ region });
      const answer = await client.send(new ListLayerVersionsCommand({ LayerName: 'chaos', MaxItems: 50 }));
      const versions = answer.LayerVersions ?? [];
      out[region] = { count: versions.length, newest: parseMarker(versions[0]?.Description)?.version };
      client.destroy();
    }),
  );
  return out;
}

describe('chaos at 20% Lambda faults, shipped defaults', () => {
  test(`${RUNS} seeded runs of ${REGIONS.length} regions: no failed region, exactly one new version per region`, async () => {
    const adopted: number[] = [];
    const regionRetries: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const zipPath = path.join(dir, `layer-${run}.zip`);
      await writeFile(zipPath, makeZip({ 'python/chaos.py': `RUN = ${run}\n` }));
      const settings = parsePublishSettings({
        name: 'chaos',
        zip: zipPath,
        version: `1.0.${run}`,
        regions: REGIONS.join(' '),
        'share-with': 'public',
      });
      const clock = virtualClock();
      emu.server.faultPlan.reset({ rate: 0.2, seed: `seed-${run}`, retryAfterSeconds: 0 });
      const result = await publishStep({ ...process.env, GITHUB_WORKSPACE: dir }, undefined, settings, clock);
      emu.server.faultPlan.reset({ rate: 0 });

      const failed = result.outcomes.filter((o) => o.status !== 'published' || o.problem);
      expect([run, failed.map((o) => `${o.region}: ${o.error ?? o.problem?.error}`)]).toEqual([run, []]);
      const state = await newestVersions();
      for (const o of result.outcomes) {
        expect([run, o.region, state[o.region]]).toEqual([run, o.region, { count: run, newest: `1.0.${run}` }]);
        expect([run, o.region, o.version]).toEqual([run, o.region, run]);
      }
      adopted.push(result.outcomes.filter((o) => o.adopted).length);
      regionRetries.push(result.outcomes.filter((o) => o.attempts).length);
    }
    const faults = emu.server.log.filter((e) => e.fault);
    // The faults really happened, lost answers included; some publishes were adopted rather than resent, and some
    // regions only made it through a region-level retry.
    expect(faults.filter((e) => e.fault === 'drop-after-commit' && e.method === 'POST').length).toBeGreaterThan(10);
    expect(adopted.reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    expect(regionRetries.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(logged.join('')).toMatch(/trying the region again in/);
  }, 600_000);
});
