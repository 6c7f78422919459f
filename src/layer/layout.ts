/**
 * Where a layer's files must sit so that each runtime finds them once Lambda extracts the zip into /opt.
 * The table below is the one place that knows it (source: AWS "Packaging your layer content", checked 2026-11);
 * docs/build.md shows it to users.
 */
import { ConfigurationError } from '../errors.js';
import { familyOf, rubyGemVersion, type Family } from './runtimes.js';

export interface FamilyLayout {
  /** Folders (under /opt) that the runtime puts on its search path. */
  paths: string[];
  /** The prefix `layout: auto` wraps a tree under when it is not laid out yet; undefined: auto cannot guess. */
  wrap?: (top: TopEntry[], runtimes: string[]) => string;
}

/** Folders every runtime sees: executables on PATH, shared libraries on LD_LIBRARY_PATH, extensions started by Lambda. */
export const COMMON_PATHS = ['bin/', 'lib/', 'extensions/'];

export const LAYOUTS: Record<Family, FamilyLayout> = {
  python: {
    paths: ['python/', 'python/lib/python3.x/site-packages/'],
    wrap: () => 'python',
  },
  nodejs: {
    paths: ['nodejs/node_modules/', 'nodejs/nodeNN/node_modules/'],
    // A project folder (one holding node_modules/) goes under nodejs/; a bare node_modules folder under its parent.
    wrap: (top) => (top.some((e) => e.dir && e.name === 'node_modules') ? 'nodejs' : 'nodejs/node_modules'),
  },
  ruby: {
    paths: ['ruby/gems/x.y.0/', 'ruby/lib/'],
    // A `gem install --install-dir` tree (gems/ and specifications/) goes on GEM_PATH; plain .rb files on RUBYLIB.
    wrap: (top, runtimes) => {
      const gemTree = ['gems', 'specifications'].every((n) => top.some((e) => e.dir && e.name === n));
      if (!gemTree) return 'ruby/lib';
      const versions = [...new Set(runtimes.map(rubyGemVersion))];
      if (versions.length !== 1) {
        throw new ConfigurationError(
          `Input 'layout': a gem tree needs one Ruby version, but compatible-runtimes has ${runtimes.join(', ')}; set layout to ruby/gems/<x.y.0> or ruby/lib.`,
        );
      }
      return `ruby/gems/${versions[0]}`;
    },
  },
  java: { paths: ['java/lib/'], wrap: () => 'java/lib' },
  // Custom runtimes, .NET and Go read nothing language-specific from /opt: only the common folders and bootstrap.
  provided: { paths: ['bootstrap'] },
  dotnet: { paths: [] },
  go: { paths: [] },
};

/** Top-level names that show a tree is already laid out for /opt. */
const OPT_ROOT_DIRS = new Set(['python', 'nodejs', 'ruby', 'java', 'bin', 'lib', 'extensions']);
const OPT_ROOT_FILES = new Set(['bootstrap']);

export interface TopEntry {
  name: string;
  dir: boolean;
}

export type LayoutSetting = { kind: 'auto' } | { kind: 'none' } | { kind: 'prefix'; prefix: string };

export interface LayoutDecision {
  /** Folder the tree is wrapped under inside the zip ('' for none). */
  prefix: string;
  how: 'kept' | 'wrapped' | 'none' | 'explicit';
  warnings: string[];
}

const PREFIX_SEGMENT = /^[A-Za-z0-9@+_-][A-Za-z0-9@+_.-]*$/;

export function parseLayout(value: string): LayoutSetting {
  const text = value.trim();
  if (text === '' || text.toLowerCase() === 'auto') return { kind: 'auto' };
  if (text.toLowerCase() === 'none') return { kind: 'none' };
  const prefix = text.replace(/\/+$/, '');
  const segments = prefix.split('/');
  if (prefix.startsWith('/') || segments.some((s) => !PREFIX_SEGMENT.test(s) || s === '.' || s === '..')) {
    throw new ConfigurationError(
      `Input 'layout' must be auto, none, or a relative folder such as python/lib/python3.12/site-packages (no leading '/', '.', '..' or backslashes), got '${value}'.`,
    );
  }
  return { kind: 'prefix', prefix };
}

