/**
 * The done-when of issue 10, against the emulator and against moto, through the real SDK v3 and the clients the
 * action builds: three releases (1.4.2, 1.5.0, 2.0.0, then a prerelease 2.1.0-rc.1) in two regions, and functions
 * covering every rule. The dry run changes nothing; the run moves exactly the functions the rules say; a rerun
 * changes nothing.
 */
import { describe, expect, test } from '@jest/globals';
import { motoMissing } from '../__fixtures__/emulator-support.js';
import {
  config,
  layersOf,
  publishRelease,
  runRollout,
  useBackend,
  virtualClock,
} from '../__fixtures__/rollout-support.js';
import type { FunctionOutcome } from '../src/rollout/update.js';
import { rolloutOutputs } from '../src/rollout/result.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const TAG = 'lambda-layer-release:otel';

function byFunction(outcomes: FunctionOutcome[], region: string) {
  return Object.fromEntries(outcomes.filter((o) => o.region === region).map((o) => [o.function, o.status]));
}

describe.each(['emulator', 'moto'] as const)('the rollout scenario: %s', (kind) => {
  const missing = kind === 'moto' ? motoMissing() : undefined;
  if (missing) {
    test.skip(`skipped: ${missing}`, () => undefined);
    return;
  }
  const backend = useBackend(kind);
  const arns: Record<string, Record<string, string>> = {};

  test('plan, dry run, run, rerun', async () => {
    for (const region of REGIONS) {
      const v = (arns[region] = {} as Record<string, string>);
      for (const semver of ['1.4.2', '1.5.0', '2.0.0', '2.1.0-rc.1'])
        v[semver] = await publishRelease(region, 'otel', semver);
      v.other = await publishRelease(region, 'other', '9.0.0');
      await backend().seed(region, [
        { name: 'major', layers: [v['1.4.2']], tags: { [TAG]: '1' } },
        { name: 'minor', layers: [v['1.4.2']], tags: { [TAG]: '1.4.x' } },
        { name: 'latest', layers: [v['1.4.2']], tags: { [TAG]: 'latest' } },
        { name: 'untagged', layers: [v['1.4.2']] },
        { name: 'others-first', layers: [v.other, v['1.4.2']], tags: { [TAG]: '1.x', team: 'a' } },
        { name: 'no-layer', layers: [v.other], tags: { [TAG]: '1' } },
        { name: 'newest', layers: [v['2.0.0']], tags: { [TAG]: 'latest' } },
        { name: 'newer-than-range', layers: [v['2.0.0']], tags: { [TAG]: '1' } },
        { name: 'bad-tag', layers: [v['1.4.2']], tags: { [TAG]: '1.x.4' } },
      ]);
    }
    const names = ['major', 'minor', 'latest', 'untagged', 'others-first', 'no-layer', 'newest', 'newer-than-range'];
    const snapshot = async () => {
      const out: Record<string, unknown> = {};
      for (const region of REGIONS) {
        for (const n of names) {
          const c = await config(region, n);
          out[`${region}:${n}`] = { layers: (c.Layers ?? []).map((l) => l.Arn), revision: c.RevisionId };
        }
      }
      return out;
    };
    const before = await snapshot();

    const { timing } = virtualClock(backend());
    const dry = await runRollout({ name: 'otel', regions: REGIONS, dryRun: true }, timing);
    expect(await snapshot()).toEqual(before);
    const expectedPlan = {
      major: 'planned',
      minor: 'unchanged',
      latest: 'planned',
      'others-first': 'planned',
      newest: 'unchanged',
      'newer-than-range': 'unchanged',
      'bad-tag': 'failed',
    };
    for (const region of REGIONS) expect(byFunction(dry.outcomes, region)).toEqual(expectedPlan);

    const run = await runRollout({ name: 'otel', regions: REGIONS }, timing);
    const statuses = Object.fromEntries(
      Object.entries(expectedPlan).map(([k, s]) => [k, s === 'planned' ? 'updated' : s]),
    );
    for (const region of REGIONS) {
      expect(byFunction(run.outcomes, region)).toEqual(statuses);
      const v = arns[region];
      expect(await layersOf(region, 'major')).toEqual([v['1.5.0']]);
      expect(await layersOf(region, 'minor')).toEqual([v['1.4.2']]);
      expect(await layersOf(region, 'latest')).toEqual([v['2.0.0']]);
      expect(await layersOf(region, 'untagged')).toEqual([v['1.4.2']]);
      expect(await layersOf(region, 'others-first')).toEqual([v.other, v['1.5.0']]);
      expect(await layersOf(region, 'no-layer')).toEqual([v.other]);
      expect(await layersOf(region, 'newest')).toEqual([v['2.0.0']]);
      expect(await layersOf(region, 'newer-than-range')).toEqual([v['2.0.0']]);
      expect(await layersOf(region, 'bad-tag')).toEqual([v['1.4.2']]);
      expect((await config(region, 'major')).LastUpdateStatus).toBe('Successful');
    }
    const outputs = rolloutOutputs(run);
    expect(outputs.updated).toEqual(
      Object.fromEntries(
        REGIONS.map((r) => [
          r,
          { latest: arns[r]['2.0.0'], major: arns[r]['1.5.0'], 'others-first': arns[r]['1.5.0'] },
        ]),
      ),
    );
    expect(outputs.failedFunctions).toEqual(['eu-west-1:bad-tag', 'us-east-1:bad-tag']);
    expect(run.outcomes.find((o) => o.function === 'bad-tag')?.error).toMatch(
      /tag lambda-layer-release:otel value '1\.x\.4' is not a range/,
    );
    expect(run.outcomes.find((o) => o.function === 'newer-than-range')?.why).toMatch(/never downgraded/);

    const afterRun = await snapshot();
    const rerun = await runRollout({ name: 'otel', regions: REGIONS }, timing);
    expect(await snapshot()).toEqual(afterRun);
    expect(rolloutOutputs(rerun).updated).toEqual({});
    for (const region of REGIONS) {
      expect(byFunction(rerun.outcomes, region)).toEqual({
        ...Object.fromEntries(Object.keys(expectedPlan).map((k) => [k, 'unchanged'])),
        'bad-tag': 'failed',
      });
    }
  }, 120_000);
});
