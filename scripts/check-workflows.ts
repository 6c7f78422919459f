/**
 * npm run check-workflows: every GitHub Actions file of the repository through GitHub's own validator,
 * @actions/languageservice (the engine of GitHub's VS Code extension, on @actions/workflow-parser): every action.yml,
 * every workflow under .github/workflows and examples/, and every ```yaml snippet of README.md, docs/ and examples/
 * that is a workflow, a job, steps or a step. Any error or warning fails it.
 *
 * `with:` inputs are checked against the action's own metadata: `uses: ./x` and `lambda-layer-release/
 * lambda-layer-release/x@…` against x/action.yml of this checkout, third-party actions against the inputs recorded
 * in scripts/third-party-actions.json (an action missing there fails, so a new one gets recorded). Third-party
 * actions in workflow files must be pinned by a full commit SHA with the version in a comment, at the major recorded.
 *
 *   tsx scripts/check-workflows.ts [--root DIR] [FILE ...]    (no FILE: the repository's own files)
 */
import { validate } from '@actions/languageservice';
import type { ActionMetadata, ActionReference } from '@actions/languageservice/action';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import YAML from 'yaml';

/** The name users write in `uses:` for this repository's actions. */
export const THIS_ACTION = 'lambda-layer-release/lambda-layer-release';

export interface Finding {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

interface Document {
  file: string;
  /** The text the validator sees (a snippet wrapped into a workflow, local `uses:` in the form it resolves). */
  text: string;
  kind: 'action' | 'workflow';
  /** Line of `file` where line 1 of the original text is, and how many wrapper lines precede it. */
  firstLine: number;
  wrapperLines: number;
  /** Columns the wrapping indented the original text by. */
  indent: number;
  /** Pin rules apply to workflow files, not to snippets (docs name a major: `actions/checkout@v7`). */
  pinned: boolean;
}

interface RecordedAction {
  version: string;
  inputs: Record<string, { required?: boolean; default?: string; deprecationMessage?: string }>;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage', '.tmp']);

/** The repository's files to check: action.yml files, workflows, and the Markdown that holds snippets. */
export function repositoryFiles(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) visit(rel);
      } else if (/(^|\/)action\.ya?ml$/.test(rel) || isWorkflowFile(rel) || isDocumentation(rel)) {
        files.push(rel);
      }
    }
  };
  visit('');
  return files.sort();
}

function isWorkflowFile(rel: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(rel) || /^examples\/.+\.ya?ml$/.test(rel);
}

function isDocumentation(rel: string): boolean {
  return rel === 'README.md' || /^docs\/[^/]+\.md$/.test(rel) || /^examples\/.+\.md$/.test(rel);
}

/** `uses: ./x` as the validator's self-repository form `$/x`, which it resolves through the file provider. */
function resolvableLocalUses(text: string): string {
  return text.replace(
    /^(\s*(?:-\s+)?uses:\s*['"]?)\.\/([^\s'"#]*)/gm,
    (_m, before: string, rest: string) => `${before}$/${rest.replace(/\/$/, '') || '.'}`,
  );
}

/** ```yaml blocks of a Markdown file, wrapped into workflows; CloudFormation and other YAML is left out. */
export function markdownDocuments(file: string, markdown: string): { documents: Document[]; skipped: number[] } {
  const documents: Document[] = [];
  const skipped: number[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ya?ml)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(open[2]));
    const to = end === -1 ? lines.length : end;
    const body = lines
      .slice(i + 1, to)
      .map((l) => l.slice(Math.min(open[1].length, l.length - l.trimStart().length)))
      .join('\n');
    const document = snippetAsWorkflow(file, body, i + 2);
    if (document) documents.push(document);
    else skipped.push(i + 2);
    i = to;
  }
  return { documents, skipped };
}

const JOB_KEYS = ['runs-on', 'steps', 'permissions', 'strategy', 'needs', 'environment', 'container', 'services'];

