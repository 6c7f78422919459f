/**
 * Staging's promises through the bundle, against the emulator: a copy that fails falls back to an upload for that
 * region; `s3-bucket: auto` creates a private, encrypted bucket per region once (and twice at once); two publishes
 * staging the same object at once both succeed (one's clean-up may delete the other's object); a publish cancelled
 * mid-upload leaves nothing a rerun trips on, and cancelled as a runner cancels (SIGINT) it aborts its multipart
 * upload first; and S3 and Lambda failing one request in five at the shipped defaults,
 * in-process with an injected clock.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { DUMMY_ENV, makeZip } from '../__fixtures__/emulator-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { publishStep, type StepTiming } from '../src/action/publish.js';
import { parsePublishSettings } from '../src/settings/publish.js';

const MiB = 1024 * 1024;
const ACCOUNT = '123456789012';
let emu: RunningEmulator;
let ws: string;

function s3(region: string): S3Client {
  const credentials = { accessKeyId: DUMMY_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_ENV.AWS_SECRET_ACCESS_KEY };
  return new S3Client({ region, endpoint: emu.url, credentials, maxAttempts: 1 });
}

async function createBucket(region: string, bucket: string): Promise<void> {
  const where = region === 'us-east-1' ? {} : { LocationConstraint: region as BucketLocationConstraint };
  await s3(region).send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: where }));
}

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-copies-'));
  await writeFile(path.join(ws, 'mid.zip'), makeZip({ 'python/mid.bin': randomBytes(20 * MiB) }));
  await writeFile(path.join(ws, 'small.zip'), makeZip({ 'python/small.bin': randomBytes(64 * 1024) }));
  for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1', 'us-west-2']) {
    await createBucket(region, `llr-copy-${region}`);
  }
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

function publish(
  inputs: Record<string, string>,
  options: { signal?: AbortSignal; killSignal?: NodeJS.Signals; env?: Record<string, string> } = {},
): Promise<ActionRun> {
  const { signal, killSignal } = options;
  return runAction(
    'publish',
    { zip: 'mid.zip', version: '1.0.0', 's3-bucket': 'llr-copy-{region}', ...inputs },
    { ...emu.env, GITHUB_EVENT_NAME: 'push', ...options.env },
    { cwd: ws, timeoutMs: 180_000, ...(signal ? { signal } : {}), ...(killSignal ? { killSignal } : {}) },
  );
}

/** Publishes with a latency that keeps the zip's upload in flight, and cancels the run at its first UploadPart. */
async function cancelledAtFirstPart(
  inputs: Record<string, string>,
  killSignal: NodeJS.Signals,
): Promise<{ run: ActionRun; key: string }> {
  const before = emu.server.log.length;
  emu.server.latencyMs = 150;
  const abort = new AbortController();
  const watcher = setInterval(() => {
    if (s3Requests(before, 'UploadPart').length > 0) abort.abort();
  }, 20);
  try {
    const run = await publish(inputs, { signal: abort.signal, killSignal });
    const part = s3Requests(before, 'UploadPart')[0];
    return { run, key: part.path.split('/').slice(2).join('/') };
  } finally {
    clearInterval(watcher);
    emu.server.latencyMs = 0;
  }
}

async function unfinishedUploads(bucket: string, key: string): Promise<number> {
  const listed = await s3('us-east-1').send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: key }));
  return listed.Uploads?.length ?? 0;
}

const s3Requests = (from: number, operation: string) =>
  emu.server.log.slice(from).filter((e) => e.service === 's3' && e.operation === operation);

