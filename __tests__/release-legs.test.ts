/** Leg records through the local-folder artifact store (LLR_ARTIFACT_DIR pipelines): upload, replace, collect. */
import { describe, expect, test } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalArtifactStore } from '../src/artifact/local.js';
import { collectLegRecords, legArtifactPrefix, uploadLegRecord } from '../src/release/legs.js';
import type { ResultRecord } from '../src/record/record.js';
import { mergeLegs } from '../src/release/report.js';
import { tempDir } from '../__fixtures__/emulator-support.js';

const record = (regions: ResultRecord['regions'], name = 'otel'): ResultRecord => ({
  schema: 1,
  name,
  version: '1.0.0',
  sha256: 'e'.repeat(64),
  codeSha256: 'q==',
  regions,
});
const ok = (region: string, v: number, name = 'otel') => ({
  status: 'published' as const,
  arn: `arn:aws:lambda:${region}:123456789012:layer:${name}:${v}`,
  version: v,
});

describe('leg records in a local store', () => {
  test('a leg that uploads again replaces its own record; other legs and layers stay apart', async () => {
    const store = new LocalArtifactStore(await tempDir('llr-store-'), 'run-1');
    const scratch = await tempDir('llr-scratch-');
    const legA = { env: { GITHUB_JOB: 'publish' }, directory: path.join(scratch, 'a') };
    await uploadLegRecord(store, record({ 'us-east-1': { status: 'failed', error: 'x' } }), legA);
    await uploadLegRecord(store, record({ 'us-east-1': ok('us-east-1', 2) }), legA);
    await uploadLegRecord(store, record({ 'eu-west-1': ok('eu-west-1', 1) }), {
      env: { GITHUB_JOB: 'publish' },
      directory: path.join(scratch, 'b'),
    });
    await uploadLegRecord(store, record({ 'us-east-1': ok('us-east-1', 1, 'otel-arm') }, 'otel-arm'), {
      env: { GITHUB_JOB: 'publish' },
      directory: path.join(scratch, 'c'),
    });

    const { records, labels } = await collectLegRecords(store, 'otel', await tempDir('llr-collect-'));
    expect(labels.every((l) => l.startsWith(legArtifactPrefix('otel')))).toBe(true);
    expect(records.map((r) => r.regions)).toEqual(
      expect.arrayContaining([{ 'us-east-1': ok('us-east-1', 2) }, { 'eu-west-1': ok('eu-west-1', 1) }]),
    );
    expect(records).toHaveLength(2);

    const merged = await mergeLegs(store, 'otel', await tempDir('llr-merge-'));
    expect(Object.keys(merged.record.regions).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(path.basename(merged.resultPath)).toBe('otel.arns.json');
  });

  test('an artifact with the prefix but a foreign record is an error naming it', async () => {
    const store = new LocalArtifactStore(await tempDir('llr-store-'), 'run-2');
    const dir = await tempDir('llr-foreign-');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'x.json'), JSON.stringify(record({}, 'other')));
    await store.upload(`${legArtifactPrefix('otel')}forged`, [path.join(dir, 'x.json')], dir);
    await expect(collectLegRecords(store, 'otel', await tempDir('llr-collect-'))).rejects.toThrow(
      "Artifact lambda-layer-result-otel.forged holds a record of 'other', not 'otel'.",
    );
  });
});
