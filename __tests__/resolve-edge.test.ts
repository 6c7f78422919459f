/**
 * resolve driven as a runner drives it (the bundle as its own process, inputs as INPUT_*), against the emulator:
 * every range form users write, build metadata, deleted and republished versions, regions that are not enabled or
 * lack the layer, `all`, and a repository's releases read through a GitHub Enterprise API prefix.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction } from '../__fixtures__/action.js';
import { deleteVersion, lambdaClient, publishVersion } from '../__fixtures__/release-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { updateRelease, type Octokit } from '../src/release/github.js';
import type { ResultRecord } from '../src/record/record.js';
import { ConfigurationError } from '../src/errors.js';
import { listAwsRegions } from '../src/resolve/aws.js';
import { listGitHubCandidates } from '../src/resolve/github.js';
import { parseRange } from '../src/resolve/range.js';
import { resolveFromCandidates } from '../src/resolve/resolve.js';

let emu: RunningEmulator;
const NOT_ENABLED = 'ap-east-1';
/** As an SCP that closes the regions an organization does not use would. */
const DENIED = 'eu-central-2';
/** us-east-1, published oldest first: semver -> the layer version it got is its index + 1. */
const US_EAST_1 = ['1.2.0', '1.2.3', '1.3.0-rc.1', '1.4.0', '1.4.5', '2.0.0', '2.1.0-beta.1', '1.2.3+build.7', '1.4.5'];

