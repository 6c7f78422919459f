import type { EmuRequest, EmuResponse, Service } from '../../http.js';
import type { AwsContext } from '../context.js';
import { accessDenied, type LambdaCall } from './call.js';
import { LambdaError, serviceError, throttled } from './errors.js';
import { deleteLayerVersion, getLayerVersion, getLayerVersionByArn, listLayers, listLayerVersions } from './layers.js';
import { addLayerVersionPermission, getLayerVersionPolicy, removeLayerVersionPermission } from './permissions.js';
import { FUNCTION_ROUTES } from './function-routes.js';
import { publishLayerVersion, requestTooLarge } from './publish.js';
import { layerArn } from './state.js';
import { LIMITS } from './validation.js';

export type Handler = (call: LambdaCall) => EmuResponse | Promise<EmuResponse>;

export interface Route {
  method: string;
  pattern: RegExp;
  /** Names of the pattern's groups, in order. */
  keys: string[];
  operation: string;
  handler: Handler;
  /** Extra condition on the query string (GetLayerVersionByArn shares ListLayers' path). */
  when?: (query: URLSearchParams) => boolean;
  /** The resource IAM evaluates the call on, when it is not a layer (see deniedResource). */
  resource?: (call: LambdaCall) => string;
  /** The operation's request size limit, when it is not Lambda's usual one (CreateFunction takes more). */
  requestLimit?: number;
}

const VERSION = '/2018-10-31/layers/([^/]+)/versions/([^/]+)';
const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/2018-10-31\/layers\/?$/,
    keys: [],
    operation: 'GetLayerVersion',
    handler: getLayerVersionByArn,
    when: (q) => q.get('find') === 'LayerVersion',
  },
  { method: 'GET', pattern: /^\/2018-10-31\/layers\/?$/, keys: [], operation: 'ListLayers', handler: listLayers },
  {
    method: 'POST',
    pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/,
    keys: ['layerName'],
    operation: 'PublishLayerVersion',
    handler: publishLayerVersion,
  },
  {
    method: 'GET',
    pattern: /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/,
    keys: ['layerName'],
    operation: 'ListLayerVersions',
    handler: listLayerVersions,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${VERSION}$`),
    keys: ['layerName', 'version'],
    operation: 'GetLayerVersion',
    handler: getLayerVersion,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${VERSION}$`),
    keys: ['layerName', 'version'],
    operation: 'DeleteLayerVersion',
    handler: deleteLayerVersion,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${VERSION}/policy$`),
    keys: ['layerName', 'version'],
    operation: 'AddLayerVersionPermission',
    handler: addLayerVersionPermission,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${VERSION}/policy$`),
    keys: ['layerName', 'version'],
    operation: 'GetLayerVersionPolicy',
    handler: getLayerVersionPolicy,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^${VERSION}/policy/([^/]+)$`),
    keys: ['layerName', 'version', 'statementId'],
    operation: 'RemoveLayerVersionPermission',
    handler: removeLayerVersionPermission,
  },
  ...FUNCTION_ROUTES,
];

function route(req: EmuRequest): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== req.method) continue;
    const match = candidate.pattern.exec(req.url.pathname);
    if (!match || (candidate.when && !candidate.when(req.url.searchParams))) continue;
    const params = Object.fromEntries(candidate.keys.map((key, i) => [key, decodeURIComponent(match[i + 1])]));
    return { route: candidate, params };
  }
  return undefined;
}

/**
 * The resource IAM evaluates for the call (Lambda's authorization reference): a layer for PublishLayerVersion, a
 * layer version for the calls on one version, and `*` for the list calls, which take no resource.
 */
function deniedResource(call: LambdaCall, route: Route): string {
  if (route.resource) return route.resource(call);
  const { layerName, version } = call.params;
  if (call.operation === 'ListLayers' || call.operation === 'ListLayerVersions') return '*';
  if (layerName === undefined) return call.req.url.searchParams.get('Arn') ?? '*';
  const layer = layerName.startsWith('arn:')
    ? layerName
    : layerArn({ account: call.caller.account, region: call.region, name: layerName });
  return version === undefined ? layer : `${layer}:${version}`;
}

/** Checks that hold for every operation, in the order AWS's front door applies them. */
async function dispatch(ctx: AwsContext, req: EmuRequest): Promise<EmuResponse> {
  if (!req.scope) throw new LambdaError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  const region = req.scope.region;
  if (ctx.notEnabled.has(region)) {
    throw new LambdaError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const found = route(req);
  if (!found)
    throw new LambdaError(404, 'UnknownOperationException', `Unknown operation ${req.method} ${req.url.pathname}`);
  if (req.body.length > (found.route.requestLimit ?? LIMITS.request)) {
    throw requestTooLarge(found.route.operation, found.route.requestLimit);
  }
  const call: LambdaCall = {
    req,
    ctx,
    operation: found.route.operation,
    region,
    caller: ctx.caller(req),
    params: found.params,
  };
  if (ctx.denied.has(region)) {
    throw accessDenied(call, deniedResource(call, found.route), 'with an explicit deny in an identity-based policy');
  }
  // After authentication and authorization, as AWS meters the caller's account, not anonymous traffic.
  const rate = ctx.lambdaRate.take(`${call.caller.account} ${region}`);
  if (!rate.ok) throw throttled(rate.retryAfterSeconds);
  return found.route.handler(call);
}

/** The Lambda control plane (REST-JSON): layers, functions, versions, aliases, tags; every region on one port. */
export function createLambdaService(ctx: AwsContext): Service {
  return {
    name: 'lambda',
    matches: (req) =>
      req.scope ? req.scope.service === 'lambda' : /^\/(2018-10-31|2015-03-31|2017-03-31)\//.test(req.url.pathname),
    operation: (req) => route(req)?.route.operation ?? 'Unknown',
    async handle(req) {
      try {
        return await dispatch(ctx, req);
      } catch (err) {
        if (err instanceof LambdaError) return err.toResponse();
        throw err;
      }
    },
    errorResponse: (kind, retryAfterSeconds) =>
      (kind === 'throttle' ? throttled(retryAfterSeconds) : serviceError()).toResponse(),
  };
}
