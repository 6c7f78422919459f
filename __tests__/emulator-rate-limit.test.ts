/**
 * `--rate-limit RPS`: Lambda's control plane as a token bucket per account and region, met by the real SDK. The
 * bucket's arithmetic runs on an injected clock; the HTTP cases use a limit low enough that a burst must overflow.
 */
import { LambdaClient, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { RateLimiter } from '../emulators/aws/lambda/rate-limit.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { control, useEnv } from '../__fixtures__/emulator-support.js';

describe('the token bucket', () => {
  test('RPS tokens at once, then one every 1/RPS s; a throttled request costs nothing; keys are separate', () => {
    let now = 0;
    const limiter = new RateLimiter(4, () => now);
    const takes = (key: string, n: number) => Array.from({ length: n }, () => limiter.take(key).ok);
    expect(takes('a', 6)).toEqual([true, true, true, true, false, false]);
    expect(takes('b', 1)).toEqual([true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 250;
    expect(takes('a', 2)).toEqual([true, false]);
    now += 10_000;
    expect(takes('a', 5)).toEqual([true, true, true, true, false]);
    limiter.configure(0);
    expect(takes('a', 50).every(Boolean)).toBe(true);
  });
});

describe('Lambda behind --rate-limit', () => {
  let emulator: RunningEmulator;
  let restoreEnv: () => void;

  beforeAll(async () => {
    emulator = await startEmulator({ aws: { rateLimit: 3 } });
    restoreEnv = useEnv(emulator.env);
  });
  afterEach(async () => {
    await control(emulator.url, 'POST', 'aws/config', { rateLimit: 3 });
  });
  afterAll(async () => {
    restoreEnv();
    await emulator.stop();
  });

  const list = (client: LambdaClient) =>
    client.send(new ListLayerVersionsCommand({ LayerName: 'rated' })).then(
      () => 'ok',
      (err: Error & { Reason?: string; retryAfterSeconds?: string; $metadata?: { httpStatusCode?: number } }) =>
        `${err.$metadata?.httpStatusCode} ${err.name} ${err.Reason} retry-after ${err.retryAfterSeconds}`,
    );
  const burst = (client: LambdaClient, n: number) => Promise.all(Array.from({ length: n }, () => list(client)));
  const count = (answers: string[]) =>
    answers.reduce<Record<string, number>>((c, a) => ({ ...c, [a]: (c[a] ?? 0) + 1 }), {});

  test('a burst over the limit: RPS answers, the rest 429 TooManyRequestsException as AWS spells it', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', maxAttempts: 1 });
    expect(count(await burst(client, 8))).toEqual({
      ok: 3,
      '429 TooManyRequestsException CallerRateLimitExceeded retry-after 1': 5,
    });
    // Another region and another account have buckets of their own.
    expect(count(await burst(new LambdaClient({ region: 'eu-west-2', maxAttempts: 1 }), 3))).toEqual({ ok: 3 });
    const other = new LambdaClient({
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: fromTemporaryCredentials({
        params: { RoleArn: 'arn:aws:iam::210987654321:role/rated', RoleSessionName: 'rate' },
        clientConfig: { region: 'us-east-1' },
      }),
    });
    expect(count(await burst(other, 3))).toEqual({ ok: 3 });
    const log = emulator.server.requests({ service: 'lambda', region: 'eu-west-1' });
    expect(log.filter((e) => e.status === 429)).toHaveLength(5);
  });

  test("the SDK's standard retries (3 attempts, Retry-After honoured) ride out a modest overflow", async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const client = new LambdaClient({ region: 'eu-west-3' });
    expect(count(await burst(client, 5))).toEqual({ ok: 5 });
  });

  test('the limit can be changed or lifted while the emulator runs', async () => {
    expect(await control(emulator.url, 'POST', 'aws/config', { rateLimit: 0 })).toMatchObject({ rateLimit: 0 });
    const client = new LambdaClient({ region: 'eu-central-1', maxAttempts: 1 });
    expect(count(await burst(client, 20))).toEqual({ ok: 20 });
    await expect(control(emulator.url, 'POST', 'aws/config', { rateLimit: -1 })).rejects.toThrow(/rateLimit/);
  });
});
