import { describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { COMMANDS, ROOT, generatedReadme, generatedRootYaml, readAction } from '../scripts/action-metadata.js';

// The binding names of SPEC.md: users' workflows depend on them.
const SPEC: Record<string, { inputs: string[]; outputs: string[] }> = {
  build: {
    inputs: [
      'name',
      'path',
      'compatible-runtimes',
      'compatible-architectures',
      'layout',
      'exclude',
      'version',
      'description',
      'license-info',
      'artifact-name',
      'retention-days',
      'upload',
    ],
    outputs: [
      'zip-path',
      'sha256',
      'code-sha256',
      'size',
      'unzipped-size',
      'files',
      'version',
      'artifact-name',
      'artifact-id',
    ],
  },
  publish: {
    inputs: [
      'name',
      'artifact-name',
      'run-id',
      'zip',
      'regions',
      'exclude-regions',
      'compatible-runtimes',
      'compatible-architectures',
      'description',
      'license-info',
      'share-with',
      'role-to-assume',
      'role-session-name',
      'audience',
      's3-bucket',
      's3-prefix',
      'max-parallel',
      'skip-unchanged',
      'align-versions',
      'fail-on',
      'dry-run',
      'keep-versions',
      'ssm-prefix',
      'release',
      'github-token',
    ],
    outputs: ['arns', 'versions', 'layer-version-arn', 'failed-regions', 'unchanged-regions', 'result-path'],
  },
  report: { inputs: ['name', 'release', 'github-token', 'fail-on'], outputs: ['arns', 'versions', 'failed-regions'] },
  resolve: {
    inputs: ['name', 'version', 'regions', 'source', 'repository'],
    outputs: ['arns', 'versions', 'layer-version-arn', 'resolved-version'],
  },
  rollout: {
    inputs: [
      'name',
      'regions',
      'functions',
      'version',
      'source',
      'alias',
      'max-parallel',
      'dry-run',
      'fail-on',
      'role-to-assume',
      'role-session-name',
      'audience',
      'repository',
      'github-token',
    ],
    outputs: ['updated', 'unchanged', 'failed-functions', 'result-path'],
  },
};

describe.each(COMMANDS)('%s/action.yml', (command) => {
  test('declares every SPEC input and output, each with a description', async () => {
    const spec = await readAction(`${command}/action.yml`);
    expect(spec.runs).toEqual({ using: 'node24', main: 'main.js' });
    expect(Object.keys(spec.inputs ?? {})).toEqual(expect.arrayContaining(SPEC[command].inputs));
    expect(Object.keys(spec.outputs ?? {})).toEqual(expect.arrayContaining(SPEC[command].outputs));
    for (const [name, input] of Object.entries({ ...spec.inputs, ...spec.outputs })) {
      expect([name, input.description?.trim().length > 10]).toEqual([name, true]);
    }
  });
});

describe('generated files', () => {
  test('action.yml is generated from the sub-actions (run `npm run generate`)', async () => {
    expect(await readFile(path.join(ROOT, 'action.yml'), 'utf8')).toBe(await generatedRootYaml());
  });

  test('the README reference block is generated from the sub-actions (run `npm run generate`)', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
    expect(await generatedReadme(readme)).toBe(readme);
  });
});
