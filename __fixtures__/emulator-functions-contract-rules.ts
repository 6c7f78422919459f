/** The functions contract's rules: the layer checks of an update, and calls through the AWS CLI. */
import { makeZip } from './emulator-support.js';
import {
  arnOf,
  create,
  fail,
  layer,
  update,
  type FunctionCase,
  type FunctionEnv,
} from './emulator-functions-contract.js';

/** The layer checks of UpdateFunctionConfiguration (emulator-functions-contract's share of AWS's rules). */
function layerRuleCases(): FunctionCase[] {
  const r = 'us-east-2';
  // The cases share one function and layer per backend, made by whichever case runs first.
  const prepared = new WeakMap<FunctionEnv, Map<string, Promise<string>>>();
  const once = (env: FunctionEnv, key: string, make: () => Promise<string>) => {
    const made = prepared.get(env) ?? new Map<string, Promise<string>>();
    prepared.set(env, made);
    if (!made.has(key)) made.set(key, make());
    return made.get(key)!;
  };
  const base = (env: FunctionEnv) =>
    once(env, 'fn', async () => {
      await create(env, r, 'ct-rules');
      return 'ct-rules';
    });
  const attempt = async (env: FunctionEnv, layers: (arn: string) => string[]) => {
    await base(env);
    const arn = await once(env, 'layer', () => layer(env, r, 'ct-rule'));
    return update(env, r, 'ct-rules', layers(arn)).then(() => ({ value: 'ok' }), fail);
  };
  return [
    {
      name: 'a layer version that does not exist is refused',
      aws: { error: 'InvalidParameterValueException' },
      run: (env) => attempt(env, (arn) => [arn.replace(/:\d+$/, ':99')]),
    },
    {
      name: 'two versions of one layer are refused',
      aws: { error: 'InvalidParameterValueException' },
      run: (env) => attempt(env, (arn) => [arn, arn]),
    },
    {
      name: 'six layers are refused',
      aws: { error: 'InvalidParameterValueException' },
      run: (env) => attempt(env, (arn) => Array.from({ length: 6 }, () => arn)),
    },
    {
      name: 'code and layers over 262,144,000 bytes unzipped are refused by the call',
      aws: { error: 'InvalidParameterValueException' },
      async run(env) {
        await base(env);
        const big = await once(env, 'big', () => layer(env, r, 'ct-big', makeZip({ 'big.bin': 'x' }, 262_144_000)));
        return update(env, r, 'ct-rules', [big]).then(() => ({ value: 'ok' }), fail);
      },
    },
  ];
}

/** A few of the same calls through the AWS CLI (its own parser and paginator). */
function cliCases(): FunctionCase[] {
  const r = 'eu-north-1';
  return [
    {
      name: 'cli: create-function --layers --tags answers with the layers; list-tags has the tags',
      aws: { value: { layers: 1, tags: { 'lambda-layer-release:ct': '1.x' } } },
      async run(env) {
        const arn = await layer(env, r, 'ct-cli');
        const made = await env.cli(
          ...['lambda', 'create-function', '--region', r, '--function-name', 'ct-cli', '--role', env.role],
          ...['--runtime', 'python3.13', '--handler', 'index.handler', '--zip-file', `fileb://${env.codePath}`],
          ...['--layers', arn, '--tags', 'lambda-layer-release:ct=1.x'],
        );
        const tags = await env.cli('lambda', 'list-tags', '--region', r, '--resource', arnOf(r, 'ct-cli'));
        const failed = made.error ?? tags.error;
        if (failed) return { error: failed };
        return { value: { layers: (made.json?.Layers as unknown[] | undefined)?.length, tags: tags.json?.Tags } };
      },
    },
    {
      name: 'cli: update-function-configuration --layers with a stale --revision-id is PreconditionFailedException',
      aws: { error: 'PreconditionFailedException' },
      async run(env) {
        const arn = await layer(env, r, 'ct-cli-stale');
        await create(env, r, 'ct-cli-stale');
        const args = ['lambda', 'update-function-configuration', '--region', r, '--function-name', 'ct-cli-stale'];
        const result = await env.cli(...args, '--layers', arn, '--revision-id', 'stale');
        return result.error ? { error: result.error } : { value: 'ok' };
      },
    },
    {
      name: 'cli: list-functions --max-items 2 pages with a NextToken',
      aws: { value: { count: 2, token: true } },
      async run(env) {
        for (const name of ['ct-cli-l1', 'ct-cli-l2', 'ct-cli-l3']) await create(env, r, name);
        const list = await env.cli('lambda', 'list-functions', '--region', r, '--max-items', '2');
        const functions = (list.json?.Functions ?? []) as unknown[];
        return list.error
          ? { error: list.error }
          : { value: { count: functions.length, token: typeof list.json?.NextToken === 'string' } };
      },
    },
  ];
}

export const LAYER_RULE_CASES = layerRuleCases();
export const CLI_CASES = cliCases();
