/**
 * `align-versions`: one layer version number in every region, decided before anything is published.
 *
 * Numbers are per region and AWS never reuses one, even after a delete, so a region's next number is at least its
 * newest version + 1 (more when its newest versions were deleted: AWS does not list them). A region whose newest
 * version already holds this release (skip-unchanged) keeps that number.
 *  - `strict`: the numbers the regions would end with must be equal, else nothing is published.
 *  - `pad`: the target is the highest of them; a lagging region gets filler versions (a tiny zip, no marker, a
 *    Description that says what it is) until its next number is the target, and a region that already holds this
 *    release under a lower number publishes it again. The fillers are deleted once the real versions exist.
 */
import { crc32 } from 'node:zlib';
import { ConfigurationError } from '../../errors.js';
import { centralHeader, dosTime, endRecords, localHeader, METHOD_STORE, MODE_FILE } from '../../layer/zip-format.js';

export type AlignMode = 'strict' | 'pad';

/** Filler versions published per region at most; a larger gap is refused before anything is published. */
export const MAX_PADDING = 100;
/** How filler versions are recognised (and never taken for a release: they carry no version marker). */
export const PADDING_PREFIX = 'lambda-layer-release padding';

/** What a region looks like before publishing. */
export interface RegionState {
  region: string;
  /** Newest version number listed (0 when the layer has none in the region). */
  newest: number;
  /** The newest version's number when it already holds this release and may be reused. */
  reusable?: number;
}

export interface AlignmentPlan {
  /** The version number every region is to end with. */
  target: number;
  /** region -> filler versions to publish first. */
  fillers: Record<string, number>;
  /** Regions that hold this release under a lower number and publish it again. */
  republish: string[];
}

/** The number a region ends with when nothing is padded. */
function endsWith(state: RegionState): number {
  return state.reusable ?? state.newest + 1;
}

function strictError(states: RegionState[], target: number): ConfigurationError {
  const list = [...states]
    .sort((a, b) => endsWith(b) - endsWith(a) || a.region.localeCompare(b.region))
    .map((s) => {
      const n = endsWith(s);
      const notes = [s.reusable !== undefined ? 'reused' : '', n < target ? `${target - n} behind` : '']
        .filter(Boolean)
        .join(', ');
      return `${s.region} ${n}${notes ? ` (${notes})` : ''}`;
    });
  return new ConfigurationError(
    `Input 'align-versions' is strict, but the regions would get different version numbers: ${list.join(', ')}. ` +
      `Nothing was published; use 'pad' to bring every region up to ${target}.`,
  );
}

/** The target and the work per region; throws (nothing published yet) for strict mismatches and oversized gaps. */
export function planAlignment(states: RegionState[], mode: AlignMode): AlignmentPlan {
  const target = Math.max(1, ...states.map(endsWith));
  if (mode === 'strict') {
    if (states.some((s) => endsWith(s) !== target)) throw strictError(states, target);
    return { target, fillers: {}, republish: [] };
  }
  const plan: AlignmentPlan = { target, fillers: {}, republish: [] };
  for (const s of states) {
    if (s.reusable === target) continue;
    if (s.reusable !== undefined) plan.republish.push(s.region);
    const count = target - (s.newest + 1);
    if (count > 0) plan.fillers[s.region] = count;
  }
  const tooFar = Object.entries(plan.fillers).filter(([, count]) => count > MAX_PADDING);
  if (tooFar.length) {
    const list = tooFar
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, count]) => `${region} ${count}`)
      .join(', ');
    throw new ConfigurationError(
      `Input 'align-versions': pad would publish more than ${MAX_PADDING} filler versions in a region (${list}; the ` +
        `target is version ${target}). Nothing was published; leave those regions out (exclude-regions), or set ` +
        `'align-versions' to off.`,
    );
  }
  return plan;
}

/** One log line per region that needs work, and the target. */
export function describeAlignment(plan: AlignmentPlan, states: RegionState[], dryRun: boolean): string[] {
  const verb = dryRun ? 'would ' : '';
  const lines = [`align-versions: version ${plan.target} in every region.`];
  for (const s of states) {
    const fillers = plan.fillers[s.region] ?? 0;
    const range = fillers === 1 ? `${s.newest + 1}` : `${s.newest + 1}-${s.newest + fillers}`;
    if (fillers) lines.push(`${s.region}: ${verb}publish ${fillers} filler version(s) (${range}) first.`);
    if (plan.republish.includes(s.region)) {
      lines.push(
        `${s.region}: version ${s.reusable} holds this release already; ${verb}publish it again as ${plan.target}.`,
      );
    }
  }
  return lines;
}

export function paddingDescription(target: number): string {
  return `${PADDING_PREFIX} toward version ${target} (align-versions); not a release, deleted after publishing`;
}

export function isPadding(description: string | undefined): boolean {
  return (description ?? '').startsWith(PADDING_PREFIX);
}

/** The filler's zip: one small text file (Lambda refuses an empty zip). Built once. */
export const PADDING_ZIP: Buffer = (() => {
  const name = Buffer.from('lambda-layer-release-padding.txt');
  const data = Buffer.from('A filler version published to align version numbers across regions. Not a release.\n');
  const entry = { name, method: METHOD_STORE, crc: crc32(data), compressedSize: data.length, size: data.length };
  const time = dosTime(0);
  const local = localHeader({ ...entry, mode: MODE_FILE, offset: 0 }, time);
  const central = centralHeader({ ...entry, mode: MODE_FILE, offset: 0 }, time);
  const offset = local.length + data.length;
  return Buffer.concat([local, data, central, endRecords(1, offset, central.length)]);
})();
