/**
 * The publish command's logic, from typed settings to a result record: load and verify the zip, check the layer
 * against Lambda's limits, get credentials, settle the regions, then fan out. Nothing here touches @actions/core;
 * clients, logger, clock and sleep are injected.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InlineZip } from '../aws/inline-zip.js';
import { enabledRegions, resolveRegions } from '../aws/regions.js';
import type { ResultRecord } from '../release/record.js';
import { uploadSlots } from './budget.js';
import { followUpRegions, type FollowUp } from './followup.js';
import { verifiedLayer, versionDescription } from './layer.js';
import type { Logger, PublishPlan, RegionOutcome, UploadMethod, VerifiedLayer } from './plan.js';
import { toResultRecord } from './result.js';
import { publishAligned } from './padding.js';
import { publishRegions } from './run.js';
import type { PublishSettings } from '../settings/publish.js';
import { loadZip, type SourceDeps } from './source.js';
import { bucketFor, stageZip, stagingKey } from './staging.js';
import { validateSsmPrefix } from './ssm.js';

export interface PublishClients {
  lambda(region: string): LambdaClient;
  publisher(region: string): LambdaClient;
  ec2(region: string): EC2Client | Promise<EC2Client>;
  ssm(region: string): SSMClient;
  s3(region: string): S3Client;
  useInlineZip(inline: InlineZip): void;
}

export interface PublishDeps {
  source: SourceDeps;
  clients: PublishClients;
  /** Gets credentials once, failing with a ConfigurationError when there are none. */
  checkCredentials(): Promise<void>;
  logger: Logger;
  sleep(ms: number): Promise<void>;
  now(): number;
  backoffMs(attempt: number): number;
  /** Sends of one PublishLayerVersion at most (throttles and lost answers included). */
  publishAttempts: number;
  /** The process's RSS now, for the upload budget. */
  rssBytes(): number;
  onRegionDone?(outcome: RegionOutcome, plan: PublishPlan): void;
}

export interface PublishRun {
  settings: PublishSettings;
  plan: PublishPlan;
  outcomes: RegionOutcome[];
  record: ResultRecord;
  /** SSM pointers and clean-up after the regions were published, and what of it failed. */
  followUp: FollowUp;
}

/** Everything before the first AWS call: the verified layer and its description. */
export async function prepareLayer(settings: PublishSettings, deps: Pick<PublishDeps, 'source' | 'logger'>) {
  const loaded = await loadZip(settings, deps.source);
  const { layer, warnings } = verifiedLayer(loaded, settings, deps.source.context);
  for (const w of [...settings.warnings, ...warnings]) deps.logger.warning(w);
  // Checked at input time for any name; a root prefix `/` also must not put an `aws…` layer name first.
  if (settings.ssmPrefix !== undefined) validateSsmPrefix(settings.ssmPrefix || '/', layer.name);
  const described = versionDescription(layer);
  if (described.truncated) {
    deps.logger.warning(
      `description: cut to fit Lambda's 256 characters next to the version marker ${described.description.slice(-60).split(' ').pop()}.`,
    );
  }
  return { loaded, layer, ...described };
}

function uploadMethod(settings: PublishSettings, layer: VerifiedLayer, regions: string[]): UploadMethod {
  const template = settings.staging.s3Bucket;
  if (!template) return { kind: 'inline' };
  return {
    kind: 's3',
    buckets: Object.fromEntries(regions.map((r) => [r, bucketFor(template, r)])),
    key: stagingKey(settings.staging.s3Prefix, layer.name, layer.sha256),
  };
}

export async function publishLayer(settings: PublishSettings, deps: PublishDeps): Promise<PublishRun> {
  const { loaded, layer, marker, description } = await prepareLayer(settings, deps);
  deps.logger.info(
    `Layer ${layer.name} ${layer.version}: ${layer.size} bytes, sha256 ${layer.sha256}, from ${layer.origin}; verified.`,
  );
  await deps.checkCredentials();
  const regions = await resolveRegions(settings.regions, (home) => enabledRegions(deps.clients.ec2(home)));
  const plan: PublishPlan = {
    layer,
    description,
    marker,
    partition: settings.regions.partition,
    regions,
    sharing: settings.sharing,
    upload: uploadMethod(settings, layer, regions),
    skipUnchanged: settings.skipUnchanged,
    dryRun: settings.dryRun,
    maxParallel: settings.maxParallel,
  };
  const inline = new InlineZip(loaded.zip);
  deps.clients.useInlineZip(inline);
  const { upload } = plan;
  const slots = uploadSlots(loaded.zip.length, deps.rssBytes(), undefined, upload.kind === 'inline');
  const parallel = settings.maxParallel === 'auto' ? regions.length : Math.min(settings.maxParallel, regions.length);
  deps.logger.info(
    `${settings.dryRun ? 'Planning' : 'Publishing'} in ${regions.length} region(s), ${parallel} at once, up to ${slots} upload(s) in flight: ${regions.join(', ')}`,
  );
  if (upload.kind === 's3') {
    deps.logger.info(`The zip is staged in S3: s3://${settings.staging.s3Bucket}/${upload.key}`);
  }
  const zipBytes = { data: loaded.zip, sha256: layer.sha256, codeSha256: layer.codeSha256 };
  const stage = (region: string) =>
    upload.kind === 's3'
      ? stageZip(deps.clients.s3(region), { bucket: upload.buckets[region], key: upload.key, region }, zipBytes)
      : Promise.reject(new Error('no S3 staging planned'));
  const onRegionDone = (outcome: RegionOutcome) => deps.onRegionDone?.(outcome, plan);
  const fanOut = (p: PublishPlan) =>
    publishRegions(p, {
      clients: deps.clients,
      zipFile: inline.placeholder,
      sleep: deps.sleep,
      now: deps.now,
      logger: deps.logger,
      backoffMs: deps.backoffMs,
      attempts: deps.publishAttempts,
      uploadSlots: slots,
      stage,
      onRegionDone,
    });
  const mode = settings.alignVersions;
  const aligned =
    mode === 'off'
      ? { outcomes: await fanOut(plan), problems: [] }
      : await publishAligned(plan, mode, { ...deps, onRegionDone }, fanOut);
  const { outcomes } = aligned;
  const followUp = await followUpRegions(settings, plan, outcomes, deps, aligned.problems);
  return { settings, plan, outcomes, record: toResultRecord(plan, outcomes), followUp };
}
