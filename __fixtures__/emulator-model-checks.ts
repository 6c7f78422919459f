/**
 * The checks every operation of an emulated REST-JSON service gets against botocore's model (used by the Lambda
 * layer and function model suites): its route and success code, its answer's shape, every generated constraint
 * violation, the front door's regions, and the emulator's constraint table compared with the model.
 */
import { describe, expect, test } from '@jest/globals';
import type { RunningEmulator } from '../emulators/index.js';
import type { Constraint } from '../emulators/aws/lambda/validation.js';
import { shapeProblems, violations, type Input, type ModelAnswer } from './emulator-model.js';
import type { BotocoreModel, Operation, Shape } from './emulator-python.js';

export interface OperationChecks {
  model: BotocoreModel;
  call: (op: Operation, input: Input, region?: string) => Promise<ModelAnswer>;
  /** A valid input per operation, with every member the emulator models. */
  full: Record<string, Input>;
  /** Member paths an operation's answer leaves out (`Layers[].Arn` for every item of a list). */
  absent: (operation: string) => string[];
  /** Member paths the emulator models per operation (others are not generated); all by default. */
  modelled?: (operation: string) => (path: string) => boolean;
  /** `Operation case name` -> [status, code] where AWS answers a generated violation otherwise than 400. */
  awsOwn?: Record<string, [number, string]>;
  /** Success codes AWS answers with where the model says another. */
  status?: Record<string, number>;
  /** [region, status, code]: regions the emulator was started with as not enabled or denied. */
  regions: [string, number, string][];
}

export function describeOperationChecks(checks: OperationChecks): void {
  const { model, call, full } = checks;
  const op = (name: string) => model.operations[name];
  describe.each(Object.keys(full))('%s', (name) => {
    test('answers at the model’s route with its success code, in its output shape', async () => {
      const answer = await call(op(name), full[name]);
      expect(answer.status).toBe(checks.status?.[name] ?? op(name).http.responseCode ?? 200);
      const output = op(name).output?.shape;
      if (output && answer.status !== 204) {
        const options = { full: true, absent: checks.absent(name) };
        expect(shapeProblems(model, output, answer.json, '', options)).toEqual([]);
      } else expect(answer.json).toBeUndefined();
    });

    const cases = violations(model, op(name), full[name], checks.modelled?.(name));
    if (cases.length) {
      test.each(cases.map((c) => [c.name, c] as const))('refuses %s', async (caseName, violation) => {
        const answer = await call(op(name), violation.input);
        const [status, code] = checks.awsOwn?.[`${name} ${caseName}`] ?? [400, 'ValidationException'];
        expect([answer.status, answer.headers.get('x-amzn-errortype')]).toEqual([status, code]);
        expect(String(answer.json?.message)).toContain(
          `at '${violation.field}' failed to satisfy constraint: Member must ${violation.rule}`,
        );
      });
    }

    test.each(checks.regions)('in %s answers %d %s', async (region, status, code) => {
      const answer = await call(op(name), full[name], region);
      expect([answer.status, answer.headers.get('x-amzn-errortype')]).toEqual([status, code]);
    });
  });
}

/**
 * Where the emulator's constraint table differs from the model's shapes: type, lengths, ranges, pattern (the
 * model's; `awsPattern` is the emulator's own addition) and list members must be the same; every enum value the
 * model knows must be accepted (a newer SDK enum may know more).
 */
export function tableDifferences(shapes: Map<string, Shape>, ours: Record<string, Constraint>): string[] {
  const problems: string[] = [];
  for (const [name, shape] of shapes) {
    const mine = ours[name];
    if (!mine) {
      problems.push(`${name}: not in the table`);
      continue;
    }
    const pick = (c: { type: string; min?: number; max?: number; pattern?: string; member?: string }) =>
      JSON.stringify([c.type, c.min, c.max, c.pattern, c.member]);
    const theirs = { ...shape, member: shape.member?.shape };
    if (pick(mine) !== pick(theirs)) problems.push(`${name}: ours ${pick(mine)}, the model's ${pick(theirs)}`);
    const missing = (shape.enum ?? []).filter((v) => !mine.enum?.includes(v));
    if (missing.length) problems.push(`${name}: the model's ${missing.join(', ')} refused`);
  }
  return problems;
}

/** Every operation answers the emulator's 429 and 500 faults with Lambda's codes (the service's own error shapes). */
export function describeFaultChecks(checks: OperationChecks, emulator: () => RunningEmulator): void {
  test.each([
    ['429', 429, 'TooManyRequestsException'],
    ['500', 500, 'ServiceException'],
  ] as const)('every operation answers fault %s as %d %s', async (kind, status, code) => {
    emulator().server.faultPlan.reset({ rate: 1, kinds: [kind], services: ['lambda'] });
    try {
      for (const name of Object.keys(checks.full)) {
        const answer = await checks.call(checks.model.operations[name], checks.full[name]);
        expect([name, answer.status, answer.headers.get('x-amzn-errortype')]).toEqual([name, status, code]);
      }
    } finally {
      emulator().server.faultPlan.reset({ rate: 0 });
    }
  });
}
