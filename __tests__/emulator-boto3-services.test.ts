/**
 * STS, EC2 DescribeRegions, SSM parameters and S3 (path-style) through boto3: one python process runs every call
 * (__fixtures__/emulator-boto3-services.py); each test checks one of its results.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { DEFAULT_REGIONS, OPT_IN_REGIONS } from '../emulators/aws/regions.js';
import { pythonWith, runPython } from '../__fixtures__/emulator-python.js';

type Result = { ok: unknown } | { error: { Code: string; Message: string; status: number } };
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../__fixtures__');
const python = pythonWith('boto3');
const OTHER = '210987654321';
let emulator: RunningEmulator;
let results: Record<string, Result>;

const error = (Code: string, status: number, Message: string | RegExp) => ({
  error: { Code, status, Message: typeof Message === 'string' ? Message : expect.stringMatching(Message) },
});
const ok = (value: unknown) => ({ ok: value });
const check = (cases: [string, unknown][]) =>
  test.each(cases)('%s', (name, expected) => {
    expect(results[name]).toEqual(expected);
  });

if (!python) {
  test.skip('boto3 is not installed for any python3 here', () => undefined);
} else {
  beforeAll(async () => {
    emulator = await startEmulator({ aws: { notEnabled: ['ap-east-1'], denied: ['eu-south-2'] } });
    const script = await readFile(path.join(FIXTURES, 'emulator-boto3-services.py'), 'utf8');
    results = await runPython(python, script, emulator.env);
  }, 120_000);
  afterAll(async () => emulator?.stop());

  describe('STS', () => {
    const assumed = `arn:aws:sts::${OTHER}:assumed-role/deployer/boto3-session`;
    check([
      [
        'caller',
        ok({ UserId: expect.any(String), Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/emulator' }),
      ],
      ['assumed user', ok(assumed)],
      ['expiration in 15 minutes', ok(15)],
      ['caller with assumed keys', ok([OTHER, assumed])],
      [
        'web identity',
        ok({
          SubjectFromWebIdentityToken: 'repo:octo-org/octo-layer:ref:refs/tags/v1.0.0',
          Audience: 'sts.amazonaws.com',
          Provider: 'https://token.actions.githubusercontent.com',
        }),
      ],
      [
        'STS in a region not enabled',
        error('InvalidClientTokenId', 403, 'The security token included in the request is invalid.'),
      ],
      ['web identity, not a JWT', error('InvalidIdentityToken', 400, /JWT/)],
      ['web identity, expired', error('ExpiredTokenException', 400, /^Token expired/)],
      [
        'duration out of range',
        error(
          'ValidationError',
          400,
          "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
        ),
      ],
    ]);
  });

  describe('EC2 DescribeRegions', () => {
    const all = Object.fromEntries([
      ...DEFAULT_REGIONS.map((r) => [r, 'opt-in-not-required']),
      ...OPT_IN_REGIONS.map((r) => [r, r === 'ap-east-1' ? 'not-opted-in' : 'opted-in']),
    ]);
    check([
      ['enabled regions', ok(35)],
      ['all regions', ok(all)],
      [
        'endpoint',
        ok([{ RegionName: 'eu-west-1', Endpoint: 'ec2.eu-west-1.amazonaws.com', OptInStatus: 'opt-in-not-required' }]),
      ],
      ['region names', ok(['eu-west-1', 'ap-south-1'])],
      ['opt-in-status filter', ok(['ap-east-1'])],
      ['region-name filter', ok(['eu-north-1'])],
      ['an unknown filter', error('InvalidParameterValue', 400, "The filter 'colour' is invalid")],
      [
        'a named region not enabled',
        ok([{ RegionName: 'ap-east-1', Endpoint: 'ec2.ap-east-1.amazonaws.com', OptInStatus: 'not-opted-in' }]),
      ],
      ['DryRun', error('DryRunOperation', 412, 'Request would have succeeded, but DryRun flag is set.')],
      ['an unknown region name', error('InvalidParameterValue', 400, 'Invalid region: xx-nowhere-1')],
      [
        'EC2 in a region not enabled',
        error('AuthFailure', 401, 'AWS was not able to validate the provided access credentials'),
      ],
    ]);
  });

  describe('SSM', () => {
    check([
      ['put', ok(1)],
      ['put again', error('ParameterAlreadyExists', 400, /set the overwrite option/)],
      ['overwrite', ok(2)],
      [
        'get',
        ok({
          Name: '/llr/demo/latest',
          Type: 'String',
          Value: 'arn:2',
          Version: 2,
          ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/llr/demo/latest',
          DataType: 'text',
        }),
      ],
      ['get missing', error('ParameterNotFound', 400, 'Parameter /llr/none not found.')],
      ['by path, one level', ok(8)],
      ['by path, recursive pages of 5', ok([5, 5, 2])],
      [
        'MaxResults 11',
        error(
          'ValidationException',
          400,
          /at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10$/,
        ),
      ],
      ['lambda regions', ok(36)],
      [
        'SSM in a denied region',
        error(
          'AccessDeniedException',
          400,
          'User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-south-2:123456789012:parameter/llr/x with an explicit deny in an identity-based policy',
        ),
      ],
    ]);
  });

  describe('S3, path-style', () => {
    check([
      ['create', ok(200)],
      ['create twice', error('BucketAlreadyOwnedByYou', 409, /already own it/)],
      // us-east-1 keeps S3's legacy answer: creating a bucket you own there again succeeds.
      ['create twice in us-east-1', ok([200, 200])],
      ['head', ok({ ContentLength: 9, ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/) })],
      // A HEAD error has no body: boto3 reports the status as the code.
      ['head a missing key', error('404', 404, 'Not Found')],
      ['head a missing bucket', error('404', 404, 'Not Found')],
      ['get a missing key', error('NoSuchKey', 404, 'The specified key does not exist.')],
      ['get from another region (boto3 follows the redirect)', ok('zip bytes')],
      ['bucket location', ok('eu-west-1')],
      ['checksum', ok('W3onVLOJEw4TjVe6g/Hq5/BaQcZr7Kz6LdIGAUOuZts=')],
      ['upload_fileobj', ok(10)],
      ['delete a bucket with objects', error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty')],
    ]);

    test('the cross-region GET was first answered 301 with the bucket’s region', () => {
      const gets = emulator.server
        .requests({ service: 's3', method: 'GET' })
        .filter((r) => r.path === '/llr-eu/layers/a.zip');
      expect(gets.map((r) => [r.region, r.status])).toEqual([
        ['us-east-1', 301],
        ['eu-west-1', 200],
      ]);
    });
  });
}
