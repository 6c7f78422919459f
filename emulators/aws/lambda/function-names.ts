import { accessDenied, type LambdaCall } from './call.js';
import { LambdaError, invalidParameter, notFound } from './errors.js';
import { functionArn, type FunctionSettings, type LambdaFunction } from './function-state.js';
import { MAX_NAME_LENGTH } from './function-shapes.js';

/** What a FunctionName names: a name, `name:qualifier`, a partial ARN (`123456789012:function:name`) or an ARN. */
export interface FunctionRef {
  name: string;
  account: string;
  region: string;
  qualifier?: string;
}

const REGION = '(?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso[a-z]?))?-[a-z]+-\\d';
const FUNCTION_NAME = new RegExp(
  `^(?:arn:(?<partition>aws[a-zA-Z-]*)?:lambda:)?(?:(?<region>${REGION}):)?(?:(?<account>\\d{12}):)?(?:function:)?` +
    '(?<name>[a-zA-Z0-9-_.]+)(?::(?<qualifier>\\$LATEST(?:\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$',
);

/**
 * Reads a FunctionName that already passed the model's pattern, with the checks AWS makes after it: an ARN of
 * another region is "not reachable", another account's function is AccessDenied (nothing is shared here), a
 * qualifier in the name must agree with a Qualifier parameter.
 */
export function parseFunctionName(call: LambdaCall, raw: string, qualifierParam?: string): FunctionRef {
  const match = FUNCTION_NAME.exec(raw);
  const groups = match?.groups ?? { name: raw };
  const region = groups.region ?? call.region;
  const account = groups.account ?? call.caller.account;
  if (region !== call.region) {
    throw notFound(`Functions from '${region}' are not reachable in this region ('${call.region}')`);
  }
  if (account !== call.caller.account) {
    throw accessDenied(
      call,
      functionArn(region, account, groups.name),
      `because no resource-based policy allows the lambda:${call.operation} action`,
    );
  }
  if (groups.qualifier !== undefined && qualifierParam !== undefined && groups.qualifier !== qualifierParam) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name: groups.name, account, region, qualifier: groups.qualifier ?? qualifierParam };
}

export function functionNotFound(ref: FunctionRef, qualifier = ref.qualifier): LambdaError {
  return notFound(`Function not found: ${functionArn(ref.region, ref.account, ref.name, qualifier)}`);
}

/** The caller's function `ref` names, as it is now, or AWS's 404 naming it (a name over 64 characters is none). */
export function findFunction(call: LambdaCall, ref: FunctionRef, qualifier = ref.qualifier): LambdaFunction {
  const fn = ref.name.length > MAX_NAME_LENGTH ? undefined : call.ctx.functions.get(ref.account, ref.region, ref.name);
  if (!fn) throw functionNotFound(ref, qualifier);
  return fn;
}

/** One version of a function as a qualifier selects it: $LATEST, a published number, or an alias's target. */
export interface FunctionView {
  settings: FunctionSettings;
  /** `$LATEST` or the version number. */
  version: string;
  revisionId: string;
  lastModified: string;
  /** The qualifier the ARN in the answer carries (none for an unqualified request). */
  arnQualifier?: string;
}

export function viewOf(fn: LambdaFunction, ref: FunctionRef): FunctionView {
  const qualifier = ref.qualifier;
  const latest = { settings: fn.latest, version: '$LATEST', revisionId: fn.revisionId, lastModified: fn.lastModified };
  if (qualifier === undefined) return latest;
  if (qualifier === '$LATEST') return { ...latest, arnQualifier: qualifier };
  const alias = /^\d+$/.test(qualifier) ? undefined : fn.aliases.get(qualifier);
  const target = alias ? alias.functionVersion : qualifier;
  if (target === '$LATEST') return { ...latest, arnQualifier: qualifier };
  const published = /^\d+$/.test(target) ? fn.versions.get(Number(target)) : undefined;
  if (!published) throw functionNotFound(ref);
  return {
    settings: published.settings,
    version: String(published.version),
    revisionId: published.revisionId,
    lastModified: published.lastModified,
    arnQualifier: qualifier,
  };
}

/** AWS's 412 for a RevisionId that is not the current one (function and alias calls say the same). */
export function checkRevision(expected: string | undefined, current: string): void {
  if (expected !== undefined && expected !== current) {
    throw new LambdaError(
      412,
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
}

/** AWS's 409 while the function is being created (Pending) or updated (InProgress): one change at a time. */
export function checkNotBusy(call: LambdaCall, fn: LambdaFunction): void {
  if (!call.ctx.functions.busy(fn)) return;
  const message =
    fn.state === 'Pending'
      ? 'The function is currently in the following state: Pending'
      : `An update is in progress for resource: ${fn.arn}`;
  throw new LambdaError(409, 'ResourceConflictException', `The operation cannot be performed at this time. ${message}`);
}
