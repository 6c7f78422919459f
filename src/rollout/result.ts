/**
 * What a rollout hands back: the outputs (SPEC: `updated`, `unchanged`, `failed-functions`), the plan table
 * (region | function | from | to | why) for the log and the job summary, the result record, and whether the step
 * fails under `fail-on` (as publish: `any` when a function failed, `all` when none is where it should be, `none`
 * never).
 */
import { cellText } from '../release/section.js';
import { sortRegions, type FailOn } from '../record/index.js';
import type { RolloutRun } from './rollout.js';
import type { FunctionOutcome } from './update.js';

export interface RolloutOutputs {
  /** region -> {function -> the layer version ARN it was moved to} */
  updated: Record<string, Record<string, string>>;
  /** `region:function` */
  unchanged: string[];
  /** `region:function`, and `region:*` for a region that could not be listed */
  failedFunctions: string[];
}

export const TABLE_HEADER = ['Region', 'Function', 'From', 'To', 'Why'];

export function sortedOutcomes(run: RolloutRun): FunctionOutcome[] {
  const order = new Map(sortRegions(run.regions).map((r, i) => [r, i]));
  return [...run.outcomes].sort(
    (a, b) => (order.get(a.region) ?? 0) - (order.get(b.region) ?? 0) || a.function.localeCompare(b.function),
  );
}

export function rolloutOutputs(run: RolloutRun): RolloutOutputs {
  const outputs: RolloutOutputs = { updated: {}, unchanged: [], failedFunctions: [] };
  for (const o of sortedOutcomes(run)) {
    const key = `${o.region}:${o.function}`;
    if (o.status === 'updated' && o.layerArn) (outputs.updated[o.region] ??= {})[o.function] = o.layerArn;
    if (o.status === 'unchanged') outputs.unchanged.push(key);
    if (o.status === 'failed') outputs.failedFunctions.push(key);
  }
  for (const f of run.regionFailures) outputs.failedFunctions.push(`${f.region}:*`);
  return outputs;
}

function whyCell(o: FunctionOutcome, dryRun: boolean): string {
  const alias =
    o.alias && o.alias.result !== 'absent' ? `; alias ${o.alias.name} ${o.alias.result} (:${o.alias.version})` : '';
  if (o.status === 'failed') return `FAILED: ${o.error ?? 'unknown'} (${o.why})`;
  if (o.status === 'updated') return `updated: ${o.why}${alias}`;
  if (o.status === 'planned') return `${dryRun ? 'would update' : 'planned'}: ${o.why}`;
  return `unchanged: ${o.why}${alias}`;
}

/** The table's rows, one per function, sorted by region then function; a failed region is one row. */
export function tableRows(run: RolloutRun, dryRun: boolean): string[][] {
  const rows = sortedOutcomes(run).map((o) => [o.region, o.function, o.from, o.to, whyCell(o, dryRun)].map(cellText));
  for (const f of run.regionFailures) rows.push([f.region, '*', '-', '-', cellText(`FAILED: ${f.error}`)]);
  return rows;
}

/** The table as text for the log: aligned columns, `|` between them. */
export function planText(run: RolloutRun, dryRun: boolean): string {
  const rows = [TABLE_HEADER, ...tableRows(run, dryRun)];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join(' | ')).join('\n');
}

export function summaryTitle(name: string, run: RolloutRun, dryRun: boolean): string {
  const outputs = rolloutOutputs(run);
  const updated = Object.values(outputs.updated).reduce((n, fns) => n + Object.keys(fns).length, 0);
  const planned = run.outcomes.filter((o) => o.status === 'planned').length;
  const failed = outputs.failedFunctions.length;
  const head = dryRun ? `Rollout plan (dry run, nothing changed): layer ${name}` : `Rollout of layer ${name}`;
  const counts = dryRun
    ? `${planned} to update, ${outputs.unchanged.length} unchanged, ${failed} failed`
    : `${updated} updated, ${outputs.unchanged.length} unchanged, ${failed} failed`;
  return `${head}: ${counts}`;
}

/** The message the step fails with under `fail-on`, or undefined. */
export function rolloutFailure(name: string, run: RolloutRun, failOn: FailOn): string | undefined {
  const { failedFunctions } = rolloutOutputs(run);
  if (failOn === 'none' || failedFunctions.length === 0) return undefined;
  const succeeded = run.outcomes.filter((o) => o.status !== 'failed').length;
  const text = `Rollout of layer '${name}' failed for ${failedFunctions.length} function(s): ${failedFunctions.join(', ')}`;
  if (failOn === 'any') return `${text} (fail-on: any).`;
  return succeeded === 0 ? `${text}; none succeeded (fail-on: all).` : undefined;
}

/** The result record (result-path): JSON, `schema: 1`. */
export function rolloutRecord(name: string, run: RolloutRun, dryRun: boolean): Record<string, unknown> {
  return {
    schema: 1,
    kind: 'rollout',
    name,
    dryRun,
    functions: sortedOutcomes(run),
    failedRegions: run.regionFailures,
    ...(run.leftOut.length ? { leftOut: run.leftOut } : {}),
  };
}
