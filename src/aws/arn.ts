/**
 * LayerVersionArns come from AWS's answers and are never assembled by hand; this only reads them, and checks that
 * what AWS returned is the layer and region we asked for before it reaches an output.
 */
export interface LayerVersionArn {
  partition: string;
  region: string;
  account: string;
  layerName: string;
  version: number;
}

const LAYER_VERSION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:([A-Za-z0-9_-]{1,140}):([1-9]\d*)$/;

export function parseLayerVersionArn(arn: string): LayerVersionArn | undefined {
  const match = LAYER_VERSION_ARN.exec(arn);
  if (!match) return undefined;
  return {
    partition: match[1],
    region: match[2],
    account: match[3],
    layerName: match[4],
    version: Number(match[5]),
  };
}

/**
 * The ARN AWS returned, checked against what was asked: a mismatch means a misrouted endpoint or a broken answer, and
 * an ARN for the wrong region in a release table is worse than none.
 */
export function checkLayerVersionArn(
  arn: string | undefined,
  expected: { region: string; layerName: string; version?: number },
): LayerVersionArn {
  const parsed = arn ? parseLayerVersionArn(arn) : undefined;
  if (!parsed) throw new Error(`AWS returned '${arn ?? ''}', which is not a layer version ARN`);
  const wrong =
    parsed.region !== expected.region ||
    parsed.layerName !== expected.layerName ||
    (expected.version !== undefined && parsed.version !== expected.version);
  if (wrong) {
    const want = `${expected.layerName}${expected.version !== undefined ? `:${expected.version}` : ''} in ${expected.region}`;
    throw new Error(`AWS returned ARN ${arn} for ${want}`);
  }
  return parsed;
}
