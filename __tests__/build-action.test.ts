/**
 * The bundled action, run as its own process with INPUT_* variables as a runner would, against the emulator's
 * GitHub artifact service. The bundle is dist/index.js, or LLR_BUNDLE (see __fixtures__/action.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { BuildOutputs } from '../src/action/build.js';
import { makeTree, tempDir } from '../__fixtures__/layer-support.js';

let emu: RunningEmulator;
let workspace: string;

const AWS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' };
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  emu = await startEmulator();
  workspace = await tempDir('llr-workspace-');
  await makeTree(workspace, {
    'layer/requests/__init__.py': 'import urllib3\n'.repeat(200),
    'layer/requests/__pycache__/__init__.cpython-312.pyc': 'x',
    'layer/six.py': 'x = 6\n',
    'empty/sub': { dir: true },
  });
});

afterAll(async () => {
  await emu?.stop();
});

beforeEach(async () => {
  await fetch(`${emu.url}/__emulator/requests`, { method: 'DELETE' });
});

const run = (inputs: Record<string, string>, env: Record<string, string> = emu.env) =>
  runAction('build', inputs, { ...env, ...AWS }, { cwd: workspace });

describe('build action', () => {
  test('builds, uploads the zip and manifest, sets every output and the summary', async () => {
    const result = await run({
      name: 'requests',
      path: 'layer',
      'compatible-runtimes': 'python3.12, python3.13',
      'retention-days': '2',
    });
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(Object.keys(result.outputs).sort()).toEqual([...BuildOutputs].sort());
    const zip = await readFile(result.outputs['zip-path']);
    expect(result.outputs).toMatchObject({
      sha256: sha256(zip),
      'code-sha256': createHash('sha256').update(zip).digest('base64'),
      size: String(zip.length),
      'unzipped-size': String(15 * 200 + 6),
      files: '2',
      version: '1.0.0', // the emulator's GITHUB_REF is refs/tags/v1.0.0
      'artifact-name': 'lambda-layer-requests',
      'artifact-id': expect.stringMatching(/^\d+$/),
    });
    expect(result.summary).toContain('Lambda layer requests 1.0.0');
    expect(result.summary).toContain(sha256(zip));
    expect(result.summary).toContain('python/requests');
    expect(result.stdout).toContain('::group::Zip 2 files');

    // The artifact holds both files; the zip inside is the one the outputs describe.
    const blob = Buffer.from(
      await (await fetch(`${emu.url}/__emulator/github/artifacts/${result.outputs['artifact-id']}/blob`)).arrayBuffer(),
    );
    const dir = await tempDir();
    await writeFile(path.join(dir, 'artifact.zip'), blob);
    execFileSync('unzip', ['-q', 'artifact.zip', '-d', 'x'], { cwd: dir });
    expect(sha256(await readFile(path.join(dir, 'x', 'requests-1.0.0.zip')))).toBe(sha256(zip));
    const manifest = JSON.parse(await readFile(path.join(dir, 'x', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: 'requests',
      version: '1.0.0',
      sha256: sha256(zip),
      runtimes: ['python3.12', 'python3.13'],
    });
  });

  test('upload: false builds only, and SOURCE_DATE_EPOCH makes reruns identical', async () => {
    const env = {
      SOURCE_DATE_EPOCH: '1700000000',
      GITHUB_SHA: 'abcdef0123456789abcdef0123456789abcdef01',
      GITHUB_REF: 'refs/heads/main',
    };
    const inputs = { name: 'local', path: 'layer', layout: 'python', upload: 'false' };
    const [one, two] = [await run(inputs, env), await run(inputs, env)];
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(one.outputs).toMatchObject({ version: '0.0.0-abcdef0', 'artifact-id': '', 'artifact-name': '' });
    expect(two.outputs.sha256).toBe(one.outputs.sha256);
    expect(one.summary).toContain('not uploaded');
  });

  test.each<[string, Record<string, string>, string]>([
    ['a description over 256', { description: 'd'.repeat(257) }, "Input 'description' is 257 characters"],
    [
      'an unknown runtime',
      { 'compatible-runtimes': 'python2.8' },
      "Input 'compatible-runtimes' has unknown runtime 'python2.8'",
    ],
    ['a layout auto cannot tell', { 'compatible-runtimes': '' }, "Input 'layout': cannot tell where the files"],
    ['a missing path', { path: 'nope' }, "Input 'path': "],
    ['an empty folder', { path: 'empty' }, "/empty holds no files after 'exclude' is applied; a layer cannot be"],
    ["exclude: '**'", { exclude: '**' }, "/layer holds no files after 'exclude' is applied; a layer cannot be"],
    ['a layer whose files are all excluded', { exclude: '*.py*' }, "/layer holds no files after 'exclude'"],
  ])('refuses %s: exit 1, one error line, nothing uploaded', async (_name, inputs, message) => {
    const result = await run({ name: 'requests', path: 'layer', 'compatible-runtimes': 'python3.12', ...inputs });
    expect(result.code).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining(message)]);
    expect(result.errors[0]).toMatch(/^Input '/);
    expect(result.errors[0]).not.toContain('bug');
    expect(emu.server.requests({ service: 'artifacts' })).toEqual([]);
  });
});
