/**
 * npm run bench -- build: our layer zip against Info-ZIP `zip -qrX -6` on the same tree of real package content
 * (whole packages of this repository's node_modules, taken in sorted order until the tree holds at least 100 MB and
 * 10,000 files). Each tool runs several times, alternating, on a warm page cache; medians are compared.
 * Goals on the 2-core dev machine: wall <= 0.9x Info-ZIP's, size <= 1.01x, our peak RSS <= 400 MiB.
 */
import { spawn } from 'node:child_process';
import { copyFile, lstat, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIN_BYTES = 110 * 1024 * 1024;
const MIN_FILES = 12_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOALS = { wall: 0.9, size: 1.01, rssMiB: 400 };

interface Measure {
  wallMs: number;
  size: number;
  rssKiB?: number;
}

export async function run(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'llr-bench-build-'));
  try {
    const tree = path.join(work, 'tree');
    const { files, bytes } = await copyTree(path.join(ROOT, 'node_modules'), tree);
    process.stdout.write(
      `bench build: tree of ${files} files, ${(bytes / 2 ** 20).toFixed(1)} MiB, ${RUNS} runs each\n`,
    );
    const ours: Measure[] = [];
    const infoZip: Measure[] = [];
    const library: Measure[] = [];
    await childBuild('ours', tree, path.join(work, 'warmup')); // page cache and tsx compile cache
    for (let i = 0; i < RUNS; i++) {
      infoZip.push(await zipBuild(tree, path.join(work, `iz-${i}.zip`)));
      ours.push(await childBuild('ours', tree, path.join(work, `ours-${i}`)));
      // The library peer once per two runs: it is slow, and only its ratio is wanted.
      if (i % 2 === 0) library.push(await childBuild('archiver', tree, path.join(work, `lib-${i}`)));
      for (const name of [`iz-${i}.zip`, `ours-${i}`, `lib-${i}`])
        await rm(path.join(work, name), { recursive: true, force: true });
    }
    report(ours, infoZip, library);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Whole top-level packages (scoped ones count as one each), sorted, regular files only, until the minimums hold. */
async function copyTree(from: string, to: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const packages: string[] = [];
  for (const name of (await readdir(from)).sort()) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@'))
      packages.push(...(await readdir(path.join(from, name))).sort().map((p) => `${name}/${p}`));
    else packages.push(name);
  }
  for (const pkg of packages) {
    if (files >= MIN_FILES && bytes >= MIN_BYTES) break;
    for (const rel of await listFiles(path.join(from, pkg))) {
      const dest = path.join(to, pkg, rel);
      await mkdir(path.dirname(dest), { recursive: true });
      await copyFile(path.join(from, pkg, rel), dest);
      files++;
      bytes += (await stat(dest)).size;
    }
  }
  if (files < MIN_FILES || bytes < MIN_BYTES) throw new Error(`node_modules is too small for the benchmark tree`);
  return { files, bytes };
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of (await readdir(dir, { recursive: true })).sort()) {
    if ((await lstat(path.join(dir, rel))).isFile()) out.push(rel);
  }
  return out;
}

function spawnTimed(command: string, args: string[], cwd: string): Promise<{ wallMs: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
      else resolve({ wallMs: performance.now() - started, stdout });
    });
  });
}

async function zipBuild(tree: string, out: string): Promise<Measure> {
  const { wallMs } = await spawnTimed('zip', ['-qrX', '-6', out, '.'], tree);
  return { wallMs, size: (await stat(out)).size };
}

/** A build in its own process, as the action runs it; the child reports its wall time and peak RSS. */
async function childBuild(tool: 'ours' | 'archiver', tree: string, outDir: string): Promise<Measure> {
  const child = path.join(ROOT, 'bench/build-child.ts');
  const { stdout } = await spawnTimed(process.execPath, ['--import', 'tsx', child, tool, tree, outDir], ROOT);
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as Measure;
  return result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function report(ours: Measure[], infoZip: Measure[], library: Measure[]): void {
  const wall = median(ours.map((m) => m.wallMs)) / median(infoZip.map((m) => m.wallMs));
  const libraryWall = median(library.map((m) => m.wallMs)) / median(infoZip.map((m) => m.wallMs));
  const size = median(ours.map((m) => m.size)) / median(infoZip.map((m) => m.size));
  const rssMiB = Math.max(...ours.map((m) => m.rssKiB ?? 0)) / 1024;
  const line = (name: string, ms: Measure[]) =>
    `  ${name.padEnd(9)} wall ms ${ms.map((m) => m.wallMs.toFixed(0)).join(' ')}  size ${ms[0].size}\n`;
  process.stdout.write(line('info-zip', infoZip) + line('ours', ours) + line('archiver', library));
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  process.stdout.write(
    `  wall ratio ${wall.toFixed(3)} (goal <= ${GOALS.wall}: ${verdict(wall <= GOALS.wall)})\n` +
      `  size ratio ${size.toFixed(4)} (goal <= ${GOALS.size}: ${verdict(size <= GOALS.size)})\n` +
      `  peak RSS ${rssMiB.toFixed(0)} MiB (goal <= ${GOALS.rssMiB}: ${verdict(rssMiB <= GOALS.rssMiB)})\n` +
      `  archiver (a zip library, one entry at a time) wall ratio ${libraryWall.toFixed(3)}: why src/layer/zip.ts writes its own zip\n`,
  );
}
