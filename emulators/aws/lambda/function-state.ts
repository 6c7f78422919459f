import { createHash } from 'node:crypto';
import { partitionOf } from '../regions.js';
import { newRevisionId } from './state.js';

/** A layer version as a function references it: AWS keeps it even after the version is deleted. */
export interface AttachedLayer {
  arn: string;
  codeSize: number;
  unzippedSize: number;
}

/** The version-specific settings of a function ($LATEST, or a published version's frozen copy). */
export interface FunctionSettings {
  description: string;
  role: string;
  handler?: string;
  runtime?: string;
  timeout: number;
  memorySize: number;
  environment?: Record<string, string>;
  layers: AttachedLayer[];
  architectures: string[];
  codeSha256: string;
  codeSize: number;
  unzippedSize: number;
}

export type UpdateStatus = 'InProgress' | 'Successful' | 'Failed';

/** Why the next update of a function ends Failed (armed by a test through the control API). */
export interface UpdateFailure {
  reasonCode: string;
  reason: string;
}

export interface PublishedVersion {
  version: number;
  settings: FunctionSettings;
  /** settingsKey of $LATEST when it was published (the version's own Description may differ). */
  sourceKey: string;
  revisionId: string;
  lastModified: string;
}

export interface Alias {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  routingConfig?: { AdditionalVersionWeights: Record<string, number> };
}

/** A function's zip, served behind GetFunction's Code.Location as layer zips are behind Content.Location. */
export interface StoredCode {
  zip: Buffer;
  codeSha256: string;
  codeSize: number;
  createdDate: string;
  contentKey: string;
}

export interface LambdaFunction {
  name: string;
  account: string;
  region: string;
  /** The unqualified ARN. */
  arn: string;
  latest: FunctionSettings;
  revisionId: string;
  lastModified: string;
  state: 'Pending' | 'Active';
  /** Absent until the first update after creation has been reported (CreateFunction's answer has none). */
  lastUpdate?: { status: UpdateStatus; failure?: UpdateFailure };
  /** When the running create or update completes (ms on the store's clock); none when nothing is running. */
  settlesAt?: number;
  /** The next update ends Failed with this reason instead of Successful. */
  failNextUpdate?: UpdateFailure;
  code: StoredCode;
  versions: Map<number, PublishedVersion>;
  nextVersion: number;
  aliases: Map<string, Alias>;
  tags: Map<string, string>;
}

export function functionArn(region: string, account: string, name: string, qualifier?: string): string {
  const arn = `arn:${partitionOf(region)}:lambda:${region}:${account}:function:${name}`;
  return qualifier === undefined ? arn : `${arn}:${qualifier}`;
}

/** The ARN AWS reports for a region's managed runtime (the digest is stable per runtime and region). */
export function runtimeVersionArn(region: string, runtime: string): string {
  const digest = createHash('sha256').update(`${region}/${runtime}`).digest('hex');
  return `arn:${partitionOf(region)}:lambda:${region}::runtime:${digest}`;
}

/** What identifies a version's content: PublishVersion publishes nothing new while this is unchanged. */
export function settingsKey(settings: FunctionSettings): string {
  return JSON.stringify(settings);
}

/**
 * Functions of every account and region. A create or an update runs for `updateMs` on the store's clock; its
 * completion (State Active, LastUpdateStatus Successful or Failed, and a new RevisionId, as AWS gives one when a
 * state settles) is applied the first time anyone looks after that moment, so no timer outlives a test.
 */
export class FunctionStore {
  private readonly scopes = new Map<string, Map<string, LambdaFunction>>();

  constructor(
    public updateMs: number,
    public now: () => number = Date.now,
  ) {}

  private scope(account: string, region: string): Map<string, LambdaFunction> {
    const key = `${account}/${region}`;
    let scope = this.scopes.get(key);
    if (!scope) this.scopes.set(key, (scope = new Map()));
    return scope;
  }

