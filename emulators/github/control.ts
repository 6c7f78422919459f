import { json, type EmuRequest, type EmuResponse } from '../http.js';
import type { ControlHandler } from '../server.js';
import { releaseJson, runJson } from './shapes.js';
import { isoSeconds, type ArtifactRecord, type GitHubState, type RunRecord, type TokenMode } from './state.js';
import { mintRuntimeToken } from './tokens.js';

/**
 * Test routes under /__emulator/github/ (see README in this folder): seed workflow runs, inspect artifacts and
 * releases, mark tokens read-only or invalid, mint runtime tokens for other runs, read the auth log, reset.
 */

const TOKEN_MODES: TokenMode[] = ['write', 'read-only', 'invalid'];

function artifactView(a: ArtifactRecord): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    repository: a.repository,
    runId: a.runId,
    jobId: a.jobId,
    finalized: a.finalized,
    size: a.size,
    mimeType: a.mimeType,
    digest: a.clientDigest ?? null,
    sha256: a.sha256 ?? null,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
  };
}

function body(req: EmuRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const bad = (message: string): EmuResponse => json(400, { message });

/** Seeds or updates a workflow run from GitHub-style snake_case fields. */
function seedRun(state: GitHubState, base: string, fields: Record<string, unknown>): EmuResponse {
  const id = Number(fields.id);
  if (!Number.isSafeInteger(id) || id <= 0) return bad('id must be a positive integer');
  const text = (name: string): string | undefined =>
    typeof fields[name] === 'string' ? (fields[name] as string) : undefined;
  for (const name of ['head_sha', 'status', 'event', 'head_branch', 'name', 'repository']) {
    if (fields[name] !== undefined && typeof fields[name] !== 'string') return bad(`${name} must be a string`);
  }
  for (const name of ['created_at', 'updated_at']) {
    if (fields[name] !== undefined && Number.isNaN(Date.parse(String(fields[name]))))
      return bad(`${name} must be a date`);
  }
  const date = (name: string) => (fields[name] === undefined ? undefined : isoSeconds(new Date(String(fields[name]))));
  const run: Partial<RunRecord> & { id: number } = {
    id,
    headSha: text('head_sha'),
    status: text('status'),
    conclusion: fields.conclusion === null ? null : text('conclusion'),
    event: text('event'),
    headBranch: text('head_branch'),
    name: text('name'),
    repository: text('repository'),
    createdAt: date('created_at'),
    updatedAt: date('updated_at') ?? date('created_at'),
    runAttempt: typeof fields.run_attempt === 'number' ? fields.run_attempt : undefined,
  };
  return json(201, runJson(base, state.upsertRun(run)));
}

export function createGitHubControl(state: GitHubState): ControlHandler {
  return (path, req) => {
    if (!path.startsWith('github/')) return undefined;
    const route = `${req.method} ${path.slice('github/'.length)}`;
    const base = req.baseUrl;
    let match: RegExpExecArray | null;
    if (route === 'POST reset') {
      state.reset();
      return json(204, {});
    }
    if (route === 'GET state') {
      return json(200, {
        config: { ...state.config, secret: undefined },
        repositories: [...state.repositories.values()],
        runs: [...state.runs.values()],
        artifacts: [...state.artifacts.values()].map(artifactView),
        releases: [...state.releases.values()].map((r) => releaseJson(base, r, state.releaseAssets(r.id))),
        tokens: Object.fromEntries(state.tokenModes),
      });
    }
    if (route === 'GET config') return json(200, { immutableReleases: state.config.immutableReleases });
    if (route === 'POST config') {
      const fields = body(req);
      if (!fields || (fields.immutableReleases !== undefined && typeof fields.immutableReleases !== 'boolean')) {
        return bad('expected {immutableReleases?: boolean}');
      }
      if (typeof fields.immutableReleases === 'boolean') state.config.immutableReleases = fields.immutableReleases;
      return json(200, { immutableReleases: state.config.immutableReleases });
    }
    if (route === 'GET runs')
      return json(
        200,
        [...state.runs.values()].map((r) => runJson(base, r)),
      );
    if (route === 'POST runs') {
      const fields = body(req);
      return fields ? seedRun(state, base, fields) : bad('the body must be a JSON object');
    }
    if (route === 'GET artifacts') return json(200, [...state.artifacts.values()].map(artifactView));
    if ((match = /^GET artifacts\/(\d+)\/blob$/.exec(route))) {
      const artifact = state.artifacts.get(Number(match[1]));
      const data = artifact && state.blobs.get(artifact.blobPath)?.data;
      if (!data) return json(404, { message: `No committed blob for artifact ${match[1]}` });
      return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: data };
    }
    if ((match = /^POST artifacts\/(\d+)\/expire$/.exec(route))) {
      const artifact = state.artifacts.get(Number(match[1]));
      if (!artifact) return json(404, { message: `No artifact ${match[1]}` });
      artifact.expiresAt = isoSeconds(new Date(Date.now() - 1000));
      return json(200, artifactView(artifact));
    }
    if (route === 'GET releases') {
      return json(
        200,
        [...state.releases.values()].map((r) => releaseJson(base, r, state.releaseAssets(r.id))),
      );
    }
    if (route === 'GET tokens') return json(200, Object.fromEntries(state.tokenModes));
    if (route === 'POST tokens') {
      const fields = body(req);
      const mode = fields?.mode as TokenMode;
      if (typeof fields?.token !== 'string' || !fields.token || !TOKEN_MODES.includes(mode)) {
        return bad(`expected {token, mode} with mode one of ${TOKEN_MODES.join(', ')}`);
      }
      state.tokenModes.set(fields.token, mode);
      return json(200, { token: fields.token, mode });
    }
    if (route === 'GET auth') return json(200, state.authLog);
    if (route === 'DELETE auth') {
      state.authLog.length = 0;
      return json(204, {});
    }
    if (route === 'GET id-tokens') return json(200, state.idTokens);
    if (route === 'POST runtime-token') {
      const fields = body(req);
      const runId = fields?.runId ?? fields?.run_id;
      if (typeof runId !== 'number' && typeof runId !== 'string') return bad('expected {runId, jobId?, repository?}');
      const jobId = (fields?.jobId ?? fields?.job_id ?? 1) as number | string;
      const repository = typeof fields?.repository === 'string' ? fields.repository : undefined;
      const token = mintRuntimeToken({ runId, jobId, repository });
      return json(200, { token, env: { ACTIONS_RUNTIME_TOKEN: token, GITHUB_RUN_ID: String(runId) } });
    }
    return undefined;
  };
}
