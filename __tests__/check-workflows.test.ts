/**
 * npm run check-workflows, run as `.ci/run` runs it: GitHub's validator over workflows, action.yml files and Markdown
 * snippets. It must pass on the repository, and catch what a user would otherwise find out on GitHub: a wrong input
 * name (local `./x` and `lambda-layer-release/...@v1` alike), a missing required input, a bad expression, an
 * unknown context, a job that needs a job that is not there, an unpinned or outdated third-party action, a broken
 * action.yml, and the same in a README snippet, at the snippet's line.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../__fixtures__/action.js';

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';

function check(...files: string[]): { code: number | null; out: string } {
  const run = spawnSync(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [path.join(ROOT, 'scripts/check-workflows.ts'), '--root', ROOT, ...files],
    { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 },
  );
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

const workflow = (steps: string, extra = '') => `on: push
permissions: {}
jobs:
  publish:
    runs-on: ubuntu-latest
${extra}    steps:
${steps}`;

let dir: string;
const at = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'llr-check-workflows-'));
  const files: Record<string, string> = {
    'wrong-input.yml': workflow(`      - uses: ./publish
        with:
          name: my-layer
          regoins: us-east-1
`),
    'remote-input.yml': workflow(`      - uses: lambda-layer-release/lambda-layer-release/build@v1
        with:
          name: my-layer
          path: layer
          compatible-runtime: python3.12
      - uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0
        with:
          node-verison: 24
`),
    'bad-expression.yml': workflow(`      - id: publish
        uses: ./publish
        with:
          regions: us-east-1
      - run: echo '\${{ fromJSON(steps.publish.outputs.arns ) ) }}'
      - run: echo '\${{ github.evnt_name }}'
`),
    'needs.yml': workflow(
      `      - run: echo hi
`,
      '    needs: build\n',
    ),
    'pins.yml': workflow(`      - uses: actions/checkout@v7
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
      - uses: someone/thing@0123456789abcdef0123456789abcdef01234567 # v1.0.0
`),
    'bad-action/action.yml': `name: bad
description: an action that no runner starts
runs:
  using: node99
  main: index.js
`,
    'snippets.md': `# Title

A step:

\`\`\`yaml
- uses: lambda-layer-release/lambda-layer-release/publish@v1
  with:
    name: my-layer
    region: us-east-1
\`\`\`

A template that is no workflow:

\`\`\`yaml
Resources:
  Function:
    Type: AWS::Lambda::Function
\`\`\`

\`\`\`yaml
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
\`\`\`
`,
    'good.yml': workflow(`      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - id: publish
        uses: ./publish
        with:
          name: my-layer
          regions: us-east-1 eu-west-1
      - uses: ./
        with:
          command: resolve
          name: my-layer
          version: 1.x
          regions: us-east-1
      - run: echo '\${{ fromJSON(steps.publish.outputs.arns)['us-east-1'] }}'
`),
    'good.md': `\`\`\`yaml
- id: layer
  uses: lambda-layer-release/lambda-layer-release/resolve@v1
  with:
    name: otel
    version: ^1
    regions: eu-west-1
- run: echo '\${{ steps.layer.outputs.layer-version-arn }}'
\`\`\`
`,
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(at(name)), { recursive: true });
    await writeFile(at(name), text);
  }
});

describe('check-workflows', () => {
  test("the repository's own action.yml files, workflows, examples and docs pass", () => {
    const { code, out } = check();
    expect(out).toMatch(/no errors or warnings/);
    expect(code).toBe(0);
    expect(Number(/(\d+) documents/.exec(out)?.[1])).toBeGreaterThan(20);
  });

  test('valid files pass (the check is not a blanket failure)', () => {
    const { code, out } = check(at('good.yml'), at('good.md'));
    expect([code, out]).toEqual([0, expect.stringMatching(/2 documents in 2 files, no errors or warnings/)]);
  });

  describe('each mistake is reported at its line, and fails the check', () => {
    let result: { code: number | null; out: string };
    const line = (file: string, n: number, message: string) =>
      expect(result.out).toMatch(new RegExp(`${path.basename(file)}:${n}:\\d+: (error|warning): .*${message}`));
    beforeAll(() => {
      result = check(
        ...['wrong-input.yml', 'remote-input.yml', 'bad-expression.yml', 'needs.yml', 'pins.yml'].map(at),
        at('bad-action/action.yml'),
        at('snippets.md'),
      );
    });

    test('exit code 1', () => expect(result.code).toBe(1));
    test('a wrong input name of a local action (./publish), and the required one it lacks', () => {
      line('wrong-input.yml', 10, "Invalid action input 'regoins'");
      line('wrong-input.yml', 8, 'Missing required input `regions`');
    });
    test('a wrong input of lambda-layer-release/lambda-layer-release/build@v1, checked against build/action.yml', () =>
      line('remote-input.yml', 11, "Invalid action input 'compatible-runtime'"));
    test('a wrong input of a third-party action', () =>
      line('remote-input.yml', 14, "Invalid action input 'node-verison'"));
    test('a bad expression, and an unknown property of a context', () => {
      line('bad-expression.yml', 11, "Unexpected symbol: '\\)'");
      line('bad-expression.yml', 12, 'Context access might be invalid: evnt_name');
    });
    test('needs: a job the workflow does not have', () => line('needs.yml', 6, "Value 'build' is not valid"));
    test('third-party actions: a tag instead of a SHA, an old major, an action nobody recorded', () => {
      line('pins.yml', 7, 'pin third-party actions by their full commit SHA');
      line('pins.yml', 8, 'v5.0.0: the current major is v7');
      line('pins.yml', 9, 'Unable to resolve action .*record its inputs in scripts/third-party-actions.json');
    });
    test('a broken action.yml', () => line('action.yml', 4, "Unexpected value 'node99'"));
    test("a Markdown snippet's mistake at the Markdown line; a template that is no workflow is left out", () => {
      line('snippets.md', 9, "Invalid action input 'region'");
      line('snippets.md', 25, 'actions/checkout@v5: the current major is v7');
      expect(result.out).toContain('snippets.md:15: not a workflow, job or step; left out');
    });
  });
});