beforeAll(async () => {
  emu = await startEmulator({ aws: { notEnabled: [NOT_ENABLED], denied: [DENIED] } });
  const use = lambdaClient(emu.url, 'us-east-1');
  for (const v of US_EAST_1) await publishVersion(use, 'otel', v);
  const deleted = await publishVersion(use, 'otel', '2.2.0');
  await deleteVersion(use, 'otel', deleted.version);
  for (const v of ['1.2.3', '1.4.0']) await publishVersion(lambdaClient(emu.url, 'eu-west-1'), 'otel', v);
  await publishVersion(lambdaClient(emu.url, 'ap-south-1'), 'otel', '0.9.0');
  await publishVersion(lambdaClient(emu.url, 'cn-northwest-1'), 'otel', '1.4.0');
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

const resolve = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction('resolve', { name: 'otel', source: 'aws', ...inputs }, { ...emu.env, ...env });

/**
 * resolve's own steps in process (the listing the action does, through the SDK against the emulator, then the
 * pick), for the range tables; rows of each table also run through the bundle.
 */
async function resolveInProcess(version: string) {
  const { candidates } = await listAwsRegions({
    name: 'otel',
    regions: ['us-east-1'],
    lambdaFor: (region) => lambdaClient(emu.url, region),
  });
  return resolveFromCandidates('otel', parseRange(version), ['us-east-1'], candidates);
}

describe('source aws', () => {
  const ranges: [version: string, semver: string, layerVersion: number][] = [
    ['latest', '2.0.0', 6],
    ['', '2.0.0', 6],
    ['*', '2.0.0', 6],
    ['x', '2.0.0', 6],
    ['1', '1.4.5', 9],
    ['1.x', '1.4.5', 9],
    ['^1.2', '1.4.5', 9],
    ['~1.4.0', '1.4.5', 9],
    ['>=1.2 <2', '1.4.5', 9],
    ['1.2.3 || 2.x', '2.0.0', 6],
    // 1.2.3+build.7 has the same precedence as 1.2.3 and is the newer layer version of it.
    ['v1.2.3', '1.2.3+build.7', 8],
    ['V1.2.3', '1.2.3+build.7', 8],
    ['=1.2.3', '1.2.3+build.7', 8],
    ['1.2.3+build.7', '1.2.3+build.7', 8],
    ['1.3.0-rc.1', '1.3.0-rc.1', 3],
    ['^1.3.0-rc.0', '1.4.5', 9],
    ['>=2.1.0-beta.0', '2.1.0-beta.1', 7],
  ];
  test.each(ranges)('version %p resolves to %p (layer version %p)', async (version, semver, layerVersion) => {
    const arn = `arn:aws:lambda:us-east-1:123456789012:layer:otel:${layerVersion}`;
    expect(await resolveInProcess(version)).toEqual({
      arns: { 'us-east-1': arn },
      versions: { 'us-east-1': layerVersion },
      semvers: { 'us-east-1': semver },
      resolvedVersion: semver,
      layerVersionArn: arn,
    });
  });

  // The empty input (the default) and build metadata, through the bundle: the outputs as a runner sees them.
  test.each(ranges.filter(([version]) => version === '' || version === 'v1.2.3'))(
    'bundle: version %p resolves to %p (layer version %p)',
    async (version, semver, layerVersion) => {
      const result = await resolve({ version, regions: 'us-east-1' });
      expect([result.code, result.errors]).toEqual([0, []]);
      const arn = `arn:aws:lambda:us-east-1:123456789012:layer:otel:${layerVersion}`;
      expect(result.outputs).toEqual({
        arns: JSON.stringify({ 'us-east-1': arn }),
        versions: JSON.stringify({ 'us-east-1': layerVersion }),
        'resolved-versions': JSON.stringify({ 'us-east-1': semver }),
        'layer-version-arn': arn,
        'resolved-version': semver,
      });
    },
  );

  const refusals: [version: string, message: string][] = [
    ['abc', "Input 'version' must be a semver range such as ^1.2, ~1.4.0, 1.x, 1.4.2 or latest; got 'abc'."],
    ['1.2.3.4', "Input 'version' must be a semver range"],
    // A named build is that build: not its sibling 1.2.3+build.7.
    ['1.2.3+build.9', "No version of layer 'otel' matches '1.2.3+build.9' in 1 region(s): us-east-1 (only "],
    // Deleted: ListLayerVersions no longer shows it.
    ['2.2.0', "No version of layer 'otel' matches '2.2.0' in 1 region(s): us-east-1 (only 2.1.0-beta.1, 2.0.0,"],
  ];
  test.each(refusals)('version %p fails with one line', async (version, message) => {
    const failure = await resolveInProcess(version).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).not.toContain('\n');
  });

  // A range error and a miss, through the bundle: exit 1 and one error line.
  test.each(refusals.filter(([version]) => version === 'abc' || version === '2.2.0'))(
    'bundle: version %p fails with one line',
    async (version, message) => {
      const result = await resolve({ version, regions: 'us-east-1' });
      expect(result.code).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toContain(message);
      expect(result.errors[0]).not.toContain('%0A');
    },
  );

  test('a named region that is not enabled fails naming it, as one line', async () => {
    const result = await resolve({ regions: `us-east-1 ${NOT_ENABLED}` });
    expect(result.code).toBe(1);
    expect(result.errors).toEqual([
      `Could not list the versions of layer 'otel' in ${NOT_ENABLED}: region not enabled for this account ` +
        '(UnrecognizedClientException on ListLayerVersions); enable it in the account settings or leave it out',
    ]);
  });

  test('a named region without the layer fails naming it', async () => {
    const result = await resolve({ regions: 'us-east-1 sa-east-1' });
    expect(result.errors).toEqual([
      "No version of layer 'otel' matches 'latest' in 1 region(s): sa-east-1 (no versions)",
    ]);
  });

  test.each(['all', 'all-enabled'])(
    'regions %p resolves where the layer is and leaves the rest out',
    async (regions) => {
      const result = await resolve({ version: '^1.2', regions });
      expect([result.code, result.errors]).toEqual([0, []]);
      expect(JSON.parse(result.outputs.versions)).toEqual({ 'eu-west-1': 2, 'us-east-1': 9 });
      expect(result.outputs['layer-version-arn']).toBe('');
      expect(result.outputs['resolved-version']).toBe('');
      // ap-south-1 has the layer, but only 0.9.0: worth a warning. Regions without the layer are only logged.
      expect(result.warnings).toContainEqual(
        "Left out 1 region(s) where no version of 'otel' matches '^1.2': ap-south-1 (only 0.9.0).",
      );
      expect(result.stdout).toMatch(/Left out \d+ region\(s\) without layer 'otel': .*sa-east-1/);
      if (regions === 'all') expect(result.stdout).toContain(`not enabled for the account: ${NOT_ENABLED}.`);
      expect(result.warnings).toContainEqual(
        `Left out 1 region(s) where listing the layer was denied: ${DENIED} (access denied: missing permission ` +
          'lambda:ListLayerVersions (AccessDeniedException)).',
      );
    },
  );

  test('all with a range nothing matches anywhere fails', async () => {
    const result = await resolve({ version: '^3', regions: 'all' });
    expect(result.code).toBe(1);
    expect(result.errors[0]).toMatch(
      /^No version of layer 'otel' matches '\^3' in 34 region\(s\): ap-south-1 \(only 0\.9\.0\); eu-west-1 \(only 1\.4\.0, 1\.2\.3\); us-east-1 \(only 2\.1\.0-beta\.1, [^;]*\); no versions in af-south-1, [a-z0-9, -]*, us-west-2$/,
    );
  });

  test('a named region keeps its strictness next to all', async () => {
    const result = await resolve({ version: '^1.2', regions: 'all ap-south-1' });
    expect(result.errors).toEqual([
      "No version of layer 'otel' matches '^1.2' in 1 region(s): ap-south-1 (only 0.9.0)",
    ]);
  });

  test('a named region where listing is denied fails naming the permission', async () => {
    const result = await resolve({ regions: `us-east-1 ${DENIED}` });
    expect(result.errors).toEqual([
      `Could not list the versions of layer 'otel' in ${DENIED}: access denied: missing permission ` +
        'lambda:ListLayerVersions (AccessDeniedException)',
    ]);
  });

  test('all in the China partition (from AWS_REGION) looks only there, and hands out aws-cn ARNs', async () => {
    const result = await resolve({ version: '^1', regions: 'all' }, { AWS_REGION: 'cn-north-1' });
    expect([result.code, result.errors]).toEqual([0, []]);
    expect(result.outputs['layer-version-arn']).toBe('arn:aws-cn:lambda:cn-northwest-1:123456789012:layer:otel:1');
    expect(result.stdout).toContain("Left out 1 region(s) without layer 'otel': cn-north-1.");
  });

  test('a runner without job summaries still gets the outputs', async () => {
    const result = await resolve({ regions: 'eu-west-1' }, { GITHUB_STEP_SUMMARY: '' });
    expect([result.code, result.errors, result.outputs['resolved-version']]).toEqual([0, [], '1.4.0']);
  });

  test('source aws needs no repository', async () => {
    const result = await resolve({ regions: 'eu-west-1', repository: '' }, { GITHUB_REPOSITORY: '' });
    expect([result.code, result.errors, result.outputs['resolved-version']]).toEqual([0, [], '1.4.0']);
  });
});

describe('source github', () => {
  const owner = 'octo-org';
  const repo = 'octo-layer';
  let writer: Octokit;
  const arn = (region: string, v: number, name = 'otel') => `arn:aws:lambda:${region}:123456789012:layer:${name}:${v}`;
  const record = (version: string, v: number, name = 'otel'): ResultRecord => ({
    schema: 1,
    name,
    version,
    sha256: 'a'.repeat(64),
    codeSha256: 'qg==',
    regions: {
      'us-east-1': { status: 'published', arn: arn('us-east-1', v, name), version: v },
      'eu-west-1': { status: 'published', arn: arn('eu-west-1', v + 100, name), version: v + 100 },
    },
  });

  async function release(tag: string, records: ResultRecord[], flags: { prerelease?: boolean; draft?: boolean } = {}) {
    const created = await writer.rest.repos.createRelease({ owner, repo, tag_name: tag, ...flags });
    for (const r of records) {
      await updateRelease({ octokit: writer, owner, repo, release: { id: created.data.id }, record: r });
    }
    return created.data;
  }

  beforeAll(async () => {
    Object.assign(process.env, emu.env);
    const github = await import('@actions/github');
    writer = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
    await release('v1.0.0', [record('1.0.0', 1)]);
    // Marked pre-release on GitHub: not for `latest` or `^1`, only when asked for by its exact version.
    await release('v1.1.0', [record('1.1.0', 2)], { prerelease: true });
    await release('v1.2.0', [record('1.2.0', 3)], { draft: true });
    // Another layer's asset beside ours in one release.
    await release('v1.0.1', [record('1.0.1', 4), record('9.9.9', 5, 'otel-arm')]);
    const damaged = await release('v1.5.0', []);
    await writer.request({
      method: 'POST',
      url: damaged.upload_url,
      name: 'otel.arns.json',
      data: '{"schema":1,',
      headers: { 'content-type': 'application/json' },
    });
    // Only in us-east-1: `all` leaves eu-west-1 out for ^2 rather than failing.
    const two = record('2.0.0', 6);
    delete two.regions['eu-west-1'];
    await release('v2.0.0', [two]);
  }, 60_000);

  const fromGitHub = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    resolve({ source: 'github', repository: `${owner}/${repo}`, 'github-token': emu.env.GITHUB_TOKEN, ...inputs }, env);

  test.each([
    ['^1', '1.0.1', 4],
    ['latest', '2.0.0', 6],
    ['1.1.0', '1.1.0', 2],
    ['~1.1.0', undefined, 0],
    ['1.2.0', undefined, 0],
  ])('version %p from the releases resolves to %p', async (version, semver, v) => {
    const result = await fromGitHub({ version, regions: 'us-east-1' });
    if (semver === undefined) {
      expect(result.errors[0]).toContain(`No version of layer 'otel' matches '${version}' in 1 region(s): us-east-1`);
      return;
    }
    expect([result.code, result.outputs['resolved-version']]).toEqual([0, semver]);
    expect(result.outputs['layer-version-arn']).toBe(arn('us-east-1', v));
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/^Ignoring otel\.arns\.json of release v1\.5\.0: it is not JSON/),
    );
  });

  test.each([
    `${owner}/${repo}`,
    `https://github.com/${owner}/${repo}`,
    `https://github.com/${owner}/${repo}.git`,
    `https://github.com/${owner}/${repo}/`,
  ])('repository %p', async (repository) => {
    const result = await fromGitHub({ version: '^1', regions: 'eu-west-1', repository });
    expect([result.code, result.errors, result.outputs['layer-version-arn']]).toEqual([0, [], arn('eu-west-1', 104)]);
  });

  test.each(['', 'all'])('regions %p: every region the matching releases list', async (regions) => {
    const result = await fromGitHub({ version: '^2', regions });
    expect([result.code, result.errors]).toEqual([0, []]);
    expect(JSON.parse(result.outputs.arns)).toEqual({ 'us-east-1': arn('us-east-1', 6) });
    expect(result.outputs['layer-version-arn']).toBe(arn('us-east-1', 6));
    expect(result.warnings).toContainEqual(
      "Left out 1 region(s) where no version of 'otel' matches '^2': eu-west-1 (only 1.1.0, 1.0.1, 1.0.0).",
    );
  });

  test('a history past the cap on releases read says so', async () => {
    const warnings: string[] = [];
    const { records } = await listGitHubCandidates({
      octokit: writer,
      owner,
      repo,
      name: 'otel',
      maxReleases: 2,
      logger: { warning: (m) => warnings.push(m) },
    });
    expect(records).toBeGreaterThan(0);
    expect(warnings).toContainEqual(
      expect.stringMatching(/^Read only the newest \d+ releases of octo-org\/octo-layer/),
    );
  });

  test('a region named next to all stays strict', async () => {
    const result = await fromGitHub({ version: '^2', regions: 'all eu-west-1' });
    expect(result.errors).toEqual([
      "No version of layer 'otel' matches '^2' in 1 region(s): eu-west-1 (only 1.1.0, 1.0.1, 1.0.0)",
    ]);
  });

  test.each([
    [{ regions: 'all-enabled' }, {}, "Input 'regions': 'all-enabled' asks the AWS account"],
    [
      { repository: 'nobody/nothing' },
      {},
      "Could not read the releases of nobody/nothing: Not Found (HTTP 404); check 'repository'",
    ],
    [{ repository: '' }, { GITHUB_REPOSITORY: '' }, "Input 'repository' must be owner/repo"],
    [{ repository: 'just-a-name' }, {}, "Input 'repository' must be owner/repo"],
  ])('%j fails with one line', async (inputs, env, message) => {
    const result = await fromGitHub(inputs, env);
    expect(result.code).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(message);
    expect(result.errors[0]).not.toContain('%0A');
  });

  test('a GitHub Enterprise API URL with a path prefix is honoured for every request', async () => {
    const seen: string[] = [];
    const target = new URL(emu.url);
    const proxy = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      if (!req.url?.startsWith('/api/v3/')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
        return;
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url.slice('/api/v3'.length),
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((ready) => proxy.listen(0, '127.0.0.1', ready));
    try {
      const { port } = proxy.address() as AddressInfo;
      const result = await fromGitHub(
        { version: '^1', regions: 'us-east-1' },
        { GITHUB_API_URL: `http://127.0.0.1:${port}/api/v3` },
      );
      expect([result.code, result.errors, result.outputs['resolved-version']]).toEqual([0, [], '1.0.1']);
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.every((url) => url.startsWith('/api/v3/repos/octo-org/octo-layer/releases'))).toBe(true);
    } finally {
      await new Promise((done) => proxy.close(done));
    }
  });
});

describe('only prereleases', () => {
  test('latest says how to ask for a prerelease when a region has nothing else', () => {
    const candidates = new Map([
      [
        'us-east-1',
        [
          { semver: '0.0.0-abc1234', layerVersion: 1, arn: 'x' },
          { semver: '0.0.0-def5678', layerVersion: 2, arn: 'y' },
        ],
      ],
    ]);
    expect(() => resolveFromCandidates('otel', parseRange('latest'), ['us-east-1'], candidates)).toThrow(
      "No version of layer 'otel' matches 'latest' in 1 region(s): us-east-1 (only 0.0.0-def5678, 0.0.0-abc1234). " +
        "Prereleases match only a range that names one, such as '0.0.0-def5678'",
    );
  });
});
