/**
 * The publish command's logic, from typed settings to a result record: load and verify the zip, check the layer
 * against Lambda's limits, get credentials, settle the regions, then fan out. Nothing here touches the actions toolkit;
 * clients, logger, clock and sleep are injected.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { InlineZip } from '../aws/inline-zip.js';
import { enabledRegions, resolveRegions } from '../aws/regions.js';
import type { ResultRecord } from '../record/index.js';
import { uploadSlots } from './upload-budget.js';
import { followUpRegions, type FollowUp } from './follow-ups/follow-ups.js';
import { verifiedLayer, versionDescription } from './source/verified-layer.js';
import type { Logger, PublishPlan, RegionOutcome, UploadMethod, VerifiedLayer } from './plan.js';
import { toResultRecord } from './result.js';
import { publishAligned } from './align/publish-aligned.js';
import { publishRegions } from './fan-out.js';
import type { PublishSettings } from '../settings/publish.js';
import { loadZip, type SourceDeps } from './source/load-zip.js';
import { autoBucketName } from './staging/auto-bucket.js';
import { Stager } from './staging/stager.js';
import { stagingKey } from './staging/staged-zip.js';
import { AUTO_BUCKET, bucketFor } from '../settings/s3-bucket.js';
import { validateSsmPrefix } from '../settings/ssm-prefix.js';

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
  /** The caller's account, for `s3-bucket: auto` (asked only then). */
  accountId?(): Promise<string>;
  onRegionDone?(outcome: RegionOutcome, plan: PublishPlan): void;
  /** Told the plan before any region is worked on (the action looks up the leg record's artifact meanwhile). */
  onPlanned?(plan: PublishPlan): void;
  /**
   * Told the result record once every region's version is final, before the follow-ups (SSM pointers, retention,
   * the staged zips' clean-up), which do not change it: the action uploads it for `report` while they run.
   */
  onRecord?(record: ResultRecord, plan: PublishPlan): void;
}

export interface PublishRun {
  settings: PublishSettings;
  plan: PublishPlan;
  outcomes: RegionOutcome[];
  record: ResultRecord;
  /** SSM pointers and clean-up after the regions were published, and what of it failed. */
  followUp: FollowUp;
}

export type PreparedLayer = Awaited<ReturnType<typeof prepareLayer>>;

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

async function uploadMethod(
  settings: PublishSettings,
  layer: VerifiedLayer,
  regions: string[],
  deps: Pick<PublishDeps, 'accountId'>,
): Promise<UploadMethod> {
  const template = settings.staging.s3Bucket;
  if (!template) return { kind: 'inline' };
  let bucketOf = (region: string) => bucketFor(template, region);
  if (template === AUTO_BUCKET) {
    if (!deps.accountId) throw new Error("s3-bucket: auto needs the account's id, and no accountId() was given");
    const account = await deps.accountId();
    bucketOf = (region) => autoBucketName(account, region);
  }
  return {
    kind: 's3',
    buckets: Object.fromEntries(regions.map((r) => [r, bucketOf(r)])),
    key: stagingKey(settings.staging.s3Prefix, layer.name, layer.sha256),
  };
}

/** "16 regions at once; 4 uploads at a time": what the fan-out does, in the words of what it does. */
function fanOutLine(settings: PublishSettings, regions: string[], uploads: number | undefined): string {
  const parallel = settings.maxParallel === 'auto' ? regions.length : Math.min(settings.maxParallel, regions.length);
  const verb = settings.dryRun ? 'Planning' : 'Publishing';
  const atOnce = parallel === regions.length && regions.length > 1 ? 'all at once' : `${parallel} at once`;
  const sending = uploads === undefined ? '' : uploads >= parallel ? '' : `; ${uploads} upload(s) of the zip at a time`;
  return `${verb} in ${regions.length} region(s), ${atOnce}${sending}: ${regions.join(', ')}`;
}

/** The plan, decided before any region is touched: credentials checked, regions resolved, the upload chosen. */
async function planPublish(
  settings: PublishSettings,
  prepared: Pick<PreparedLayer, 'layer' | 'marker' | 'description'>,
  deps: PublishDeps,
): Promise<PublishPlan> {
  const { layer } = prepared;
  await deps.checkCredentials();
  const regions = await resolveRegions(settings.regions, (home) => enabledRegions(deps.clients.ec2(home)));
  return {
    layer,
    description: prepared.description,
    marker: prepared.marker,
    partition: settings.regions.partition,
    regions,
    sharing: settings.sharing,
    upload: await uploadMethod(settings, layer, regions, deps),
    skipUnchanged: settings.skipUnchanged,
    dryRun: settings.dryRun,
    maxParallel: settings.maxParallel,
  };
}

