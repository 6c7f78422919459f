/**
 * Matrix legs hand their result records to `report` as small artifacts of the run, one per leg:
 *
 *     lambda-layer-result-<layer name>.<job id>-<10 hex digits>
 *
 * The dot cannot occur in a layer name, so `report` for layer `otel` never picks up the legs of `otel-arm`. The hex
 * digits tell the legs of one matrix job apart: a hash of the runner's job id (unique per leg and per attempt, read
 * from the runtime token's scope), or of the leg's regions and identity where there is no token.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { uploadReplacing } from '../artifact/replace.js';
import type { ArtifactStore, StoredArtifact } from '../artifact/store.js';
import { ConfigurationError, errorMessage, isStepOutcome, ServiceError } from '../errors.js';
import { type ResultRecord, parseRecord, serializeRecord } from '../record/index.js';

export const RESULT_ARTIFACT_PREFIX = 'lambda-layer-result-';

export interface LegEnv {
  GITHUB_JOB?: string;
  ACTIONS_RUNTIME_TOKEN?: string;
}

/** The backend job id from the runtime token's `Actions.Results:<run>:<job>` scope; the token itself is not kept. */
export function runtimeJobId(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: unknown };
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    const scope = scopes.find((s) => s.startsWith('Actions.Results:'));
    return scope?.split(':')[2] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * `<job>-<hash>`: stable for one publish step, different between the legs of a matrix (the job id differs) and
 * between two publish steps of one job that cover other regions or another identity (the role or account a leg
 * publishes with), so neither overwrites the other's record. The same step run twice replaces its own record.
 */
export function legId(env: LegEnv, regions: string[], identity = ''): string {
  const job = (env.GITHUB_JOB ?? 'job').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) || 'job';
  const jobId = runtimeJobId(env.ACTIONS_RUNTIME_TOKEN) ?? '';
  const key = `job:${jobId}|regions:${[...regions].sort().join(',')}|identity:${identity}`;
  return `${job}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

export function legArtifactPrefix(name: string): string {
  return `${RESULT_ARTIFACT_PREFIX}${name}.`;
}

export function legArtifactName(name: string, leg: string): string {
  return `${legArtifactPrefix(name)}${leg}`;
}

function recordFile(name: string): string {
  return `${name}.result.json`;
}

export interface UploadLegOptions {
  env: LegEnv;
  /** A scratch folder for the file to upload. */
  directory: string;
  /** The role or account this leg publishes with, when the workflow passes one. */
  identity?: string;
  retentionDays?: number;
  /** The delete of an earlier record of this leg, begun while the regions were published: awaited first. */
  after?: Promise<unknown>;
}

/** The leg artifact's name for a record of layer `name` covering `regions`. */
export function legArtifactFor(name: string, regions: string[], env: LegEnv, identity?: string): string {
  return legArtifactName(name, legId(env, regions, identity));
}

/** Uploads a publish leg's record for `report`; replaces the step's own earlier upload where the store can delete. */
export async function uploadLegRecord(
  store: ArtifactStore,
  record: ResultRecord,
  options: UploadLegOptions,
): Promise<StoredArtifact> {
  const name = legArtifactFor(record.name, Object.keys(record.regions), options.env, options.identity);
  await mkdir(options.directory, { recursive: true });
  const file = path.join(options.directory, recordFile(record.name));
  await writeFile(file, serializeRecord(record));
  // The same step run again in this job holds the name already: its record is replaced.
  try {
    return await uploadReplacing(store, name, [file], options.directory, {
      retentionDays: options.retentionDays,
      ...(options.after ? { after: options.after } : {}),
    });
  } catch (err) {
    // Two processes of one step at once (both replacing the name): the one that lost finds the other's record of the
    // same release, which is what report needs.
    const stored = await store.find(name).catch(() => undefined);
    if (stored) return stored;
    throw err;
  }
}

export interface LegRecords {
  records: ResultRecord[];
  /** The artifact name of each record, in the same order: used in messages. */
  labels: string[];
}

/** A leg artifact that is not a record of this layer: report stops before writing anything, naming it. */
function damagedLeg(artifact: string, why: string): ConfigurationError {
  return new ConfigurationError(
    `Artifact ${artifact} ${why}. Re-run the publish job that uploaded it, or delete the artifact, then re-run report.`,
  );
}

const LEG_DOWNLOADS = 6;

/** The artifact service's errors can span lines; a step's failure is one. */
function oneLine(err: unknown): string {
  return errorMessage(err).replace(/\s+/g, ' ').trim();
}

async function readLeg(
  store: ArtifactStore,
  artifact: StoredArtifact,
  name: string,
  directory: string,
): Promise<ResultRecord> {
  const target = path.join(directory, `${artifact.id}`);
  await mkdir(target, { recursive: true });
  let folder: string;
  try {
    folder = await store.download(artifact, target);
  } catch (err) {
    if (isStepOutcome(err)) throw err;
    throw new ServiceError(`Could not download artifact ${artifact.name}: ${oneLine(err)}`);
  }
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json'));
  if (files.length !== 1) throw damagedLeg(artifact.name, `should hold one record, found ${files.length}`);
  let record: ResultRecord;
  try {
    record = parseRecord(await readFile(path.join(folder, files[0]), 'utf8'), 'it');
  } catch (err) {
    throw damagedLeg(artifact.name, `is damaged: ${errorMessage(err)}`);
  }
  if (record.name !== name) throw damagedLeg(artifact.name, `holds a record of '${record.name}', not '${name}'`);
  return record;
}

/** Downloads every leg record of layer `name` that this run's artifacts hold. */
export async function collectLegRecords(store: ArtifactStore, name: string, directory: string): Promise<LegRecords> {
  if (!store.list) throw new Error('This artifact store cannot list artifacts, which report needs.');
  const prefix = legArtifactPrefix(name);
  let listed: StoredArtifact[];
  try {
    listed = await store.list();
  } catch (err) {
    throw new ServiceError(`Could not list the artifacts of this run to find the legs' records: ${oneLine(err)}`);
  }
  const artifacts = listed.filter((a) => a.name.startsWith(prefix));
  // A wide matrix has dozens of legs: downloaded a few at a time, kept in the listing's order.
  const limit = pLimit(LEG_DOWNLOADS);
  const records = await Promise.all(artifacts.map((a) => limit(() => readLeg(store, a, name, directory))));
  const labels = artifacts.map((a) => a.name);
  return { records, labels };
}
