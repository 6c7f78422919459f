import { accessDenied, parseLayerVersionArn, type LambdaCall } from './call.js';
import { invalidParameter } from './errors.js';
import { LAYER_LIST_PATTERN, LAYER_LIST_RULE, MAX_LAYERS } from './function-shapes.js';
import type { AttachedLayer } from './function-state.js';
import { grants } from './layers.js';
import { partitionOf } from '../regions.js';
import { LIMITS } from './validation.js';

const LAYER_ENTRY = new RegExp(`^(?:${LAYER_LIST_PATTERN})$`);

/**
 * The front-door check of a Layers list (before any other check of the call): every entry is a versioned layer
 * ARN. AWS names the whole list in one failure.
 */
export function layerListFailure(layers: string[] | undefined): string | undefined {
  if (!layers || layers.every((arn) => arn.length <= 2048 && LAYER_ENTRY.test(arn))) return undefined;
  return `Value '[${layers.join(', ')}]' at 'layers' failed to satisfy constraint: ${LAYER_LIST_RULE}`;
}

/**
 * The layer versions a CreateFunction or UpdateFunctionConfiguration names, checked as AWS checks them, in order:
 * at most five; the caller's own versions must exist in the function's region; another account's version must be
 * shared with the caller (AWS cannot say whether it exists, so a missing one is AccessDenied too); no two versions
 * of one layer. The order of the list is kept.
 */
export function attachLayers(call: LambdaCall, arns: string[]): AttachedLayer[] {
  if (arns.length > MAX_LAYERS) throw invalidParameter(`Cannot reference more than ${MAX_LAYERS} layers.`);
  const seen = new Map<string, string>();
  return arns.map((arn) => {
    const parsed = parseLayerVersionArn(arn);
    if (!parsed) throw invalidParameter(`Layer version ${arn} does not exist.`);
    const { ref, version: number } = parsed;
    const own = ref.account === call.caller.account;
    const sameRegion = ref.region === call.region && ref.partition === partitionOf(call.region);
    const version = sameRegion ? call.ctx.lambda.version(ref, number) : undefined;
    if (own && !sameRegion) {
      throw invalidParameter(
        `Layers are not in the same region as the function. Layers are expected to be in region ${call.region}.`,
      );
    }
    if (own && !version) throw invalidParameter(`Layer version ${arn} does not exist.`);
    if (!own && !(version && grants(call.ctx, version, call.caller))) {
      const reason = 'because no resource-based policy allows the lambda:GetLayerVersion action';
      throw accessDenied(call, arn, reason, 'GetLayerVersion');
    }
    const layer = arn.slice(0, arn.lastIndexOf(':'));
    const earlier = seen.get(layer);
    if (earlier !== undefined) {
      throw invalidParameter(
        'Two different versions of the same layer are not allowed to be referenced in the same function. ' +
          `${earlier} and ${arn} are versions of the same layer.`,
      );
    }
    seen.set(layer, arn);
    return { arn, codeSize: version!.codeSize, unzippedSize: version!.unzippedSize };
  });
}

/**
 * Lambda's quota on the unzipped size of a function's code and all its layers together, checked when the call is
 * made (AWS answers the request with this error; the update never starts).
 */
export function checkCombinedSize(codeUnzipped: number, layers: AttachedLayer[]): void {
  const total = layers.reduce((sum, layer) => sum + layer.unzippedSize, codeUnzipped);
  if (total > LIMITS.unzipped) {
    throw invalidParameter(
      `Function code combined with layers exceeds the maximum allowed size of ${LIMITS.unzipped} bytes. ` +
        `The actual size is ${total} bytes.`,
    );
  }
}
