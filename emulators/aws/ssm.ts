import { randomUUID } from 'node:crypto';
import { json, type EmuRequest, type EmuResponse, type Service } from '../http.js';
import type { AwsContext } from './context.js';
import { requestRegion } from './protocol.js';
import { partitionOf, regionsOfPartition } from './regions.js';
import type { Parameter } from './ssm-store.js';

/** Public parameters AWS publishes in every account: which regions have Lambda. */
const LAMBDA_REGIONS_PATH = '/aws/service/global-infrastructure/services/lambda/regions';
const TYPES = ['String', 'StringList', 'SecureString'];

class SsmError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Errors raised by AWS's request framework rather than by SSM itself: their __type carries the framework's
 * namespace (clients keep what follows the '#'), and AccessDeniedException spells its member "Message".
 */
const FRAMEWORK_ERRORS: Record<string, { namespace: string; messageKey: string }> = {
  UnrecognizedClientException: { namespace: 'com.amazon.coral.service', messageKey: 'message' },
  AccessDeniedException: { namespace: 'com.amazon.coral.service', messageKey: 'Message' },
  ThrottlingException: { namespace: 'com.amazon.coral.availability', messageKey: 'message' },
  ValidationException: { namespace: 'com.amazon.coral.validate', messageKey: 'message' },
  SerializationException: { namespace: 'com.amazon.coral.service', messageKey: 'Message' },
};

function ssmError(status: number, code: string, message: string, headers: Record<string, string> = {}): EmuResponse {
  const framework = FRAMEWORK_ERRORS[code];
  return json(
    status,
    framework
      ? { __type: `${framework.namespace}#${code}`, [framework.messageKey]: message }
      : { __type: code, message },
    { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), ...headers },
  );
}

