/**
 * npm run bench -- publish [--latency-ms 300] [--runs 3]
 *
 * Against the emulator with every AWS request delayed by --latency-ms (a far region's round trip), the publish bundle
 * runs as its own process, as a runner runs it, publishing a zip from disk and sharing it publicly. The latency is
 * put on the AWS services only, as the peer (the AWS CLI loop) talks to nothing else: our calls to GitHub's artifact
 * service (the record for `report`) stay local, as they are near the runner on GitHub. One extra pair of runs puts
 * the latency on every service too and is printed for reference.
 *  - our wall for 16 regions and for one region (the limit: one region's chain of calls), 1 MB zip;
 *  - the seed's method with the same zip: a sequential shell loop of `aws lambda publish-layer-version` and
 *    `aws lambda add-layer-version-permission` per region, with the AWS CLI, against the same emulator;
 *  - a rerun with nothing changed (no zip sent, no version created);
 *  - our peak RSS publishing a 45 MB zip to 16 regions, and its rerun; the SDK's own serialization of the same
 *    16 uploads, for comparison;
 *  - a second peer: the same two CLI calls per region with the 16 regions' processes all at once;
 *  - staging (bench/publish-staging.ts): bytes written for 60 MB to 16 regions, walls, peak RSS of 200 MB;
 *  - with the latency on every service (GitHub's too): a rerun against a first run, and with LLR_BASELINE_BUNDLE
 *    set, the same two runs of that bundle (today's main) beside them.
 * Goals (default settings): 16 regions <= 1.3x one region; >= 8x faster than the CLI loop; rerun <= 0.5x the first
 * run's wall; peak RSS <= 1 GiB for 45 MB x 16 regions.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { craftZip } from '../__fixtures__/zip-craft.js';
import type { ServiceName } from '../emulators/http.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { lambdaRegions } from '../src/aws/partitions.js';
import { stagingBench } from './publish-staging.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REGIONS = lambdaRegions('aws').slice(0, 16);
const MiB = 1024 * 1024;
const GOALS = { fanOut: 1.3, cli: 8, rerun: 0.5, rssMiB: 1024, rerunAllLatency: 0.8 };
const AWS_SERVICES: ServiceName[] = ['lambda', 'sts', 'ec2', 'ssm', 's3'];

interface Run {
  wallMs: number;
  code: number | null;
  rssMiB: number;
  /** Bytes the process wrote (wchar: sockets and files), from the kernel at exit. */
  wchar: number;
  /** S3 request body bytes the emulator received during the run. */
  s3BytesIn: number;
  /** PublishLayerVersion requests the emulator received during the run. */
  publishes: number;
  stdout: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Peak RSS of this process, in KiB, as code to run at exit. VmHWM belongs to the process's own memory map; the
 * maxRSS of getrusage does not: Linux carries the parent's peak across fork and exec, so a child of this (large,
 * emulator-hosting) process would report the parent's size.
 */
const PEAK_RSS_KIB = `(() => { try { return Number(/VmHWM:\\s*(\\d+)/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]); } catch { return process.resourceUsage().maxRSS; } })()`;

/**
 * The kernel's I/O counters of this process at exit (/proc/self/io): `wchar` counts every byte handed to write() and
 * send(), sockets included, so it is what the process sent; `write_bytes` is what reached the disk.
 */
const IO_COUNTERS = `(() => { try { const io = require('node:fs').readFileSync('/proc/self/io', 'utf8'); return 'LLR_WCHAR=' + /wchar: (\\d+)/.exec(io)[1] + ' LLR_WRITE_BYTES=' + /write_bytes: (\\d+)/.exec(io)[1]; } catch { return ''; } })()`;

