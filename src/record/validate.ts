import { ConfigurationError } from '../errors.js';
import { parseLayerVersionArn } from '../aws/arn.js';
import { partitionOf, REGION_PATTERN } from '../aws/partitions.js';
import type { ResultRecord } from './record.js';

/**
 * Refuses to write a release section or asset whose ARNs do not belong to their rows. Vendors' hand-made tables have
 * shipped us-east-1 ARNs on every row; a record that went through a matrix artifact can be edited by anyone who can
 * upload an artifact. A mismatch is an error, never a warning.
 */
export class ArnMismatchError extends ConfigurationError {
  override name = 'ArnMismatchError';
  constructor(readonly problems: string[]) {
    super(
      `Refusing to write the release: ${problems.length} row(s) of the result record do not hold up: ` +
        problems.join('; '),
    );
  }
}

/** Every way the record's rows disagree with their ARNs; empty when all hold. */
export function arnProblems(record: ResultRecord): string[] {
  const problems: string[] = [];
  for (const [region, row] of Object.entries(record.regions)) {
    if (!REGION_PATTERN.test(region)) {
      problems.push(`'${region}' is not a region name`);
      continue;
    }
    const needsArn = row.status === 'published' || row.status === 'unchanged';
    if (!row.arn) {
      if (needsArn) problems.push(`${region} is ${row.status} but has no ARN`);
      continue;
    }
    const arn = parseLayerVersionArn(row.arn);
    if (!arn) {
      problems.push(`${region}: '${row.arn}' is not a layer version ARN`);
      continue;
    }
    const expectedPartition = partitionOf(region, { anyRegion: true });
    if (arn.partition !== expectedPartition) {
      problems.push(`${region}: ARN partition '${arn.partition}' should be '${expectedPartition}'`);
    }
    if (arn.region !== region) problems.push(`${region}: ARN points at region '${arn.region}'`);
    if (arn.layerName !== record.name) {
      problems.push(`${region}: ARN names layer '${arn.layerName}', not '${record.name}'`);
    }
    if (row.version === undefined) problems.push(`${region}: ARN given without a version number`);
    else if (arn.version !== row.version) {
      problems.push(`${region}: ARN is version ${arn.version} but the row says ${row.version}`);
    }
  }
  return problems;
}

/** Throws ArnMismatchError unless every ARN matches its row's partition, region, layer name and version. */
export function validateArns(record: ResultRecord): void {
  const problems = arnProblems(record);
  if (problems.length > 0) throw new ArnMismatchError(problems);
}
