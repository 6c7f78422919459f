import { json, type EmuResponse } from '../../http.js';
import type { AwsContext } from '../context.js';
import type { Identity } from '../identity.js';
import {
  accessDenied,
  inThisRegion,
  listItem,
  parseLayerVersionArn,
  requireOwn,
  resolveLayer,
  versionNumber,
  versionOutput,
  type LambdaCall,
} from './call.js';
import { invalidParameter, lambdaHeaders, notFound, validationError } from './errors.js';
import { layerArn, type LayerRef, type LayerVersion } from './state.js';
import { Failures, SHAPES } from './validation.js';

/** True when the version's policy lets `caller` (another account) read it. */
export function grants(ctx: AwsContext, version: LayerVersion, caller: Identity): boolean {
  return (version.policy?.statements ?? []).some((s) => {
    if (typeof s.Principal === 'object') return s.Principal.AWS.split(':')[4] === caller.account;
    const org = s.Condition?.StringEquals['aws:PrincipalOrgID'];
    return org === undefined || ctx.organizations.get(caller.account) === org;
  });
}

/** A version the caller may read: its own, or another account's that a layer permission shares with it. */
function readableVersion(call: LambdaCall, ref: LayerRef, number: number): LayerVersion {
  if (!inThisRegion(call, ref)) throw notFound();
  const version = call.ctx.lambda.version(ref, number);
  if (ref.account !== call.caller.account && !(version && grants(call.ctx, version, call.caller))) {
    throw accessDenied(
      call,
      `${layerArn(ref)}:${number}`,
      'because no resource-based policy allows the lambda:GetLayerVersion action',
    );
  }
  if (!version) throw notFound();
  return version;
}

/** GET /2018-10-31/layers/{LayerName}/versions/{VersionNumber} */
export function getLayerVersion(call: LambdaCall): EmuResponse {
  const ref = resolveLayer(call, call.params.layerName);
  const version = readableVersion(call, ref, versionNumber(call));
  return json(200, versionOutput(call, version, ref.region), lambdaHeaders());
}

/** GET /2018-10-31/layers?find=LayerVersion&Arn=... */
export function getLayerVersionByArn(call: LambdaCall): EmuResponse {
  const arn = call.req.url.searchParams.get('Arn') ?? undefined;
  const failures = new Failures().required('arn', arn).check('arn', arn, 'LayerVersionArn');
  const parsed = arn === undefined ? undefined : parseLayerVersionArn(arn);
  if (failures.list.length || !parsed) throw validationError(failures.list);
  const version = readableVersion(call, parsed.ref, parsed.version);
  return json(200, versionOutput(call, version, parsed.ref.region), lambdaHeaders());
}

/** DELETE /2018-10-31/layers/{LayerName}/versions/{VersionNumber}: 204 whether or not the version exists. */
export function deleteLayerVersion(call: LambdaCall): EmuResponse {
  const ref = resolveLayer(call, call.params.layerName);
  requireOwn(call, ref);
  const number = versionNumber(call);
  if (inThisRegion(call, ref)) call.ctx.lambda.remove(ref, number);
  return json(204, undefined, lambdaHeaders());
}

interface ListFilter {
  runtime?: string;
  architecture?: string;
  maxItems: number;
  marker?: string;
}

function listFilter(call: LambdaCall): ListFilter {
  const query = call.req.url.searchParams;
  const runtime = query.get('CompatibleRuntime') ?? undefined;
  const architecture = query.get('CompatibleArchitecture') ?? undefined;
  const rawMax = query.get('MaxItems');
  const maxItems = rawMax === null ? SHAPES.MaxLayerListItems.max : Number(rawMax);
  const failures = new Failures()
    .check('compatibleRuntime', runtime, 'Runtime')
    .check('maxItems', maxItems, 'MaxLayerListItems')
    .check('compatibleArchitecture', architecture, 'Architecture');
  if (failures.list.length) throw validationError(failures.list);
  if (!Number.isInteger(maxItems)) throw invalidParameter(`Invalid MaxItems: ${rawMax}`);
  return { runtime, architecture, maxItems, marker: query.get('Marker') ?? undefined };
}

function matches(version: LayerVersion, filter: ListFilter): boolean {
  return (
    (!filter.runtime || (version.compatibleRuntimes ?? []).includes(filter.runtime)) &&
    (!filter.architecture || (version.compatibleArchitectures ?? []).includes(filter.architecture))
  );
}

/**
 * One page of the sorted `items`, starting at the first item not before the marker. A marker (opaque to clients)
 * holds the key of the first item of the next page, so deleting items between two calls skips nothing.
 */
export function page<T>(
  items: T[],
  key: (item: T) => string,
  before: (item: T, marker: string) => boolean,
  filter: { maxItems: number; marker?: string },
): { items: T[]; next?: string } {
  let start = 0;
  if (filter.marker !== undefined) {
    const marker = Buffer.from(filter.marker, 'base64url').toString('utf8');
    if (!marker) throw invalidParameter(`Invalid Marker: ${filter.marker}`);
    start = items.findIndex((item) => !before(item, marker));
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + filter.maxItems);
  const rest = items[start + filter.maxItems];
  return { items: slice, next: rest ? Buffer.from(key(rest)).toString('base64url') : undefined };
}

/** GET /2018-10-31/layers/{LayerName}/versions: newest first; a layer that does not exist has no versions. */
export function listLayerVersions(call: LambdaCall): EmuResponse {
  const filter = listFilter(call);
  const ref = resolveLayer(call, call.params.layerName);
  requireOwn(call, ref);
  const layer = inThisRegion(call, ref) ? call.ctx.lambda.layer(ref) : undefined;
  const versions = [...(layer?.versions.values() ?? [])]
    .filter((v) => matches(v, filter))
    .sort((a, b) => b.version - a.version);
  const result = page(
    versions,
    (v) => String(v.version),
    (v, marker) => v.version > Number(marker),
    filter,
  );
  return json(
    200,
    { LayerVersions: result.items.map(listItem), ...(result.next ? { NextMarker: result.next } : {}) },
    lambdaHeaders(),
  );
}

/** GET /2018-10-31/layers: each layer with its newest version that matches the filters. */
export function listLayers(call: LambdaCall): EmuResponse {
  const filter = listFilter(call);
  const layers = [...call.ctx.lambda.layersOf(call.caller.account, call.region).values()]
    .map((layer) => {
      const latest = [...layer.versions.values()]
        .filter((v) => matches(v, filter))
        .sort((a, b) => b.version - a.version)[0];
      return latest && { name: layer.name, latest };
    })
    .filter((entry): entry is { name: string; latest: LayerVersion } => Boolean(entry))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const result = page(
    layers,
    (l) => l.name,
    (l, marker) => l.name < marker,
    filter,
  );
  return json(
    200,
    {
      Layers: result.items.map((l) => ({
        LayerName: l.name,
        LayerArn: l.latest.layerArn,
        LatestMatchingVersion: listItem(l.latest),
      })),
      ...(result.next ? { NextMarker: result.next } : {}),
    },
    lambdaHeaders(),
  );
}
