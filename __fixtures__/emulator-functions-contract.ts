/**
 * The Lambda functions contract: the calls rollout makes, written once as a table and run against any backend (the
 * emulator and moto, emulator-functions-contract.test.ts). `aws` is what AWS does; moto's known differences live in
 * MOTO_FUNCTION_DIFFERENCES and change the expectation for moto only. These cases go through SDK v3 in-process;
 * emulator-functions-contract-rules.ts has the layer rules and the `cli:` cases, which go through the AWS CLI.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListTagsCommand,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  paginateListFunctions,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { ACCOUNT, FUNCTION_CODE, makeZip, type Cli } from './emulator-support.js';

export { ACCOUNT };
import type { Outcome } from './emulator-contract.js';

export const CODE = FUNCTION_CODE;
export const LAYER_ZIP = makeZip({ 'python/contract_lib.py': 'VALUE = 1\n' });

export interface FunctionEnv {
  lambda(region: string): LambdaClient;
  /** An execution role the backend accepts (moto wants it to exist in its IAM). */
  role: string;
  cli: Cli;
  /** CODE written to a file, for `--zip-file fileb://...`. */
  codePath: string;
  /** Milliseconds for an update to settle at the most (0 where updates settle at once). */
  settleMs: number;
}

export interface FunctionCase {
  name: string;
  aws: Outcome;
  run(env: FunctionEnv): Promise<Outcome>;
}

export const fail = (err: Error): Outcome => ({ error: err.name });
export const settle = (env: FunctionEnv) => new Promise((resolve) => setTimeout(resolve, env.settleMs));

export async function layer(env: FunctionEnv, region: string, name: string, zip = LAYER_ZIP): Promise<string> {
  const published = await env
    .lambda(region)
    .send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip } }));
  return String(published.LayerVersionArn);
}

export async function create(
  env: FunctionEnv,
  region: string,
  name: string,
  extra: Partial<CreateFunctionCommandInput> = {},
) {
  const created = await env.lambda(region).send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: env.role,
      Runtime: 'python3.13',
      Handler: 'index.handler',
      Code: { ZipFile: CODE },
      ...extra,
    }),
  );
  await settle(env);
  return created;
}

const get = (env: FunctionEnv, region: string, name: string) =>
  env.lambda(region).send(new GetFunctionCommand({ FunctionName: name }));
export const update = (env: FunctionEnv, region: string, name: string, layers: string[], revisionId?: string) =>
  env
    .lambda(region)
    .send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: layers, RevisionId: revisionId }));
