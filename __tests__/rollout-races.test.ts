/**
 * Rollout when it is not alone, against the emulator through the real SDK: someone else changes a function between
 * plan and update (RevisionId: their change is kept and so is ours), two rollouts at once, an update of someone
 * else still in progress, an update that ends Failed (AWS's reason reported; a rerun tries again), and `alias`.
 */
import {
  CreateAliasCommand,
  GetAliasCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { describe, expect, test } from '@jest/globals';
import { control } from '../__fixtures__/emulator-support.js';
import {
  config,
  lambda,
  layersOf,
  publishRelease,
  runRollout,
  useBackend,
  virtualClock,
  type Logged,
} from '../__fixtures__/rollout-support.js';

const backend = useBackend('emulator', 200);
const TAG = 'lambda-layer-release:race';

/** Three versions of `race` and one of `extra` in `region`. */
async function releases(region: string) {
  return {
    v1: await publishRelease(region, 'race', '1.0.0'),
    v2: await publishRelease(region, 'race', '1.1.0'),
    v3: await publishRelease(region, 'race', '1.2.0'),
    extra: await publishRelease(region, 'extra', '1.0.0'),
  };
}

/** Runs `change` once, just before the first UpdateFunctionConfiguration this client sends. */
function beforeFirstUpdate(change: () => Promise<void>) {
  let done = false;
  return (client: LambdaClient) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!done && context.commandName === 'UpdateFunctionConfigurationCommand') {
          done = true;
          await change();
        }
        return next(args);
      },
      { step: 'initialize', name: 'concurrentWriter' },
    );
  };
}

