/**
 * The fan-out: every region's chain, at most `max-parallel` at once (p-limit: a limit that limits), uploads bounded
 * by memory, one line per region as it finishes.
 */
import pLimit from 'p-limit';
import type { PublishPlan, RegionOutcome } from './plan.js';
import { runRegion } from './region/chain.js';
import type { RegionDeps } from './region/state.js';

export interface FanOutDeps extends Omit<RegionDeps, 'uploadSlot'> {
  /** Uploads allowed in flight at once (see upload-budget.ts). */
  uploadSlots: number;
  onRegionDone?(outcome: RegionOutcome): void;
}

export async function publishRegions(plan: PublishPlan, deps: FanOutDeps): Promise<RegionOutcome[]> {
  const regionLimit = pLimit(plan.maxParallel === 'auto' ? Math.max(1, plan.regions.length) : plan.maxParallel);
  const uploadLimit = pLimit(deps.uploadSlots);
  const regionDeps: RegionDeps = { ...deps, uploadSlot: (send) => uploadLimit(send) };
  return Promise.all(
    plan.regions.map((region) =>
      regionLimit(async () => {
        const outcome = await runRegion(plan, region, regionDeps);
        deps.onRegionDone?.(outcome);
        return outcome;
      }),
    ),
  );
}
