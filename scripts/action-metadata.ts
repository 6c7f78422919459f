/**
 * The sub-actions' action.yml files are the source of truth for inputs and outputs. From them this module derives
 * the root action.yml (input `command` selects the sub-action) and the README's reference tables, so the three never
 * drift: `npm run generate` writes them, and a test fails when they are stale.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import YAML from 'yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const COMMANDS = ['build', 'publish', 'report', 'resolve', 'rollout'] as const;
export type Command = (typeof COMMANDS)[number];

export interface InputSpec {
  description: string;
  required?: boolean;
  default?: string;
}
export interface OutputSpec {
  description: string;
}
export interface ActionSpec {
  name: string;
  description: string;
  author?: string;
  branding?: Record<string, string>;
  inputs?: Record<string, InputSpec>;
  outputs?: Record<string, OutputSpec>;
  runs: { using: string; main: string };
}

export async function readAction(file: string): Promise<ActionSpec> {
  return YAML.parse(await readFile(path.join(ROOT, file), 'utf8')) as ActionSpec;
}

export async function readSubActions(): Promise<Record<Command, ActionSpec>> {
  const entries = await Promise.all(COMMANDS.map(async (c) => [c, await readAction(`${c}/action.yml`)] as const));
  return Object.fromEntries(entries) as Record<Command, ActionSpec>;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The root action: every sub-action's inputs, each described per command where the commands differ. */
export function rootAction(subs: Record<Command, ActionSpec>): ActionSpec {
  const inputs: Record<string, InputSpec> = {
    command: {
      description: `What to do: ${COMMANDS.map((c) => `\`${c}\` (${oneLine(subs[c].description)})`).join('; ')}.`,
      required: true,
    },
  };
  const outputs: Record<string, OutputSpec> = {};
  const inputNames = [...new Set(COMMANDS.flatMap((c) => Object.keys(subs[c].inputs ?? {})))];
  for (const name of inputNames) {
    const users = COMMANDS.filter((c) => subs[c].inputs?.[name]);
    const specs = users.map((c) => subs[c].inputs![name]);
    const defaults = new Set(specs.map((s) => s.default ?? ''));
    const sameText = new Set(specs.map((s) => oneLine(s.description))).size === 1;
    const description = sameText
      ? `${oneLine(specs[0].description)} (${users.join(', ')})`
      : users.map((c, i) => `${c}: ${oneLine(specs[i].description)}`).join(' | ');
    const spec: InputSpec = { description, required: false };
    // A default is only safe at the root when every command that reads the input agrees on it.
    if (defaults.size === 1 && [...defaults][0] !== '') spec.default = [...defaults][0];
    inputs[name] = spec;
  }
  const outputNames = [...new Set(COMMANDS.flatMap((c) => Object.keys(subs[c].outputs ?? {})))];
  for (const name of outputNames) {
    const users = COMMANDS.filter((c) => subs[c].outputs?.[name]);
    const texts = new Set(users.map((c) => oneLine(subs[c].outputs![name].description)));
    outputs[name] = {
      description:
        texts.size === 1
          ? `${[...texts][0]} (${users.join(', ')})`
          : users.map((c) => `${c}: ${oneLine(subs[c].outputs![name].description)}`).join(' | '),
    };
  }
  return {
    name: 'Lambda Layer Release',
    description:
      'Build an AWS Lambda layer deterministically, publish it to many regions in parallel, share it, and write the ARN table on the release.',
    author: 'lambda-layer-release',
    branding: { icon: 'layers', color: 'orange' },
    inputs,
    outputs,
    runs: { using: 'node24', main: 'dist/index.js' },
  };
}

export function renderRootYaml(spec: ActionSpec): string {
  const header =
    '# Generated from build/, publish/, report/, resolve/ and rollout/action.yml by `npm run generate`; do not edit by hand.\n';
  return header + YAML.stringify(spec, { lineWidth: 0 });
}

/** action.yml descriptions are plain text: `__pycache__` or `*.pyc ... *.md` must not turn into emphasis. */
function escapeCell(text: string): string {
  return oneLine(text).replace(/[|*_]/g, (c) => `\\${c}`);
}

/** README reference tables for one command, generated from its action.yml. */
export function renderReference(command: Command, spec: ActionSpec): string {
  const lines = [`#### \`${command}\` inputs`, '', '| input | required | default | description |', '|---|---|---|---|'];
  for (const [name, input] of Object.entries(spec.inputs ?? {})) {
    const def = input.default === undefined || input.default === '' ? '' : `\`${input.default}\``;
    lines.push(`| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${def} | ${escapeCell(input.description)} |`);
  }
  lines.push('', `#### \`${command}\` outputs`, '', '| output | description |', '|---|---|');
  for (const [name, output] of Object.entries(spec.outputs ?? {})) {
    lines.push(`| \`${name}\` | ${escapeCell(output.description)} |`);
  }
  return lines.join('\n');
}

export const REFERENCE_BEGIN = '<!-- reference:begin (generated by `npm run generate` from the action.yml files) -->';
export const REFERENCE_END = '<!-- reference:end -->';

export function patchReadme(readme: string, subs: Record<Command, ActionSpec>): string {
  const body = COMMANDS.map((c) => renderReference(c, subs[c])).join('\n\n');
  const block = `${REFERENCE_BEGIN}\n\n${body}\n\n${REFERENCE_END}`;
  const begin = readme.indexOf(REFERENCE_BEGIN);
  const end = readme.indexOf(REFERENCE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the ${REFERENCE_BEGIN} ... ${REFERENCE_END} block`);
  return readme.slice(0, begin) + block + readme.slice(end + REFERENCE_END.length);
}

/** Formats as `prettier --check` expects, so the generated files pass lint unchanged. */
async function format(text: string, file: string): Promise<string> {
  const options = (await prettier.resolveConfig(path.join(ROOT, file))) ?? {};
  return prettier.format(text, { ...options, filepath: path.join(ROOT, file) });
}

export async function generatedRootYaml(): Promise<string> {
  return format(renderRootYaml(rootAction(await readSubActions())), 'action.yml');
}

export async function generatedReadme(readme: string): Promise<string> {
  return format(patchReadme(readme, await readSubActions()), 'README.md');
}
