import { describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../src/errors.js';
import { parseManifest, MANIFEST_FILE } from '../src/layer/manifest.js';
import { build, makeTree, pythonEntries, tempDir } from '../__fixtures__/layer-support.js';

/** Writes a zip with Python's zipfile: an independent writer that lets a test put anything in the names. */
function pythonZip(zipPath: string, entries: { name: string; data?: string; mode?: number; method?: string }[]): void {
  const script = [
    'import json, sys, zipfile',
    'entries = json.loads(sys.argv[2])',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '  for e in entries:',
    '    info = zipfile.ZipInfo(e["name"], (2020, 1, 1, 0, 0, 0))',
    '    info.external_attr = e.get("mode", 0o100644) << 16',
    '    info.compress_type = getattr(zipfile, e.get("method", "ZIP_DEFLATED"))',
    '    z.writestr(info, e.get("data", ""))',
  ].join('\n');
  execFileSync('python3', ['-W', 'ignore', '-c', script, zipPath, JSON.stringify(entries)]);
}

const flip = (data: Buffer, at: number) =>
  Buffer.concat([data.subarray(0, at), Buffer.from([data[at] ^ 0x01]), data.subarray(at + 1)]);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('a folder', () => {
  test('wrapped for its runtimes, with manifest and outputs', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), {
      'requests/__init__.py': 'import sys\n'.repeat(100),
      'requests/__pycache__/x.pyc': 'x',
      'six.py': 'x = 6\n',
    });
    const result = await build(src, {
      layout: { kind: 'auto' },
      runtimes: ['python3.12', 'python3.13'],
      architectures: ['arm64'],
      description: 'HTTP for Humans',
      licenseInfo: 'Apache-2.0',
    });
    expect(result.layout).toMatchObject({ prefix: 'python', how: 'wrapped' });
    expect(pythonEntries(result.zipPath).map((e) => e.name)).toEqual([
      'python/',
      'python/requests/',
      'python/requests/__init__.py',
      'python/six.py',
    ]);
    const zip = await readFile(result.zipPath);
    expect(await readdir(path.dirname(result.zipPath))).toEqual(['manifest.json', 'test-layer-1.0.0.zip']);
    const manifest = parseManifest(await readFile(result.manifestPath, 'utf8'), MANIFEST_FILE);
    expect(manifest).toEqual({
      schema: 1,
      name: 'test-layer',
      version: '1.0.0',
      sha256: sha256(zip),
      codeSha256: createHash('sha256').update(zip).digest('base64'),
      size: zip.length,
      unzippedSize: 1100 + 6,
      files: 2,
      runtimes: ['python3.12', 'python3.13'],
      architectures: ['arm64'],
      description: 'HTTP for Humans',
      licenseInfo: 'Apache-2.0',
      commit: 'c0ffee',
      ref: 'refs/tags/v1.0.0',
      runId: '7',
      zipFile: 'test-layer-1.0.0.zip',
    });
    expect(result.folders).toEqual([
      { path: 'python/requests', bytes: 1100, files: 1 },
      { path: 'python/six.py', bytes: 6, files: 1 },
    ]);
  });

  test('an explicit prefix', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'pkg/a.py': 'a' });
    const result = await build(src, { layout: { kind: 'prefix', prefix: 'python/lib/python3.12/site-packages' } });
    expect(pythonEntries(result.zipPath).map((e) => e.name)).toEqual([
      'python/',
      'python/lib/',
      'python/lib/python3.12/',
      'python/lib/python3.12/site-packages/',
      'python/lib/python3.12/site-packages/pkg/',
      'python/lib/python3.12/site-packages/pkg/a.py',
    ]);
  });

  test.each<[string, () => Promise<string>, string]>([
    ['missing', async () => path.join(await tempDir(), 'nope'), 'does not exist'],
    [
      'a plain file',
      async () => makeTree(await tempDir(), { 'a.txt': 'a' }).then((d) => path.join(d, 'a.txt')),
      'must be a folder or a .zip file',
    ],
    ['empty', async () => makeTree(await tempDir(), { 'x/__pycache__/a.pyc': 'x' }), 'holds no files after'],
  ])('refuses a path that is %s', async (_name, makePath, message) => {
    await expect(build(await makePath())).rejects.toThrow(message);
  });

  test('refuses more than 262,144,000 bytes unzipped before writing any zip', async () => {
    const dir = await tempDir();
    const src = path.join(dir, 'src');
    await makeTree(src, { 'lib/small': 'x' });
    // a sparse file: large on paper, nothing on disk
    execFileSync('truncate', ['-s', '262144000', path.join(src, 'lib/huge.bin')]);
    const outputDir = path.join(dir, 'out');
    await expect(build(src, { outputDir })).rejects.toThrow(
      "Input 'path': " + src + ' is 262144001 bytes unzipped; Lambda allows at most 262144000 bytes',
    );
    await expect(readdir(outputDir)).rejects.toThrow(/ENOENT/);
  });

  test('an output folder inside the source is left out of the zip', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'python/a.py': 'a', 'out/stale.zip': 'old' });
    const result = await build(src, { outputDir: path.join(src, 'out') });
    expect(pythonEntries(result.zipPath).map((e) => e.name)).toEqual(['python/', 'python/a.py']);
    expect(await readdir(path.join(src, 'out'))).toEqual(['manifest.json', 'test-layer-1.0.0.zip']);
  });

  test('warns about extensions that cannot run', async () => {
    const src = await makeTree(path.join(await tempDir(), 'src'), { 'extensions/agent': '#!/bin/sh\n' });
    const result = await build(src);
    expect(result.warningsLogged).toEqual([expect.stringContaining('extensions/agent is not executable')]);
  });

  test('a zip above the inline upload limit builds, with a warning for publish', async () => {
    const dir = await tempDir();
    const src = path.join(dir, 'src');
    await makeTree(src, {});
    await writeFile(path.join(src, 'blob.bin'), randomBytes(51 * 1024 * 1024));
    const result = await build(src);
    expect(result.manifest.size).toBeGreaterThan(51 * 1024 * 1024);
    expect(result.warningsLogged).toEqual([expect.stringContaining("publish will need 's3-bucket'")]);
  });
});

