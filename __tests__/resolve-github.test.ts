/**
 * resolve from a repository's release assets: the real Octokit against the emulator, with a read-only token, over
 * more releases than one page; and the bundled resolve command as a process.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { updateRelease, type Octokit } from '../src/release/github.js';
import type { ResultRecord } from '../src/record/record.js';
import { listGitHubCandidates } from '../src/resolve/github.js';
import { parseRange } from '../src/resolve/range.js';
import { resolveFromCandidates } from '../src/resolve/resolve.js';

let emu: RunningEmulator;
let writer: Octokit;
let reader: Octokit;
const owner = 'octo-org';
const repo = 'octo-layer';
const READ_ONLY = 'ghs_readOnlyToken000000000000000000000';

const REGIONS = ['us-east-1', 'eu-west-1'];
/** semver -> layer version number in us-east-1 (eu-west-1 adds 10), released in this order. */
const RELEASES: [string, number][] = [
  ['1.4.0', 1],
  ['1.10.0', 2],
  ['1.4.2', 3],
  ['1.9.0', 4],
];
const arn = (region: string, v: number, name = 'otel') => `arn:aws:lambda:${region}:123456789012:layer:${name}:${v}`;

function record(version: string, layerVersion: number, name = 'otel'): ResultRecord {
  return {
    schema: 1,
    name,
    version,
    sha256: 'a'.repeat(64),
    codeSha256: 'qg==',
    regions: Object.fromEntries(
      REGIONS.map((r, i) => {
        const v = layerVersion + 10 * i;
        return [r, { status: 'published', arn: arn(r, v, name), version: v }];
      }),
    ),
  };
}

async function release(tag: string, rec?: ResultRecord, draft = false): Promise<number> {
  const created = await writer.rest.repos.createRelease({ owner, repo, tag_name: tag, draft });
  if (rec) await updateRelease({ octokit: writer, owner, repo, release: { id: created.data.id }, record: rec });
  return created.data.id;
}

const warnings: string[] = [];
const logger = { warning: (m: string) => warnings.push(m) };

beforeAll(async () => {
  emu = await startEmulator();
  Object.assign(process.env, emu.env);
  const github = await import('@actions/github');
  writer = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
  reader = github.getOctokit(READ_ONLY, { baseUrl: emu.url });
  await fetch(`${emu.url}/__emulator/github/tokens`, {
    method: 'POST',
    body: JSON.stringify({ token: READ_ONLY, mode: 'read-only' }),
  });
  for (const [semver, v] of RELEASES) await release(`v${semver}`, record(semver, v));
  // Not counted: a draft, a failed region, another layer, a damaged asset.
  await release('v1.4.5', record('1.4.5', 40), true);
  const failed = record('1.4.3', 50);
  failed.regions['eu-west-1'] = { status: 'failed', error: 'boom' };
  await release('v1.4.3', failed);
  await release('other-v1.4.4', record('1.4.4', 60, 'other'));
  const forged = await release('v1.4.6');
  const bad = JSON.stringify(record('1.4.6', 70)).replaceAll('layer:otel:', 'layer:evil:');
  const upload = (await writer.rest.repos.getRelease({ owner, repo, release_id: forged })).data.upload_url;
  await writer.request({
    method: 'POST',
    url: upload,
    name: 'otel.arns.json',
    data: bad,
    headers: { 'content-type': 'application/json' },
  });
  // Push the real releases past the first page of the list.
  for (let i = 0; i < 100; i++) await release(`noise-${i}`);
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

const resolve = async (range: string, regions: string[]) => {
  const { candidates } = await listGitHubCandidates({ octokit: reader, owner, repo, name: 'otel', logger });
  return resolveFromCandidates('otel', parseRange(range), regions, candidates);
};

test.each([
  ['~1.4.0', { 'us-east-1': ['1.4.3', 50], 'eu-west-1': ['1.4.2', 13] }],
  ['~1.4.0 <1.4.3', { 'us-east-1': ['1.4.2', 3], 'eu-west-1': ['1.4.2', 13] }],
  ['^1', { 'us-east-1': ['1.10.0', 2], 'eu-west-1': ['1.10.0', 12] }],
  ['latest', { 'us-east-1': ['1.10.0', 2], 'eu-west-1': ['1.10.0', 12] }],
])('%p per region with a read-only token', async (range, expected) => {
  const r = await resolve(range, REGIONS);
  for (const [region, [semver, v]] of Object.entries(expected)) {
    expect([region, r.semvers[region], r.arns[region]]).toEqual([region, semver, arn(region, v as number)]);
  }
});

test('a damaged or forged asset is ignored with a warning', async () => {
  await resolve('^1', REGIONS);
  expect(warnings.some((w) => w.includes('otel.arns.json of release v1.4.6') && w.includes("names layer 'evil'"))).toBe(
    true,
  );
});

test('the bundled resolve command reads the releases; resolved-version is empty when regions differ', async () => {
  const result = await runAction(
    'resolve',
    { name: 'otel', version: '~1.4.0', source: 'github', repository: `${owner}/${repo}`, 'github-token': READ_ONLY },
    { GITHUB_API_URL: emu.url },
  );
  expect(result.code).toBe(0);
  expect(JSON.parse(result.outputs.versions)).toEqual({ 'eu-west-1': 13, 'us-east-1': 50 });
  expect(JSON.parse(result.outputs['resolved-versions'])).toEqual({ 'eu-west-1': '1.4.2', 'us-east-1': '1.4.3' });
  expect(result.outputs['resolved-version']).toBe('');
  expect(result.warnings.join('\n')).toContain('resolved to different versions by region');
});

test('the bundled command fails naming the regions where nothing matches', async () => {
  const result = await runAction(
    'resolve',
    { name: 'otel', version: '^2', regions: 'us-east-1', source: 'github', 'github-token': READ_ONLY },
    { GITHUB_API_URL: emu.url, GITHUB_REPOSITORY: `${owner}/${repo}` },
  );
  expect(result.code).toBe(1);
  expect(result.errors.join('\n')).toContain(
    "No version of layer 'otel' matches '^2' in 1 region(s): us-east-1 (only 1.10.0",
  );
});

test('source github without a token is a configuration error', async () => {
  const result = await runAction('resolve', { name: 'otel', source: 'github', repository: 'o/r', 'github-token': '' });
  expect([result.code, result.errors]).toEqual([
    1,
    ["Input 'github-token' is empty; source: github needs a token that can read o/r."],
  ]);
});
