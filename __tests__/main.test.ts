import { describe, expect, test } from '@jest/globals';
import { failureText, parseCommand } from '../src/action/main.js';
import { ConfigurationError, FailOnVerdict, httpFailure, ServiceError, stepFailure } from '../src/errors.js';

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

describe('failureText', () => {
  test.each([
    ['a user mistake', new ConfigurationError("Input 'regions' is required.")],
    ['a service outage', new ServiceError('Could not list the versions of layer x in us-east-1: HTTP 503')],
    ['the fail-on verdict', new FailOnVerdict("Layer 'x' 1.0.0 failed in 1 of 2 regions: us-east-1 (fail-on: any).")],
  ])('%s is its one line, without a stack', (_name, err) => {
    expect(failureText(err)).toBe(err.message);
  });

  test('anything else is a bug and keeps its stack', () => {
    const bug = new TypeError('x is undefined');
    const text = failureText(bug);
    expect(text).toContain(bug.stack);
    expect(text).toMatch(/This is a bug in lambda-layer-release/);
  });
});

describe('httpFailure', () => {
  test.each([
    [401, ConfigurationError],
    [403, ConfigurationError],
    [404, ConfigurationError],
    [422, ConfigurationError],
    [408, ServiceError],
    [429, ServiceError],
    [500, ServiceError],
    [503, ServiceError],
    [undefined, ServiceError],
  ])('HTTP %p is a %p', (status, kind) => {
    expect(httpFailure('x', status)).toBeInstanceOf(kind);
  });
});

describe('stepFailure', () => {
  const verdict = "Layer 'x' 1.0.0 failed in 1 of 2 regions: us-east-1 (fail-on: any).";
  test('nothing to say: the step passes', () => {
    expect(stepFailure([undefined, undefined])).toBeUndefined();
  });
  test('the verdict alone is a FailOnVerdict', () => {
    const failure = stepFailure([verdict, undefined]);
    expect(failure).toBeInstanceOf(FailOnVerdict);
    expect(failure?.message).toBe(verdict);
  });
  test('a write that failed decides the kind; every part is in the line, in order', () => {
    const leg = new ServiceError('The result record was not uploaded.');
    const release = new ConfigurationError('Release v1 was not updated: Bad credentials (HTTP 401).');
    expect(stepFailure([verdict, leg])).toEqual(new ServiceError(`${verdict} ${leg.message}`));
    const both = stepFailure([release, verdict, leg]);
    expect(both).toBeInstanceOf(ConfigurationError);
    expect(both?.message).toBe(`${release.message} ${verdict} ${leg.message}`);
  });
});
