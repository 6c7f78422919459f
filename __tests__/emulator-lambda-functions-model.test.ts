/**
 * The Lambda function, version, alias and tag operations checked against botocore's model, as the layer operations
 * are in emulator-lambda-model.test.ts: routes and success codes, every answer's members and types, every input
 * constraint of the members the emulator models (the others are refused by name), and the constraint table.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { FUNCTION_SHAPES } from '../emulators/aws/lambda/function-shapes.js';
import { FUNCTION_ROUTES } from '../emulators/aws/lambda/function-routes.js';
import { SHAPES, type Constraint } from '../emulators/aws/lambda/validation.js';
import {
  errorProblems,
  inputShapes,
  modelCaller,
  type Input,
  type ModelAnswer,
} from '../__fixtures__/emulator-model.js';
import { botocoreModel, newerVersion } from '../__fixtures__/emulator-python.js';
import { rawAws } from '../__fixtures__/emulator-support.js';
import {
  describeFaultChecks,
  describeOperationChecks,
  tableDifferences,
  type OperationChecks,
} from '../__fixtures__/emulator-model-checks.js';
import { ABSENT, MODELLED } from '../__fixtures__/emulator-functions-model.js';
import {
  ACCOUNT,
  FUNCTION_ERRORS,
  REGION,
  ZIP,
  create,
  type CaseContext,
  type ErrorCase,
} from '../__fixtures__/emulator-functions-errors.js';

const model = botocoreModel('lambda');
const ROLE = `arn:aws:iam::${ACCOUNT}:role/model`;
const FN = 'model-fn';
const ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FN}`;
const LAYER = `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:model-fn-layer:1`;

/** A valid input with every member each operation takes that the emulator models (RevisionId aside). */
const FULL: Record<string, Input> = {
  CreateFunction: create('model-create', {
    Description: 'every member',
    Timeout: 10,
    MemorySize: 256,
    Publish: true,
    PackageType: 'Zip',
    Environment: { Variables: { STAGE: 'model' } },
    Tags: { 'lambda-layer-release:model': '1.x' },
    Layers: [LAYER],
    Architectures: ['arm64'],
  }),
  GetFunction: { FunctionName: FN, Qualifier: '1' },
  GetFunctionConfiguration: { FunctionName: FN, Qualifier: 'live' },
  ListFunctions: { FunctionVersion: 'ALL', MaxItems: 1 },
  UpdateFunctionConfiguration: {
    FunctionName: 'model-update',
    Role: ROLE,
    Handler: 'index.other',
    Description: 'updated',
    Timeout: 20,
    MemorySize: 512,
    Environment: { Variables: { STAGE: 'updated' } },
    Runtime: 'python3.12',
    Layers: [LAYER],
  },
  PublishVersion: { FunctionName: FN, Description: 'published' },
  ListVersionsByFunction: { FunctionName: FN, MaxItems: 1 },
  CreateAlias: {
    FunctionName: FN,
    Name: 'model-alias',
    FunctionVersion: '1',
    Description: 'alias',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
  },
  GetAlias: { FunctionName: FN, Name: 'live' },
  UpdateAlias: { FunctionName: FN, Name: 'live', FunctionVersion: '2', Description: 'moved' },
  ListAliases: { FunctionName: FN, FunctionVersion: '1', MaxItems: 1 },
  DeleteAlias: { FunctionName: FN, Name: 'gone' },
  ListTags: { Resource: ARN },
  TagResource: { Resource: ARN, Tags: { team: 'model' } },
  UntagResource: { Resource: ARN, TagKeys: ['team'] },
  DeleteFunction: { FunctionName: 'model-delete' },
};
/** Where AWS answers a generated constraint violation otherwise than with ValidationException (recorded on AWS). */
const AWS_OWN: Record<string, [number, string]> = {
  'CreateFunction Runtime not in the enum': [400, 'InvalidParameterValueException'],
  'UpdateFunctionConfiguration Runtime not in the enum': [400, 'InvalidParameterValueException'],
};
/** AWS answers DeleteFunction with 204 No Content; the model says 200 (any 2xx parses). */
const STATUS: Record<string, number> = { DeleteFunction: 204 };
const GENERIC = ['ValidationException', 'AccessDeniedException', 'UnrecognizedClientException'];

