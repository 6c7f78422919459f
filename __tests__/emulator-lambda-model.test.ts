/**
 * The Lambda layer operations checked against botocore's model of the Lambda API (the JSON the AWS CLI, boto3 and,
 * through Smithy, SDK v3 are generated from): routes and success codes, every answer's members and types, every
 * input constraint, and every error's code, status and body shape.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { SHAPES, type Constraint } from '../emulators/aws/lambda/validation.js';
import {
  buildRequest,
  errorProblems,
  modelCaller,
  inputShapes,
  type Input,
  type ModelAnswer,
} from '../__fixtures__/emulator-model.js';
import { botocoreModel, newerVersion } from '../__fixtures__/emulator-python.js';
import { makeZip, rawAws } from '../__fixtures__/emulator-support.js';
import {
  describeFaultChecks,
  describeOperationChecks,
  tableDifferences,
  type OperationChecks,
} from '../__fixtures__/emulator-model-checks.js';

const model = botocoreModel('lambda');
const REGION = 'eu-west-3';
const ZIP = makeZip({ 'python/model.py': 'M = 1\n' }).toString('base64');
const LAYER = 'model-full';

/** A valid input with every member each layer operation takes (RevisionId aside: it names a policy's state). */
const FULL: Record<string, Input> = {
  PublishLayerVersion: {
    LayerName: LAYER,
    Description: 'every member',
    Content: { ZipFile: ZIP },
    CompatibleRuntimes: ['python3.12', 'python3.13'],
    LicenseInfo: 'MIT',
    CompatibleArchitectures: ['arm64'],
  },
  GetLayerVersion: { LayerName: LAYER, VersionNumber: 1 },
  GetLayerVersionByArn: { Arn: `arn:aws:lambda:${REGION}:123456789012:layer:${LAYER}:1` },
  ListLayerVersions: {
    LayerName: LAYER,
    CompatibleRuntime: 'python3.12',
    CompatibleArchitecture: 'arm64',
    MaxItems: 1,
  },
  ListLayers: { CompatibleRuntime: 'python3.12', CompatibleArchitecture: 'arm64', MaxItems: 1 },
  AddLayerVersionPermission: {
    LayerName: LAYER,
    VersionNumber: 1,
    StatementId: 'model-sid',
    Action: 'lambda:GetLayerVersion',
    Principal: '*',
    OrganizationId: 'o-abcdefghij',
  },
  GetLayerVersionPolicy: { LayerName: LAYER, VersionNumber: 1 },
  RemoveLayerVersionPermission: { LayerName: LAYER, VersionNumber: 1, StatementId: 'model-sid' },
  DeleteLayerVersion: { LayerName: LAYER, VersionNumber: 2 },
};
/** Members AWS leaves out of these answers: layers are not code-signed. */
const ABSENT = ['Content.SigningProfileVersionArn', 'Content.SigningJobArn'];
/** Codes AWS sends that no layer operation models (its front door and request validation). */
const GENERIC = ['ValidationException', 'AccessDeniedException', 'UnrecognizedClientException'];

type Answer = ModelAnswer;
const errors: Answer[] = [];
let emulator: RunningEmulator;

const call = model
  ? modelCaller(model, () => emulator.url, REGION, errors)
  : () => Promise.reject(new Error('no model'));
const op = (name: string) => model!.operations[name];
const layerOps = () =>
  Object.values(model!.operations).filter((o) => o.http.requestUri.startsWith('/2018-10-31/layers'));

