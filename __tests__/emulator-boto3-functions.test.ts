/**
 * Lambda functions through boto3 (an independent client: botocore's parsers, exception classes, paginator and
 * waiters). One python process runs every call (__fixtures__/emulator-boto3-functions.py).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { pythonWith, runPython } from '../__fixtures__/emulator-python.js';

type Result =
  { ok: unknown } | { waiter: string } | { error: { Code: string; Message: string; status: number; class: string } };
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../__fixtures__');
const python = pythonWith('boto3');
const ACCOUNT = '123456789012';
let emulator: RunningEmulator;
let results: Record<string, Result>;

const error = (Code: string, status: number, Message: string | RegExp) => ({
  error: { Code, status, Message: typeof Message === 'string' ? Message : expect.stringMatching(Message), class: Code },
});
const ok = (value: unknown) => ({ ok: value });

if (!python) {
  test.skip('boto3 is not installed for any python3 here', () => undefined);
} else {
  beforeAll(async () => {
    emulator = await startEmulator({ aws: { functionUpdateMs: 300 } });
    const script = await readFile(path.join(FIXTURES, 'emulator-boto3-functions.py'), 'utf8');
    results = await runPython(python, script, emulator.env);
  }, 120_000);
  afterAll(async () => emulator?.stop());

  const layer = `arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:boto3-lib:1`;
  test.each([
    ['create answers Pending', ok(['Pending', null])],
    [
      'an update while Pending',
      error('ResourceConflictException', 409, /The function is currently in the following state: Pending$/),
    ],
    ['the active waiter', { ok: expect.any(Boolean) }],
    ['get by partial ARN', ok(['Active', 'Successful', layer])],
    ['update answers InProgress, no layers', ok(['InProgress', null])],
    ['a stale RevisionId', error('PreconditionFailedException', 412, /^The Revision Id provided does not match/)],
    [
      'an update while one runs',
      error(
        'ResourceConflictException',
        409,
        `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:eu-west-1:${ACCOUNT}:function:boto3-fn`,
      ),
    ],
    ['the updated waiter', { ok: expect.any(Boolean) }],
    [
      'a layer version that does not exist',
      error('InvalidParameterValueException', 400, `Layer version ${layer.slice(0, -1)}9 does not exist.`),
    ],
    [
      'no such function',
      error(
        'ResourceNotFoundException',
        404,
        `Function not found: arn:aws:lambda:eu-west-1:${ACCOUNT}:function:boto3-none`,
      ),
    ],
    ['tags', ok({ 'lambda-layer-release:boto3-lib': '1' })],
    [
      'paginator pages',
      ok([
        ['boto3-fn', 'boto3-page-0'],
        ['boto3-page-1', 'boto3-page-2'],
        ['boto3-page-3', 'boto3-page-4'],
      ]),
    ],
  ])('%s', (name, expected) => {
    expect(results[name]).toEqual(expected);
  });
}
