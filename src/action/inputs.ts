/**
 * The action shell's half of reading inputs: the raw values, as the runner passes them, for a command's parser in
 * src/settings/ (which checks them and applies SPEC's defaults).
 */
import * as core from '@actions/core';
import type { RawInputs } from '../settings/inputs.js';

export function gatherInputs<Name extends string>(names: readonly Name[]): RawInputs<Name> {
  const raw: RawInputs<Name> = {};
  for (const name of names) raw[name] = core.getInput(name);
  // The runner masks `${{ github.token }}`; a token passed another way is masked here, before anything is logged.
  const token = (raw as RawInputs)['github-token'];
  if (token) core.setSecret(token);
  return raw;
}
