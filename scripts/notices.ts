/**
 * Third-party notices for what the bundle actually contains.
 *
 * `npm run bundle` has ncc write webpack's stats (every module it put into dist/, lazily loaded chunks included);
 * this script maps each bundled module to the package folder it came from (nested copies and versions included),
 * reads that package's licence file and writes dist/licenses.txt. ncc's own `--license` covered only the chunk it
 * emitted last (2 of ~200 packages), hence this.
 *
 *   tsx scripts/notices.ts <stats.json> [out]   default out: dist/licenses.txt
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BundledPackage {
  name: string;
  version: string;
  /** The SPDX expression (or legacy text) package.json declares; '' when it declares none. */
  license: string;
  repository: string;
  /** Folder relative to the project, e.g. node_modules/lazystream/node_modules/isarray. */
  dir: string;
  /** The licence text the package ships, or the licence section of its README, or ''. */
  text: string;
  /** Where the text came from: a file name, "README" or ''. */
  textSource: string;
}

interface StatsModule {
  name?: string;
  modules?: StatsModule[];
}

interface Stats {
  modules?: StatsModule[];
  children?: Stats[];
}

/** Every module name webpack's stats list, concatenated modules and child compilations included. */
export function moduleNames(stats: Stats): string[] {
  const names: string[] = [];
  const visit = (modules: StatsModule[] = []) => {
    for (const m of modules) {
      if (m.name) names.push(m.name);
      visit(m.modules);
    }
  };
  visit(stats.modules);
  for (const child of stats.children ?? []) names.push(...moduleNames(child));
  return names;
}

/** The package folder a module path lies in: the last node_modules/<name> or node_modules/@scope/<name> on it. */
export function packageDirOf(moduleName: string): string | undefined {
  const clean = moduleName.replace(/^\.\//, '').replace(/ \+ \d+ modules?$/, '');
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(clean);
  return match?.[1];
}

const LICENSE_FILE = /^(licen[cs]e|copying|unlicense)(\b|[-_.]|$)/i;
const NOTICE_FILE = /^notice(\b|[-_.]|$)/i;

function licenseText(root: string, dir: string): { text: string; textSource: string } {
  const files = readdirSync(path.join(root, dir)).sort();
  const texts = [...files.filter((f) => LICENSE_FILE.test(f)), ...files.filter((f) => NOTICE_FILE.test(f))];
  if (texts.length > 0) {
    return {
      text: texts.map((f) => readFileSync(path.join(root, dir, f), 'utf8').trim()).join('\n\n'),
      textSource: texts.join(', '),
    };
  }
  // A few old packages state their licence only in the README (`## License` followed by the text).
  const readme = files.find((f) => /^readme(\.|$)/i.test(f));
  if (readme) {
    const section =
      /^(?:#+\s*licen[cs]e\s*|licen[cs]e\s*\n[=-]+\s*)\n([\s\S]*?)(?=\n#+\s|\n\S[^\n]*\n[=-]{3,}\s*\n|$)/im.exec(
        readFileSync(path.join(root, dir, readme), 'utf8'),
      );
    if (section?.[1].trim()) return { text: section[1].trim(), textSource: 'README' };
  }
  return { text: '', textSource: '' };
}

function declaredLicense(pkg: { license?: unknown; licenses?: unknown }): string {
  const one = (l: unknown) => (typeof l === 'string' ? l : ((l as { type?: string } | undefined)?.type ?? ''));
  if (pkg.license) return one(pkg.license);
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map(one).filter(Boolean).join(' OR ');
  return '';
}

function repositoryOf(pkg: { repository?: unknown; homepage?: unknown }): string {
  const repo = pkg.repository;
  const url = typeof repo === 'string' ? repo : ((repo as { url?: string } | undefined)?.url ?? '');
  return (url || (typeof pkg.homepage === 'string' ? pkg.homepage : ''))
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://');
}

/** The packages the bundle holds, one per folder (two versions of one package are two entries), sorted. */
export function bundledPackages(stats: Stats, root: string): BundledPackage[] {
  const dirs = new Set(
    moduleNames(stats)
      .map(packageDirOf)
      .filter((d): d is string => d !== undefined),
  );
  const packages = [...dirs].map((dir): BundledPackage => {
    const pkg = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    return {
      name: pkg.name,
      version: pkg.version,
      license: declaredLicense(pkg),
      repository: repositoryOf(pkg),
      dir,
      ...licenseText(root, dir),
    };
  });
  const key = (p: BundledPackage) => `${p.name}@${p.version}`;
  const unique = [...new Map(packages.map((p) => [key(p), p])).values()];
  unique.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  // Packages of a monorepo that ship no licence file of their own (three of the AWS SDK's) are under the text their
  // siblings from the same repository and with the same declared licence ship.
  for (const p of unique.filter((p) => !p.text && p.repository && p.license)) {
    const sibling = unique.find((s) => s.text && s.repository === p.repository && s.license === p.license);
    if (sibling) Object.assign(p, { text: sibling.text, textSource: `repository (the text ${key(sibling)} ships)` });
  }
  return unique;
}

/**
 * The notices: an index of every package, then each distinct licence text once, headed by the packages it covers
 * (about 60 AWS SDK packages ship the same Apache-2.0 text).
 */
export function renderNotices(packages: BundledPackage[]): string {
  const lines = [
    'Third-party software bundled in dist/ (generated by scripts/notices.ts from the bundle; do not edit)',
    '',
    `${packages.length} packages:`,
    '',
    ...packages.map((p) => `- ${p.name}@${p.version} (${p.license || 'no licence declared'})`),
  ];
  const byText = new Map<string, BundledPackage[]>();
  for (const p of packages) byText.set(p.text, [...(byText.get(p.text) ?? []), p]);
  for (const [text, group] of byText) {
    lines.push('', '-'.repeat(100), '');
    for (const p of group) {
      const source = p.textSource ? `, text from its ${p.textSource}` : '';
      lines.push(`${p.name}@${p.version}  ${p.license || 'no licence declared'}  ${p.repository}${source}`);
    }
    lines.push('');
    lines.push(
      text ||
        'These packages ship no licence text (no LICENSE file, none in the README); the licence named is the one their package.json declares.',
    );
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [statsPath, out = 'dist/licenses.txt'] = process.argv.slice(2);
  if (!statsPath) throw new Error('usage: tsx scripts/notices.ts <ncc stats.json> [out]');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const packages = bundledPackages(JSON.parse(readFileSync(statsPath, 'utf8')), root);
  writeFileSync(path.resolve(root, out), renderNotices(packages));
  console.log(`${out}: notices for ${packages.length} bundled packages`);
}
