/**
 * src/cancel.ts: what a cancelled step undoes. Every undo registered and not yet unregistered runs once, all at
 * once; one that hangs does not hold the step past the bound; one that fails is reported, not thrown.
 */
import { describe, expect, test } from '@jest/globals';
import { runUndos, undoOnCancel } from '../src/cancel.js';

describe('undos on cancel', () => {
  test('registered undos run once, at once; unregistered ones not at all', async () => {
    const ran: string[] = [];
    let inFlight = 0;
    let most = 0;
    const undo = (what: string) => async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setImmediate(r));
      ran.push(what);
      inFlight--;
    };
    undoOnCancel('abort a', undo('a'));
    const unregister = undoOnCancel('abort b', undo('b'));
    undoOnCancel('abort c', undo('c'));
    unregister();
    expect(await runUndos(10_000)).toEqual({ done: ['abort a', 'abort c'], unfinished: [] });
    expect(ran.sort()).toEqual(['a', 'c']);
    expect(most).toBe(2);
    // Asked again (a second signal): nothing runs twice.
    expect(await runUndos(10_000)).toEqual({ done: [], unfinished: [] });
    expect(ran).toHaveLength(2);
  });

  test('a failing undo and one still running at the bound are unfinished; the others done', async () => {
    undoOnCancel('abort the hanging one', () => new Promise(() => undefined));
    undoOnCancel('abort the failing one', () => Promise.reject(new Error('NoSuchUpload')));
    undoOnCancel('abort the quick one', () => Promise.resolve());
    expect(await runUndos(20)).toEqual({
      done: ['abort the quick one'],
      unfinished: ['abort the hanging one', 'abort the failing one'],
    });
  });

  test('nothing registered: resolves at once, whatever the bound', async () => {
    const started = Date.now();
    expect(await runUndos(60_000)).toEqual({ done: [], unfinished: [] });
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
