import { json, type EmuRequest, type EmuResponse } from '../http.js';
import type { ControlHandler } from '../server.js';
import type { AwsConfig, AwsContext } from './context.js';
import { LambdaError } from './lambda/errors.js';
import { failNextUpdate, seedFunctions, type SeedFunction } from './lambda/function-seed.js';

const PREFIX = 'aws/';

function body(req: EmuRequest): Record<string, unknown> {
  const text = req.body.toString('utf8');
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object');
  return value as Record<string, unknown>;
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new Error(`${field} must be a list of strings`);
  return value as string[];
}

function configPatch(input: Record<string, unknown>): Partial<AwsConfig> {
  const patch: Partial<AwsConfig> = {};
  const notEnabled = stringList(input.notEnabled, 'notEnabled');
  const denied = stringList(input.denied, 'denied');
  if (notEnabled) patch.notEnabled = notEnabled;
  if (denied) patch.denied = denied;
  if (input.organizations !== undefined) patch.organizations = input.organizations as Record<string, string>;
  if (typeof input.storageLimitBytes === 'number') patch.storageLimitBytes = input.storageLimitBytes;
  if (typeof input.clockOffsetSeconds === 'number') patch.clockOffsetSeconds = input.clockOffsetSeconds;
  if (input.rateLimit !== undefined) {
    if (typeof input.rateLimit !== 'number' || !(input.rateLimit >= 0))
      throw new Error('rateLimit must be a number >= 0');
    patch.rateLimit = input.rateLimit;
  }
  if (typeof input.functionUpdateMs === 'number') patch.functionUpdateMs = input.functionUpdateMs;
  return patch;
}

/**
 * Routes under /__emulator/aws/ for tests:
 *   GET  config                 {notEnabled, denied, organizations, storageLimitBytes, rateLimit, clockOffsetSeconds,
 *                               functionUpdateMs}
 *   POST config                 patch any of those (each member replaces the current value)
 *   GET  state[?account=&region=]  layers (versions, policies, counters), SSM parameters, S3 buckets, STS sessions
 *   DELETE state                forget everything (config stays)
 *   POST lambda/next-version    {layerName, region, account?, nextVersion}: move a layer's counter forward
 *   POST lambda/functions       {region, account?, functions: [{name, layers?, tags?, runtime?, ...}]}: create
 *                               functions already Active (CreateFunction's checks apply)
 *   POST lambda/function-failure  {functionName, region, account?, reasonCode, reason}: the function's next update
 *                               ends LastUpdateStatus Failed with that reason
 */
export function createAwsControl(ctx: AwsContext): ControlHandler {
  return async (path, req): Promise<EmuResponse | undefined> => {
    if (!path.startsWith(PREFIX)) return undefined;
    const route = `${req.method} ${path.slice(PREFIX.length)}`;
    try {
      switch (route) {
        case 'GET config':
          return json(200, ctx.config());
        case 'POST config':
          return json(200, ctx.configure(configPatch(body(req))));
        case 'GET state': {
          const filter = {
            account: req.url.searchParams.get('account') ?? undefined,
            region: req.url.searchParams.get('region') ?? undefined,
          };
          return json(200, {
            lambda: ctx.lambda.dump(filter),
            functions: ctx.functions.dump(filter),
            ssm: ctx.ssm.dump(filter),
            s3: ctx.s3.dump(filter),
            sts: ctx.identities.dump(),
          });
        }
        case 'DELETE state':
          ctx.clear();
          return json(204, undefined);
        case 'POST lambda/next-version': {
          const input = body(req);
          const { layerName, region, nextVersion } = input;
          if (typeof layerName !== 'string' || typeof region !== 'string' || typeof nextVersion !== 'number') {
            throw new Error('expected {layerName: string, region: string, account?: string, nextVersion: number}');
          }
          const account = typeof input.account === 'string' ? input.account : ctx.identities.defaultAccount;
          const layer = ctx.lambda.advance({ account, region, name: layerName }, nextVersion);
          return json(200, { layerName, region, account, nextVersion: layer.nextVersion });
        }
        case 'POST lambda/functions': {
          const input = body(req);
          const { region, functions } = input;
          if (typeof region !== 'string' || !Array.isArray(functions)) {
            throw new Error('expected {region: string, account?: string, functions: [{name, layers?, tags?, ...}]}');
          }
          const account = typeof input.account === 'string' ? input.account : ctx.identities.defaultAccount;
          const seeded = await seedFunctions(ctx, req, region, account, functions as SeedFunction[]);
          return json(200, { region, account, functions: seeded });
        }
        case 'POST lambda/function-failure': {
          const input = body(req);
          const { functionName, region, reasonCode, reason } = input;
          if ([functionName, region, reasonCode, reason].some((v) => typeof v !== 'string')) {
            throw new Error('expected {functionName, region, account?, reasonCode, reason} (strings)');
          }
          const account = typeof input.account === 'string' ? input.account : ctx.identities.defaultAccount;
          const target = { functionName: functionName as string, region: region as string, account };
          if (!failNextUpdate(ctx, target, { reasonCode: reasonCode as string, reason: reason as string })) {
            return json(404, { message: `no function ${functionName} in ${account}/${region}` });
          }
          return json(200, { ...target, reasonCode, reason });
        }
        default:
          return undefined;
      }
    } catch (err) {
      if (err instanceof LambdaError) return json(err.status, { code: err.code, message: err.message });
      return json(400, { message: err instanceof Error ? err.message : String(err) });
    }
  };
}
