/**
 * Bad input: every SPEC limit ends the step with exit 1 and one line naming the input, before any request reaches
 * the emulator (AWS or GitHub). What parsePublishSettings refuses is checked in process (the action parses its
 * settings before anything else, as the bundle case of the first one shows); what reading the zip finds, through
 * the bundle as a runner runs it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { runAction } from '../__fixtures__/action.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { makeZip } from '../__fixtures__/emulator-support.js';
import type { ResultRecord } from '../src/record/record.js';
import { ConfigurationError } from '../src/errors.js';
import { parsePublishSettings } from '../src/settings/publish.js';

let emu: RunningEmulator;
let ws: string;

/** One deflated entry of `size` zero bytes: a small zip that unzips to a lot. */
function zipOfZeros(name: string, size: number): Buffer {
  const data = Buffer.alloc(size);
  const packed = deflateRawSync(data, { level: 9 });
  const crc = crc32(data);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const directory = Buffer.concat([central, nameBytes]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(30 + nameBytes.length + packed.length, 16);
  return Buffer.concat([local, nameBytes, packed, directory, end]);
}

beforeAll(async () => {
  emu = await startEmulator();
  ws = await mkdtemp(path.join(tmpdir(), 'llr-inputs-'));
  await writeFile(path.join(ws, 'ok.zip'), makeZip({ 'python/ok.py': 'x = 1\n' }));
  await writeFile(path.join(ws, 'empty.zip'), makeZip({}));
  // Just above what one PublishLayerVersion request can carry (69,905,067 bytes of base64 and JSON).
  await writeFile(path.join(ws, 'big.zip'), makeZip({ 'python/blob.bin': randomBytes(52_430_000) }));
  await writeFile(path.join(ws, 'huge.zip'), zipOfZeros('python/zeros.bin', 262_144_001));
  const tampered = path.join(ws, 'tampered');
  await import('node:fs/promises').then((fs) => fs.mkdir(tampered));
  const zip = makeZip({ 'python/t.py': 'x = 2\n' });
  await writeFile(path.join(tampered, 'layer.zip'), zip);
  const other = createHash('sha256').update('another zip').digest('hex');
  await writeFile(
    path.join(tampered, 'manifest.json'),
    JSON.stringify({
      schema: 1,
      name: 'otel',
      version: '1.0.0',
      sha256: other,
      codeSha256: Buffer.from(other, 'hex').toString('base64'),
      size: zip.length,
      unzippedSize: 6,
      files: 1,
      runtimes: [],
      architectures: [],
      description: '',
      licenseInfo: '',
      commit: '',
      ref: '',
      runId: '',
      zipFile: 'layer.zip',
    }),
  );
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

const ok = { name: 'otel', zip: 'ok.zip', version: '1.0.0', regions: 'us-east-1' };

/** Refused by parsePublishSettings, before the zip is read: checked in process; one goes through the bundle. */
const settingsCases: [string, Record<string, string>, RegExp][] = [
  ['layer name pattern', { name: 'otel layer' }, /^Input 'name' must be 1 to 140 letters, digits, '-' or '_'/],
  [
    'runtime id',
    { 'compatible-runtimes': 'python2.6' },
    /^Input 'compatible-runtimes' has unknown runtime 'python2\.6'/,
  ],
  [
    'more than 15 runtimes',
    {
      'compatible-runtimes':
        'nodejs18.x nodejs20.x nodejs22.x python3.9 python3.10 python3.11 python3.12 python3.13 java11 java17 java21 ruby3.2 ruby3.3 provided.al2 provided.al2023 dotnet8',
    },
    /^Input 'compatible-runtimes' lists 16 runtimes; Lambda allows at most 15\.$/,
  ],
  [
    'architecture',
    { 'compatible-architectures': 'arm64 amd64' },
    /^Input 'compatible-architectures' must list x86_64 and\/or arm64, got 'amd64'\.$/,
  ],
  [
    'description over 256',
    { description: 'd'.repeat(257) },
    /^Input 'description' is 257 characters; Lambda allows at most 256\.$/,
  ],
  [
    'license over 512',
    { 'license-info': 'l'.repeat(513) },
    /^Input 'license-info' is 513 characters; Lambda allows at most 512\.$/,
  ],
  ['region name', { regions: 'us-east-1 eu-westt-1' }, /^Input 'regions' has unknown region 'eu-westt-1'/],
  [
    'excluded region name',
    { 'exclude-regions': 'moon-base-1' },
    /^Input 'exclude-regions' has unknown region 'moon-base-1'/,
  ],
  [
    'account id',
    { 'share-with': '1234567890' },
    /^Input 'share-with' has '1234567890': use 'public', a 12-digit account id/,
  ],
  ['organization id', { 'share-with': 'o-short' }, /^Input 'share-with' has 'o-short'/],
  [
    'mutually exclusive inputs',
    { 'artifact-name': 'lambda-layer-otel' },
    /^Inputs 'zip' and 'artifact-name' are mutually exclusive/,
  ],
  [
    'an account ARN of another partition than the regions',
    { 'share-with': 'public arn:aws-cn:iam::210987654321:root' },
    /^Input 'share-with' has 'arn:aws-cn:iam::210987654321:root', an account of partition aws-cn, but the regions are in aws; /,
  ],
  ['s3-bucket name', { 's3-bucket': 'Layers_{region}' }, /^Input 's3-bucket' gives 'Layers_us-east-1' for us-east-1/],
  [
    'ssm-prefix',
    { 'ssm-prefix': 'layers/otel' },
    /^Input 'ssm-prefix' must start with \/; for example '\/lambda-layers'/,
  ],
];

/** Found when the zip is read (still before any request): through the bundle. */
const zipCases: [string, Record<string, string>, RegExp][] = [
  [
    'zip above the inline limit without s3-bucket',
    { zip: 'big.zip' },
    /^The layer zip from big\.zip is \d+ bytes, above what Lambda takes inline .*'s3-bucket'/,
  ],
  [
    'unzipped size',
    { zip: 'huge.zip' },
    /^Input 'zip': huge\.zip is not a usable layer zip: its entries declare 262144001 bytes unzipped; Lambda allows at most 262144000 bytes/,
  ],
  [
    'empty layer',
    { zip: 'empty.zip' },
    /^Input 'zip': empty\.zip is not a usable layer zip: it holds no files; a layer cannot be empty\.$/,
  ],
  [
    'digest mismatch',
    { zip: 'tampered/layer.zip', version: '' },
    /^Input 'zip': tampered\/layer\.zip does not match its manifest .*nothing was published\.$/,
  ],
];

describe('bad input the settings parser refuses', () => {
  test.each(settingsCases)('%s', (_label, inputs, message) => {
    const parse = () => parsePublishSettings({ ...ok, ...inputs }, emu.env.AWS_REGION);
    expect(parse).toThrow(ConfigurationError);
    expect(parse).toThrow(message);
    expect(parse).not.toThrow(/\n/);
  });

  test('the good inputs of these cases parse', () => {
    expect(() => parsePublishSettings(ok)).not.toThrow();
  });
});

describe('bad input stops the publish bundle before any request', () => {
  // The parser's refusals as the runner sees them (one of them: the parser runs before anything else), and the zip's.
  test.each([settingsCases[0], ...zipCases])('%s', async (_label, inputs, message) => {
    const before = emu.server.log.length;
    const run = await runAction('publish', { ...ok, ...inputs }, emu.env, { cwd: ws });
    expect(run.code).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(message);
    expect(run.errors[0]).not.toMatch(/%0A|\n|bug in lambda-layer-release/);
    expect(emu.server.log.slice(before)).toEqual([]);
  });

  test("an account ARN of the regions' partition is granted as that account", async () => {
    const run = await runAction(
      'publish',
      { ...ok, regions: 'cn-north-1', 'share-with': 'arn:aws-cn:iam::210987654321:root' },
      emu.env,
      { cwd: ws },
    );
    expect([run.code, run.errors]).toEqual([0, []]);
    const record = JSON.parse(await readFile(run.outputs['result-path'], 'utf8')) as ResultRecord;
    expect(record.regions['cn-north-1']).toMatchObject({ status: 'published', sharing: ['210987654321'] });
    expect(record.regions['cn-north-1'].arn).toMatch(/^arn:aws-cn:lambda:cn-north-1:/);
  });

  test('the good inputs of these cases do publish (the cases fail for their own reason)', async () => {
    const run = await runAction('publish', ok, emu.env, { cwd: ws });
    expect([run.code, run.errors]).toEqual([0, []]);
    expect(emu.server.log.some((e) => e.service === 'lambda' && e.method === 'POST')).toBe(true);
  });
});
