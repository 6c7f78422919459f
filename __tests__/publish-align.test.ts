/**
 * align-versions, the rules: the target and the work per region, strict refusals, the padding bound, the filler zip,
 * and the barrier (no region publishes before every region's padding is done), with in-memory Lambda regions.
 */
import { describe, expect, test } from '@jest/globals';
import {
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigurationError } from '../src/errors.js';
import {
  describeAlignment,
  isPadding,
  MAX_PADDING,
  PADDING_ZIP,
  paddingDescription,
  planAlignment,
  type RegionState,
} from '../src/publish/align/alignment.js';
import { publishAligned } from '../src/publish/align/publish-aligned.js';
import type { PublishPlan, RegionOutcome } from '../src/publish/plan.js';
import { plan } from '../__fixtures__/publish-support.js';

const s = (region: string, newest: number, reusable?: number): RegionState => ({ region, newest, reusable });

describe('planAlignment', () => {
  test.each([
    ['new layer everywhere', [s('a-1', 0), s('b-1', 0)], 1, {}, []],
    ['lagging regions get fillers', [s('a-1', 5), s('b-1', 2), s('c-1', 0)], 6, { 'b-1': 3, 'c-1': 5 }, []],
    ['a reused version sets the target', [s('a-1', 7, 7), s('b-1', 4)], 7, { 'b-1': 2 }, []],
    ['a reused version under the target is published again', [s('a-1', 3, 3), s('b-1', 5)], 6, { 'a-1': 2 }, ['a-1']],
    ['reused one below, next one above: republish without fillers', [s('a-1', 6, 6), s('b-1', 6)], 7, {}, ['a-1']],
    ['already aligned', [s('a-1', 8), s('b-1', 8)], 9, {}, []],
  ])('pad: %s', (_label, states, target, fillers, republish) => {
    expect(planAlignment(states, 'pad')).toEqual({ target, fillers, republish });
  });

  test('strict: equal next numbers pass, reused ones included', () => {
    expect(planAlignment([s('a-1', 4, 4), s('b-1', 3)], 'strict')).toEqual({ target: 4, fillers: {}, republish: [] });
  });

  test('strict: different numbers stop everything, naming each region and the gap', () => {
    const states = [s('us-east-1', 0), s('eu-west-1', 5, 5), s('ap-south-1', 5)];
    expect(() => planAlignment(states, 'strict')).toThrow(ConfigurationError);
    expect(() => planAlignment(states, 'strict')).toThrow(
      "Input 'align-versions' is strict, but the regions would get different version numbers: ap-south-1 6, " +
        'eu-west-1 5 (reused, 1 behind), us-east-1 1 (5 behind). Nothing was published; use ' +
        "'pad' to bring every region up to 6.",
    );
  });

  test(`pad refuses more than ${MAX_PADDING} fillers in a region`, () => {
    expect(planAlignment([s('a-1', MAX_PADDING), s('b-1', 0)], 'pad').fillers['b-1']).toBe(MAX_PADDING);
    expect(() => planAlignment([s('a-1', 150), s('c-1', 0), s('b-1', 10)], 'pad')).toThrow(
      "Input 'align-versions': pad would publish more than 100 filler versions in a region (b-1 140, c-1 150; the " +
        'target is version 151). Nothing was published; leave those regions out (exclude-regions), or set ' +
        "'align-versions' to off.",
    );
  });

  test('the plan in words', () => {
    const states = [s('a-1', 5), s('b-1', 2), s('c-1', 4, 4)];
    expect(describeAlignment(planAlignment(states, 'pad'), states, true)).toEqual([
      'align-versions: version 6 in every region.',
      'b-1: would publish 3 filler version(s) (3-5) first.',
      'c-1: would publish 1 filler version(s) (5) first.',
      'c-1: version 4 holds this release already; would publish it again as 6.',
    ]);
  });
});

describe('the filler', () => {
  test('a valid one-file zip, described as padding, never as a release', () => {
    expect(PADDING_ZIP.readUInt32LE(0)).toBe(0x04034b50);
    expect(PADDING_ZIP.readUInt32LE(PADDING_ZIP.length - 22)).toBe(0x06054b50);
    expect(PADDING_ZIP.readUInt16LE(PADDING_ZIP.length - 22 + 10)).toBe(1);
    expect(PADDING_ZIP.length).toBeLessThan(300);
    const description = paddingDescription(9);
    expect(isPadding(description)).toBe(true);
    expect(description).not.toContain('[llr:');
    expect(description.length).toBeLessThanOrEqual(256);
  });
});

/** A region in memory: a counter that never goes back, and a log shared by all regions. */
function fakeRegion(region: string, existing: number, log: string[]) {
  const client = new LambdaClient({ region, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const versions = new Map<number, string>();
  let counter = existing;
  for (let v = 1; v <= existing; v++) versions.set(v, 'hand-made');
  const mock = mockClient(client);
  mock.on(ListLayerVersionsCommand).callsFake(() => ({
    LayerVersions: [...versions].reverse().map(([v, d]) => ({ Version: v, Description: d, LayerVersionArn: `x:${v}` })),
  }));
  mock
    .on(GetLayerVersionCommand)
    .callsFake((i) => ({ Version: i.VersionNumber, Description: versions.get(i.VersionNumber) }));
  mock.on(PublishLayerVersionCommand).callsFake(async (i) => {
    await sleep(5);
    versions.set(++counter, i.Description ?? '');
    log.push(`${region} filler ${counter}`);
    return { Version: counter };
  });
  mock.on(DeleteLayerVersionCommand).callsFake((i) => {
    versions.delete(i.VersionNumber);
    log.push(`${region} delete ${i.VersionNumber}`);
    return {};
  });
  const publishReal = () => {
    versions.set(++counter, 'the release');
    return counter;
  };
  return { client, versions, publishReal };
}

describe('publishAligned', () => {
  test('no region publishes before every filler is out; fillers are deleted afterwards', async () => {
    const log: string[] = [];
    const regions = { 'us-east-1': fakeRegion('us-east-1', 0, log), 'eu-west-1': fakeRegion('eu-west-1', 3, log) };
    const base = plan({ regions: Object.keys(regions), skipUnchanged: false });
    const fanOut = async (p: PublishPlan): Promise<RegionOutcome[]> => {
      log.push(`publish ${p.regions.join(' ')} toward ${p.align?.target}`);
      return p.regions.map((region) => {
        const version = regions[region as keyof typeof regions].publishReal();
        return { region, status: 'published', version, sharing: [], added: [], seconds: 0 };
      });
    };
    const run = await publishAligned(
      base,
      'pad',
      {
        clients: { lambda: (r) => regions[r as keyof typeof regions].client },
        logger: { info: () => undefined, warning: () => undefined, debug: () => undefined },
        now: () => 0,
        sleep: async () => undefined,
      },
      fanOut,
    );
    expect(log.slice(0, 4)).toEqual([
      'us-east-1 filler 1',
      'us-east-1 filler 2',
      'us-east-1 filler 3',
      'publish us-east-1 eu-west-1 toward 4',
    ]);
    expect(log.slice(4).sort()).toEqual(['us-east-1 delete 1', 'us-east-1 delete 2', 'us-east-1 delete 3']);
    expect(run.outcomes.map((o) => [o.region, o.version])).toEqual([
      ['us-east-1', 4],
      ['eu-west-1', 4],
    ]);
    expect(run.problems).toEqual([]);
    expect([...regions['us-east-1'].versions.keys()]).toEqual([4]);
  });
});
