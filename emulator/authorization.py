"""What a request asks IAM to authorize: its action(s) on its resource ARN(s), as AWS's authorization determines them.

``checks(call)`` turns one parsed AWS request into the ``Check``s that must all be allowed: usually one, the action
(``dynamodb:PutItem``) on the resource ARN of the Service Authorization Reference's resource type for that action
(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
with the resource's resource-based policy and tags when it has them; several for the calls AWS authorizes item by item.

Services with a resolver here (the data the application tiers reach, and IAM/STS for the deployer):

``dynamodb``        ``TableName`` -> ``table/<name>`` (a table ARN as given); Query/Scan (and the contributor
                    insights actions) with ``IndexName`` -> ``table/<name>/index/<index>``; BatchGetItem /
                    BatchWriteItem -> every table of ``RequestItems``; TransactWriteItems -> PutItem / UpdateItem /
                    DeleteItem / ConditionCheckItem on each item's table, TransactGetItems -> GetItem on each (AWS
                    has no IAM action of their own); stream actions -> the stream ARN (GetRecords: from the shard
                    iterator); ``ResourceArn`` / ``BackupArn`` as given; ``aws:ResourceTag`` from the table's tags.
``secretsmanager``  ``SecretId`` (name, full or partial ARN) -> the secret's full ARN with its random suffix, its
                    resource policy and tags (an unknown secret: the ARN as given, or ``secret:<name>``, so access is
                    denied before "not found", as on AWS); CreateSecret -> ``secret:<name>-`` and six random
                    characters; BatchGetSecretValue -> also GetSecretValue on each secret.
``s3``              the bucket (``arn:aws:s3:::<bucket>``) or object (``.../<key>``) of the request, path-style or
                    virtual-hosted, with AWS's IAM action for the operation (ListObjectsV2 -> s3:ListBucket,
                    HeadObject -> s3:GetObject, PutBucketEncryption -> s3:PutEncryptionConfiguration, ...); the
                    bucket policy; DeleteObjects -> s3:DeleteObject on each key; CopyObject -> s3:GetObject on the
                    source too.
``sqs``             ``QueueUrl`` / ``QueueName`` -> ``arn:aws:sqs:<region>:<account>:<name>``.
``sns``             ``TopicArn`` / ``TargetArn`` / ``ResourceArn`` as given, a subscription's topic, CreateTopic
                    ``Name`` -> the topic ARN.
``kms``             ``KeyId`` (id, ARN, alias name or alias ARN; Decrypt: the key of the ciphertext) -> the key ARN,
                    with the key policy, which must allow (a policy naming the account delegates to IAM); alias
                    actions -> the alias ARN and the key ARN; ReEncrypt -> ReEncryptFrom / ReEncryptTo.
``ssm``             ``Name`` / ``Names`` / ``Path`` / a Parameter ``ResourceId`` -> ``parameter/<name>``.
``logs``            stream actions (CreateLogStream, PutLogEvents, GetLogEvents, DeleteLogStream) ->
                    ``log-group:<group>:log-stream:<stream>``; group actions -> ``log-group:<group>:*`` (so
                    ``log-group:<group>:*`` in a policy covers both, and ``log-group:<group>`` alone neither, as on
                    AWS); DescribeLogGroups -> ``log-group::log-stream:``.
``iam``             ``RoleName`` / ``UserName`` / ``GroupName`` / ``InstanceProfileName`` / ``PolicyArn`` (in that
                    order) -> that entity's ARN with its path; AddRoleToInstanceProfile -> also iam:PassRole on the
                    role.
``ecr``             ``repositoryName`` (in ``registryId``'s account) -> ``repository/<name>``, ``resourceArn`` as given,
                    each of ``repositoryNames``; DescribeRepositories of every repository -> ``repository/*``; the
                    registry's actions (GetAuthorizationToken, ...) ``"*"``.
``sts``             AssumeRole -> the role, whose trust policy must allow the caller (naming the account delegates to
                    IAM); GetCallerIdentity is always allowed.

Every other service (ec2, elasticloadbalancing, autoscaling, rds, acm, cloudfront, ecs, ...) is authorized
action by action against ``"*"``: a statement for those services allows only with ``"Resource": "*"``.

Across services: a create call that carries tags also needs the service's tagging action on what it creates (tag on
create: ec2:CreateTags with ``ec2:CreateAction``, elasticloadbalancing:AddTags, autoscaling:CreateOrUpdateTags,
rds:AddTagsToResource, iam:TagRole, secretsmanager:TagResource, ... see ``TAG_ON_CREATE``); UpdateTable with
``ReplicaUpdates`` also needs dynamodb:CreateTableReplica / DeleteTableReplica; a top-level ``...RoleArn`` parameter
(ECS ``taskRoleArn``, RDS ``MonitoringRoleArn``, Lambda ``Role``, ...), EC2 CreateFlowLogs
``DeliverLogsPermissionArn`` and the instance profile of EC2 RunInstances /
AssociateIamInstanceProfile also need ``iam:PassRole`` on that role (context ``iam:PassedToService``); request tags
(``Tags``, ``tags``, ``TagSpecification``) give ``aws:RequestTag/<key>`` and ``aws:TagKeys``.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, unquote, urlsplit

# SigV4 signing names whose IAM service prefix differs.
IAM_PREFIXES = {"monitoring": "cloudwatch", "email": "ses", "tagging": "tag"}
_ROLE_PARAMETER = re.compile(r"rolearn$", re.IGNORECASE)
# The service principal a role is passed to, where it is not <prefix>.amazonaws.com.
PASSED_TO = {"ecs": "ecs-tasks.amazonaws.com", "rds": "monitoring.rds.amazonaws.com"}
# Role parameters whose name does not end with RoleArn, and the service principal the role is passed to.
ROLE_PARAMETERS = {"DeliverLogsPermissionArn": "vpc-flow-logs.amazonaws.com"}
_PROFILE_OPERATIONS = ("RunInstances", "AssociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation")


@dataclass(frozen=True)
class Call:
    """One AWS request, parsed: the signing name, the operation, its parameters (the JSON body, or the query/form
    parameters with their first value), where it goes, and for REST services the raw parts."""

    signing_name: str
    operation: str
    params: dict
    region: str
    account: str
    partition: str = "aws"
    method: str = "POST"
    path: str = "/"
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)  # lowercase names
    body: bytes = b""

    @property
    def prefix(self) -> str:
        return IAM_PREFIXES.get(self.signing_name, self.signing_name)

    def arn(self, service: str, resource: str, region: str | None = None, account: str | None = None) -> str:
        region = self.region if region is None else region
        account = self.account if account is None else account
        return f"arn:{self.partition}:{service}:{region}:{account}:{resource}"


@dataclass(frozen=True)
class Check:
    """One authorization: action on resource ("*" when the action has no resource type), with the resource's
    resource-based policy (``policy_required`` when it must allow, as KMS key policies and trust policies) and the
    condition keys the resource or the request adds (lowercase names)."""

    action: str
    resource: str = "*"
    resource_policy: str | dict | None = None
    policy_required: bool = False
    context: dict = field(default_factory=dict)


def _tags_context(prefix: str, tags) -> dict:
    """``{"aws:resourcetag/<key>": value}`` from a list of {Key, Value} (or {TagKey, TagValue}) or a dict."""
    if isinstance(tags, dict):
        pairs = tags.items()
    else:
        pairs = []
        for tag in tags or []:
            if isinstance(tag, dict):
                key = tag.get("Key", tag.get("TagKey", tag.get("key")))
                if key is not None:
                    pairs.append((key, tag.get("Value", tag.get("TagValue", tag.get("value", "")))))
    return {f"{prefix}/{key}".lower(): value for key, value in pairs}


def request_tags(call: Call) -> dict:
    """aws:RequestTag/<key> and aws:TagKeys from the tags a request carries."""
    params = call.params
    tags: dict = {}
    for name in ("Tags", "tags", "TagList"):
        if name in params and isinstance(params[name], (list, dict)):
            tags.update(
                params[name]
                if isinstance(params[name], dict)
                else {
                    tag.get("Key", tag.get("key", tag.get("TagKey"))): tag.get(
                        "Value", tag.get("value", tag.get("TagValue", ""))
                    )
                    for tag in params[name]
                    if isinstance(tag, dict)
                }
            )
    for name, value in params.items():
        if not isinstance(value, str):
            continue
        match = re.fullmatch(r"(.*(?:Tags?|TagSpecification\.\d+\.Tag))\.(?:member\.|Tag\.)?(\d+)\.Key", name)
        if match:
            tags[value] = params.get(f"{name[:-3]}Value", "")
    if not tags:
        return {}
    context = {f"aws:requesttag/{key}".lower(): value for key, value in tags.items() if key is not None}
    context["aws:tagkeys"] = [key for key in tags if key is not None]
    return context


def _pass_role_checks(call: Call) -> list[Check]:
    """iam:PassRole for the roles a request hands to its service."""
    if call.prefix in ("iam", "sts"):
        return []
    roles = [
        value
        for name, value in call.params.items()
        if isinstance(value, str)
        and value.startswith("arn:")
        and ":role/" in value
        and (_ROLE_PARAMETER.search(name) or (call.prefix == "lambda" and name == "Role"))
    ]
    profile = call.params.get("IamInstanceProfile.Arn") or call.params.get("IamInstanceProfile.Name")
    if call.prefix == "ec2" and profile and call.operation in _PROFILE_OPERATIONS:
        roles += _instance_profile_roles(call, profile)
    service = PASSED_TO.get(call.prefix, f"{call.prefix}.amazonaws.com")
    found = [Check("iam:PassRole", role, context={"iam:passedtoservice": service}) for role in roles]
    for name, passed_to in ROLE_PARAMETERS.items():
        value = call.params.get(name)
        if isinstance(value, str) and ":role/" in value:
            found.append(Check("iam:PassRole", value, context={"iam:passedtoservice": passed_to}))
    return found


def _instance_profile_roles(call: Call, profile: str) -> list[str]:
    from moto.iam.models import iam_backends

    backend = iam_backends[call.account][call.partition]
    try:
        found = (
            backend.get_instance_profile_by_arn(profile)
            if profile.startswith("arn:")
            else backend.get_instance_profile(profile)
        )
    except Exception:
        return []
    return [role.arn for role in found.roles]


# --- ECR -----------------------------------------------------------------------------------------------------------


def _ecr(call: Call) -> list[Check]:
    """The repository of repositoryName (in registryId's account) or resourceArn; each of repositoryNames;
    ``repository/*`` for a DescribeRepositories of every repository; "*" for the registry's actions."""
    params, action = call.params, f"ecr:{call.operation}"
    account = params.get("registryId") or None
    if isinstance(params.get("resourceArn"), str):
        return [Check(action, params["resourceArn"])]
    if isinstance(params.get("repositoryName"), str):
        return [Check(action, call.arn("ecr", f"repository/{params['repositoryName']}", account=account))]
    names = params.get("repositoryNames")
    if isinstance(names, list) and names:
        return [Check(action, call.arn("ecr", f"repository/{name}", account=account)) for name in names]
    if call.operation == "DescribeRepositories":
        return [Check(action, call.arn("ecr", "repository/*", account=account))]
    return [Check(action)]


# --- DynamoDB ------------------------------------------------------------------------------------------------------

_TRANSACT_ACTIONS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
_INDEX_ACTIONS = ("Query", "Scan", "DescribeContributorInsights", "UpdateContributorInsights")


def _dynamodb_table(call: Call, name: str) -> tuple[str, dict]:
    """(table ARN, aws:ResourceTag context) of a table name or ARN."""
    from moto.dynamodb.models import dynamodb_backends

    arn = name if name.startswith("arn:") else call.arn("dynamodb", f"table/{name}")
    table_name = arn.split(":table/", 1)[-1].split("/", 1)[0]
    region = arn.split(":")[3] or call.region
    table = dynamodb_backends[call.account][region].tables.get(table_name)
    return arn, _tags_context("aws:resourcetag", table.tags if table is not None else [])


def _dynamodb(call: Call) -> list[Check]:
    params, operation = call.params, call.operation

    def on_table(action: str, name: str, suffix: str = "") -> Check:
        arn, tags = _dynamodb_table(call, name)
        return Check(f"dynamodb:{action}", arn + suffix, context=tags)

    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [on_table(operation, name) for name in params.get("RequestItems") or {}]
    if operation in ("TransactWriteItems", "TransactGetItems"):
        found = []
        for item in params.get("TransactItems") or []:
            for kind, body in item.items():
                action = "GetItem" if operation == "TransactGetItems" else _TRANSACT_ACTIONS.get(kind, kind)
                found.append(on_table(action, body.get("TableName", "")))
        return found
    if "TableName" in params:
        suffix = f"/index/{params['IndexName']}" if operation in _INDEX_ACTIONS and params.get("IndexName") else ""
        return [on_table(operation, params["TableName"], suffix)]
    for name in ("ResourceArn", "StreamArn", "BackupArn"):
        if name in params:
            return [Check(f"dynamodb:{operation}", params[name])]
    if "ShardIterator" in params:
        return [Check(f"dynamodb:{operation}", str(params["ShardIterator"]).split("|", 1)[0])]
    if "GlobalTableName" in params:
        return [
            Check(f"dynamodb:{operation}", call.arn("dynamodb", f"global-table/{params['GlobalTableName']}", region=""))
        ]
    return [Check(f"dynamodb:{operation}")]


# --- Secrets Manager -------------------------------------------------------------------------------------------------


def _secret(call: Call, secret_id: str, action: str) -> Check:
    from moto.secretsmanager.models import secretsmanager_backends

    secret = secretsmanager_backends[call.account][call.region].secrets.get(secret_id)
    if secret is None:
        arn = secret_id if secret_id.startswith("arn:") else call.arn("secretsmanager", f"secret:{secret_id}")
        return Check(action, arn)
    return Check(
        action,
        secret.arn,
        resource_policy=getattr(secret, "policy", None) or None,
        context=_tags_context("aws:resourcetag", getattr(secret, "tags", None)),
    )


def _secretsmanager(call: Call) -> list[Check]:
    params, action = call.params, f"secretsmanager:{call.operation}"
    if call.operation == "CreateSecret":
        suffix = "".join(random.choices(string.ascii_letters + string.digits, k=6))
        return [Check(action, call.arn("secretsmanager", f"secret:{params.get('Name', '')}-{suffix}"))]
    if "SecretId" in params:
        return [_secret(call, params["SecretId"], action)]
    if call.operation == "BatchGetSecretValue":
        return [Check(action)] + [
            _secret(call, secret_id, "secretsmanager:GetSecretValue") for secret_id in params.get("SecretIdList") or []
        ]
    return [Check(action)]


# --- S3 ------------------------------------------------------------------------------------------------------------

S3_ACTIONS = {
    "ListObjects": "ListBucket",
    "ListObjectsV2": "ListBucket",
    "HeadBucket": "ListBucket",
    "ListObjectVersions": "ListBucketVersions",
    "ListBuckets": "ListAllMyBuckets",
    "HeadObject": "GetObject",
    "ListMultipartUploads": "ListBucketMultipartUploads",
    "ListParts": "ListMultipartUploadParts",
    "CreateMultipartUpload": "PutObject",
    "UploadPart": "PutObject",
    "UploadPartCopy": "PutObject",
    "CompleteMultipartUpload": "PutObject",
    "GetBucketEncryption": "GetEncryptionConfiguration",
    "PutBucketEncryption": "PutEncryptionConfiguration",
    "DeleteBucketEncryption": "PutEncryptionConfiguration",
    "GetPublicAccessBlock": "GetBucketPublicAccessBlock",
    "PutPublicAccessBlock": "PutBucketPublicAccessBlock",
    "DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
    "GetBucketLifecycle": "GetLifecycleConfiguration",
    "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
    "PutBucketLifecycle": "PutLifecycleConfiguration",
    "PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
    "DeleteBucketLifecycle": "PutLifecycleConfiguration",
    "GetBucketCors": "GetBucketCORS",
    "PutBucketCors": "PutBucketCORS",
    "DeleteBucketCors": "PutBucketCORS",
    "DeleteBucketTagging": "PutBucketTagging",
    "GetBucketNotification": "GetBucketNotification",
    "GetBucketNotificationConfiguration": "GetBucketNotification",
    "PutBucketNotificationConfiguration": "PutBucketNotification",
    "GetBucketAccelerateConfiguration": "GetAccelerateConfiguration",
    "PutBucketAccelerateConfiguration": "PutAccelerateConfiguration",
    "GetBucketReplication": "GetReplicationConfiguration",
    "PutBucketReplication": "PutReplicationConfiguration",
    "DeleteBucketReplication": "PutReplicationConfiguration",
    "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
    "PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
    "DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
    "GetBucketMetricsConfiguration": "GetMetricsConfiguration",
    "PutBucketMetricsConfiguration": "PutMetricsConfiguration",
    "GetBucketInventoryConfiguration": "GetInventoryConfiguration",
    "PutBucketInventoryConfiguration": "PutInventoryConfiguration",
    "GetBucketAnalyticsConfiguration": "GetAnalyticsConfiguration",
    "PutBucketAnalyticsConfiguration": "PutAnalyticsConfiguration",
}
# Operations whose action names the object version when the request names a versionId.
S3_VERSION_ACTIONS = {
    "GetObject": "GetObjectVersion",
    "HeadObject": "GetObjectVersion",
    "DeleteObject": "DeleteObjectVersion",
    "GetObjectAcl": "GetObjectVersionAcl",
    "PutObjectAcl": "PutObjectVersionAcl",
    "GetObjectTagging": "GetObjectVersionTagging",
    "PutObjectTagging": "PutObjectVersionTagging",
    "DeleteObjectTagging": "DeleteObjectVersionTagging",
}


def s3_bucket_and_key(call: Call) -> tuple[str, str]:
    """(bucket, key) of an S3 request, path-style or virtual-hosted (as moto's S3 routing tells them apart)."""
    from moto.s3.responses import S3Response

    host = call.headers.get("host", "")

    class _Request:
        headers = {"host": host}
        url = f"http://{host}{call.path}"

    path = unquote(call.path)
    if S3Response.subdomain_based_buckets(_Request):
        return host.split(".", 1)[0], path.lstrip("/")
    bucket, _, key = path.lstrip("/").partition("/")
    return bucket, key


def _s3_bucket_policy(call: Call, bucket: str):
    from moto.s3.models import s3_backends

    found = s3_backends[call.account][call.partition].buckets.get(bucket)
    policy = getattr(found, "policy", None)
    return policy.decode() if isinstance(policy, bytes) else policy


def _s3(call: Call) -> list[Check]:
    from emulator import faults

    bucket, key = s3_bucket_and_key(call)
    query = "&".join(f"{name}={values[0]}" if values and values[0] else name for name, values in call.query.items())
    operation = (
        faults.rest_operation("s3", call.method, f"/{bucket}/{key}" if bucket else "/", query, frozenset(call.headers))
        or call.operation
    )
    if not bucket:
        return [Check("s3:ListAllMyBuckets")]
    policy = _s3_bucket_policy(call, bucket)
    bucket_arn = f"arn:{call.partition}:s3:::{bucket}"

    def on(action: str, resource: str) -> Check:
        return Check(f"s3:{action}", resource, resource_policy=policy)

    if operation == "DeleteObjects":
        from xml.etree import ElementTree

        try:
            keys = [
                element.text or ""
                for element in ElementTree.fromstring(call.body).iter()
                if element.tag.endswith("Key")
            ]
        except ElementTree.ParseError:
            keys = []
        return [on("DeleteObject", f"{bucket_arn}/{name}") for name in keys] or [on("DeleteObject", f"{bucket_arn}/*")]
    action = S3_ACTIONS.get(operation, operation)
    if "versionId" in call.query and operation in S3_VERSION_ACTIONS:
        action = S3_VERSION_ACTIONS[operation]
    checks = [on(action, f"{bucket_arn}/{key}" if key else bucket_arn)]
    source = call.headers.get("x-amz-copy-source")
    if source:
        source_bucket, _, source_key = unquote(source).lstrip("/").partition("/")
        source_key = source_key.split("?versionId=", 1)[0]
        checks.append(
            Check(
                "s3:GetObject",
                f"arn:{call.partition}:s3:::{source_bucket}/{source_key}",
                resource_policy=_s3_bucket_policy(call, source_bucket),
            )
        )
    return checks


# --- SQS, SNS --------------------------------------------------------------------------------------------------------


def _sqs(call: Call) -> list[Check]:
    params = call.params
    name = params.get("QueueName") or str(params.get("QueueUrl") or "").rstrip("/").rsplit("/", 1)[-1]
    if not name and call.path.count("/") >= 2:  # query protocol to the queue URL
        name = call.path.rstrip("/").rsplit("/", 1)[-1]
    return [Check(f"sqs:{call.operation}", call.arn("sqs", name) if name else "*")]


def _sns(call: Call) -> list[Check]:
    params, action = call.params, f"sns:{call.operation}"
    for name in ("TopicArn", "TargetArn", "ResourceArn"):
        if params.get(name):
            return [Check(action, params[name])]
    if params.get("SubscriptionArn", "").count(":") >= 6:
        return [Check(action, params["SubscriptionArn"].rsplit(":", 1)[0])]
    if call.operation == "CreateTopic" and params.get("Name"):
        return [Check(action, call.arn("sns", params["Name"]))]
    return [Check(action)]


# --- KMS -----------------------------------------------------------------------------------------------------------


def _kms_key(call: Call, key_id: str, action: str) -> Check:
    """action on the key that key_id (id, ARN, alias name, alias ARN) names, with its key policy (required)."""
    from moto.kms.models import kms_backends

    backend = kms_backends[call.account][call.region]
    try:
        key = backend.keys[backend.any_id_to_key_id(key_id)]
    except Exception:  # an unknown key or alias: the ARN as named, no policy to consult
        if key_id.startswith("arn:"):
            return Check(action, key_id)
        return Check(action, call.arn("kms", key_id if key_id.startswith("alias/") else f"key/{key_id}"))
    tags = backend.tagger.list_tags_for_resource(key.id).get("Tags", [])
    return Check(
        action,
        key.arn,
        resource_policy=key.policy,
        policy_required=True,
        context=_tags_context("aws:resourcetag", tags),
    )


def _kms_ciphertext_key(params: dict) -> str | None:
    from moto.kms.utils import _deserialize_ciphertext_blob

    try:
        return _deserialize_ciphertext_blob(base64.b64decode(params["CiphertextBlob"])).key_id
    except Exception:
        return None


def _kms(call: Call) -> list[Check]:
    params, operation, action = call.params, call.operation, f"kms:{call.operation}"
    if operation in ("CreateAlias", "UpdateAlias", "DeleteAlias"):
        alias = params.get("AliasName", "")
        checks = [Check(action, alias if alias.startswith("arn:") else call.arn("kms", alias))]
        if operation != "CreateAlias":
            checks.append(_kms_key(call, alias, action))
        if params.get("TargetKeyId"):
            checks.append(_kms_key(call, params["TargetKeyId"], action))
        return checks
    if operation == "ReEncrypt":
        source = params.get("SourceKeyId") or _kms_ciphertext_key(params)
        return [
            _kms_key(call, source or "", "kms:ReEncryptFrom"),
            _kms_key(call, params.get("DestinationKeyId", ""), "kms:ReEncryptTo"),
        ]
    key_id = params.get("KeyId") or (_kms_ciphertext_key(params) if operation == "Decrypt" else None)
    return [_kms_key(call, key_id, action)] if key_id else [Check(action)]


# --- SSM, CloudWatch Logs ------------------------------------------------------------------------------------------


def _ssm_parameter(call: Call, name: str) -> str:
    if name.startswith("arn:"):
        return name
    name = re.sub(r":[^/:]+$", "", name)  # a version or label selector
    return call.arn("ssm", "parameter" + (name if name.startswith("/") else f"/{name}"))


def _ssm(call: Call) -> list[Check]:
    params, action = call.params, f"ssm:{call.operation}"
    if isinstance(params.get("Names"), list):
        return [Check(action, _ssm_parameter(call, name)) for name in params["Names"]] or [Check(action)]
    if params.get("ResourceType") == "Parameter" and params.get("ResourceId"):
        return [Check(action, _ssm_parameter(call, params["ResourceId"]))]
    for name in ("Name", "Path"):
        if params.get(name):
            return [Check(action, _ssm_parameter(call, params[name]))]
    return [Check(action)]


_LOG_STREAM_ACTIONS = ("CreateLogStream", "DeleteLogStream", "PutLogEvents", "GetLogEvents")


def _logs(call: Call) -> list[Check]:
    params, operation, action = call.params, call.operation, f"logs:{call.operation}"
    if params.get("resourceArn"):
        return [Check(action, params["resourceArn"])]
    group = params.get("logGroupName") or params.get("logGroupIdentifier")
    if group and group.startswith("arn:"):
        group = group.split(":log-group:", 1)[-1].removesuffix(":*")
    if operation == "DescribeLogGroups":
        return [Check(action, call.arn("logs", "log-group::log-stream:"))]
    if not group:
        return [Check(action)]
    if operation in _LOG_STREAM_ACTIONS and params.get("logStreamName"):
        return [Check(action, call.arn("logs", f"log-group:{group}:log-stream:{params['logStreamName']}"))]
    return [Check(action, call.arn("logs", f"log-group:{group}:*"))]


# --- IAM, STS ------------------------------------------------------------------------------------------------------


def _iam_entity_arn(call: Call, kind: str, name: str) -> str:
    """The ARN of an IAM role, user, group or instance profile by name, with its path when it exists."""
    from moto.iam.models import iam_backends

    backend = iam_backends[call.account][call.partition]
    getters = {
        "role": backend.get_role,
        "user": backend.get_user,
        "group": backend.get_group,
        "instance-profile": backend.get_instance_profile,
    }
    try:
        return getters[kind](name).arn
    except Exception:
        path = call.params.get("Path") or "/"
        return f"arn:{call.partition}:iam::{call.account}:{kind}{path}{name}"


def _iam(call: Call) -> list[Check]:
    params, operation, action = call.params, call.operation, f"iam:{call.operation}"
    context = {"iam:policyarn": params["PolicyArn"]} if params.get("PolicyArn") else {}
    if operation == "AddRoleToInstanceProfile":
        role = _iam_entity_arn(call, "role", params.get("RoleName", ""))
        return [
            Check(action, _iam_entity_arn(call, "instance-profile", params.get("InstanceProfileName", ""))),
            Check("iam:PassRole", role, context={"iam:passedtoservice": "ec2.amazonaws.com"}),
        ]
    for parameter, kind in (
        ("RoleName", "role"),
        ("UserName", "user"),
        ("GroupName", "group"),
        ("InstanceProfileName", "instance-profile"),
    ):
        if params.get(parameter):
            return [Check(action, _iam_entity_arn(call, kind, params[parameter]), context=context)]
    if params.get("PolicyArn"):
        return [Check(action, params["PolicyArn"], context=context)]
    if operation == "CreatePolicy" and params.get("PolicyName"):
        path = params.get("Path") or "/"
        return [Check(action, f"arn:{call.partition}:iam::{call.account}:policy{path}{params['PolicyName']}")]
    if params.get("ServerCertificateName"):
        return [
            Check(
                action, f"arn:{call.partition}:iam::{call.account}:server-certificate/{params['ServerCertificateName']}"
            )
        ]
    for parameter in ("OpenIDConnectProviderArn", "SAMLProviderArn"):
        if params.get(parameter):
            return [Check(action, params[parameter])]
    return [Check(action)]


def _sts(call: Call) -> list[Check]:
    from moto.iam.models import iam_backends

    if call.operation in ("AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML") and call.params.get(
        "RoleArn"
    ):
        arn = call.params["RoleArn"]
        try:
            trust = iam_backends[call.account][call.partition].get_role_by_arn(arn).assume_role_policy_document
        except Exception:
            trust = None
        context = {"sts:externalid": call.params["ExternalId"]} if call.params.get("ExternalId") else {}
        return [
            Check(
                f"sts:{call.operation}",
                arn,
                resource_policy=trust or {"Statement": []},
                policy_required=True,
                context=context,
            )
        ]
    return [Check(f"sts:{call.operation}")]


# The tagging action a create call with tags also needs (tag on create), per service or per service and operation.
TAG_ON_CREATE = {
    "ec2": "CreateTags",
    "elasticloadbalancing": "AddTags",
    "autoscaling": "CreateOrUpdateTags",
    "rds": "AddTagsToResource",
    "ssm": "AddTagsToResource",
    "acm": "AddTagsToCertificate",
    "sqs": "TagQueue",
    "dynamodb": "TagResource",
    "secretsmanager": "TagResource",
    "kms": "TagResource",
    "logs": "TagResource",
    "sns": "TagResource",
    "ecr": "TagResource",
    "ecs": "TagResource",
    "lambda": "TagResource",
    "events": "TagResource",
    "wafv2": "TagResource",
    "cloudfront": "TagResource",
    "iam": {
        "CreateRole": "TagRole",
        "CreateUser": "TagUser",
        "CreatePolicy": "TagPolicy",
        "CreateInstanceProfile": "TagInstanceProfile",
        "CreateOpenIDConnectProvider": "TagOpenIDConnectProvider",
        "UploadServerCertificate": "TagServerCertificate",
    },
}
_CREATING = ("Create", "Run", "Request", "Register", "Allocate", "Import", "Upload", "Copy", "PutParameter")
# botocore operations whose IAM action has another name.
IAM_ACTION_NAMES = {
    "lambda": {"Invoke": "InvokeFunction", "InvokeWithResponseStream": "InvokeFunction"},
    "cloudfront": {
        "CreateDistributionWithTags": "CreateDistribution",
        "CreateStreamingDistributionWithTags": "CreateStreamingDistribution",
    },
}


def _tag_on_create(call: Call, found: list[Check], tagged: bool) -> list[Check]:
    """The tagging action(s) a create call carrying tags needs as well, on the resources it creates."""
    tagging = TAG_ON_CREATE.get(call.prefix)
    if isinstance(tagging, dict):
        tagging = tagging.get(call.operation)
    tagged = tagged or call.operation.endswith("WithTags")
    if not tagging or not tagged or not call.operation.startswith(_CREATING) or call.operation == tagging:
        return []
    context = {"ec2:createaction": call.operation} if call.prefix == "ec2" else {}
    resources = list(dict.fromkeys(check.resource for check in found if check.action.startswith(f"{call.prefix}:")))
    return [Check(f"{call.prefix}:{tagging}", resource, context=context) for resource in resources or ["*"]]


def _dynamodb_replicas(call: Call) -> list[Check]:
    """UpdateTable ReplicaUpdates: dynamodb:CreateTableReplica / DeleteTableReplica on the table."""
    found = []
    for update in call.params.get("ReplicaUpdates") or []:
        for kind, action in (("Create", "CreateTableReplica"), ("Delete", "DeleteTableReplica")):
            if kind in update:
                found.append(Check(f"dynamodb:{action}", _dynamodb_table(call, call.params.get("TableName", ""))[0]))
    return found


RESOLVERS = {
    "dynamodb": _dynamodb,
    "secretsmanager": _secretsmanager,
    "s3": _s3,
    "sqs": _sqs,
    "sns": _sns,
    "kms": _kms,
    "ssm": _ssm,
    "logs": _logs,
    "ecr": _ecr,
    "iam": _iam,
    "sts": _sts,
}


def checks(call: Call) -> list[Check]:
    """Every authorization the request needs (all must be allowed), with the request's tags in each context."""
    renamed = IAM_ACTION_NAMES.get(call.prefix, {}).get(call.operation)
    if renamed:
        call = replace(call, operation=renamed)
    resolver = RESOLVERS.get(call.prefix)
    found = resolver(call) if resolver else [Check(f"{call.prefix}:{call.operation}")]
    if call.prefix == "dynamodb" and call.operation == "UpdateTable":
        found += _dynamodb_replicas(call)
    tags = request_tags(call)
    found += _tag_on_create(call, found, bool(tags)) + _pass_role_checks(call)
    if tags:
        found = [
            Check(check.action, check.resource, check.resource_policy, check.policy_required, {**tags, **check.context})
            for check in found
        ]
    return found


def parse_params(content_type: str, body: bytes, query_string: str) -> dict:
    """A request's parameters: its JSON body, else its form body and query string (first values)."""
    text = body.decode("utf-8", errors="replace") if body else ""
    if text.lstrip().startswith("{"):
        try:
            loaded = json.loads(text)
            return loaded if isinstance(loaded, dict) else {}
        except ValueError:
            return {}
    params = {name: values[0] for name, values in parse_qs(query_string, keep_blank_values=True).items()}
    if content_type.startswith("application/x-www-form-urlencoded") and text:
        params.update({name: values[0] for name, values in parse_qs(text, keep_blank_values=True).items()})
    return params


def query_dict(raw_uri: str) -> dict:
    return parse_qs(urlsplit(raw_uri).query, keep_blank_values=True)
