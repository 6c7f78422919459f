import { describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { chown, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeZip, type ZipSource } from '../src/layer/zip.js';
import { dosTime } from '../src/layer/zip-format.js';
import { build, makeTree, pythonEntries, tempDir, unzipTest, type Node } from '../__fixtures__/layer-support.js';

const text = (n: number) => Array.from({ length: n }, (_, i) => `line ${i} of a compressible file\n`).join('');

const CONTENT: Record<string, Node> = {
  'python/pkg/__init__.py': 'from .core import run\n',
  'python/pkg/core.py': text(2000),
  'python/pkg/data.bin': randomBytes(50_000),
  'python/pkg/empty.txt': '',
  'bin/tool': { content: '#!/bin/sh\necho tool\n', mode: 0o755 },
  'bin/tool-link': { link: 'tool' },
  'lib/libx.so.1': randomBytes(3000),
  'lib/libx.so': { link: 'libx.so.1' },
  'python/ünïcode-名前.py': 'x = 1\n',
  'empty-dir': { dir: true },
};

describe('deterministic zip', () => {
  test('same content, different mtimes, permissions, owners and creation order: identical bytes', async () => {
    const a = await makeTree(path.join(await tempDir(), 'a'), CONTENT);
    const reversed = Object.fromEntries(Object.entries(CONTENT).reverse());
    const b = await makeTree(path.join(await tempDir(), 'b'), reversed);
    // Different mtimes everywhere, group/other bits that do not survive, another owner when we may chown.
    await utimes(path.join(b, 'python/pkg/core.py'), new Date('2001-02-03'), new Date('2001-02-03'));
    await utimes(path.join(b, 'bin'), new Date('2010-01-01'), new Date('2010-01-01'));
    await writeFile(path.join(b, 'python/pkg/__init__.py'), 'from .core import run\n', { mode: 0o600 });
    if (process.getuid?.() === 0) await chown(path.join(b, 'lib/libx.so.1'), 1234, 1234);

    const [za, zb] = [await build(a), await build(b)];
    const [bytesA, bytesB] = [await readFile(za.zipPath), await readFile(zb.zipPath)];
    expect(bytesB.equals(bytesA)).toBe(true);
    expect(za.manifest.sha256).toBe(createHash('sha256').update(bytesA).digest('hex'));
    expect(za.manifest.codeSha256).toBe(createHash('sha256').update(bytesA).digest('base64'));
  });

  test('entries: sorted byte-wise, folders included, fixed modes, one timestamp, no extra fields', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), CONTENT);
    const result = await build(src);
    const entries = pythonEntries(result.zipPath);
    const names = entries.map((e) => e.name);
    expect(names).toEqual([...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    expect(names).toEqual(expect.arrayContaining(['bin/', 'empty-dir/', 'python/pkg/', 'python/ünïcode-名前.py']));
    const mode = (name: string) => entries.find((e) => e.name === name)!.mode;
    expect(mode('bin/tool')).toBe(0o100755);
    expect(mode('python/pkg/core.py')).toBe(0o100644);
    expect(mode('bin/')).toBe(0o040755);
    expect(mode('lib/libx.so')).toBe(0o120777);
    expect(new Set(entries.map((e) => e.date.join('-')))).toEqual(new Set(['1980-2-1-0-0-0']));
    expect(entries.every((e) => e.extra === 0)).toBe(true);
    // compressible text is deflated, random bytes and empty files are stored
    const method = (name: string) => entries.find((e) => e.name === name)!.method;
    expect([method('python/pkg/core.py'), method('python/pkg/data.bin'), method('python/pkg/empty.txt')]).toEqual([
      8, 0, 0,
    ]);
    expect(result.manifest.files).toBe(entries.filter((e) => !e.name.endsWith('/')).length);
    expect(unzipTest(result.zipPath)).toMatchObject({ ok: true });
  });

  test('symlinks are stored as links to their target, and extract as links', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), CONTENT);
    const result = await build(src);
    const out = await tempDir();
    const { execFileSync } = await import('node:child_process');
    execFileSync('unzip', ['-q', result.zipPath, '-d', out]);
    const { readlink } = await import('node:fs/promises');
    expect(await readlink(path.join(out, 'lib/libx.so'))).toBe('libx.so.1');
    expect((await stat(path.join(out, 'bin/tool'))).mode & 0o777).toBe(0o755);
  });

  test.each([
    [0, [1980, 1, 1, 0, 0, 0]],
    [Date.UTC(2024, 0, 2, 3, 4, 6) / 1000, [2024, 1, 2, 3, 4, 6]],
    [Date.UTC(2024, 0, 2, 3, 4, 7) / 1000, [2024, 1, 2, 3, 4, 6]], // DOS time has 2-second steps
  ])('SOURCE_DATE_EPOCH %p gives every entry %p (UTC)', async (epochSeconds, expected) => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': 'a' });
    const result = await build(src, { epochSeconds });
    expect(pythonEntries(result.zipPath).map((e) => e.date)).toEqual([expected, expected]);
  });

  test('SOURCE_DATE_EPOCH changes only the timestamp fields', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': text(50), 'python/b/c.py': 'c' });
    const one = await readFile((await build(src, { epochSeconds: 1_000_000_000 })).zipPath);
    const two = await readFile((await build(src, { epochSeconds: 1_700_000_000 })).zipPath);
    expect(two.length).toBe(one.length);
    const differing = [...one.keys()].filter((i) => one[i] !== two[i]);
    const t1 = dosTime(1_000_000_000);
    expect(differing.length).toBeGreaterThan(0);
    // each differing byte sits in a time/date field holding the first timestamp
    for (const i of differing) {
      const fieldStart = [i, i - 1, i - 2, i - 3].find(
        (s) => one.readUInt16LE(s) === t1.time && one.readUInt16LE(s + 2) === t1.date,
      );
      expect([i, fieldStart !== undefined]).toEqual([i, true]);
    }
  });
});

