/**
 * SSM pointers: per region, String parameters `<prefix>/<name>/latest` and `<prefix>/<name>/<major>` whose value is
 * a LayerVersionArn, so a CloudFormation template (`{{resolve:ssm:/layers/otel/1}}`) or Terraform
 * (`data "aws_ssm_parameter"`) gets "the newest 1.x" in its own region.
 *
 * A pointer only moves forward. The semver of what it points at now is read back through that version's marker
 * (GetLayerVersion: the version is the source of truth, and IAM stays scoped to the prefix and the layer). A
 * pointer is written when it is missing, when its version is older, when its version is gone (a dangling pointer),
 * or when it points at a version without our marker (with a warning). Prereleases move no pointer.
 */
import { GetLayerVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';
import semver from 'semver';
import { describeAwsError } from '../../aws/errors.js';
import { errorMessage } from '../../errors.js';
import { parseLayerVersionArn } from '../../aws/arn.js';
import { partitionOf } from '../../aws/partitions.js';
import { formatMarker, parseMarker } from '../../record/index.js';

export function pointerNames(prefix: string, name: string, version: string): { latest: string; major: string } {
  const major = semver.major(version);
  return { latest: `${prefix}/${name}/latest`, major: `${prefix}/${name}/${major}` };
}

export type PointerOutcome = 'created' | 'updated' | 'current' | 'kept';

export interface PointerResult {
  parameter: string;
  outcome: PointerOutcome;
  /** The ARN the parameter held before, when it existed. */
  previous?: string;
  /** Why a pointer was kept or overwritten, in words. */
  reason?: string;
}

export interface RegionPointers {
  region: string;
  pointers: PointerResult[];
  error?: string;
}

export interface SsmPointerOptions {
  /** A prefix checked by validateSsmPrefix. */
  prefix: string;
  name: string;
  /** Semver of the release. */
  version: string;
  commit?: string;
  /** region -> LayerVersionArn of every region that has the release (published or unchanged). */
  arns: Record<string, string>;
  ssmFor(region: string): SSMClient;
  lambdaFor(region: string): LambdaClient;
  logger?: { info(message: string): void; warning(message: string): void };
  concurrency?: number;
}

type Existing = { semver: string } | { unknown: string };

/** One AWS call; a failure says which call and, when denied, which permission is missing. */
async function call<T>(service: 'ssm' | 'lambda', operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    throw new Error(describeAwsError(err, operation, service), { cause: err });
  }
}

/**
 * What the ARN a pointer holds stands for: its version's semver, or why that cannot be known. An ARN of another
 * region or partition is useless to the functions of this one, whatever its semver, so it counts as unknown.
 */
async function pointedVersion(lambda: LambdaClient, region: string, arn: string): Promise<Existing> {
  const parts = parseLayerVersionArn(arn);
  if (!parts) return { unknown: 'it does not hold a layer version ARN' };
  const partition = partitionOf(region, { anyRegion: true });
  if (parts.partition !== partition) {
    return { unknown: `${arn} is in partition ${parts.partition}, not ${partition}` };
  }
  if (parts.region !== region) return { unknown: `${arn} is in ${parts.region}, not ${region}` };
  try {
    // GetLayerVersion with the layer's ARN (it may be another account's) rather than GetLayerVersionByArn: the same
    // permission, and moto answers the latter with a ListLayers body.
    const layerArn = arn.slice(0, arn.lastIndexOf(':'));
    const layer = await call('lambda', 'GetLayerVersion', () =>
      lambda.send(new GetLayerVersionCommand({ LayerName: layerArn, VersionNumber: parts.version })),
    );
    const marker = parseMarker(layer.Description);
    return marker ? { semver: marker.version } : { unknown: `${arn} has no lambda-layer-release version marker` };
  } catch (err) {
    const cause = (err as { cause?: { name?: string } }).cause;
    if (cause?.name === 'ResourceNotFoundException') return { unknown: `${arn} no longer exists` };
    throw err;
  }
}

/** True when `arn` (semver `version`) should replace what the pointer holds now. */
async function decide(options: SsmPointerOptions, region: string, current: string, arn: string) {
  if (current === arn) return { write: false, outcome: 'current' as const };
  const existing = await pointedVersion(options.lambdaFor(region), region, current);
  if ('unknown' in existing) return { write: true, outcome: 'updated' as const, reason: existing.unknown };
  const order = semver.compare(options.version, existing.semver);
  if (order > 0) return { write: true, outcome: 'updated' as const, reason: `${existing.semver} is older` };
  if (order < 0) return { write: false, outcome: 'kept' as const, reason: `it points at newer ${existing.semver}` };
  // Same semver published again (skip-unchanged off): the higher layer version of the same layer is the newer one.
  const now = parseLayerVersionArn(current);
  const next = parseLayerVersionArn(arn);
  if (now && next && now.layerName === next.layerName && now.account === next.account && now.version > next.version) {
    return { write: false, outcome: 'kept' as const, reason: `it points at a newer layer version ${now.version}` };
  }
  return { write: true, outcome: 'updated' as const, reason: `republished ${existing.semver}` };
}

