/** Reading and writing result records as JSON: the `result-path` file, the release asset and the matrix artifact. */
import semver from 'semver';
import { REGION_STATUSES, sortRegions, type RegionResult, type ResultRecord } from './record.js';

/** The release asset that holds a layer's result record. */
export function assetName(name: string): string {
  return `${name}.arns.json`;
}

/** Pretty JSON with regions in table order, so two runs with the same result give the same bytes. */
export function serializeRecord(record: ResultRecord): string {
  const regions: Record<string, RegionResult> = {};
  for (const region of sortRegions(Object.keys(record.regions))) regions[region] = record.regions[region];
  return `${JSON.stringify({ ...record, regions }, null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${where} is not a list`);
  return value as string[];
}

function parseRow(value: unknown, where: string): RegionResult {
  if (!isObject(value)) throw new Error(`${where} is not an object`);
  const status = value.status;
  if (typeof status !== 'string' || !(REGION_STATUSES as readonly string[]).includes(status)) {
    throw new Error(`${where}.status is '${String(status)}', expected one of ${REGION_STATUSES.join(', ')}`);
  }
  const row: RegionResult = { status: status as RegionResult['status'] };
  if (value.arn !== undefined) {
    if (typeof value.arn !== 'string') throw new Error(`${where}.arn is not a string`);
    row.arn = value.arn;
  }
  if (value.version !== undefined) {
    if (!Number.isSafeInteger(value.version) || (value.version as number) < 1) {
      throw new Error(`${where}.version is not a layer version number`);
    }
    row.version = value.version as number;
  }
  if (value.error !== undefined) row.error = String(value.error);
  const sharing = stringList(value.sharing, `${where}.sharing`);
  if (sharing) row.sharing = sharing;
  return row;
}

/**
 * A result record from JSON that someone else wrote (a matrix leg, a release asset): checked field by field, so a
 * damaged or foreign file is an error naming `source`, not a crash later. ARNs are checked separately (validateArns).
 */
export function parseRecord(text: string, source: string): ResultRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source} is not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  try {
    if (!isObject(value)) throw new Error('not an object');
    if (value.schema !== 1) throw new Error(`schema is ${JSON.stringify(value.schema)}, expected 1`);
    for (const key of ['name', 'version', 'sha256', 'codeSha256'] as const) {
      if (typeof value[key] !== 'string') throw new Error(`${key} is missing`);
    }
    if (!semver.valid(value.version as string)) throw new Error(`version '${String(value.version)}' is not semver`);
    // Both end up in the release notes: a value that is not a digest is damage or a forgery, not a layer.
    if (!/^[0-9a-f]{64}$/i.test(value.sha256 as string)) throw new Error('sha256 is not 64 hex digits');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.codeSha256 as string)) throw new Error('codeSha256 is not base64');
    if (!isObject(value.regions)) throw new Error('regions is not an object');
    const record: ResultRecord = {
      schema: 1,
      name: value.name as string,
      version: value.version as string,
      sha256: value.sha256 as string,
      codeSha256: value.codeSha256 as string,
      regions: {},
    };
    const runtimes = stringList(value.runtimes, 'runtimes');
    const architectures = stringList(value.architectures, 'architectures');
    if (runtimes) record.runtimes = runtimes;
    if (architectures) record.architectures = architectures;
    if (typeof value.commit === 'string') record.commit = value.commit;
    if (typeof value.createdAt === 'string') record.createdAt = value.createdAt;
    for (const [region, row] of Object.entries(value.regions)) {
      record.regions[region] = parseRow(row, `regions.${region}`);
    }
    return record;
  } catch (err) {
    throw new Error(`${source} is not a lambda-layer-release result record: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
