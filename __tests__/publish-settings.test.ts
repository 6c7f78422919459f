import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { parsePublishSettings, type RawPublishInputs } from '../src/settings/publish.js';

const base: RawPublishInputs = { name: 'otel', regions: 'us-east-1' };
const parse = (extra: RawPublishInputs, envRegion?: string) => parsePublishSettings({ ...base, ...extra }, envRegion);

describe('parsePublishSettings: defaults', () => {
  test('a minimal publish: this run’s artifact, private, all regions at once, skip-unchanged, fail on any', () => {
    const s = parse({});
    expect(s).toMatchObject({
      name: 'otel',
      source: { kind: 'artifact', run: { kind: 'current' } },
      regions: { partition: 'aws', named: ['us-east-1'], exclude: [] },
      overrides: {},
      sharing: [],
      credentials: { roleSessionName: 'lambda-layer-release', audience: 'sts.amazonaws.com' },
      maxParallel: 'auto',
      skipUnchanged: true,
      failOn: 'any',
      dryRun: false,
      release: 'auto',
      alignVersions: 'off',
      keepVersions: 0,
      staging: { s3Prefix: 'lambda-layers/', keep: false },
    });
    expect(s.credentials.roleToAssume).toBeUndefined();
  });

  test('lists take commas, spaces and newlines; keywords and overrides are read', () => {
    const s = parse({
      regions: 'all,\n eu-west-1',
      'exclude-regions': 'ap-east-1 me-south-1',
      'share-with': 'public, 111122223333\no-abcdefghij public',
      'compatible-runtimes': 'python3.12 python3.13',
      'compatible-architectures': 'arm64',
      description: 'My layer',
      'license-info': 'MIT',
      'max-parallel': '4',
      'skip-unchanged': 'false',
      'fail-on': 'none',
      'dry-run': 'yes',
      'run-id': 'auto',
      'artifact-name': 'my-artifact',
      'role-to-assume': 'arn:aws:iam::123456789012:role/publisher',
    });
    expect(s.regions).toEqual({
      partition: 'aws',
      named: ['eu-west-1'],
      expand: 'all',
      exclude: ['ap-east-1', 'me-south-1'],
    });
    expect(s.sharing).toEqual([
      { kind: 'public' },
      { kind: 'account', id: '111122223333' },
      { kind: 'organization', id: 'o-abcdefghij' },
    ]);
    expect(s.overrides).toEqual({
      runtimes: ['python3.12', 'python3.13'],
      architectures: ['arm64'],
      description: 'My layer',
      licenseInfo: 'MIT',
    });
    expect(s).toMatchObject({ maxParallel: 4, skipUnchanged: false, failOn: 'none', dryRun: true });
    expect(s.source).toEqual({ kind: 'artifact', artifactName: 'my-artifact', run: { kind: 'auto' } });
    expect(s.credentials.roleToAssume).toBe('arn:aws:iam::123456789012:role/publisher');
  });

  test('the partition of `all` follows the named regions, else AWS_REGION', () => {
    expect(parse({ regions: 'all cn-north-1' }).regions.partition).toBe('aws-cn');
    expect(parse({ regions: 'all' }, 'us-gov-west-1').regions.partition).toBe('aws-us-gov');
    expect(parse({ regions: 'all-enabled' }).regions.partition).toBe('aws');
  });

  test('a zip on disk, with a version; a run id', () => {
    expect(parse({ zip: 'dist/layer.zip', version: 'v2.0.0' }).source).toEqual({
      kind: 'zip',
      path: 'dist/layer.zip',
      version: '2.0.0',
    });
    expect(parse({ 'run-id': '123456' }).source).toEqual({ kind: 'artifact', run: { kind: 'id', id: 123456 } });
  });

  test.each([
    [
      { 's3-bucket': 'my-layers-{region}' },
      { s3Bucket: 'my-layers-{region}', s3Prefix: 'lambda-layers/', keep: false },
    ],
    [
      { 's3-bucket': 'one-bucket', 's3-prefix': 'team/layers' },
      { s3Bucket: 'one-bucket', s3Prefix: 'team/layers/', keep: false },
    ],
    [{ 's3-prefix': '' }, { s3Prefix: 'lambda-layers/', keep: false }],
    [
      { 's3-bucket': 'auto', regions: 'all', 's3-keep': 'true' },
      { s3Bucket: 'auto', s3Prefix: 'lambda-layers/', keep: true },
    ],
  ])('staging %p', (inputs, staging) => {
    expect(parse(inputs).staging).toEqual(staging);
  });

  test.each(['strict', 'pad', 'PAD', 'off'])('align-versions %p is read', (mode) => {
    expect(parse({ 'align-versions': mode }).alignVersions).toBe(mode.toLowerCase());
  });

  test.each([
    ['/lambda-layers/', '/lambda-layers'],
    ['/', ''],
  ])('ssm-prefix %p is kept as %p', (input, prefix) => {
    expect(parse({ 'ssm-prefix': input }).ssmPrefix).toBe(prefix);
  });

  test('deprecated runtimes are accepted with a warning', () => {
    expect(parse({ 'compatible-runtimes': 'python3.8' }).warnings.join()).toMatch(/python3\.8/);
  });
});

