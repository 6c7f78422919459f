/**
 * One place that makes AWS clients: one per region and purpose, all sharing one credential provider and one HTTP
 * handler (one connection pool, closed at the end of the run).
 *
 * Retries: every call retries with the SDK's standard strategy (Retry-After honoured; AWS_MAX_ATTEMPTS and
 * AWS_RETRY_MODE respected) except PublishLayerVersion, which goes through a client with retries off: a resend after
 * a lost answer could create a second version, so src/publish decides what to do instead.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { InlineZip, streamLargeBodies } from './inline-zip.js';

export interface RetrySettings {
  maxAttempts: number;
  /** Delay before retry number `attempt` (1-based), in ms; tests pass a tiny one. */
  delayMs: (attempt: number) => number;
}

export interface ClientOptions {
  credentials: AwsCredentialIdentityProvider;
  /** Omitted: the SDK's standard retry strategy as configured by the environment. */
  retry?: RetrySettings;
  /** Idle time after which a request is abandoned (and its outcome treated as unknown). */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

export class AwsClients {
  private readonly handler: NodeHttpHandler;
  private readonly lambdas = new Map<string, LambdaClient>();
  private readonly publishers = new Map<string, LambdaClient>();
  private readonly ec2s = new Map<string, EC2Client>();
  private readonly ssms = new Map<string, SSMClient>();
  private readonly s3s = new Map<string, S3Client>();
  private inline?: InlineZip;

  constructor(private readonly options: ClientOptions) {
    this.handler = new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    });
  }

  /** Lambda with standard retries: reads, sharing, everything but PublishLayerVersion. */
  lambda(region: string): LambdaClient {
    return cached(this.lambdas, region, () => new LambdaClient({ ...this.common(region), ...this.retry() }));
  }

  /**
   * Lambda with retries off, for PublishLayerVersion only. With `inlineZip` set, commands whose Content.ZipFile is
   * `inlineZip.placeholder` send the shared body (see inline-zip.ts).
   */
  publisher(region: string): LambdaClient {
    return cached(this.publishers, region, () => {
      const client = new LambdaClient({ ...this.common(region), ...this.noRetry() });
      if (this.inline) this.inline.install(client);
      return client;
    });
  }

  /**
   * EC2 is only asked which regions are enabled (`all-enabled`), and its client takes longer to load than the rest
   * of the SDK together (~0.3 s), so it is loaded on first use instead of at every start.
   */
  async ec2(region: string): Promise<EC2Client> {
    const { EC2Client } = await import('@aws-sdk/client-ec2');
    return cached(this.ec2s, region, () => new EC2Client({ ...this.common(region), ...this.retry() }));
  }

  /** SSM for the pointers of `ssm-prefix`. */
  ssm(region: string): SSMClient {
    return cached(this.ssms, region, () => new SSMClient({ ...this.common(region), ...this.retry() }));
  }

  /**
   * S3 for `s3-bucket` staging, in the bucket's (= the layer's) region. Standard retries: a PutObject of the same
   * key and bytes is idempotent, and its Buffer body is streamed anew on every attempt. Path-style addressing is
   * chosen by the SDK itself for an IP endpoint (the emulator, moto); real S3 gets virtual-hosted requests.
   */
  s3(region: string): S3Client {
    return cached(this.s3s, region, () => {
      const client = new S3Client({ ...this.common(region), ...this.retry() });
      streamLargeBodies(client);
      return client;
    });
  }

  /** The zip every publisher sends; set before the first publisher is made. */
  useInlineZip(inline: InlineZip): void {
    if (this.publishers.size > 0) throw new Error('useInlineZip() must come before the first publisher()');
    this.inline = inline;
  }

  /** Closes the shared connection pool so the process can exit at once. */
  destroy(): void {
    this.handler.destroy();
  }

  private common(region: string) {
    return { region, credentials: this.options.credentials, requestHandler: this.handler };
  }

  private retry() {
    const r = this.options.retry;
    return r ? { retryStrategy: new ConfiguredRetryStrategy(r.maxAttempts, r.delayMs) } : {};
  }

  private noRetry() {
    return this.options.retry ? { retryStrategy: new ConfiguredRetryStrategy(1, 0) } : { maxAttempts: 1 };
  }
}

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (!value) {
    value = make();
    map.set(key, value);
  }
  return value;
}
