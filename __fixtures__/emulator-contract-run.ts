import {
  AddLayerVersionPermissionCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  type Architecture,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { PUBLISH_CASES, SHA, ZIP, type Backend, type Outcome, type Setup } from './emulator-contract.js';
import { RULE_CASES, permissionsExpectation } from './emulator-contract-rules.js';
import { DUMMY_ENV, awsCli, makeZip, tempDir } from './emulator-support.js';

/**
 * Where moto 5.2 answers differently from AWS, by case name. The only place moto's behaviour is written down;
 * every other case must hold for moto exactly as for AWS.
 */
export const MOTO_DIFFERENCES: Record<string, Outcome> = {
  // Description is left out when not sent (AWS: ""); LicenseInfo is kept when sent.
  'publish: CodeSha256 is base64(sha256(zip)), Description "" is present, LicenseInfo is kept': {
    value: { CodeSha256: SHA, CodeSize: ZIP.length, LicenseInfo: 'MIT', CompatibleRuntimes: ['python3.12'] },
  },
  // Description is left out, and LicenseInfo is "" when it was not sent (AWS leaves it out).
  'members not sent are left out, but Description is always there': { value: { LicenseInfo: '' } },
  // GetLayerVersionByArn answers 200 with an empty body.
  'get-layer-version and get-layer-version-by-arn return what publish returned': {
    value: { byName: true, byArn: false },
  },
  // Content.Location is "s3://", not a URL.
  'Content.Location is a URL that serves the zip': { value: false },
  // MaxItems is ignored: one page holds every version.
  'list-layer-versions: newest first, one request per page with --page-size 1': {
    value: { versions: [3, 2, 1], requests: 1 },
  },
  // CompatibleRuntime / CompatibleArchitecture filters are ignored.
  'list-layer-versions filters by runtime and by architecture': { value: { python: [2, 1], arm64: [2, 1] } },
  // 404 when the layer does not exist (a missing version of an existing layer is a 204, as on AWS).
  'deleting a version that does not exist succeeds': { error: 'ResourceNotFoundException' },
  // The principal is stored as sent, and OrganizationId as a member of the statement instead of a Condition.
  'permissions: an account and an organization, then the policy': {
    value: permissionsExpectation('111122223333', { OrganizationId: 'o-abcdefghij1' }),
  },
  'a duplicate statement id is 409 ResourceConflictException': { value: 'ok' },
  'a stale RevisionId is 412 PreconditionFailedException': { value: 'ok' },
  'an unknown runtime is refused': { value: 'ok' },
  'an invalid layer name is refused': { value: 'ok' },
  'a request over 69,905,067 bytes is 413 RequestEntityTooLargeException': { value: 'ok' },
  // Every region answers.
  'a region the account has not enabled answers UnrecognizedClientException': { value: 'ok' },
  // S3 sources are read whatever the bucket's region.
  'a bucket in another region is refused': { value: 'ok' },
};

function expected(name: string, aws: Outcome, backend: Backend): Outcome {
  return backend === 'moto' && name in MOTO_DIFFERENCES ? MOTO_DIFFERENCES[name] : aws;
}

const CASES = [...PUBLISH_CASES, ...RULE_CASES];

/** 52.5 MB stored: its base64 alone is over Lambda's request limit. */
const BIG_ENTRY_BYTES = 52_500_000;

/** The setup steps of the cases, through the real SDK (any backend: endpoint, dummy keys, path-style S3). */
function sdkSetup(endpoint: string): Setup {
  const config = (region: string) => ({
    region,
    endpoint,
    credentials: { accessKeyId: DUMMY_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: DUMMY_ENV.AWS_SECRET_ACCESS_KEY },
  });
  return {
    async publish(region, name, runtimes, architectures) {
      await new LambdaClient(config(region)).send(
        new PublishLayerVersionCommand({
          LayerName: name,
          Content: { ZipFile: ZIP },
          CompatibleRuntimes: runtimes as Runtime[] | undefined,
          CompatibleArchitectures: architectures as Architecture[] | undefined,
        }),
      );
    },
    async permit(region, name, version, statementId) {
      await new LambdaClient(config(region)).send(
        new AddLayerVersionPermissionCommand({
          LayerName: name,
          VersionNumber: version,
          StatementId: statementId,
          Action: 'lambda:GetLayerVersion',
          Principal: '*',
        }),
      );
    },
    async stage(bucketRegion, bucket, key) {
      const s3 = new S3Client({ ...config(bucketRegion), forcePathStyle: true });
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          CreateBucketConfiguration: { LocationConstraint: bucketRegion as BucketLocationConstraint },
        }),
      );
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: ZIP }));
    },
  };
}

/**
 * Declares the contract suite for one backend. All cases run in beforeAll through a pool (the CLI calls share two
 * long-lived CLI processes: see awsCli), then each case is its own test.
 */
export function describeLambdaContract(
  backend: Backend,
  skipReason: string | undefined,
  start: () => Promise<{ url: string; stop(): Promise<void> }>,
  cli: { major: string; path: string } = { major: 'v1', path: 'aws' },
): void {
  describe(`Lambda layers contract through the AWS CLI ${cli.major}: ${backend}`, () => {
    if (skipReason) {
      process.stdout.write(`[skipped] Lambda contract on ${backend}: ${skipReason}\n`);
      test.skip(`skipped: ${skipReason}`, () => undefined);
      return;
    }
    let stop: (() => Promise<void>) | undefined;
    const outcomes = new Map<string, Outcome>();

    beforeAll(async () => {
      const backendServer = await start();
      const dir = await tempDir('llr-contract-');
      const cliProcesses = await awsCli(backendServer.url, dir, cli.path);
      stop = async () => {
        await cliProcesses.close();
        await backendServer.stop();
        await rm(dir, { recursive: true, force: true });
      };
      const zipPath = path.join(dir, 'layer.zip');
      const bigZipPath = path.join(dir, 'big.zip');
      await writeFile(zipPath, ZIP);
      await writeFile(bigZipPath, makeZip({ 'big.bin': Buffer.alloc(BIG_ENTRY_BYTES) }));
      const env = {
        cli: cliProcesses,
        setup: sdkSetup(backendServer.url),
        zipPath,
        bigZipPath,
      };
      const limit = pLimit(4);
      await Promise.all(
        CASES.map((c) =>
          limit(async () =>
            outcomes.set(c.name, await c.run(env).catch((err: Error) => ({ error: `threw: ${err.message}` }))),
          ),
        ),
      );
    }, 180_000);

    afterAll(async () => {
      await stop?.();
    });

    test.each(CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
      expect(outcomes.get(name)).toEqual(expected(name, c.aws, backend));
    });
  });
}
