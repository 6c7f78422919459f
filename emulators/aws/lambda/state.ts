import { randomUUID } from 'node:crypto';
import { partitionOf } from '../regions.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: { StringEquals: { 'aws:PrincipalOrgID': string } };
}

export interface LayerVersion {
  layerName: string;
  version: number;
  layerArn: string;
  layerVersionArn: string;
  description: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  createdDate: string;
  codeSha256: string;
  codeSize: number;
  unzippedSize: number;
  zip: Buffer;
  /** Key of the zip in the emulated S3, served by Content.Location. */
  contentKey: string;
  policy?: { revisionId: string; statements: PolicyStatement[] };
}

export interface Layer {
  name: string;
  /** Next version number; never goes back, so a deleted number is never reused. */
  nextVersion: number;
  versions: Map<number, LayerVersion>;
}

/** Where a layer lives: account, region and name (a layer ARN names all three). */
export interface LayerRef {
  account: string;
  region: string;
  name: string;
  /** The partition an ARN named; a name alone is in the region's own partition. */
  partition?: string;
}

export function layerArn(ref: LayerRef): string {
  return `arn:${partitionOf(ref.region)}:lambda:${ref.region}:${ref.account}:layer:${ref.name}`;
}

/** AWS's CreatedDate format: 2018-11-14T23:03:52.894+0000. */
export function lambdaDate(date = new Date()): string {
  return date.toISOString().replace('Z', '+0000');
}

/** The bucket that serves layer zips in a region (AWS uses one like it behind Content.Location). */
export function contentBucket(region: string): string {
  return `awslambda-${region}-layers`;
}

/** Layers of every account and region, and the bytes each account stores per region (a Lambda quota). */
export class LambdaStore {
  private readonly layers = new Map<string, Map<string, Layer>>();
  private readonly storage = new Map<string, number>();

  constructor(public storageLimitBytes: number) {}

  private scopeKey(account: string, region: string): string {
    return `${account}/${region}`;
  }

  /** The layers of one account in one region (empty when there are none; nothing is created). */
  layersOf(account: string, region: string): ReadonlyMap<string, Layer> {
    return this.layers.get(this.scopeKey(account, region)) ?? new Map();
  }

  private layersIn(account: string, region: string): Map<string, Layer> {
    const key = this.scopeKey(account, region);
    let layers = this.layers.get(key);
    if (!layers) this.layers.set(key, (layers = new Map()));
    return layers;
  }

  layer(ref: LayerRef): Layer | undefined {
    return this.layers.get(this.scopeKey(ref.account, ref.region))?.get(ref.name);
  }

  version(ref: LayerRef, version: number): LayerVersion | undefined {
    return this.layer(ref)?.versions.get(version);
  }

  storedBytes(account: string, region: string): number {
    return this.storage.get(this.scopeKey(account, region)) ?? 0;
  }

  /** Adds a version under the next number. Synchronous, so concurrent publishes never share a number. */
  add(ref: LayerRef, make: (version: number) => LayerVersion): LayerVersion {
    const layers = this.layersIn(ref.account, ref.region);
    let layer = layers.get(ref.name);
    if (!layer) layers.set(ref.name, (layer = { name: ref.name, nextVersion: 1, versions: new Map() }));
    const version = make(layer.nextVersion++);
    layer.versions.set(version.version, version);
    const key = this.scopeKey(ref.account, ref.region);
    this.storage.set(key, (this.storage.get(key) ?? 0) + version.codeSize);
    return version;
  }

  remove(ref: LayerRef, version: number): void {
    const existing = this.version(ref, version);
    if (!existing) return;
    this.layer(ref)?.versions.delete(version);
    const key = this.scopeKey(ref.account, ref.region);
    this.storage.set(key, (this.storage.get(key) ?? 0) - existing.codeSize);
  }

  /** Moves a layer's counter forward (tests: regions whose numbers have drifted apart). */
  advance(ref: LayerRef, nextVersion: number): Layer {
    const layers = this.layersIn(ref.account, ref.region);
    let layer = layers.get(ref.name);
    if (!layer) layers.set(ref.name, (layer = { name: ref.name, nextVersion: 1, versions: new Map() }));
    layer.nextVersion = Math.max(layer.nextVersion, nextVersion);
    return layer;
  }

  /** The zip behind a Content.Location, whatever account or region published it. */
  contentByKey(region: string, key: string): LayerVersion | undefined {
    for (const [scope, layers] of this.layers) {
      if (!scope.endsWith(`/${region}`)) continue;
      for (const layer of layers.values()) {
        for (const version of layer.versions.values()) if (version.contentKey === key) return version;
      }
    }
    return undefined;
  }

  dump(filter: { account?: string; region?: string } = {}): Record<string, unknown> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [scope, layers] of this.layers) {
      const [account, region] = scope.split('/');
      if ((filter.account && filter.account !== account) || (filter.region && filter.region !== region)) continue;
      const entries = [...layers.values()].map((layer) => [
        layer.name,
        {
          nextVersion: layer.nextVersion,
          versions: [...layer.versions.values()].map(({ zip: _zip, ...rest }) => rest),
        },
      ]);
      (out[account] ??= {})[region] = {
        storedBytes: this.storedBytes(account, region),
        layers: Object.fromEntries(entries),
      };
    }
    return out;
  }

  clear(): void {
    this.layers.clear();
    this.storage.clear();
  }
}

export function newRevisionId(): string {
  return randomUUID();
}
