/**
 * The handoff between jobs. The GitHub implementation uses @actions/artifact; the local one a folder, for one-job
 * pipelines and tests.
 */
export interface StoredArtifact {
  id: number;
  name: string;
  size: number;
  /** Hex sha256 of the stored artifact as the service computed it, when known. */
  digest?: string;
}

export interface FindOptions {
  /** Another workflow run to take the artifact from; this run when absent. */
  runId?: number;
  /** A token with `actions: read`, needed for another run. */
  token?: string;
  repository?: { owner: string; repo: string };
}

export interface ArtifactStore {
  upload(
    name: string,
    files: string[],
    rootDirectory: string,
    options?: { retentionDays?: number },
  ): Promise<StoredArtifact>;
  find(name: string, options?: FindOptions): Promise<StoredArtifact | undefined>;
  /** Every artifact of the run (this run unless options.runId); `report` uses it to collect the matrix legs' records. */
  list?(options?: FindOptions): Promise<StoredArtifact[]>;
  /** Downloads into `directory` and returns the folder holding the artifact's files. */
  download(artifact: StoredArtifact, directory: string, options?: FindOptions): Promise<string>;
  /** Deletes the run's artifact of this name; resolves to its id, or undefined when the run holds none. */
  delete?(name: string): Promise<number | undefined>;
}
