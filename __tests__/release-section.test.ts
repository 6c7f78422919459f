import { describe, expect, test } from '@jest/globals';
import { type ResultRecord, compareRegions, sortRegions } from '../src/record/record.js';
import { assetName, parseRecord, serializeRecord } from '../src/record/json.js';
import { ArnMismatchError, arnProblems, validateArns } from '../src/record/validate.js';
import { cellText, renderSection } from '../src/release/section.js';

const ACCOUNT = '123456789012';
const arn = (region: string, version: number, name = 'otel', partition = 'aws') =>
  `arn:${partition}:lambda:${region}:${ACCOUNT}:layer:${name}:${version}`;

function record(regions: ResultRecord['regions']): ResultRecord {
  return {
    schema: 1,
    name: 'otel',
    version: '1.4.2',
    sha256: 'ab'.repeat(32),
    codeSha256: 'q80=',
    runtimes: ['python3.12', 'python3.13'],
    architectures: ['x86_64'],
    regions,
  };
}

describe('region order', () => {
  test('partition first, then region code with numbers compared as numbers', () => {
    expect(
      sortRegions([
        'us-gov-west-1',
        'us-east-2',
        'cn-north-1',
        'ap-southeast-10',
        'ap-southeast-2',
        'eu-west-1',
        'af-south-1',
      ]),
    ).toEqual([
      'af-south-1',
      'ap-southeast-2',
      'ap-southeast-10',
      'eu-west-1',
      'us-east-2',
      'cn-north-1',
      'us-gov-west-1',
    ]);
    expect(compareRegions('us-east-1', 'us-east-1')).toBe(0);
  });
});

describe('renderSection', () => {
  test('shows the release facts and a sorted table, failed regions shown as failed', () => {
    const text = renderSection(
      record({
        'us-west-2': { status: 'published', arn: arn('us-west-2', 3), version: 3, sharing: ['public'] },
        'eu-south-2': { status: 'failed', error: 'AccessDenied: not | allowed\n<!-- x -->' },
        'ap-south-1': { status: 'unchanged', arn: arn('ap-south-1', 9), version: 9, sharing: ['public'] },
      }),
    );
    expect(text).toBe(
      [
        '### Lambda layer `otel` 1.4.2',
        '',
        '2 of 3 regions available (1 published, 1 unchanged); **failed: eu-south-2**',
        '',
        `- **sha256:** \`${'ab'.repeat(32)}\``,
        '- **Runtimes:** `python3.12`, `python3.13`',
        '- **Architectures:** `x86_64`',
        '- **Shared with:** public (every AWS account)',
        '',
        '| Region | Version | ARN |',
        '| --- | --- | --- |',
        `| ap-south-1 | 9 | \`${arn('ap-south-1', 9)}\` |`,
        '| eu-south-2 | — | ❌ failed: AccessDenied: not \\| allowed &lt;!-- x --> |',
        `| us-west-2 | 3 | \`${arn('us-west-2', 3)}\` |`,
        '',
      ].join('\n'),
    );
  });

  test.each([
    [[undefined, undefined], 'private (this account only)'],
    [[['o-abcdefghij'], ['o-abcdefghij']], '`o-abcdefghij`'],
    [
      [['public'], ['111122223333']],
      'varies by region: public (every AWS account) in us-east-1; `111122223333` in us-east-2',
    ],
  ])('sharing %j -> %s', (sharing, expected) => {
    const text = renderSection(
      record({
        'us-east-1': { status: 'published', arn: arn('us-east-1', 1), version: 1, sharing: sharing[0] },
        'us-east-2': { status: 'published', arn: arn('us-east-2', 1), version: 1, sharing: sharing[1] },
      }),
    );
    expect(text).toContain(`- **Shared with:** ${expected}\n`);
  });

  test('cellText keeps a long error to one bounded line', () => {
    expect(cellText('x'.repeat(500)).length).toBe(200);
    expect(cellText('a\n\nb  c')).toBe('a b c');
  });
});

describe('validateArns', () => {
  const good = arn('eu-west-1', 4);
  test.each([
    ['a matching row', { status: 'published', arn: good, version: 4 }, []],
    ['a failed row without ARN', { status: 'failed', error: 'boom' }, []],
    [
      'another region',
      { status: 'published', arn: arn('us-east-1', 4), version: 4 },
      ["eu-west-1: ARN points at region 'us-east-1'"],
    ],
    [
      'another partition',
      { status: 'published', arn: arn('eu-west-1', 4, 'otel', 'aws-cn'), version: 4 },
      ["eu-west-1: ARN partition 'aws-cn' should be 'aws'"],
    ],
    [
      'another layer',
      { status: 'unchanged', arn: arn('eu-west-1', 4, 'other'), version: 4 },
      ["eu-west-1: ARN names layer 'other', not 'otel'"],
    ],
    [
      'another version',
      { status: 'published', arn: good, version: 5 },
      ['eu-west-1: ARN is version 4 but the row says 5'],
    ],
    ['no version', { status: 'published', arn: good }, ['eu-west-1: ARN given without a version number']],
    ['no ARN', { status: 'published', version: 4 }, ['eu-west-1 is published but has no ARN']],
    [
      'not an ARN',
      { status: 'published', arn: 'arn:aws:s3:::bucket', version: 4 },
      ["eu-west-1: 'arn:aws:s3:::bucket' is not a layer version ARN"],
    ],
  ] as const)('%s', (_label, row, problems) => {
    const r = record({ 'eu-west-1': row as ResultRecord['regions'][string] });
    expect(arnProblems(r)).toEqual(problems);
    if (problems.length) expect(() => validateArns(r)).toThrow(ArnMismatchError);
    else expect(() => validateArns(r)).not.toThrow();
  });

  test('China and GovCloud regions need their partitions', () => {
    const r = record({
      'cn-north-1': { status: 'published', arn: arn('cn-north-1', 1, 'otel', 'aws-cn'), version: 1 },
      'us-gov-west-1': { status: 'published', arn: arn('us-gov-west-1', 1, 'otel', 'aws'), version: 1 },
    });
    expect(arnProblems(r)).toEqual(["us-gov-west-1: ARN partition 'aws' should be 'aws-us-gov'"]);
  });

  test('a region key that is not a region is refused', () => {
    expect(arnProblems(record({ 'US East': { status: 'failed' } }))).toEqual(["'US East' is not a region name"]);
  });
});

describe('records', () => {
  test('serialize then parse gives the record back, regions in table order', () => {
    const r = record({
      'us-east-1': { status: 'published', arn: arn('us-east-1', 1), version: 1, sharing: ['public'] },
      'ap-south-1': { status: 'failed', error: 'x' },
    });
    const text = serializeRecord(r);
    expect(Object.keys(JSON.parse(text).regions)).toEqual(['ap-south-1', 'us-east-1']);
    expect(parseRecord(text, 'test')).toEqual(r);
    expect(assetName('otel')).toBe('otel.arns.json');
  });

  test.each([
    ['not json', '{', 'test is not JSON'],
    ['wrong schema', '{"schema":2}', 'schema is 2, expected 1'],
    ['bad version', JSON.stringify({ ...record({}), version: 'one' }), "version 'one' is not semver"],
    ['bad status', JSON.stringify(record({ 'us-east-1': { status: 'done' } as never })), 'regions.us-east-1.status is'],
    [
      'bad layer version',
      JSON.stringify(record({ 'us-east-1': { status: 'published', version: 0 } })),
      'not a layer version number',
    ],
  ])('parseRecord refuses %s', (_label, text, message) => {
    expect(() => parseRecord(text, 'test')).toThrow(message);
  });
});
