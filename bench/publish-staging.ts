/**
 * The staging part of `npm run bench -- publish`: what a staged publish sends and holds.
 *  - bytes the publish process writes (the kernel's wchar at exit: sockets and files) and the S3 request bytes the
 *    emulator received, for a 60 MB incompressible zip to 16 regions, against the zip's size (before: one upload
 *    per region, 16x);
 *  - its wall beside the same zip staged to one region and beside the inline path (45 MB, the inline limit's side);
 *  - peak RSS of a 200 MB zip staged to 16 regions.
 * Goals: bytes <= 1.3x the zip; peak RSS <= 600 MiB.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { craftZip } from '../__fixtures__/zip-craft.js';
import type { RunningEmulator } from '../emulators/index.js';

const MiB = 1024 * 1024;
export const STAGING_GOALS = { bytes: 1.3, rssMiB: 600 };

export interface MeasuredRun {
  wallMs: number;
  rssMiB: number;
  wchar: number;
  s3BytesIn: number;
  publishes: number;
}

type Publish = (inputs: Record<string, string>) => Promise<MeasuredRun>;

export async function stagingBench(
  emu: RunningEmulator,
  work: string,
  regions: string[],
  publish: Publish,
  inline45x16: MeasuredRun,
): Promise<string[]> {
  for (const region of regions) emu.aws.s3.create(`bench-stage-${region}`, region, '123456789012');
  const zip60 = craftZip([{ name: 'python/blob.bin', stored: true, data: randomBytes(60 * MiB) }]);
  await writeFile(path.join(work, 'staged60.zip'), zip60);
  const base = { version: '1.0.0', 'share-with': 'public', 's3-bucket': 'bench-stage-{region}' };
  const sixteen = await publish({ ...base, zip: 'staged60.zip', name: 'bench-staged-16', regions: regions.join(' ') });
  const one = await publish({ ...base, zip: 'staged60.zip', name: 'bench-staged-1', regions: regions[0] });
  // 200 MB (under Lambda's 250 MB unzipped): written, measured, and dropped before the next zip is made.
  await writeFile(
    path.join(work, 'staged200.zip'),
    craftZip([{ name: 'python/blob.bin', stored: true, data: randomBytes(200 * MiB) }]),
  );
  const big = await publish({ ...base, zip: 'staged200.zip', name: 'bench-staged-200', regions: regions.join(' ') });
  const size = zip60.length;
  const wrote = sixteen.wchar / size;
  const received = sixteen.s3BytesIn / size;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  return [
    `  staged 60 MB x 16: ${s(sixteen.wallMs)}; 1 region ${s(one.wallMs)}; inline 45 MB x 16 ${s(inline45x16.wallMs)}; process wrote ${(sixteen.wchar / MiB).toFixed(1)} MiB, S3 received ${(sixteen.s3BytesIn / MiB).toFixed(1)} MiB, zip ${(size / MiB).toFixed(1)} MiB`,
    `  staged 200 MB x 16: ${s(big.wallMs)}, peak RSS ${big.rssMiB.toFixed(0)} MiB`,
    `  bytes written / zip, 60 MB x 16 staged   ${wrote.toFixed(2)}x  (goal <= ${STAGING_GOALS.bytes}: ${verdict(wrote <= STAGING_GOALS.bytes)}; S3 received ${received.toFixed(2)}x)`,
    `  staged 16 regions / 1 region             ${(sixteen.wallMs / one.wallMs).toFixed(2)}x`,
    `  staged 60 MB x 16 / inline 45 MB x 16    ${(sixteen.wallMs / inline45x16.wallMs).toFixed(2)}x`,
    `  peak RSS 200 MB x 16 staged              ${big.rssMiB.toFixed(0)} MiB (goal <= ${STAGING_GOALS.rssMiB}: ${verdict(big.rssMiB <= STAGING_GOALS.rssMiB)})`,
  ];
}
