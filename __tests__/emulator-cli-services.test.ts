/**
 * The AWS CLI against the emulator beyond the Lambda contract (emulator-lambda-cli.test.ts): its auto-pagination
 * (--max-items, --page-size, --starting-token) over NextMarker and NextToken, STS, EC2 and S3 high-level commands.
 * Every CLI major version installed here runs it (v1 from pip, v2 from Debian's awscli). All commands run in
 * beforeAll through a small pool of long-lived CLI processes (awsCli).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { awsCli, awsClis, makeZip, tempDir, type CliResult } from '../__fixtures__/emulator-support.js';

const ACCOUNT = '123456789012';

type Step = [name: string, args: string[]];
/** Commands that depend on nothing but the seeded state, run in parallel. */
const COMMANDS: Step[] = [
  ['caller', ['sts', 'get-caller-identity']],
  ['assume', ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::210987654321:role/cli', '--role-session-name', 'cli']],
  ['not opted in', ['ec2', 'describe-regions', '--all-regions', '--filters', 'Name=opt-in-status,Values=not-opted-in']],
  ['region names', ['ec2', 'describe-regions', '--region-names', 'eu-west-1', 'sa-east-1']],
  [
    'versions, 3 of them',
    ['lambda', 'list-layer-versions', '--layer-name', 'cli-paged', '--max-items', '3', '--page-size', '2'],
  ],
  ['versions, all', ['lambda', 'list-layer-versions', '--layer-name', 'cli-paged', '--page-size', '2', '--debug']],
  ['layers, 1 of them', ['lambda', 'list-layers', '--max-items', '1']],
  ['parameters, recursive', ['ssm', 'get-parameters-by-path', '--path', '/cli', '--recursive', '--page-size', '2']],
  ['head a missing key', ['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'none.zip']],
];

const CLIS = awsClis();
if (CLIS.length === 0) test.skip('skipped: the AWS CLI (`aws`) is not installed', () => undefined);

describe.each(CLIS)('AWS CLI $major ($path)', ({ path: binary }) => {
  let emulator: RunningEmulator;
  let dir: string;
  let closeCli: (() => Promise<void>) | undefined;
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    emulator = await startEmulator({ aws: { notEnabled: ['me-central-1'] } });
    dir = await tempDir('llr-cli-services-');
    const cli = await awsCli(emulator.url, dir, binary);
    closeCli = cli.close;
    const zip = path.join(dir, 'layer.zip');
    await writeFile(zip, makeZip({ 'bin/cli': 'x' }));
    for (let i = 0; i < 5; i++) {
      await cli('lambda', 'publish-layer-version', '--layer-name', 'cli-paged', '--zip-file', `fileb://${zip}`);
    }
    await cli('lambda', 'publish-layer-version', '--layer-name', 'cli-other', '--zip-file', `fileb://${zip}`);
    for (const name of ['/cli/a', '/cli/b', '/cli/deep/c', '/cli/deep/d', '/cli/deep/er/e']) {
      await cli('ssm', 'put-parameter', '--name', name, '--value', name, '--type', 'String');
    }
    await cli('s3api', 'create-bucket', '--bucket', 'cli-bucket');
    const limit = pLimit(4);
    await Promise.all(COMMANDS.map(([name, args]) => limit(async () => results.set(name, await cli(...args)))));
    const first = results.get('versions, 3 of them')?.json?.NextToken;
    results.set(
      'versions, the rest',
      await cli('lambda', 'list-layer-versions', '--layer-name', 'cli-paged', '--starting-token', String(first)),
    );
    results.set('s3 cp', await cli('s3', 'cp', '--only-show-errors', zip, 's3://cli-bucket/layers/layer.zip'));
    results.set(
      'head after cp',
      await cli('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'layers/layer.zip'),
    );
  }, 120_000);
  afterAll(async () => {
    await closeCli?.();
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a call in a shared CLI process answers as the same call in a process of its own', async () => {
    const once = await awsCli(emulator.url, dir, binary, 0);
    const shared = await awsCli(emulator.url, dir, binary, 1);
    try {
      const calls = [
        ['sts', 'get-caller-identity'],
        ['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'none.zip'],
        // A usage error: argparse's message and exit status 252 (v2) / 2 (v1).
        ['lambda', 'list-layer-version', '--layer-name', 'cli-paged'],
        // A --debug call, then a call in the same process: each answers as it does alone.
        ['ssm', 'get-parameters-by-path', '--path', '/cli', '--recursive', '--page-size', '2', '--debug'],
        ['ssm', 'get-parameters-by-path', '--path', '/cli/deep', '--page-size', '2'],
      ];
      for (const call of calls) {
        const [alone, batched] = [await once(...call), await shared(...call)];
        if (call.includes('--debug')) {
          const requests = (r: CliResult) => r.stderr.match(/Making request for OperationModel/g)?.length;
          expect([call, requests(batched), batched.json]).toEqual([call, requests(alone), alone.json]);
        } else {
          expect([call, batched]).toEqual([call, alone]);
        }
      }
    } finally {
      await Promise.all([once.close(), shared.close()]);
    }
  }, 120_000);

  const versions = (name: string) =>
    ((results.get(name)?.json?.LayerVersions ?? []) as { Version: number }[]).map((v) => v.Version);

  test('STS through the CLI', () => {
    expect(results.get('caller')?.json).toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:user/emulator`,
    });
    expect(results.get('assume')?.json).toMatchObject({
      AssumedRoleUser: { Arn: 'arn:aws:sts::210987654321:assumed-role/cli/cli' },
      Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/) },
    });
  });

  test('EC2 describe-regions: --all-regions with an opt-in-status filter, --region-names', () => {
    const names = (name: string) =>
      ((results.get(name)?.json?.Regions ?? []) as { RegionName: string }[]).map((r) => r.RegionName);
    expect(names('not opted in')).toEqual(['me-central-1']);
    expect(names('region names').sort()).toEqual(['eu-west-1', 'sa-east-1']);
  });

  test('list-layer-versions: --max-items stops with a NextToken that --starting-token resumes', () => {
    expect(versions('versions, 3 of them')).toEqual([5, 4, 3]);
    expect(results.get('versions, 3 of them')?.json?.NextToken).toEqual(expect.any(String));
    expect(versions('versions, the rest')).toEqual([2, 1]);
    expect(results.get('versions, the rest')?.json?.NextToken).toBeUndefined();
  });

  test('list-layer-versions: --page-size 2 walks every page (3 requests for 5 versions)', () => {
    const all = results.get('versions, all');
    expect(versions('versions, all')).toEqual([5, 4, 3, 2, 1]);
    expect(all?.stderr.match(/Making request for OperationModel\(name=ListLayerVersions\)/g)).toHaveLength(3);
  });

  test('list-layers --max-items 1', () => {
    const layers = (results.get('layers, 1 of them')?.json?.Layers ?? []) as { LayerName: string }[];
    expect(layers.map((l) => l.LayerName)).toEqual(['cli-other']);
    expect(results.get('layers, 1 of them')?.json?.NextToken).toEqual(expect.any(String));
  });

  test('ssm get-parameters-by-path --recursive pages through NextToken', () => {
    const parameters = (results.get('parameters, recursive')?.json?.Parameters ?? []) as { Name: string }[];
    expect(parameters.map((p) => p.Name)).toEqual(['/cli/a', '/cli/b', '/cli/deep/c', '/cli/deep/d', '/cli/deep/er/e']);
  });

  test('s3: head-object of a missing key is the CLI’s 404 message; s3 cp uploads path-style', () => {
    expect(results.get('head a missing key')?.error).toBe('404');
    // CLI v2 adds "(reached max retries: 0)" before the colon.
    expect(results.get('head a missing key')?.stderr).toMatch(
      /An error occurred \(404\) when calling the HeadObject operation( \([^)]*\))?: Not Found/,
    );
    expect(results.get('s3 cp')?.error).toBeUndefined();
    expect(results.get('head after cp')?.json).toMatchObject({ ContentLength: expect.any(Number) });
  });
});
