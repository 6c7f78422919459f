/**
 * s3-bucket staging through the bundle as a runner runs it: a 60 MB zip (above the inline limit) to three regions
 * through a bucket per region against the emulator, with the process's peak RSS checked; reruns that find the
 * object; the wrong-region and missing buckets; the input rules; and moto (Lambda + S3) where it is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CreateBucketCommand, HeadObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import type { TrafficReport } from '../emulators/traffic.js';
import { control, DUMMY_ENV, makeZip, describeOnMoto } from '../__fixtures__/emulator-support.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const MiB = 1024 * 1024;
let emu: RunningEmulator;
let ws: string;
let bigSha: string;
let bigSize: number;
let bigCodeSha: string;

function s3(endpoint: string, region: string): S3Client {
  const credentials = { accessKeyId: DUMMY_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_ENV.AWS_SECRET_ACCESS_KEY };
  return new S3Client({ region, endpoint, credentials, maxAttempts: 2 });
}

async function createBucket(endpoint: string, region: string, bucket: string): Promise<void> {
  await s3(endpoint, region).send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as 'eu-west-1' } }),
    }),
  );
}

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-staging-'));
  // Incompressible, so the zip is as big as its content: above the 69,905,067-byte inline request.
  const big = makeZip({ 'python/blob.bin': randomBytes(60 * MiB) });
  bigSha = createHash('sha256').update(big).digest('hex');
  bigSize = big.length;
  bigCodeSha = createHash('sha256').update(big).digest('base64');
  await writeFile(path.join(ws, 'big.zip'), big);
  await writeFile(path.join(ws, 'small.zip'), makeZip({ 'python/small.py': 'x = 1\n' }));
  for (const region of REGIONS) await createBucket(emu.url, region, `llr-stage-${region}`);
  await createBucket(emu.url, 'eu-west-1', 'llr-one-bucket');
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

function publish(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(
    'publish',
    {
      name: 'big',
      zip: 'big.zip',
      version: '1.0.0',
      regions: REGIONS.join(' '),
      's3-bucket': 'llr-stage-{region}',
      ...inputs,
    },
    { ...emu.env, GITHUB_EVENT_NAME: 'push', ...env },
    { cwd: ws, timeoutMs: 180_000 },
  );
}

const peakRss = (run: ActionRun) => Number(/::debug::Peak RSS: (\d+) MiB/.exec(run.stdout)?.[1]);
const objectPuts = (from: number) =>
  emu.server.log.slice(from).filter((e) => e.service === 's3' && e.method === 'PUT' && e.path.split('/').length > 3);

describe('s3-bucket on the emulator', () => {
  const key = () => `lambda-layers/big/${bigSha}.zip`;

  test('a 60 MB zip to three regions through their buckets, streamed: one copy of the zip in memory, not one per region', async () => {
    const small = await publish({ name: 'baseline', zip: 'small.zip', regions: 'eu-west-1' });
    expect([small.code, small.errors]).toEqual([0, []]);
    const oneRegion = await publish({ name: 'big-one-region', regions: 'eu-west-1' });
    expect([oneRegion.code, oneRegion.errors]).toEqual([0, []]);
    await control(emu.url, 'DELETE', 'traffic');
    const run = await publish({ 's3-keep': 'true' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs.versions)).toEqual({ 'us-east-1': 1, 'eu-west-1': 1, 'ap-southeast-2': 1 });
    // The runner's uplink carries the zip once: uploaded to the first region's bucket, copied by S3 to the others.
    expect(run.stdout).toContain(`zip from s3://llr-stage-us-east-1/${key()} (uploaded)`);
    for (const region of REGIONS.slice(1)) {
      expect(run.stdout).toContain(`✓ ${region} published version 1`);
      expect(run.stdout).toContain(`zip from s3://llr-stage-${region}/${key()} (copied from us-east-1)`);
      const head = await s3(emu.url, region).send(
        new HeadObjectCommand({ Bucket: `llr-stage-${region}`, Key: key(), ChecksumMode: 'ENABLED' }),
      );
      expect([head.ContentLength, head.ChecksumSHA256]).toEqual([bigSize, bigCodeSha]);
    }
    const sent = ((await control(emu.url, 'GET', 'traffic')) as TrafficReport).services.s3;
    expect(sent.bytesIn).toBeGreaterThanOrEqual(bigSize);
    expect(sent.bytesIn).toBeLessThan(bigSize * 1.02);
    expect(Object.keys(sent.operations)).toEqual(
      expect.arrayContaining(['CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'CopyObject']),
    );
    expect(sent.operations.PutObject).toBeUndefined();
    // The zip is read (and verified) once; every upload streams 1 MiB slices of that one Buffer. What the process
    // holds besides the zip depends on the Node version (peak RSS small zip / 60 MB to one region / to three: 104 /
    // 181 / 182 MiB on Node 20, 119 / 213 / 216 on Node 24), so each bound compares two runs that differ only in what
    // it checks. The measure sees the zip: one region peaks more than half a zip over the small-zip run ...
    const zipMiB = bigSize / MiB;
    expect(peakRss(oneRegion) - peakRss(small)).toBeGreaterThan(zipMiB / 2);
    // ... and two more regions add less than half a zip, where a copy each would add two zips.
    expect(peakRss(run) - peakRss(oneRegion)).toBeLessThan(zipMiB / 2);
  }, 180_000);

  test('publishing again finds the objects (checksum and size), uploads and copies nothing, then deletes them', async () => {
    const before = emu.server.log.length;
    const run = await publish({ 'skip-unchanged': 'false' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs.versions)).toEqual({ 'us-east-1': 2, 'eu-west-1': 2, 'ap-southeast-2': 2 });
    for (const region of REGIONS) {
      expect(run.stdout).toContain(`zip from s3://llr-stage-${region}/${key()} (already there)`);
    }
    expect(objectPuts(before)).toEqual([]);
    // No region failed and s3-keep is off: the staged zips are gone, and no unfinished upload is left.
    expect(run.stdout).toContain('Deleted the staged zip from 3 bucket(s).');
    for (const region of REGIONS) {
      const client = s3(emu.url, region);
      const gone = await client
        .send(new HeadObjectCommand({ Bucket: `llr-stage-${region}`, Key: key() }))
        .catch((e: Error) => e);
      expect((gone as Error).name).toBe('NotFound');
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: `llr-stage-${region}` }));
      expect(uploads.Uploads ?? []).toEqual([]);
    }
  }, 180_000);

  test('a small zip is staged too when s3-bucket is given; s3-prefix gets its slash', async () => {
    const run = await publish({ name: 'small', zip: 'small.zip', regions: 'eu-west-1', 's3-prefix': 'layers' });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.stdout).toMatch(/zip from s3:\/\/llr-stage-eu-west-1\/layers\/small\/[0-9a-f]{64}\.zip \(uploaded\)/);
  });

  test('S3 failing half the time (500s and resets): the SDK retries stream the body again; bytes arrive whole', async () => {
    // Fixed bytes, so the key (with its sha256), and so the seeded faults, are the same on every run.
    await writeFile(path.join(ws, 'flaky.zip'), makeZip({ 'python/flaky.bin': Buffer.alloc(3 * MiB, 'flaky') }));
    await fetch(`${emu.url}/__emulator/config`, {
      method: 'POST',
      body: JSON.stringify({ faults: { rate: 0.5, kinds: ['500', 'reset'], services: ['s3'], seed: 's1' } }),
    });
    try {
      const run = await publish({ name: 'flaky', zip: 'flaky.zip' }, { AWS_MAX_ATTEMPTS: '8' });
      expect([run.code, run.errors]).toEqual([0, []]);
      expect(JSON.parse(run.outputs['failed-regions'])).toEqual([]);
      expect(run.stdout).toMatch(/zip from s3:\/\/llr-stage-us-east-1\/\S+ \(uploaded\)/);
      const faulted = emu.server.log.filter((e) => e.service === 's3' && e.fault && e.method === 'PUT');
      expect(faulted.length).toBeGreaterThan(0);
    } finally {
      await fetch(`${emu.url}/__emulator/config`, {
        method: 'POST',
        body: JSON.stringify({ faults: { rate: 0, services: [] } }),
      });
    }
  }, 120_000);

  test('a bucket in another region: the region fails and says where the bucket is', async () => {
    const run = await publish({ name: 'small', zip: 'small.zip', regions: 'us-east-2', 's3-bucket': 'llr-one-bucket' });
    expect(run.code).toBe(1);
    expect(run.errors[0]).toMatch(
      /^us-east-2: s3-bucket: bucket 'llr-one-bucket' is in eu-west-1, not us-east-2; Lambda reads a layer's zip only from a bucket in the layer's own region/,
    );
  });

  test('a missing bucket: the region fails and says to create it', async () => {
    const run = await publish({
      name: 'small',
      zip: 'small.zip',
      regions: 'us-west-2 eu-west-1',
      'skip-unchanged': 'false',
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.outputs['failed-regions'])).toEqual(['us-west-2']);
    expect(run.errors[0]).toBe(
      "us-west-2: s3-bucket: bucket 'llr-stage-us-west-2' does not exist; create it in us-west-2, or set 's3-bucket: auto' to have a private bucket per region created for you",
    );
    // The first region's bucket is missing, so there is nothing to copy from: eu-west-1 gets its own upload.
    expect(run.stdout).toMatch(/zip from s3:\/\/llr-stage-eu-west-1\/\S+ \(uploaded\)/);
  });

  test.each([
    [
      'one bucket for several regions',
      { 's3-bucket': 'my-layers' },
      /^Input 's3-bucket' names one bucket, 'my-layers', for several regions/,
    ],
    ['one bucket for all', { 's3-bucket': 'my-layers', regions: 'all' }, /^Input 's3-bucket' names one bucket/],
    [
      'an invalid bucket name',
      { 's3-bucket': 'My_Layers-{region}' },
      /^Input 's3-bucket' gives 'My_Layers-us-east-1' for us-east-1, which is not a valid bucket name/,
    ],
    [
      'a name too long for a region',
      { 's3-bucket': `${'x'.repeat(50)}-{region}` },
      /^Input 's3-bucket' gives '.*-ap-southeast-2' for ap-southeast-2/,
    ],
    [
      'an absolute prefix',
      { 's3-prefix': '/layers/' },
      /^Input 's3-prefix' must be a key prefix such as 'lambda-layers\/'/,
    ],
  ])('%s: refused before any request', async (_label, inputs, message) => {
    const before = emu.server.log.length;
    const run = await publish(inputs);
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(message)]);
    expect(emu.server.log.slice(before)).toEqual([]);
  });
});

describeOnMoto('s3-bucket on moto (Lambda + S3)', (moto) => {
  test('a 3 MB zip through a bucket per region: uploaded to the first, copied by S3 to the second; twice', async () => {
    const regions = ['us-east-1', 'eu-central-1'];
    for (const region of regions) await createBucket(moto().url, region, `llr-moto-${region}`);
    await writeFile(path.join(ws, 'mid.zip'), makeZip({ 'python/mid.bin': randomBytes(3 * MiB) }));
    const env = { AWS_ENDPOINT_URL_LAMBDA: moto().url, AWS_ENDPOINT_URL_S3: moto().url };
    const inputs = { name: 'mid', zip: 'mid.zip', regions: regions.join(' '), 's3-bucket': 'llr-moto-{region}' };
    const run = await publish(inputs, env);
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs.versions)).toEqual({ 'us-east-1': 1, 'eu-central-1': 1 });
    expect(run.stdout).toContain('(copied from us-east-1)');
    // moto answers no checksum for a single PUT, so the object cannot be recognised: it is staged again.
    const again = await publish({ ...inputs, 'skip-unchanged': 'false' }, env);
    expect([again.code, again.errors]).toEqual([0, []]);
    expect(JSON.parse(again.outputs.versions)).toEqual({ 'us-east-1': 2, 'eu-central-1': 2 });
  }, 120_000);
});