describe('rollout and other writers', () => {
  test('a function changed by someone else between plan and update is neither overwritten nor lost', async () => {
    const region = 'us-west-2';
    const v = await releases(region);
    await backend().seed(region, [{ name: 'raced', layers: [v.v1], tags: { [TAG]: '1' } }]);
    const { timing } = virtualClock(backend());
    const log: Logged = { info: [], warning: [] };
    const theirs = async () => {
      // Another deploy adds a layer in front and changes the description, after rollout read the function.
      await lambda(region).send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'raced',
          Layers: [v.extra, v.v2],
          Description: 'deployed by someone else',
        }),
      );
    };
    const run = await runRollout({ name: 'race', regions: [region] }, timing, log, beforeFirstUpdate(theirs));
    expect(run.outcomes.map((o) => [o.function, o.status, o.layerArn])).toEqual([['raced', 'updated', v.v3]]);
    const after = await config(region, 'raced');
    expect([(after.Layers ?? []).map((l) => l.Arn), after.Description, after.LastUpdateStatus]).toEqual([
      [v.extra, v.v3],
      'deployed by someone else',
      'Successful',
    ]);
    expect(log.info.join('\n')).toMatch(/raced: changed since it was read \(412\); reading it again/);
    // What the other writer did is in the plan that was carried out: from 1.1.0, its version, not ours.
    expect(run.outcomes[0].from).toBe('1.1.0 (:2)');
  });

  test('two rollouts at once: each function moved once, nothing failed', async () => {
    const region = 'ap-southeast-2';
    const v = await releases(region);
    const names = Array.from({ length: 6 }, (_, i) => `both-${i}`);
    await backend().seed(
      region,
      names.map((name, i) => ({ name, layers: i % 2 ? [v.extra, v.v1] : [v.v1], tags: { [TAG]: '1.x' } })),
    );
    const { timing } = virtualClock(backend());
    const [a, b] = await Promise.all([
      runRollout({ name: 'race', regions: [region], maxParallel: 2 }, timing),
      runRollout({ name: 'race', regions: [region], maxParallel: 3 }, timing),
    ]);
    for (const name of names) {
      const statuses = [a, b].map((r) => r.outcomes.find((o) => o.function === name)?.status).sort();
      expect([name, statuses]).toEqual([name, ['unchanged', 'updated']]);
      const i = Number(name.split('-')[1]);
      expect(await layersOf(region, name)).toEqual(i % 2 ? [v.extra, v.v3] : [v.v3]);
    }
  });

  test('an update of someone else still in progress is waited for, then rolled out on top of it', async () => {
    const region = 'eu-north-1';
    const v = await releases(region);
    await backend().seed(region, [{ name: 'busy', layers: [v.v1], tags: { [TAG]: 'latest' } }]);
    const { timing, slept } = virtualClock(backend());
    await lambda(region).send(new UpdateFunctionConfigurationCommand({ FunctionName: 'busy', MemorySize: 512 }));
    expect((await config(region, 'busy')).LastUpdateStatus).toBe('InProgress');
    const run = await runRollout({ name: 'race', regions: [region] }, timing);
    expect(run.outcomes.map((o) => o.status)).toEqual(['updated']);
    const after = await config(region, 'busy');
    expect([after.MemorySize, (after.Layers ?? []).map((l) => l.Arn)]).toEqual([512, [v.v3]]);
    expect(slept.length).toBeGreaterThan(0);
  });

  test('an update that ends Failed is reported with AWS’s reason; a rerun updates it again', async () => {
    const region = 'ca-central-1';
    const v = await releases(region);
    await backend().seed(region, [
      { name: 'doomed', layers: [v.v1], tags: { [TAG]: '1' } },
      { name: 'fine', layers: [v.v1], tags: { [TAG]: '1' } },
    ]);
    await control(backend().url, 'POST', 'aws/lambda/function-failure', {
      functionName: 'doomed',
      region,
      reasonCode: 'InsufficientRolePermissions',
      reason: 'The role defined for the function cannot be assumed by Lambda.',
    });
    const { timing } = virtualClock(backend());
    const run = await runRollout({ name: 'race', regions: [region] }, timing);
    const doomed = run.outcomes.find((o) => o.function === 'doomed');
    expect([doomed?.status, doomed?.error]).toEqual([
      'failed',
      'LastUpdateStatus Failed: InsufficientRolePermissions: The role defined for the function cannot be assumed by Lambda.',
    ]);
    expect(run.outcomes.find((o) => o.function === 'fine')?.status).toBe('updated');
    const rerun = await runRollout({ name: 'race', regions: [region] }, timing);
    const again = rerun.outcomes.find((o) => o.function === 'doomed');
    expect([again?.status, again?.why]).toEqual([
      'updated',
      expect.stringMatching(/the last update Failed .*updating again/),
    ]);
    expect((await config(region, 'doomed')).LastUpdateStatus).toBe('Successful');
  });

  test('alias: a new version is published and the alias moved, only for functions that have it; a rerun keeps it', async () => {
    const region = 'eu-south-1';
    const v = await releases(region);
    await backend().seed(region, [
      { name: 'aliased', layers: [v.v1], tags: { [TAG]: '1' } },
      { name: 'plain', layers: [v.v1], tags: { [TAG]: '1' } },
    ]);
    await lambda(region).send(new PublishVersionCommand({ FunctionName: 'aliased' }));
    await lambda(region).send(new CreateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: '1' }));
    const { timing } = virtualClock(backend());
    const run = await runRollout({ name: 'race', regions: [region], alias: 'live' }, timing);
    const aliased = run.outcomes.find((o) => o.function === 'aliased');
    expect([aliased?.status, aliased?.alias]).toEqual(['updated', { name: 'live', result: 'moved', version: '2' }]);
    expect(run.outcomes.find((o) => o.function === 'plain')?.alias).toEqual({ name: 'live', result: 'absent' });
    const alias = await lambda(region).send(new GetAliasCommand({ FunctionName: 'aliased', Name: 'live' }));
    expect(alias.FunctionVersion).toBe('2');
    expect(await layersOf(region, 'aliased:2')).toEqual([v.v3]);
    expect(await layersOf(region, 'aliased:1')).toEqual([v.v1]);
    const rerun = await runRollout({ name: 'race', regions: [region], alias: 'live' }, timing);
    expect(rerun.outcomes.find((o) => o.function === 'aliased')).toMatchObject({
      status: 'unchanged',
      alias: { name: 'live', result: 'kept', version: '2' },
    });
  });
});
