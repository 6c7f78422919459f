"""Lambda layers through boto3 against the emulator (run by __tests__/emulator-boto3-lambda.test.ts).

Prints one JSON object: case name -> {"ok": value} or {"error": {...}} as boto3 reports it.
"""
import io
import json
import os
import zipfile

import boto3
import botocore
from botocore.config import Config

ACCOUNT = '123456789012'
OTHER = '210987654321'
results = {}


def record(name, fn):
    try:
        results[name] = {'ok': fn()}
    except botocore.exceptions.ClientError as e:
        meta = e.response['ResponseMetadata']
        results[name] = {'error': {
            'Code': e.response['Error'].get('Code'),
            'Message': e.response['Error'].get('Message'),
            'status': meta['HTTPStatusCode'],
            'class': type(e).__name__,
        }}


# Passed explicitly: botocore before 1.31 (Debian's python3-boto3) ignores AWS_ENDPOINT_URL*.
ENDPOINT = os.environ['AWS_ENDPOINT_URL']


def lam(region, **keys):
    return boto3.client('lambda', region_name=region, endpoint_url=ENDPOINT,
                        config=Config(retries={'max_attempts': 1}), **keys)


buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w') as z:
    z.writestr('python/boto3_check.py', 'X = 1\n')
ZIP = buf.getvalue()
east = lam('us-east-1')


def publish(client, name, **extra):
    return client.publish_layer_version(LayerName=name, Content={'ZipFile': ZIP}, **extra)


# Errors as boto3 parses them: e.response['Error']['Code'] / ['Message'], status, and the modelled class.
publish(east, 'errs')
permit = dict(LayerName='errs', VersionNumber=1, Action='lambda:GetLayerVersion', Principal='*')
east.add_layer_version_permission(StatementId='taken', **permit)
record('get a missing version', lambda: east.get_layer_version(LayerName='errs', VersionNumber=9))
record('an unknown runtime', lambda: publish(east, 'errs', CompatibleRuntimes=['nodejs99.x']))
record('a statement id in use', lambda: east.add_layer_version_permission(StatementId='taken', **permit))
record('a stale RevisionId', lambda: east.add_layer_version_permission(StatementId='new', RevisionId='stale', **permit))
record('remove an unknown statement', lambda: east.remove_layer_version_permission(
    LayerName='errs', VersionNumber=1, StatementId='unknown'))
publish(east, 'no-policy')
record('the policy of a version without one', lambda: east.get_layer_version_policy(
    LayerName='no-policy', VersionNumber=1))
record('a region not enabled', lambda: lam('ap-east-1').list_layers())
record('a region denied', lambda: lam('eu-south-2').get_layer_version(LayerName='errs', VersionNumber=1))

# Pagination: boto3's paginators over NextMarker, newest first, filters.
west = lam('us-west-2')
for i in range(7):
    publish(west, 'paged', CompatibleRuntimes=['python3.12' if i % 2 else 'nodejs22.x'],
            CompatibleArchitectures=['arm64' if i % 3 == 0 else 'x86_64'])
for name in ['alpha', 'beta', 'gamma']:
    publish(west, name)
versions = west.get_paginator('list_layer_versions')
record('pages of 2', lambda: [[v['Version'] for v in page['LayerVersions']]
                              for page in versions.paginate(LayerName='paged', PaginationConfig={'PageSize': 2})])


def resumed():
    first = versions.paginate(LayerName='paged', PaginationConfig={'PageSize': 2, 'MaxItems': 3}).build_full_result()
    rest = versions.paginate(LayerName='paged', PaginationConfig={
        'PageSize': 2, 'StartingToken': first['NextToken']}).build_full_result()
    return [[v['Version'] for v in first['LayerVersions']], [v['Version'] for v in rest['LayerVersions']]]


record('MaxItems 3 then StartingToken', resumed)
record('runtime filter', lambda: [v['Version'] for v in versions.paginate(
    LayerName='paged', CompatibleRuntime='python3.12').build_full_result()['LayerVersions']])
record('architecture filter', lambda: [v['Version'] for v in versions.paginate(
    LayerName='paged', CompatibleArchitecture='arm64').build_full_result()['LayerVersions']])
record('list_layers pages of 1', lambda: [layer['LayerName'] for layer in west.get_paginator('list_layers').paginate(
    PaginationConfig={'PageSize': 1}).build_full_result()['Layers']])
