/**
 * Lambda layers through boto3 (an independent client: botocore's own parsers, paginators and exceptions). One
 * python process runs every call (__fixtures__/emulator-boto3-lambda.py); each test checks one of its results.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { pythonWith, runPython } from '../__fixtures__/emulator-python.js';

type Result = { ok: unknown } | { error: { Code: string; Message: string; status: number; class: string } };
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../__fixtures__');
const python = pythonWith('boto3');
const ACCOUNT = '123456789012';
let emulator: RunningEmulator;
let results: Record<string, Result>;

const error = (Code: string, status: number, Message: string | RegExp, cls = Code) => ({
  error: { Code, status, Message: typeof Message === 'string' ? Message : expect.stringMatching(Message), class: cls },
});
const ok = (value: unknown) => ({ ok: value });

if (!python) {
  test.skip('boto3 is not installed for any python3 here', () => undefined);
} else {
  beforeAll(async () => {
    emulator = await startEmulator({ aws: { notEnabled: ['ap-east-1'], denied: ['eu-south-2'] } });
    const script = await readFile(path.join(FIXTURES, 'emulator-boto3-lambda.py'), 'utf8');
    results = await runPython(python, script, emulator.env);
  }, 120_000);
  afterAll(async () => emulator?.stop());

  describe('errors as boto3 reports them', () => {
    test.each([
      ['get a missing version', error('ResourceNotFoundException', 404, 'The resource you requested does not exist.')],
      [
        'an unknown runtime',
        error(
          'ValidationException',
          400,
          /^1 validation error detected: Value '\[nodejs99\.x\]' at 'compatibleRuntimes'/,
          'ClientError',
        ),
      ],
      [
        'a statement id in use',
        error('ResourceConflictException', 409, /^The statement id \(taken\) provided already exists/),
      ],
      ['a stale RevisionId', error('PreconditionFailedException', 412, /^The Revision Id provided does not match/)],
      [
        'remove an unknown statement',
        error('ResourceNotFoundException', 404, 'Statement unknown is not found in resource policy.'),
      ],
      [
        'the policy of a version without one',
        error('ResourceNotFoundException', 404, 'No policy is associated with the given resource.'),
      ],
      [
        'a region not enabled',
        error(
          'UnrecognizedClientException',
          403,
          'The security token included in the request is invalid.',
          'ClientError',
        ),
      ],
      [
        'a region denied',
        error(
          'AccessDeniedException',
          403,
          `User: arn:aws:iam::${ACCOUNT}:user/emulator is not authorized to perform: lambda:GetLayerVersion on resource: arn:aws:lambda:eu-south-2:${ACCOUNT}:layer:errs:1 with an explicit deny in an identity-based policy`,
          'ClientError',
        ),
      ],
      ['an organization with an account principal', error('InvalidParameterValueException', 400, /OrganizationId/)],
    ])('%s', (name, expected) => {
      expect(results[name]).toEqual(expected);
    });
  });

  describe('pagination and filters', () => {
    test.each([
      ['pages of 2', [[7, 6], [5, 4], [3, 2], [1]]],
      [
        'MaxItems 3 then StartingToken',
        [
          [7, 6, 5],
          [4, 3, 2, 1],
        ],
      ],
      ['runtime filter', [6, 4, 2]],
      ['architecture filter', [7, 4, 1]],
      ['list_layers pages of 1', ['alpha', 'beta', 'gamma', 'paged']],
      ['list_layers runtime filter', [['paged', 6]]],
    ])('%s', (name, expected) => {
      expect(results[name]).toEqual(ok(expected));
    });
  });

  describe('a layer ARN wherever a name is accepted', () => {
    const arn = `arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:by-arn`;
    test.each([
      ['publish by ARN', ok(`${arn}:1`)],
      ['get by ARN name', ok(`${arn}:1`)],
      ['list versions by ARN name', ok([1])],
      ['permission by ARN name', ok(`${arn}:1`)],
      ['policy by ARN name', ok('s')],
      ['remove permission by ARN name', ok(204)],
      ['get_layer_version_by_arn', ok(1)],
      [
        'an ARN of the wrong partition',
        error('ResourceNotFoundException', 404, 'The resource you requested does not exist.'),
      ],
      [
        'an ARN of another region',
        error('ResourceNotFoundException', 404, 'The resource you requested does not exist.'),
      ],
      [
        'another account without a grant',
        error(
          'AccessDeniedException',
          403,
          /because no resource-based policy allows the lambda:GetLayerVersion action$/,
          'ClientError',
        ),
      ],
      ['publish by ARN of another region', error('InvalidParameterValueException', 400, /region/)],
      ['delete by ARN name', ok(204)],
    ])('%s', (name, expected) => {
      expect(results[name]).toEqual(expected);
    });
  });

  describe('sharing', () => {
    test('the policy writes each principal form as AWS does', () => {
      const resource = `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:principals:1`;
      const base = { Effect: 'Allow', Action: 'lambda:GetLayerVersion', Resource: resource };
      expect(results.policy).toEqual(
        ok({
          Version: '2012-10-17',
          Id: 'default',
          Statement: [
            { Sid: 'any', ...base, Principal: '*' },
            { Sid: 'account', ...base, Principal: { AWS: 'arn:aws:iam::111122223333:root' } },
            { Sid: 'root', ...base, Principal: { AWS: 'arn:aws:iam::210987654321:root' } },
            {
              Sid: 'org',
              ...base,
              Principal: '*',
              Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij1' } },
            },
          ],
        }),
      );
    });

    test.each([
      ['shared read', ok(1)],
      [
        'unshared read',
        error(
          'AccessDeniedException',
          403,
          /^User: arn:aws:sts::210987654321:assumed-role\/consumer\/boto3 is not authorized/,
          'ClientError',
        ),
      ],
      ['delete of another account', error('AccessDeniedException', 403, /lambda:DeleteLayerVersion/, 'ClientError')],
    ])('another account: %s', (name, expected) => {
      expect(results[name]).toEqual(expected);
    });
  });
}
