import { describe, expect, test } from '@jest/globals';
import { uploadSlots } from '../src/publish/upload-budget.js';
import type { RegionOutcome } from '../src/publish/plan.js';
import { progressLine, summaryRows, toResultRecord } from '../src/publish/result.js';
import { failureMessage, recordOutputs } from '../src/record/outputs.js';
import { plan } from '../__fixtures__/publish-support.js';

const arn = (region: string, v: number) => `arn:aws:lambda:${region}:123456789012:layer:otel:${v}`;
const outcomes: RegionOutcome[] = [
  {
    region: 'us-east-1',
    status: 'published',
    arn: arn('us-east-1', 3),
    version: 3,
    sharing: ['public'],
    added: ['public'],
    seconds: 1.23,
    adopted: true,
  },
  {
    region: 'eu-west-1',
    status: 'unchanged',
    arn: arn('eu-west-1', 2),
    version: 2,
    sharing: ['public'],
    added: [],
    seconds: 0.4,
  },
  {
    region: 'af-south-1',
    status: 'failed',
    error: 'region not enabled for this account',
    sharing: [],
    added: [],
    seconds: 0.1,
  },
];

describe('the result record', () => {
  test('schema 1, per region status, ARN, version, error, sharing', () => {
    const record = toResultRecord(plan(), outcomes, new Date('2026-11-30T00:00:00Z'));
    expect(record).toEqual({
      schema: 1,
      name: 'otel',
      version: '1.4.2',
      sha256: plan().layer.sha256,
      codeSha256: plan().layer.codeSha256,
      runtimes: ['python3.12'],
      architectures: ['x86_64'],
      commit: '0a1b2c3d4e5f6789',
      createdAt: '2026-11-30T00:00:00.000Z',
      regions: {
        'us-east-1': { status: 'published', arn: arn('us-east-1', 3), version: 3, sharing: ['public'] },
        'eu-west-1': { status: 'unchanged', arn: arn('eu-west-1', 2), version: 2, sharing: ['public'] },
        'af-south-1': { status: 'failed', error: 'region not enabled for this account' },
      },
    });
  });

  test('outputs cover the regions that succeeded, and fail-on decides', () => {
    const record = toResultRecord(plan(), outcomes);
    expect(recordOutputs(record)).toMatchObject({
      arns: { 'us-east-1': arn('us-east-1', 3), 'eu-west-1': arn('eu-west-1', 2) },
      versions: { 'us-east-1': 3, 'eu-west-1': 2 },
      failedRegions: ['af-south-1'],
      unchangedRegions: ['eu-west-1'],
    });
    expect(failureMessage(record, 'any')).toMatch(/failed in 1 of 3 regions: af-south-1/);
    expect(failureMessage(record, 'all')).toBeUndefined();
    expect(failureMessage(record, 'none')).toBeUndefined();
  });
});

describe('what the log and the summary show', () => {
  test('a progress line per region', () => {
    expect(outcomes.map((o) => progressLine(o, false))).toEqual([
      '✓ us-east-1 published version 3 (adopted after a lost answer) (1.2 s), shared with public',
      '= eu-west-1 unchanged version 2 (0.4 s)',
      '✗ af-south-1 failed (0.1 s): region not enabled for this account',
    ]);
    expect(
      progressLine(
        { region: 'us-east-1', status: 'planned', sharing: ['public'], added: ['public'], seconds: 0.2 },
        true,
      ),
    ).toBe('~ us-east-1 planned (0.2 s), would share with public');
  });

  test('summary rows: region, status, version, ARN, sharing, seconds', () => {
    expect(summaryRows(outcomes, false)).toEqual([
      ['us-east-1', 'published', '3', arn('us-east-1', 3), 'public (added)', '1.2'],
      ['eu-west-1', 'unchanged', '2', arn('eu-west-1', 2), 'public', '0.4'],
      ['af-south-1', 'failed: region not enabled for this account', '', '', '', '0.1'],
    ]);
    const odd: RegionOutcome = {
      region: 'us-east-1',
      status: 'failed',
      error: 'bad <b>input</b> & more',
      sharing: [],
      added: [],
      seconds: 0,
    };
    expect(summaryRows([odd], false)[0][1]).toBe('failed: bad &lt;b&gt;input&lt;/b&gt; &amp; more');
  });
});

describe('upload slots', () => {
  const MiB = 1024 * 1024;
  test('bounded by memory, not by the number of regions', () => {
    expect(uploadSlots(45 * MiB, 150 * MiB)).toBeGreaterThanOrEqual(34);
    expect(uploadSlots(45 * MiB, 1000 * MiB)).toBe(1);
    expect(uploadSlots(1 * MiB, 100 * MiB)).toBeGreaterThan(100);
  });
});
