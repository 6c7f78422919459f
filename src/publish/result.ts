/**
 * From outcomes to what the user reads back: the result record (SPEC, schema 1), the progress line per region and
 * the summary table. Outputs and `fail-on` come from the record (src/record/outputs.ts), as for `report`.
 */
import type { RegionResult, ResultRecord } from '../record/index.js';
import type { PublishPlan, RegionOutcome } from './plan.js';
import type { RegionRetention } from './follow-ups/retention.js';
import type { PointerResult, RegionPointers } from './follow-ups/ssm-pointers.js';

export function toResultRecord(plan: PublishPlan, outcomes: RegionOutcome[], now = new Date()): ResultRecord {
  const { layer } = plan;
  const regions: Record<string, RegionResult> = {};
  for (const o of outcomes) {
    regions[o.region] = {
      status: o.status,
      ...(o.arn ? { arn: o.arn } : {}),
      ...(o.version !== undefined ? { version: o.version } : {}),
      ...(o.error ? { error: o.error } : {}),
      ...(o.sharing.length ? { sharing: o.sharing } : {}),
    };
  }
  return {
    schema: 1,
    name: layer.name,
    version: layer.version,
    sha256: layer.sha256,
    codeSha256: layer.codeSha256,
    runtimes: layer.runtimes,
    architectures: layer.architectures,
    ...(layer.commit ? { commit: layer.commit } : {}),
    createdAt: now.toISOString(),
    regions,
  };
}

const STATUS_MARK: Record<string, string> = {
  published: '✓',
  unchanged: '=',
  planned: '~',
  skipped: '-',
  failed: '✗',
};

/** One line per region as it finishes: `✓ eu-west-1 published version 4 (1.2 s), shared with public`. */
export function progressLine(o: RegionOutcome, dryRun: boolean): string {
  const head = `${STATUS_MARK[o.status] ?? '?'} ${o.region} ${o.status}`;
  // A plan without a target number still says what it would follow: the number AWS hands out is the next one.
  const after = o.status === 'planned' && o.previousVersion !== undefined ? ` after version ${o.previousVersion}` : '';
  const version = o.version !== undefined ? ` version ${o.version}` : after;
  const adopted = o.adopted ? ' (adopted after a lost answer)' : '';
  const duplicate =
    o.duplicate !== undefined
      ? ` (another run published this release at the same time; removed this run's duplicate version ${o.duplicate})`
      : '';
  const attempts = o.attempts ? `, ${o.attempts} attempts` : '';
  const problem = o.problem ? `; ${o.problem.what} failed: ${o.problem.error}` : '';
  const added = o.added.length ? `, ${dryRun ? 'would share with' : 'shared with'} ${o.added.join(', ')}` : '';
  const error = o.error ? `: ${o.error}` : '';
  const staged = o.staged ? `, zip from ${o.staged}` : '';
  return `${head}${version}${adopted}${duplicate} (${o.seconds.toFixed(1)} s${attempts})${staged}${added}${error}${problem}`;
}

/** Error text from AWS (or a file name) goes into the HTML summary: nothing in it may read as markup. */
export function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Rows of the summary table: region, status, version, ARN, sharing, seconds (no secrets: ARNs and ids only). */
export function summaryRows(outcomes: RegionOutcome[], dryRun: boolean): string[][] {
  return outcomes.map((o) => [
    o.region,
    o.status === 'failed' ? cell(`failed: ${o.error ?? ''}`) : o.status,
    o.version !== undefined ? String(o.version) : '',
    o.arn ?? '',
    describeSharing(o, dryRun),
    o.seconds.toFixed(1),
  ]);
}

function describeSharing(o: RegionOutcome, dryRun: boolean): string {
  if (o.sharing.length === 0) return o.status === 'failed' ? '' : 'private';
  const added = new Set(o.added);
  const note = dryRun ? ' (would add)' : ' (added)';
  return o.sharing.map((s) => (added.has(s) ? `${s}${note}` : s)).join(', ');
}

export const SUMMARY_HEADER = ['Region', 'Status', 'Version', 'ARN', 'Sharing', 'Seconds'];

/** What became of one SSM pointer, for a table cell: `created`, `updated (was …:6)`, `kept (it points at newer 2.0.0)`. */
function pointerCell(p: PointerResult): string {
  const was = p.previous && p.outcome === 'updated' ? `was ${p.previous}` : undefined;
  const detail = [was, p.reason].filter(Boolean).join('; ');
  return cell(detail ? `${p.outcome} (${detail})` : p.outcome);
}

/** The SSM pointers table: a header row of parameter names, then one row per region. */
export function pointerTable(pointers: RegionPointers[]): string[][] {
  const found = [...new Set(pointers.flatMap((r) => r.pointers.map((p) => p.parameter)))];
  // Every region failed: one column for the reasons.
  const names = found.length ? found : ['SSM pointers'];
  const rows = [...pointers]
    .sort((a, b) => a.region.localeCompare(b.region))
    .map((r) => {
      if (r.error) return [r.region, ...names.map((_, i) => (i === 0 ? cell(`failed: ${r.error}`) : ''))];
      return [
        r.region,
        ...names.map((n) => r.pointers.find((p) => p.parameter === n)).map((p) => (p ? pointerCell(p) : '')),
      ];
    });
  return [['Region', ...names], ...rows];
}

/** The keep-versions table: per region, what was (or would be) deleted and which old versions were kept, and why. */
export function retentionTable(retention: RegionRetention[], dryRun: boolean): string[][] {
  const list = (versions: number[]) => versions.join(', ');
  const rows = [...retention]
    .sort((a, b) => a.region.localeCompare(b.region))
    .map((r) => [
      r.region,
      r.error
        ? cell(`failed: ${r.error}${r.deleted.length ? ` (deleted ${list(r.deleted)} first)` : ''}`)
        : list(dryRun ? r.remove : r.deleted) || 'none',
      [
        r.pointed.length ? `${list(r.pointed)} (SSM pointer)` : '',
        r.unmarked.length ? `${list(r.unmarked)} (not ours)` : '',
        r.concurrent.length ? `${list(r.concurrent)} (another run's, or too recent)` : '',
      ]
        .filter(Boolean)
        .join('; '),
    ]);
  return [['Region', dryRun ? 'Would delete' : 'Deleted', 'Older versions kept'], ...rows];
}