/** A workflow, a job, a list of steps or one step, as a whole workflow; undefined for YAML of another kind. */
export function snippetAsWorkflow(file: string, body: string, firstLine: number): Document | undefined {
  let value: unknown;
  try {
    value = YAML.parse(body, { logLevel: 'error' });
  } catch {
    value = {}; // not YAML: let the validator say where
  }
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  const wrap = (header: string[], indent: number, firstPrefix = '') => ({
    file,
    kind: 'workflow' as const,
    text: resolvableLocalUses(
      [
        ...header,
        ...body
          .split('\n')
          .map((l, n) => (n === 0 && firstPrefix ? firstPrefix : ' '.repeat(indent)) + (l ? l : '').trimEnd()),
      ].join('\n'),
    ),
    firstLine,
    wrapperLines: header.length,
    indent,
    pinned: false,
  });
  const job = ['on: workflow_dispatch', 'jobs:', '  snippet:'];
  const runsOn = (has: boolean) => (has ? [] : ['    runs-on: ubuntu-latest']);
  if (keys.includes('jobs') || keys.includes('on'))
    return wrap(keys.includes('on') ? [] : ['on: workflow_dispatch'], 0);
  if (Array.isArray(value)) return wrap([...job, ...runsOn(false), '    steps:'], 6);
  if (keys.includes('uses') || keys.includes('run'))
    return wrap([...job, ...runsOn(false), '    steps:'], 8, '      - ');
  if (keys.some((k) => JOB_KEYS.includes(k))) return wrap([...job, ...runsOn(keys.includes('runs-on'))], 4);
  return undefined;
}

function recordedActions(): Record<string, RecordedAction> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'third-party-actions.json');
  return JSON.parse(readFileSync(file, 'utf8')).actions;
}

function actionYaml(root: string, dir: string): ActionMetadata | undefined {
  for (const name of ['action.yml', 'action.yaml']) {
    try {
      return YAML.parse(readFileSync(path.join(root, dir, name), 'utf8'));
    } catch {
      // try the other name
    }
  }
  return undefined;
}

const SHA_PIN = /^([^@\s]+)@([0-9a-f]{40})\s+#\s*(v\d+(?:\.\d+){0,2})\s*$/;

/** Third-party `uses:` in a workflow file: a full SHA, the version in a comment, at the recorded major. */
function pinFindings(document: Document, recorded: Record<string, RecordedAction>): Finding[] {
  const findings: Finding[] = [];
  document.text.split('\n').forEach((line, n) => {
    const uses = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"]+)['"]?(.*)$/.exec(line);
    if (!uses || uses[1].startsWith('$/') || uses[1].startsWith('docker://')) return;
    const [action, ref = ''] = uses[1].split('@');
    if (action === THIS_ACTION || action.startsWith(`${THIS_ACTION}/`) || action.includes('/.github/workflows/'))
      return;
    const at = { file: document.file, line: document.firstLine + n - document.wrapperLines, column: 1 };
    const major = recorded[action]?.version.split('.')[0];
    if (!document.pinned) {
      const named = /^v\d+/.exec(ref)?.[0] ?? /#\s*(v\d+)/.exec(uses[2])?.[1];
      if (major && named && named !== major)
        findings.push({ ...at, severity: 'error', message: `${action}@${ref}: the current major is ${major}` });
      return;
    }
    const pin = SHA_PIN.exec(`${uses[1]} ${uses[2].trim()}`);
    if (!pin) {
      findings.push({
        ...at,
        severity: 'error',
        message: `${uses[1]}: pin third-party actions by their full commit SHA with the version in a comment (uses: ${action}@<40 hex digits> # ${recorded[action]?.version ?? 'vX.Y.Z'})`,
      });
    } else if (major && pin[3].split('.')[0] !== major) {
      findings.push({ ...at, severity: 'error', message: `${action} ${pin[3]}: the current major is ${major}` });
    }
  });
  return findings;
}

