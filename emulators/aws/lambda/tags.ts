import { json, type EmuResponse } from '../../http.js';
import { readJson, type LambdaCall } from './call.js';
import { invalidParameter, lambdaHeaders, validationError } from './errors.js';
import { bodyStringMap, refuseUnmodelled } from './function-input.js';
import { findFunction, parseFunctionName } from './function-names.js';
import { FUNCTION_SHAPES, MAX_TAGS } from './function-shapes.js';
import type { LambdaFunction } from './function-state.js';
import { Failures } from './validation.js';

/**
 * The function a tag call's Resource names. Only unqualified function ARNs carry tags (AWS refuses a version or
 * alias ARN before it looks the function up); the other taggable resources are not modelled.
 */
function taggedFunction(call: LambdaCall, failures = new Failures()): LambdaFunction {
  const resource = call.params.resource;
  failures.check('resource', resource, FUNCTION_SHAPES.TaggableResource);
  if (failures.list.length) throw validationError(failures.list);
  if (!/^arn:[^:]+:lambda:[^:]+:\d{12}:function:/.test(resource)) {
    throw invalidParameter(`${resource.split(':')[5]}: not modelled by this emulator; only functions carry tags here.`);
  }
  const ref = parseFunctionName(call, resource);
  if (ref.qualifier !== undefined) {
    throw invalidParameter('Tags on function aliases and versions are not supported. Please specify a function ARN.');
  }
  return findFunction(call, ref);
}

/** GET /2017-03-31/tags/{Resource} */
export function listTags(call: LambdaCall): EmuResponse {
  const fn = taggedFunction(call);
  return json(200, { Tags: Object.fromEntries(fn.tags) }, lambdaHeaders());
}

/** POST /2017-03-31/tags/{Resource}: adds or overwrites; a function keeps at most 50. Changes the RevisionId. */
export function tagResource(call: LambdaCall): EmuResponse {
  const body = readJson(call);
  refuseUnmodelled(body, ['Tags']);
  const tags = bodyStringMap(body, 'Tags');
  const fn = taggedFunction(call, new Failures().required('tags', tags));
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) throw invalidParameter('An error occurred and the request cannot be processed.');
  const merged = new Map([...fn.tags, ...entries]);
  if (merged.size > MAX_TAGS) throw invalidParameter('Number of tags exceeds resource tag limit.');
  fn.tags = merged;
  call.ctx.functions.touch(fn);
  return json(204, undefined, lambdaHeaders());
}

/** DELETE /2017-03-31/tags/{Resource}?tagKeys=a&tagKeys=b: keys the function lacks are ignored. */
export function untagResource(call: LambdaCall): EmuResponse {
  const keys = call.req.url.searchParams.getAll('tagKeys');
  const fn = taggedFunction(call, new Failures().required('tagKeys', keys.length ? keys : undefined));
  const removed = keys.filter((key) => fn.tags.delete(key));
  if (removed.length) call.ctx.functions.touch(fn);
  return json(204, undefined, lambdaHeaders());
}
