/**
 * The emulator's own checks, which the well-behaved real clients never trip: Twirp authentication and run scoping,
 * FinalizeArtifact's size and digest check against the stored blob, blob URL signatures and permissions, the REST
 * rules for artifact downloads (token required, 410 once expired), and the control routes' validation. Requests
 * are raw HTTP except the single-shot blob upload, which uses the Azure SDK the artifact client is built on.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BlockBlobClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { mintRuntimeToken } from '../emulators/github/index.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService';
const REPO = '/repos/octo-org/octo-layer';
let emu: RunningEmulator;

async function twirp(method: string, body: Record<string, unknown>, token = mintRuntimeToken({ runId: 1000 })) {
  const response = await fetch(`${emu.url}${SERVICE}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const ids = { workflow_run_backend_id: '1000', workflow_job_run_backend_id: '1' };
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Creates an artifact and uploads `data` in one Put Blob through the Azure SDK; returns the signed upload URL. */
async function createAndUpload(name: string, data: Buffer): Promise<string> {
  const created = await twirp('CreateArtifact', { ...ids, name, version: 7, mime_type: 'application/zip' });
  expect(created.status).toBe(200);
  const url = created.body.signed_upload_url as string;
  await new BlockBlobClient(url).upload(data, data.length, { blobHTTPHeaders: { blobContentType: 'application/zip' } });
  return url;
}

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu?.stop();
});

describe('Twirp', () => {
  test.each([
    ['no token', '', '1000', 401, 'unauthenticated'],
    ['a token without an Actions.Results scope', 'e30.e30.', '1000', 401, 'unauthenticated'],
    ["another run's token", mintRuntimeToken({ runId: 1001 }), '1000', 403, 'permission_denied'],
  ])('%s is refused in Twirp error shape', async (_, token, run, status, code) => {
    const answer = await twirp('ListArtifacts', { ...ids, workflow_run_backend_id: run }, token);
    expect(answer).toEqual({ status, body: { code, msg: expect.any(String) } });
  });

  test('an unknown method is bad_route', async () => {
    expect(await twirp('MigrateArtifact', ids)).toMatchObject({ status: 404, body: { code: 'bad_route' } });
  });

  test('a single-shot Put Blob upload finalizes; a wrong size or digest is refused', async () => {
    const data = Buffer.from('PK\u0005\u0006' + '\0'.repeat(18), 'latin1');
    await createAndUpload('single-shot', data);
    const wrongSize = await twirp('FinalizeArtifact', { ...ids, name: 'single-shot', size: '5' });
    expect(wrongSize).toMatchObject({ status: 400, body: { code: 'invalid_argument' } });
    const wrongHash = { ...ids, name: 'single-shot', size: String(data.length), hash: `sha256:${'1'.repeat(64)}` };
    expect(await twirp('FinalizeArtifact', wrongHash)).toMatchObject({
      status: 400,
      body: { code: 'invalid_argument' },
    });
    expect((await twirp('ListArtifacts', ids)).body).toEqual({ artifacts: [] });
    const good = { ...wrongHash, hash: `sha256:${sha256(data)}` };
    const finalized = await twirp('FinalizeArtifact', good);
    expect(finalized).toEqual({ status: 200, body: { ok: true, artifact_id: expect.stringMatching(/^\d+$/) } });
    const listed = await twirp('ListArtifacts', { ...ids, name_filter: 'single-shot' });
    expect(listed.body.artifacts).toEqual([
      expect.objectContaining({ name: 'single-shot', size: String(data.length), digest: good.hash }),
    ]);
  });

  test('finalizing before any blob is committed is failed_precondition', async () => {
    await twirp('CreateArtifact', { ...ids, name: 'empty', version: 7 });
    const answer = await twirp('FinalizeArtifact', { ...ids, name: 'empty', size: '0' });
    expect(answer).toMatchObject({ status: 412, body: { code: 'failed_precondition' } });
  });
});

describe('blob URLs', () => {
  test('a tampered signature is 403 AuthenticationFailed; a read URL cannot write', async () => {
    const upload = new URL(await createAndUpload('signed', Buffer.from('data')));
    upload.searchParams.set('sig', Buffer.from('forged').toString('base64'));
    const forged = await fetch(upload, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
    expect(await forged.text()).toContain('<Code>AuthenticationFailed</Code>');
    await twirp('FinalizeArtifact', {
      ...ids,
      name: 'signed',
      size: '4',
      hash: `sha256:${sha256(Buffer.from('data'))}`,
    });
    const { body } = await twirp('GetSignedArtifactURL', { ...ids, name: 'signed' });
    const read = await fetch(body.signed_url as string, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(read.headers.get('x-ms-error-code')).toBe('AuthorizationPermissionMismatch');
    expect(await (await fetch(body.signed_url as string)).text()).toBe('data');
  });
});

describe('REST artifact downloads', () => {
  let id: number;

  beforeAll(async () => {
    const list = await fetch(`${emu.url}${REPO}/actions/runs/1000/artifacts?name=signed`);
    ({ id } = ((await list.json()) as { artifacts: { id: number }[] }).artifacts[0]);
  });

  test('need a token', async () => {
    const anonymous = await fetch(`${emu.url}${REPO}/actions/artifacts/${id}/zip`, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ status: '401', documentation_url: expect.any(String) });
  });

  test('an expired artifact is listed as expired and its zip is 410', async () => {
    const expired = await fetch(`${emu.url}/__emulator/github/artifacts/${id}/expire`, { method: 'POST' });
    expect(expired.status).toBe(200);
    const zip = await fetch(`${emu.url}${REPO}/actions/artifacts/${id}/zip`, {
      headers: { authorization: 'Bearer x' },
      redirect: 'manual',
    });
    expect(zip.status).toBe(410);
    const one = (await (await fetch(`${emu.url}${REPO}/actions/artifacts/${id}`)).json()) as Record<string, unknown>;
    expect(one.expired).toBe(true);
    expect((await twirp('ListArtifacts', { ...ids, name_filter: 'signed' })).body).toEqual({ artifacts: [] });
  });
});

describe('control routes', () => {
  test.each([
    [{ head_sha: 'x' }, 'id must be a positive integer'],
    [{ id: 7, created_at: 'yesterday' }, 'created_at must be a date'],
    [{ id: 7, status: 3 }, 'status must be a string'],
  ])('a bad run seed %j is 400', async (seed, message) => {
    const response = await fetch(`${emu.url}/__emulator/github/runs`, { method: 'POST', body: JSON.stringify(seed) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message });
  });

  test('an unknown route is 404', async () => {
    expect((await fetch(`${emu.url}/__emulator/github/nothing`)).status).toBe(404);
  });
});
