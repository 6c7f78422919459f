/**
 * Verifying what AWS answered, wherever the chain takes a version: its ARN is this layer's, in this region, under the
 * number asked for; and this run's own version holds the zip (AWS's CodeSha256 is the zip's). A version read back as
 * reusable or as the block's lowest had its CodeSha256 compared when it was chosen (reuse.ts, converge.ts); the
 * grants are read back after they are added (share.ts).
 */
import { checkLayerVersionArn } from '../../aws/arn.js';
import type { PublishPlan } from '../plan.js';
import type { StoredVersion } from '../versions.js';

export function verifyArn(version: StoredVersion, region: string, plan: PublishPlan): void {
  checkLayerVersionArn(version.arn, { region, layerName: plan.layer.name, version: version.version });
}

export function verifyOwn(own: StoredVersion, region: string, plan: PublishPlan): void {
  verifyArn(own, region, plan);
  if (own.codeSha256 !== plan.layer.codeSha256) {
    throw new Error(`AWS stored CodeSha256 ${own.codeSha256 ?? '(none)'}, the zip's is ${plan.layer.codeSha256}`);
  }
}
