/**
 * npm run demo: the whole pipeline offline, on the bundled action (dist/), as a runner would run it.
 *
 *   1. local services start on 127.0.0.1 (Lambda for every region, STS, the artifact service, GitHub's REST API);
 *   2. a release v1.2.3 exists and a `release: published` event is written, as GitHub would hand it to a workflow;
 *   3. job "build": the build bundle zips examples/hello-layer and uploads it as a workflow artifact;
 *   4. job "publish": the publish bundle, a separate process that shares nothing with the first but the artifact
 *      service, downloads and verifies it, publishes to 6 regions, shares it publicly and writes the ARN table
 *      into the release;
 *   5. the outputs and the release body are printed, and every ARN is looked up in its region;
 *   6. the publish job runs again: it reuses every region and rewrites the same table;
 *   7. job "rollout": a function that opted in (tag lambda-layer-release:hello-layer = 1.x) and still uses last
 *      release's 1.2.2 moves to 1.2.3, its other layer kept in front; its layers before and after are printed. The
 *      services stop.
 */
import {
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  LambdaClient,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { getOctokit } from '@actions/github';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUNDLE, ROOT, runAction, type ActionRun } from '../__fixtures__/action.js';
import { mintRuntimeToken } from '../emulators/github/index.js';
import { startEmulator } from '../emulators/index.js';
import { craftZip } from '../__fixtures__/zip-craft.js';
import { formatMarker } from '../src/record/marker.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'sa-east-1'];
const TAG = 'v1.2.3';
const started = Date.now();

const dummyKeys = (env: Record<string, string>) => ({
  accessKeyId: env.AWS_ACCESS_KEY_ID,
  secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
});
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s = '') => process.stdout.write(`${s}\n`);

/** The job's log as a runner shows it: groups as headings, debug lines hidden, annotations kept. */
function printLog(job: string, run: ActionRun): void {
  for (const line of run.stdout.split('\n')) {
    if (!line || line.startsWith('::debug::') || line === '::endgroup::') continue;
    if (line.startsWith('::group::')) say(`  [${job}] ▸ ${line.slice(9)}`);
    else if (line.startsWith('::set-output') || line.startsWith('::add-mask')) continue;
    else say(`  [${job}] ${line}`);
  }
  if (run.stderr.trim()) say(run.stderr.trim().replace(/^/gm, `  [${job}] stderr: `));
}

function check(job: string, run: ActionRun): void {
  if (run.code === 0) return;
  throw new Error(`job '${job}' failed with exit code ${run.code}: ${run.errors.join('; ') || run.stderr.trim()}`);
}

