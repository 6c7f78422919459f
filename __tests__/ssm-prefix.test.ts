import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { pointerNames } from '../src/publish/follow-ups/ssm-pointers.js';
import { validateSsmPrefix } from '../src/settings/ssm-prefix.js';

describe('validateSsmPrefix', () => {
  test.each([
    ['/lambda-layers', '/lambda-layers'],
    ['/lambda-layers/', '/lambda-layers'],
    [' /org/team_a/layers.v1 ', '/org/team_a/layers.v1'],
    ['/', ''],
  ])('accepts %p as %p', (input, prefix) => {
    expect(validateSsmPrefix(input, 'otel')).toBe(prefix);
  });

  test.each([
    ['layers', 'must start with /'],
    ['/a//b', 'may hold only letters'],
    ['/a b', 'may hold only letters'],
    ['/layers/ü', 'may hold only letters'],
    ['/aws/layers', "may not begin with 'aws' or 'ssm'"],
    ['/SSM-things', "may not begin with 'aws' or 'ssm'"],
    [`/${Array.from({ length: 14 }, (_, i) => `l${i}`).join('/')}`, 'too deep'],
    [`/${'x'.repeat(1000)}`, 'too long'],
  ])('refuses %p', (input, message) => {
    expect(() => validateSsmPrefix(input, 'otel')).toThrow(ConfigurationError);
    expect(() => validateSsmPrefix(input, 'otel')).toThrow(message);
  });

  test('a root prefix checks the layer name against the reserved words', () => {
    expect(() => validateSsmPrefix('/', 'aws-sdk')).toThrow("may not begin with 'aws'");
  });

  test('without the layer name the length allows for the longest name', () => {
    const prefix = `/${'x'.repeat(1011 - 55 - 1 - 140 - 7 - 1)}`;
    expect(validateSsmPrefix(prefix)).toBe(prefix);
    expect(() => validateSsmPrefix(`${prefix}x`)).toThrow('too long');
    expect(validateSsmPrefix(`${prefix}x`, 'otel')).toBe(`${prefix}x`);
  });
});

test.each([
  ['1.4.2', '/p/otel/1'],
  ['0.3.0', '/p/otel/0'],
  ['12.0.1', '/p/otel/12'],
])('pointerNames for %p', (version, major) => {
  expect(pointerNames('/p', 'otel', version)).toEqual({ latest: '/p/otel/latest', major });
});