const errors: ModelAnswer[] = [];
let emulator: RunningEmulator;
const call = model ? modelCaller(model, () => emulator.url, REGION, errors) : () => Promise.reject(new Error('none'));
const op = (name: string) => model!.operations[name];
const modelled = (name: string) => (path: string) => MODELLED[name].includes(path);
const served = FUNCTION_ROUTES.map((r) => r.operation);

if (!model) {
  test.skip('botocore is not installed: no Lambda model to check against', () => undefined);
} else {
  beforeAll(async () => {
    // No update time: each success case finds the function idle; the 409 case sets a long one.
    emulator = await startEmulator({ aws: { notEnabled: ['ap-east-1'], denied: ['eu-south-2'], functionUpdateMs: 0 } });
    await call(op('PublishLayerVersion'), { LayerName: 'model-fn-layer', Content: { ZipFile: ZIP } });
    for (const name of [FN, 'model-update', 'model-delete', 'model-errors'])
      await call(op('CreateFunction'), create(name));
    await call(op('PublishVersion'), { FunctionName: FN });
    await call(op('UpdateFunctionConfiguration'), { FunctionName: FN, Description: 'second' });
    await call(op('PublishVersion'), { FunctionName: FN });
    await call(op('CreateAlias'), { FunctionName: FN, Name: 'live', FunctionVersion: '1' });
    expect(errors).toEqual([]);
  });
  afterAll(async () => emulator?.stop());

  test('every operation served is in the model, at the route the model binds', () => {
    expect(served.sort()).toEqual(Object.keys(FULL).sort());
    for (const name of served) expect([name, op(name)?.http.method]).toEqual([name, expect.any(String)]);
  });

  const checks: OperationChecks = {
    model,
    call,
    full: FULL,
    absent: (name) => ABSENT[name] ?? [],
    modelled,
    awsOwn: AWS_OWN,
    status: STATUS,
    regions: [
      ['ap-east-1', 403, 'UnrecognizedClientException'],
      ['eu-south-2', 403, 'AccessDeniedException'],
    ],
  };
  describeOperationChecks(checks);

  const TABLE_FROM = '1.43.11';
  const tableTest = newerVersion(TABLE_FROM, model.botocoreVersion) ? test.skip : test;
  tableTest(`the constraint table is the model’s (botocore ${model.botocoreVersion} >= ${TABLE_FROM})`, () => {
    const shapes = new Map(served.map(op).flatMap((o) => [...inputShapes(model!, [o], modelled(o.name))]));
    expect(shapes.size).toBeGreaterThan(20);
    expect(tableDifferences(shapes, { ...SHAPES, ...FUNCTION_SHAPES } as Record<string, Constraint>)).toEqual([]);
  });

  describe('errors', () => {
    test.each(FUNCTION_ERRORS.map((c) => [c.name, c] as const))('%s', async (_n, c: ErrorCase) => {
      const context: CaseContext = { emulator, call, op };
      await c.before?.(context);
      try {
        const answer = await call(op(c.op), c.input, c.region);
        expect([answer.status, answer.headers.get('x-amzn-errortype')]).toEqual([c.status, c.code]);
        expect(String(answer.json?.message ?? answer.json?.Message)).toContain(c.message);
      } finally {
        await c.after?.(context);
      }
    });

    test('CreateFunction takes a bigger request than the other operations, then answers 413', async () => {
      const size = 70_167_212;
      const raw = await rawAws(emulator.url, 'lambda', REGION, 'POST', '/2015-03-31/functions', 'x'.repeat(size));
      expect([raw.status, raw.headers.get('x-amzn-errortype'), raw.json?.message]).toEqual([
        413,
        'RequestEntityTooLargeException',
        'Request must be smaller than 70167211 bytes for the CreateFunction operation',
      ]);
      const taken = await rawAws(
        emulator.url,
        'lambda',
        REGION,
        'POST',
        '/2015-03-31/functions',
        'x'.repeat(size - 100),
      );
      expect(taken.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    });

    describeFaultChecks(checks, () => emulator);

    test('every error answered in this file is one the operation models (or a generic one), in its shape', () => {
      expect(errors.length).toBeGreaterThan(150);
      expect(errorProblems(model!, errors, GENERIC)).toEqual([]);
    });
  });
}
