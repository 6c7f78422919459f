import { json, type EmuResponse } from '../../http.js';
import { readJson, type LambdaCall } from './call.js';
import { invalidParameter, lambdaHeaders, validationError } from './errors.js';
import { listQuery, refuseUnmodelled } from './function-input.js';
import {
  checkNotBusy,
  checkRevision,
  findFunction,
  functionNotFound,
  parseFunctionName,
  viewOf,
  type FunctionRef,
} from './function-names.js';
import { configuration } from './function-output.js';
import { FUNCTION_SHAPES } from './function-shapes.js';
import { settingsKey, type LambdaFunction, type PublishedVersion } from './function-state.js';
import { page } from './layers.js';
import { lambdaDate, newRevisionId } from './state.js';
import { Failures, bodyString } from './validation.js';

const PUBLISH_MEMBERS = ['CodeSha256', 'Description', 'RevisionId'];
const LIST_PAGE = 50;

/**
 * Freezes $LATEST as the next version number, unless nothing changed since the newest version: then AWS publishes
 * nothing and answers with that version. A new version gives $LATEST a new RevisionId, as AWS does.
 */
export function publishSnapshot(call: LambdaCall, fn: LambdaFunction, description?: string): PublishedVersion {
  const key = settingsKey(fn.latest);
  const newest = fn.versions.get(Math.max(0, ...fn.versions.keys()));
  if (newest && newest.sourceKey === key) return newest;
  const version: PublishedVersion = {
    version: fn.nextVersion++,
    settings: structuredClone({ ...fn.latest, ...(description !== undefined ? { description } : {}) }),
    sourceKey: key,
    revisionId: newRevisionId(),
    lastModified: lambdaDate(call.ctx.now()),
  };
  fn.versions.set(version.version, version);
  call.ctx.functions.touch(fn);
  return version;
}

/** The function a /functions/{FunctionName}/... route names; only $LATEST may be named with a qualifier. */
export function unqualifiedFunction(
  call: LambdaCall,
  failures = new Failures(),
): { fn: LambdaFunction; ref: FunctionRef } {
  failures.check('functionName', call.params.functionName, FUNCTION_SHAPES.FunctionName);
  if (failures.list.length) throw validationError(failures.list);
  const ref = parseFunctionName(call, call.params.functionName);
  if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') throw functionNotFound(ref);
  return { fn: findFunction(call, ref, undefined), ref: { ...ref, qualifier: undefined } };
}

/** POST /2015-03-31/functions/{FunctionName}/versions */
export function publishVersion(call: LambdaCall): EmuResponse {
  const body = readJson(call);
  refuseUnmodelled(body, PUBLISH_MEMBERS);
  const codeSha256 = bodyString(body, 'CodeSha256');
  const description = bodyString(body, 'Description');
  const failures = new Failures().check('description', description, 'Description');
  const { fn, ref } = unqualifiedFunction(call, failures);
  if (codeSha256 !== undefined && codeSha256 !== fn.latest.codeSha256) {
    throw invalidParameter(
      `CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). ` +
        'Please try again with the CodeSHA256 in $LATEST.',
    );
  }
  checkRevision(bodyString(body, 'RevisionId'), fn.revisionId);
  checkNotBusy(call, fn);
  const version = publishSnapshot(call, fn, description);
  return json(201, configuration(fn, viewOf(fn, { ...ref, qualifier: String(version.version) })), lambdaHeaders());
}

/** GET /2015-03-31/functions/{FunctionName}/versions: $LATEST, then the published versions, 50 a page at most. */
export function listVersionsByFunction(call: LambdaCall): EmuResponse {
  const failures = new Failures();
  const { maxItems, marker } = listQuery(call, failures);
  failures.check('functionName', call.params.functionName, FUNCTION_SHAPES.NamespacedFunctionName);
  if (failures.list.length) throw validationError(failures.list);
  const ref = parseFunctionName(call, call.params.functionName);
  const fn = findFunction(call, ref, undefined);
  const numbers = [...fn.versions.keys()].sort((a, b) => a - b);
  const qualifiers = ['$LATEST', ...numbers.map(String)];
  const result = page(
    // $LATEST sorts first as 0; a marker names a version number, so deleting versions between pages skips none.
    qualifiers.map((qualifier) => ({ qualifier, key: (qualifier === '$LATEST' ? '0' : qualifier).padStart(10, '0') })),
    (item) => item.key,
    (item, key) => item.key < key,
    { maxItems: Math.min(maxItems ?? LIST_PAGE, LIST_PAGE), marker },
  );
  const versions = result.items.map(({ qualifier }) => configuration(fn, viewOf(fn, { ...ref, qualifier }), 'list'));
  return json(200, { Versions: versions, ...(result.next ? { NextMarker: result.next } : {}) }, lambdaHeaders());
}
