import * as core from '@actions/core';
import { ConfigurationError } from '../errors.js';

/** Lists accept commas, spaces or newlines. */
export function splitList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function getString(name: string): string {
  return core.getInput(name).trim();
}

export function getRequired(name: string): string {
  const value = getString(name);
  if (!value) throw new ConfigurationError(`Input '${name}' is required.`);
  return value;
}

export function getList(name: string): string[] {
  return splitList(core.getInput(name));
}

export function getBoolean(name: string, fallback: boolean): boolean {
  const value = getString(name).toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw new ConfigurationError(`Input '${name}' must be true or false, got '${value}'.`);
}

export function getChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = getString(name).toLowerCase();
  if (value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigurationError(`Input '${name}' must be one of ${choices.join(', ')}, got '${value}'.`);
}

export function getInteger(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = getString(name);
  if (value === '') return fallback;
  // Digits only: Number() would also take '1e2', '0x10' or '5.0', which nobody means as a count of days.
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new ConfigurationError(`Input '${name}' must be a whole number from ${min} to ${max}, got '${value}'.`);
  }
  return n;
}
