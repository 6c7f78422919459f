/**
 * The function calls rollout makes, through the real SDK v3 over HTTP (part 2): finding functions (pagination,
 * names and ARNs, tags), versions and aliases, and the seeding control routes.
 */
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { describe, expect, test } from '@jest/globals';
import { control } from '../__fixtures__/emulator-support.js';
import { ACCOUNT, errorName, lambda, useFunctionEmulator, settled } from '../__fixtures__/emulator-functions.js';

const UPDATE_MS = 60;
const { emulator, seed } = useFunctionEmulator(UPDATE_MS);

describe('finding functions', () => {
  test('ListFunctions pages by name, at most 50 a page whatever MaxItems says, with opaque markers', async () => {
    const region = 'sa-east-1';
    const names = Array.from({ length: 120 }, (_, i) => `fleet-${String(i).padStart(3, '0')}`);
    await seed(
      region,
      names.map((name) => ({ name })),
    );
    const pages: string[][] = [];
    for await (const page of paginateListFunctions({ client: lambda(region), pageSize: 10_000 }, {})) {
      pages.push((page.Functions ?? []).map((f) => String(f.FunctionName)));
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(names);
    const small = await lambda(region).send(new ListFunctionsCommand({ MaxItems: 7 }));
    expect([small.Functions?.length, typeof small.NextMarker]).toEqual([7, 'string']);
    const next = await lambda(region).send(new ListFunctionsCommand({ MaxItems: 7, Marker: small.NextMarker }));
    expect(next.Functions?.[0].FunctionName).toBe('fleet-007');
  });

  test('a function is found by name, ARN, partial ARN, name:qualifier and alias; ARNs carry the partition', async () => {
    for (const [region, partition] of [
      ['cn-north-1', 'aws-cn'],
      ['us-gov-west-1', 'aws-us-gov'],
      ['ap-southeast-7', 'aws'],
    ]) {
      await seed(region, [{ name: 'named' }]);
      const arn = `arn:${partition}:lambda:${region}:${ACCOUNT}:function:named`;
      const client = lambda(region);
      await client.send(new PublishVersionCommand({ FunctionName: 'named' }));
      await client.send(new CreateAliasCommand({ FunctionName: 'named', Name: 'live', FunctionVersion: '1' }));
      const found = await Promise.all(
        ['named', arn, `${ACCOUNT}:function:named`, 'named:1', `${arn}:live`, 'named:$LATEST'].map(async (name) => {
          const { Configuration } = await client.send(new GetFunctionCommand({ FunctionName: name }));
          return [Configuration?.FunctionArn, Configuration?.Version];
        }),
      );
      expect(found).toEqual([
        [arn, '$LATEST'],
        [arn, '$LATEST'],
        [arn, '$LATEST'],
        [`${arn}:1`, '1'],
        [`${arn}:live`, '1'],
        [`${arn}:$LATEST`, '$LATEST'],
      ]);
    }
  });

  test('tags: set at create, read by GetFunction and ListTags; TagResource changes the RevisionId', async () => {
    const region = 'ap-northeast-1';
    await seed(region, [{ name: 'opted', tags: { 'lambda-layer-release:lib': '1.4.x' } }]);
    const before = await lambda(region).send(new GetFunctionCommand({ FunctionName: 'opted' }));
    expect(before.Tags).toEqual({ 'lambda-layer-release:lib': '1.4.x' });
    const arn = String(before.Configuration?.FunctionArn);
    await lambda(region).send(
      new TagResourceCommand({ Resource: arn, Tags: { 'lambda-layer-release:lib': 'latest' } }),
    );
    expect((await lambda(region).send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({
      'lambda-layer-release:lib': 'latest',
    });
    const after = await lambda(region).send(new GetFunctionCommand({ FunctionName: 'opted' }));
    expect(after.Configuration?.RevisionId).not.toBe(before.Configuration?.RevisionId);
  });
});

describe('versions and aliases', () => {
  test('PublishVersion publishes nothing new when nothing changed; UpdateAlias moves with a RevisionId guard', async () => {
    const region = 'eu-central-1';
    await seed(region, [{ name: 'aliased' }]);
    const client = lambda(region);
    const v1 = await client.send(new PublishVersionCommand({ FunctionName: 'aliased' }));
    expect((await client.send(new PublishVersionCommand({ FunctionName: 'aliased' }))).Version).toBe(v1.Version);
    const alias = await client.send(
      new CreateAliasCommand({ FunctionName: 'aliased', Name: 'prod', FunctionVersion: '1' }),
    );
    // The store's clock stands still until the test moves it, so the update is surely still running.
    let clock = Date.now();
    emulator().aws.functions.now = () => clock;
    try {
      await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'aliased', Description: 'next' }));
      expect(await errorName(client.send(new PublishVersionCommand({ FunctionName: 'aliased' })))).toBe(
        'ResourceConflictException',
      );
      clock += UPDATE_MS;
    } finally {
      emulator().aws.functions.now = Date.now;
    }
    const latest = await settled(region, 'aliased');
    const v2 = await client.send(
      new PublishVersionCommand({
        FunctionName: 'aliased',
        RevisionId: latest.RevisionId,
        CodeSha256: latest.CodeSha256,
      }),
    );
    expect([v2.Version, v2.Description, v2.State, v2.LastUpdateStatus]).toEqual(['2', 'next', 'Active', 'Successful']);
    const moved = await client.send(
      new UpdateAliasCommand({
        FunctionName: 'aliased',
        Name: 'prod',
        FunctionVersion: '2',
        RevisionId: alias.RevisionId,
      }),
    );
    expect(moved.FunctionVersion).toBe('2');
    expect(
      await errorName(
        client.send(
          new UpdateAliasCommand({
            FunctionName: 'aliased',
            Name: 'prod',
            FunctionVersion: '1',
            RevisionId: alias.RevisionId,
          }),
        ),
      ),
    ).toBe('PreconditionFailedException');
    expect((await client.send(new GetAliasCommand({ FunctionName: 'aliased', Name: 'prod' }))).FunctionVersion).toBe(
      '2',
    );
  });
});

describe('control routes', () => {
  test('seeding applies CreateFunction’s checks and answers its error; state shows functions; config sets the update time', async () => {
    const refused = await fetch(`${emulator().url}/__emulator/aws/lambda/functions`, {
      method: 'POST',
      body: JSON.stringify({
        region: 'me-south-1',
        functions: [{ name: 'x', layers: ['arn:aws:lambda:me-south-1:123456789012:layer:none:1'] }],
      }),
    });
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
      400,
      'InvalidParameterValueException',
    ]);
    await seed('me-south-1', [{ name: 'shown', tags: { a: 'b' } }]);
    const state = (await control(emulator().url, 'GET', 'aws/state?region=me-south-1')) as {
      functions: Record<string, Record<string, Record<string, { state: string; tags: unknown }>>>;
    };
    expect(state.functions[ACCOUNT]['me-south-1'].shown).toMatchObject({ state: 'Active', tags: { a: 'b' } });
    expect(await control(emulator().url, 'POST', 'aws/config', { functionUpdateMs: 5 })).toMatchObject({
      functionUpdateMs: 5,
    });
    await control(emulator().url, 'POST', 'aws/config', { functionUpdateMs: UPDATE_MS });
    const missing = await fetch(`${emulator().url}/__emulator/aws/lambda/function-failure`, {
      method: 'POST',
      body: JSON.stringify({ functionName: 'none', region: 'me-south-1', reasonCode: 'InternalError', reason: 'x' }),
    });
    expect(missing.status).toBe(404);
  });
});
