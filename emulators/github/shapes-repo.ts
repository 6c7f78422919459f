/**
 * Users and repositories as GitHub's REST API returns them (the simple-user, minimal-repository and
 * full-repository schemas of @octokit/openapi-types, every required member; checked by
 * __tests__/emulator-github-schemas.test.ts). URLs point back at the emulator.
 */

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64url');
}

/** A stable numeric id for a name, so the same repository or owner always has the same id. */
export function repositoryId(repository: string): number {
  let hash = 0;
  for (const ch of repository) hash = (hash * 31 + ch.charCodeAt(0)) % 900_000_000;
  return 100_000_000 + hash;
}

export function userJson(base: string, login: string, id: number, type: string): Record<string, unknown> {
  const url = `${base}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `${base}/avatars/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${base}/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** The bot that the GITHUB_TOKEN of a workflow acts as. */
export function botJson(base: string): Record<string, unknown> {
  return { ...userJson(base, 'github-actions[bot]', 41898282, 'Bot'), node_id: 'MDM6Qm90NDE4OTgyODI=' };
}

/** The `*_url` members of a repository (URI templates included) as GitHub spells them: member -> path under it. */
const REPOSITORY_URLS: Record<string, string> = {
  archive_url: '{archive_format}{/ref}',
  assignees_url: 'assignees{/user}',
  blobs_url: 'git/blobs{/sha}',
  branches_url: 'branches{/branch}',
  collaborators_url: 'collaborators{/collaborator}',
  comments_url: 'comments{/number}',
  commits_url: 'commits{/sha}',
  compare_url: 'compare/{base}...{head}',
  contents_url: 'contents/{+path}',
  contributors_url: 'contributors',
  deployments_url: 'deployments',
  downloads_url: 'downloads',
  events_url: 'events',
  forks_url: 'forks',
  git_commits_url: 'git/commits{/sha}',
  git_refs_url: 'git/refs{/sha}',
  git_tags_url: 'git/tags{/sha}',
  issue_comment_url: 'issues/comments{/number}',
  issue_events_url: 'issues/events{/number}',
  issues_url: 'issues{/number}',
  keys_url: 'keys{/key_id}',
  labels_url: 'labels{/name}',
  languages_url: 'languages',
  merges_url: 'merges',
  milestones_url: 'milestones{/number}',
  notifications_url: 'notifications{?since,all,participating}',
  pulls_url: 'pulls{/number}',
  releases_url: 'releases{/id}',
  stargazers_url: 'stargazers',
  statuses_url: 'statuses/{sha}',
  subscribers_url: 'subscribers',
  subscription_url: 'subscription',
  tags_url: 'tags',
  teams_url: 'teams',
  trees_url: 'git/trees{/sha}',
  hooks_url: 'hooks',
};

/** minimal-repository (as nested in runs); `full` adds the members of GET /repos/{owner}/{repo}. */
export function repositoryJson(base: string, repository: string, full = false): Record<string, unknown> {
  const [owner, name] = repository.split('/');
  const id = repositoryId(repository);
  const api = `${base}/repos/${repository}`;
  const minimal = {
    id,
    node_id: nodeId('Repository', id),
    name,
    full_name: repository,
    owner: userJson(base, owner, repositoryId(owner), 'Organization'),
    private: false,
    html_url: `${base}/${repository}`,
    description: null,
    fork: false,
    url: api,
    ...Object.fromEntries(Object.entries(REPOSITORY_URLS).map(([member, rest]) => [member, `${api}/${rest}`])),
    default_branch: 'main',
    visibility: 'public',
  };
  if (!full) return minimal;
  const epoch = '2024-01-01T00:00:00Z';
  return {
    ...minimal,
    git_url: `git://github.localhost/${repository}.git`,
    ssh_url: `git@github.localhost:${repository}.git`,
    clone_url: `${base}/${repository}.git`,
    mirror_url: null,
    svn_url: `${base}/${repository}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    pushed_at: epoch,
    created_at: epoch,
    updated_at: epoch,
    subscribers_count: 0,
    network_count: 0,
    license: null,
    forks: 0,
    open_issues: 0,
    watchers: 0,
  };
}
