import { contentLocation, type LambdaCall } from './call.js';
import { functionArn, runtimeVersionArn, type LambdaFunction } from './function-state.js';
import type { FunctionView } from './function-names.js';

/** What AWS reports while a create or an update runs (the same words for both, as recorded against AWS). */
const CREATING = { reason: 'The function is being created.', code: 'Creating' };

export type ConfigurationKind =
  /** GetFunction, GetFunctionConfiguration, UpdateFunctionConfiguration, PublishVersion: every member. */
  | 'full'
  /** CreateFunction: State Pending, no LastUpdateStatus yet. */
  | 'create'
  /** ListFunctions and ListVersionsByFunction leave out State*, LastUpdateStatus* and RuntimeVersionConfig. */
  | 'list';

/** A FunctionConfiguration with the members AWS sends for a .zip function (empty optional ones left out). */
export function configuration(
  fn: LambdaFunction,
  view: FunctionView,
  kind: ConfigurationKind = 'full',
): Record<string, unknown> {
  const s = view.settings;
  const out: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: functionArn(fn.region, fn.account, fn.name, view.arnQualifier),
    ...(s.runtime !== undefined ? { Runtime: s.runtime } : {}),
    Role: s.role,
    ...(s.handler !== undefined ? { Handler: s.handler } : {}),
    CodeSize: s.codeSize,
    Description: s.description,
    Timeout: s.timeout,
    MemorySize: s.memorySize,
    LastModified: view.lastModified,
    CodeSha256: s.codeSha256,
    Version: view.version,
    ...(s.environment !== undefined ? { Environment: { Variables: s.environment } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: view.revisionId,
    ...(s.layers.length ? { Layers: s.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) } : {}),
    PackageType: 'Zip',
    Architectures: s.architectures,
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
  if (kind === 'list') return out;
  // Published versions are snapshots of a settled $LATEST: Active and Successful.
  const latest = view.version === '$LATEST';
  const pending = latest && fn.state === 'Pending';
  Object.assign(out, {
    State: pending ? 'Pending' : 'Active',
    ...(pending ? { StateReason: CREATING.reason, StateReasonCode: CREATING.code } : {}),
  });
  const update = latest ? fn.lastUpdate : { status: 'Successful' as const };
  if (kind === 'full' && update) {
    out.LastUpdateStatus = update.status;
    if (update.status === 'InProgress') {
      Object.assign(out, { LastUpdateStatusReason: CREATING.reason, LastUpdateStatusReasonCode: CREATING.code });
    } else if (update.failure) {
      Object.assign(out, {
        LastUpdateStatusReason: update.failure.reason,
        LastUpdateStatusReasonCode: update.failure.reasonCode,
      });
    }
  }
  if (s.runtime !== undefined)
    out.RuntimeVersionConfig = { RuntimeVersionArn: runtimeVersionArn(fn.region, s.runtime) };
  return out;
}

/** GetFunction's answer: the configuration, where the code is, and the function's tags when it has any. */
export function getFunctionOutput(call: LambdaCall, fn: LambdaFunction, view: FunctionView): Record<string, unknown> {
  return {
    Configuration: configuration(fn, view),
    Code: { RepositoryType: 'S3', Location: contentLocation(call, fn.code, fn.region) },
    ...(fn.tags.size ? { Tags: Object.fromEntries(fn.tags) } : {}),
  };
}
