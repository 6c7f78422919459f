/**
 * The input toolkit every command's settings are read with. Raw inputs (what the runner passes, by their action.yml
 * names) go in; checked values come out, and each mistake is one ConfigurationError that names the input. Nothing
 * here reads the environment: the action shell (src/action/inputs.ts) gathers the raw values, and tests pass them.
 *
 *     const input = inputReader(raw, DEFAULTS.publish);
 *     input.boolean('dry-run');                       // '' -> the SPEC default 'false' -> false
 *     input.choice('fail-on', FAIL_ON);               // 'ANY' -> 'any'; 'some' -> "Input 'fail-on' must be one of ..."
 */
import { ConfigurationError } from '../errors.js';

/** Inputs by name as the runner passes them (INPUT_<NAME>); an absent one is ''. */
export type RawInputs<Name extends string = string> = Partial<Record<Name, string>>;

/** Lists accept commas, spaces or newlines (SPEC). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const CREDENTIAL_DEFAULTS = { 'role-session-name': 'lambda-layer-release', audience: 'sts.amazonaws.com' } as const;

/**
 * SPEC's defaults: what an empty input means, per command, spelled as action.yml spells them (a test holds the two
 * equal). Defaults computed from other inputs or the run (build's `version`, `artifact-name`, `exclude`) are the
 * parsers' own.
 */
export const DEFAULTS = {
  build: { layout: 'auto', upload: 'true' },
  publish: {
    ...CREDENTIAL_DEFAULTS,
    's3-prefix': 'lambda-layers/',
    's3-keep': 'false',
    'max-parallel': 'auto',
    'skip-unchanged': 'true',
    'align-versions': 'off',
    'fail-on': 'any',
    'dry-run': 'false',
    'keep-versions': '0',
    release: 'auto',
  },
  report: { release: 'auto', 'fail-on': 'any' },
  resolve: { ...CREDENTIAL_DEFAULTS, version: 'latest', source: 'aws' },
  rollout: {
    ...CREDENTIAL_DEFAULTS,
    functions: 'tagged',
    source: 'aws',
    'max-parallel': '4',
    'dry-run': 'false',
    'fail-on': 'any',
  },
} as const satisfies Record<string, Record<string, string>>;

export interface InputReader<Name extends string> {
  /** The value, trimmed; the default when empty; '' when there is neither. */
  text(name: Name): string;
  required(name: Name): string;
  list(name: Name): string[];
  /** true/yes/1/on or false/no/0/off, any case. */
  boolean(name: Name): boolean;
  /** One of `choices`, compared in lower case. */
  choice<T extends string>(name: Name, choices: readonly T[]): T;
  /** A whole number from `min` to `max` (digits only); undefined when empty without a default. */
  integer(name: Name, min: number, max?: number): number | undefined;
}

export function inputReader<Name extends string>(
  raw: RawInputs<Name>,
  defaults: Partial<Record<Name, string>> = {},
): InputReader<Name> {
  const text = (name: Name) => (raw[name] ?? '').trim() || (defaults[name] ?? '');
  const withDefault = (name: Name) => {
    const value = text(name);
    // Every boolean and choice input has a SPEC default; one without is a mistake in this code, not the user's.
    if (value === '') throw new Error(`Input '${name}' has no default`);
    return value.toLowerCase();
  };
  return {
    text,
    required(name) {
      const value = text(name);
      if (!value) throw new ConfigurationError(`Input '${name}' is required.`);
      return value;
    },
    list: (name) => splitList(text(name)),
    boolean(name) {
      const value = withDefault(name);
      if (['true', 'yes', '1', 'on'].includes(value)) return true;
      if (['false', 'no', '0', 'off'].includes(value)) return false;
      throw new ConfigurationError(`Input '${name}' must be true or false, got '${value}'.`);
    },
    choice<T extends string>(name: Name, choices: readonly T[]): T {
      const value = withDefault(name);
      if ((choices as readonly string[]).includes(value)) return value as T;
      throw new ConfigurationError(`Input '${name}' must be one of ${choices.join(', ')}, got '${value}'.`);
    },
    integer(name, min, max = Number.MAX_SAFE_INTEGER) {
      const value = text(name);
      if (value === '') return undefined;
      // Digits only: Number() would also take '1e2', '0x10' or '5.0', which nobody means as a count.
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max) {
        throw new ConfigurationError(`Input '${name}' must be a whole number from ${min} to ${max}, got '${value}'.`);
      }
      return n;
    },
  };
}
