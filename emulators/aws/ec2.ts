import { randomUUID } from 'node:crypto';
import { xml, type EmuRequest, type EmuResponse, type Service } from '../http.js';
import type { AwsContext } from './context.js';
import { ec2Error, queryList, queryParams, requestRegion, tag } from './protocol.js';
import { dnsSuffix, isOptIn, regionsOfPartition } from './regions.js';

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

interface RegionRow {
  name: string;
  endpoint: string;
  optInStatus: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
}

function optInStatus(ctx: AwsContext, region: string): RegionRow['optInStatus'] {
  if (ctx.notEnabled.has(region)) return 'not-opted-in';
  return isOptIn(region) ? 'opted-in' : 'opt-in-not-required';
}

/** Filter.N.Name / Filter.N.Value.M pairs. */
function filters(params: URLSearchParams): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  for (let i = 1; params.has(`Filter.${i}.Name`); i++) {
    out.push({ name: params.get(`Filter.${i}.Name`) ?? '', values: queryList(params, `Filter.${i}.Value`) });
  }
  return out;
}

/** The filters DescribeRegions documents; EC2 refuses any other name. */
const FILTERS = ['endpoint', 'region-name', 'opt-in-status'];

function field(row: RegionRow, filter: string): string | undefined {
  if (filter === 'region-name') return row.name;
  if (filter === 'endpoint') return row.endpoint;
  if (filter === 'opt-in-status') return row.optInStatus;
  return undefined;
}

/** DescribeRegions: the partition's regions with Lambda; only enabled ones unless AllRegions=true. */
function describeRegions(ctx: AwsContext, req: EmuRequest, params: URLSearchParams): EmuResponse {
  const region = requestRegion(req);
  const names = queryList(params, 'RegionName');
  const all = params.get('AllRegions') === 'true';
  let rows: RegionRow[] = regionsOfPartition(region).map((name) => ({
    name,
    endpoint: `ec2.${name}.${dnsSuffix(name)}`,
    optInStatus: optInStatus(ctx, name),
  }));
  const unknown = names.find((name) => !rows.some((row) => row.name === name));
  if (unknown) return ec2Error(400, 'InvalidParameterValue', `Invalid region: ${unknown}`);
  if (params.get('DryRun') === 'true') {
    return ec2Error(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
  }
  // Named regions are listed whether or not the account enabled them (the API reference says so).
  if (names.length) rows = rows.filter((row) => names.includes(row.name));
  else if (!all) rows = rows.filter((row) => row.optInStatus !== 'not-opted-in');
  for (const filter of filters(params)) {
    if (!FILTERS.includes(filter.name)) {
      return ec2Error(400, 'InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    }
    rows = rows.filter((row) => filter.values.includes(field(row, filter.name) ?? ''));
  }
  const items = rows
    .map(
      (row) =>
        `<item>${tag('regionName', row.name)}${tag('regionEndpoint', row.endpoint)}${tag('optInStatus', row.optInStatus)}</item>`,
    )
    .join('');
  return xml(
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeRegionsResponse xmlns="${NAMESPACE}">` +
      `${tag('requestId', randomUUID())}<regionInfo>${items}</regionInfo></DescribeRegionsResponse>`,
  );
}

/** EC2, as far as the action needs it: DescribeRegions (ec2Query protocol, XML). */
export function createEc2Service(ctx: AwsContext): Service {
  return {
    name: 'ec2',
    matches: (req) => req.scope?.service === 'ec2',
    faultKey: (req) => `${requestRegion(req)} ${queryParams(req).get('Action')}`,
    operation: (req) => queryParams(req).get('Action') ?? 'Unknown',
    handle(req) {
      const region = requestRegion(req);
      if (ctx.notEnabled.has(region)) {
        return ec2Error(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
      }
      const params = queryParams(req);
      const action = params.get('Action');
      if (action === 'DescribeRegions') return describeRegions(ctx, req, params);
      return ec2Error(400, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service.`);
    },
    errorResponse: (kind, retryAfterSeconds) =>
      kind === 'throttle'
        ? ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.', { 'retry-after': String(retryAfterSeconds) })
        : ec2Error(500, 'InternalError', 'An internal error has occurred'),
  };
}
