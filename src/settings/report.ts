/**
 * The report command's inputs, as typed settings: which layer's leg records to merge, the release to write, fail-on,
 * and the regions the matrix covers (so that a leg which stored no record still shows, as failed).
 */
import { lambdaRegions } from '../aws/partitions.js';
import { parseRegionSelection } from './regions.js';
import { ConfigurationError } from '../errors.js';
import { checkName } from '../layer/limits.js';
import { FAIL_ON, type FailOn } from '../record/index.js';
import { DEFAULTS, inputReader, type RawInputs } from './inputs.js';
import { releaseTarget, type ReleaseEnv, type ReleaseTarget } from './release.js';

/** Every input of report/action.yml (SPEC "report"). */
export const REPORT_INPUTS = ['name', 'release', 'github-token', 'fail-on', 'regions'] as const;
export type ReportInput = (typeof REPORT_INPUTS)[number];

export interface ReportSettings {
  name: string;
  release: ReleaseTarget;
  failOn: FailOn;
  token: string;
  /** The regions the matrix covers; empty when not given. */
  regions: string[];
}

/** `regions`: names checked as publish checks them, or `all`; `all-enabled` would need AWS, which report never asks. */
function matrixRegions(value: string, envRegion: string | undefined): string[] {
  if (!value) return [];
  const selection = parseRegionSelection(value, '', envRegion);
  if (selection.expand === 'all-enabled') {
    throw new ConfigurationError(
      "Input 'regions' of report cannot be 'all-enabled' (report asks AWS nothing); name the regions the matrix covers, or 'all'.",
    );
  }
  const all = selection.expand === 'all' ? lambdaRegions(selection.partition) : [];
  return [...new Set([...selection.named, ...all])];
}

/** `env`: the run's (the release event, AWS_REGION for the partition of `regions: all`). */
export function parseReportSettings(
  raw: RawInputs<ReportInput>,
  env: ReleaseEnv & { AWS_REGION?: string; AWS_DEFAULT_REGION?: string },
): ReportSettings {
  const input = inputReader(raw, DEFAULTS.report);
  const settings: ReportSettings = {
    name: checkName(input.required('name')),
    release: releaseTarget(input.text('release'), env),
    failOn: input.choice('fail-on', FAIL_ON),
    token: input.text('github-token'),
    regions: matrixRegions(input.text('regions'), env.AWS_REGION || env.AWS_DEFAULT_REGION),
  };
  if (settings.release.kind !== 'none' && !settings.token) {
    throw new ConfigurationError("Input 'github-token' is empty; the release cannot be updated without it.");
  }
  return settings;
}
