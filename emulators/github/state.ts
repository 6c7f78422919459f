import { randomBytes } from 'node:crypto';

/** GitHub timestamps: ISO 8601 in UTC to the second, as the REST API writes them. */
export function isoSeconds(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface GitHubConfig {
  /** owner/name of the repository the emulated runner works in. */
  repository: string;
  runId: number;
  jobId: string;
  sha: string;
  ref: string;
  event: string;
  /** GITHUB_TOKEN handed to clients (any token is accepted; this one is only the default). */
  token: string;
  /** Bearer the OIDC endpoint expects (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  idTokenRequestToken: string;
  /** Key for blob URL signatures and HS256 id tokens; random per emulator. */
  secret: string;
  /**
   * The repository setting "immutable releases" (GitHub, 2025): a release published while it is on becomes
   * immutable (no asset added, changed or deleted; the tag stays), drafts stay mutable. Changeable at run time.
   */
  immutableReleases: boolean;
}

export interface RunRecord {
  id: number;
  repository: string;
  name: string;
  headSha: string;
  headBranch: string | null;
  status: string;
  conclusion: string | null;
  event: string;
  createdAt: string;
  updatedAt: string;
  runNumber: number;
  runAttempt: number;
}

export interface ArtifactRecord {
  id: number;
  repository: string;
  /** Backend ids from the runtime token's scope (numeric for runs the REST API knows). */
  runId: string;
  jobId: string;
  name: string;
  mimeType: string;
  blobPath: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  finalized: boolean;
  size: number;
  /** `sha256:<hex>` as the client reported it in FinalizeArtifact (absent when it sent none). */
  clientDigest?: string;
  /** Hex sha256 of the committed blob, computed here. */
  sha256?: string;
}

export interface BlobRecord {
  /** Staged blocks by block id; Azure drops them when a block list is committed. */
  uncommitted: Map<string, Buffer>;
  /** Blocks of the committed blob by id, so that a repeated commit of the same list still finds them. */
  committed: Map<string, Buffer>;
  data?: Buffer;
  contentType: string;
  contentDisposition?: string;
  lastModified?: Date;
  etag?: string;
}

export interface ReleaseRecord {
  id: number;
  repository: string;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  /** Published while the repository had immutable releases on; never changes back. */
  immutable: boolean;
}

export interface AssetRecord {
  id: number;
  releaseId: number;
  repository: string;
  name: string;
  label: string | null;
  contentType: string;
  data: Buffer;
  sha256: string;
  createdAt: string;
  updatedAt: string;
  downloadCount: number;
}

export type TokenMode = 'write' | 'read-only' | 'invalid';

export interface AuthUse {
  method: string;
  path: string;
  scheme: string;
  token: string;
}

const MAX_AUTH_LOG = 10_000;

/** Everything the GitHub half remembers; one instance per emulator. */
export class GitHubState {
  readonly runs = new Map<number, RunRecord>();
  readonly artifacts = new Map<number, ArtifactRecord>();
  readonly blobs = new Map<string, BlobRecord>();
  readonly releases = new Map<number, ReleaseRecord>();
  readonly assets = new Map<number, AssetRecord>();
  /** Known repositories: lower-case key -> the spelling first seen (GitHub matches names case-insensitively). */
  readonly repositories = new Map<string, string>();
  readonly tokenModes = new Map<string, TokenMode>();
  readonly authLog: AuthUse[] = [];
  /** Claims of every OIDC token handed out. */
  readonly idTokens: Record<string, unknown>[] = [];
  /** `repository tag` of deleted immutable releases: GitHub never lets a new release take such a tag. */
  readonly immutableTags = new Set<string>();
  private ids = { artifact: 7_000_000, release: 5_000_000, asset: 9_000_000, runNumber: 0 };

  constructor(readonly config: GitHubConfig) {
    this.reset();
  }

  reset(): void {
    for (const map of [this.runs, this.artifacts, this.blobs, this.releases, this.assets, this.tokenModes]) map.clear();
    this.repositories.clear();
    this.immutableTags.clear();
    this.authLog.length = 0;
    this.idTokens.length = 0;
    this.ids = { artifact: 7_000_000, release: 5_000_000, asset: 9_000_000, runNumber: 0 };
    this.canonical(this.config.repository);
    this.upsertRun({ id: this.config.runId, status: 'in_progress', conclusion: null });
  }

  nextId(kind: 'artifact' | 'release' | 'asset'): number {
    return ++this.ids[kind];
  }

  /** The canonical spelling of a known repository, or undefined (the REST API answers 404). */
  repository(owner: string, repo: string): string | undefined {
    return this.repositories.get(`${owner}/${repo}`.toLowerCase());
  }

  /** Registers a repository (if new) and returns its canonical spelling. */
  canonical(repository: string): string {
    const key = repository.toLowerCase();
    if (!this.repositories.has(key)) this.repositories.set(key, repository);
    return this.repositories.get(key) as string;
  }

  /** Creates or updates a workflow run; unknown fields take the runner's defaults. */
  upsertRun(fields: Partial<RunRecord> & { id: number }): RunRecord {
    const existing = this.runs.get(fields.id);
    const now = isoSeconds();
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const run: RunRecord = {
      ...(existing ?? {
        id: fields.id,
        repository: this.config.repository,
        name: 'release',
        headSha: this.config.sha,
        headBranch: branchOf(this.config.ref),
        status: 'completed',
        conclusion: 'success',
        event: this.config.event,
        createdAt: now,
        updatedAt: now,
        runNumber: ++this.ids.runNumber,
        runAttempt: 1,
      }),
      ...defined,
    } as RunRecord;
    run.repository = this.canonical(run.repository);
    // A run has a conclusion only once completed; completing one without saying how means success.
    if (fields.conclusion === undefined) {
      run.conclusion = run.status === 'completed' ? (existing?.conclusion ?? 'success') : null;
    }
    if (existing && fields.updatedAt === undefined) run.updatedAt = now;
    this.runs.set(run.id, run);
    return run;
  }

  recordAuth(use: AuthUse): void {
    if (this.authLog.length >= MAX_AUTH_LOG) this.authLog.shift();
    this.authLog.push(use);
  }

  /** Finalized, unexpired artifacts of a run, oldest first. */
  runArtifacts(runId: string): ArtifactRecord[] {
    return [...this.artifacts.values()].filter((a) => a.runId === runId && a.finalized && !isExpired(a));
  }

  deleteArtifact(artifact: ArtifactRecord): void {
    this.artifacts.delete(artifact.id);
    this.blobs.delete(artifact.blobPath);
  }

  /** Marks a release published now; with the setting on it becomes immutable for good. */
  publish(release: ReleaseRecord, at: string): void {
    release.publishedAt = at;
    if (this.config.immutableReleases) release.immutable = true;
  }

  releaseAssets(releaseId: number): AssetRecord[] {
    return [...this.assets.values()].filter((a) => a.releaseId === releaseId);
  }
}

export function isExpired(artifact: ArtifactRecord): boolean {
  return Date.parse(artifact.expiresAt) <= Date.now();
}

/** GitHub's `head_branch` of a run: the branch, or the tag name for tag and release events. */
export function branchOf(ref: string): string | null {
  const match = /^refs\/(?:heads|tags)\/(.+)$/.exec(ref);
  return match ? match[1] : null;
}

export function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}