describe('a ready zip', () => {
  test('made by Info-ZIP: validated and used byte for byte', async () => {
    const dir = await tempDir();
    await makeTree(path.join(dir, 'content'), {
      'python/a.py': 'a',
      'python/b/c.py': 'c'.repeat(1000),
      'lib/x': { link: '../python/a.py' },
    });
    execFileSync('zip', ['-qry', path.join(dir, 'layer.zip'), '.'], { cwd: path.join(dir, 'content') });
    const original = await readFile(path.join(dir, 'layer.zip'));
    const result = await build(path.join(dir, 'layer.zip'), { layout: { kind: 'auto' }, runtimes: ['python3.12'] });
    expect(result.ready).toBe(true);
    expect((await readFile(result.zipPath)).equals(original)).toBe(true);
    expect(result.manifest).toMatchObject({
      sha256: sha256(original),
      size: original.length,
      files: 3,
      unzippedSize: 1 + 1000 + 14,
    });
  });

  test.each<[string, { name: string; data?: string; mode?: number; method?: string }[], string]>([
    ['an absolute path', [{ name: '/etc/cron.d/x', data: 'x' }], 'absolute path'],
    ['a .. path', [{ name: 'python/../../x', data: 'x' }], "climbs out of the layer with '..'"],
    ['a backslash', [{ name: 'python\\x.py', data: 'x' }], 'has a backslash in its name'],
    [
      'a duplicate',
      [
        { name: 'python/a.py', data: 'a' },
        { name: 'python/a.py', data: 'b' },
      ],
      "'python/a.py' appears twice",
    ],
    ['a symlink out', [{ name: 'python/a', data: '../../../etc/passwd', mode: 0o120777 }], 'leaves the folder'],
    ['an absolute symlink', [{ name: 'python/a', data: '/etc/passwd', mode: 0o120777 }], 'is absolute'],
    ['bzip2', [{ name: 'python/a.py', data: 'a', method: 'ZIP_BZIP2' }], 'compression method 12'],
    ['no files', [{ name: 'python/', mode: 0o40755 }], 'holds no files'],
  ])('refuses %s', async (_name, entries, message) => {
    const zip = path.join(await tempDir(), 'layer.zip');
    pythonZip(zip, entries);
    const error = await build(zip).catch((err: Error) => err);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Input 'path': /);
    expect((error as Error).message).toContain(message);
  });

  test.each<[string, (zip: Buffer) => Buffer, string]>([
    // local header: 30 bytes, then the name 'python/a.py' (11), then the data
    ['a flipped data byte', (zip) => flip(zip, 45), 'fails its CRC check'],
    ['another name in the local header', (zip) => flip(zip, 40), 'has another name in its local header'],
    ['a truncated file', (zip) => zip.subarray(0, zip.length - 30), 'not a usable layer zip'],
    ['not a zip', () => Buffer.from('hello'), 'not a usable layer zip'],
  ])('refuses %s', async (_name, damage, message) => {
    const dir = await tempDir();
    const zip = path.join(dir, 'layer.zip');
    pythonZip(zip, [{ name: 'python/a.py', data: 'print(1)\n'.repeat(20), method: 'ZIP_STORED' }]);
    await writeFile(zip, damage(await readFile(zip)));
    await expect(build(zip)).rejects.toThrow(message);
  });

  test.each<[string, object, string | undefined]>([
    [
      'auto refuses files no runtime reads',
      { layout: { kind: 'auto' }, runtimes: ['python3.12'] },
      'read them from python/',
    ],
    ['auto without runtimes cannot tell', { layout: { kind: 'auto' } }, 'cannot tell'],
    ['none takes it as is', { layout: { kind: 'none' }, runtimes: ['python3.12'] }, undefined],
    ['a prefix cannot be applied', { layout: { kind: 'prefix', prefix: 'python' } }, 'cannot be moved under'],
  ])('layout: %s', async (_name, overrides, message) => {
    const zip = path.join(await tempDir(), 'layer.zip');
    pythonZip(zip, [{ name: 'requests/__init__.py', data: 'x' }]);
    const run = build(zip, overrides);
    if (message) await expect(run).rejects.toThrow(message);
    else await expect(run).resolves.toMatchObject({ ready: true });
  });
});

