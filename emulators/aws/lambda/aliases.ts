import { json, type EmuResponse } from '../../http.js';
import { readJson, type LambdaCall } from './call.js';
import { LambdaError, invalidParameter, lambdaHeaders, notFound, validationError } from './errors.js';
import { listQuery, refuseUnmodelled } from './function-input.js';
import { checkRevision, functionNotFound, type FunctionRef } from './function-names.js';
import { FUNCTION_SHAPES } from './function-shapes.js';
import { functionArn, type Alias, type LambdaFunction } from './function-state.js';
import { unqualifiedFunction } from './function-versions.js';
import { page } from './layers.js';
import { newRevisionId } from './state.js';
import { Failures, bodyObject, bodyString } from './validation.js';

type Weights = Record<string, number>;
const LIST_PAGE = 50;

function aliasArn(fn: LambdaFunction, name: string): string {
  return functionArn(fn.region, fn.account, fn.name, name);
}

function aliasOutput(fn: LambdaFunction, alias: Alias): Record<string, unknown> {
  return {
    AliasArn: aliasArn(fn, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(alias.routingConfig ? { RoutingConfig: alias.routingConfig } : {}),
    RevisionId: alias.revisionId,
  };
}

/** The version an alias may point at: $LATEST or a published number that exists. */
function checkTarget(fn: LambdaFunction, ref: FunctionRef, version: string | undefined): void {
  if (version === undefined || version === '$LATEST') return;
  if (!/^\d+$/.test(version) || !fn.versions.has(Number(version))) throw functionNotFound(ref, version);
}

/** RoutingConfig.AdditionalVersionWeights: one other published version, a weight from 0 to 1. */
function routing(body: Record<string, unknown>, fn: LambdaFunction, ref: FunctionRef, primary?: string) {
  const config = bodyObject(body, 'RoutingConfig');
  const weights = config && (bodyObject(config, 'AdditionalVersionWeights') as Weights | undefined);
  if (!weights || Object.keys(weights).length === 0) return config ? null : undefined;
  const entries = Object.entries(weights);
  if (entries.length > 1)
    throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  const [version, weight] = entries[0];
  if (typeof weight !== 'number' || weight < 0 || weight > 1 || !/^\d+$/.test(version)) {
    throw validationError([
      `Value '{${version}=${String(weight)}}' at 'routingConfig.additionalVersionWeights' failed to satisfy ` +
        'constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, ' +
        'Member must have value greater than or equal to 0.0, Member must not be null]',
    ]);
  }
  if (version === primary) {
    throw invalidParameter(
      `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
    );
  }
  if (primary === '$LATEST')
    throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  checkTarget(fn, ref, version);
  return { AdditionalVersionWeights: { [version]: weight } };
}

/** POST /2015-03-31/functions/{FunctionName}/aliases */
export function createAlias(call: LambdaCall): EmuResponse {
  const body = readJson(call);
  refuseUnmodelled(body, ['Name', 'FunctionVersion', 'Description', 'RoutingConfig']);
  const name = bodyString(body, 'Name');
  const version = bodyString(body, 'FunctionVersion');
  const description = bodyString(body, 'Description');
  const failures = new Failures()
    .required('name', name)
    .required('functionVersion', version)
    .check('functionVersion', version, FUNCTION_SHAPES.VersionWithLatestPublished)
    .check('description', description, 'Description')
    .check('name', name, FUNCTION_SHAPES.Alias);
  const { fn, ref } = unqualifiedFunction(call, failures);
  checkTarget(fn, ref, version);
  const routingConfig = routing(body, fn, ref, version) ?? undefined;
  if (fn.aliases.has(name as string)) {
    throw new LambdaError(409, 'ResourceConflictException', `Alias already exists: ${aliasArn(fn, name as string)}`);
  }
  const alias: Alias = {
    name: name as string,
    functionVersion: version as string,
    description: description ?? '',
    revisionId: newRevisionId(),
    ...(routingConfig ? { routingConfig } : {}),
  };
  fn.aliases.set(alias.name, alias);
  return json(201, aliasOutput(fn, alias), lambdaHeaders());
}

function namedAlias(
  call: LambdaCall,
  failures = new Failures(),
): { fn: LambdaFunction; ref: FunctionRef; name: string } {
  failures.check('name', call.params.alias, FUNCTION_SHAPES.Alias);
  const { fn, ref } = unqualifiedFunction(call, failures);
  return { fn, ref, name: call.params.alias };
}

/** GET /2015-03-31/functions/{FunctionName}/aliases/{Name} */
export function getAlias(call: LambdaCall): EmuResponse {
  const { fn, name } = namedAlias(call);
  const alias = fn.aliases.get(name);
  if (!alias) throw notFound(`Cannot find alias arn: ${aliasArn(fn, name)}`);
  return json(200, aliasOutput(fn, alias), lambdaHeaders());
}

/** PUT /2015-03-31/functions/{FunctionName}/aliases/{Name}: FunctionVersion, Description, RoutingConfig, RevisionId. */
export function updateAlias(call: LambdaCall): EmuResponse {
  const body = readJson(call);
  refuseUnmodelled(body, ['FunctionVersion', 'Description', 'RoutingConfig', 'RevisionId']);
  const version = bodyString(body, 'FunctionVersion');
  const description = bodyString(body, 'Description');
  const failures = new Failures()
    .check('functionVersion', version, FUNCTION_SHAPES.VersionWithLatestPublished)
    .check('description', description, 'Description');
  const { fn, ref, name } = namedAlias(call, failures);
  const alias = fn.aliases.get(name);
  if (!alias) throw notFound(`Alias not found: ${aliasArn(fn, name)}`);
  checkRevision(bodyString(body, 'RevisionId'), alias.revisionId);
  checkTarget(fn, ref, version);
  const routingConfig = routing(body, fn, ref, version ?? alias.functionVersion);
  if (version !== undefined) alias.functionVersion = version;
  if (description !== undefined) alias.description = description;
  if (routingConfig === null) delete alias.routingConfig;
  else if (routingConfig) alias.routingConfig = routingConfig;
  alias.revisionId = newRevisionId();
  return json(200, aliasOutput(fn, alias), lambdaHeaders());
}

/** DELETE /2015-03-31/functions/{FunctionName}/aliases/{Name}: 204, whether or not the alias exists. */
export function deleteAlias(call: LambdaCall): EmuResponse {
  const { fn, name } = namedAlias(call);
  fn.aliases.delete(name);
  return json(204, undefined, lambdaHeaders());
}

/** GET /2015-03-31/functions/{FunctionName}/aliases[?FunctionVersion=]: by name, 50 a page at most. */
export function listAliases(call: LambdaCall): EmuResponse {
  const failures = new Failures();
  const version = call.req.url.searchParams.get('FunctionVersion') ?? undefined;
  failures.check('functionVersion', version, FUNCTION_SHAPES.VersionWithLatestPublished);
  const { maxItems, marker } = listQuery(call, failures);
  const { fn } = unqualifiedFunction(call, failures);
  const aliases = [...fn.aliases.values()]
    .filter((a) => version === undefined || a.functionVersion === version)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const result = page(
    aliases,
    (a) => a.name,
    (a, key) => a.name < key,
    { maxItems: Math.min(maxItems ?? LIST_PAGE, LIST_PAGE), marker },
  );
  return json(
    200,
    { Aliases: result.items.map((a) => aliasOutput(fn, a)), ...(result.next ? { NextMarker: result.next } : {}) },
    lambdaHeaders(),
  );
}
