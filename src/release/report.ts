/** The report command's logic: the matrix legs' records of one layer, merged and checked, ready to publish. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from '../artifact/store.js';
import { ConfigurationError } from '../errors.js';
import { collectLegRecords, legArtifactPrefix } from './legs.js';
import { mergeRecords } from './merge.js';
import type { ResultRecord } from './record.js';
import { assetName, serializeRecord } from './records.js';
import { validateArns } from './validate.js';

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
export async function mergeLegs(store: ArtifactStore, name: string, directory: string): Promise<MergedReport> {
  const { records, labels } = await collectLegRecords(store, name, path.join(directory, 'legs'));
  if (records.length === 0) {
    throw new ConfigurationError(
      `No result records of layer '${name}' in this run (artifacts named ${legArtifactPrefix(name)}*). ` +
        "Check that the publish legs ran before report (needs: publish) and that 'name' matches theirs.",
    );
  }
  const record = mergeRecords(records, labels);
  validateArns(record);
  await mkdir(directory, { recursive: true });
  const resultPath = path.join(directory, assetName(name));
  await writeFile(resultPath, serializeRecord(record));
  return { record, legs: labels, resultPath };
}
