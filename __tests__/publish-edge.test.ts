/**
 * Publish edge cases found by driving the bundled action as a user would: `share-with` as people write account ids,
 * runtimes in capitals, a `version` that contradicts the manifest beside a zip, credential set-ups that cannot work,
 * the summary heading and `layer-version-arn` after a partial failure, and the root action with its own defaults.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, runAction, type ActionRun } from '../__fixtures__/action.js';
import { build, makeTree, tempDir } from '../__fixtures__/layer-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { summaryTitle } from '../src/action/publish.js';
import { checkVersion } from '../src/layer/version.js';
import type { RegionOutcome } from '../src/publish/plan.js';
import { progressLine } from '../src/publish/result.js';
import { parsePublishSettings, PUBLISH_INPUTS } from '../src/settings/publish.js';
import { parseGrants } from '../src/settings/share-with.js';
import { loadZip } from '../src/publish/source/load-zip.js';
import { plan } from '../__fixtures__/publish-support.js';

describe('share-with as people write it', () => {
  test.each([
    ['1234-5678-9012', [{ kind: 'account', id: '123456789012' }]],
    ['arn:aws:iam::123456789012:root', [{ kind: 'account', id: '123456789012' }]],
    ['arn:aws-cn:iam::123456789012:root', [{ kind: 'account', id: '123456789012' }]],
    ['*', [{ kind: 'public' }]],
    ['PUBLIC', [{ kind: 'public' }]],
    ['123456789012, 1234-5678-9012\r\n* public', [{ kind: 'account', id: '123456789012' }, { kind: 'public' }]],
  ])('%p', (value, grants) => {
    expect(parseGrants(value)).toEqual(grants);
  });

  test.each([
    ['o-abcdefghi', 'o-abcdefghi'],
    ['O-ABCDEFGHIJ', 'O-ABCDEFGHIJ'],
    ['1234 5678 9012', '1234'],
    ['arn:aws:iam::123456789012:user/deploy', 'arn:aws:iam::123456789012:user/deploy'],
    ['12345678901', '12345678901'],
    ['1234-56789-012', '1234-56789-012'],
  ])('%p is refused, naming %p', (value, token) => {
    expect(() => parseGrants(value)).toThrow(
      `Input 'share-with' has '${token}': use 'public', a 12-digit account id (123456789012), or an organization id`,
    );
  });
});

test("every input given as '' (the root action passes no default of its own) means its default", () => {
  const empty = Object.fromEntries(PUBLISH_INPUTS.map((name) => [name, '']));
  const given = { name: 'x', regions: 'us-east-1' };
  expect(parsePublishSettings({ ...empty, ...given })).toEqual(parsePublishSettings(given));
});

test('runtime and architecture overrides in any case', () => {
  const s = parsePublishSettings({
    name: 'x',
    regions: 'US-EAST-1 ',
    'compatible-runtimes': 'Python3.12\tNODEJS22.X',
    'compatible-architectures': 'X86_64',
  });
  expect(s.overrides).toEqual({ runtimes: ['python3.12', 'nodejs22.x'], architectures: ['x86_64'] });
  expect(s.regions.named).toEqual(['us-east-1']);
});

test.each([
  [
    'arn:aws:iam::123456789012:role/p',
    'cn-north-1',
    /^Input 'role-to-assume' is a role of partition aws, but the regions are in aws-cn/,
  ],
  [
    'arn:aws-cn:iam::123456789012:role/p',
    'all',
    /^Input 'role-to-assume' is a role of partition aws-cn, but the regions are in aws;/,
  ],
  ['arn:aws-us-gov:iam::123456789012:role/p', 'us-gov-west-1', undefined],
])('role %p with regions %p', (role, regions, error) => {
  const parse = () => parsePublishSettings({ name: 'x', regions, 'role-to-assume': role });
  if (error) expect(parse).toThrow(error);
  else expect(parse().credentials.roleToAssume).toBe(role);
});

test('a version too long for the Description and the zip file name is refused', () => {
  const long = `1.0.0-${'a'.repeat(95)}`;
  expect(checkVersion(long.slice(0, 100))).toHaveLength(100);
  expect(() => checkVersion(long)).toThrow(/^Input 'version' is 101 characters; at most 100/);
});

describe("'zip' with the build's manifest beside it", () => {
  let zipPath: string;
  beforeAll(async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': 'a' });
    zipPath = (await build(src, { name: 'edge', version: '1.0.0' })).zipPath;
  });
  const load = (version?: string) =>
    loadZip(parsePublishSettings({ zip: zipPath, regions: 'us-east-1', ...(version ? { version } : {}) }), {
      workDir: '/nonexistent',
      workspace: path.dirname(zipPath),
      context: {},
    });

  test('a version that contradicts the manifest stops the step instead of being ignored', async () => {
    await expect(load('9.9.9')).rejects.toThrow(
      /^Input 'version' is 9\.9\.9, but the manifest\.json beside edge-1\.0\.0\.zip says 1\.0\.0; leave 'version' out/,
    );
  });

  test.each([undefined, 'v1.0.0'])('version %p agrees with it', async (version) => {
    await expect(load(version)).resolves.toMatchObject({ manifest: { name: 'edge', version: '1.0.0' } });
  });
});

describe('the summary heading and the progress line', () => {
  const outcome = (status: RegionOutcome['status']): RegionOutcome => ({
    region: 'r',
    status,
    sharing: [],
    added: [],
    seconds: 0,
  });
  test.each<[RegionOutcome['status'][], boolean, string]>([
    [['published', 'unchanged'], false, 'Published: Lambda layer otel 1.4.2'],
    [['published', 'failed', 'unchanged'], false, 'Published in 2 of 3 regions: Lambda layer otel 1.4.2'],
    [['failed', 'failed'], false, 'Not published: Lambda layer otel 1.4.2 (failed in every region)'],
    [['planned', 'failed'], true, 'Plan (dry run, nothing changed): Lambda layer otel 1.4.2'],
  ])('%j (dry run %p)', (statuses, dryRun, title) => {
    expect(summaryTitle({ plan: plan({ dryRun }), outcomes: statuses.map(outcome) })).toBe(title);
  });

  test('a planned region says which version it would follow', () => {
    expect(progressLine({ ...outcome('planned'), region: 'eu-west-1', previousVersion: 3 }, true)).toBe(
      '~ eu-west-1 planned after version 3 (0.0 s)',
    );
  });
});

describe('through the bundle, against the emulator', () => {
  let emu: RunningEmulator;
  let ws: string;
  const noFiles = { AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/c', AWS_CONFIG_FILE: '/nonexistent/f' };
  const role = 'arn:aws:iam::123456789012:role/publisher';

  beforeAll(async () => {
    emu = await startEmulator({ aws: { notEnabled: ['af-south-1'] } });
    ws = await tempDir('llr-publish-edge-');
    await makeTree(path.join(ws, 'layer'), { 'python/edge/__init__.py': 'V = 1\n' });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  /** Every secret this run knew: the runner masks what follows ::add-mask::, nothing else may show it. */
  function expectNoSecrets(run: ActionRun): void {
    const secrets = [emu.env.AWS_SECRET_ACCESS_KEY, emu.env.GITHUB_TOKEN, emu.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN];
    const lines = `${run.stdout}\n${run.stderr}\n${run.summary}`
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'));
    for (const secret of secrets) expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  }

  test('the root action with the defaults of its action.yml builds and publishes like the sub-actions', async () => {
    // The runner passes every default of the root action.yml, also those meant for another command.
    const meta = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: unknown }>;
    };
    const context: Record<string, string> = {
      'github.token': emu.env.GITHUB_TOKEN,
      'github.repository': emu.env.GITHUB_REPOSITORY,
    };
    const defaults = Object.fromEntries(
      Object.entries(meta.inputs)
        .filter(([name, input]) => input.default !== undefined && name !== 'command')
        .map(([name, input]) => [
          name,
          String(input.default).replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, e) => context[e]),
        ]),
    );
    const built = await runAction(
      'build',
      { ...defaults, name: 'edge', path: 'layer', 'compatible-runtimes': 'python3.12' },
      emu.env,
      { cwd: ws },
    );
    expect([built.code, built.errors]).toEqual([0, []]);
    const published = await runAction('publish', { ...defaults, name: 'edge', regions: 'eu-west-1' }, emu.env, {
      cwd: ws,
    });
    expect([published.code, published.errors]).toEqual([0, []]);
    expect(published.outputs['layer-version-arn']).toBe('arn:aws:lambda:eu-west-1:123456789012:layer:edge:1');
    expectNoSecrets(built);
    expectNoSecrets(published);
  }, 60_000);

  test('two regions, one failing, fail-on none: the heading says so', async () => {
    const run = await runAction(
      'publish',
      { name: 'edge', regions: 'eu-west-1 af-south-1', 'fail-on': 'none', 'share-with': '1234-5678-9012' },
      emu.env,
      { cwd: ws },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs['failed-regions'])).toEqual(['af-south-1']);
    expect(Object.keys(JSON.parse(run.outputs.arns))).toEqual(['eu-west-1']);
    // Two regions were asked for: layer-version-arn is for one-region runs, so it does not appear by accident.
    expect(run.outputs['layer-version-arn']).toBeUndefined();
    expect(run.summary).toContain('<h3>Published in 1 of 2 regions: Lambda layer edge 1.0.0</h3>');
    expect(run.summary).toContain('123456789012 (added)');
    expectNoSecrets(run);
  }, 60_000);

  test('a zip whose file name holds markup is named, not rendered, in the summary', async () => {
    const built = await build(path.join(ws, 'layer'), { name: 'edge', layout: { kind: 'none' } });
    await copyFile(built.zipPath, path.join(ws, 'my <b>layer &.zip'));
    const run = await runAction(
      'publish',
      { name: 'marked', zip: 'my <b>layer &.zip', version: '1.0.0', regions: 'eu-west-1' },
      emu.env,
      { cwd: ws },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(run.summary).toContain('from my &lt;b&gt;layer &amp;.zip');
  });

  test('GitHub Enterprise Server: the artifact steps say at once what to do; build + zip in one job works', async () => {
    const ghes = { ...emu.env, GITHUB_SERVER_URL: 'https://github.example.com' };
    const inputs = { name: 'ghes', path: 'layer', 'compatible-runtimes': 'python3.12' };
    const refused = await runAction('build', inputs, ghes, { cwd: ws });
    expect(refused.errors).toEqual([
      "Input 'upload': GitHub Enterprise Server (https://github.example.com) has no artifact service for @actions/artifact v2+; set upload to false and publish with 'zip: ${{ steps.<id>.outputs.zip-path }}' in the same job.",
    ]);
    const fromArtifact = await runAction('publish', { name: 'ghes', regions: 'eu-west-1' }, ghes, { cwd: ws });
    expect(fromArtifact.errors).toEqual([
      expect.stringMatching(
        /^Input 'zip' is empty, so the layer is taken from a workflow artifact, but GitHub Enterprise/,
      ),
    ]);
    const built = await runAction('build', { ...inputs, upload: 'false' }, ghes, { cwd: ws });
    const zip = { zip: built.outputs['zip-path'], regions: 'eu-west-1' };
    const published = await runAction('publish', zip, ghes, { cwd: ws });
    expect([published.code, published.errors, published.warnings]).toEqual([0, [], []]);
    expect(published.stdout).toContain("The result record is not uploaded for 'report' (GitHub Enterprise Server");
  }, 60_000);

  test('an artifact service that cannot be reached is one line, not a bug report', async () => {
    const down = { ...emu.env, ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' };
    const run = await runAction('publish', { name: 'edge', regions: 'eu-west-1' }, down, { cwd: ws });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^Looking up artifact 'lambda-layer-edge' failed: .*ECONNREFUSED; rerun the job/),
    ]);
  }, 60_000);

  test('a step stopped by a bad input still leaves JSON outputs that parse', async () => {
    const run = await runAction('publish', { name: 'edge', regions: 'eu-central-3' }, emu.env, { cwd: ws });
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/^Input 'regions' has unknown region 'eu-central-3'/)]);
    expect(run.outputs).toEqual({ arns: '{}', versions: '{}', 'failed-regions': '[]', 'unchanged-regions': '[]' });
  });

  test.each([
    [
      'no credentials at all',
      {},
      { ...noFiles, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
      /^Could not get AWS credentials from the default credential chain: .*; set 'role-to-assume' or run aws-actions\/configure-aws-credentials/,
    ],
    [
      'a role, no OIDC and no credentials to assume it with',
      { 'role-to-assume': role },
      { ...noFiles, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', ACTIONS_ID_TOKEN_REQUEST_URL: '' },
      /assumed from the ambient credentials: .*; the job has no OIDC token and no other AWS credentials to assume the role with: give the job 'permissions: id-token: write'/,
    ],
    [
      'a role whose OIDC token cannot be minted',
      { 'role-to-assume': role },
      { ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:1/token?api-version=2.0` },
      /through GitHub OIDC: .*Failed to get ID Token.*; the job needs 'permissions: id-token: write'/,
    ],
  ])(
    '%s: one line that names the fix, nothing sent to Lambda',
    async (_label, inputs, env, message) => {
      const before = emu.server.requests({ service: 'lambda' }).length;
      const run = await runAction(
        'publish',
        { name: 'edge', regions: 'eu-west-1', ...inputs },
        { ...emu.env, ...env },
        {
          cwd: ws,
        },
      );
      expect(run.code).toBe(1);
      expect(run.errors).toEqual([expect.stringMatching(message)]);
      expect(run.errors[0]).not.toMatch(/This is a bug/);
      expect(emu.server.requests({ service: 'lambda' }).length).toBe(before);
      expectNoSecrets(run);
    },
    60_000,
  );
});
