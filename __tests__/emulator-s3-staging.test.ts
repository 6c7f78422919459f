/**
 * The S3 calls layer staging makes, through SDK v3 over HTTP, against the emulator and (the same assertions) against
 * moto: a staging bucket set up as `s3-bucket: auto` sets it up (ownership, encryption, public access block,
 * lifecycle), a checksummed multipart upload, HeadObject with ChecksumMode, CopyObject from a bucket of another
 * region, ListObjectsV2 and DeleteObjects, and S3's refusals (a damaged part, a small part, a missing upload).
 * The emulator alone: its traffic counters (bytes received and sent per operation).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  UploadPartCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomBytes } from 'node:crypto';
import { startEmulator } from '../emulators/index.js';
import type { TrafficReport } from '../emulators/traffic.js';
import { control, DUMMY_ENV, describeOnMoto, type Moto } from '../__fixtures__/emulator-support.js';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');

function client(endpoint: string, region: string): S3Client {
  const credentials = { accessKeyId: DUMMY_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_ENV.AWS_SECRET_ACCESS_KEY };
  return new S3Client({ region, endpoint, credentials, forcePathStyle: true, maxAttempts: 1 });
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

async function createStagingBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ObjectOwnership: 'BucketOwnerEnforced',
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    }),
  );
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: {
        Rules: [
          {
            ID: 'expire-staged-layers',
            Status: 'Enabled',
            Filter: { Prefix: 'lambda-layers/' },
            Expiration: { Days: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    }),
  );
}

/**
 * What both backends must agree on. `strict: false` (moto 5.2) leaves out what moto does not model: it answers no
 * checksum for a single PUT or an UploadPart, gives a multipart object a checksum that is not S3's composite one,
 * stores a PUT whose checksum does not match its body, and answers 500 for a part sent to an aborted upload.
 */
