import { json, type EmuResponse } from '../../http.js';
import { readJson, type LambdaCall } from './call.js';
import { lambdaHeaders } from './errors.js';
import { checkRuntime, refuseUnmodelled, settingsInput } from './function-input.js';
import { attachLayers, checkCombinedSize } from './function-layers.js';
import { checkNotBusy, checkRevision, viewOf } from './function-names.js';
import { configuration } from './function-output.js';
import type { FunctionSettings } from './function-state.js';
import { unqualifiedFunction } from './function-versions.js';
import { lambdaDate } from './state.js';
import { Failures, bodyString } from './validation.js';

const UPDATE_MEMBERS = [
  'Role',
  'Handler',
  'Description',
  'Timeout',
  'MemorySize',
  'Environment',
  'Runtime',
  'RevisionId',
  'Layers',
];

/**
 * PUT /2015-03-31/functions/{FunctionName}/configuration. Checked in the order AWS (as LocalStack records it)
 * applies: the model's constraints, the function exists, the RevisionId is current (412), the runtime and the
 * layers (400, the combined unzipped size included), no create or update is running (409). Then $LATEST takes the
 * new settings at once (GetFunction shows them), LastUpdateStatus is InProgress with a new RevisionId, and after
 * the emulator's update time it is Successful (or the failure a test armed) with another new RevisionId.
 * `Layers` replaces the list, in the order given; `Environment` replaces every variable.
 */
export function updateFunctionConfiguration(call: LambdaCall): EmuResponse {
  const body = readJson(call);
  refuseUnmodelled(body, UPDATE_MEMBERS);
  const failures = new Failures();
  const { role, handler, description, timeout, memorySize, runtime, layers, environment } = settingsInput(
    body,
    failures,
  );
  const { fn, ref } = unqualifiedFunction(call, failures);

  checkRevision(bodyString(body, 'RevisionId'), fn.revisionId);
  checkRuntime(runtime);
  const attached = layers === undefined ? fn.latest.layers : attachLayers(call, layers);
  checkCombinedSize(fn.latest.unzippedSize, attached);
  checkNotBusy(call, fn);

  const settings: FunctionSettings = {
    ...fn.latest,
    ...(role !== undefined ? { role } : {}),
    ...(handler !== undefined ? { handler } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(memorySize !== undefined ? { memorySize } : {}),
    ...(runtime !== undefined ? { runtime } : {}),
    ...(environment !== undefined ? { environment } : {}),
    layers: attached,
  };
  call.ctx.functions.beginUpdate(fn, settings, lambdaDate(call.ctx.now()));
  return json(200, configuration(fn, viewOf(fn, ref)), lambdaHeaders());
}
