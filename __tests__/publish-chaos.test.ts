/**
 * Chaos: the emulator fails 20% of Lambda requests (429, 500, reset, drop-after-commit: the version is created and
 * the answer never arrives). 30 seeded runs of 16 regions, in-process with instant retries, must each end with
 * exactly one new version per region, the one reported, and none lost or duplicated.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { AwsClients } from '../src/aws/clients.js';
import { lambdaRegions } from '../src/aws/partitions.js';
import { parseMarker } from '../src/publish/marker.js';
import { publishLayer } from '../src/publish/publish.js';
import { parsePublishSettings } from '../src/publish/settings.js';
import { makeZip } from '../__fixtures__/emulator-support.js';

const REGIONS = lambdaRegions('aws').slice(0, 16);
const RUNS = 30;
const saved = { ...process.env };
let emu: RunningEmulator;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({
    faults: {
      rate: 0,
      kinds: ['429', '500', 'reset', 'drop-after-commit'],
      services: ['lambda'],
      retryAfterSeconds: 0,
    },
  });
  Object.assign(process.env, emu.env);
  dir = await mkdtemp(path.join(tmpdir(), 'llr-chaos-'));
});

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
});

const credentials = async () => ({ accessKeyId: 'AKIAEMULATORTEST0000', secretAccessKey: 'dummy' });
const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined };

async function newestVersions(): Promise<Record<string, { count: number; newest?: string }>> {
  const out: Record<string, { count: number; newest?: string }> = {};
  await Promise.all(
    REGIONS.map(async (region) => {
      const client = new LambdaClient({ region, credentials });
      const answer = await client.send(new ListLayerVersionsCommand({ LayerName: 'chaos', MaxItems: 50 }));
      const versions = answer.LayerVersions ?? [];
      out[region] = { count: versions.length, newest: parseMarker(versions[0]?.Description)?.version };
      client.destroy();
    }),
  );
  return out;
}

describe('chaos at 20% faults', () => {
  test(`${RUNS} seeded runs of ${REGIONS.length} regions: exactly one new version per region each`, async () => {
    const adopted: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      emu.server.faultPlan.reset({ rate: 0, seed: `seed-${run}` });
      const zipPath = path.join(dir, `layer-${run}.zip`);
      await writeFile(zipPath, makeZip({ 'python/chaos.py': `RUN = ${run}\n` }));
      const settings = parsePublishSettings({
        name: 'chaos',
        zip: zipPath,
        version: `1.0.${run}`,
        regions: REGIONS.join(' '),
        'share-with': 'public',
      });
      const clients = new AwsClients({ credentials, retry: { maxAttempts: 8, delayMs: () => 1 } });
      emu.server.faultPlan.reset({ rate: 0.2, seed: `seed-${run}` });
      const result = await publishLayer(settings, {
        source: { workDir: dir, workspace: dir, context: { sha: 'abcdef0123456789' } },
        clients,
        checkCredentials: async () => undefined,
        logger: quiet,
        sleep: async () => undefined,
        now: Date.now,
        backoffMs: () => 1,
        publishAttempts: 8,
        rssBytes: () => process.memoryUsage().rss,
      }).finally(() => clients.destroy());
      emu.server.faultPlan.reset({ rate: 0 });

      const failed = result.outcomes.filter((o) => o.status !== 'published');
      expect([run, failed.map((o) => `${o.region}: ${o.error}`)]).toEqual([run, []]);
      const state = await newestVersions();
      for (const o of result.outcomes) {
        expect([run, o.region, state[o.region]]).toEqual([run, o.region, { count: run, newest: `1.0.${run}` }]);
        expect([run, o.region, o.version]).toEqual([run, o.region, run]);
      }
      adopted.push(result.outcomes.filter((o) => o.adopted).length);
    }
    const faults = emu.server.log.filter((e) => e.fault);
    // The faults really happened, lost answers included, and some publishes were adopted rather than resent.
    expect(faults.filter((e) => e.fault === 'drop-after-commit' && e.method === 'POST').length).toBeGreaterThan(10);
    expect(adopted.reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
  }, 120_000);
});
