/**
 * The example workflows do what their comments say: the build and publish steps of each example's release.yml run
 * through the bundle with exactly the `with:` the file holds (read from the file, not restated here), on a tree as
 * the file's `run:` steps leave it, against the emulator (OIDC, artifact service, Lambda, EC2, SSM); then the Node.js
 * consumer's `resolve` finds what was published. check-workflows validates the same files against GitHub's schema.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ROOT, runAction } from '../__fixtures__/action.js';
import { makeTree, pythonEntries } from '../__fixtures__/layer-support.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { parseLayerVersionArn } from '../src/aws/arn.js';
import { control } from '../__fixtures__/emulator-support.js';
import { publishMarked } from '../__fixtures__/rollout-support.js';

interface Step {
  uses?: string;
  with?: Record<string, string | number | boolean>;
}
type Workflow = { jobs: Record<string, { steps?: Step[] }> };

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

async function workflow(example: string, file: string): Promise<Workflow> {
  return YAML.parse(await readFile(path.join(ROOT, 'examples', example, '.github/workflows', file), 'utf8'));
}

/** The `with:` of the one step that uses our sub-action `command`, as the runner passes inputs (strings). */
function inputsOf(wf: Workflow, command: string): Record<string, string> {
  const steps = Object.values(wf.jobs).flatMap((job) => job.steps ?? []);
  const matching = steps.filter((s) => s.uses === `lambda-layer-release/lambda-layer-release/${command}@v1`);
  expect(matching).toHaveLength(1);
  const inputs = Object.fromEntries(Object.entries(matching[0].with ?? {}).map(([k, v]) => [k, String(v)]));
  // Expressions would need a runner to evaluate them; the steps run here have none.
  expect(Object.values(inputs).filter((v) => v.includes('${{'))).toEqual([]);
  return inputs;
}

const tagEnv = (tag: string, runId: string) => ({
  ...emu.env,
  GITHUB_REF: `refs/tags/${tag}`,
  GITHUB_EVENT_NAME: 'push',
  GITHUB_RUN_ID: runId,
});

function zippedFiles(zipPath: string): string[] {
  return pythonEntries(zipPath)
    .map((e) => e.name)
    .filter((n) => !n.endsWith('/'))
    .sort();
}

describe('examples/python-layer: release.yml', () => {
  test('build wraps the installed packages and our code under python/ without bin/ or bytecode; publish reaches every enabled region, public', async () => {
    const wf = await workflow('python-layer', 'release.yml');
    const ws = await mkdtemp(path.join(tmpdir(), 'llr-example-py-'));
    // What `pip install --target build/layer -r requirements.txt` and `cp -r src/acme_tools build/layer/` leave.
    await makeTree(path.join(ws, 'build/layer'), {
      'requests/__init__.py': '__version__ = "2.32.3"\n',
      'requests-2.32.3.dist-info/METADATA': 'Name: requests\n',
      'charset_normalizer/__pycache__/api.cpython-313.pyc': 'bytecode',
      'bin/normalizer': { content: '#!/usr/bin/env python3\n', mode: 0o755 },
    });
    await cp(path.join(ROOT, 'examples/python-layer/src/acme_tools'), path.join(ws, 'build/layer/acme_tools'), {
      recursive: true,
    });
    const env = tagEnv('v1.4.2', '4242');
    const build = await runAction('build', inputsOf(wf, 'build'), env, { cwd: ws });
    expect([build.code, build.errors]).toEqual([0, []]);
    expect(build.outputs.version).toBe('1.4.2');
    expect(zippedFiles(build.outputs['zip-path'])).toEqual([
      'python/acme_tools/__init__.py',
      'python/requests-2.32.3.dist-info/METADATA',
      'python/requests/__init__.py',
    ]);

    const publish = await runAction('publish', inputsOf(wf, 'publish'), env, { cwd: ws, timeoutMs: 180_000 });
    expect([publish.code, publish.errors]).toEqual([0, []]);
    expect(publish.stdout).toMatch(/AWS credentials: .*OIDC/i);
    const arns = JSON.parse(publish.outputs.arns) as Record<string, string>;
    expect(Object.keys(arns).length).toBeGreaterThanOrEqual(17); // every default region is enabled in the emulator
    for (const [region, arn] of Object.entries(arns)) {
      expect(parseLayerVersionArn(arn)).toMatchObject({ region, layerName: 'acme-tools', version: 1 });
    }
    expect(publish.summary).toContain('public');

    // The rollout job, with the file's inputs: a function that opted in with 1.x follows the next release (1.5.0,
    // here published straight to eu-west-1); one without the tag stays where it is.
    await control(emu.url, 'POST', 'aws/lambda/functions', {
      region: 'eu-west-1',
      functions: [
        { name: 'checkout', layers: [arns['eu-west-1']], tags: { 'lambda-layer-release:acme-tools': '1.x' } },
        { name: 'untagged', layers: [arns['eu-west-1']] },
      ],
    });
    const next = await publishMarked(emu.env, 'eu-west-1', 'acme-tools', '1.5.0');
    const rollout = await runAction('rollout', inputsOf(wf, 'rollout'), env, { cwd: ws, timeoutMs: 180_000 });
    expect([rollout.code, rollout.errors]).toEqual([0, []]);
    expect(JSON.parse(rollout.outputs.updated)).toEqual({ 'eu-west-1': { checkout: next } });
    expect(rollout.summary).toContain('updated: tag 1.x: newest match 1.5.0');
  }, 240_000);
});

