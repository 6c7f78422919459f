import { json, type EmuResponse } from '../../http.js';
import { partitionOf } from '../regions.js';
import { inThisRegion, readJson, requireOwn, resolveLayer, versionNumber, type LambdaCall } from './call.js';
import { LambdaError, invalidParameter, lambdaHeaders, notFound, validationError } from './errors.js';
import { layerArn, newRevisionId, type LayerVersion, type PolicyStatement } from './state.js';
import { Failures, LIMITS, bodyString } from './validation.js';

/** The caller's own version in this region, or AWS's "does not exist" naming the version's ARN. */
function ownVersion(call: LambdaCall): LayerVersion {
  const ref = resolveLayer(call, call.params.layerName);
  requireOwn(call, ref);
  const number = versionNumber(call);
  const version = inThisRegion(call, ref) ? call.ctx.lambda.version(ref, number) : undefined;
  if (!version) throw notFound(`Layer version ${layerArn(ref)}:${number} does not exist.`);
  return version;
}

function checkRevision(call: LambdaCall, version: LayerVersion): void {
  const expected = call.req.url.searchParams.get('RevisionId');
  if (expected !== null && expected !== version.policy?.revisionId) {
    throw new LambdaError(
      412,
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
    );
  }
}

function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}

/** An account id or root ARN becomes {AWS: root ARN}, as AWS writes it into the policy. */
function statementFor(
  call: LambdaCall,
  version: LayerVersion,
  sid: string,
  principal: string,
  organizationId?: string,
): PolicyStatement {
  const account = /^\d{12}$/.test(principal) ? principal : undefined;
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal:
      principal === '*' ? '*' : { AWS: account ? `arn:${partitionOf(call.region)}:iam::${account}:root` : principal },
    Action: 'lambda:GetLayerVersion',
    Resource: version.layerVersionArn,
    ...(organizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } } } : {}),
  };
}

/** POST /2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy */
export function addLayerVersionPermission(call: LambdaCall): EmuResponse {
  const body = readJson(call);
  const sid = bodyString(body, 'StatementId');
  const action = bodyString(body, 'Action');
  const principal = bodyString(body, 'Principal');
  const organizationId = bodyString(body, 'OrganizationId');
  const failures = new Failures()
    .check('layerName', call.params.layerName, 'LayerName')
    .required('statementId', sid)
    .check('statementId', sid, 'StatementId')
    .required('action', action)
    .check('action', action, 'LayerPermissionAllowedAction')
    .required('principal', principal)
    .check('principal', principal, 'LayerPermissionAllowedPrincipal')
    .check('organizationId', organizationId, 'OrganizationId');
  if (failures.list.length) throw validationError(failures.list);
  if (organizationId !== undefined && principal !== '*') {
    throw invalidParameter('OrganizationId can only be specified with Principal "*".');
  }

  const version = ownVersion(call);
  const statements = version.policy?.statements ?? [];
  if (statements.some((s) => s.Sid === sid)) {
    throw new LambdaError(
      409,
      'ResourceConflictException',
      `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    );
  }
  checkRevision(call, version);
  const statement = statementFor(call, version, sid as string, principal as string, organizationId);
  const size = policyDocument([...statements, statement]).length;
  if (size > LIMITS.policy) {
    throw new LambdaError(
      400,
      'PolicyLengthExceededException',
      `The final policy size (${size}) is bigger than the limit (${LIMITS.policy}).`,
    );
  }
  version.policy = { revisionId: newRevisionId(), statements: [...statements, statement] };
  return json(201, { Statement: JSON.stringify(statement), RevisionId: version.policy.revisionId }, lambdaHeaders());
}

/** GET /2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy */
export function getLayerVersionPolicy(call: LambdaCall): EmuResponse {
  const version = ownVersion(call);
  if (!version.policy?.statements.length) throw notFound('No policy is associated with the given resource.');
  return json(
    200,
    { Policy: policyDocument(version.policy.statements), RevisionId: version.policy.revisionId },
    lambdaHeaders(),
  );
}

/** DELETE /2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy/{StatementId} */
export function removeLayerVersionPermission(call: LambdaCall): EmuResponse {
  const sid = call.params.statementId;
  const failures = new Failures()
    .check('layerName', call.params.layerName, 'LayerName')
    .check('statementId', sid, 'StatementId');
  if (failures.list.length) throw validationError(failures.list);
  const version = ownVersion(call);
  checkRevision(call, version);
  const statements = version.policy?.statements ?? [];
  if (!statements.some((s) => s.Sid === sid)) throw notFound(`Statement ${sid} is not found in resource policy.`);
  version.policy = { revisionId: newRevisionId(), statements: statements.filter((s) => s.Sid !== sid) };
  return json(204, undefined, lambdaHeaders());
}
