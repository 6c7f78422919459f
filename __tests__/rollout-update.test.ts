/**
 * The bounds of one function's chain, with aws-sdk-client-mock (pure logic; the emulator suites cover the real
 * calls): a 409 that GetFunction does not explain is backed off from, then retried; a function changed before every
 * update gives up after MAX_REPLANS without overwriting; an update that never settles is reported after
 * SETTLE_TIMEOUT_MS of (virtual) waiting; a refusal fails at once.
 */
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from '../__fixtures__/publish-support.js';
import { MAX_REPLANS, rolloutFunction, SETTLE_TIMEOUT_MS, type FunctionJob } from '../src/rollout/update.js';

const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:otel';
const candidates = [
  { semver: '1.0.0', layerVersion: 1, arn: `${LAYER}:1` },
  { semver: '1.1.0', layerVersion: 2, arn: `${LAYER}:2` },
];
const job: FunctionJob = { region: 'us-east-1', function: 'fn', layerName: 'otel', candidates, dryRun: false };

function setup(status: () => string = () => 'Successful') {
  const client = new LambdaClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(client);
  let layers = [`${LAYER}:1`];
  let revision = 1;
  const configuration = (): FunctionConfiguration => ({
    FunctionName: 'fn',
    FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
    Layers: layers.map((Arn) => ({ Arn })),
    RevisionId: `r${revision}`,
    State: 'Active',
    LastUpdateStatus: status() as FunctionConfiguration['LastUpdateStatus'],
  });
  const respond = () => ({ Configuration: configuration(), Tags: { 'lambda-layer-release:otel': '1' } });
  mock.on(GetFunctionCommand).callsFake(respond);
  let clock = 0;
  const slept: number[] = [];
  const deps = {
    client,
    now: () => clock,
    sleep: async (ms: number) => {
      slept.push(ms);
      clock += ms;
    },
    logger: { info: () => undefined, warning: () => undefined },
  };
  return {
    mock,
    deps,
    slept,
    respond,
    apply: (next: string[]) => {
      layers = next;
      revision++;
    },
  };
}

describe('one function’s chain', () => {
  test('a 409 with nothing InProgress is backed off from and the update sent again', async () => {
    const { mock, deps, slept, apply } = setup();
    let calls = 0;
    mock.on(UpdateFunctionConfigurationCommand).callsFake((input) => {
      if (++calls <= 2)
        throw awsError('ResourceConflictException', 409, 'The operation cannot be performed at this time.');
      apply(input.Layers as string[]);
      return {};
    });
    const outcome = await rolloutFunction(job, deps);
    expect([outcome.status, outcome.layerArn, calls]).toEqual(['updated', `${LAYER}:2`, 3]);
    expect(slept).toEqual([1000, 2000]);
  });

  test('changed before every update: gives up after MAX_REPLANS, never overwriting', async () => {
    const { mock, deps, apply } = setup();
    let sent = 0;
    mock.on(UpdateFunctionConfigurationCommand).callsFake(() => {
      sent++;
      apply([`${LAYER}:1`]);
      throw awsError('PreconditionFailedException', 412, 'The Revision Id provided does not match');
    });
    const outcome = await rolloutFunction(job, deps);
    expect([outcome.status, sent]).toEqual(['failed', MAX_REPLANS]);
    expect(outcome.error).toMatch(/changed by someone else between each read and update \(5 times\); not overwritten/);
  });

  test('an update that never settles is reported after the settle timeout, in virtual time', async () => {
    let updated = false;
    const { mock, deps } = setup(() => (updated ? 'InProgress' : 'Successful'));
    mock.on(UpdateFunctionConfigurationCommand).callsFake(() => {
      updated = true;
      return {};
    });
    const outcome = await rolloutFunction(job, deps);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(`still InProgress after ${SETTLE_TIMEOUT_MS / 1000} s; not waited for any longer`);
    expect(deps.now()).toBeGreaterThanOrEqual(SETTLE_TIMEOUT_MS);
    expect(deps.now()).toBeLessThan(SETTLE_TIMEOUT_MS + 10_000);
  });

  test('a refusal (the 250 MB limit) fails at once with AWS’s words', async () => {
    const { mock, deps, slept } = setup();
    mock
      .on(UpdateFunctionConfigurationCommand)
      .rejects(
        awsError(
          'InvalidParameterValueException',
          400,
          'Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is 262144001 bytes.',
        ),
      );
    const outcome = await rolloutFunction(job, deps);
    expect([outcome.status, outcome.error, slept]).toEqual([
      'failed',
      'UpdateFunctionConfiguration failed: InvalidParameterValueException: Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is 262144001 bytes.',
      [],
    ]);
  });

  test('throttled reads are retried by the region policy, then succeed', async () => {
    const { mock, deps, slept, apply, respond } = setup();
    mock
      .on(GetFunctionCommand)
      .rejectsOnce(awsError('TooManyRequestsException', 429, 'Rate exceeded'))
      .callsFake(respond);
    mock.on(UpdateFunctionConfigurationCommand).callsFake((input) => {
      apply(input.Layers as string[]);
      return {};
    });
    const outcome = await rolloutFunction(job, deps);
    expect([outcome.status, outcome.layerArn]).toEqual(['updated', `${LAYER}:2`]);
    // One wait: the region policy's full-jitter backoff (the update settled by the first poll).
    expect(slept.length).toBe(1);
    expect(slept[0]).toBeLessThanOrEqual(1000);
  });

  test('an alias that cannot be moved fails the function, saying the layers were moved', async () => {
    const { mock, deps, apply } = setup();
    mock.on(UpdateFunctionConfigurationCommand).callsFake((input) => {
      apply(input.Layers as string[]);
      return {};
    });
    mock.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '3', RevisionId: 'a1' });
    mock.on(GetFunctionConfigurationCommand).resolves({ Layers: [{ Arn: `${LAYER}:1` }] });
    mock
      .on(PublishVersionCommand)
      .rejects(awsError('CodeStorageExceededException', 400, 'Code storage limit exceeded.'));
    const outcome = await rolloutFunction({ ...job, alias: 'live' }, deps);
    expect([outcome.status, outcome.error]).toEqual([
      'failed',
      '$LATEST moved to 1.1.0 (:2), but alias live was not moved: PublishVersion failed: CodeStorageExceededException: Code storage limit exceeded.',
    ]);
  });
});
