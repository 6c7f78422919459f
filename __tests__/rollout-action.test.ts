/**
 * The rollout command through the bundle, as a runner runs it (inputs as INPUT_*, GITHUB_OUTPUT, the job summary),
 * against the emulator: a bad input stops it before any AWS call; the dry run prints the plan and changes nothing;
 * the run sets the outputs and writes the same table in the summary; fail-on decides the exit code.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { runAction } from '../__fixtures__/action.js';
import { layersOf, publishRelease, startBackend, type Backend } from '../__fixtures__/rollout-support.js';

let backend: Backend;
const REGIONS = ['us-east-1', 'eu-west-1'];
const arns: Record<string, string[]> = {};
const TAG = 'lambda-layer-release:tools';

beforeAll(async () => {
  backend = await startBackend('emulator', 100);
  for (const region of REGIONS) {
    arns[region] = [await publishRelease(region, 'tools', '1.0.0'), await publishRelease(region, 'tools', '1.1.0')];
    await backend.seed(region, [
      { name: 'api', layers: [arns[region][0]], tags: { [TAG]: '1.x' } },
      { name: 'bad', layers: [arns[region][0]], tags: { [TAG]: 'one' } },
      { name: 'quiet', layers: [arns[region][0]] },
    ]);
  }
}, 60_000);
afterAll(async () => {
  await backend?.stop();
});

const env = () => backend.emulator!.env;
const requests = () => backend.emulator!.server.log.length;

describe('rollout through the bundle', () => {
  test('a bad input fails in one line before any request', async () => {
    const before = requests();
    const run = await runAction('rollout', { name: 'tools', regions: 'us-east-1', functions: 'api' }, env());
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      "Input 'version' is required with a list in 'functions': the range the listed functions follow, such as 1.x, ^1.4 or latest.",
    ]);
    expect(run.outputs).toMatchObject({ updated: '{}', unchanged: '[]', 'failed-functions': '[]' });
    expect(requests()).toBe(before);
  });

  test('dry run prints region | function | from | to | why and changes nothing', async () => {
    const run = await runAction(
      'rollout',
      { name: 'tools', regions: REGIONS.join(' '), 'dry-run': 'true', 'fail-on': 'none' },
      env(),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Region +\| Function \| From +\| To +\| Why/);
    expect(run.stdout).toMatch(
      /us-east-1 \| api +\| 1\.0\.0 \(:1\) \| 1\.1\.0 \(:2\) \| would update: tag 1\.x: newest match 1\.1\.0/,
    );
    expect(run.stdout).toMatch(
      /eu-west-1 \| bad +\| 1\.0\.0 \(:1\) \| - +\| FAILED: tag lambda-layer-release:tools value 'one' is not a range/,
    );
    expect(run.stdout).not.toMatch(/\| quiet/);
    expect(JSON.parse(run.outputs.updated)).toEqual({});
    for (const region of REGIONS) expect(await layersOf(region, 'api')).toEqual([arns[region][0]]);
    expect(run.summary).toContain('Rollout plan (dry run, nothing changed): layer tools');
  });

  test('the run moves the function, sets the outputs, writes the summary table, and fails on the bad tag', async () => {
    const run = await runAction('rollout', { name: 'tools', regions: REGIONS.join(',') }, env());
    expect(run.code).toBe(1);
    expect(JSON.parse(run.outputs.updated)).toEqual({
      'eu-west-1': { api: arns['eu-west-1'][1] },
      'us-east-1': { api: arns['us-east-1'][1] },
    });
    expect(JSON.parse(run.outputs.unchanged)).toEqual([]);
    expect(JSON.parse(run.outputs['failed-functions'])).toEqual(['eu-west-1:bad', 'us-east-1:bad']);
    expect(run.errors.at(-1)).toMatch(
      /^Rollout of layer 'tools' failed for 2 function\(s\): eu-west-1:bad, us-east-1:bad \(fail-on: any\)\.$/,
    );
    for (const region of REGIONS) expect(await layersOf(region, 'api')).toEqual([arns[region][1]]);
    expect(run.summary).toContain('Rollout of layer tools: 2 updated, 0 unchanged, 2 failed');
    expect(run.summary).toMatch(/<th>Region<\/th><th>Function<\/th><th>From<\/th><th>To<\/th><th>Why<\/th>/);
    expect(run.summary).toContain(
      '<td>api</td><td>1.0.0 (:1)</td><td>1.1.0 (:2)</td><td>updated: tag 1.x: newest match 1.1.0</td>',
    );
    const record = JSON.parse(await readFile(run.outputs['result-path'], 'utf8')) as { functions: unknown[] };
    expect(record).toMatchObject({ schema: 1, kind: 'rollout', name: 'tools', dryRun: false });
    expect(record.functions).toHaveLength(4);

    const rerun = await runAction('rollout', { name: 'tools', regions: REGIONS.join(','), 'fail-on': 'all' }, env());
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.outputs.updated)).toEqual({});
    expect(JSON.parse(rerun.outputs.unchanged)).toEqual(['eu-west-1:api', 'us-east-1:api']);
  });
});