describe('zip format', () => {
  test('more than 65,535 entries: ZIP64 end records, read by unzip and Python', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'f.txt');
    await writeFile(file, 'same content\n');
    const entries: ZipSource[] = Array.from({ length: 66_000 }, (_, i) => ({
      name: `python/d${Math.floor(i / 1000)}/f${i}.txt`,
      kind: 'file',
      size: 13,
      executable: false,
      source: file,
    }));
    const out = path.join(dir, 'big.zip');
    const result = await writeZip(entries, out, { epochSeconds: 0 });
    expect(result).toMatchObject({ entries: 66_000, files: 66_000, unzippedSize: 66_000 * 13 });
    const bytes = await readFile(out);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // ZIP64 end of central directory
    expect(unzipTest(out)).toMatchObject({ ok: true });
    expect(pythonEntries(out)).toHaveLength(66_000);
  });

  test('a large file is deflated through a spool file and reads back whole', async () => {
    const dir = await tempDir();
    const big = path.join(dir, 'big.txt');
    await writeFile(big, text(40_000));
    const entry: ZipSource = {
      name: 'lib/big.txt',
      kind: 'file',
      size: (await stat(big)).size,
      executable: false,
      source: big,
    };
    const spooled = await writeZip([entry], path.join(dir, 'a.zip'), { epochSeconds: 0, spoolThreshold: 1024 });
    expect(spooled.size).toBeLessThan(entry.size / 5);
    expect(unzipTest(spooled.path)).toMatchObject({ ok: true });
    expect(pythonEntries(spooled.path)).toMatchObject([{ name: 'lib/big.txt', method: 8, size: entry.size }]);
    const again = await writeZip([entry], path.join(dir, 'b.zip'), { epochSeconds: 0, spoolThreshold: 1024 });
    expect(again.sha256).toBe(spooled.sha256);
  });

  test('an incompressible large file is stored', async () => {
    const dir = await tempDir();
    const big = path.join(dir, 'random.bin');
    await writeFile(big, randomBytes(300_000));
    const entry: ZipSource = { name: 'lib/random.bin', kind: 'file', size: 300_000, executable: true, source: big };
    const result = await writeZip([entry], path.join(dir, 'a.zip'), { epochSeconds: 0, spoolThreshold: 1024 });
    expect(pythonEntries(result.path)).toMatchObject([{ name: 'lib/random.bin', method: 0, mode: 0o100755 }]);
    expect(result.size).toBeLessThan(300_000 + 200);
  });

  test('a file that vanished after the walk fails the build instead of hanging it', async () => {
    const dir = await tempDir();
    const entries: ZipSource[] = Array.from({ length: 200 }, (_, i) => ({
      name: `lib/f${String(i).padStart(3, '0')}`,
      kind: 'file',
      size: 10,
      executable: false,
      source: path.join(dir, i === 150 ? 'gone' : 'here'),
    }));
    await writeFile(path.join(dir, 'here'), '0123456789');
    await expect(writeZip(entries, path.join(dir, 'a.zip'), { epochSeconds: 0 })).rejects.toThrow(/ENOENT/);
  });
});
