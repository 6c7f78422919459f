/**
 * What publish is about to do, decided before any region is touched, and what came of it per region.
 * `upload` says how the zip reaches Lambda (inline, or staged in S3); `align` is set by align-versions (align/publish-aligned.ts).
 */
import type { Partition } from '../aws/partitions.js';
import type { Manifest } from '../layer/manifest.js';
import type { RegionStatus, Marker } from '../record/index.js';
import type { Grant } from '../settings/share-with.js';

/**
 * The layer as verified: the zip's bytes match the digest, the metadata passed every limit. The manifest's facts
 * (or, for a zip without one, the same facts computed here), with the inputs' overrides applied.
 */
export interface VerifiedLayer extends Pick<
  Manifest,
  | 'name'
  | 'version'
  | 'sha256'
  | 'codeSha256'
  | 'size'
  | 'unzippedSize'
  | 'files'
  | 'runtimes'
  | 'architectures'
  | 'licenseInfo'
> {
  /** The user's description, before the marker is appended. */
  description: string;
  commit?: string;
  /** Where the zip came from, for the log: `artifact 'x' of run 123`, `dist/layer.zip`. */
  origin: string;
}

/** How the zip reaches Lambda: in the request, or staged in a bucket of each region (`s3-bucket`). */
export type UploadMethod = { kind: 'inline' } | { kind: 's3'; buckets: Record<string, string>; key: string };

export interface PublishPlan {
  layer: VerifiedLayer;
  /** Description sent to AWS: the user's text and the version marker. */
  description: string;
  marker: Marker;
  partition: Partition;
  regions: string[];
  sharing: Grant[];
  upload: UploadMethod;
  skipUnchanged: boolean;
  dryRun: boolean;
  maxParallel: number | 'auto';
  /** align-versions: the number every region is to get, and regions that publish this release again to get it. */
  align?: { target: number; republish: string[] };
}

/** What happened in one region. */
export interface RegionOutcome {
  region: string;
  status: RegionStatus;
  /** LayerVersionArn exactly as AWS returned it. */
  arn?: string;
  version?: number;
  /** The reason, for a failed region. */
  error?: string;
  /** Grants the version has (already had, or got in this run); for a plan, those it would get. */
  sharing: string[];
  /** Grants added in this run (or, in a dry run, that would be). */
  added: string[];
  /** The newest version before this run, if any. */
  previousVersion?: number;
  /** True when a publish whose answer was lost turned out to have succeeded, and its version was adopted. */
  adopted?: boolean;
  /** Where the zip was staged, for `s3-bucket`: `s3://bucket/key (uploaded)`. */
  staged?: string;
  /** Times the region's chain ran (region-level retries, see aws/region-retry.ts); absent when once. */
  attempts?: number;
  /** This run's own version, deleted because another run's version of this release was there first (region/converge.ts). */
  duplicate?: number;
  /**
   * Something that did not complete although the region has the release (its row stays in the outputs and the
   * release): sharing of a reused version that could not be checked, a duplicate that could not be deleted.
   */
  problem?: { what: string; error: string };
  seconds: number;
}

/** Something a region did not get although it has the release: a follow-up, or align-versions' clean-up. */
export interface FollowUpProblem {
  region: string;
  /** What did not happen, e.g. "SSM pointers". */
  what: string;
  error: string;
}

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}
