/** What publish and report hand to later steps: outputs from a result record, and whether the step fails. */
import { isAvailable, sortRegions, type ResultRecord } from './record.js';

export const FAIL_ON = ['any', 'all', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface RecordOutputs {
  /** region -> LayerVersionArn, for the regions that have the release. */
  arns: Record<string, string>;
  /** region -> layer version number. */
  versions: Record<string, number>;
  failedRegions: string[];
  unchangedRegions: string[];
  /**
   * Set when the run covers exactly one region and it has the release: a convenience for one-region pipelines. A
   * multi-region run where all regions but one failed does not set it, so the output never appears by accident.
   */
  layerVersionArn?: string;
}

export function recordOutputs(record: ResultRecord): RecordOutputs {
  const outputs: RecordOutputs = { arns: {}, versions: {}, failedRegions: [], unchangedRegions: [] };
  for (const region of sortRegions(Object.keys(record.regions))) {
    const row = record.regions[region];
    if (row.status === 'failed') outputs.failedRegions.push(region);
    if (row.status === 'unchanged') outputs.unchangedRegions.push(region);
    if (isAvailable(row) && row.arn && row.version !== undefined) {
      outputs.arns[region] = row.arn;
      outputs.versions[region] = row.version;
    }
  }
  const regions = Object.keys(record.regions);
  if (regions.length === 1 && outputs.arns[regions[0]]) outputs.layerVersionArn = outputs.arns[regions[0]];
  return outputs;
}

/**
 * The message the step fails with, or undefined: `any` fails when a region failed, `all` only when no region has
 * the release, `none` never (the failed regions are still in the outputs, the summary and the release).
 */
export function failureMessage(record: ResultRecord, failOn: FailOn): string | undefined {
  const { failedRegions, arns } = recordOutputs(record);
  const total = Object.keys(record.regions).length;
  if (failOn === 'none' || failedRegions.length === 0) return undefined;
  const text = `Layer '${record.name}' ${record.version} failed in ${failedRegions.length} of ${total} regions: ${failedRegions.join(', ')}`;
  if (failOn === 'any') return `${text} (fail-on: any).`;
  return Object.keys(arns).length === 0 ? `${text}; no region has it (fail-on: all).` : undefined;
}
