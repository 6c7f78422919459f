/**
 * The emulated SSM operations against botocore's model of SSM (awsJson1.1): each answer walked against the
 * operation's output shape (unknown or misspelt members, types), each error modelled for the operation (or generic),
 * with the model's status.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { shapeProblems } from '../__fixtures__/emulator-model.js';
import { botocoreModel } from '../__fixtures__/emulator-python.js';
import { rawAws } from '../__fixtures__/emulator-support.js';

const model = botocoreModel('ssm');
/** Codes every AWS JSON service may answer, modelled for no operation. */
const GENERIC = ['ValidationException', 'AccessDeniedException', 'UnrecognizedClientException', 'ThrottlingException'];
let emulator: RunningEmulator;

async function ssm(operation: string, input: Record<string, unknown>, region = 'eu-west-1') {
  const raw = await rawAws(emulator.url, 'ssm', region, 'POST', '/', JSON.stringify(input), {
    'x-amz-target': `AmazonSSM.${operation}`,
    'content-type': 'application/x-amz-json-1.1',
  });
  return { ...raw, operation };
}

const CALLS: [string, Record<string, unknown>][] = [
  ['PutParameter', { Name: '/model/a', Value: 'v', Type: 'String', Description: 'd', DataType: 'text' }],
  ['PutParameter', { Name: '/model/a', Value: 'w', Overwrite: true }],
  ['GetParameter', { Name: '/model/a' }],
  ['GetParameters', { Names: ['/model/a', '/model/none'] }],
  ['GetParametersByPath', { Path: '/model', Recursive: true, MaxResults: 1 }],
  ['GetParametersByPath', { Path: '/aws/service/global-infrastructure/services/lambda/regions' }],
  ['DeleteParameter', { Name: '/model/a' }],
];
const ERRORS: [string, Record<string, unknown>, string, string][] = [
  ['GetParameter', { Name: '/model/none' }, 'ParameterNotFound', 'eu-west-1'],
  ['DeleteParameter', { Name: '/model/none' }, 'ParameterNotFound', 'eu-west-1'],
  ['PutParameter', { Name: '/model/b', Value: 'v', Type: 'String' }, 'ParameterAlreadyExists', 'eu-west-1'],
  // AWS's validator, not SSM's modelled ValidationException: its body says "message".
  ['GetParametersByPath', { Path: '/model', MaxResults: 11 }, 'ValidationException', 'eu-west-1'],
  ['GetParameter', { Name: '/model/b' }, 'AccessDeniedException', 'eu-south-2'],
  ['GetParameter', { Name: '/model/b' }, 'UnrecognizedClientException', 'ap-east-1'],
];

if (!model) {
  test.skip('botocore is not installed: no SSM model to check against', () => undefined);
} else {
  beforeAll(async () => {
    emulator = await startEmulator({ aws: { notEnabled: ['ap-east-1'], denied: ['eu-south-2'] } });
    await ssm('PutParameter', { Name: '/model/b', Value: 'v', Type: 'String' });
  });
  afterAll(async () => emulator?.stop());

  test.each(CALLS)('%s %j answers 200 in its output shape', async (operation, input) => {
    const answer = await ssm(operation, input);
    expect(answer.status).toBe(200);
    const output = model.operations[operation].output?.shape ?? '';
    expect(shapeProblems(model, output, answer.json, '', { full: false, absent: [] })).toEqual([]);
  });

  test.each(ERRORS)('%s %j is %s, modelled, in its shape', async (operation, input, code, region) => {
    const answer = await ssm(operation, input, region);
    // Clients keep what follows the '#' of a namespaced type (com.amazon.coral.service#AccessDeniedException).
    expect(String(answer.json?.__type).split('#').pop()).toBe(code);
    const modelled = (model.operations[operation].errors ?? []).some((e) => e.shape === code);
    expect([code, modelled || GENERIC.includes(code)]).toEqual([code, true]);
    const shape = model.shapes[code];
    expect(answer.status).toBe(shape?.error?.httpStatusCode ?? 400);
    const { __type: _type, ...body } = answer.json ?? {};
    const validator = String(answer.json?.__type).startsWith('com.amazon.coral.validate#');
    if (shape?.exception && !validator) {
      expect(shapeProblems(model, code, body, code, { full: false, absent: [] })).toEqual([]);
    } else expect(typeof (body.message ?? body.Message)).toBe('string');
  });
}
