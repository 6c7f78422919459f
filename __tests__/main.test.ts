import { describe, expect, test } from '@jest/globals';
import { parseCommand } from '../src/action/main.js';

describe('parseCommand', () => {
  test.each(['build', 'publish', 'report', 'resolve', ' Build '])('accepts %p', (value) => {
    expect(parseCommand(value)).toBe(value.trim().toLowerCase());
  });
  test('refuses an unknown command with the list', () => {
    expect(() => parseCommand('deploy')).toThrow(
      "Invalid command 'deploy'. Expected one of: build, publish, report, resolve, rollout.",
    );
  });
});
