/**
 * The errors of the function operations, for emulator-lambda-functions-model.test.ts: AWS's status, code and
 * wording, as LocalStack's tests recorded them against AWS where they did (see emulators/aws/README.md).
 */
import type { RunningEmulator } from '../emulators/index.js';
import type { Input, ModelAnswer } from './emulator-model.js';
import type { Operation } from './emulator-python.js';
import { ACCOUNT, FUNCTION_CODE, makeZip } from './emulator-support.js';

export { ACCOUNT };

export interface ErrorCase {
  name: string;
  op: string;
  input: Input;
  region?: string;
  status: number;
  code: string;
  /** A part of AWS's message. */
  message: string;
  before?: (env: CaseContext) => Promise<void>;
  after?: (env: CaseContext) => Promise<void>;
}

export interface CaseContext {
  emulator: RunningEmulator;
  call: (op: Operation, input: Input, region?: string) => Promise<ModelAnswer>;
  op: (name: string) => Operation;
}

export const REGION = 'eu-west-3';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/model`;
export const ZIP = FUNCTION_CODE.toString('base64');
const fnArn = (name: string, qualifier?: string) =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
const layerArn = (name: string, version: number, region = REGION, account = ACCOUNT) =>
  `arn:aws:lambda:${region}:${account}:layer:${name}:${version}`;
/** A valid CreateFunction input for a function of the 46-byte Python handler. */
export const create = (name: string, extra: Input = {}): Input => ({
  FunctionName: name,
  Runtime: 'python3.13',
  Role: ROLE,
  Handler: 'index.handler',
  Code: { ZipFile: ZIP },
  ...extra,
});
const publishLayer =
  (name: string, zip = ZIP, region = REGION) =>
  async (env: CaseContext) => {
    await env.call(env.op('PublishLayerVersion'), { LayerName: name, Content: { ZipFile: zip } }, region);
  };
/** A function whose create (and every update) takes a minute: Pending, then InProgress, throughout the case. */
const slow = (name: string, settle: boolean) => async (env: CaseContext) => {
  if (settle) await env.call(env.op('CreateFunction'), create(name));
  await env.emulator.aws.configure({ functionUpdateMs: 60_000 });
  await env.call(
    env.op(settle ? 'UpdateFunctionConfiguration' : 'CreateFunction'),
    settle ? { FunctionName: name } : create(name),
  );
};
const quick = async (env: CaseContext) => {
  await env.emulator.aws.configure({ functionUpdateMs: 0 });
};
const IPV = 'InvalidParameterValueException';
const NOT_FOUND = 'ResourceNotFoundException';

export const FUNCTION_ERRORS: ErrorCase[] = [
  {
    name: 'GetFunction of no function',
    op: 'GetFunction',
    input: { FunctionName: 'nope' },
    status: 404,
    code: NOT_FOUND,
    message: `Function not found: ${fnArn('nope')}`,
  },
  {
    name: 'GetFunction of a version that does not exist',
    op: 'GetFunction',
    input: { FunctionName: 'model-fn', Qualifier: '99' },
    status: 404,
    code: NOT_FOUND,
    message: `Function not found: ${fnArn('model-fn', '99')}`,
  },
  {
    name: 'GetFunction of a name over 64 characters finds nothing',
    op: 'GetFunction',
    input: { FunctionName: 'a'.repeat(65) },
    status: 404,
    code: NOT_FOUND,
    message: 'Function not found',
  },
  {
    name: 'GetFunction by the ARN of another region',
    op: 'GetFunction',
    input: { FunctionName: fnArn('model-fn').replace(REGION, 'us-east-1') },
    status: 404,
    code: NOT_FOUND,
    message: `Functions from 'us-east-1' are not reachable in this region ('${REGION}')`,
  },
  {
    name: 'GetFunction by the ARN of another account',
    op: 'GetFunction',
    input: { FunctionName: fnArn('model-fn').replace(ACCOUNT, '111122223333') },
    status: 403,
    code: 'AccessDeniedException',
    message: 'is not authorized to perform: lambda:GetFunction',
  },
  {
    name: 'GetFunctionConfiguration with two different qualifiers',
    op: 'GetFunctionConfiguration',
    input: { FunctionName: 'model-fn:1', Qualifier: '2' },
    status: 400,
    code: IPV,
    message: 'The derived qualifier from the function name does not match the specified qualifier.',
  },
  {
    name: 'CreateFunction of a name in use',
    op: 'CreateFunction',
    input: create('model-fn'),
    status: 409,
    code: 'ResourceConflictException',
    message: 'Function already exist: model-fn',
  },
  {
    name: 'CreateFunction of a name over 64 characters',
    op: 'CreateFunction',
    input: create('a'.repeat(65)),
    status: 400,
    code: IPV,
    message: "at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64",
  },
  {
    name: 'CreateFunction of a .zip without Runtime',
    op: 'CreateFunction',
    input: { ...create('model-x'), Runtime: undefined },
    status: 400,
    code: IPV,
    message: 'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
  },
  {
    name: 'CreateFunction with a runtime AWS no longer accepts',
    op: 'CreateFunction',
    input: create('model-x', { Runtime: 'python3.7' }),
    status: 400,
    code: IPV,
    message: 'The runtime parameter of python3.7 is no longer supported',
  },
  {
    name: 'CreateFunction of a file that is not a zip',
    op: 'CreateFunction',
    input: create('model-x', { Code: { ZipFile: 'bm90IGEgemlw' } }),
    status: 400,
    code: IPV,
    message: 'Could not unzip uploaded file',
  },
  {
    name: 'CreateFunction with a member the emulator does not model',
    op: 'CreateFunction',
    input: create('model-x', { KMSKeyArn: 'arn:aws:kms:eu-west-3:123456789012:key/x' }),
    status: 400,
    code: IPV,
    message: 'KMSKeyArn: not modelled by this emulator',
  },
  {
    name: 'CreateFunction with 51 tags',
    op: 'CreateFunction',
    input: create('model-x', { Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }),
    status: 400,
    code: IPV,
    message: 'Number of tags exceeds resource tag limit.',
  },
  {
    name: 'CreateFunction with a layer version that does not exist',
    op: 'CreateFunction',
    input: create('model-x', { Layers: [layerArn('model-fn-layer', 99)] }),
    status: 400,
    code: IPV,
    message: `Layer version ${layerArn('model-fn-layer', 99)} does not exist.`,
  },
  {
    name: 'CreateFunction with six layers',
    op: 'CreateFunction',
    input: create('model-x', { Layers: [1, 2, 3, 4, 5, 6].map((n) => layerArn(`l${n}`, 1)) }),
    status: 400,
    code: IPV,
    message: 'Cannot reference more than 5 layers.',
  },
  {
    name: 'CreateFunction with a layer ARN without a version',
    op: 'CreateFunction',
    input: create('model-x', { Layers: ['arn:aws:lambda:eu-west-3:123456789012:layer:model-fn-layer'] }),
    status: 400,
    code: 'ValidationException',
    message:
      "at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048",
  },
  {
    name: 'UpdateFunctionConfiguration with a stale RevisionId',
    op: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'model-errors', RevisionId: 'stale' },
    status: 412,
    code: 'PreconditionFailedException',
    message:
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
  },
  {
    name: 'UpdateFunctionConfiguration with two versions of one layer',
    before: publishLayer('model-fn-layer'),
    op: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'model-errors', Layers: [layerArn('model-fn-layer', 1), layerArn('model-fn-layer', 2)] },
    status: 400,
    code: IPV,
    message: `Two different versions of the same layer are not allowed to be referenced in the same function. ${layerArn('model-fn-layer', 1)} and ${layerArn('model-fn-layer', 2)} are versions of the same layer.`,
  },
  {
    name: 'UpdateFunctionConfiguration with a layer of another region',
    before: publishLayer('model-far', ZIP, 'eu-west-1'),
    op: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'model-errors', Layers: [layerArn('model-far', 1, 'eu-west-1')] },
    status: 400,
    code: IPV,
    message: `Layers are not in the same region as the function. Layers are expected to be in region ${REGION}.`,
  },
  {
    name: 'UpdateFunctionConfiguration with another account’s layer that is not shared',
    op: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'model-errors', Layers: [layerArn('theirs', 1, REGION, '111122223333')] },
    status: 403,
    code: 'AccessDeniedException',
    message: `lambda:GetLayerVersion on resource: ${layerArn('theirs', 1, REGION, '111122223333')} because no resource-based policy allows the lambda:GetLayerVersion action`,
  },
  {
    name: 'UpdateFunctionConfiguration past 262,144,000 bytes unzipped with its layers',
    before: publishLayer('model-huge', makeZip({ 'big.bin': 'x' }, 262_144_000).toString('base64')),
    op: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'model-errors', Layers: [layerArn('model-huge', 1)] },
    status: 400,
    code: IPV,
    message:
      'Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is 262144046 bytes.',
  },
  {
    name: 'UpdateFunctionConfiguration while an update runs',
    before: slow('model-busy', true),
    after: quick,
    op: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'model-busy', Description: 'again' },
    status: 409,
    code: 'ResourceConflictException',
    message: `The operation cannot be performed at this time. An update is in progress for resource: ${fnArn('model-busy')}`,
  },
  {
    name: 'UpdateFunctionConfiguration while the function is Pending',
    before: slow('model-pending', false),
    after: quick,
    op: 'UpdateFunctionConfiguration',
    input: { FunctionName: 'model-pending', Description: 'early' },
    status: 409,
    code: 'ResourceConflictException',
    message:
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
  },
  {
    name: 'PublishVersion while an update runs',
    op: 'PublishVersion',
    input: { FunctionName: 'model-busy' },
    status: 409,
    code: 'ResourceConflictException',
    message: 'An update is in progress for resource',
  },
  {
    name: 'PublishVersion with another CodeSha256',
    op: 'PublishVersion',
    input: { FunctionName: 'model-errors', CodeSha256: 'other' },
    status: 400,
    code: IPV,
    message: 'CodeSHA256 (other) is different from current CodeSHA256 in $LATEST (',
  },
  {
    name: 'PublishVersion with a stale RevisionId',
    op: 'PublishVersion',
    input: { FunctionName: 'model-errors', RevisionId: 'stale' },
    status: 412,
    code: 'PreconditionFailedException',
    message: 'The Revision Id provided does not match the latest Revision Id.',
  },
  {
    name: 'CreateAlias of a name in use',
    op: 'CreateAlias',
    input: { FunctionName: 'model-fn', Name: 'live', FunctionVersion: '1' },
    status: 409,
    code: 'ResourceConflictException',
    message: `Alias already exists: ${fnArn('model-fn', 'live')}`,
  },
  {
    name: 'CreateAlias to a version that does not exist',
    op: 'CreateAlias',
    input: { FunctionName: 'model-fn', Name: 'later', FunctionVersion: '99' },
    status: 404,
    code: NOT_FOUND,
    message: `Function not found: ${fnArn('model-fn', '99')}`,
  },
  {
    name: 'GetAlias of no alias',
    op: 'GetAlias',
    input: { FunctionName: 'model-fn', Name: 'nope' },
    status: 404,
    code: NOT_FOUND,
    message: `Cannot find alias arn: ${fnArn('model-fn', 'nope')}`,
  },
  {
    name: 'UpdateAlias of no alias',
    op: 'UpdateAlias',
    input: { FunctionName: 'model-fn', Name: 'nope', FunctionVersion: '1' },
    status: 404,
    code: NOT_FOUND,
    message: `Alias not found: ${fnArn('model-fn', 'nope')}`,
  },
  {
    name: 'UpdateAlias with a stale RevisionId',
    op: 'UpdateAlias',
    input: { FunctionName: 'model-fn', Name: 'live', RevisionId: 'stale' },
    status: 412,
    code: 'PreconditionFailedException',
    message: 'The Revision Id provided does not match the latest Revision Id.',
  },
  {
    name: 'TagResource on a version ARN',
    op: 'TagResource',
    input: { Resource: fnArn('model-fn', '1'), Tags: { a: 'b' } },
    status: 400,
    code: IPV,
    message: 'Tags on function aliases and versions are not supported. Please specify a function ARN.',
  },
  {
    name: 'TagResource with no tags',
    op: 'TagResource',
    input: { Resource: fnArn('model-errors'), Tags: {} },
    status: 400,
    code: IPV,
    message: 'An error occurred and the request cannot be processed.',
  },
  {
    name: 'TagResource past 50 tags',
    op: 'TagResource',
    input: {
      Resource: fnArn('model-errors'),
      Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
    },
    status: 400,
    code: IPV,
    message: 'Number of tags exceeds resource tag limit.',
  },
  {
    name: 'UntagResource without tagKeys',
    op: 'UntagResource',
    input: { Resource: fnArn('model-errors') },
    status: 400,
    code: 'ValidationException',
    message: "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
  },
  {
    name: 'ListTags of no function',
    op: 'ListTags',
    input: { Resource: fnArn('nope') },
    status: 404,
    code: NOT_FOUND,
    message: `Function not found: ${fnArn('nope')}`,
  },
  {
    name: 'DeleteFunction of $LATEST',
    op: 'DeleteFunction',
    input: { FunctionName: 'model-errors', Qualifier: '$LATEST' },
    status: 400,
    code: IPV,
    message: '$LATEST version cannot be deleted without deleting the function.',
  },
  {
    name: 'DeleteFunction of no function',
    op: 'DeleteFunction',
    input: { FunctionName: 'nope' },
    status: 404,
    code: NOT_FOUND,
    message: `Function not found: ${fnArn('nope')}`,
  },
  {
    name: 'ListFunctions with an empty Marker',
    op: 'ListFunctions',
    input: { Marker: '' },
    status: 400,
    code: IPV,
    message: 'Invalid Marker',
  },
];
