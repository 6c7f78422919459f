/** Helpers for the SDK suites of the emulator's function calls (emulator-lambda-functions*.test.ts). */
import {
  GetFunctionCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { ACCOUNT, control, FUNCTION_CODE, useEnv } from './emulator-support.js';

export { ACCOUNT };

/** The code of every function these suites create: 46 bytes unzipped. */
export const FUNCTION_ZIP = FUNCTION_CODE;

/** A client of one region that does not retry (the suites see every answer), through the standard env vars. */
export const lambda = (region = 'eu-west-1', maxAttempts = 1) => new LambdaClient({ region, maxAttempts });

export const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: Error) => err.name,
  );

export async function publishLayer(region: string, name: string): Promise<string> {
  const published = await lambda(region).send(
    new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: FUNCTION_ZIP } }),
  );
  return String(published.LayerVersionArn);
}

/** Creates functions already Active through the control route (CreateFunction's checks apply). */
export async function seed(url: string, region: string, functions: Record<string, unknown>[]): Promise<void> {
  await control(url, 'POST', 'aws/lambda/functions', { region, functions });
}

/** Polls GetFunction (bounded: 5 s) until a create or an update settles, as rollout's wait does. */
export async function settled(region: string, name: string): Promise<FunctionConfiguration> {
  for (let i = 0; i < 250; i++) {
    const { Configuration } = await lambda(region).send(new GetFunctionCommand({ FunctionName: name }));
    if (Configuration?.LastUpdateStatus !== 'InProgress' && Configuration?.State !== 'Pending') return Configuration!;
    await sleep(20);
  }
  throw new Error(`${name} did not settle`);
}

/**
 * Starts an emulator for the file's tests (a create or update takes `updateMs`), with the standard variables pointing
 * the SDK at it, and stops it after them.
 */
export function useFunctionEmulator(updateMs: number): {
  emulator: () => RunningEmulator;
  seed: (region: string, functions: Record<string, unknown>[]) => Promise<void>;
} {
  let running: RunningEmulator | undefined;
  let restoreEnv = () => {};
  beforeAll(async () => {
    running = await startEmulator({ aws: { functionUpdateMs: updateMs } });
    restoreEnv = useEnv(running.env);
  });
  afterAll(async () => {
    restoreEnv();
    await running?.stop();
  });
  const emulator = () => {
    if (!running) throw new Error('the emulator is not running (its beforeAll failed)');
    return running;
  };
  return { emulator, seed: (region, functions) => seed(emulator().url, region, functions) };
}
