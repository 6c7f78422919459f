/**
 * Zips that lie, through the publish bundle as a runner runs it: every zip is inspected before any AWS call, whatever
 * a manifest beside it says (its sha256 and size are true here). Broken deflate data, symlinks to /etc, duplicate
 * names, an empty layer, `..` and absolute paths, a 300 MB bomb, a 4 MB zip of 4 GiB and a bomb that lies about its
 * sizes are all refused in one line naming the input, with no request to Lambda or STS (counted at the emulator);
 * on moto, no layer exists afterwards. The same holds for the zip of an artifact.
 */
import { ListLayersCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAction, type ActionRun } from '../__fixtures__/action.js';
import { describeOnMoto, uploadArtifact } from '../__fixtures__/emulator-support.js';
import { lambdaClient } from '../__fixtures__/release-support.js';
import { craftZip, gigabyteBomb, type CraftEntry } from '../__fixtures__/zip-craft.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { codeSha256Of, formatManifest, MANIFEST_FILE } from '../src/layer/manifest.js';

const ok: CraftEntry = { name: 'python/ok.py', data: 'print("ok")\n' };

/** [label, the zip, what the one error line says after "<where> is not a usable layer zip: "] */
const LIARS: [string, () => Buffer, RegExp][] = [
  [
    'broken deflate data',
    () => craftZip([ok, { name: 'python/b.py', data: 'x'.repeat(100), compressed: Buffer.from('not deflate at all') }]),
    /entry 'python\/b\.py' is not valid deflate data/,
  ],
  ['a wrong CRC', () => craftZip([{ ...ok, crc: 1234 }]), /entry 'python\/ok\.py' fails its CRC check/],
  [
    'a symlink to /etc',
    () => craftZip([ok, { name: 'python/passwd', data: '/etc/passwd', mode: 0o120777 }]),
    /symlink 'python\/passwd' -> '\/etc\/passwd' is absolute/,
  ],
  [
    'a symlink out of the layer',
    () => craftZip([ok, { name: 'python/up', data: '../../../etc/shadow', mode: 0o120777 }]),
    /symlink 'python\/up' -> '\.\.\/\.\.\/\.\.\/etc\/shadow' leaves the folder/,
  ],
  ['duplicate names', () => craftZip([ok, { ...ok, data: 'evil()\n' }]), /entry 'python\/ok\.py' appears twice/],
  [
    'an empty layer',
    () => craftZip([{ name: 'python/', mode: 0o40755 }]),
    /it holds no files; a layer cannot be empty/,
  ],
  ['a .. path', () => craftZip([ok, { name: 'python/../../x.py', data: 'x' }]), /climbs out of the layer with '\.\.'/],
  ['an absolute path', () => craftZip([ok, { name: '/etc/cron.d/x', data: 'x' }]), /has an absolute path/],
  ['a backslash', () => craftZip([ok, { name: 'python\\x.py', data: 'x' }]), /has a backslash in its name/],
  [
    'a 300 MB bomb',
    () => craftZip([{ name: 'python/big.bin', zerosMiB: 300, crc: 0 }]),
    /its entries declare 314572800 bytes unzipped; Lambda allows at most 262144000 bytes/,
  ],
  ['4 MB that inflate to 4 GiB', () => gigabyteBomb(), /its entries declare 4294967296 bytes unzipped/],
  [
    'a bomb that lies about its sizes',
    () => craftZip([ok, { name: 'python/liar.bin', zerosMiB: 512, declaredSize: 1000, crc: 0 }]),
    /entry 'python\/liar\.bin' inflates to more than the 1000 bytes it declares/,
  ],
];

let emu: RunningEmulator;
let ws: string;

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-zip-check-'));
});

afterAll(async () => {
  await emu?.stop();
});

/** A manifest that tells the truth about the bytes (sha256, size) and lies about the content. */
function manifestFor(zip: Buffer, name: string, zipFile: string): string {
  const sha256 = createHash('sha256').update(zip).digest('hex');
  return formatManifest({
    schema: 1,
    name,
    version: '1.0.0',
    sha256,
    codeSha256: codeSha256Of(sha256),
    size: zip.length,
    unzippedSize: 12,
    files: 1,
    runtimes: ['python3.12'],
    architectures: [],
    description: '',
    licenseInfo: '',
    commit: emu.env.GITHUB_SHA,
    ref: 'refs/tags/v1.0.0',
    runId: '1000',
    zipFile,
  });
}

