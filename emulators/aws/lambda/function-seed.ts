import type { EmuRequest } from '../../http.js';
import type { AwsContext } from '../context.js';
import type { LambdaCall } from './call.js';
import { LambdaError } from './errors.js';
import { createFunction } from './functions.js';

/** A stored zip holding index.py (`def handler(event, context): return event`): the code of seeded functions. */
export const SEED_ZIP =
  'UEsDBAoAAAAAAAAAIVy0CHBpLgAAAC4AAAAIAAAAaW5kZXgucHlkZWYgaGFuZGxlcihldmVudCwgY29udGV4dCk6CiAgICByZXR1cm4gZXZlbnQK' +
  'UEsBAh4DCgAAAAAAAAAhXLQIcGkuAAAALgAAAAgAAAAAAAAAAAAAAKSBAAAAAGluZGV4LnB5UEsFBgAAAAABAAEANgAAAFQAAAAAAA==';

export interface SeedFunction {
  name: string;
  layers?: string[];
  tags?: Record<string, string>;
  runtime?: string;
  handler?: string;
  role?: string;
  description?: string;
  /** Base64 zip; a one-file Python handler when absent. */
  zipFile?: string;
}

export interface SeededFunction {
  name: string;
  arn: string;
  revisionId: string;
}

/**
 * Creates functions as CreateFunction would (the same checks: layer versions must exist and be readable, the size
 * quota, tags), but already Active, for tests and the demo that need many functions fast. Errors carry Lambda's
 * code and message, as the API would answer them.
 */
export async function seedFunctions(
  ctx: AwsContext,
  base: EmuRequest,
  region: string,
  account: string,
  functions: SeedFunction[],
): Promise<SeededFunction[]> {
  const seeded: SeededFunction[] = [];
  for (const seed of functions) {
    const body = {
      FunctionName: seed.name,
      Role: seed.role ?? `arn:aws:iam::${account}:role/lambda-layer-release-seeded`,
      Runtime: seed.runtime ?? 'python3.13',
      Handler: seed.handler ?? 'index.handler',
      Code: { ZipFile: seed.zipFile ?? SEED_ZIP },
      ...(seed.description !== undefined ? { Description: seed.description } : {}),
      ...(seed.layers ? { Layers: seed.layers } : {}),
      ...(seed.tags ? { Tags: seed.tags } : {}),
    };
    const call: LambdaCall = {
      req: { ...base, method: 'POST', body: Buffer.from(JSON.stringify(body)), scope: undefined },
      ctx,
      operation: 'CreateFunction',
      region,
      caller: { account, arn: `arn:aws:iam::${account}:root`, userId: account },
      params: {},
    };
    await createFunction(call);
    const fn = ctx.functions.get(account, region, seed.name);
    if (!fn) throw new LambdaError(500, 'ServiceException', `seeding ${seed.name} created nothing`);
    ctx.functions.activate(fn);
    seeded.push({ name: fn.name, arn: fn.arn, revisionId: fn.revisionId });
  }
  return seeded;
}

/** Arms the next update of a function to end LastUpdateStatus Failed with this reason (AWS's reason codes). */
export function failNextUpdate(
  ctx: AwsContext,
  target: { region: string; account: string; functionName: string },
  failure: { reasonCode: string; reason: string },
): boolean {
  const fn = ctx.functions.get(target.account, target.region, target.functionName);
  if (!fn) return false;
  fn.failNextUpdate = failure;
  return true;
}
