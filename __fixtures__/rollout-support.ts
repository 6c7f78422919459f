/**
 * Helpers for the rollout suites: a backend (the emulator in this process, or moto) reached by the real SDK through
 * the standard env vars, layer versions published with version markers, functions seeded with layers and tags, and
 * rollout() run with the clients the action builds and a virtual clock (waits are instant, never fewer).
 */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { AwsClients } from '../src/aws/clients.js';
import { formatMarker } from '../src/record/marker.js';
import { rollout, type RolloutOptions, type RolloutRun } from '../src/rollout/rollout.js';
import {
  ACCOUNT,
  control,
  createMotoRole,
  DUMMY_ENV,
  FUNCTION_CODE,
  makeZip,
  startMoto,
  useEnv,
} from './emulator-support.js';

export { ACCOUNT };

export const CODE = FUNCTION_CODE;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/rollout-tests`;

export interface SeedFunction {
  name: string;
  layers?: string[];
  tags?: Record<string, string>;
}

export interface Backend {
  kind: 'emulator' | 'moto';
  url: string;
  /** The in-process emulator, for its clock and control routes. */
  emulator?: RunningEmulator;
  seed(region: string, functions: SeedFunction[]): Promise<void>;
  stop(): Promise<void>;
}

/** A client of one region that does not retry (the test sees every answer). */
export const lambda = (region: string) => new LambdaClient({ region, maxAttempts: 1 });

export async function startBackend(kind: 'emulator' | 'moto', functionUpdateMs = 250): Promise<Backend> {
  if (kind === 'emulator') {
    const emulator = await startEmulator({ aws: { functionUpdateMs } });
    const restore = useEnv(emulator.env);
    return {
      kind,
      url: emulator.url,
      emulator,
      seed: async (region, functions) => {
        await control(emulator.url, 'POST', 'aws/lambda/functions', { region, functions });
      },
      stop: async () => {
        restore();
        await emulator.stop();
      },
    };
  }
  const moto = await startMoto();
  const restore = useEnv({ ...DUMMY_ENV, AWS_ENDPOINT_URL: moto.url, AWS_ENDPOINT_URL_LAMBDA: moto.url });
  await createMotoRole(moto.url, 'rollout-tests');
  return {
    kind,
    url: moto.url,
    seed: async (region, functions) => {
      for (const fn of functions) {
        await lambda(region).send(
          new CreateFunctionCommand({
            FunctionName: fn.name,
            Role: ROLE,
            Runtime: 'python3.13',
            Handler: 'index.handler',
            Code: { ZipFile: CODE },
            ...(fn.layers?.length ? { Layers: fn.layers } : {}),
            ...(fn.tags ? { Tags: fn.tags } : {}),
          }),
        );
      }
    },
    stop: async () => {
      restore();
      await moto.stop();
    },
  };
}

/** Starts a backend before the file's tests and stops it after them. */
export function useBackend(kind: 'emulator' | 'moto', functionUpdateMs?: number): () => Backend {
  let backend: Backend | undefined;
  beforeAll(async () => {
    backend = await startBackend(kind, functionUpdateMs);
  }, 60_000);
  afterAll(async () => {
    await backend?.stop();
  });
  return () => {
    if (!backend) throw new Error(`the ${kind} backend is not running (its beforeAll failed)`);
    return backend;
  };
}

/** Publishes a version of `name` whose Description carries the marker of `semver`, as publish would. */
async function publishWith(client: LambdaClient, name: string, semver: string): Promise<string> {
  const published = await client.send(
    new PublishLayerVersionCommand({
      LayerName: name,
      Content: {
        ZipFile: makeZip({
          'python/x.py': `VERSION = '${semver}'
`,
        }),
      },
      Description: `test layer ${formatMarker({ version: semver, commit: '0a1b2c3d4e5f' })}`,
    }),
  );
  return String(published.LayerVersionArn);
}

/** A marked version through the standard env vars (the backend's). */
export async function publishRelease(region: string, name: string, semver: string): Promise<string> {
  return publishWith(lambda(region), name, semver);
}

/** publishRelease for a suite that does not point process.env at the emulator: the endpoint and keys from `env`. */
export async function publishMarked(
  env: Record<string, string>,
  region: string,
  name: string,
  semver: string,
): Promise<string> {
  const client = new LambdaClient({
    region,
    endpoint: env.AWS_ENDPOINT_URL_LAMBDA,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  try {
    return await publishWith(client, name, semver);
  } finally {
    client.destroy();
  }
}

export async function config(region: string, name: string): Promise<FunctionConfiguration> {
  return (await lambda(region).send(new GetFunctionCommand({ FunctionName: name }))).Configuration!;
}

export async function layersOf(region: string, name: string): Promise<string[]> {
  return ((await config(region, name)).Layers ?? []).map((l) => l.Arn ?? '');
}

/** A clock that moves only when the code under test sleeps; `backend`'s emulator (if any) follows it. */
export function virtualClock(backend?: Backend) {
  let clock = Date.now();
  const slept: number[] = [];
  const timing = {
    now: () => clock,
    sleep: async (ms: number) => {
      slept.push(ms);
      clock += ms;
    },
  };
  if (backend?.emulator) backend.emulator.aws.functions.now = () => clock;
  return { timing, slept, advance: (ms: number) => (clock += ms) };
}

export interface Logged {
  info: string[];
  warning: string[];
}

/** rollout() with the clients the action builds (standard SDK retries, shared handler) and the given timing. */
export async function runRollout(
  options: Partial<RolloutOptions> & Pick<RolloutOptions, 'name' | 'regions'>,
  timing: { now(): number; sleep(ms: number): Promise<void> },
  log: Logged = { info: [], warning: [] },
  /** Called with each region's client before use: a test adds middleware (a concurrent writer, for instance). */
  onClient?: (client: LambdaClient, region: string) => void,
): Promise<RolloutRun> {
  const clients = new AwsClients({
    credentials: async () => ({
      accessKeyId: DUMMY_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: DUMMY_ENV.AWS_SECRET_ACCESS_KEY,
    }),
  });
  const hooked = new Set<LambdaClient>();
  try {
    return await rollout(
      { functions: { kind: 'tagged' }, maxParallel: 4, dryRun: false, ...options },
      {
        lambdaFor: (r) => {
          const client = clients.lambda(r);
          if (onClient && !hooked.has(client)) {
            hooked.add(client);
            onClient(client, r);
          }
          return client;
        },
        ...timing,
        logger: { info: (m) => log.info.push(m), warning: (m) => log.warning.push(m) },
      },
    );
  } finally {
    clients.destroy();
  }
}
