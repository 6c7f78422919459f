import type { LambdaCall } from './call.js';
import { invalidParameter } from './errors.js';
import { BLOCKED_RUNTIMES, FUNCTION_RUNTIMES, FUNCTION_SHAPES } from './function-shapes.js';
import { layerListFailure } from './function-layers.js';
import { RUNTIMES, bodyObject, bodyString, bodyStringList, unreadable, type Failures } from './validation.js';

/** Members of a JSON body beyond strings and string lists (see validation.ts for those). */
export function bodyInteger(body: Record<string, unknown>, member: string): number | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw unreadable(member, 'an integer');
  return value;
}

export function bodyBoolean(body: Record<string, unknown>, member: string): boolean | undefined {
  const value = body[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw unreadable(member, 'a boolean');
  return value;
}

export function bodyStringMap(body: Record<string, unknown>, member: string): Record<string, string> | undefined {
  const value = bodyObject(body, member);
  if (value && Object.values(value).some((v) => typeof v !== 'string')) throw unreadable(member, 'a map of strings');
  return value as Record<string, string> | undefined;
}

/** Environment.Variables, as a map (an Environment without Variables means none). */
export function bodyEnvironment(body: Record<string, unknown>): Record<string, string> | undefined {
  const environment = bodyObject(body, 'Environment');
  return environment && (bodyStringMap(environment, 'Variables') ?? {});
}

/**
 * The emulator models the members rollout and its tests use. A request with any other member (VpcConfig,
 * ImageConfig, KMSKeyArn, ...) is refused by name rather than half-applied, so a test never passes on a setting
 * that did nothing.
 */
export function refuseUnmodelled(body: Record<string, unknown>, modelled: readonly string[]): void {
  const extra = Object.keys(body).filter((k) => !modelled.includes(k) && body[k] !== null);
  if (extra.length) {
    throw invalidParameter(
      `${extra.join(', ')}: not modelled by this emulator; leave ${extra.length > 1 ? 'them' : 'it'} out.`,
    );
  }
}

/**
 * A function's runtime, checked as AWS checks it after the model's constraints: an id it no longer accepts for
 * functions, or one it does not know (AWS answers InvalidParameterValueException here, not ValidationException).
 */
export function checkRuntime(runtime: string | undefined): void {
  if (runtime === undefined) return;
  if (BLOCKED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. ` +
        'We recommend you use a supported runtime while creating or updating functions.',
    );
  }
  if (!FUNCTION_RUNTIMES.includes(runtime) || !RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: ` +
        `[${FUNCTION_RUNTIMES.join(', ')}] or be a valid ARN`,
    );
  }
}

/** A Marker or MaxItems query value (Lambda's list operations share them). */
export function listQuery(call: LambdaCall, failures: Failures): { maxItems?: number; marker?: string } {
  const query = call.req.url.searchParams;
  const rawMax = query.get('MaxItems');
  const maxItems = rawMax === null ? undefined : Number(rawMax);
  failures.check('maxItems', maxItems, FUNCTION_SHAPES.MaxListItems);
  if (maxItems !== undefined && !Number.isInteger(maxItems)) throw invalidParameter(`Invalid MaxItems: ${rawMax}`);
  return { maxItems, marker: query.get('Marker') ?? undefined };
}

/** The version-specific settings CreateFunction and UpdateFunctionConfiguration both take, as sent. */
export interface SettingsInput {
  role?: string;
  handler?: string;
  description?: string;
  timeout?: number;
  memorySize?: number;
  runtime?: string;
  layers?: string[];
  environment?: Record<string, string>;
}

/** Reads those settings and adds the model's constraint failures on them (and AWS's on the Layers list). */
export function settingsInput(body: Record<string, unknown>, failures: Failures): SettingsInput {
  const input: SettingsInput = {
    role: bodyString(body, 'Role'),
    handler: bodyString(body, 'Handler'),
    description: bodyString(body, 'Description'),
    timeout: bodyInteger(body, 'Timeout'),
    memorySize: bodyInteger(body, 'MemorySize'),
    runtime: bodyString(body, 'Runtime'),
    layers: bodyStringList(body, 'Layers'),
    environment: bodyEnvironment(body),
  };
  failures
    .check('role', input.role, FUNCTION_SHAPES.RoleArn)
    .check('handler', input.handler, FUNCTION_SHAPES.Handler)
    .check('description', input.description, 'Description')
    .check('timeout', input.timeout, FUNCTION_SHAPES.Timeout)
    .check('memorySize', input.memorySize, FUNCTION_SHAPES.MemorySize);
  const layerFailure = layerListFailure(input.layers);
  if (layerFailure) failures.list.push(layerFailure);
  return input;
}