describe('staging on the emulator', () => {
  test('a copy S3 refuses falls back to an upload for that region alone', async () => {
    emu.aws.s3.maxCopyBytes = 1024;
    try {
      const before = emu.server.log.length;
      const run = await publish({ name: 'fallback', regions: 'us-east-1 eu-west-1' });
      expect([run.code, run.errors]).toEqual([0, []]);
      expect(run.stdout).toContain('eu-west-1: S3 could not copy the zip from us-east-1');
      expect(run.stdout).toMatch(/zip from s3:\/\/llr-copy-eu-west-1\/\S+ \(uploaded\)/);
      expect(s3Requests(before, 'CopyObject').length).toBeGreaterThan(0);
      expect(s3Requests(before, 'CompleteMultipartUpload')).toHaveLength(2);
    } finally {
      emu.aws.s3.maxCopyBytes = 5 * 1024 ** 3;
    }
  }, 120_000);

  test("s3-bucket: auto creates each region's bucket once: private, encrypted, expiring; the next release reuses it", async () => {
    const regions = ['eu-central-1', 'sa-east-1'];
    const before = emu.server.log.length;
    const run = await publish({ name: 'auto', zip: 'small.zip', regions: regions.join(' '), 's3-bucket': 'auto' });
    expect([run.code, run.errors]).toEqual([0, []]);
    for (const region of regions) {
      const bucket = `lambda-layer-release-${ACCOUNT}-${region}`;
      expect(run.stdout).toContain(`${region}: created bucket ${bucket} (private, encrypted`);
      const client = s3(region);
      const block = await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
      expect(Object.values(block.PublicAccessBlockConfiguration ?? {})).toEqual([true, true, true, true]);
      const encryption = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault).toEqual({
        SSEAlgorithm: 'AES256',
      });
      const lifecycle = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
      expect(lifecycle.Rules?.[0]).toMatchObject({
        Status: 'Enabled',
        Filter: { Prefix: 'lambda-layers/' },
        Expiration: { Days: 1 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      });
    }
    expect(s3Requests(before, 'CreateBucket')).toHaveLength(2);
    const next = emu.server.log.length;
    const again = await publish({
      name: 'auto',
      zip: 'small.zip',
      regions: regions.join(' '),
      's3-bucket': 'auto',
      version: '1.0.1',
    });
    expect([again.code, again.errors]).toEqual([0, []]);
    expect(s3Requests(next, 'CreateBucket')).toEqual([]);
    expect(again.stdout).not.toContain('created bucket');
  }, 120_000);

  test('s3-bucket: auto from two runs at once: both create, both publish', async () => {
    const inputs = { name: 'auto-twice', zip: 'small.zip', regions: 'ca-central-1 eu-north-1', 's3-bucket': 'auto' };
    emu.server.latencyMs = 50;
    try {
      // Two workflow runs: each its own job, so each its own leg record.
      const [a, b] = await Promise.all([
        publish(inputs, { env: { GITHUB_JOB: 'run-a' } }),
        publish(inputs, { env: { GITHUB_JOB: 'run-b' } }),
      ]);
      expect([a.code, a.errors, b.code, b.errors]).toEqual([0, [], 0, []]);
      expect(JSON.parse(a.outputs.arns)).toEqual(JSON.parse(b.outputs.arns));
    } finally {
      emu.server.latencyMs = 0;
    }
  }, 120_000);

  test("two publishes staging the same object at once: both succeed, though one's clean-up deletes what the other staged", async () => {
    const inputs = { name: 'twice', regions: 'us-east-1 eu-west-1 ap-south-1' };
    emu.server.latencyMs = 30;
    try {
      // Two workflow runs: each its own job, so each its own leg record.
      const [a, b] = await Promise.all([
        publish(inputs, { env: { GITHUB_JOB: 'run-a' } }),
        publish(inputs, { env: { GITHUB_JOB: 'run-b' } }),
      ]);
      expect([a.code, a.errors, b.code, b.errors]).toEqual([0, [], 0, []]);
      // One version per region, the one both report (converge.ts settles a double publish).
      expect(JSON.parse(a.outputs.versions)).toEqual(JSON.parse(b.outputs.versions));
    } finally {
      emu.server.latencyMs = 0;
    }
  }, 120_000);

  test("the staged object deleted before Lambda reads it (another run's clean-up): staged again, published", async () => {
    const before = emu.server.log.length;
    // Lambda answers late, so the object can go between staging and Lambda reading it.
    emu.server.latencyMs = 300;
    emu.server.latencyServices = ['lambda'];
    let deleted = false;
    const watcher = setInterval(() => {
      const sent = emu.server.log
        .slice(before)
        .find((e) => e.service === 'lambda' && e.method === 'POST' && e.path.endsWith('/versions'));
      if (sent && !deleted) {
        deleted = true;
        emu.aws.s3.bucket('llr-copy-us-west-2', 'us-west-2')!.objects.clear();
      }
    }, 10);
    try {
      const run = await publish({ name: 'vanished', zip: 'small.zip', regions: 'us-west-2' });
      expect([run.code, run.errors]).toEqual([0, []]);
      expect(deleted).toBe(true);
      expect(run.stdout).toContain('us-west-2: the staged zip was gone when Lambda read it');
      expect(JSON.parse(run.outputs.versions)).toEqual({ 'us-west-2': 1 });
    } finally {
      clearInterval(watcher);
      emu.server.latencyMs = 0;
      emu.server.latencyServices = undefined;
    }
  }, 120_000);

  test('cancelled mid-upload (the process killed): the rerun stages whole bytes and publishes', async () => {
    const inputs = { name: 'cancelled', regions: 'us-east-1 us-west-2' };
    const { run: killed, key } = await cancelledAtFirstPart(inputs, 'SIGKILL');
    expect(killed.code).toBeNull();
    // Nothing half-written is visible at the key: an unfinished multipart upload is no object. Killed, the process
    // could not abort it: its parts stay until a lifecycle rule (s3-bucket: auto sets one) removes them.
    const missing = await s3('us-east-1')
      .send(new HeadObjectCommand({ Bucket: 'llr-copy-us-east-1', Key: key }))
      .catch((e: Error) => e);
    expect((missing as Error).name).toBe('NotFound');
    expect(await unfinishedUploads('llr-copy-us-east-1', key)).toBe(1);
    const rerun = await publish(inputs);
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    expect(JSON.parse(rerun.outputs.versions)).toEqual({ 'us-east-1': 1, 'us-west-2': 1 });
  }, 120_000);

  test('cancelled mid-upload as a runner cancels (SIGINT): the multipart upload is aborted before the step exits', async () => {
    const inputs = { name: 'interrupted', regions: 'us-east-1 us-west-2' };
    const { run: cancelled, key } = await cancelledAtFirstPart(inputs, 'SIGINT');
    expect(cancelled.code).toBe(130);
    expect(cancelled.stdout).toContain(
      `Cancelled (SIGINT): abort the multipart upload to s3://llr-copy-us-east-1/${key}: done.`,
    );
    expect(await unfinishedUploads('llr-copy-us-east-1', key)).toBe(0);
    const rerun = await publish(inputs);
    expect([rerun.code, rerun.errors]).toEqual([0, []]);
    expect(JSON.parse(rerun.outputs.versions)).toEqual({ 'us-east-1': 1, 'us-west-2': 1 });
  }, 120_000);
});