async function writeRegion(options: SsmPointerOptions, region: string, arn: string): Promise<RegionPointers> {
  const { latest, major } = pointerNames(options.prefix, options.name, options.version);
  const ssm = options.ssmFor(region);
  const found = await call('ssm', 'GetParameters', () =>
    ssm.send(new GetParametersCommand({ Names: [latest, major] })),
  );
  const values = new Map((found.Parameters ?? []).map((p) => [p.Name, p.Value]));
  const pointers: PointerResult[] = [];
  for (const [parameter, scope] of [
    [latest, 'release'],
    [major, `${semver.major(options.version)}.x release`],
  ] as const) {
    const current = values.get(parameter);
    const verdict =
      current === undefined
        ? { write: true, outcome: 'created' as const }
        : await decide(options, region, current, arn);
    if (verdict.write) {
      const put = new PutParameterCommand({
        Name: parameter,
        Value: arn,
        Type: 'String',
        DataType: 'text',
        Overwrite: true,
        Description: `Newest ${scope} of Lambda layer ${options.name}, written by lambda-layer-release ${formatMarker({ version: options.version, commit: options.commit })}`,
      });
      await call('ssm', 'PutParameter', () => ssm.send(put));
    }
    const result: PointerResult = { parameter, outcome: verdict.outcome };
    if (current !== undefined) result.previous = current;
    if ('reason' in verdict && verdict.reason) result.reason = verdict.reason;
    pointers.push(result);
  }
  return { region, pointers };
}

/** The reasons of a pointer moving forward as it should; any other overwrite replaced something unknown. */
const ROUTINE = /^(\S+ is older|republished \S+)$/;

/**
 * Writes the pointers in every region of `arns`. A region that fails does not stop the others: its error is in the
 * result for the caller to report (and to count toward fail-on if it wants).
 */
export async function writeSsmPointers(options: SsmPointerOptions): Promise<RegionPointers[]> {
  const regions = Object.keys(options.arns).sort();
  if (semver.prerelease(options.version)) {
    options.logger?.info(`SSM pointers are not moved by prerelease ${options.version}.`);
    return [];
  }
  const limit = pLimit(options.concurrency ?? 8);
  return Promise.all(
    regions.map((region) =>
      limit(async () => {
        try {
          const result = await writeRegion(options, region, options.arns[region]);
          for (const p of result.pointers) {
            const why = p.reason ? ` (${p.reason})` : '';
            if (p.outcome === 'kept') options.logger?.info(`${region}: kept ${p.parameter}${why}.`);
            else if (p.outcome === 'updated' && p.reason && !ROUTINE.test(p.reason))
              options.logger?.warning(`${region}: overwrote ${p.parameter}${why}.`);
          }
          return result;
        } catch (err) {
          return { region, pointers: [], error: errorMessage(err) };
        }
      }),
    ),
  );
}

/** Pages of GetParametersByPath read at most (10 parameters each): a layer has `latest` and one pointer per major. */
const MAX_POINTER_PAGES = 100;

/**
 * The values of every pointer of layer `name` under `prefix` in one region (`latest` and every major), for
 * keep-versions: a version a pointer holds must not be deleted.
 */
export async function pointerValues(ssm: SSMClient, prefix: string, name: string): Promise<string[]> {
  const values: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_POINTER_PAGES; page++) {
    const request = { Path: `${prefix}/${name}`, Recursive: false, ...(token ? { NextToken: token } : {}) };
    const answer = await call('ssm', 'GetParametersByPath', () => ssm.send(new GetParametersByPathCommand(request)));
    for (const p of answer.Parameters ?? []) if (p.Value) values.push(p.Value);
    token = answer.NextToken;
    if (!token) break;
  }
  return values;
}

/** Version numbers of layer `name` in `region` that its pointers under `prefix` point at (keep-versions keeps them). */
export async function pointedVersions(ssm: SSMClient, prefix: string, name: string, region: string) {
  const pointed = new Set<number>();
  for (const value of await pointerValues(ssm, prefix, name)) {
    const arn = parseLayerVersionArn(value);
    if (arn && arn.layerName === name && arn.region === region) pointed.add(arn.version);
  }
  return pointed;
}
