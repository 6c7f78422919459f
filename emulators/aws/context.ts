import type { EmuRequest } from '../http.js';
import { DEFAULT_ACCOUNT, Identities, type Identity } from './identity.js';
import { RateLimiter } from './lambda/rate-limit.js';
import { FunctionStore } from './lambda/function-state.js';
import { LambdaStore } from './lambda/state.js';
import { S3Store } from './s3/store.js';
import { SsmStore } from './ssm-store.js';

export interface AwsOptions {
  /** Regions that answer 403 UnrecognizedClientException, as an opt-in region the account has not enabled. */
  notEnabled?: string[];
  /** Regions whose Lambda and SSM calls answer 403 AccessDeniedException, as an IAM deny on the region would. */
  denied?: string[];
  /** Account of the dummy keys (keys STS did not issue). Default 123456789012. */
  defaultAccount?: string;
  /** Account -> AWS Organization id, for layer permissions granted to an organization. */
  organizations?: Record<string, string>;
  /** Lambda code storage per account and region (AWS: 75 GB). */
  storageLimitBytes?: number;
  /** Lambda control-plane requests per second per account and region (a token bucket); 0 or absent: no limit. */
  rateLimit?: number;
  /** How long a function stays Pending after CreateFunction, and InProgress after an update (default 250). */
  functionUpdateMs?: number;
}

/** Region faults tests can change while the emulator runs (POST /__emulator/aws/config). */
export interface AwsConfig {
  notEnabled: string[];
  denied: string[];
  organizations: Record<string, string>;
  storageLimitBytes: number;
  rateLimit: number;
  /** AWS's clock runs this far ahead of the machine's (CreatedDate): time passing between releases, in tests. */
  clockOffsetSeconds: number;
  functionUpdateMs: number;
}

const DEFAULT_STORAGE_LIMIT = 75 * 1024 ** 3;
/** Short, but never 0: a client that does not wait for LastUpdateStatus must fail here as it would on AWS. */
export const DEFAULT_FUNCTION_UPDATE_MS = 250;

/** Everything the AWS services share: who is calling, which regions misbehave, and each service's state. */
export class AwsContext {
  readonly identities: Identities;
  readonly s3 = new S3Store();
  readonly ssm = new SsmStore();
  readonly lambda: LambdaStore;
  readonly functions: FunctionStore;
  notEnabled: Set<string>;
  denied: Set<string>;
  organizations: Map<string, string>;
  readonly lambdaRate: RateLimiter;
  clockOffsetSeconds = 0;

  constructor(options: AwsOptions = {}) {
    this.identities = new Identities(options.defaultAccount ?? DEFAULT_ACCOUNT);
    this.lambda = new LambdaStore(options.storageLimitBytes ?? DEFAULT_STORAGE_LIMIT);
    this.functions = new FunctionStore(options.functionUpdateMs ?? DEFAULT_FUNCTION_UPDATE_MS);
    this.notEnabled = new Set(options.notEnabled ?? []);
    this.denied = new Set(options.denied ?? []);
    this.organizations = new Map(Object.entries(options.organizations ?? {}));
    this.lambdaRate = new RateLimiter(options.rateLimit ?? 0);
  }

  /** AWS's time, for the dates the services stamp. */
  now(): Date {
    return new Date(Date.now() + this.clockOffsetSeconds * 1000);
  }

  caller(req: EmuRequest): Identity {
    return this.identities.resolve(req.scope?.accessKeyId);
  }

  config(): AwsConfig {
    return {
      notEnabled: [...this.notEnabled].sort(),
      denied: [...this.denied].sort(),
      organizations: Object.fromEntries(this.organizations),
      storageLimitBytes: this.lambda.storageLimitBytes,
      rateLimit: this.lambdaRate.rps,
      clockOffsetSeconds: this.clockOffsetSeconds,
      functionUpdateMs: this.functions.updateMs,
    };
  }

  /** Applies the members present in `patch`; each replaces the current value. */
  configure(patch: Partial<AwsConfig>): AwsConfig {
    if (patch.notEnabled) this.notEnabled = new Set(patch.notEnabled);
    if (patch.denied) this.denied = new Set(patch.denied);
    if (patch.organizations) this.organizations = new Map(Object.entries(patch.organizations));
    if (typeof patch.storageLimitBytes === 'number') this.lambda.storageLimitBytes = patch.storageLimitBytes;
    if (typeof patch.rateLimit === 'number') this.lambdaRate.configure(patch.rateLimit);
    if (typeof patch.clockOffsetSeconds === 'number') this.clockOffsetSeconds = patch.clockOffsetSeconds;
    if (typeof patch.functionUpdateMs === 'number') this.functions.updateMs = patch.functionUpdateMs;
    return this.config();
  }

  clear(): void {
    this.identities.clear();
    this.s3.clear();
    this.ssm.clear();
    this.lambda.clear();
    this.functions.clear();
  }
}