function ok(value: unknown): EmuResponse {
  return json(200, value, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
}

function output(p: Parameter, region: string, account: string): Record<string, unknown> {
  const path = p.name.startsWith('/') ? p.name : `/${p.name}`;
  return {
    Name: p.name,
    Type: p.type,
    Value: p.value,
    Version: p.version,
    LastModifiedDate: p.lastModified.getTime() / 1000,
    ARN: `arn:${partitionOf(region)}:ssm:${region}:${account}:parameter${path}`,
    DataType: p.dataType,
  };
}

/** The account's own parameters plus the public global-infrastructure ones. */
function lookup(ctx: AwsContext, account: string, region: string): Map<string, Parameter> {
  const own = ctx.ssm.parameters(account, region);
  const merged = new Map(own);
  for (const name of regionsOfPartition(region)) {
    const full = `${LAMBDA_REGIONS_PATH}/${name}`;
    merged.set(full, {
      name: full,
      type: 'String',
      value: name,
      version: 1,
      lastModified: new Date(0),
      dataType: 'text',
    });
  }
  return merged;
}

function call(ctx: AwsContext, req: EmuRequest, operation: string, input: Record<string, unknown>): EmuResponse {
  const region = requestRegion(req);
  const { account } = ctx.caller(req);
  const own = ctx.ssm.parameters(account, region);
  const name = typeof input.Name === 'string' ? input.Name : '';
  switch (operation) {
    case 'PutParameter': {
      const type = typeof input.Type === 'string' ? input.Type : undefined;
      if (typeof input.Value !== 'string') throw new SsmError('ValidationException', 'Value is required.');
      if (!name || /^\/?(aws|ssm)/i.test(name)) {
        throw new SsmError(
          'ValidationException',
          `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`,
        );
      }
      if (type !== undefined && !TYPES.includes(type))
        throw new SsmError('ValidationException', `Invalid Type: ${type}`);
      const existing = own.get(name);
      if (existing && input.Overwrite !== true) {
        throw new SsmError(
          'ParameterAlreadyExists',
          'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
        );
      }
      if (!existing && !type)
        throw new SsmError('ValidationException', 'A parameter type is required when you create a parameter.');
      const version = (existing?.version ?? 0) + 1;
      own.set(name, {
        name,
        type: type ?? existing?.type ?? 'String',
        value: input.Value,
        version,
        lastModified: new Date(),
        dataType: typeof input.DataType === 'string' ? input.DataType : 'text',
        ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
      });
      return ok({ Version: version, Tier: 'Standard' });
    }
    case 'GetParameter': {
      const found = lookup(ctx, account, region).get(name);
      if (!found) throw new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
      return ok({ Parameter: output(found, region, account) });
    }
    case 'GetParameters': {
      const names = Array.isArray(input.Names) ? input.Names.map(String) : [];
      const all = lookup(ctx, account, region);
      return ok({
        Parameters: names.filter((n) => all.has(n)).map((n) => output(all.get(n) as Parameter, region, account)),
        InvalidParameters: names.filter((n) => !all.has(n)),
      });
    }
    case 'GetParametersByPath':
      return byPath(lookup(ctx, account, region), input, region, account);
    case 'DeleteParameter':
      if (!own.delete(name)) throw new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
      return ok({});
    default:
      throw new SsmError('UnknownOperationException', `Unknown operation ${operation}`);
  }
}

function byPath(
  all: Map<string, Parameter>,
  input: Record<string, unknown>,
  region: string,
  account: string,
): EmuResponse {
  const path = typeof input.Path === 'string' ? input.Path : '/';
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const recursive = input.Recursive === true;
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : 10;
  if (max < 1 || max > 10) {
    const rule = max < 1 ? 'greater than or equal to 1' : 'less than or equal to 10';
    throw new SsmError(
      'ValidationException',
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value ${rule}`,
    );
  }
  const matching = [...all.values()]
    .filter((p) => p.name.startsWith(prefix) && (recursive || !p.name.slice(prefix.length).includes('/')))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
  const pageItems = matching.slice(start, start + max);
  const next = start + max < matching.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return ok({ Parameters: pageItems.map((p) => output(p, region, account)), ...(next ? { NextToken: next } : {}) });
}

/** The parameter (or path) IAM evaluates for the call, as an ARN. */
function deniedResource(req: EmuRequest, region: string, account: string): string {
  let name = '*';
  try {
    const input = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
    const named = input.Name ?? input.Path ?? (Array.isArray(input.Names) ? input.Names[0] : undefined);
    if (typeof named === 'string') name = named.startsWith('/') ? named.slice(1) : named;
  } catch {
    // an unreadable body names no parameter
  }
  return `arn:${partitionOf(region)}:ssm:${region}:${account}:parameter/${name}`;
}

function target(req: EmuRequest): string {
  return String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
}

/** SSM Parameter Store (awsJson1.1 protocol, X-Amz-Target: AmazonSSM.*). */
export function createSsmService(ctx: AwsContext): Service {
  return {
    name: 'ssm',
    matches: (req) => req.scope?.service === 'ssm',
    operation: target,
    faultKey(req) {
      let name = '';
      try {
        const input = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
        name = String(input.Name ?? input.Path ?? input.Names ?? '');
      } catch {
        // a malformed body still gets a key
      }
      return `${requestRegion(req)} ${target(req)} ${name}`;
    },
    handle(req) {
      const region = requestRegion(req);
      if (ctx.notEnabled.has(region)) {
        return ssmError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      if (ctx.denied.has(region)) {
        const caller = ctx.caller(req);
        return ssmError(
          400,
          'AccessDeniedException',
          `User: ${caller.arn} is not authorized to perform: ssm:${target(req)} on resource: ` +
            `${deniedResource(req, region, caller.account)} with an explicit deny in an identity-based policy`,
        );
      }
      try {
        const input = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>;
        return call(ctx, req, target(req), input);
      } catch (err) {
        if (err instanceof SsmError) return ssmError(err.status, err.code, err.message);
        if (err instanceof SyntaxError) return ssmError(400, 'SerializationException', 'Malformed JSON body');
        throw err;
      }
    },
    errorResponse: (kind, retryAfterSeconds) =>
      kind === 'throttle'
        ? ssmError(400, 'ThrottlingException', 'Rate exceeded', { 'retry-after': String(retryAfterSeconds) })
        : ssmError(500, 'InternalServerError', 'An internal error occurred. Please retry.'),
  };
}
