/**
 * The GitHub artifact service through the real @actions/artifact client. The zip and manifest are uploaded as one
 * archived artifact, so that a download gives both files back (the client unzips it).
 */
import {
  ArtifactNotFoundError,
  DefaultArtifactClient,
  type ArtifactClient,
  type FindOptions as ClientFindOptions,
} from '@actions/artifact';
import { ConfigurationError, ServiceError } from '../errors.js';
import type { ArtifactStore, FindOptions, StoredArtifact } from './store.js';

/** The service's digests come as `sha256:<hex>` (REST, Twirp) or bare hex (upload): kept as bare hex. */
export function normalizeDigest(digest: string | undefined): string | undefined {
  if (!digest) return undefined;
  const hex = digest.replace(/^sha256:/i, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** Attempts of one store call when the connection fails: the client retries a 429 or a 5xx itself, not a reset. */
const NETWORK_ATTEMPTS = 4;
const NETWORK_FAILURE =
  /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|other side closed|fetch failed|\baborted\b|terminated/i;

/** A failed connection (the client's NetworkError, or a reset while a body streams), not an answer. */
export function isNetworkFailure(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'NetworkError' || NETWORK_FAILURE.test(`${e.code ?? ''} ${e.message ?? ''}`)) return true;
  return e.cause !== undefined && e.cause !== err && isNetworkFailure(e.cause);
}

export class GitHubArtifactStore implements ArtifactStore {
  /**
   * The client reads its endpoints and token from the environment (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN).
   * `sleep` spaces the retries after a failed connection (1 s, 2 s, 4 s); tests pass an instant one.
   */
  constructor(
    private readonly client: ArtifactClient = new DefaultArtifactClient(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Runs a call again when its connection failed; every call here can be repeated (reads, or a named upload). */
  private async resilient<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (attempt >= NETWORK_ATTEMPTS || !isNetworkFailure(err)) throw err;
        await this.sleep(1000 * 2 ** (attempt - 1));
      }
    }
  }

  async upload(
    name: string,
    files: string[],
    rootDirectory: string,
    options: { retentionDays?: number } = {},
  ): Promise<StoredArtifact> {
    // The layer zip is compressed already; deflating it again would cost time for nothing.
    const response = await this.resilient(() =>
      this.client.uploadArtifact(name, files, rootDirectory, {
        retentionDays: options.retentionDays,
        compressionLevel: 0,
      }),
    );
    if (response.id === undefined) throw new Error(`The artifact service returned no id for '${name}'.`);
    return { id: response.id, name, size: response.size ?? 0, digest: normalizeDigest(response.digest) };
  }

  async find(name: string, options: FindOptions = {}): Promise<StoredArtifact | undefined> {
    try {
      const { artifact } = await this.resilient(() => this.client.getArtifact(name, findBy(options)));
      return { id: artifact.id, name: artifact.name, size: artifact.size, digest: normalizeDigest(artifact.digest) };
    } catch (err) {
      if (err instanceof ArtifactNotFoundError) return undefined;
      throw err;
    }
  }

  /** `latest: true`: a name uploaded again in a rerun is listed once, as its newest upload. */
  async list(options: FindOptions = {}): Promise<StoredArtifact[]> {
    const { artifacts } = await this.resilient(() => this.client.listArtifacts({ latest: true, ...findBy(options) }));
    return artifacts.map((a) => ({ id: a.id, name: a.name, size: a.size, digest: normalizeDigest(a.digest) }));
  }

  async download(artifact: StoredArtifact, directory: string, options: FindOptions = {}): Promise<string> {
    const digest = normalizeDigest(artifact.digest);
    const response = await this.resilient(() =>
      this.client.downloadArtifact(artifact.id, {
        path: directory,
        ...(digest ? { expectedHash: `sha256:${digest}` } : {}),
        ...findBy(options),
      }),
    );
    // The client reports a mismatch instead of throwing; a corrupt or replaced artifact must stop the job.
    if (response.digestMismatch) {
      throw new ServiceError(
        `Artifact '${artifact.name}' (id ${artifact.id}) downloaded with a different SHA-256 than the service recorded (${digest}); it is corrupt or was replaced. Rerun the build job.`,
      );
    }
    return response.downloadPath ?? directory;
  }

  /** One look-up and one delete (the client lists the name first): a caller need not find it beforehand. */
  async delete(name: string): Promise<number | undefined> {
    try {
      return (await this.resilient(() => this.client.deleteArtifact(name))).id;
    } catch (err) {
      if (err instanceof ArtifactNotFoundError) return undefined;
      throw err;
    }
  }
}

function findBy(options: FindOptions): ClientFindOptions {
  if (options.runId === undefined) return {};
  if (!options.token || !options.repository) {
    throw new ConfigurationError(
      `Taking an artifact from run ${options.runId} needs a token with 'actions: read' and the repository.`,
    );
  }
  return {
    findBy: {
      token: options.token,
      workflowRunId: options.runId,
      repositoryOwner: options.repository.owner,
      repositoryName: options.repository.repo,
    },
  };
}