record('list_layers runtime filter', lambda: [
    [layer['LayerName'], layer['LatestMatchingVersion']['Version']]
    for layer in west.list_layers(CompatibleRuntime='python3.12')['Layers']])

# A layer ARN wherever a name is accepted (botocore percent-encodes its colons in the path).
arn = f'arn:aws:lambda:eu-west-1:{ACCOUNT}:layer:by-arn'
euw = lam('eu-west-1')
record('publish by ARN', lambda: publish(euw, arn)['LayerVersionArn'])
record('get by ARN name', lambda: euw.get_layer_version(LayerName=arn, VersionNumber=1)['LayerVersionArn'])
record('list versions by ARN name', lambda: [v['Version'] for v in euw.list_layer_versions(LayerName=arn)['LayerVersions']])
record('permission by ARN name', lambda: json.loads(euw.add_layer_version_permission(
    LayerName=arn, VersionNumber=1, StatementId='s', Action='lambda:GetLayerVersion', Principal='*')['Statement'])['Resource'])
record('policy by ARN name', lambda: json.loads(euw.get_layer_version_policy(LayerName=arn, VersionNumber=1)['Policy'])['Statement'][0]['Sid'])
record('remove permission by ARN name', lambda: euw.remove_layer_version_permission(
    LayerName=arn, VersionNumber=1, StatementId='s')['ResponseMetadata']['HTTPStatusCode'])
record('get_layer_version_by_arn', lambda: euw.get_layer_version_by_arn(Arn=f'{arn}:1')['Version'])
record('an ARN of the wrong partition', lambda: euw.get_layer_version_by_arn(Arn=f'arn:aws-cn:lambda:eu-west-1:{ACCOUNT}:layer:by-arn:1'))
record('an ARN of another region', lambda: euw.get_layer_version_by_arn(Arn=f'arn:aws:lambda:eu-west-2:{ACCOUNT}:layer:by-arn:1'))
record('another account without a grant', lambda: euw.get_layer_version_by_arn(Arn=f'arn:aws:lambda:eu-west-1:{OTHER}:layer:theirs:1'))
record('publish by ARN of another region', lambda: publish(euw, f'arn:aws:lambda:eu-west-2:{ACCOUNT}:layer:by-arn'))
record('delete by ARN name', lambda: euw.delete_layer_version(LayerName=arn, VersionNumber=1)['ResponseMetadata']['HTTPStatusCode'])

# The policy as AWS writes each principal form.
publish(east, 'principals')
for sid, principal, org in [('any', '*', None), ('account', '111122223333', None),
                            ('root', f'arn:aws:iam::{OTHER}:root', None), ('org', '*', 'o-abcdefghij1')]:
    extra = {'OrganizationId': org} if org else {}
    east.add_layer_version_permission(LayerName='principals', VersionNumber=1, StatementId=sid,
                                      Action='lambda:GetLayerVersion', Principal=principal, **extra)
record('policy', lambda: json.loads(east.get_layer_version_policy(LayerName='principals', VersionNumber=1)['Policy']))
record('an organization with an account principal', lambda: east.add_layer_version_permission(
    LayerName='principals', VersionNumber=1, StatementId='bad', Action='lambda:GetLayerVersion',
    Principal='111122223333', OrganizationId='o-abcdefghij1'))

# Sharing: another account (credentials from AssumeRole) reads a version only when the policy grants it.
sts = boto3.client('sts', region_name='us-east-1', endpoint_url=ENDPOINT)
creds = sts.assume_role(RoleArn=f'arn:aws:iam::{OTHER}:role/consumer', RoleSessionName='boto3')['Credentials']
theirs = lam('us-east-1', aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'],
             aws_session_token=creds['SessionToken'])
record('shared read', lambda: theirs.get_layer_version_by_arn(Arn=f'arn:aws:lambda:us-east-1:{ACCOUNT}:layer:principals:1')['Version'])
record('unshared read', lambda: theirs.get_layer_version(LayerName=f'arn:aws:lambda:us-east-1:{ACCOUNT}:layer:no-policy', VersionNumber=1))
record('delete of another account', lambda: theirs.delete_layer_version(
    LayerName=f'arn:aws:lambda:us-east-1:{ACCOUNT}:layer:principals', VersionNumber=1))

print(json.dumps(results, default=str))