  /** The function as it is now (a completed create or update applied). */
  get(account: string, region: string, name: string): LambdaFunction | undefined {
    const fn = this.scopes.get(`${account}/${region}`)?.get(name);
    return fn && this.settle(fn);
  }

  /** The account's functions in the region, sorted by name, each as it is now. */
  list(account: string, region: string): LambdaFunction[] {
    return [...(this.scopes.get(`${account}/${region}`)?.values() ?? [])]
      .map((fn) => this.settle(fn))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Adds a function; `active` skips the Pending state (seeding). Synchronous, so two creates cannot both win. */
  add(fn: LambdaFunction, active = false): LambdaFunction | undefined {
    const scope = this.scope(fn.account, fn.region);
    if (scope.has(fn.name)) return undefined;
    if (!active) {
      fn.state = 'Pending';
      fn.settlesAt = this.now() + this.updateMs;
    }
    scope.set(fn.name, fn);
    return fn;
  }

  remove(fn: LambdaFunction): void {
    this.scopes.get(`${fn.account}/${fn.region}`)?.delete(fn.name);
  }

  /** A change of $LATEST that completes at once (tags): a new RevisionId, nothing in progress. */
  touch(fn: LambdaFunction): void {
    fn.revisionId = newRevisionId();
  }

  /** Starts an update of $LATEST: InProgress now, Successful (or the armed failure) after `updateMs`. */
  beginUpdate(fn: LambdaFunction, settings: FunctionSettings, lastModified: string): void {
    fn.latest = settings;
    fn.revisionId = newRevisionId();
    fn.lastModified = lastModified;
    fn.lastUpdate = { status: 'InProgress' };
    fn.settlesAt = this.now() + this.updateMs;
  }

  /** Completes a running create now (seeding: functions that start Active). */
  activate(fn: LambdaFunction): void {
    if (fn.state !== 'Pending') return;
    fn.settlesAt = this.now();
    this.settle(fn);
  }

  /** True while a create (Pending) or an update (InProgress) runs. */
  busy(fn: LambdaFunction): boolean {
    return fn.settlesAt !== undefined;
  }

  private settle(fn: LambdaFunction): LambdaFunction {
    if (fn.settlesAt === undefined || this.now() < fn.settlesAt) return fn;
    fn.settlesAt = undefined;
    fn.revisionId = newRevisionId();
    if (fn.state === 'Pending') {
      fn.state = 'Active';
      fn.lastUpdate = { status: 'Successful' };
    } else {
      const failure = fn.failNextUpdate;
      fn.failNextUpdate = undefined;
      fn.lastUpdate = failure ? { status: 'Failed', failure } : { status: 'Successful' };
    }
    return fn;
  }

  /** The function code a Code.Location names. */
  contentByKey(region: string, key: string): StoredCode | undefined {
    for (const [scopeKey, scope] of this.scopes) {
      if (!scopeKey.endsWith(`/${region}`)) continue;
      for (const fn of scope.values()) if (fn.code.contentKey === key) return fn.code;
    }
    return undefined;
  }

  dump(filter: { account?: string; region?: string } = {}): Record<string, unknown> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [scopeKey, scope] of this.scopes) {
      const [account, region] = scopeKey.split('/');
      if ((filter.account && filter.account !== account) || (filter.region && filter.region !== region)) continue;
      const functions = [...scope.values()].map((fn) => {
        const { code, versions, aliases, tags, ...rest } = this.settle(fn);
        return {
          ...rest,
          code: { codeSha256: code.codeSha256, codeSize: code.codeSize, contentKey: code.contentKey },
          versions: [...versions.values()],
          aliases: [...aliases.values()],
          tags: Object.fromEntries(tags),
        };
      });
      (out[account] ??= {})[region] = Object.fromEntries(functions.map((f) => [f.name, f]));
    }
    return out;
  }

  clear(): void {
    this.scopes.clear();
  }
}
