/**
 * Where the versions and the functions come from, against the emulator: `source: github` (a layer owned by another
 * account, whose versions are known from the vendor's release records, through the bundle and the real Octokit), and
 * an explicit `functions` list following `version` (names in every region, ARNs in theirs, a name that does not
 * exist, a listed function without the layer); and regions that cannot be read.
 */
import { AddLayerVersionPermissionCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { describe, expect, test } from '@jest/globals';
import { runAction } from '../__fixtures__/action.js';
import { makeZip } from '../__fixtures__/emulator-support.js';
import {
  ACCOUNT,
  layersOf,
  publishRelease,
  runRollout,
  useBackend,
  virtualClock,
} from '../__fixtures__/rollout-support.js';
import { updateRelease } from '../src/release/github.js';
import type { ResultRecord } from '../src/record/record.js';
import { parseRange } from '../src/resolve/range.js';
import { rolloutOutputs } from '../src/rollout/result.js';

const backend = useBackend('emulator', 100);
const VENDOR = '111122223333';

describe('source: github', () => {
  test('a function on another account’s layer follows the vendor’s releases', async () => {
    const region = 'us-east-2';
    const vendor = new LambdaClient({
      region,
      credentials: fromTemporaryCredentials({
        params: { RoleArn: `arn:aws:iam::${VENDOR}:role/vendor`, RoleSessionName: 'vendor' },
        clientConfig: { region },
      }),
    });
    const arns: string[] = [];
    for (const semver of ['3.0.0', '3.1.0', '4.0.0']) {
      const published = await vendor.send(
        new PublishLayerVersionCommand({ LayerName: 'agent', Content: { ZipFile: makeZip({ 'bin/agent': semver }) } }),
      );
      arns.push(String(published.LayerVersionArn));
      await vendor.send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'agent',
          VersionNumber: published.Version,
          StatementId: 'public',
          Action: 'lambda:GetLayerVersion',
          Principal: '*',
        }),
      );
    }
    vendor.destroy();
    const env = backend().emulator!.env;
    const [owner, repo] = env.GITHUB_REPOSITORY.split('/');
    const { getOctokit } = await import('@actions/github');
    const octokit = getOctokit(env.GITHUB_TOKEN, { baseUrl: env.GITHUB_API_URL });
    for (const [i, semver] of ['3.0.0', '3.1.0', '4.0.0'].entries()) {
      const created = await octokit.rest.repos.createRelease({ owner, repo, tag_name: `v${semver}` });
      const record: ResultRecord = {
        schema: 1,
        name: 'agent',
        version: semver,
        sha256: 'a'.repeat(64),
        codeSha256: 'qg==',
        regions: { [region]: { status: 'published', arn: arns[i], version: i + 1 } },
      };
      await updateRelease({ octokit, owner, repo, release: { id: created.data.id }, record });
    }
    await backend().seed(region, [
      { name: 'uses-vendor', layers: [arns[0]], tags: { 'lambda-layer-release:agent': '3' } },
    ]);
    const run = await runAction(
      'rollout',
      {
        name: 'agent',
        regions: region,
        source: 'github',
        repository: `${owner}/${repo}`,
        'github-token': env.GITHUB_TOKEN,
      },
      env,
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(JSON.parse(run.outputs.updated)).toEqual({ [region]: { 'uses-vendor': arns[1] } });
    expect(run.stdout).toContain('Read 3 release record(s)');
    expect(await layersOf(region, 'uses-vendor')).toEqual([arns[1]]);
  });
});

describe('functions: a list that follows version', () => {
  test('names in every region, an ARN in its own, a missing name fails, one without the layer is left alone', async () => {
    const regions = ['sa-east-1', 'ap-south-1'];
    const v: Record<string, string[]> = {};
    for (const region of regions) {
      v[region] = [
        await publishRelease(region, 'listed', '1.0.0'),
        await publishRelease(region, 'listed', '1.0.1'),
        await publishRelease(region, 'listed', '1.1.0'),
      ];
      // Listed functions need no tag; a tag they carry is ignored for them.
      await backend().seed(region, [
        { name: 'api', layers: [v[region][0]], tags: { 'lambda-layer-release:listed': 'latest' } },
        { name: 'bare', layers: [] },
      ]);
    }
    await backend().seed('sa-east-1', [{ name: 'only-here', layers: [v['sa-east-1'][0]] }]);
    const arn = `arn:aws:lambda:sa-east-1:${ACCOUNT}:function:only-here`;
    const { timing } = virtualClock(backend());
    const run = await runRollout(
      {
        name: 'listed',
        regions,
        functions: {
          kind: 'listed',
          functions: [
            { name: 'api', input: 'api' },
            { name: 'bare', input: 'bare' },
            { name: 'ghost', input: 'ghost' },
            { name: 'only-here', region: 'sa-east-1', input: arn },
            { name: 'api', region: 'sa-east-1', input: `arn:aws:lambda:sa-east-1:${ACCOUNT}:function:api` },
          ],
          range: parseRange('~1.0.0'),
        },
      },
      timing,
    );
    // The ARN of api in sa-east-1 and the name api are one function, reported once.
    expect(run.outcomes.filter((o) => o.function === 'api').length).toBe(2);
    const got = Object.fromEntries(
      run.outcomes.map((o) => [`${o.region}:${o.function}`, [o.status, o.error ?? o.why]]),
    );
    expect(got).toEqual({
      'sa-east-1:api': ['updated', 'version ~1.0.0: newest match 1.0.1'],
      'ap-south-1:api': ['updated', 'version ~1.0.0: newest match 1.0.1'],
      'sa-east-1:bare': ['unchanged', 'version ~1.0.0: does not use layer listed; never added'],
      'ap-south-1:bare': ['unchanged', 'version ~1.0.0: does not use layer listed; never added'],
      'sa-east-1:ghost': ['failed', 'function not found in sa-east-1'],
      'ap-south-1:ghost': ['failed', 'function not found in ap-south-1'],
      'sa-east-1:only-here': ['updated', 'version ~1.0.0: newest match 1.0.1'],
    });
    for (const region of regions) {
      expect(await layersOf(region, 'api')).toEqual([v[region][1]]);
      expect(await layersOf(region, 'bare')).toEqual([]);
    }
  });
});

describe('regions that cannot be read', () => {
  test('optional regions not enabled or denied are left out; a named one that denies listing fails as region:*', async () => {
    const aws = backend().emulator!.aws;
    await publishRelease('eu-west-3', 'regional', '1.0.0');
    aws.configure({ notEnabled: ['af-south-1'], denied: ['eu-central-2', 'me-south-1'] });
    try {
      const { timing } = virtualClock(backend());
      const run = await runRollout(
        {
          name: 'regional',
          regions: ['eu-west-3', 'af-south-1', 'eu-central-2', 'me-south-1'],
          optional: new Set(['af-south-1', 'me-south-1']),
        },
        timing,
      );
      expect(run.leftOut).toEqual(['af-south-1', 'me-south-1']);
      expect(run.regionFailures).toEqual([
        {
          region: 'eu-central-2',
          error: expect.stringMatching(/^access denied: missing permission lambda:(ListFunctions|ListLayerVersions)/),
        },
      ]);
      expect(rolloutOutputs(run).failedFunctions).toEqual(['eu-central-2:*']);
    } finally {
      aws.configure({ notEnabled: [], denied: [] });
    }
  });
});