const EXPECTED =
  'python/…, nodejs/node_modules/…, ruby/gems/x.y.0/… or ruby/lib/…, java/lib/…, bin/…, lib/…, extensions/…';

/**
 * Decides the zip prefix for a tree whose top-level entries are `top`. `auto` keeps a laid-out tree, wraps a bare one
 * under the prefix its runtimes imply, and otherwise fails with the expected layout.
 */
export function decideLayout(setting: LayoutSetting, runtimes: string[], top: TopEntry[]): LayoutDecision {
  if (setting.kind === 'none') return { prefix: '', how: 'none', warnings: [] };
  if (setting.kind === 'prefix') {
    return { prefix: setting.prefix, how: 'explicit', warnings: prefixWarnings(setting.prefix, runtimes) };
  }
  if (isLaidOut(top)) return { prefix: '', how: 'kept', warnings: mismatchWarnings(runtimes, top) };

  const families = [...new Set(runtimes.map(familyOf))];
  const shown = top
    .slice(0, 4)
    .map((e) => (e.dir ? `${e.name}/` : e.name))
    .join(', ');
  const hint = `lay it out as Lambda expects under /opt (${EXPECTED}), or set layout to a folder (e.g. python) or none.`;
  if (families.length === 0) {
    throw new ConfigurationError(
      `Input 'layout': cannot tell where the files (${shown}) belong without compatible-runtimes; ${hint}`,
    );
  }
  if (families.length > 1) {
    throw new ConfigurationError(
      `Input 'layout': the runtimes are of different families (${families.join(', ')}), so auto cannot choose one folder for ${shown}; ${hint}`,
    );
  }
  const wrap = LAYOUTS[families[0]].wrap;
  if (!wrap) {
    throw new ConfigurationError(
      `Input 'layout': ${families[0]} runtimes read only bin/, lib/, extensions/ and bootstrap from /opt, and the folder has ${shown} at its top; ${hint}`,
    );
  }
  return { prefix: wrap(top, runtimes), how: 'wrapped', warnings: [] };
}

/**
 * An explicit folder outside every folder a runtime reads is allowed (data a function opens by path under /opt),
 * but `opt/python`, `Python` or `node_modules` are far more often a misunderstanding worth a warning.
 */
function prefixWarnings(prefix: string, runtimes: string[]): string[] {
  const first = prefix.split('/')[0];
  if (OPT_ROOT_DIRS.has(first)) return mismatchWarnings(runtimes, [{ name: first, dir: true }]);
  const where = `Input 'layout': '${prefix}' puts the files under /opt/${prefix}/`;
  if (first.toLowerCase() === 'opt') {
    return [`${where}; Lambda extracts the zip into /opt itself, so leave 'opt/' out of the folder.`];
  }
  return [`${where}, which no runtime reads by itself (${EXPECTED}); fine for files a function opens by path.`];
}

function isLaidOut(top: TopEntry[]): boolean {
  return top.some((e) => (e.dir ? OPT_ROOT_DIRS.has(e.name) : OPT_ROOT_FILES.has(e.name)));
}

/** A laid-out tree whose language folders none of its runtimes read is most likely a mistake worth a warning. */
function mismatchWarnings(runtimes: string[], top: TopEntry[]): string[] {
  const dirs = new Set(top.filter((e) => e.dir).map((e) => e.name));
  const warnings: string[] = [];
  for (const family of new Set(runtimes.map(familyOf))) {
    const own = LAYOUTS[family].paths.map((p) => p.split('/')[0]).filter((p) => OPT_ROOT_DIRS.has(p));
    const languageDirs = [...dirs].filter((d) => ['python', 'nodejs', 'ruby', 'java'].includes(d));
    if (own.length > 0 && !own.some((d) => dirs.has(d)) && languageDirs.length > 0) {
      warnings.push(
        `The layer has ${languageDirs.map((d) => `${d}/`).join(', ')} but no ${own[0]}/ folder, which ${family} runtimes read (${LAYOUTS[family].paths.join(', ')}).`,
      );
    }
  }
  return warnings;
}
