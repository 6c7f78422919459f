/**
 * Candidates from the account itself: every version of the layer in each region (all pages of ListLayerVersions),
 * read through the version marker in its Description. A version without a marker was not published by this action
 * and carries no semver, so it is ignored.
 */
import { paginateListLayerVersions, type LambdaClient } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { errorMessage } from '../errors.js';
import { parseMarker } from '../publish/marker.js';
import type { Candidate } from './range.js';

export interface AwsSourceOptions {
  name: string;
  regions: string[];
  lambdaFor(region: string): LambdaClient;
  /** Regions listed at once. */
  concurrency?: number;
}

/** Lists one region; the page size is the API's maximum so a long history costs few requests. */
export async function listRegionCandidates(client: LambdaClient, name: string): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for await (const page of paginateListLayerVersions({ client, pageSize: 50 }, { LayerName: name, MaxItems: 50 })) {
    for (const item of page.LayerVersions ?? []) {
      const marker = parseMarker(item.Description);
      if (!marker || !item.LayerVersionArn || item.Version === undefined) continue;
      candidates.push({ semver: marker.version, layerVersion: item.Version, arn: item.LayerVersionArn });
    }
  }
  return candidates;
}

/** Every region's candidates; a region that cannot be listed fails the whole lookup, naming each such region. */
export async function listAwsCandidates(options: AwsSourceOptions): Promise<Map<string, Candidate[]>> {
  const limit = pLimit(options.concurrency ?? 8);
  const failures: string[] = [];
  const result = new Map<string, Candidate[]>();
  await Promise.all(
    options.regions.map((region) =>
      limit(async () => {
        try {
          result.set(region, await listRegionCandidates(options.lambdaFor(region), options.name));
        } catch (err) {
          failures.push(`${region}: ${errorMessage(err)}`);
        }
      }),
    ),
  );
  if (failures.length > 0) {
    throw new Error(`Could not list the versions of layer '${options.name}' in ${failures.sort().join('; ')}`);
  }
  return result;
}
