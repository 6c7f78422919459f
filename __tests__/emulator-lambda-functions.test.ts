/**
 * The function calls rollout makes, through the real SDK v3 over HTTP (part 1): the update lifecycle (InProgress,
 * then Successful or Failed, a new RevisionId at each step), RevisionId preconditions under concurrency and lost
 * answers, SDK retries, and layer lists (order, sharing across accounts).
 */
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { describe, expect, test } from '@jest/globals';
import { control } from '../__fixtures__/emulator-support.js';
import {
  ACCOUNT,
  FUNCTION_ZIP,
  errorName,
  lambda,
  publishLayer,
  useFunctionEmulator,
  settled,
} from '../__fixtures__/emulator-functions.js';

const UPDATE_MS = 60;
const ZIP = FUNCTION_ZIP;
const { emulator, seed } = useFunctionEmulator(UPDATE_MS);

const layer = publishLayer;

describe('the update lifecycle', () => {
  test('CreateFunction is Pending, then Active; an update is InProgress, then Successful; each step a new RevisionId', async () => {
    const region = 'eu-west-1';
    // The store's clock moves only when the test says so: no step depends on how fast this machine is.
    let clock = Date.now();
    emulator().aws.functions.now = () => clock;
    try {
      const created = await lambda(region).send(
        new CreateFunctionCommand({
          FunctionName: 'life',
          Role: `arn:aws:iam::${ACCOUNT}:role/r`,
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Code: { ZipFile: ZIP },
        }),
      );
      expect([created.State, created.StateReasonCode, created.LastUpdateStatus]).toEqual([
        'Pending',
        'Creating',
        undefined,
      ]);
      const early = new UpdateFunctionConfigurationCommand({ FunctionName: 'life' });
      expect(await errorName(lambda(region).send(early))).toBe('ResourceConflictException');
      clock += UPDATE_MS;
      const active = await lambda(region).send(new GetFunctionConfigurationCommand({ FunctionName: 'life' }));
      expect([active.State, active.LastUpdateStatus]).toEqual(['Active', 'Successful']);
      expect(active.RevisionId).not.toBe(created.RevisionId);

      const updated = await lambda(region).send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'life',
          Description: 'v2',
          RevisionId: active.RevisionId,
        }),
      );
      expect([updated.LastUpdateStatus, updated.LastUpdateStatusReasonCode, updated.Description]).toEqual([
        'InProgress',
        'Creating',
        'v2',
      ]);
      // While it runs, GetFunction already shows the new settings, and ListFunctions shows no status at all.
      const during = await lambda(region).send(new GetFunctionConfigurationCommand({ FunctionName: 'life' }));
      expect([during.LastUpdateStatus, during.Description, during.RevisionId]).toEqual([
        'InProgress',
        'v2',
        updated.RevisionId,
      ]);
      const listed = (await lambda(region).send(new ListFunctionsCommand({}))).Functions?.find(
        (f) => f.FunctionName === 'life',
      );
      expect([listed?.State, listed?.LastUpdateStatus, listed?.Description]).toEqual([undefined, undefined, 'v2']);
      const read = () => lambda(region).send(new GetFunctionConfigurationCommand({ FunctionName: 'life' }));
      clock += UPDATE_MS - 1;
      expect((await read()).LastUpdateStatus).toBe('InProgress');
      clock += 1;
      const done = await read();
      expect(done.LastUpdateStatus).toBe('Successful');
      expect(new Set([created.RevisionId, active.RevisionId, updated.RevisionId, done.RevisionId]).size).toBe(4);
      // The RevisionId the update answered with is stale once it settled: a client must read again.
      const publish = new PublishVersionCommand({ FunctionName: 'life', RevisionId: updated.RevisionId });
      expect(await errorName(lambda(region).send(publish))).toBe('PreconditionFailedException');
    } finally {
      emulator().aws.functions.now = Date.now;
    }
  });

  test('the SDK’s waiter (waitUntilFunctionUpdatedV2) sees the update through', async () => {
    await seed('eu-west-3', [{ name: 'waited' }]);
    await lambda('eu-west-3').send(new UpdateFunctionConfigurationCommand({ FunctionName: 'waited', MemorySize: 256 }));
    const waited = await waitUntilFunctionUpdatedV2(
      { client: lambda('eu-west-3'), maxWaitTime: 10, minDelay: 1 },
      { FunctionName: 'waited' },
    );
    expect(waited.state).toBe('SUCCESS');
  });

  test('an update armed to fail ends Failed with the reason, and the next update clears it', async () => {
    await seed('eu-west-2', [{ name: 'doomed' }]);
    await control(emulator().url, 'POST', 'aws/lambda/function-failure', {
      functionName: 'doomed',
      region: 'eu-west-2',
      reasonCode: 'InsufficientRolePermissions',
      reason: 'The role defined for the function cannot be assumed by Lambda.',
    });
    await lambda('eu-west-2').send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', Timeout: 9 }));
    const failed = await settled('eu-west-2', 'doomed');
    expect([failed.LastUpdateStatus, failed.LastUpdateStatusReasonCode, failed.LastUpdateStatusReason]).toEqual([
      'Failed',
      'InsufficientRolePermissions',
      'The role defined for the function cannot be assumed by Lambda.',
    ]);
    await expect(
      waitUntilFunctionUpdatedV2(
        { client: lambda('eu-west-2'), maxWaitTime: 5, minDelay: 1 },
        { FunctionName: 'doomed' },
      ),
    ).rejects.toThrow(/FAILURE/);
    await lambda('eu-west-2').send(new UpdateFunctionConfigurationCommand({ FunctionName: 'doomed', Timeout: 10 }));
    expect((await settled('eu-west-2', 'doomed')).LastUpdateStatus).toBe('Successful');
  });
});

