/**
 * Helpers for the publish tests: an in-memory Lambda region behind aws-sdk-client-mock (for unit tests of the
 * per-region chain), AWS-shaped errors, and a plan builder.
 */
import {
  AddLayerVersionPermissionCommand,
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { formatMarker, type Marker } from '../src/record/marker.js';
import type { PublishPlan, VerifiedLayer } from '../src/publish/plan.js';
import type { RegionDeps } from '../src/publish/region/state.js';
import type { Grant } from '../src/settings/share-with.js';

export function awsError(name: string, status: number, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

export function networkError(code = 'ECONNRESET'): Error {
  return Object.assign(new Error(`socket hang up (${code})`), { code, $metadata: {} });
}

export const ZIP = Buffer.from('zip bytes of the layer');
export const CODE_SHA = createHash('sha256').update(ZIP).digest('base64');

export function layer(overrides: Partial<VerifiedLayer> = {}): VerifiedLayer {
  return {
    name: 'otel',
    version: '1.4.2',
    sha256: createHash('sha256').update(ZIP).digest('hex'),
    codeSha256: CODE_SHA,
    size: ZIP.length,
    unzippedSize: 100,
    files: 1,
    runtimes: ['python3.12'],
    architectures: ['x86_64'],
    description: 'OpenTelemetry',
    licenseInfo: 'MIT',
    commit: '0a1b2c3d4e5f6789',
    origin: 'test',
    ...overrides,
  };
}

export function plan(overrides: Partial<PublishPlan> = {}): PublishPlan {
  const l = overrides.layer ?? layer();
  const marker: Marker = { version: l.version, commit: l.commit };
  return {
    layer: l,
    description: `${l.description} ${formatMarker(marker)}`,
    marker,
    partition: 'aws',
    regions: ['us-east-1'],
    sharing: [{ kind: 'public' }] as Grant[],
    upload: { kind: 'inline' },
    skipUnchanged: true,
    dryRun: false,
    maxParallel: 'auto',
    ...overrides,
  };
}

interface StoredVersion {
  version: number;
  description: string;
  codeSha256: string;
  statements: { Sid: string; Effect: string; Principal: unknown; Action: string; Condition?: unknown }[];
}

type Operation = 'list' | 'get' | 'publish' | 'getPolicy' | 'addPermission' | 'delete';

/**
 * One region of Lambda in memory, answering the five calls publish makes. `fail` queues answers per operation (an
 * error, or null to let that call through); `commitThenFail` makes a call take effect and still answer with an
 * error (a lost answer).
 */
export class FakeRegion {
  readonly versions: StoredVersion[] = [];
  readonly calls: Operation[] = [];
  private readonly failures = new Map<Operation, (Error | null)[]>();
  private readonly lostAnswers = new Map<Operation, Error[]>();
  readonly client: LambdaClient;
  readonly publisher: LambdaClient;
  private lastVersion = 0;
  /** Runs just before a publish commits: another run's publish landing first, for instance. */
  beforePublish?: () => void;

  constructor(
    readonly region: string,
    readonly name = 'otel',
    readonly account = '123456789012',
  ) {
    this.client = new LambdaClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    this.publisher = new LambdaClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const reads = mockClient(this.client);
    const writes = mockClient(this.publisher);
    reads.on(ListLayerVersionsCommand).callsFake(() => this.run('list', () => this.list()));
    reads.on(GetLayerVersionCommand).callsFake((i) => this.run('get', () => this.get(i.VersionNumber)));
    reads.on(GetLayerVersionPolicyCommand).callsFake((i) => this.run('getPolicy', () => this.policy(i.VersionNumber)));
    reads.on(AddLayerVersionPermissionCommand).callsFake((i) => this.run('addPermission', () => this.add(i)));
    reads.on(DeleteLayerVersionCommand).callsFake((i) => this.run('delete', () => this.remove(i.VersionNumber)));
    writes.on(PublishLayerVersionCommand).callsFake((i) => this.run('publish', () => this.publish(i)));
  }

  fail(operation: Operation, ...errors: (Error | null)[]): this {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), ...errors]);
    return this;
  }

  commitThenFail(operation: Operation, ...errors: Error[]): this {
    this.lostAnswers.set(operation, [...(this.lostAnswers.get(operation) ?? []), ...errors]);
    return this;
  }

  /** Seeds an existing version, as an earlier run (or someone else) left it. */
  seed(description: string, codeSha256 = CODE_SHA, statements: StoredVersion['statements'] = []): number {
    // AWS never reuses a number, even after a delete.
    const version = ++this.lastVersion;
    this.versions.push({ version, description, codeSha256, statements });
    return version;
  }

  arn(version: number): string {
    return `arn:aws:lambda:${this.region}:${this.account}:layer:${this.name}:${version}`;
  }

  count(operation: Operation): number {
    return this.calls.filter((c) => c === operation).length;
  }

  private async run<T>(operation: Operation, answer: () => T): Promise<T> {
    this.calls.push(operation);
    const error = this.failures.get(operation)?.shift();
    if (error) throw error;
    const lost = this.lostAnswers.get(operation)?.shift();
    if (lost) {
      answer();
      throw lost;
    }
    return answer();
  }

  private list() {
    return {
      LayerVersions: [...this.versions]
        .reverse()
        .map((v) => ({ Version: v.version, LayerVersionArn: this.arn(v.version), Description: v.description })),
    };
  }

  private find(version: number): StoredVersion {
    const found = this.versions.find((v) => v.version === version);
    if (!found) throw awsError('ResourceNotFoundException', 404);
    return found;
  }

  private get(version: number) {
    const v = this.find(version);
    return {
      Version: v.version,
      LayerVersionArn: this.arn(v.version),
      Description: v.description,
      Content: { CodeSha256: v.codeSha256 },
    };
  }

  private remove(version: number) {
    const at = this.versions.findIndex((v) => v.version === version);
    if (at >= 0) this.versions.splice(at, 1);
    return {};
  }

  private publish(input: { Description?: string }) {
    this.beforePublish?.();
    const version = this.seed(input.Description ?? '', CODE_SHA);
    return { ...this.get(version), LayerArn: `arn:aws:lambda:${this.region}:${this.account}:layer:${this.name}` };
  }

  private policy(version: number) {
    const v = this.find(version);
    if (v.statements.length === 0) throw awsError('ResourceNotFoundException', 404, 'No policy is associated');
    return { Policy: JSON.stringify({ Version: '2012-10-17', Statement: v.statements }), RevisionId: 'r' };
  }

  private add(input: { VersionNumber: number; StatementId: string; Principal: string; OrganizationId?: string }) {
    const v = this.find(input.VersionNumber);
    if (v.statements.some((s) => s.Sid === input.StatementId)) throw awsError('ResourceConflictException', 409);
    const statement = {
      Sid: input.StatementId,
      Effect: 'Allow',
      Principal: input.Principal === '*' ? '*' : { AWS: `arn:aws:iam::${input.Principal}:root` },
      Action: 'lambda:GetLayerVersion',
      ...(input.OrganizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': input.OrganizationId } } } : {}),
    };
    v.statements.push(statement);
    return { Statement: JSON.stringify(statement), RevisionId: 'r' };
  }
}

export function regionDeps(regions: FakeRegion[], overrides: Partial<RegionDeps> = {}) {
  const sleeps: number[] = [];
  const byRegion = new Map(regions.map((r) => [r.region, r]));
  const deps: RegionDeps = {
    clients: {
      lambda: (region) => byRegion.get(region)!.client,
      publisher: (region) => byRegion.get(region)!.publisher,
    },
    zipFile: new Uint8Array([0]),
    now: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    backoffMs: (attempt) => 100 * attempt,
    attempts: 3,
    uploadSlot: (send) => send(),
    ...overrides,
  };
  return { deps, sleeps };
}
