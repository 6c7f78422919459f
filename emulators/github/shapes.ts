import type { ArtifactRecord, AssetRecord, ReleaseRecord, RunRecord } from './state.js';
import { isExpired } from './state.js';
import { botJson, nodeId, repositoryId, repositoryJson } from './shapes-repo.js';

export { repositoryId, repositoryJson } from './shapes-repo.js';

/**
 * The JSON GitHub's REST API returns for each object, with the fields clients read (and most of the rest, so that
 * code written against the emulator does not meet a surprise on github.com). URLs point back at the emulator.
 */

export function releaseJson(base: string, release: ReleaseRecord, assets: AssetRecord[]): Record<string, unknown> {
  const url = `${base}/repos/${release.repository}/releases/${release.id}`;
  return {
    url,
    assets_url: `${url}/assets`,
    upload_url: `${base}/uploads/repos/${release.repository}/releases/${release.id}/assets{?name,label}`,
    html_url: `${base}/${release.repository}/releases/${release.draft ? `tag/untagged-${release.id}` : `tag/${release.tagName}`}`,
    id: release.id,
    author: botJson(base),
    node_id: nodeId('Release', release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: release.draft,
    immutable: release.immutable,
    prerelease: release.prerelease,
    created_at: release.createdAt,
    updated_at: release.updatedAt,
    published_at: release.publishedAt,
    assets: assets.map((a) => assetJson(base, release, a)),
    tarball_url: `${base}/repos/${release.repository}/tarball/${release.tagName}`,
    zipball_url: `${base}/repos/${release.repository}/zipball/${release.tagName}`,
    body: release.body,
  };
}

export function assetJson(base: string, release: ReleaseRecord, asset: AssetRecord): Record<string, unknown> {
  return {
    url: `${base}/repos/${asset.repository}/releases/assets/${asset.id}`,
    id: asset.id,
    node_id: nodeId('ReleaseAsset', asset.id),
    name: asset.name,
    label: asset.label,
    uploader: botJson(base),
    content_type: asset.contentType,
    state: 'uploaded',
    size: asset.data.length,
    digest: `sha256:${asset.sha256}`,
    download_count: asset.downloadCount,
    created_at: asset.createdAt,
    updated_at: asset.updatedAt,
    browser_download_url: `${base}/${asset.repository}/releases/download/${encodeURIComponent(
      release.draft ? `untagged-${release.id}` : release.tagName,
    )}/${encodeURIComponent(asset.name)}`,
  };
}

export function runJson(base: string, run: RunRecord): Record<string, unknown> {
  const url = `${base}/repos/${run.repository}/actions/runs/${run.id}`;
  const repository = repositoryJson(base, run.repository);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WorkflowRun', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${run.name}.yml`,
    display_title: run.name,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: 1000,
    check_suite_id: run.id * 10,
    url,
    html_url: `${base}/${run.repository}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: botJson(base),
    run_attempt: run.runAttempt,
    run_started_at: run.createdAt,
    triggering_actor: botJson(base),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    workflow_url: `${base}/repos/${run.repository}/actions/workflows/1000`,
    check_suite_url: `${base}/repos/${run.repository}/check-suites/${run.id * 10}`,
    head_commit: {
      id: run.headSha,
      tree_id: run.headSha,
      message: 'release',
      timestamp: run.createdAt,
      author: { name: 'octocat', email: 'octocat@github.localhost' },
      committer: { name: 'GitHub', email: 'noreply@github.localhost' },
    },
    repository,
    head_repository: repository,
  };
}

export function artifactJson(base: string, artifact: ArtifactRecord, run?: RunRecord): Record<string, unknown> {
  const url = `${base}/repos/${artifact.repository}/actions/artifacts/${artifact.id}`;
  const repositoryIdValue = repositoryId(artifact.repository);
  return {
    id: artifact.id,
    node_id: nodeId('Artifact', artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.size,
    url,
    archive_download_url: `${url}/zip`,
    expired: isExpired(artifact),
    digest: artifact.clientDigest ?? (artifact.sha256 ? `sha256:${artifact.sha256}` : null),
    created_at: artifact.createdAt,
    updated_at: artifact.updatedAt,
    expires_at: artifact.expiresAt,
    workflow_run: {
      id: Number(artifact.runId),
      repository_id: repositoryIdValue,
      head_repository_id: repositoryIdValue,
      head_branch: run?.headBranch ?? null,
      head_sha: run?.headSha ?? null,
    },
  };
}