export const arnOf = (region: string, name: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;

export const FUNCTION_CASES: FunctionCase[] = [
  {
    name: 'CreateFunction with layers and tags: Layers [{Arn, CodeSize}] in order, tags in ListTags and GetFunction',
    aws: {
      value: { layers: [1, 1].map(() => LAYER_ZIP.length), order: true, tags: { team: 'a' }, getTags: { team: 'a' } },
    },
    async run(env) {
      const r = 'eu-west-1';
      const [a, b] = [await layer(env, r, 'ct-a'), await layer(env, r, 'ct-b')];
      await create(env, r, 'ct-create', { Layers: [b, a], Tags: { team: 'a' } });
      const got = await get(env, r, 'ct-create');
      const tags = await env.lambda(r).send(new ListTagsCommand({ Resource: arnOf(r, 'ct-create') }));
      const layers = got.Configuration?.Layers ?? [];
      return {
        value: {
          layers: layers.map((l) => l.CodeSize),
          order: layers.map((l) => l.Arn).join() === [b, a].join(),
          tags: tags.Tags,
          getTags: got.Tags,
        },
      };
    },
  },
  {
    name: 'UpdateFunctionConfiguration replaces Layers in the order given and keeps the other settings',
    aws: { value: { order: true, handler: 'index.handler', runtime: 'python3.13' } },
    async run(env) {
      const r = 'eu-west-2';
      const [a, b, c] = [await layer(env, r, 'ct-a'), await layer(env, r, 'ct-b'), await layer(env, r, 'ct-c')];
      await create(env, r, 'ct-order', { Layers: [a, b] });
      await update(env, r, 'ct-order', [c, a]);
      await settle(env);
      const config = (await get(env, r, 'ct-order')).Configuration;
      return {
        value: {
          order: (config?.Layers ?? []).map((l) => l.Arn).join() === [c, a].join(),
          handler: config?.Handler,
          runtime: config?.Runtime,
        },
      };
    },
  },
  {
    name: 'RevisionId: every change gives a new one, and a stale one is refused with 412',
    aws: { value: { present: true, changed: true, stale: 'PreconditionFailedException' } },
    async run(env) {
      const r = 'eu-west-3';
      const arn = await layer(env, r, 'ct-rev');
      await create(env, r, 'ct-rev');
      const before = (await get(env, r, 'ct-rev')).Configuration?.RevisionId;
      await update(env, r, 'ct-rev', [arn], before);
      await settle(env);
      const after = (await get(env, r, 'ct-rev')).Configuration?.RevisionId;
      const stale = await update(env, r, 'ct-rev', [], before).then(
        () => 'ok',
        (err: Error) => err.name,
      );
      return { value: { present: typeof before === 'string', changed: before !== after, stale } };
    },
  },
  {
    name: 'LastUpdateStatus is InProgress right after an update and Successful once it settles',
    aws: { value: { answered: 'InProgress', later: 'Successful' } },
    async run(env) {
      const r = 'eu-central-1';
      const arn = await layer(env, r, 'ct-status');
      await create(env, r, 'ct-status');
      const answered = (await update(env, r, 'ct-status', [arn])).LastUpdateStatus;
      await settle(env);
      return { value: { answered, later: (await get(env, r, 'ct-status')).Configuration?.LastUpdateStatus } };
    },
  },
  {
    name: 'ListFunctions pages at most 50 functions whatever MaxItems asks, and lists no State or LastUpdateStatus',
    aws: { value: { pages: [50, 1], state: undefined, status: undefined } },
    async run(env) {
      const r = 'ap-south-1';
      const input = (i: number) => ({
        FunctionName: `ct-page-${i}`,
        Role: env.role,
        Runtime: 'python3.13' as const,
        Handler: 'index.handler',
        Code: { ZipFile: CODE },
      });
      for (let batch = 0; batch < 51; batch += 17) {
        const indexes = Array.from({ length: 17 }, (_, i) => batch + i);
        await Promise.all(indexes.map((i) => env.lambda(r).send(new CreateFunctionCommand(input(i)))));
      }
      const pages = [];
      for await (const page of paginateListFunctions({ client: env.lambda(r), pageSize: 1000 }, {}))
        pages.push(page.Functions ?? []);
      const first = pages[0]?.[0];
      return { value: { pages: pages.map((p) => p.length), state: first?.State, status: first?.LastUpdateStatus } };
    },
  },
  {
    name: 'GetFunction by name, ARN, partial ARN, name:version, alias; an ARN of another region is 404',
    aws: {
      value: [
        [':function:ct-named', '$LATEST'],
        [':function:ct-named', '$LATEST'],
        [':function:ct-named', '$LATEST'],
        [':function:ct-named:1', '1'],
        [':function:ct-named:live', '1'],
        'ResourceNotFoundException',
      ],
    },
    async run(env) {
      const r = 'ap-northeast-1';
      await create(env, r, 'ct-named');
      await env.lambda(r).send(new PublishVersionCommand({ FunctionName: 'ct-named' }));
      await env
        .lambda(r)
        .send(new CreateAliasCommand({ FunctionName: 'ct-named', Name: 'live', FunctionVersion: '1' }));
      const names = [
        'ct-named',
        arnOf(r, 'ct-named'),
        `${ACCOUNT}:function:ct-named`,
        'ct-named:1',
        `${arnOf(r, 'ct-named')}:live`,
      ];
      const found = await Promise.all(
        names.map((name) =>
          get(env, r, name).then(
            ({ Configuration: c }) => [
              String(c?.FunctionArn).slice(String(c?.FunctionArn).indexOf(':function:')),
              c?.Version,
            ],
            (err: Error) => err.name,
          ),
        ),
      );
      const far = await get(env, r, arnOf('us-east-1', 'ct-named')).then(
        () => 'found',
        (err: Error) => err.name,
      );
      return { value: [...found, far] };
    },
  },
  {
    name: 'PublishVersion twice without a change answers the same version; another CodeSha256 is refused',
    aws: { value: { versions: ['1', '1'], sha: 'InvalidParameterValueException' } },
    async run(env) {
      const r = 'ap-southeast-2';
      await create(env, r, 'ct-publish');
      const publish = (sha?: string) =>
        env.lambda(r).send(new PublishVersionCommand({ FunctionName: 'ct-publish', CodeSha256: sha }));
      const versions = [(await publish()).Version, (await publish()).Version];
      return {
        value: {
          versions,
          sha: await publish('other').then(
            () => 'ok',
            (err: Error) => err.name,
          ),
        },
      };
    },
  },
  {
    name: 'UpdateAlias moves the alias with a new RevisionId; a stale RevisionId is 412; a name in use is 409',
    aws: {
      value: { version: '2', changed: true, stale: 'PreconditionFailedException', taken: 'ResourceConflictException' },
    },
    async run(env) {
      const r = 'ca-central-1';
      await create(env, r, 'ct-alias');
      const client = env.lambda(r);
      await client.send(new PublishVersionCommand({ FunctionName: 'ct-alias' }));
      await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ct-alias', Description: 'two' }));
      await settle(env);
      await client.send(new PublishVersionCommand({ FunctionName: 'ct-alias' }));
      const alias = await client.send(
        new CreateAliasCommand({ FunctionName: 'ct-alias', Name: 'prod', FunctionVersion: '1' }),
      );
      const moved = await client.send(
        new UpdateAliasCommand({
          FunctionName: 'ct-alias',
          Name: 'prod',
          FunctionVersion: '2',
          RevisionId: alias.RevisionId,
        }),
      );
      const stale = await client
        .send(
          new UpdateAliasCommand({
            FunctionName: 'ct-alias',
            Name: 'prod',
            FunctionVersion: '1',
            RevisionId: alias.RevisionId,
          }),
        )
        .then(
          () => 'ok',
          (err: Error) => err.name,
        );
      const taken = await client
        .send(new CreateAliasCommand({ FunctionName: 'ct-alias', Name: 'prod', FunctionVersion: '1' }))
        .then(
          () => 'ok',
          (err: Error) => err.name,
        );
      return {
        value: { version: moved.FunctionVersion, changed: moved.RevisionId !== alias.RevisionId, stale, taken },
      };
    },
  },
  {
    name: 'tags: TagResource and UntagResource round trip; a version ARN is refused',
    aws: { value: { tags: { keep: '1' }, version: 'InvalidParameterValueException' } },
    async run(env) {
      const r = 'sa-east-1';
      await create(env, r, 'ct-tags');
      const client = env.lambda(r);
      const arn = arnOf(r, 'ct-tags');
      await client.send(new TagResourceCommand({ Resource: arn, Tags: { keep: '1', drop: '2' } }));
      await client.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['drop', 'never'] }));
      const version = await client.send(new TagResourceCommand({ Resource: `${arn}:1`, Tags: { a: 'b' } })).then(
        () => 'ok',
        (err: Error) => err.name,
      );
      return { value: { tags: (await client.send(new ListTagsCommand({ Resource: arn }))).Tags, version } };
    },
  },
  {
    name: 'CreateFunction of a name in use is 409; DeleteFunction, then GetFunction is 404',
    aws: { value: { again: 'ResourceConflictException', deleted: 'ResourceNotFoundException' } },
    async run(env) {
      const r = 'us-west-1';
      await create(env, r, 'ct-delete');
      const again = await create(env, r, 'ct-delete').then(
        () => 'ok',
        (err: Error) => err.name,
      );
      await env.lambda(r).send(new DeleteFunctionCommand({ FunctionName: 'ct-delete' }));
      return {
        value: {
          again,
          deleted: await get(env, r, 'ct-delete').then(
            () => 'ok',
            (err: Error) => err.name,
          ),
        },
      };
    },
  },
];
