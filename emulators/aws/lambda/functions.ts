import { createHash } from 'node:crypto';
import { json, type EmuResponse } from '../../http.js';
import { readJson, type LambdaCall } from './call.js';
import { LambdaError, invalidParameter, lambdaHeaders, validationError } from './errors.js';
import {
  bodyBoolean,
  bodyStringMap,
  checkRuntime,
  listQuery,
  refuseUnmodelled,
  settingsInput,
} from './function-input.js';
import { attachLayers, checkCombinedSize } from './function-layers.js';
import {
  findFunction,
  functionNotFound,
  parseFunctionName,
  viewOf,
  type FunctionRef,
  type FunctionView,
} from './function-names.js';
import { configuration, getFunctionOutput } from './function-output.js';
import { FUNCTION_SHAPES, MAX_NAME_LENGTH, MAX_TAGS } from './function-shapes.js';
import { functionArn, type LambdaFunction } from './function-state.js';
import { publishSnapshot } from './function-versions.js';
import { page } from './layers.js';
import { checkZip, zipFromBucket } from './publish.js';
import { lambdaDate, newRevisionId } from './state.js';
import { Failures, bodyObject, bodyString, bodyStringList } from './validation.js';

const CREATE_MEMBERS = [
  'FunctionName',
  'Runtime',
  'Role',
  'Handler',
  'Code',
  'Description',
  'Timeout',
  'MemorySize',
  'Publish',
  'PackageType',
  'Environment',
  'Tags',
  'Layers',
  'Architectures',
] as const;
const CODE_MEMBERS = ['ZipFile', 'S3Bucket', 'S3Key', 'S3ObjectVersion'];
/** ZipFile sent inline; above it AWS answers 413 although the request itself may still fit. */
const ZIPPED_LIMIT = 52_428_800;
/** ListFunctions returns at most this many functions per call, whatever MaxItems asks for. */
const LIST_PAGE = 50;

function functionCode(call: LambdaCall, code: Record<string, unknown>): Buffer {
  refuseUnmodelled(code, CODE_MEMBERS);
  const zipFile = bodyString(code, 'ZipFile');
  const bucket = bodyString(code, 'S3Bucket');
  const key = bodyString(code, 'S3Key');
  if (zipFile !== undefined) {
    if (bucket !== undefined || key !== undefined) {
      throw invalidParameter('Please do not provide other FunctionCode parameters when providing a ZipFile.');
    }
    const zip = Buffer.from(zipFile, 'base64');
    if (zip.length > ZIPPED_LIMIT) {
      throw new LambdaError(
        413,
        'RequestEntityTooLargeException',
        `Zipped size must be smaller than ${ZIPPED_LIMIT} bytes`,
      );
    }
    return zip;
  }
  if (bucket === undefined || key === undefined) {
    throw invalidParameter('Please provide a source for function code: ZipFile, or S3Bucket and S3Key.');
  }
  return zipFromBucket(call, bucket, key);
}

/** The checks AWS makes of a function name given to CreateFunction, after the model's constraints. */
function newFunctionRef(call: LambdaCall, raw: string): FunctionRef {
  const ref = parseFunctionName(call, raw);
  if (ref.qualifier !== undefined) {
    throw invalidParameter('A function name given to CreateFunction cannot carry a version or alias qualifier.');
  }
  if (ref.name.length > MAX_NAME_LENGTH) {
    throw invalidParameter(
      `1 validation error detected: Value '${ref.name}' at 'functionName' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_NAME_LENGTH}`,
    );
  }
  return ref;
}

/** POST /2015-03-31/functions */
export async function createFunction(call: LambdaCall): Promise<EmuResponse> {
  const body = readJson(call);
  refuseUnmodelled(body, CREATE_MEMBERS);
  const name = bodyString(body, 'FunctionName');
  const code = bodyObject(body, 'Code');
  const packageType = bodyString(body, 'PackageType');
  const architectures = bodyStringList(body, 'Architectures');
  const tags = bodyStringMap(body, 'Tags');
  const failures = new Failures();
  const settings = settingsInput(body, failures);
  const { runtime, role, handler, layers } = settings;
  failures
    .required('functionName', name)
    .check('functionName', name, FUNCTION_SHAPES.FunctionName)
    .required('role', role)
    .required('code', code)
    .check('packageType', packageType, FUNCTION_SHAPES.PackageType)
    .check('architectures', architectures, FUNCTION_SHAPES.ArchitecturesList);
  if (code) {
    failures
      .check('code.s3Bucket', bodyString(code, 'S3Bucket'), 'S3Bucket')
      .check('code.s3Key', bodyString(code, 'S3Key'), 'S3Key')
      .check('code.s3ObjectVersion', bodyString(code, 'S3ObjectVersion'), 'S3ObjectVersion');
  }
  if (failures.list.length) throw validationError(failures.list);

  if (packageType === 'Image')
    throw invalidParameter('PackageType Image: not modelled by this emulator; leave it out.');
  if (runtime === undefined || handler === undefined) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  checkRuntime(runtime);
  const ref = newFunctionRef(call, name as string);
  if (tags && Object.keys(tags).length > MAX_TAGS) throw invalidParameter('Number of tags exceeds resource tag limit.');
  const zip = functionCode(call, code ?? {});
  const unzippedSize = await checkZip(zip);
  const attached = attachLayers(call, layers ?? []);
  checkCombinedSize(unzippedSize, attached);

  const sha = createHash('sha256').update(zip).digest();
  const now = lambdaDate(call.ctx.now());
  const fn: LambdaFunction = {
    name: ref.name,
    account: ref.account,
    region: ref.region,
    arn: functionArn(ref.region, ref.account, ref.name),
    latest: {
      description: settings.description ?? '',
      role: role as string,
      handler,
      runtime,
      timeout: settings.timeout ?? 3,
      memorySize: settings.memorySize ?? 128,
      environment: settings.environment,
      layers: attached,
      architectures: architectures ?? ['x86_64'],
      codeSha256: sha.toString('base64'),
      codeSize: zip.length,
      unzippedSize,
    },
    revisionId: newRevisionId(),
    lastModified: now,
    state: 'Active',
    code: {
      zip,
      codeSha256: sha.toString('base64'),
      codeSize: zip.length,
      createdDate: now,
      contentKey: `functions/${ref.account}/${ref.name}-${sha.toString('hex').slice(0, 16)}`,
    },
    versions: new Map(),
    nextVersion: 1,
    aliases: new Map(),
    tags: new Map(Object.entries(tags ?? {})),
  };
  if (!call.ctx.functions.add(fn)) {
    throw new LambdaError(409, 'ResourceConflictException', `Function already exist: ${ref.name}`);
  }
  const output = configuration(fn, viewOf(fn, ref), 'create');
  // With Publish, AWS answers with the new version's number but the unqualified ARN.
  if (bodyBoolean(body, 'Publish')) output.Version = String(publishSnapshot(call, fn).version);
  return json(201, output, lambdaHeaders());
}

