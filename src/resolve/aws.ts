/**
 * Candidates from the account itself: every version of the layer in each region (all pages of ListLayerVersions),
 * read through the version marker in its Description. A version without a marker was not published by this action
 * and carries no semver, so it is ignored.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { layerVersionPages } from '../aws/layer-versions.js';
import { StepError } from '../aws/step.js';
import pLimit from 'p-limit';
import { awsFailure, classifyAwsError, describeAwsError } from '../aws/errors.js';
import { parseMarker } from '../record/index.js';
import type { Candidate } from './range.js';

export interface AwsSourceOptions {
  name: string;
  regions: string[];
  lambdaFor(region: string): LambdaClient;
  /**
   * Regions the user did not name (`all`): one that is not enabled for the account, or where listing is denied, is
   * left out instead of failing the lookup.
   */
  optional?: ReadonlySet<string>;
  /** Regions listed at once. */
  concurrency?: number;
}

export interface AwsCandidates {
  candidates: Map<string, Candidate[]>;
  /** Optional regions that could not be listed because the account has not enabled them. */
  notEnabled: string[];
  /** Optional regions where listing was denied (an SCP that closes unused regions), with AWS's reason. */
  denied: Record<string, string>;
}

/** Lists one region, every page. */
export async function listRegionCandidates(client: LambdaClient, name: string): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for await (const page of layerVersionPages(client, name)) {
    for (const item of page) {
      const marker = parseMarker(item.Description);
      if (!marker || !item.LayerVersionArn || item.Version === undefined) continue;
      candidates.push({ semver: marker.version, layerVersion: item.Version, arn: item.LayerVersionArn });
    }
  }
  return candidates;
}

/**
 * Every region's candidates. A region that cannot be listed fails the whole lookup with one line naming each such
 * region and why (not enabled, the missing permission, AWS's error), except an optional region that is not enabled
 * or denied.
 */
export async function listAwsRegions(options: AwsSourceOptions): Promise<AwsCandidates> {
  const limit = pLimit(options.concurrency ?? 8);
  const failures: string[] = [];
  const errors: unknown[] = [];
  const notEnabled: string[] = [];
  const denied: Record<string, string> = {};
  const candidates = new Map<string, Candidate[]>();
  await Promise.all(
    options.regions.map((region) =>
      limit(async () => {
        try {
          candidates.set(region, await listRegionCandidates(options.lambdaFor(region), options.name));
        } catch (tagged) {
          const err = tagged instanceof StepError ? tagged.cause : tagged;
          const kind = classifyAwsError(err);
          const reason = describeAwsError(err, 'ListLayerVersions');
          if (options.optional?.has(region) && kind === 'not-enabled') notEnabled.push(region);
          else if (options.optional?.has(region) && kind === 'access-denied') denied[region] = reason;
          else {
            failures.push(`${region}: ${reason}`);
            errors.push(err);
          }
        }
      }),
    ),
  );
  if (failures.length > 0) {
    throw awsFailure(
      `Could not list the versions of layer '${options.name}' in ${failures.sort().join('; ')}`,
      ...errors,
    );
  }
  return { candidates, notEnabled: notEnabled.sort(), denied };
}

/** Every region's candidates; any region that cannot be listed fails the lookup (see listAwsRegions). */
export async function listAwsCandidates(options: AwsSourceOptions): Promise<Map<string, Candidate[]>> {
  return (await listAwsRegions(options)).candidates;
}
