/**
 * npm run bench -- zip-check: the inspection every layer zip gets before publish (src/layer/ready-zip.ts).
 *
 * - 4 MB of zip that inflates to 4 GiB, declaring it: ours refuses it from the central directory; the peer is what
 *   the inspection did before (inflate every entry to check it, then compare the sum with Lambda's limit).
 * - the same 4 GiB behind declared sizes of 1000 bytes: ours stops at the 1001st byte of the first entry.
 * - a real layer zip (this repository's node_modules/@aws-sdk, zipped by our build): ours against Info-ZIP
 *   `unzip -tq`, which also inflates and CRC-checks every entry.
 * Goals: bombs refused in under 100 ms; the real zip in at most 1.5x unzip -t's wall.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { craftZip, gigabyteBomb } from '../__fixtures__/zip-craft.js';
import { inspectZip } from '../src/layer/ready-zip.js';
import { buildLayer } from '../src/layer/build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GOALS = { bombMs: 100, realRatio: 1.5 };
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; outcome: string }> {
  const start = performance.now();
  let outcome = 'accepted';
  try {
    await fn();
  } catch (err) {
    outcome = `refused: ${(err as Error).message.replace(/^.*is not a usable layer zip: /, '').slice(0, 90)}`;
  }
  return { ms: performance.now() - start, outcome };
}

/** The inspection before this change: every entry inflated in full, the sizes compared only at the end. */
async function inflateAll(file: string): Promise<number> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(stream, new Writable({ write: (chunk: Buffer, _e, done) => ((total += chunk.length), done()) }));
    }
  } finally {
    zip.close();
  }
  if (total > 262_144_000) throw new Error(`is not a usable layer zip: ${total} bytes unzipped`);
  return total;
}

function line(label: string, m: { ms: number; outcome: string }): void {
  process.stdout.write(`  ${label.padEnd(44)} ${m.ms.toFixed(0).padStart(7)} ms  ${m.outcome}\n`);
}

export async function run(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'llr-bench-zip-'));
  try {
    const bomb = path.join(work, 'bomb.zip');
    await writeFile(bomb, gigabyteBomb({ trueCrc: true }));
    const liar = path.join(work, 'liar.zip');
    await writeFile(liar, craftZip([{ name: 'python/a.bin', zerosMiB: 4096 / 2, declaredSize: 1000, crc: 0 }]));
    process.stdout.write(`bench zip-check: bomb ${(await readFile(bomb)).length} bytes -> 4 GiB\n`);
    const ours = await timed(async () => inspectZip({ source: await readFile(bomb), where: 'bomb.zip' }));
    line('4 GiB declared, ours', ours);
    line('4 GiB declared, inflate all (before)', await timed(() => inflateAll(bomb)));
    const lying = await timed(async () => inspectZip({ source: await readFile(liar), where: 'liar.zip' }));
    line('2 GiB declared as 1000 bytes, ours', lying);

    const real = await realZip(work);
    const bytes = await readFile(real.zip);
    const oursRuns: number[] = [];
    const unzipRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      oursRuns.push((await timed(() => inspectZip({ source: bytes, where: 'real.zip' }))).ms);
      const start = performance.now();
      spawnSync('unzip', ['-tq', real.zip], { stdio: 'ignore' });
      unzipRuns.push(performance.now() - start);
    }
    const oursReal = { ms: median(oursRuns), outcome: `accepted (median of ${RUNS})` };
    const unzip = { ms: median(unzipRuns), outcome: `tested (median of ${RUNS})` };
    process.stdout.write(
      `  real layer zip: ${real.files} files, ${(real.unzipped / 2 ** 20).toFixed(1)} MiB unzipped\n`,
    );
    line('real zip, ours', oursReal);
    line('real zip, unzip -tq', unzip);
    const ratio = oursReal.ms / unzip.ms;
    const ok = ours.ms < GOALS.bombMs && lying.ms < GOALS.bombMs && ratio <= GOALS.realRatio;
    process.stdout.write(
      `  ratio ours/unzip -t on the real zip: ${ratio.toFixed(2)}x; goals (bombs < ${GOALS.bombMs} ms, real <= ${GOALS.realRatio}x): ${ok ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A layer zip of real package content: a few of this repository's dependencies, zipped by our build. */
async function realZip(work: string): Promise<{ zip: string; files: number; unzipped: number }> {
  const source = path.join(ROOT, 'node_modules', '@aws-sdk');
  const built = await buildLayer(
    {
      name: 'real',
      version: '1.0.0',
      path: source,
      outputDir: path.join(work, 'out'),
      layout: { kind: 'prefix', prefix: 'nodejs/node_modules/@aws-sdk' },
      exclude: [],
      runtimes: [],
      architectures: [],
      description: '',
      licenseInfo: '',
      commit: '',
      ref: '',
      runId: '',
      epochSeconds: 315532800,
    },
    { info: () => undefined, warning: () => undefined },
  );
  return { zip: built.zipPath, files: built.manifest.files, unzipped: built.manifest.unzippedSize };
}
