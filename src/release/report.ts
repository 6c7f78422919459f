/** The report command's logic: the matrix legs' records of one layer, merged and checked, ready to publish. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from '../artifact/store.js';
import { ConfigurationError } from '../errors.js';
import { collectLegRecords, legArtifactPrefix } from './legs.js';
import { mergeRecords, type ResultRecord, assetName, serializeRecord, validateArns } from '../record/index.js';

export interface MergedReport {
  record: ResultRecord;
  /** The artifact names the record was merged from. */
  legs: string[];
  /** Where the merged record was written. */
  resultPath: string;
}

/**
 * Collects, merges and validates: a wrong ARN in any leg stops here, before an output, a summary or a release
 * shows it.
 */
/** The row of a region the matrix covers and no leg record names. */
export const NO_RECORD =
  "no result record: the publish leg for this region did not upload one (see that leg's log; re-run it, then report)";

export async function mergeLegs(
  store: ArtifactStore,
  name: string,
  directory: string,
  /** The regions the matrix covers (`regions` input): one that no record names is failed. */
  expected: string[] = [],
): Promise<MergedReport> {
  const { records, labels } = await collectLegRecords(store, name, path.join(directory, 'legs'));
  if (records.length === 0) {
    throw new ConfigurationError(
      `No result records of layer '${name}' in this run (artifacts named ${legArtifactPrefix(name)}*). ` +
        "Check that the publish legs ran before report (needs: publish) and that 'name' matches theirs.",
    );
  }
  const record = mergeRecords(records, labels);
  for (const region of expected) record.regions[region] ??= { status: 'failed', error: NO_RECORD };
  validateArns(record);
  await mkdir(directory, { recursive: true });
  const resultPath = path.join(directory, assetName(name));
  await writeFile(resultPath, serializeRecord(record));
  return { record, legs: labels, resultPath };
}
