import { describe, expect, test } from '@jest/globals';
import { ConfigurationError } from '../src/errors.js';
import { decideLayout, parseLayout, type TopEntry } from '../src/layer/layout.js';

const dirs = (...names: string[]): TopEntry[] => names.map((name) => ({ name, dir: true }));
const files = (...names: string[]): TopEntry[] => names.map((name) => ({ name, dir: false }));
const auto = { kind: 'auto' } as const;

describe('layout auto: the table', () => {
  test.each<[string, string[], TopEntry[], string, string]>([
    // already laid out for /opt: kept whatever the runtimes
    ['python/ kept', ['python3.12'], dirs('python'), '', 'kept'],
    ['nodejs/ kept', ['nodejs22.x'], dirs('nodejs'), '', 'kept'],
    ['ruby/ kept', ['ruby3.3'], dirs('ruby'), '', 'kept'],
    ['java/ kept', ['java21'], dirs('java'), '', 'kept'],
    ['bin/ kept', ['provided.al2023'], dirs('bin'), '', 'kept'],
    ['lib/ kept', [], dirs('lib'), '', 'kept'],
    ['extensions/ kept', [], [...dirs('extensions'), ...files('README.md')], '', 'kept'],
    ['bootstrap kept', ['provided.al2023'], files('bootstrap'), '', 'kept'],
    ['mixed families, laid out', ['python3.12', 'nodejs22.x'], dirs('nodejs', 'python'), '', 'kept'],
    ['collector config beside extensions', [], dirs('collector-config', 'extensions'), '', 'kept'],
    // bare trees: wrapped under the prefix the runtimes imply
    ['python package', ['python3.12', 'python3.13'], dirs('requests', 'urllib3'), 'python', 'wrapped'],
    ['python module file', ['python3.9'], files('six.py'), 'python', 'wrapped'],
    ['node_modules content', ['nodejs20.x'], dirs('lodash', '@aws-sdk'), 'nodejs/node_modules', 'wrapped'],
    ['node project', ['nodejs22.x'], [...dirs('node_modules'), ...files('package.json')], 'nodejs', 'wrapped'],
    ['ruby gem tree', ['ruby3.3'], dirs('gems', 'specifications', 'extensions2'), 'ruby/gems/3.3.0', 'wrapped'],
    ['ruby plain files', ['ruby3.4', 'ruby3.3'], files('helper.rb'), 'ruby/lib', 'wrapped'],
    ['java jars', ['java17', 'java21'], files('a.jar', 'b.jar'), 'java/lib', 'wrapped'],
  ])('%s', (_name, runtimes, top, prefix, how) => {
    const decision = decideLayout(auto, runtimes, top);
    expect({ prefix: decision.prefix, how: decision.how }).toEqual({ prefix, how });
  });
});

describe('layout auto: cannot tell', () => {
  test.each<[string, string[], TopEntry[], RegExp]>([
    ['no runtimes', [], dirs('requests'), /without compatible-runtimes/],
    ['families differ', ['python3.12', 'nodejs22.x'], dirs('lib2'), /different families \(python, nodejs\)/],
    ['custom runtime, bare binary', ['provided.al2023'], files('mytool'), /provided runtimes read only bin\//],
    ['dotnet', ['dotnet8'], files('a.dll'), /dotnet runtimes read only/],
    ['ruby gems for two versions', ['ruby3.3', 'ruby3.4'], dirs('gems', 'specifications'), /one Ruby version/],
  ])('%s', (_name, runtimes, top, message) => {
    let error: unknown;
    try {
      decideLayout(auto, runtimes, top);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Input 'layout'/);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  test('the message shows the expected layout', () => {
    expect(() => decideLayout(auto, [], dirs('requests'))).toThrow(
      /python\/…, nodejs\/node_modules\/…, ruby\/gems\/x\.y\.0\/… or ruby\/lib\/…, java\/lib\/…, bin\/…, lib\/…, extensions\/…/,
    );
  });
});

describe('layout auto: warnings on a laid-out tree', () => {
  test.each<[string, string[], TopEntry[], number]>([
    ['python runtime, only nodejs/', ['python3.12'], dirs('nodejs'), 1],
    ['python runtime, python/', ['python3.12'], dirs('python'), 0],
    ['python runtime, only bin/', ['python3.12'], dirs('bin'), 0],
    ['custom runtime, nodejs/', ['provided.al2023'], dirs('nodejs'), 0],
  ])('%s', (_name, runtimes, top, count) => {
    expect(decideLayout(auto, runtimes, top).warnings).toHaveLength(count);
  });
});

describe('parseLayout', () => {
  test.each<[string, ReturnType<typeof parseLayout>]>([
    ['', { kind: 'auto' }],
    ['auto', { kind: 'auto' }],
    ['AUTO', { kind: 'auto' }],
    ['none', { kind: 'none' }],
    ['python', { kind: 'prefix', prefix: 'python' }],
    ['python/lib/python3.12/site-packages/', { kind: 'prefix', prefix: 'python/lib/python3.12/site-packages' }],
    ['nodejs/node22/node_modules', { kind: 'prefix', prefix: 'nodejs/node22/node_modules' }],
  ])('accepts %p', (value, expected) => {
    expect(parseLayout(value)).toEqual(expected);
  });

  test.each(['/opt/python', '../python', 'python/../..', 'python//lib', './python', 'py thon', 'a\\b', 'python/.'])(
    'refuses %p naming the input',
    (value) => {
      expect(() => parseLayout(value)).toThrow(/^Input 'layout' must be auto, none, or a relative folder/);
    },
  );

  test('explicit prefix and none are taken as given', () => {
    expect(decideLayout(parseLayout('python'), [], dirs('python'))).toMatchObject({
      prefix: 'python',
      how: 'explicit',
    });
    expect(decideLayout(parseLayout('none'), [], dirs('x'))).toMatchObject({ prefix: '', how: 'none' });
  });
});