/** Writes the zip with its manifest into its own folder of the workspace; returns the `zip` input. */
async function zipOnDisk(label: string, zip: Buffer): Promise<string> {
  const folder = label.replace(/[^a-z0-9]+/gi, '-');
  await mkdir(path.join(ws, folder), { recursive: true });
  await writeFile(path.join(ws, folder, 'liar-1.0.0.zip'), zip);
  await writeFile(path.join(ws, folder, MANIFEST_FILE), manifestFor(zip, 'liar', 'liar-1.0.0.zip'));
  return `${folder}/liar-1.0.0.zip`;
}

function publish(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('publish', { regions: 'us-east-1 eu-west-1', ...inputs }, { ...emu.env, ...env }, { cwd: ws });
}

function awsRequests(): number {
  return emu.server.log.filter((e) => e.service !== 'github' && e.service !== 'artifacts').length;
}

describe('zip: with a true manifest beside it is inspected all the same', () => {
  test.each(LIARS)('%s: refused before any AWS call', async (label, make, why) => {
    const input = await zipOnDisk(label, make());
    const before = awsRequests();
    const run = await publish({ zip: input });
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(`^Input 'zip': ${input.replace(/[.]/g, '\\.')} is not a usable layer zip: `),
    );
    expect(run.errors[0]).toMatch(why);
    expect(awsRequests()).toBe(before);
  });

  test('a good zip with the same manifest publishes: the inspection counts its files, not the manifest', async () => {
    const input = await zipOnDisk('good', craftZip([ok, { name: 'python/two.py', data: 'two\n' }]));
    const run = await publish({ zip: input, 'dry-run': 'true' });
    expect([run.code, run.errors]).toEqual([0, []]);
  });

  test('a zip outside the workspace is named by its absolute path, not ../../..', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'llr-outside-'));
    const file = path.join(outside, 'empty.zip');
    await writeFile(file, craftZip([{ name: 'python/', mode: 0o40755 }]));
    const run = await publish({ zip: file, name: 'liar' });
    expect(run.errors).toEqual([
      `Input 'zip': ${file} is not a usable layer zip: it holds no files; a layer cannot be empty.`,
    ]);
  });
});

describe("an artifact's zip is inspected too", () => {
  test.each(LIARS.filter(([label]) => /symlink to|lies about|4 GiB/.test(label)))(
    '%s: refused before any AWS call',
    async (label, make, why) => {
      const name = `liar-${label.replace(/[^a-z0-9]+/gi, '-')}`;
      const dir = await mkdtemp(path.join(tmpdir(), 'llr-liar-artifact-'));
      const zip = make();
      await writeFile(path.join(dir, `${name}-1.0.0.zip`), zip);
      await writeFile(path.join(dir, MANIFEST_FILE), manifestFor(zip, name, `${name}-1.0.0.zip`));
      const files = [path.join(dir, `${name}-1.0.0.zip`), path.join(dir, MANIFEST_FILE)];
      await uploadArtifact(emu.env, `lambda-layer-${name}`, files, dir);
      const before = awsRequests();
      const run = await publish({ name });
      expect(run.code).toBe(1);
      expect(run.errors).toEqual([expect.stringMatching(why)]);
      expect(run.errors[0]).toMatch(
        new RegExp(
          `^The ${name}-1\\.0\\.0\\.zip in artifact 'lambda-layer-${name}' of this run is not a usable layer zip: `,
        ),
      );
      expect(awsRequests()).toBe(before);
    },
    60_000,
  );
});

describeOnMoto('with moto as Lambda', (moto) => {
  test.each(LIARS.filter(([label]) => /deflate|duplicate|lies about/.test(label)))(
    '%s: refused, and moto holds no layer afterwards',
    async (label, make, why) => {
      const input = await zipOnDisk(`moto-${label}`, make());
      const run = await publish(
        { zip: input },
        { AWS_ENDPOINT_URL_LAMBDA: moto().url, AWS_ENDPOINT_URL_STS: moto().url },
      );
      expect(run.code).toBe(1);
      expect(run.errors).toEqual([expect.stringMatching(why)]);
      for (const region of ['us-east-1', 'eu-west-1']) {
        const listed = await lambdaClient(moto().url, region).send(new ListLayersCommand({}));
        expect(listed.Layers ?? []).toEqual([]);
      }
    },
  );
});
