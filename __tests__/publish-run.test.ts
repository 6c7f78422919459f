/** The fan-out: at most max-parallel regions in flight, uploads bounded separately, one failure stops nothing. */
import { describe, expect, test } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RegionOutcome } from '../src/publish/plan.js';
import { publishRegions } from '../src/publish/fan-out.js';
import { awsError, FakeRegion, plan, regionDeps } from '../__fixtures__/publish-support.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2'];

/** Counts how many of `regions` are between their first call and their outcome, and how many uploads overlap. */
function instrumented(regions: FakeRegion[], uploadSlots: number) {
  const { deps } = regionDeps(regions);
  let active = 0;
  let peak = 0;
  let uploading = 0;
  let peakUploads = 0;
  const started = new Set<string>();
  const fanOut = {
    ...deps,
    uploadSlots,
    clients: {
      lambda: (region: string) => {
        if (!started.has(region)) {
          started.add(region);
          peak = Math.max(peak, ++active);
        }
        return deps.clients.lambda(region);
      },
      publisher: deps.clients.publisher,
    },
    onRegionDone: (_o: RegionOutcome) => {
      active--;
    },
  };
  for (const r of regions) {
    const send = r.publisher.send.bind(r.publisher);
    r.publisher.send = (async (command: never) => {
      peakUploads = Math.max(peakUploads, ++uploading);
      await sleep(5);
      try {
        return await send(command);
      } finally {
        uploading--;
      }
    }) as typeof r.publisher.send;
  }
  return { fanOut, stats: () => ({ peak, peakUploads }) };
}

describe('publishRegions', () => {
  test('max-parallel limits the regions in flight', async () => {
    const regions = REGIONS.map((r) => new FakeRegion(r));
    const { fanOut, stats } = instrumented(regions, 100);
    const outcomes = await publishRegions(plan({ regions: REGIONS, maxParallel: 2 }), fanOut);
    expect(outcomes.map((o) => [o.region, o.status])).toEqual(REGIONS.map((r) => [r, 'published']));
    expect(stats().peak).toBe(2);
  });

  test('auto runs every region at once; the upload budget still bounds the uploads', async () => {
    const regions = REGIONS.map((r) => new FakeRegion(r));
    const { fanOut, stats } = instrumented(regions, 2);
    await publishRegions(plan({ regions: REGIONS, maxParallel: 'auto' }), fanOut);
    expect(stats()).toEqual({ peak: 6, peakUploads: 2 });
  });

  test('a failing region stops no other', async () => {
    const regions = REGIONS.map((r) => new FakeRegion(r));
    regions[2].fail('list', awsError('UnrecognizedClientException', 403));
    regions[4].fail('publish', awsError('AccessDeniedException', 403));
    const { fanOut } = instrumented(regions, 100);
    const outcomes = await publishRegions(plan({ regions: REGIONS }), fanOut);
    expect(outcomes.map((o) => o.status)).toEqual([
      'published',
      'published',
      'failed',
      'published',
      'failed',
      'published',
    ]);
  });
});
