/**
 * The zip is the same bytes whichever Node runs the action: runners moved from node20 to node24, and a rebuild on
 * the newer one must not publish a "changed" layer (skip-unchanged compares CodeSha256). `.ci/run` runs this suite
 * under Node 24 with LLR_COMPARE_NODE pointing at the machine's other Node; without it the suite is skipped.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, runAction } from '../__fixtures__/action.js';

const other = process.env.LLR_COMPARE_NODE;
const version = (node: string) => execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

(other ? describe : describe.skip)(
  `build under ${process.version} and ${other ? version(other) : 'another Node'}`,
  () => {
    test.each([
      ['a real package tree (@aws-sdk/client-lambda, ~500 files)', 'node_modules/@aws-sdk/client-lambda', 'none'],
      ['the demo layer, wrapped under python/', 'examples/hello-layer', 'auto'],
    ])('%s: identical zip', async (_name, layerPath, layout) => {
      const inputs = {
        name: 'same-bytes',
        path: layerPath,
        layout,
        upload: 'false',
        'compatible-runtimes': 'python3.13',
      };
      const env = { SOURCE_DATE_EPOCH: '1700000000', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' };
      const runs = await Promise.all(
        [process.execPath, other!].map((node) => runAction('build', inputs, env, { cwd: ROOT, node })),
      );
      for (const run of runs) expect([run.code, run.errors]).toEqual([0, []]);
      expect(version(other!)).not.toBe(process.version);
      expect(runs[1].outputs.sha256).toBe(runs[0].outputs.sha256);
      expect(Number(runs[0].outputs.files)).toBeGreaterThan(path.basename(layerPath) === 'hello-layer' ? 1 : 100);
    });
  },
);
