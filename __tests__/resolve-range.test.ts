import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { parseRange, pickNewest, type Candidate } from '../src/resolve/range.js';
import { NoMatchError, resolveFromCandidates } from '../src/resolve/resolve.js';

const c = (semver: string, layerVersion: number, region = 'us-east-1'): Candidate => ({
  semver,
  layerVersion,
  arn: `arn:aws:lambda:${region}:123456789012:layer:otel:${layerVersion}`,
});
const history = [
  c('1.4.0', 1),
  c('1.4.2', 2),
  c('1.9.0', 3),
  c('1.10.0', 4),
  c('2.0.0-rc.1', 5),
  c('0.9.0', 6),
  c('1.4.1', 7),
];

describe('pickNewest', () => {
  test.each([
    ['~1.4.0', '1.4.2'],
    ['^1', '1.10.0'],
    ['^1.2', '1.10.0'],
    ['1.x', '1.10.0'],
    ['1.4.1', '1.4.1'],
    ['v1.4.1', '1.4.1'],
    ['latest', '1.10.0'],
    ['', '1.10.0'],
    ['2.0.0-rc.1', '2.0.0-rc.1'],
    ['^2.0.0-rc.0', '2.0.0-rc.1'],
    ['>=0.1 <1', '0.9.0'],
    ['^3', undefined],
  ])('%p picks %p', (range, expected) => {
    expect(pickNewest(history, parseRange(range))?.semver).toBe(expected);
  });

  test('among equal semvers the higher layer version wins', () => {
    expect(pickNewest([c('1.0.0', 3), c('1.0.0', 8), c('1.0.0', 5)], parseRange('^1'))?.layerVersion).toBe(8);
  });

  test.each(['foo', '1.2.3.4', '^^1'])('refuses %p naming the input', (range) => {
    expect(() => parseRange(range)).toThrow(ConfigurationError);
    expect(() => parseRange(range)).toThrow("Input 'version' must be a semver range");
  });
});

describe('resolveFromCandidates', () => {
  const candidates = new Map([
    ['us-east-1', [c('1.4.2', 2), c('1.10.0', 4)]],
    ['eu-west-1', [c('1.4.2', 7, 'eu-west-1'), c('1.10.0', 9, 'eu-west-1')]],
    ['ap-south-1', [c('1.4.1', 1, 'ap-south-1'), c('1.10.0', 2, 'ap-south-1')]],
  ]);

  test('per region, with the agreed version and no single ARN for several regions', () => {
    const r = resolveFromCandidates('otel', parseRange('~1.4.0'), ['us-east-1', 'eu-west-1'], candidates);
    expect(r).toEqual({
      arns: { 'eu-west-1': c('1.4.2', 7, 'eu-west-1').arn, 'us-east-1': c('1.4.2', 2).arn },
      versions: { 'eu-west-1': 7, 'us-east-1': 2 },
      semvers: { 'eu-west-1': '1.4.2', 'us-east-1': '1.4.2' },
      resolvedVersion: '1.4.2',
    });
  });

  test('regions that resolve to different versions leave resolved-version unset', () => {
    const r = resolveFromCandidates('otel', parseRange('~1.4.0'), ['us-east-1', 'ap-south-1'], candidates);
    expect(r.semvers).toEqual({ 'ap-south-1': '1.4.1', 'us-east-1': '1.4.2' });
    expect(r.resolvedVersion).toBeUndefined();
  });

  test('one region gives layer-version-arn', () => {
    const r = resolveFromCandidates('otel', parseRange('^1'), ['eu-west-1'], candidates);
    expect(r.layerVersionArn).toBe(c('1.10.0', 9, 'eu-west-1').arn);
  });

  test('a range that matches nothing in some regions names each of them', () => {
    const run = () =>
      resolveFromCandidates('otel', parseRange('~1.4.2'), ['us-east-1', 'ap-south-1', 'sa-east-1'], candidates);
    expect(run).toThrow(NoMatchError);
    expect(run).toThrow(
      "No version of layer 'otel' matches '~1.4.2' in 2 region(s): ap-south-1 (only 1.10.0, 1.4.1); sa-east-1 (no versions)",
    );
  });
});
