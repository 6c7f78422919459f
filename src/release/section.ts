/**
 * The markdown a release (and a job summary) shows for one layer: what was released and a `Region | Version | ARN`
 * table in which failed regions are shown as failed, never left out.
 */
import { serializeRecord } from '../record/json.js';
import { isAvailable, sortRegions, type RegionResult, type ResultRecord } from '../record/record.js';

const ERROR_CELL_LIMIT = 200;
/** GitHub refuses a release body longer than this (422 "body is too long (maximum is 125000 characters)"). */
export const BODY_LIMIT = 125_000;

/** Text from AWS or a leg record made safe for one table cell: one line, no pipes, no HTML that could fake a marker. */
export function cellText(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');
  return line.length > ERROR_CELL_LIMIT ? `${line.slice(0, ERROR_CELL_LIMIT - 1)}…` : line;
}

/**
 * A value from a record as inline code. Records can come from a matrix leg's artifact: one line, without backticks
 * or angle brackets, a value can neither leave its code span nor look like a section marker.
 */
function code(value: string): string {
  return `\`${value.replace(/[`<>]/g, '').replace(/\s+/g, ' ').trim()}\``;
}

function codeList(values: string[] | undefined, none: string): string {
  return values && values.length > 0 ? values.map(code).join(', ') : none;
}

function describeSharing(principals: string[]): string {
  if (principals.length === 0) return 'private (this account only)';
  return principals.map((p) => (p === 'public' || p === '*' ? 'public (every AWS account)' : code(p))).join(', ');
}

/** One line for the sharing of the available rows; says so when regions differ rather than picking one. */
export function sharingLine(record: ResultRecord): string {
  const seen = new Map<string, string[]>();
  for (const region of sortRegions(Object.keys(record.regions))) {
    const row = record.regions[region];
    if (!isAvailable(row)) continue;
    const principals = [...new Set(row.sharing ?? [])].sort();
    const key = principals.join(',');
    seen.set(key, [...(seen.get(key) ?? []), region]);
  }
  if (seen.size === 0) return 'none (no region available)';
  if (seen.size === 1) return describeSharing([...seen.keys()][0].split(',').filter(Boolean));
  return `varies by region: ${[...seen.entries()]
    .map(([key, regions]) => `${describeSharing(key.split(',').filter(Boolean))} in ${regions.join(', ')}`)
    .join('; ')}`;
}

/** "6 of 7 regions available (5 published, 1 unchanged); failed: eu-south-2" */
export function statusLine(record: ResultRecord): string {
  const regions = sortRegions(Object.keys(record.regions));
  const count = (status: string) => regions.filter((r) => record.regions[r].status === status).length;
  const available = regions.filter((r) => isAvailable(record.regions[r])).length;
  const parts = [`${count('published')} published`, `${count('unchanged')} unchanged`];
  for (const status of ['skipped', 'planned'] as const) if (count(status) > 0) parts.push(`${count(status)} ${status}`);
  const failed = regions.filter((r) => record.regions[r].status === 'failed');
  const failedText = failed.length > 0 ? `; **failed: ${failed.join(', ')}**` : '';
  return `${available} of ${regions.length} regions available (${parts.join(', ')})${failedText}`;
}

function row(region: string, result: RegionResult): string {
  const version = result.version === undefined ? '—' : String(result.version);
  let arn: string;
  if (isAvailable(result)) arn = `\`${result.arn}\``;
  else if (result.status === 'failed') arn = `❌ failed${result.error ? `: ${cellText(result.error)}` : ''}`;
  else arn = `${result.status}${result.arn ? ` \`${result.arn}\`` : ''}`;
  return `| ${region} | ${version} | ${arn} |`;
}

export interface SectionOptions {
  /** Markdown heading level of the section title (default 3). */
  headingLevel?: number;
}

function heading(record: ResultRecord, options: SectionOptions): string {
  const hashes = '#'.repeat(Math.min(Math.max(options.headingLevel ?? 3, 1), 6));
  return `${hashes} Lambda layer \`${record.name}\` ${record.version}`;
}

/** The section's markdown, without the begin/end markers (patchBody adds them). Ends with a newline. */
export function renderSection(record: ResultRecord, options: SectionOptions = {}): string {
  const lines = [
    heading(record, options),
    '',
    statusLine(record),
    '',
    `- **sha256:** ${code(record.sha256)}`,
    `- **Runtimes:** ${codeList(record.runtimes, 'any')}`,
    `- **Architectures:** ${codeList(record.architectures, 'any')}`,
    `- **Shared with:** ${sharingLine(record)}`,
    '',
    '| Region | Version | ARN |',
    '| --- | --- | --- |',
    ...sortRegions(Object.keys(record.regions)).map((region) => row(region, record.regions[region])),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The section without its table, for release notes so long that the table would push the body past GitHub's limit:
 * what was released, and where the ARNs are instead (the `<name>.arns.json` asset, or the record in the section
 * when the release takes no asset).
 */
export function renderShortSection(record: ResultRecord, asset?: { name: string; url: string }): string {
  const why = 'the table does not fit in these release notes: GitHub allows 125,000 characters';
  const where = asset
    ? `[\`${asset.name}\`](${asset.url}) (${why})`
    : `not shown (${why}); \`resolve\` with \`source: github\` reads them from this section`;
  const lines = [
    heading(record, {}),
    '',
    statusLine(record),
    '',
    `- **sha256:** ${code(record.sha256)}`,
    `- **ARNs:** ${where}`,
  ];
  return `${lines.join('\n')}\n`;
}

const RECORD_COMMENT = /^<!-- lambda-layer-release:([A-Za-z0-9_-]{1,140}):record (\{.*\}) -->$/m;

/**
 * The result record as one HTML comment line for the release section: invisible on the page, read back by
 * `resolve` (source github) when a release has no `<name>.arns.json` asset (immutable releases refuse new assets).
 * `<` and `>` are written as JSON escapes, so no value can close the comment or fake a marker. The record's time is
 * left out: a rerun with the same result leaves the notes as they were.
 */
export function recordComment(record: ResultRecord): string {
  const { createdAt: _createdAt, ...stable } = JSON.parse(serializeRecord(record)) as ResultRecord;
  const json = JSON.stringify(stable).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `<!-- lambda-layer-release:${record.name}:record ${json} -->`;
}

/** The record JSON a section's comment line carries for layer `name`, or undefined when it has none. */
export function recordJsonIn(section: string, name: string): string | undefined {
  const match = RECORD_COMMENT.exec(section.replace(/\r\n?/g, '\n'));
  return match && match[1] === name ? match[2] : undefined;
}