function contract(name: string, endpoint: () => string, { strict }: { strict: boolean }): void {
  const checksums = strict;
  const source = `llr-${name}-eu-west-1`;
  const target = `llr-${name}-us-west-2`;
  const eu = () => client(endpoint(), 'eu-west-1');
  const us = () => client(endpoint(), 'us-west-2');
  const part1 = randomBytes(5 * MiB);
  const part2 = randomBytes(1024);
  const whole = Buffer.concat([part1, part2]);
  const key = 'lambda-layers/big/abc.zip';

  test('a staging bucket: created with ownership, public access block, encryption, lifecycle; a second create is BucketAlreadyOwnedByYou', async () => {
    await createStagingBucket(eu(), source, 'eu-west-1');
    await createStagingBucket(us(), target, 'us-west-2');
    const again = await errorOf(
      eu().send(
        new CreateBucketCommand({ Bucket: source, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
      ),
    );
    expect(again).toEqual({ name: 'BucketAlreadyOwnedByYou', status: 409 });
    const encryption = await eu().send(new GetBucketEncryptionCommand({ Bucket: source }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('AES256');
    const block = await eu().send(new GetPublicAccessBlockCommand({ Bucket: source }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const ownership = await eu().send(new GetBucketOwnershipControlsCommand({ Bucket: source }));
    expect(ownership.OwnershipControls?.Rules?.[0].ObjectOwnership).toBe('BucketOwnerEnforced');
    const lifecycle = await eu().send(new GetBucketLifecycleConfigurationCommand({ Bucket: source }));
    expect(lifecycle.Rules?.[0]).toMatchObject({
      ID: 'expire-staged-layers',
      Status: 'Enabled',
      Expiration: { Days: 1 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
  });

  test('a SHA-256 multipart upload: composite checksum -2, multipart ETag; HeadObject with ChecksumMode shows it', async () => {
    const created = await eu().send(
      new CreateMultipartUploadCommand({
        Bucket: source,
        Key: key,
        ChecksumAlgorithm: 'SHA256',
        ContentType: 'application/zip',
      }),
    );
    const parts = [];
    for (const [i, body] of [part1, part2].entries()) {
      const answer = await eu().send(
        new UploadPartCommand({
          Bucket: source,
          Key: key,
          UploadId: created.UploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumSHA256: sha256(body),
        }),
      );
      if (checksums) expect(answer.ChecksumSHA256).toBe(sha256(body));
      parts.push({ PartNumber: i + 1, ETag: answer.ETag, ChecksumSHA256: sha256(body) });
    }
    const done = await eu().send(
      new CompleteMultipartUploadCommand({
        Bucket: source,
        Key: key,
        UploadId: created.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const composite = createHash('sha256')
      .update(Buffer.concat([part1, part2].map((p) => createHash('sha256').update(p).digest())))
      .digest('base64');
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-2"$/);
    if (checksums) expect(done.ChecksumSHA256).toBe(`${composite}-2`);
    const head = await eu().send(new HeadObjectCommand({ Bucket: source, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head.ContentLength).toBe(whole.length);
    if (checksums) expect(head.ChecksumSHA256).toBe(`${composite}-2`);
    expect(head.ContentType).toBe('application/zip');
  });

  test('CopyObject sent to us-west-2 from a eu-west-1 bucket: a full-object SHA-256 of the whole body', async () => {
    const copied = await us().send(
      new CopyObjectCommand({ Bucket: target, Key: key, CopySource: `${source}/${key}`, ChecksumAlgorithm: 'SHA256' }),
    );
    expect(copied.CopyObjectResult?.ChecksumSHA256).toBe(sha256(whole));
    const head = await us().send(new HeadObjectCommand({ Bucket: target, Key: key, ChecksumMode: 'ENABLED' }));
    expect(head.ContentLength).toBe(whole.length);
    expect(head.ChecksumSHA256).toBe(sha256(whole));
    const missing = await errorOf(
      us().send(new CopyObjectCommand({ Bucket: target, Key: 'x', CopySource: `${source}/lambda-layers/none.zip` })),
    );
    expect(missing).toEqual({ name: 'NoSuchKey', status: 404 });
  });

  const refusesDamage = checksums ? test : test.skip;
  refusesDamage(
    'PutObject with a wrong ChecksumSHA256 is refused and stores nothing; a missing key is 404 NotFound on HEAD',
    async () => {
      const body = Buffer.from('zip bytes');
      const refused = await errorOf(
        us().send(
          new PutObjectCommand({
            Bucket: target,
            Key: 'lambda-layers/bad.zip',
            Body: body,
            ChecksumSHA256: sha256(Buffer.from('other')),
          }),
        ),
      );
      expect(refused.status).toBe(400);
      const head = await errorOf(us().send(new HeadObjectCommand({ Bucket: target, Key: 'lambda-layers/bad.zip' })));
      expect(head).toEqual({ name: 'NotFound', status: 404 });
    },
  );

  test('a small part but the last is EntityTooSmall at complete; an aborted upload is gone from ListMultipartUploads', async () => {
    const created = await eu().send(
      new CreateMultipartUploadCommand({ Bucket: source, Key: 'lambda-layers/small.zip' }),
    );
    const parts = [];
    for (const n of [1, 2]) {
      const answer = await eu().send(
        new UploadPartCommand({
          Bucket: source,
          Key: 'lambda-layers/small.zip',
          UploadId: created.UploadId,
          PartNumber: n,
          Body: Buffer.alloc(10, n),
        }),
      );
      parts.push({ PartNumber: n, ETag: answer.ETag });
    }
    const small = await errorOf(
      eu().send(
        new CompleteMultipartUploadCommand({
          Bucket: source,
          Key: 'lambda-layers/small.zip',
          UploadId: created.UploadId,
          MultipartUpload: { Parts: parts },
        }),
      ),
    );
    expect(small).toEqual({ name: 'EntityTooSmall', status: 400 });
    const listed = await eu().send(new ListMultipartUploadsCommand({ Bucket: source, Prefix: 'lambda-layers/' }));
    expect(listed.Uploads?.map((u) => u.UploadId)).toContain(created.UploadId);
    await eu().send(
      new AbortMultipartUploadCommand({ Bucket: source, Key: 'lambda-layers/small.zip', UploadId: created.UploadId }),
    );
    const after = await eu().send(new ListMultipartUploadsCommand({ Bucket: source, Prefix: 'lambda-layers/' }));
    expect(after.Uploads ?? []).toEqual([]);
    if (!strict) return;
    const gone = await errorOf(
      eu().send(
        new UploadPartCommand({
          Bucket: source,
          Key: 'lambda-layers/small.zip',
          UploadId: created.UploadId,
          PartNumber: 3,
          Body: 'x',
        }),
      ),
    );
    expect(gone).toEqual({ name: 'NoSuchUpload', status: 404 });
  });

  test('@aws-sdk/lib-storage uploads 11 MiB in three parts; ListObjectsV2 finds it by prefix, DeleteObjects removes the prefix', async () => {
    const body = randomBytes(11 * MiB);
    const upload = new Upload({
      client: eu(),
      params: { Bucket: source, Key: 'lambda-layers/lib/lib.zip', Body: body, ChecksumAlgorithm: 'CRC32' },
      partSize: 5 * MiB,
      queueSize: 2,
    });
    await upload.done();
    const head = await eu().send(new HeadObjectCommand({ Bucket: source, Key: 'lambda-layers/lib/lib.zip' }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.ETag).toMatch(/-3"$/);
    const listed = await eu().send(new ListObjectsV2Command({ Bucket: source, Prefix: 'lambda-layers/' }));
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual([key, 'lambda-layers/lib/lib.zip']);
    expect(listed.KeyCount).toBe(2);
    const deleted = await eu().send(
      new DeleteObjectsCommand({ Bucket: source, Delete: { Objects: listed.Contents!.map((c) => ({ Key: c.Key })) } }),
    );
    expect(deleted.Deleted?.map((d) => d.Key).sort()).toEqual([key, 'lambda-layers/lib/lib.zip']);
    const empty = await eu().send(new ListObjectsV2Command({ Bucket: source, Prefix: 'lambda-layers/' }));
    expect(empty.KeyCount).toBe(0);
  });
}

describe('S3 staging calls against the emulator', () => {
  let url = '';
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const emu = await startEmulator();
    url = emu.url;
    stop = emu.stop;
  });
  afterAll(() => stop());
  contract('emu', () => url, { strict: true });

  test('the traffic route counts body bytes per operation: an upload in, a GET out; DELETE resets it', async () => {
    await control(url, 'DELETE', 'traffic');
    const s3 = client(url, 'us-west-2');
    const body = randomBytes(300_000);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'llr-emu-us-west-2',
        Key: 'counted.bin',
        Body: body,
        ChecksumSHA256: sha256(body),
      }),
    );
    await (
      await s3.send(new GetObjectCommand({ Bucket: 'llr-emu-us-west-2', Key: 'counted.bin' }))
    ).Body?.transformToByteArray();
    const report = (await control(url, 'GET', 'traffic')) as TrafficReport;
    const ops = report.services.s3.operations;
    expect(ops.PutObject).toMatchObject({ requests: 1 });
    expect(ops.PutObject.bytesIn).toBeGreaterThanOrEqual(body.length);
    expect(ops.PutObject.bytesIn).toBeLessThan(body.length + 4096);
    expect(ops.GetObject).toEqual({ requests: 1, bytesIn: 0, bytesOut: body.length });
    expect(report.total.bytesIn).toBe(ops.PutObject.bytesIn);
    await control(url, 'DELETE', 'traffic');
    expect(((await control(url, 'GET', 'traffic')) as TrafficReport).total).toEqual({
      requests: 0,
      bytesIn: 0,
      bytesOut: 0,
    });
  });
});

describeOnMoto('S3 staging calls against moto', (moto: () => Moto) => {
  contract('moto', () => moto().url, { strict: false });
});