/** Validates documents with GitHub's validator; positions are given in the original files. */
export async function checkDocuments(root: string, documents: Document[]): Promise<Finding[]> {
  const recorded = recordedActions();
  const config = {
    fileProvider: {
      async getFileContent(ref: { path: string }) {
        return { name: ref.path, content: readFileSync(path.join(root, ref.path), 'utf8') };
      },
    },
    actionsMetadataProvider: {
      async fetchActionMetadata(ref: ActionReference): Promise<ActionMetadata | undefined> {
        const id = `${ref.owner}/${ref.name}`;
        if (id === THIS_ACTION) return actionYaml(root, ref.path ?? '');
        const known = recorded[ref.path ? `${id}/${ref.path}` : id];
        return known && { name: id, description: id, inputs: known.inputs as ActionMetadata['inputs'] };
      },
    },
  };
  const findings: Finding[] = [];
  for (const document of documents) {
    // One URI per document: the validator caches what it parsed by URI. A workflow's must look like one.
    const name = `${document.file}-${document.firstLine}`.replace(/[^A-Za-z0-9-]/g, '_');
    const uri = `file://${path.join(root, document.kind === 'action' ? document.file : `.github/workflows/${name}.yml`)}`;
    const diagnostics = await validate(TextDocument.create(uri, 'yaml', 1, document.text), config);
    for (const d of diagnostics) {
      if (d.severity !== undefined && d.severity > 2) continue; // information and hints do not fail the check
      const text = typeof d.message === 'string' ? d.message : d.message.value;
      let message = text.replace(/\$\/\.(?=[`'\s]|$)/g, './').replace(/\$\//g, './');
      if (/^Unable to resolve action/.test(message) && !message.includes('./'))
        message += ' (record its inputs in scripts/third-party-actions.json)';
      findings.push({
        file: document.file,
        line: document.firstLine + d.range.start.line - document.wrapperLines,
        column: Math.max(1, d.range.start.character + 1 - document.indent),
        severity: d.severity === 2 ? 'warning' : 'error',
        message,
      });
    }
    if (document.kind === 'workflow') findings.push(...pinFindings(document, recorded));
  }
  return findings;
}

/** The documents a file holds: itself (an action or a workflow), or the snippets of a Markdown file. */
export function documentsOf(root: string, file: string): { documents: Document[]; skipped: number[] } {
  const text = readFileSync(path.join(root, file), 'utf8');
  if (file.endsWith('.md')) return markdownDocuments(file, text);
  const kind = /(^|\/)action\.ya?ml$/.test(file) ? 'action' : 'workflow';
  const document = { file, kind, firstLine: 1, wrapperLines: 0, indent: 0, pinned: kind === 'workflow' } as const;
  return { documents: [{ ...document, text: resolvableLocalUses(text) }], skipped: [] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = path.resolve(
    rootAt >= 0 ? args.splice(rootAt, 2)[1] : path.join(fileURLToPath(import.meta.url), '../..'),
  );
  const files = args.length ? args.map((f) => path.relative(root, path.resolve(f))) : repositoryFiles(root);
  const documents: Document[] = [];
  for (const file of files) {
    const found = documentsOf(root, file);
    documents.push(...found.documents);
    for (const line of found.skipped) console.log(`${file}:${line}: not a workflow, job or step; left out`);
  }
  const findings = await checkDocuments(root, documents);
  for (const f of findings) {
    const where = `${f.file}:${f.line}:${f.column}`;
    console.log(
      process.env.GITHUB_ACTIONS === 'true'
        ? `::${f.severity} file=${f.file},line=${f.line},col=${f.column}::${f.message}`
        : `${where}: ${f.severity}: ${f.message}`,
    );
  }
  const counts = `${documents.length} documents in ${files.length} files`;
  if (findings.length) {
    console.log(`check-workflows: ${findings.length} problems in ${counts}`);
    process.exitCode = 1;
  } else {
    console.log(`check-workflows: ${counts}, no errors or warnings`);
  }
}
