/**
 * What one region's chain works with (RegionDeps) and what its attempts found out so far (Progress): a retry resumes
 * from it where the last attempt stopped (aws/region-retry.ts).
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { RegionRetryPolicy } from '../../aws/region-retry.js';
import type { Logger, PublishPlan, RegionOutcome } from '../plan.js';
import type { StagedZip } from '../staging/staged-zip.js';
import type { StoredVersion } from '../versions.js';
import type { Release } from './converge.js';
import type { PublishCallDeps, PublishedVersion } from './publish-call.js';
import type { Statements } from './share.js';

export interface RegionDeps extends Omit<PublishCallDeps, 'publisher' | 'lambda'> {
  clients: { lambda(region: string): LambdaClient; publisher(region: string): LambdaClient };
  /** What the request carries as Content.ZipFile: the shared body's placeholder (see src/aws/inline-zip.ts). */
  zipFile: Uint8Array;
  /**
   * For `s3-bucket`: puts the zip in the region's bucket (unless it is there) and says where; `again` when Lambda
   * found no object where one was staged (another run's clean-up deleted it).
   */
  stage?(region: string, again?: boolean): Promise<StagedZip>;
  now(): number;
  /** Region-level retries (aws/region-retry.ts): REGION_RETRY unless a test of the policy passes another. */
  retry?: RegionRetryPolicy;
  logger?: Pick<Logger, 'info'>;
}

/** A version that holds this release already, with its policy when that was read alongside. */
export interface Reusable extends StoredVersion {
  statements?: Statements;
}

/** What a region's attempts found out, kept across attempts so that a retry resumes where the last one stopped. */
export interface Progress {
  /** The newest version before this run published (read again by each attempt until a publish went out). */
  previousVersion?: number;
  /** A PublishLayerVersion went out: until its version is known, a retry looks for it before sending again. */
  sent: boolean;
  /** The version this run published (or adopted after a lost answer). */
  own?: PublishedVersion;
  /** A version that held this release already (marker and CodeSha256 checked), reused. */
  held?: Reusable;
  /** The version the region settles on (converge.ts): `own` or `held`, or a lower one of the same block. */
  settled?: StoredVersion;
  /** The policy of `settled` is to be read (not assumed empty) before sharing. */
  readPolicy: boolean;
  stagedAt?: string;
  duplicate?: number;
  problem?: RegionOutcome['problem'];
}

/** A region's outcome before the chain adds the region, the version before the run and the time. */
export type Finished = Omit<RegionOutcome, 'region' | 'previousVersion' | 'seconds'>;

export function releaseOf(plan: PublishPlan): Release {
  return { name: plan.layer.name, marker: plan.marker, codeSha256: plan.layer.codeSha256 };
}
