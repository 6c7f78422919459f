import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import type { LambdaCall } from './call.js';
import { CREATE_FUNCTION_REQUEST_LIMIT } from './function-shapes.js';
import { functionArn } from './function-state.js';
import { updateFunctionConfiguration } from './function-update.js';
import { listVersionsByFunction, publishVersion } from './function-versions.js';
import { createFunction, deleteFunction, getFunction, getFunctionConfiguration, listFunctions } from './functions.js';
import type { Route } from './service.js';
import { listTags, tagResource, untagResource } from './tags.js';

const FUNCTION = '/2015-03-31/functions/([^/]+)';
const TAGS = /^\/2017-03-31\/tags\/([^/]+)$/;

/** The function ARN IAM evaluates a call on (the name as given when it already is an ARN). */
function functionResource(call: LambdaCall): string {
  const name = call.params.functionName ?? call.params.resource;
  if (name.startsWith('arn:')) return name;
  const marker = ':function:';
  const [fnName, qualifier] = (name.includes(marker) ? name.slice(name.indexOf(marker) + marker.length) : name).split(
    ':',
  );
  return functionArn(call.region, call.caller.account, fnName, qualifier);
}

function route(
  method: string,
  path: string | RegExp,
  operation: string,
  handler: Route['handler'],
  keys: string[] = ['functionName'],
): Route {
  const pattern = typeof path === 'string' ? new RegExp(`^${path}/?$`) : path;
  return { method, pattern, keys, operation, handler, resource: keys.length ? functionResource : () => '*' };
}

/** The function, version, alias and tag operations (2015-03-31 and 2017-03-31 routes of botocore's model). */
export const FUNCTION_ROUTES: Route[] = [
  {
    ...route('POST', '/2015-03-31/functions', 'CreateFunction', createFunction, []),
    requestLimit: CREATE_FUNCTION_REQUEST_LIMIT,
  },
  route('GET', '/2015-03-31/functions', 'ListFunctions', listFunctions, []),
  route('GET', FUNCTION, 'GetFunction', getFunction),
  route('DELETE', FUNCTION, 'DeleteFunction', deleteFunction),
  route('GET', `${FUNCTION}/configuration`, 'GetFunctionConfiguration', getFunctionConfiguration),
  route('PUT', `${FUNCTION}/configuration`, 'UpdateFunctionConfiguration', updateFunctionConfiguration),
  route('POST', `${FUNCTION}/versions`, 'PublishVersion', publishVersion),
  route('GET', `${FUNCTION}/versions`, 'ListVersionsByFunction', listVersionsByFunction),
  route('POST', `${FUNCTION}/aliases`, 'CreateAlias', createAlias),
  route('GET', `${FUNCTION}/aliases`, 'ListAliases', listAliases),
  route('GET', `${FUNCTION}/aliases/([^/]+)`, 'GetAlias', getAlias, ['functionName', 'alias']),
  route('PUT', `${FUNCTION}/aliases/([^/]+)`, 'UpdateAlias', updateAlias, ['functionName', 'alias']),
  route('DELETE', `${FUNCTION}/aliases/([^/]+)`, 'DeleteAlias', deleteAlias, ['functionName', 'alias']),
  route('GET', TAGS, 'ListTags', listTags, ['resource']),
  route('POST', TAGS, 'TagResource', tagResource, ['resource']),
  route('DELETE', TAGS, 'UntagResource', untagResource, ['resource']),
];