// No traffic may leave loopback: dummy keys, no instance metadata, and only the emulator's endpoints.
for (const name of Object.keys(process.env)) if (/^(AWS_|ACTIONS_|GITHUB_)/.test(name)) delete process.env[name];
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const emulator = await startEmulator();
const work = await mkdtemp(path.join(tmpdir(), 'llr-demo-'));
try {
  say(
    bold(
      `lambda-layer-release demo: offline, local services at ${emulator.url}, bundle ${path.relative(ROOT, BUNDLE)}`,
    ),
  );
  const env = emulator.env;
  const [owner, repo] = env.GITHUB_REPOSITORY.split('/');

  // The release a maintainer just published, with notes of their own that the action must leave alone.
  const octokit = getOctokit(env.GITHUB_TOKEN, { baseUrl: env.GITHUB_API_URL });
  const { data: release } = await octokit.rest.repos.createRelease({
    owner,
    repo,
    tag_name: TAG,
    name: `hello-layer ${TAG}`,
    body: '## Changes\n\n- Greets in three languages.\n',
  });
  // Last release's layer (1.2.2) in us-east-1, and a function that uses it behind another layer and opted in to 1.x.
  const lambdaUs = new LambdaClient({
    region: 'us-east-1',
    endpoint: env.AWS_ENDPOINT_URL_LAMBDA,
    credentials: dummyKeys(env),
  });
  const publishedBefore = async (name: string, semver: string) =>
    String(
      (
        await lambdaUs.send(
          new PublishLayerVersionCommand({
            LayerName: name,
            Content: {
              ZipFile: craftZip([{ name: `python/${name.replace('-', '_')}.py`, data: `V = '${semver}'\n` }]),
            },
            Description: `${name} ${formatMarker({ version: semver })}`,
          }),
        )
      ).LayerVersionArn,
    );
  const deps = await publishedBefore('hello-deps', '3.0.0');
  const previous = await publishedBefore('hello-layer', '1.2.2');
  const seeded = await fetch(`${emulator.url}/__emulator/aws/lambda/functions`, {
    method: 'POST',
    body: JSON.stringify({
      region: 'us-east-1',
      functions: [{ name: 'greeter', layers: [deps, previous], tags: { 'lambda-layer-release:hello-layer': '1.x' } }],
    }),
  });
  if (!seeded.ok) throw new Error(`seeding the function failed: ${seeded.status} ${await seeded.text()}`);
  const greeterLayers = async () =>
    ((await lambdaUs.send(new GetFunctionCommand({ FunctionName: 'greeter' }))).Configuration?.Layers ?? []).map(
      (l) => l.Arn ?? '',
    );

  const eventPath = path.join(work, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({ action: 'published', release, repository: { owner: { login: owner }, name: repo } }),
  );
  const jobEnv = (jobId: number) => ({
    ...env,
    ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId: Number(env.GITHUB_RUN_ID), jobId }),
    GITHUB_EVENT_NAME: 'release',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: `refs/tags/${TAG}`,
    // The runner runs node24; on an older local Node the AWS SDK would warn about its own future support.
    NODE_NO_WARNINGS: '1',
  });

  say(bold('\njob 1: build'));
  const build = await runAction(
    'build',
    {
      name: 'hello-layer',
      path: path.join(ROOT, 'examples/hello-layer'),
      'compatible-runtimes': 'python3.12 python3.13',
      'compatible-architectures': 'x86_64 arm64',
      description: 'Says hello from a Lambda layer',
      'license-info': 'MIT',
    },
    jobEnv(1),
  );
  printLog('build', build);
  check('build', build);

  say(bold('\njob 2: publish (a separate process; only the artifact service connects the two jobs)'));
  const publishInputs = {
    name: 'hello-layer',
    regions: REGIONS.join(','),
    'share-with': 'public',
    'github-token': env.GITHUB_TOKEN,
  };
  const publish = await runAction('publish', publishInputs, jobEnv(2));
  printLog('publish', publish);
  check('publish', publish);

  say(bold('\noutputs of publish'));
  for (const [name, value] of Object.entries(publish.outputs)) say(`  ${name} = ${value}`);

  const releaseBody = async () => (await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: TAG })).data;
  const first = await releaseBody();
  say(bold(`\nthe release ${TAG} now reads:\n`));
  say(first.body ?? '');
  say(bold('assets: ') + first.assets.map((a) => `${a.name} (${a.size} bytes)`).join(', '));

  // The proof the table is right: every row's ARN names its own region, and Lambda answers for it there.
  const arns = JSON.parse(publish.outputs.arns ?? '{}') as Record<string, string>;
  const wrong = REGIONS.filter((r) => !arns[r]?.startsWith(`arn:aws:lambda:${r}:`));
  if (wrong.length) throw new Error(`ARNs missing or pointing elsewhere for: ${wrong.join(', ')}`);
  for (const region of REGIONS) {
    const lambda = new LambdaClient({ region, endpoint: env.AWS_ENDPOINT_URL_LAMBDA, credentials: dummyKeys(env) });
    await lambda.send(new GetLayerVersionByArnCommand({ Arn: arns[region] }));
    lambda.destroy();
  }

  say(bold('\njob 2, re-run: the same publish again reuses every region'));
  const rerun = await runAction('publish', publishInputs, jobEnv(3));
  check('publish (re-run)', rerun);
  const unchanged = JSON.parse(rerun.outputs['unchanged-regions'] ?? '[]') as string[];
  say(`  unchanged-regions = ${JSON.stringify(unchanged)}`);
  if (unchanged.length !== REGIONS.length) throw new Error('the re-run published again instead of reusing');
  const rows = (body: string | null | undefined) => (body ?? '').split('\n').filter((l) => l.startsWith('| '));
  const again = await releaseBody();
  if (rows(again.body).join('\n') !== rows(first.body).join('\n') || again.assets.length !== 1) {
    throw new Error('the re-run changed the ARN table or duplicated the asset');
  }
  say('  the release section was rewritten with the same ARN table; still one asset');

  say(bold('\njob 3: rollout (functions tagged lambda-layer-release:hello-layer follow the release)'));
  const before = await greeterLayers();
  const rollout = await runAction('rollout', { name: 'hello-layer', regions: REGIONS.join(',') }, jobEnv(4));
  printLog('rollout', rollout);
  check('rollout', rollout);
  const after = await greeterLayers();
  say(`  greeter in us-east-1, before: ${before.join(', ')}`);
  say(`  greeter in us-east-1, after:  ${after.join(', ')}`);
  say(`  updated = ${rollout.outputs.updated}`);
  if (after.join() !== [deps, arns['us-east-1']].join()) {
    throw new Error('the rollout did not move greeter to the new version with its other layer kept in front');
  }
  lambdaUs.destroy();

  const resultRecord = JSON.parse(await readFile(publish.outputs['result-path'], 'utf8')) as { version: string };
  say(
    bold(
      `\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s: hello-layer ${resultRecord.version} in ${REGIONS.length} regions, every ARN in its own region.`,
    ),
  );
} catch (err) {
  process.exitCode = 1;
  say(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}
