/**
 * Lambda runtime ids and the families that decide where a layer's files must sit under /opt.
 * The list of valid ids is the SDK's own enum, so a new runtime is accepted as soon as the SDK knows it.
 */
import { Runtime } from '@aws-sdk/client-lambda';

export const RUNTIME_IDS: readonly string[] = Object.values(Runtime);

/**
 * Runtimes AWS supported for new functions when this list was written (2026-11). Others in the enum are deprecated:
 * AWS still accepts them for layers, so they only earn a warning.
 */
const SUPPORTED = new Set([
  'nodejs22.x',
  'nodejs24.x',
  'nodejs26.x',
  'python3.12',
  'python3.13',
  'python3.14',
  'python3.15',
  'java21',
  'java25',
  'java8.al2023',
  'java11.al2023',
  'java17.al2023',
  'dotnet10',
  'ruby3.3',
  'ruby3.4',
  'ruby4.0',
  'provided.al2023',
]);

export const FAMILIES = ['python', 'nodejs', 'ruby', 'java', 'dotnet', 'go', 'provided'] as const;
export type Family = (typeof FAMILIES)[number];

export function isRuntime(id: string): boolean {
  return RUNTIME_IDS.includes(id);
}

export function isDeprecated(id: string): boolean {
  return isRuntime(id) && !SUPPORTED.has(id);
}

/** The family of a valid runtime id: its leading letters (`python3.12` -> python, `dotnetcore3.1` -> dotnet). */
export function familyOf(id: string): Family {
  const family = FAMILIES.find((f) => id.startsWith(f));
  if (!family) throw new Error(`No family known for runtime '${id}'`);
  return family;
}

/** Ruby's gem directory version for a runtime: `ruby3.3` -> `3.3.0` (the layout Lambda puts on GEM_PATH). */
export function rubyGemVersion(id: string): string {
  const match = /^ruby(\d+)\.(\d+)$/.exec(id);
  if (!match) throw new Error(`Not a ruby runtime: '${id}'`);
  return `${match[1]}.${match[2]}.0`;
}