describe('examples/nodejs-layer: release.yml, then consumer.yml', () => {
  test('build keeps node_modules under nodejs/ without lock files, docs or typings; publish pads, shares with the organization, writes SSM pointers; resolve ^1.4 finds it', async () => {
    const wf = await workflow('nodejs-layer', 'release.yml');
    const ws = await mkdtemp(path.join(tmpdir(), 'llr-example-node-'));
    // What `npm ci --omit=dev` in layer/ leaves.
    await cp(path.join(ROOT, 'examples/nodejs-layer/layer'), path.join(ws, 'layer'), { recursive: true });
    await makeTree(path.join(ws, 'layer/node_modules'), {
      '.package-lock.json': '{}',
      'semver/package.json': '{"name":"semver"}',
      'semver/index.js': 'module.exports = {}\n',
      'semver/README.md': '# semver\n',
      'p-limit/package.json': '{"name":"p-limit","type":"module"}',
      'p-limit/index.js': 'export default function pLimit() {}\n',
      'p-limit/index.d.ts': 'export default function pLimit(): void;\n',
      'p-limit/readme.md': '# p-limit\n',
      'yocto-queue/index.js': 'export default class Queue {}\n',
      'yocto-queue/index.js.map': '{}',
    });
    const env = tagEnv('v1.4.2', '4343');
    const build = await runAction('build', inputsOf(wf, 'build'), env, { cwd: ws });
    expect([build.code, build.errors]).toEqual([0, []]);
    expect(zippedFiles(build.outputs['zip-path'])).toEqual([
      'nodejs/node_modules/p-limit/index.js',
      'nodejs/node_modules/p-limit/package.json',
      'nodejs/node_modules/semver/index.js',
      'nodejs/node_modules/semver/package.json',
      'nodejs/node_modules/yocto-queue/index.js',
      'nodejs/package.json',
    ]);

    const publishInputs = inputsOf(wf, 'publish');
    const publish = await runAction('publish', publishInputs, env, { cwd: ws, timeoutMs: 180_000 });
    expect([publish.code, publish.errors]).toEqual([0, []]);
    const versions = JSON.parse(publish.outputs.versions) as Record<string, number>;
    expect(Object.keys(versions).sort()).toEqual(publishInputs.regions.split(' ').sort());
    expect(new Set(Object.values(versions)).size).toBe(1); // align-versions: pad
    expect(publish.summary).toContain('o-a1b2c3d4e5');
    expect(publish.summary).toContain('/layers/acme-node-deps/1');

    const consumer = inputsOf(await workflow('nodejs-layer', 'consumer.yml'), 'resolve');
    const resolve = await runAction('resolve', consumer, env, { cwd: ws });
    expect([resolve.code, resolve.errors]).toEqual([0, []]);
    expect(resolve.outputs['resolved-version']).toBe('1.4.2');
    expect(resolve.outputs['layer-version-arn']).toBe(JSON.parse(publish.outputs.arns)['eu-central-1']);

    // The rollout job with the file's inputs (alias: live): a function already on this release stays, and so does
    // its alias, whose version has the layer.
    const published = JSON.parse(publish.outputs.arns)['us-west-2'] as string;
    await control(emu.url, 'POST', 'aws/lambda/functions', {
      region: 'us-west-2',
      functions: [{ name: 'web', layers: [published], tags: { 'lambda-layer-release:acme-node-deps': 'latest' } }],
    });
    const rollout = await runAction('rollout', inputsOf(wf, 'rollout'), env, { cwd: ws, timeoutMs: 180_000 });
    expect([rollout.code, rollout.errors]).toEqual([0, []]);
    expect(JSON.parse(rollout.outputs.unchanged)).toEqual(['us-west-2:web']);
  }, 240_000);
});