/** With `s3-bucket` (and not a dry run): the one stager of the run, which puts the zip in every region's bucket. */
function stagerFor(settings: PublishSettings, plan: PublishPlan, zip: Buffer, deps: PublishDeps): Stager | undefined {
  const { upload, layer } = plan;
  if (upload.kind !== 's3' || settings.dryRun) return undefined;
  return new Stager(
    {
      buckets: upload.buckets,
      key: upload.key,
      origin: plan.regions[0],
      ...(settings.staging.s3Bucket === AUTO_BUCKET ? { auto: { prefix: settings.staging.s3Prefix } } : {}),
    },
    { data: zip, sha256: layer.sha256, codeSha256: layer.codeSha256 },
    { s3: (region) => deps.clients.s3(region), logger: deps.logger },
  );
}

/** The fan-out over a plan's regions (align-versions runs it once per pass), its uploads bounded; says so in the log. */
function fanOutFor(
  settings: PublishSettings,
  plan: PublishPlan,
  run: { deps: PublishDeps; inline: InlineZip; stager?: Stager; onRegionDone(outcome: RegionOutcome): void },
): (plan: PublishPlan) => Promise<RegionOutcome[]> {
  const { deps, inline, stager } = run;
  const { upload, regions } = plan;
  // Staged, the zip's uploads are bounded by the stager (one upload, bounded copies); inline, by memory.
  const slots = upload.kind === 's3' ? Math.max(1, regions.length) : uploadSlots(inline.zip.length, deps.rssBytes());
  deps.logger.info(fanOutLine(settings, regions, upload.kind === 's3' ? undefined : slots));
  if (stager) deps.logger.info(stager.describe(regions));
  const stage = (region: string, again?: boolean) =>
    stager ? stager.stage(region, again) : Promise.reject(new Error('no S3 staging planned'));
  return (p) =>
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
      onRegionDone: run.onRegionDone,
    });
}

export async function publishLayer(settings: PublishSettings, deps: PublishDeps): Promise<PublishRun> {
  const prepared = await prepareLayer(settings, deps);
  const { loaded, layer } = prepared;
  deps.logger.info(
    `Layer ${layer.name} ${layer.version}: ${layer.size} bytes, sha256 ${layer.sha256}, from ${layer.origin}; verified.`,
  );
  const plan = await planPublish(settings, prepared, deps);
  deps.onPlanned?.(plan);
  const inline = new InlineZip(loaded.zip);
  deps.clients.useInlineZip(inline);
  const stager = stagerFor(settings, plan, loaded.zip, deps);
  const onRegionDone = (outcome: RegionOutcome) => deps.onRegionDone?.(outcome, plan);
  const fanOut = fanOutFor(settings, plan, { deps, inline, stager, onRegionDone });
  const mode = settings.alignVersions;
  const aligned =
    mode === 'off'
      ? { outcomes: await fanOut(plan), problems: [] }
      : await publishAligned(plan, mode, { ...deps, onRegionDone }, fanOut);
  const { outcomes } = aligned;
  const record = toResultRecord(plan, outcomes);
  deps.onRecord?.(record, plan);
  const [followUp] = await Promise.all([
    followUpRegions(settings, plan, outcomes, deps, aligned.problems),
    stager && cleanUpStaging(stager, settings, outcomes, deps.logger),
  ]);
  return { settings, plan, outcomes, record, followUp };
}

/** After a publish in which no region failed, the staged zips go (unless `s3-keep`); else they stay for the rerun. */
async function cleanUpStaging(
  stager: Stager,
  settings: PublishSettings,
  outcomes: RegionOutcome[],
  logger: Logger,
): Promise<void> {
  if (stager.regionsUsed === 0) return;
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  if (settings.staging.keep || failed) {
    const why = settings.staging.keep ? 's3-keep' : `${failed} region(s) failed: a rerun uses them`;
    logger.info(`The staged zips stay in ${stager.regionsUsed} bucket(s) (${why}).`);
    return;
  }
  const problems = await stager.cleanUp();
  for (const p of problems) logger.warning(p);
  logger.info(`Deleted the staged zip from ${stager.regionsUsed - problems.length} bucket(s).`);
}
