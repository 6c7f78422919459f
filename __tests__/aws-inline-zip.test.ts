/**
 * The shared PublishLayerVersion body, through the real SDK: byte for byte what the SDK itself would send, the same
 * bytes in every region, and a multi-MiB zip arriving intact (the emulator checks the digest it computes).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { AwsClients } from '../src/aws/clients.js';
import { InlineZip } from '../src/aws/inline-zip.js';
import { makeZip } from '../__fixtures__/emulator-support.js';

const credentials = { accessKeyId: 'AKIAEMULATORTEST0000', secretAccessKey: 'dummy' };
let capture: http.Server;
let captureUrl: string;
const bodies: { region: string; body: Buffer; length: string | undefined }[] = [];
let emu: RunningEmulator;

beforeAll(async () => {
  capture = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? '';
      bodies.push({ region, body: Buffer.concat(chunks), length: req.headers['content-length'] });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Version: 1 }));
    });
  });
  await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
  captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`;
  emu = await startEmulator();
});

afterAll(async () => {
  await new Promise((resolve) => capture.close(resolve));
  await emu.stop();
});

const request = (zipFile: Uint8Array) => ({
  LayerName: 'otel',
  Content: { ZipFile: zipFile },
  Description: 'Telemetry "quoted" \\ and ünïcode [llr:1.0.0]',
  CompatibleRuntimes: ['python3.12' as const],
  LicenseInfo: 'MIT',
});

describe('InlineZip', () => {
  test('sends exactly the bytes the SDK would, the same in every region', async () => {
    const zip = randomBytes(3 * 1024 * 1024 + 7);
    bodies.length = 0;
    const plain = new LambdaClient({ region: 'us-east-1', endpoint: captureUrl, credentials, maxAttempts: 1 });
    await plain.send(new PublishLayerVersionCommand(request(zip)));
    const expected = bodies[0].body;

    const inline = new InlineZip(zip);
    for (const region of ['eu-west-1', 'ap-south-1']) {
      const client = new LambdaClient({ region, endpoint: captureUrl, credentials, maxAttempts: 1 });
      inline.install(client);
      await client.send(new PublishLayerVersionCommand(request(inline.placeholder)));
    }
    expect(bodies.map((b) => b.region)).toEqual(['us-east-1', 'eu-west-1', 'ap-south-1']);
    for (const b of bodies.slice(1)) {
      expect(b.length).toBe(String(expected.length));
      expect(b.body.equals(expected)).toBe(true);
    }
  });

  test('a command with a zip of its own is left to the SDK', async () => {
    bodies.length = 0;
    const inline = new InlineZip(Buffer.from('shared'));
    const client = new LambdaClient({ region: 'us-east-1', endpoint: captureUrl, credentials, maxAttempts: 1 });
    inline.install(client);
    await client.send(new PublishLayerVersionCommand(request(Buffer.from('own zip'))));
    expect(JSON.parse(bodies[0].body.toString()).Content.ZipFile).toBe(Buffer.from('own zip').toString('base64'));
  });

  test('through AwsClients, a 5 MiB zip reaches Lambda intact in several regions at once', async () => {
    const zip = makeZip({ 'python/data.bin': randomBytes(5 * 1024 * 1024) });
    const codeSha256 = createHash('sha256').update(zip).digest('base64');
    const saved = process.env.AWS_ENDPOINT_URL_LAMBDA;
    process.env.AWS_ENDPOINT_URL_LAMBDA = emu.env.AWS_ENDPOINT_URL_LAMBDA;
    const clients = new AwsClients({ credentials: async () => credentials });
    try {
      const inline = new InlineZip(zip);
      clients.useInlineZip(inline);
      const answers = await Promise.all(
        ['us-east-1', 'us-west-2', 'eu-central-1'].map((region) =>
          clients.publisher(region).send(new PublishLayerVersionCommand(request(inline.placeholder))),
        ),
      );
      for (const a of answers) expect(a.Content?.CodeSha256).toBe(codeSha256);
      expect(answers.map((a) => a.LayerVersionArn?.split(':')[3])).toEqual(['us-east-1', 'us-west-2', 'eu-central-1']);
    } finally {
      clients.destroy();
      process.env.AWS_ENDPOINT_URL_LAMBDA = saved;
    }
  });
});
