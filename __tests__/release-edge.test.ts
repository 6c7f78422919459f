/**
 * The release writing at its edges: markers quoted in code blocks, bodies near GitHub's 125,000-character limit,
 * leg records whose text fields try to break out of their cell, and ARNs of every partition and of other accounts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { beginMarker, endMarker, patchBody } from '../src/release/body.js';
import { ConfigurationError } from '../src/errors.js';
import { BODY_LIMIT, updateRelease, type Octokit } from '../src/release/github.js';
import type { RegionResult, ResultRecord } from '../src/record/record.js';
import { parseRecord, serializeRecord } from '../src/record/json.js';
import { arnProblems } from '../src/record/validate.js';
import { renderSection } from '../src/release/section.js';

const arn = (region: string, v: number, name = 'otel', partition = 'aws', account = '123456789012') =>
  `arn:${partition}:lambda:${region}:${account}:layer:${name}:${v}`;
const row = (region: string, v: number, name = 'otel', partition = 'aws', account?: string): RegionResult => ({
  status: 'published',
  arn: arn(region, v, name, partition, account),
  version: v,
  sharing: ['public'],
});
const record = (regions: Record<string, RegionResult>, name = 'otel'): ResultRecord => ({
  schema: 1,
  name,
  version: '1.0.0',
  sha256: 'a'.repeat(64),
  codeSha256: 'qg==',
  regions,
});
const section = (text: string) =>
  `### ${text}\n\n| Region | Version | ARN |\n| --- | --- | --- |\n| us-east-1 | 1 | x |\n`;
const wrapped = (text: string) => `${beginMarker('otel')}\n${section(text).trimEnd()}\n\n${endMarker('otel')}`;

describe('markers quoted in code are text', () => {
  test.each([
    ['a backtick fence', '```text\n', '```\n'],
    ['a tilde fence', '~~~\n', '~~~\n'],
    ['a longer fence closed by a longer one', '````md\n```\n', '```\n`````\n'],
    ['an indented fence', '   ```\n', '   ```\n'],
  ])('inside %s they are left alone; the real section is replaced', (_label, open, close) => {
    const quoted = `How it looks:\n\n${open}${wrapped('example')}\n${close}\n`;
    const body = `${quoted}${wrapped('old')}\nFooter\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(`${quoted}${wrapped('new')}\nFooter\n`);
  });

  test('inside a code block with no real section, the section is appended and a rerun replaces it', () => {
    const body = `Docs:\n\n\`\`\`\n${wrapped('example')}\n\`\`\`\n`;
    const once = patchBody(body, 'otel', section('v1'));
    expect(once).toBe(`${body}\n${wrapped('v1')}\n`);
    expect(patchBody(once, 'otel', section('v2'))).toBe(`${body}\n${wrapped('v2')}\n`);
  });

  test('a marker mentioned inside a line is not a marker', () => {
    const body = `Our table sits after \`${beginMarker('otel')}\` below.\n\n${wrapped('old')}\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(
      `Our table sits after \`${beginMarker('otel')}\` below.\n\n${wrapped('new')}\n`,
    );
  });

  test('a fence that is never closed does not hide the section after it', () => {
    const body = `\`\`\`\nunclosed\n${wrapped('old')}\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(`\`\`\`\nunclosed\n${wrapped('new')}\n`);
  });

  test('CRLF bodies with a quoted marker', () => {
    const quoted = `\`\`\`\r\n${wrapped('example').replace(/\n/g, '\r\n')}\r\n\`\`\`\r\n`;
    const body = `${quoted}${wrapped('old').replace(/\n/g, '\r\n')}\r\n`;
    expect(patchBody(body, 'otel', section('new'))).toBe(`${quoted}${wrapped('new').replace(/\n/g, '\r\n')}\r\n`);
  });
});

describe('records that try to break out of their place', () => {
  test('runtimes, architectures and sharing cannot end the section or fake a marker', () => {
    const forged = record({ 'us-east-1': { ...row('us-east-1', 1), sharing: [`x\`\n${endMarker('otel')}\n`] } });
    forged.runtimes = [`python3.12\`\n\n${beginMarker('other')}\n`];
    forged.architectures = ['arm64`<b>'];
    const text = renderSection(forged);
    expect(text).not.toContain('<!--');
    expect(text.split('\n').filter((l) => l.startsWith('- **'))).toHaveLength(4);
    const body = patchBody('', 'otel', text);
    expect(patchBody(body, 'otel', renderSection(record({ 'us-east-1': row('us-east-1', 2) })))).not.toContain(
      'python3.12',
    );
  });

  test.each([
    ['sha256 that is not 64 hex digits', { sha256: 'a`\n<!-- x -->' }, 'sha256 is not 64 hex digits'],
    ['codeSha256 that is not base64', { codeSha256: 'qg==`' }, 'codeSha256 is not base64'],
  ])('parseRecord refuses a %s', (_label, change, message) => {
    const text = JSON.stringify({ ...record({}), ...change });
    expect(() => parseRecord(text, 'test')).toThrow(message);
  });
});

describe('ARNs of every partition and account', () => {
  test.each([
    ['China', 'cn-north-1', 'aws-cn'],
    ['China (Ningxia)', 'cn-northwest-1', 'aws-cn'],
    ['GovCloud', 'us-gov-west-1', 'aws-us-gov'],
    ['GovCloud East', 'us-gov-east-1', 'aws-us-gov'],
    ['European Sovereign Cloud', 'eusc-de-east-1', 'aws-eusc'],
  ])('%s rows need their partition', (_label, region, partition) => {
    expect(arnProblems(record({ [region]: row(region, 1, 'otel', partition) }))).toEqual([]);
    expect(arnProblems(record({ [region]: row(region, 1, 'otel', 'aws') }))).toEqual([
      `${region}: ARN partition 'aws' should be '${partition}'`,
    ]);
  });

  test('names with _ and -, versions past 999, and rows of several accounts are accepted', () => {
    const r = record(
      {
        'us-east-1': row('us-east-1', 1234, 'my_layer-x'),
        'eu-west-1': row('eu-west-1', 1000, 'my_layer-x', 'aws', '210987654321'),
        'cn-north-1': row('cn-north-1', 99999, 'my_layer-x', 'aws-cn', '000000000001'),
      },
      'my_layer-x',
    );
    expect(arnProblems(r)).toEqual([]);
    expect(parseRecord(serializeRecord(r), 'test')).toEqual(r);
  });
});

describe('bodies near GitHub limit', () => {
  let emu: RunningEmulator;
  let octokit: Octokit;
  const owner = 'octo-org';
  const repo = 'octo-layer';
  const warnings: string[] = [];
  const logger = { info: () => undefined, warning: (m: string) => warnings.push(m) };
  /** Every region with Lambda in the commercial partition: the widest table a release gets. */
  const wide = record(
    Object.fromEntries(
      ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-south-1'].map(
        (r, i) => [r, row(r, i + 1)],
      ),
    ),
  );

  beforeAll(async () => {
    emu = await startEmulator();
    Object.assign(process.env, emu.env);
    const github = await import('@actions/github');
    octokit = github.getOctokit(emu.env.GITHUB_TOKEN, { baseUrl: emu.url });
  });

  afterAll(async () => {
    await emu?.stop();
  });

  async function releaseWithBody(tag: string, body: string) {
    return (await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, body })).data;
  }

  test('a body the full table would push past 125,000 characters gets a short section pointing at the asset', async () => {
    expect(BODY_LIMIT).toBe(125_000);
    const notes = 'n'.repeat(BODY_LIMIT - 600);
    const release = await releaseWithBody('big-1', notes);
    const result = await updateRelease({ octokit, owner, repo, release: { id: release.id }, record: wide, logger });
    const body = (await octokit.rest.repos.getRelease({ owner, repo, release_id: release.id })).data.body!;
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    expect(body.startsWith(notes)).toBe(true);
    expect(body).toContain(beginMarker('otel'));
    expect(body).toContain(endMarker('otel'));
    expect(body).toContain(result.asset!.url);
    expect(body).not.toContain('| Region | Version | ARN |');
    expect(warnings.join('\n')).toContain('125,000');
    // A later release with room again gets the full table back.
    await octokit.rest.repos.updateRelease({ owner, repo, release_id: release.id, body: body.slice(notes.length) });
    await updateRelease({ octokit, owner, repo, release: { id: release.id }, record: wide, logger });
    const roomy = (await octokit.rest.repos.getRelease({ owner, repo, release_id: release.id })).data.body!;
    expect(roomy).toContain('| Region | Version | ARN |');
  });

  test('a body that has no room even for the short section fails in one line and is left as it was', async () => {
    const notes = 'n'.repeat(BODY_LIMIT - 20);
    const release = await releaseWithBody('big-2', notes);
    const update = updateRelease({ octokit, owner, repo, release: { id: release.id }, record: wide, logger });
    await expect(update).rejects.toThrow(ConfigurationError);
    await expect(update).rejects.toThrow(/release big-2 .*125,000 characters.*otel\.arns\.json/);
    const after = (await octokit.rest.repos.getRelease({ owner, repo, release_id: release.id })).data;
    expect(after.body).toBe(notes);
    expect(after.assets.map((a) => a.name)).toEqual(['otel.arns.json']);
  });
});