/** A wrapper that runs the bundle and reports its peak RSS and I/O counters when the process exits. */
async function wrapperFor(bundle: string, dir: string): Promise<string> {
  const file = path.join(dir, 'measure.mjs');
  await writeFile(
    file,
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n` +
      `process.on('exit', () => process.stderr.write('LLR_MAXRSS_KIB=' + ${PEAK_RSS_KIB} + '\\n' + ${IO_COUNTERS} + '\\n'));\n` +
      `await import(${JSON.stringify(pathToFileURL(bundle).href)});\n`,
  );
  return file;
}

function publishesIn(emu: RunningEmulator, from: number): number {
  return emu.server.log
    .slice(from)
    .filter((e) => e.service === 'lambda' && e.method === 'POST' && /\/layers\/[^/]+\/versions$/.test(e.path)).length;
}

type RunAction = typeof import('../__fixtures__/action.js').runAction;

async function ours(
  runAction: RunAction,
  emu: RunningEmulator,
  work: string,
  inputs: Record<string, string>,
  bundle?: string,
): Promise<Run> {
  const from = emu.server.log.length;
  process.stdout.write(`  . ${inputs.name} (${inputs.regions.split(' ').length} regions)\n`);
  emu.server.traffic.reset();
  const started = performance.now();
  const result = await runAction('publish', inputs, emu.env, {
    cwd: work,
    timeoutMs: 600_000,
    ...(bundle ? { bundle } : {}),
  });
  const wallMs = performance.now() - started;
  const rss = Number(/LLR_MAXRSS_KIB=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024;
  const wchar = Number(/LLR_WCHAR=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  if (result.code !== 0) throw new Error(`publish failed: ${result.errors.join('; ')}\n${result.stderr}`);
  const s3BytesIn = emu.server.traffic.report().services.s3?.bytesIn ?? 0;
  return {
    wallMs,
    code: result.code,
    rssMiB: rss,
    wchar,
    s3BytesIn,
    publishes: publishesIn(emu, from),
    stdout: result.stdout,
  };
}

/**
 * The seed's method: one `aws` process per call, region after region; `parallel`: the same two calls per region, the
 * 16 regions' `aws lambda publish-layer-version` processes all at once (a shell's `&` and `wait`).
 */
async function cliLoop(
  emu: RunningEmulator,
  work: string,
  zip: string,
  name: string,
  parallel = false,
): Promise<number> {
  const perRegion = [
    `v=$(aws lambda publish-layer-version --endpoint-url "$EP" --region "$region" --layer-name ${name} --zip-file fileb://${zip} --query Version --output text)`,
    `aws lambda add-layer-version-permission --endpoint-url "$EP" --region "$region" --layer-name ${name} --version-number "$v" --statement-id public --action lambda:GetLayerVersion --principal '*' >/dev/null`,
  ];
  const script = [
    'set -euo pipefail',
    `for region in ${REGIONS.join(' ')}; do`,
    ...(parallel ? ['  (', ...perRegion.map((l) => `    ${l}`), '  ) &'] : perRegion.map((l) => `  ${l}`)),
    'done',
    ...(parallel ? ['for job in $(jobs -p); do wait "$job"; done'] : []),
  ].join('\n');
  await writeFile(path.join(work, 'empty'), '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    EP: emu.url,
    AWS_CONFIG_FILE: path.join(work, 'empty'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'empty'),
    AWS_ACCESS_KEY_ID: emu.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: emu.env.AWS_SECRET_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`CLI loop failed: ${stderr}`))));
  });
  return performance.now() - started;
}

/**
 * The same 16 uploads of the 45 MB zip with the SDK serializing each request itself (no shared body). Spawned
 * asynchronously: the emulator answering it lives in this process.
 */
