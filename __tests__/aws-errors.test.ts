import { describe, expect, test } from '@jest/globals';
import { awsFailure, classifyAwsError, describeAwsError, retryAfterMs } from '../src/aws/errors.js';
import { ConfigurationError, ServiceError } from '../src/errors.js';
import { awsError, networkError } from '../__fixtures__/publish-support.js';

describe('classifyAwsError', () => {
  test.each([
    [awsError('TooManyRequestsException', 429), 'throttled'],
    [awsError('ThrottlingException', 400), 'throttled'],
    [awsError('ServiceException', 500), 'unknown-outcome'],
    [awsError('BadGateway', 502), 'unknown-outcome'],
    [networkError('ECONNRESET'), 'unknown-outcome'],
    [networkError('EPIPE'), 'unknown-outcome'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'unknown-outcome'],
    [Object.assign(new Error('Connection timed out after 100 ms'), { name: 'TimeoutError' }), 'unknown-outcome'],
    [awsError('UnrecognizedClientException', 403), 'not-enabled'],
    [awsError('AccessDeniedException', 403), 'access-denied'],
    [awsError('ResourceNotFoundException', 404), 'not-found'],
    [awsError('ResourceConflictException', 409), 'conflict'],
    [awsError('InvalidParameterValueException', 400), 'rejected'],
    [awsError('RequestEntityTooLargeException', 413), 'rejected'],
    [new TypeError('a bug'), 'rejected'],
  ])('%p is %s', (error, kind) => expect(classifyAwsError(error)).toBe(kind));
});

describe('describeAwsError', () => {
  test('a region not enabled says so, with the operation', () => {
    expect(
      describeAwsError(
        awsError('UnrecognizedClientException', 403, 'The security token is invalid'),
        'ListLayerVersions',
      ),
    ).toBe(
      'region not enabled for this account (UnrecognizedClientException on ListLayerVersions); enable it in the account settings or leave it out',
    );
  });

  test('access denied names the permission AWS named, else the operation’s', () => {
    const named = awsError(
      'AccessDeniedException',
      403,
      'User: x is not authorized to perform: lambda:PublishLayerVersion on resource: y',
    );
    expect(describeAwsError(named, 'PublishLayerVersion')).toBe(
      'access denied: missing permission lambda:PublishLayerVersion (AccessDeniedException)',
    );
    expect(describeAwsError(awsError('AccessDenied', 403, 'Access Denied'), 'GetLayerVersionPolicy')).toBe(
      'access denied: missing permission lambda:GetLayerVersionPolicy (AccessDenied)',
    );
  });

  test('anything else: operation, error name and message on one line', () => {
    expect(describeAwsError(awsError('ValidationException', 400, 'bad\n  runtime'), 'PublishLayerVersion')).toBe(
      'PublishLayerVersion failed: ValidationException: bad runtime',
    );
    expect(describeAwsError(networkError('ECONNRESET'), 'GetLayerVersion')).toBe(
      'GetLayerVersion failed: ECONNRESET: socket hang up (ECONNRESET)',
    );
  });

  test('Retry-After is read from Lambda’s throttle', () => {
    expect(retryAfterMs(awsError('TooManyRequestsException', 429, 'x', { retryAfterSeconds: '3' }))).toBe(3000);
    expect(retryAfterMs(awsError('TooManyRequestsException', 429))).toBeUndefined();
  });
});

describe('awsFailure', () => {
  test.each([
    ['throttled after the retries', [awsError('ThrottlingException', 400)], ServiceError],
    ['a 5xx and a reset', [awsError('ServiceException', 500), networkError('ECONNRESET')], ServiceError],
    ['denied', [awsError('AccessDeniedException', 403)], ConfigurationError],
    [
      'an outage and a refusal',
      [awsError('ServiceException', 500), awsError('AccessDeniedException', 403)],
      ConfigurationError,
    ],
    ['not enabled', [awsError('UnrecognizedClientException', 403)], ConfigurationError],
  ])('%s', (_name, errors, kind) => {
    const failure = awsFailure('Could not list', ...errors);
    expect(failure).toBeInstanceOf(kind);
    expect(failure.message).toBe('Could not list');
  });
});