describe('manifest', () => {
  const good = {
    schema: 1,
    name: 'n',
    version: '1.0.0',
    sha256: 'a'.repeat(64),
    codeSha256: Buffer.from('a'.repeat(64), 'hex').toString('base64'),
    size: 1,
    unzippedSize: 1,
    files: 1,
    runtimes: [],
    architectures: [],
    description: '',
    licenseInfo: '',
    commit: '',
    ref: '',
    runId: '',
    zipFile: 'n-1.0.0.zip',
  };
  test('reads back what the build writes', () => {
    expect(parseManifest(JSON.stringify(good), 'm.json')).toEqual(good);
  });
  test.each<[string, object]>([
    ['schema', { schema: 2 }],
    ['sha256', { sha256: 'xyz' }],
    ['codeSha256', { codeSha256: 'AAAA' }],
    ['size', { size: -1 }],
    ['runtimes', { runtimes: 'python3.12' }],
    ['zipFile', { zipFile: '../x.zip' }],
  ])('refuses a wrong %s', (field, patch) => {
    expect(() => parseManifest(JSON.stringify({ ...good, ...patch }), 'm.json')).toThrow(
      `'${field}' is missing or wrong`,
    );
  });
  test('refuses what is not JSON', () => {
    expect(() => parseManifest('{', 'm.json')).toThrow('m.json is not JSON');
  });
});