// Every rule: the exact one-line error, naming the input.
const bad: [string, RawPublishInputs, RegExp][] = [
  ['layer name pattern', { name: 'my layer' }, /^Input 'name' must be 1 to 140 letters/],
  ['layer name length', { name: 'x'.repeat(141) }, /^Input 'name' must be 1 to 140/],
  ['no name and no artifact-name', { name: '' }, /^Input 'name' is required unless 'artifact-name'/],
  [
    'unknown runtime',
    { 'compatible-runtimes': 'python9' },
    /^Input 'compatible-runtimes' has unknown runtime 'python9'/,
  ],
  [
    'more than 15 runtimes',
    {
      'compatible-runtimes':
        'nodejs18.x nodejs20.x nodejs22.x python3.9 python3.10 python3.11 python3.12 python3.13 java11 java17 java21 ruby3.2 ruby3.3 provided.al2 provided.al2023 dotnet8',
    },
    /^Input 'compatible-runtimes' lists 16 runtimes; Lambda allows at most 15/,
  ],
  ['unknown architecture', { 'compatible-architectures': 'x86' }, /^Input 'compatible-architectures' must list x86_64/],
  [
    'description over 256',
    { description: 'd'.repeat(257) },
    /^Input 'description' is 257 characters; Lambda allows at most 256/,
  ],
  [
    'license over 512',
    { 'license-info': 'l'.repeat(513) },
    /^Input 'license-info' is 513 characters; Lambda allows at most 512/,
  ],
  ['no regions', { regions: ' ' }, /^Input 'regions' is required/],
  ['unknown region', { regions: 'us-east-1 us-east-l' }, /^Input 'regions' has unknown region 'us-east-l'/],
  ['pseudo-region', { regions: 'aws-global' }, /^Input 'regions' has unknown region 'aws-global'/],
  ['region of another partition family', { regions: 'us-iso-east-1' }, /^Input 'regions' has unknown region/],
  ['mixed partitions', { regions: 'us-east-1 cn-north-1' }, /^Input 'regions' mixes partitions \(aws, aws-cn\)/],
  ['all and all-enabled', { regions: 'all all-enabled' }, /^Input 'regions' cannot hold both/],
  [
    'unknown excluded region',
    { 'exclude-regions': 'eu-west-9' },
    /^Input 'exclude-regions' has unknown region 'eu-west-9'/,
  ],
  [
    'everything excluded',
    { regions: 'us-east-1', 'exclude-regions': 'us-east-1' },
    /^Input 'exclude-regions' removes every region/,
  ],
  [
    'account id of 11 digits',
    { 'share-with': '12345678901' },
    /^Input 'share-with' has '12345678901': use 'public', a 12-digit account id/,
  ],
  ['organization id too short', { 'share-with': 'o-abc' }, /^Input 'share-with' has 'o-abc'/],
  ['organization id upper case', { 'share-with': 'o-ABCDEFGHIJ' }, /^Input 'share-with' has 'o-ABCDEFGHIJ'/],
  [
    'zip and artifact-name',
    { zip: 'a.zip', 'artifact-name': 'x' },
    /^Inputs 'zip' and 'artifact-name' are mutually exclusive/,
  ],
  ['zip and run-id', { zip: 'a.zip', 'run-id': '5' }, /^Inputs 'zip' and 'run-id' are mutually exclusive/],
  ['version without zip', { version: '1.0.0' }, /^Input 'version' is only read with 'zip'/],
  ['version not semver', { zip: 'a.zip', version: 'one' }, /^Input 'version' must be a semantic version/],
  ['run-id not a number', { 'run-id': 'latest' }, /^Input 'run-id' must be a workflow run id \(a number\) or 'auto'/],
  ['artifact name with a slash', { 'artifact-name': 'a/b' }, /^Input 'artifact-name' must be non-empty and free of/],
  ['role not an ARN', { 'role-to-assume': 'publisher' }, /^Input 'role-to-assume' must be an IAM role ARN/],
  ['session name with a space', { 'role-session-name': 'my session' }, /^Input 'role-session-name' must be 2 to 64/],
  [
    'max-parallel zero',
    { 'max-parallel': '0' },
    /^Input 'max-parallel' must be 'auto' or a whole number from 1 to 256/,
  ],
  ['max-parallel words', { 'max-parallel': 'many' }, /^Input 'max-parallel' must be 'auto' or a whole number/],
  ['skip-unchanged not a boolean', { 'skip-unchanged': 'maybe' }, /^Input 'skip-unchanged' must be true or false/],
  ['dry-run not a boolean', { 'dry-run': '2' }, /^Input 'dry-run' must be true or false/],
  ['fail-on unknown', { 'fail-on': 'some' }, /^Input 'fail-on' must be one of any, all, none/],
  ['align-versions unknown', { 'align-versions': 'loose' }, /^Input 'align-versions' must be one of off, strict, pad/],
  ['keep-versions negative', { 'keep-versions': '-1' }, /^Input 'keep-versions' must be a whole number from 0/],
  [
    's3-bucket without {region} for two regions',
    { regions: 'us-east-1 eu-west-1', 's3-bucket': 'my-layers' },
    /^Input 's3-bucket' names one bucket, 'my-layers', for several regions/,
  ],
  [
    's3-bucket with an upper-case letter',
    { 's3-bucket': 'My-layers-{region}' },
    /^Input 's3-bucket' gives 'My-layers-us-east-1' for us-east-1, which is not a valid bucket name/,
  ],
  [
    's3-bucket that looks like an IP',
    { 's3-bucket': '10.0.0.1' },
    /which is not a valid bucket name \(not an IP address\)/,
  ],
  ['s3-bucket with two dots', { 's3-bucket': 'a..b-{region}' }, /not a valid bucket name \(no two dots in a row\)/],
  ['s3-prefix with a leading slash', { 's3-prefix': '/layers' }, /^Input 's3-prefix' must be a key prefix/],
  ['keep-versions words', { 'keep-versions': 'all' }, /^Input 'keep-versions' must be a whole number from 0 to 10000/],
  ['ssm-prefix without a slash', { 'ssm-prefix': 'layers' }, /^Input 'ssm-prefix' must start with \//],
  ['ssm-prefix reserved', { 'ssm-prefix': '/ssm/layers' }, /^Input 'ssm-prefix' may not begin with 'aws' or 'ssm'/],
  ['ssm-prefix / for an aws… layer', { name: 'aws-x', 'ssm-prefix': '/' }, /^Input 'ssm-prefix' may not begin/],
];

describe('parsePublishSettings: every limit is one line naming the input', () => {
  test.each(bad)('%s', (_label, extra, message) => {
    let error: unknown;
    try {
      parse(extra);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const text = (error as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  test.each(['false', 'auto', '', 'true', 'v1.2.3'])('release %p is kept for the release step', (release) => {
    expect(parse({ release }).release).toBe(release || 'auto');
  });
});
