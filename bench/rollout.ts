/**
 * npm run bench -- rollout [--regions 4] [--functions 25] [--update-ms 1000]: moving tagged functions to a new layer
 * version, against the emulator (an update takes --update-ms to settle, as AWS takes a second or more).
 *
 * - ours: rollout() with the action's clients and real waits, max-parallel 4 (the default) and 1;
 * - the peer: what a hand-written script does, one function after the other: UpdateFunctionConfiguration, then the
 *   SDK's waitUntilFunctionUpdatedV2 (the CLI's `aws lambda wait function-updated-v2`), which polls every second.
 * Printed: wall time, Lambda requests, and the ratio to the peer. Goal: max-parallel 4 at least 3x the peer.
 */
import {
  LambdaClient,
  PublishLayerVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator } from '../emulators/index.js';
import { craftZip } from '../__fixtures__/zip-craft.js';
import { AwsClients } from '../src/aws/clients.js';
import { formatMarker } from '../src/record/index.js';
import { rollout } from '../src/rollout/rollout.js';

const GOAL_RATIO = 3;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

export async function run(): Promise<void> {
  const regionCount = option('regions', 4);
  const perRegion = option('functions', 25);
  const updateMs = option('update-ms', 1000);
  const emulator = await startEmulator({ aws: { functionUpdateMs: updateMs } });
  const env = emulator.env;
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'].slice(
    0,
    regionCount,
  );
  const client = (region: string) => new LambdaClient({ region, endpoint: env.AWS_ENDPOINT_URL_LAMBDA, credentials });
  const target: Record<string, string> = {};
  const seed = async (prefix: string) => {
    for (const region of regions) {
      const lambda = client(region);
      const publish = async (semver: string) =>
        String(
          (
            await lambda.send(
              new PublishLayerVersionCommand({
                LayerName: `bench-${prefix}`,
                Content: { ZipFile: craftZip([{ name: 'python/b.py', data: semver }]) },
                Description: `bench ${formatMarker({ version: semver })}`,
              }),
            )
          ).LayerVersionArn,
        );
      const from = await publish('1.0.0');
      target[region] = await publish('1.1.0');
      const functions = Array.from({ length: perRegion }, (_, i) => ({
        name: `${prefix}-${i}`,
        layers: [from],
        tags: { [`lambda-layer-release:bench-${prefix}`]: '1' },
      }));
      const seeded = await fetch(`${emulator.url}/__emulator/aws/lambda/functions`, {
        method: 'POST',
        body: JSON.stringify({ region, functions }),
      });
      if (!seeded.ok) throw new Error(`seeding failed: ${seeded.status} ${await seeded.text()}`);
      lambda.destroy();
    }
  };
  const lambdaRequests = () => emulator.server.log.filter((e) => e.service === 'lambda').length;
  const measure = async (fn: () => Promise<void>) => {
    const requests = lambdaRequests();
    const start = performance.now();
    await fn();
    return { ms: performance.now() - start, requests: lambdaRequests() - requests };
  };
  try {
    const total = regions.length * perRegion;
    process.stdout.write(
      `bench rollout: ${total} functions in ${regions.length} regions, an update settles after ${updateMs} ms\n`,
    );
    const results: [string, { ms: number; requests: number }][] = [];
    for (const maxParallel of [4, 1]) {
      const prefix = maxParallel === 4 ? 'ours' : 'serial';
      await seed(prefix);
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_LAMBDA: env.AWS_ENDPOINT_URL_LAMBDA,
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      const clients = new AwsClients({ credentials: async () => credentials });
      const m = await measure(async () => {
        const done = await rollout(
          { name: `bench-${prefix}`, regions, functions: { kind: 'tagged' }, maxParallel, dryRun: false },
          {
            lambdaFor: (r) => clients.lambda(r),
            sleep: (ms) => sleep(ms),
            now: () => Date.now(),
            logger: { info: () => undefined, warning: () => undefined },
          },
        );
        const updated = done.outcomes.filter((o) => o.status === 'updated').length;
        if (updated !== total) throw new Error(`max-parallel ${maxParallel}: ${updated} of ${total} updated`);
      });
      clients.destroy();
      results.push([`ours, max-parallel ${maxParallel}`, m]);
    }
    await seed('peer');
    const peer = await measure(async () => {
      for (const region of regions) {
        const lambda = client(region);
        for (let i = 0; i < perRegion; i++) {
          const name = `peer-${i}`;
          await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [target[region]] }));
          await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 300, minDelay: 1 }, { FunctionName: name });
        }
        lambda.destroy();
      }
    });
    results.push(['peer: update + wait function-updated-v2, one by one', peer]);
    for (const [label, m] of results) {
      const ratio = (peer.ms / m.ms).toFixed(1);
      process.stdout.write(
        `  ${label.padEnd(52)} ${(m.ms / 1000).toFixed(1).padStart(6)} s  ${String(m.requests).padStart(5)} requests  ${ratio}x\n`,
      );
    }
    const ours = results[0][1];
    const met = peer.ms / ours.ms >= GOAL_RATIO;
    process.stdout.write(`  goal (max-parallel 4 at least ${GOAL_RATIO}x the peer): ${met ? 'met' : 'NOT met'}\n`);
  } finally {
    await emulator.stop();
  }
}