/** The function and version a GET or DELETE on /functions/{FunctionName} names (Qualifier in the query). */
function requested(call: LambdaCall): { ref: FunctionRef; qualifier?: string } {
  const qualifier = call.req.url.searchParams.get('Qualifier') ?? undefined;
  const failures = new Failures()
    .check('functionName', call.params.functionName, FUNCTION_SHAPES.NamespacedFunctionName)
    .check('qualifier', qualifier, FUNCTION_SHAPES.NumericLatestPublishedOrAliasQualifier);
  if (failures.list.length) throw validationError(failures.list);
  return { ref: parseFunctionName(call, call.params.functionName, qualifier), qualifier };
}

/** GET /2015-03-31/functions/{FunctionName} */
export function getFunction(call: LambdaCall): EmuResponse {
  const { ref } = requested(call);
  const fn = findFunction(call, ref);
  return json(200, getFunctionOutput(call, fn, viewOf(fn, ref)), lambdaHeaders());
}

/** GET /2015-03-31/functions/{FunctionName}/configuration */
export function getFunctionConfiguration(call: LambdaCall): EmuResponse {
  const { ref } = requested(call);
  const fn = findFunction(call, ref);
  return json(200, configuration(fn, viewOf(fn, ref)), lambdaHeaders());
}

/** DELETE /2015-03-31/functions/{FunctionName}: the function, or one published version (204, as AWS answers). */
export function deleteFunction(call: LambdaCall): EmuResponse {
  const { ref } = requested(call);
  const fn = findFunction(call, ref, undefined);
  if (ref.qualifier === '$LATEST') {
    throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  }
  if (ref.qualifier === undefined) call.ctx.functions.remove(fn);
  else if (!fn.versions.delete(/^\d+$/.test(ref.qualifier) ? Number(ref.qualifier) : NaN)) throw functionNotFound(ref);
  return json(204, undefined, lambdaHeaders());
}

/**
 * GET /2015-03-31/functions: at most 50 per page, by name; FunctionVersion=ALL adds every published version after
 * each $LATEST. The items leave out State and LastUpdateStatus, as AWS's do (GetFunction has them).
 */
export function listFunctions(call: LambdaCall): EmuResponse {
  const query = call.req.url.searchParams;
  const masterRegion = query.get('MasterRegion') ?? undefined;
  const functionVersion = query.get('FunctionVersion') ?? undefined;
  const failures = new Failures()
    .check('masterRegion', masterRegion, FUNCTION_SHAPES.MasterRegion)
    .check('functionVersion', functionVersion, FUNCTION_SHAPES.FunctionVersion);
  const { maxItems, marker } = listQuery(call, failures);
  if (failures.list.length) throw validationError(failures.list);
  // No function here is a Lambda@Edge replica, so a MasterRegion filter matches none.
  const functions = masterRegion ? [] : call.ctx.functions.list(call.caller.account, call.region);
  const items = functions.flatMap((fn): { key: string; fn: LambdaFunction; view: FunctionView }[] => {
    const latest = { key: `${fn.name}\u0000`, fn, view: viewOf(fn, { ...fn, qualifier: undefined }) };
    if (functionVersion !== 'ALL') return [latest];
    // With ALL, $LATEST's ARN is qualified too, and each published version follows it.
    const versions = [...fn.versions.keys()].sort((a, b) => a - b);
    return [
      { ...latest, view: { ...latest.view, arnQualifier: '$LATEST' } },
      ...versions.map((n) => ({
        key: `${fn.name}\u0000${String(n).padStart(10, '0')}`,
        fn,
        view: viewOf(fn, { ...fn, qualifier: String(n) }),
      })),
    ];
  });
  const result = page(
    items,
    (item) => item.key,
    (item, key) => item.key < key,
    { maxItems: Math.min(maxItems ?? LIST_PAGE, LIST_PAGE), marker },
  );
  return json(
    200,
    {
      Functions: result.items.map((item) => configuration(item.fn, item.view, 'list')),
      ...(result.next ? { NextMarker: result.next } : {}),
    },
    lambdaHeaders(),
  );
}
