/**
 * Rollout on its shipped defaults when Lambda misbehaves: 20% of Lambda requests fail (429, 500, reset, and
 * drop-after-commit: an update applied whose answer never arrives), over seeded runs; and Lambda's control-plane rate
 * limit. The clients and retry policy are the action's own (the SDK's standard 3 attempts, then a function's chain
 * again under src/aws/region-retry.ts); only the action's waits run on a virtual clock, which the emulator's
 * function clock follows, so their number and bounds are unchanged. Every run must end with each function exactly
 * where the rules put it, none failed, and a rerun changing nothing.
 */
import { describe, expect, test } from '@jest/globals';
import { layersOf, publishRelease, runRollout, useBackend, virtualClock } from '../__fixtures__/rollout-support.js';

const backend = useBackend('emulator', 250);
const TAG = 'lambda-layer-release:flaky';
const SEEDS = 6;

async function scenario(region: string) {
  const v = {
    a: await publishRelease(region, 'flaky', '1.0.0'),
    b: await publishRelease(region, 'flaky', '1.1.0'),
    c: await publishRelease(region, 'flaky', '2.0.0'),
    other: await publishRelease(region, 'other', '1.0.0'),
  };
  await backend().seed(region, [
    { name: 'one', layers: [v.a], tags: { [TAG]: '1' } },
    { name: 'two', layers: [v.other, v.a], tags: { [TAG]: '1.x' } },
    { name: 'three', layers: [v.a], tags: { [TAG]: 'latest' } },
    { name: 'four', layers: [v.b], tags: { [TAG]: '1.1.x' } },
    { name: 'five', layers: [v.a] },
    { name: 'six', layers: [v.a, v.other], tags: { [TAG]: '2' } },
  ]);
  return v;
}

async function expectRulesHeld(region: string, v: Awaited<ReturnType<typeof scenario>>) {
  expect([region, await layersOf(region, 'one')]).toEqual([region, [v.b]]);
  expect([region, await layersOf(region, 'two')]).toEqual([region, [v.other, v.b]]);
  expect([region, await layersOf(region, 'three')]).toEqual([region, [v.c]]);
  expect([region, await layersOf(region, 'four')]).toEqual([region, [v.b]]);
  expect([region, await layersOf(region, 'five')]).toEqual([region, [v.a]]);
  expect([region, await layersOf(region, 'six')]).toEqual([region, [v.c, v.other]]);
}

describe('rollout under faults, shipped defaults', () => {
  test(`${SEEDS} seeded runs at 20% Lambda faults: every function where the rules say, none failed`, async () => {
    const server = backend().emulator!.server;
    const log = { info: [] as string[], warning: [] as string[] };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const regions = [`us-east-${(seed % 2) + 1}`, ['eu-west-1', 'eu-west-2', 'eu-west-3'][seed % 3]];
      backend().emulator!.aws.clear();
      const v: Record<string, Awaited<ReturnType<typeof scenario>>> = {};
      for (const region of regions) v[region] = await scenario(region);
      const { timing } = virtualClock(backend());
      server.faultPlan.reset({
        rate: 0.2,
        kinds: ['429', '500', 'reset', 'drop-after-commit'],
        services: ['lambda'],
        seed: `rollout-${seed}`,
        retryAfterSeconds: 0,
      });
      const run = await runRollout({ name: 'flaky', regions }, timing, log);
      const rerun = await runRollout({ name: 'flaky', regions }, timing, log);
      server.faultPlan.reset({ rate: 0 });
      expect([seed, run.regionFailures, run.outcomes.filter((o) => o.status === 'failed')]).toEqual([seed, [], []]);
      expect([seed, run.outcomes.filter((o) => o.status === 'updated').length]).toEqual([seed, 8]);
      expect([seed, rerun.outcomes.filter((o) => o.status !== 'unchanged'), rerun.regionFailures]).toEqual([
        seed,
        [],
        [],
      ]);
      for (const region of regions) await expectRulesHeld(region, v[region]);
    }
    const faults = server.log.filter((e) => e.fault);
    expect(faults.filter((e) => e.fault === 'drop-after-commit' && e.method === 'PUT').length).toBeGreaterThan(0);
    expect(faults.length).toBeGreaterThan(40);
  }, 300_000);

  test('under the control-plane rate limit (5 requests a second per region) it slows down, never fails', async () => {
    const regions = ['ap-northeast-1'];
    const v = await scenario(regions[0]);
    const aws = backend().emulator!.aws;
    aws.configure({ rateLimit: 5 });
    try {
      const { timing } = virtualClock(backend());
      const run = await runRollout({ name: 'flaky', regions }, timing);
      expect(run.outcomes.filter((o) => o.status === 'failed')).toEqual([]);
    } finally {
      aws.configure({ rateLimit: 0 });
    }
    await expectRulesHeld(regions[0], v);
    const throttled = backend().emulator!.server.log.filter((e) => e.status === 429 && !e.fault);
    expect(throttled.length).toBeGreaterThan(0);
  }, 120_000);
});