describe('RevisionId when two writers race or an answer is lost', () => {
  test('concurrent updates carrying the same RevisionId: exactly one wins, the others are 412 or 409', async () => {
    const arn = await layer('us-west-2', 'race');
    await seed('us-west-2', [{ name: 'raced' }]);
    const { RevisionId } = await lambda('us-west-2')
      .send(new GetFunctionCommand({ FunctionName: 'raced' }))
      .then((r) => r.Configuration!);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        errorName(
          lambda('us-west-2').send(
            new UpdateFunctionConfigurationCommand({
              FunctionName: 'raced',
              Layers: [arn],
              Description: `w${i}`,
              RevisionId,
            }),
          ),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'resolved')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'resolved').every((o) => o === 'PreconditionFailedException')).toBe(true);
  });

  test('CreateFunction of one name, sent five times at once: one is created, the others are 409', async () => {
    const create = () =>
      errorName(
        lambda('us-east-2').send(
          new CreateFunctionCommand({
            FunctionName: 'twice',
            Role: `arn:aws:iam::${ACCOUNT}:role/r`,
            Runtime: 'python3.13',
            Handler: 'index.handler',
            Code: { ZipFile: ZIP },
          }),
        ),
      );
    const outcomes = await Promise.all([create(), create(), create(), create(), create()]);
    expect(outcomes.sort()).toEqual([
      'ResourceConflictException',
      'ResourceConflictException',
      'ResourceConflictException',
      'ResourceConflictException',
      'resolved',
    ]);
  });

  test('an update whose answer is lost is applied: resending it with the old RevisionId is a 412', async () => {
    const arn = await layer('us-west-1', 'lost');
    await seed('us-west-1', [{ name: 'dropped' }]);
    const before = (await lambda('us-west-1').send(new GetFunctionCommand({ FunctionName: 'dropped' }))).Configuration!;
    emulator().server.faultPlan.reset({ rate: 1, kinds: ['drop-after-commit'], services: ['lambda'] });
    const update = new UpdateFunctionConfigurationCommand({
      FunctionName: 'dropped',
      Layers: [arn],
      RevisionId: before.RevisionId,
    });
    try {
      expect(await errorName(lambda('us-west-1').send(update))).not.toBe('resolved');
    } finally {
      emulator().server.faultPlan.reset({ rate: 0 });
    }
    expect(await errorName(lambda('us-west-1').send(update))).toBe('PreconditionFailedException');
    const after = await settled('us-west-1', 'dropped');
    expect(after.Layers?.map((l) => l.Arn)).toEqual([arn]);
  });

  test('the function calls share the layer calls’ rate limit (429 TooManyRequestsException with Retry-After)', async () => {
    await seed('ca-west-1', [{ name: 'metered' }]);
    await control(emulator().url, 'POST', 'aws/config', { rateLimit: 2 });
    try {
      const get = () => errorName(lambda('ca-west-1').send(new GetFunctionCommand({ FunctionName: 'metered' })));
      const list = () => errorName(lambda('ca-west-1').send(new ListFunctionsCommand({})));
      expect([await get(), await list(), await get()]).toEqual(['resolved', 'resolved', 'TooManyRequestsException']);
    } finally {
      await control(emulator().url, 'POST', 'aws/config', { rateLimit: 0 });
    }
  });

  test('the SDK’s own retries get through 500s and throttles on these calls', async () => {
    await seed('ca-central-1', [{ name: 'retried' }]);
    emulator().server.faultPlan.reset({ rate: 0.5, kinds: ['500', '429'], services: ['lambda'], seed: 'functions' });
    try {
      const client = new LambdaClient({ region: 'ca-central-1', maxAttempts: 6 });
      for (let i = 0; i < 4; i++) await client.send(new GetFunctionCommand({ FunctionName: 'retried' }));
    } finally {
      emulator().server.faultPlan.reset({ rate: 0 });
    }
  }, 60_000);
});

describe('layers', () => {
  test('Layers is replaced in the order given; a deleted version stays referenced; CodeSize is the layer’s', async () => {
    const region = 'ap-south-1';
    const [a, b, c] = [await layer(region, 'la'), await layer(region, 'lb'), await layer(region, 'lc')];
    await seed(region, [{ name: 'ordered', layers: [a, b] }]);
    await lambda(region).send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ordered', Layers: [c, a] }));
    await lambda(region).send(new DeleteLayerVersionCommand({ LayerName: 'lc', VersionNumber: 1 }));
    const config = await settled(region, 'ordered');
    expect(config.Layers).toEqual([
      { Arn: c, CodeSize: ZIP.length },
      { Arn: a, CodeSize: ZIP.length },
    ]);
  });

  test('another account’s layer version is usable once its policy shares it', async () => {
    const region = 'eu-north-1';
    const owner = new LambdaClient({
      region,
      maxAttempts: 1,
      credentials: fromTemporaryCredentials({
        params: { RoleArn: 'arn:aws:iam::111122223333:role/publisher', RoleSessionName: 'owner' },
        clientConfig: { region },
      }),
    });
    const published = await owner.send(
      new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: ZIP } }),
    );
    const theirs = String(published.LayerVersionArn);
    await seed(region, [{ name: 'consumer' }]);
    const update = () =>
      lambda(region).send(new UpdateFunctionConfigurationCommand({ FunctionName: 'consumer', Layers: [theirs] }));
    expect(await errorName(update())).toBe('AccessDeniedException');
    await owner.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: 1,
        StatementId: 'consumer',
        Action: 'lambda:GetLayerVersion',
        Principal: ACCOUNT,
      }),
    );
    expect((await update()).Layers?.map((l) => l.Arn)).toEqual([theirs]);
  });
});
