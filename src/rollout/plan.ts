/**
 * What to do with one function, from what AWS says about it now: pure, so that a re-read after a concurrent change
 * (412) is simply planned again. The rules (SPEC "rollout"): only a function that already uses the layer moves;
 * only to the newest version whose semver satisfies its range (no prerelease unless the range names one); never to
 * an older semver; every other layer stays, in its place.
 */
import semver from 'semver';
import { parseLayerVersionArn } from '../aws/arn.js';
import { pickNewest, type Candidate, type VersionRange } from '../resolve/range.js';
import { parseTagRange, tagKey } from './tag.js';

/** A function as GetFunction describes it ($LATEST). */
export interface FunctionView {
  name: string;
  arn: string;
  /** Layer version ARNs, in the function's order. */
  layers: string[];
  revisionId?: string;
  /** Undefined: not read (a listed function does not need them). */
  tags?: Record<string, string>;
  state?: string;
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
  lastUpdateStatusReasonCode?: string;
}

/** A layer version a function uses: its ARN, number and, when a version marker or record says, its semver. */
export interface LayerRef {
  arn: string;
  version: number;
  semver?: string;
}

export type Plan =
  /** Not opted in (no tag): left alone and not reported. */
  | { action: 'skip'; why: string }
  /** `atTarget`: already on the version the range picks (an alias may still need to follow). */
  | { action: 'keep'; from?: LayerRef; why: string; atTarget?: boolean }
  /** The function asks for something that cannot be honoured (an invalid tag value): reported as failed. */
  | { action: 'refuse'; from?: LayerRef; why: string; problem: string }
  | { action: 'update'; from: LayerRef; to: Candidate; layers: string[]; why: string };

export interface PlanContext {
  layerName: string;
  /** The versions of the layer in the function's region. */
  candidates: Candidate[];
  /** Listed functions follow `version`; undefined: tagged functions follow their tag. */
  range?: VersionRange;
}

/** `arn:aws:lambda:r:a:layer:name` of a layer version ARN. */
export function unversioned(arn: string): string {
  return arn.replace(/:\d+$/, '');
}

function describeRef(ref: LayerRef): string {
  return ref.semver ? `${ref.semver} (:${ref.version})` : `:${ref.version} (no version marker)`;
}

export function describeFrom(plan: Plan): string {
  return 'from' in plan && plan.from ? describeRef(plan.from) : '-';
}

/** The function's entry for the layer: the one of the candidates' account when there are several of that name. */
function layerEntry(view: FunctionView, ctx: PlanContext): number {
  const own = ctx.candidates[0] && unversioned(ctx.candidates[0].arn);
  const named = view.layers
    .map((arn, i) => ({ i, parsed: parseLayerVersionArn(arn), arn }))
    .filter((l) => l.parsed?.layerName === ctx.layerName);
  return (named.find((l) => unversioned(l.arn) === own) ?? named[0])?.i ?? -1;
}

function currentRef(arn: string, candidates: Candidate[]): LayerRef {
  const known = candidates.find((c) => c.arn === arn);
  const version = parseLayerVersionArn(arn)?.version ?? 0;
  return known ? { arn, version, semver: known.semver } : { arn, version };
}

/** Whether `to` is an upgrade of `from`: a higher semver, or the same semver published again later. */
function isNewer(to: Candidate, from: LayerRef): boolean {
  if (!from.semver) return to.layerVersion > from.version;
  const order = semver.compare(to.semver, from.semver);
  return order > 0 || (order === 0 && to.layerVersion > from.version);
}

export function planFunction(view: FunctionView, ctx: PlanContext): Plan {
  let range = ctx.range;
  let label = range ? `version ${range.input}` : '';
  const index = layerEntry(view, ctx);
  const from = index < 0 ? undefined : currentRef(view.layers[index], ctx.candidates);
  if (!range) {
    const key = tagKey(ctx.layerName);
    const value = view.tags?.[key];
    if (value === undefined) return { action: 'skip', why: `no tag ${key}` };
    const parsed = parseTagRange(value);
    if ('problem' in parsed) {
      return {
        action: 'refuse',
        ...(from ? { from } : {}),
        why: `tag ${value}`,
        problem: `tag ${key} ${parsed.problem}`,
      };
    }
    range = parsed.range;
    label = `tag ${range.input}`;
  }
  if (!from) return { action: 'keep', why: `${label}: does not use layer ${ctx.layerName}; never added` };
  const own = ctx.candidates[0] && unversioned(ctx.candidates[0].arn);
  if (own && unversioned(from.arn) !== own) {
    return { action: 'keep', from, why: `${label}: uses ${unversioned(from.arn)}, not ${own}` };
  }
  const target = pickNewest(ctx.candidates, range);
  if (!target) return { action: 'keep', from, why: `${label}: no version matches in this region` };
  const failed = view.lastUpdateStatus === 'Failed';
  if (target.arn === from.arn && !failed)
    return { action: 'keep', from, why: `${label}: already the newest match`, atTarget: true };
  if (target.arn !== from.arn && !isNewer(target, from)) {
    return {
      action: 'keep',
      from,
      why: `${label}: ${describeRef(from)} is newer than ${target.semver}; never downgraded`,
    };
  }
  const layers = view.layers.map((arn, i) => (i === index ? target.arn : arn));
  const why =
    target.arn === from.arn
      ? `${label}: the last update Failed (${view.lastUpdateStatusReason ?? 'no reason given'}); updating again`
      : `${label}: newest match ${target.semver}`;
  return { action: 'update', from, to: target, layers, why };
}