if (!model) {
  test.skip('botocore is not installed: no Lambda model to check against', () => undefined);
} else {
  beforeAll(async () => {
    emulator = await startEmulator({ aws: { notEnabled: ['ap-east-1'], denied: ['eu-south-2'] } });
    for (const name of [LAYER, LAYER, 'model-other'])
      await call(op('PublishLayerVersion'), { ...FULL.PublishLayerVersion, LayerName: name });
  });
  afterAll(async () => emulator?.stop());

  test('the model has the nine layer operations this emulator serves', () => {
    expect(
      layerOps()
        .map((o) => o.name)
        .sort(),
    ).toEqual(Object.keys(FULL).sort());
  });

  const checks: OperationChecks = {
    model,
    call,
    full: FULL,
    absent: () => ABSENT,
    regions: [
      ['ap-east-1', 403, 'UnrecognizedClientException'],
      ['eu-south-2', 403, 'AccessDeniedException'],
    ],
  };
  describeOperationChecks(checks);

  /** The botocore the constraint table was last compared with; an older model may lack newer constraints. */
  const TABLE_FROM = '1.43.11';
  const tableTest = newerVersion(TABLE_FROM, model.botocoreVersion) ? test.skip : test;
  tableTest(
    `the emulator’s constraint table is the model’s (botocore ${model.botocoreVersion} >= ${TABLE_FROM})`,
    () => {
      const shapes = inputShapes(model!, layerOps());
      expect(shapes.size).toBeGreaterThan(10);
      expect(tableDifferences(shapes, SHAPES as Record<string, Constraint>)).toEqual([]);
    },
  );

  describe('errors', () => {
    const permission = (sid: string, extra: Input = {}) => ({
      ...FULL.AddLayerVersionPermission,
      LayerName: 'model-other',
      StatementId: sid,
      ...extra,
    });
    test.each([
      ['GetLayerVersion', { LayerName: LAYER, VersionNumber: 99 }, 404, 'ResourceNotFoundException'],
      ['GetLayerVersionByArn', { Arn: `${FULL.GetLayerVersionByArn.Arn}9` }, 404, 'ResourceNotFoundException'],
      ['GetLayerVersionPolicy', { LayerName: 'model-other', VersionNumber: 1 }, 404, 'ResourceNotFoundException'],
      [
        'RemoveLayerVersionPermission',
        { LayerName: 'model-other', VersionNumber: 1, StatementId: 'none' },
        404,
        'ResourceNotFoundException',
      ],
      ['AddLayerVersionPermission', permission('x', { VersionNumber: 7 }), 404, 'ResourceNotFoundException'],
      [
        'AddLayerVersionPermission',
        permission('x', { Principal: '111122223333' }),
        400,
        'InvalidParameterValueException',
      ],
      [
        'PublishLayerVersion',
        { LayerName: 'bad-zip', Content: { ZipFile: 'bm90IGEgemlw' } },
        400,
        'InvalidParameterValueException',
      ],
      ['ListLayers', { Marker: '' }, 400, 'InvalidParameterValueException'],
    ])('%s %j answers %d %s', async (name, input, status, code) => {
      const answer = await call(op(name), input);
      expect([answer.status, answer.headers.get('x-amzn-errortype')]).toEqual([status, code]);
    });

    test('AddLayerVersionPermission: 409 for a statement id in use, 412 for a stale RevisionId', async () => {
      await call(op('AddLayerVersionPermission'), permission('dup'));
      expect((await call(op('AddLayerVersionPermission'), permission('dup'))).status).toBe(409);
      const stale = buildRequest(model!, op('AddLayerVersionPermission'), permission('stale'));
      const raw = await rawAws(emulator.url, 'lambda', REGION, 'POST', `${stale.path}?RevisionId=stale`, stale.body);
      expect([raw.status, raw.headers.get('x-amzn-errortype')]).toEqual([412, 'PreconditionFailedException']);
    });

    test('AddLayerVersionPermission: a policy over 20 KB is PolicyLengthExceededException', async () => {
      let last: Answer | undefined;
      for (let i = 0; i < 120 && (!last || last.status === 201); i++) {
        last = await call(op('AddLayerVersionPermission'), permission(`${'s'.repeat(90)}${i}`));
      }
      expect([last?.status, last?.headers.get('x-amzn-errortype')]).toEqual([400, 'PolicyLengthExceededException']);
    });

    test('PublishLayerVersion: the storage quota and the request limit', async () => {
      await emulator.aws.configure({ storageLimitBytes: 1 });
      const publish = await call(op('PublishLayerVersion'), FULL.PublishLayerVersion);
      await emulator.aws.configure({ storageLimitBytes: 75 * 1024 ** 3 });
      expect(publish.headers.get('x-amzn-errortype')).toBe('CodeStorageExceededException');
      const path = buildRequest(model!, op('PublishLayerVersion'), { LayerName: 'big' }).path;
      const big = await rawAws(emulator.url, 'lambda', REGION, 'POST', path, 'x'.repeat(69_905_068));
      expect([big.status, big.headers.get('x-amzn-errortype')]).toEqual([413, 'RequestEntityTooLargeException']);
    });

    describeFaultChecks(checks, () => emulator);

    test('every error answered in this file is one the operation models (or a generic one), in its shape', () => {
      expect(errors.length).toBeGreaterThan(50);
      expect(errorProblems(model!, errors, GENERIC)).toEqual([]);
    });
  });
}