describe('S3 and Lambda failing one request in five, shipped defaults, injected clock', () => {
  const saved = { ...process.env };
  afterAll(() => {
    jest.restoreAllMocks();
    process.env = saved;
  });

  test('4 regions staged through S3, 5 seeded runs: every region published, the zip whole', async () => {
    for (const key of Object.keys(process.env))
      if (/^(AWS_|GITHUB_|INPUT_|ACTIONS_)/.test(key)) delete process.env[key];
    Object.assign(process.env, DUMMY_ENV, {
      AWS_ENDPOINT_URL: emu.url,
      AWS_ENDPOINT_URL_LAMBDA: emu.url,
      AWS_ENDPOINT_URL_S3: emu.url,
      AWS_ENDPOINT_URL_STS: emu.url,
      AWS_REGION: 'us-east-1',
      GITHUB_WORKSPACE: ws,
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const regions = ['us-east-1', 'eu-west-1', 'ap-south-1', 'us-west-2'];
    try {
      for (let run = 1; run <= 5; run++) {
        await fetch(`${emu.url}/__emulator/config`, {
          method: 'POST',
          body: JSON.stringify({
            faults: { rate: 0.2, kinds: ['429', '500', 'reset'], services: ['s3', 'lambda'], seed: `staging-${run}` },
          }),
        });
        let offset = 0;
        const clock: StepTiming = { now: () => Date.now() + offset, sleep: async (ms) => void (offset += ms) };
        const settings = parsePublishSettings({
          name: `chaos-staged-${run}`,
          zip: 'mid.zip',
          version: '1.0.0',
          regions: regions.join(' '),
          's3-bucket': 'llr-copy-{region}',
        });
        const result = await publishStep(process.env, undefined, settings, clock);
        const failed = result.outcomes.filter((o) => o.status === 'failed').map((o) => `${o.region}: ${o.error}`);
        expect(failed).toEqual([]);
        expect(result.outcomes.map((o) => o.status)).toEqual(regions.map(() => 'published'));
      }
    } finally {
      await fetch(`${emu.url}/__emulator/config`, { method: 'POST', body: JSON.stringify({ faults: { rate: 0 } }) });
    }
  }, 300_000);
});