async function sdkOwnSerializationRssMiB(emu: RunningEmulator, zip: string): Promise<number> {
  const code = `
    import { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    import { LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
    import { readFileSync } from 'node:fs';
    const zip = readFileSync(${JSON.stringify(zip)});
    const regions = ${JSON.stringify(REGIONS)};
    await Promise.all(regions.map((region) => new LambdaClient({ region, maxAttempts: 1 })
      .send(new PublishLayerVersionCommand({ LayerName: 'bench-sdk', Content: { ZipFile: zip } }))));
    process.stdout.write(String(${PEAK_RSS_KIB}));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, ...emu.env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  return Number(stdout.trim()) / 1024;
}

export async function run(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== 'publish'),
    options: { 'latency-ms': { type: 'string' }, runs: { type: 'string' } },
    strict: false,
  });
  const latencyMs = Number(values['latency-ms'] ?? 300);
  const runs = Number(values.runs ?? 3);
  const bundle = path.resolve(process.env.LLR_BUNDLE ?? path.join(ROOT, 'dist/index.js'));
  if (!existsSync(bundle)) throw new Error(`No bundle at ${bundle}: run npm run bundle, or set LLR_BUNDLE`);
  const work = await mkdtemp(path.join(tmpdir(), 'llr-bench-publish-'));
  process.env.LLR_BUNDLE = await wrapperFor(bundle, work);
  const { runAction } = await import('../__fixtures__/action.js');
  const emu = await startEmulator({ latencyMs, latencyServices: AWS_SERVICES });
  try {
    await writeFile(
      path.join(work, 'small.zip'),
      craftZip([{ name: 'python/blob.bin', stored: true, data: randomBytes(MiB) }]),
    );
    await writeFile(
      path.join(work, 'big.zip'),
      craftZip([{ name: 'python/blob.bin', stored: true, data: randomBytes(45 * MiB) }]),
    );
    const base = { zip: 'small.zip', version: '1.0.0', 'share-with': 'public' };
    process.stdout.write(
      `bench publish: bundle ${path.relative(ROOT, bundle)}, AWS latency ${latencyMs} ms, ${runs} runs\n`,
    );

    await ours(runAction, emu, work, { ...base, name: 'bench-warmup', regions: REGIONS[0] });
    const sixteen: Run[] = [];
    const one: Run[] = [];
    const rerun: Run[] = [];
    for (let i = 0; i < runs; i++) {
      sixteen.push(await ours(runAction, emu, work, { ...base, name: `bench-16-${i}`, regions: REGIONS.join(' ') }));
      one.push(await ours(runAction, emu, work, { ...base, name: `bench-1-${i}`, regions: REGIONS[0] }));
      rerun.push(await ours(runAction, emu, work, { ...base, name: `bench-16-${i}`, regions: REGIONS.join(' ') }));
    }
    const cliMs = await cliLoop(emu, work, path.join(work, 'small.zip'), 'bench-cli');
    const cliParallelMs = await cliLoop(emu, work, path.join(work, 'small.zip'), 'bench-cli-parallel', true);
    const bigInputs = { ...base, zip: 'big.zip', name: 'bench-big', regions: REGIONS.join(' ') };
    const big = await ours(runAction, emu, work, bigInputs);
    const bigRerun = await ours(runAction, emu, work, bigInputs);
    const sdkRss = await sdkOwnSerializationRssMiB(emu, path.join(work, 'big.zip'));
    const staging = await stagingBench(emu, work, REGIONS, (inputs) => ours(runAction, emu, work, inputs), big);
    emu.server.latencyServices = undefined;
    // With every service slow, a rerun against a first run, `runs` pairs (medians: one pair is noisy); with
    // LLR_BASELINE_BUNDLE, another build (today's main, say) through the same pairs, for "no slower than today".
    const baselineBundle = process.env.LLR_BASELINE_BUNDLE;
    const baselineWrapper = baselineBundle
      ? await wrapperFor(path.resolve(baselineBundle), await mkdtemp(path.join(work, 'baseline-')))
      : undefined;
    const allFirst: Run[] = [];
    const allRerun: Run[] = [];
    const baseline = { first: [] as Run[], rerun: [] as Run[] };
    for (let i = 0; i < runs; i++) {
      const allInputs = { ...base, name: `bench-all-latency-${i}`, regions: REGIONS.join(' ') };
      allFirst.push(await ours(runAction, emu, work, allInputs));
      allRerun.push(await ours(runAction, emu, work, allInputs));
      if (baselineWrapper) {
        const inputs = { ...allInputs, name: `bench-all-latency-baseline-${i}` };
        baseline.first.push(await ours(runAction, emu, work, inputs, baselineWrapper));
        baseline.rerun.push(await ours(runAction, emu, work, inputs, baselineWrapper));
      }
    }

    const m = (rs: Run[]) => median(rs.map((r) => r.wallMs));
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    const allRatio = m(allRerun) / m(allFirst);
    const fanOut = m(sixteen) / m(one);
    const cli = cliMs / m(sixteen);
    const rerunSmall = m(rerun) / m(sixteen);
    const rerunBig = bigRerun.wallMs / big.wallMs;
    const out = [
      `  1 MB zip, public: 16 regions ${s(m(sixteen))} (${sixteen.map((r) => s(r.wallMs)).join(', ')}), 1 region ${s(m(one))}, AWS CLI loop ${s(cliMs)}`,
      `  1 MB rerun: ${s(m(rerun))}, PublishLayerVersion sent ${rerun.reduce((a, r) => a + r.publishes, 0)} times`,
      `  45 MB x 16: first ${s(big.wallMs)} peak RSS ${big.rssMiB.toFixed(0)} MiB (${big.publishes} uploads); rerun ${s(bigRerun.wallMs)} peak RSS ${bigRerun.rssMiB.toFixed(0)} MiB, PublishLayerVersion sent ${bigRerun.publishes} times`,
      `  the SDK serializing each of the 16 uploads itself: peak RSS ${sdkRss.toFixed(0)} MiB`,
      `  16 parallel aws CLI processes (publish + permission per region, all at once): ${s(cliParallelMs)}`,
      `  every service at ${latencyMs} ms (GitHub's too): 16 regions ${s(m(allFirst))} (CLI loop / ours ${(cliMs / m(allFirst)).toFixed(1)}x), rerun ${s(m(allRerun))} (${allRerun.map((r) => s(r.wallMs)).join(', ')})` +
        (baselineWrapper ? `; baseline bundle: first ${s(m(baseline.first))}, rerun ${s(m(baseline.rerun))}` : ''),
      ...staging,
      `  16 regions / 1 region      ${fanOut.toFixed(2)}x  (goal <= ${GOALS.fanOut}: ${verdict(fanOut <= GOALS.fanOut)})`,
      `  CLI loop / ours (16)       ${cli.toFixed(1)}x  (goal >= ${GOALS.cli}: ${verdict(cli >= GOALS.cli)})`,
      `  parallel CLI / ours (16)   ${(cliParallelMs / m(sixteen)).toFixed(1)}x`,
      `  rerun / first, all services at ${latencyMs} ms  ${allRatio.toFixed(2)}x  (goal <= ${GOALS.rerunAllLatency}: ${verdict(allRatio <= GOALS.rerunAllLatency)})` +
        (baselineWrapper
          ? `; first / baseline first ${(m(allFirst) / m(baseline.first)).toFixed(2)}x (goal <= 1: ${verdict(m(allFirst) <= m(baseline.first) * 1.05)}), baseline rerun / first ${(m(baseline.rerun) / m(baseline.first)).toFixed(2)}x`
          : ''),
      `  rerun / first, 45 MB       ${rerunBig.toFixed(2)}x  (goal <= ${GOALS.rerun}: ${verdict(rerunBig <= GOALS.rerun && bigRerun.publishes === 0)})`,
      `  rerun / first, 1 MB        ${rerunSmall.toFixed(2)}x  (no zip sent: ${verdict(rerun.every((r) => r.publishes === 0))})`,
      `  peak RSS 45 MB x 16        ${big.rssMiB.toFixed(0)} MiB (goal <= ${GOALS.rssMiB}: ${verdict(big.rssMiB <= GOALS.rssMiB)})`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await emu.stop();
    await rm(work, { recursive: true, force: true });
  }
}
