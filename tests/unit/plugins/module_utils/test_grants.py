# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A tier's grants: exact ARNs in one least-privilege policy, the names its container gets, and the checks."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import grants
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec
from ansible_collections.atelier.infra.plugins.module_utils.stack import stack_resources

P, ACCOUNT, REGION = "local-atelier", "123456789012", "us-east-1"
TABLE = f"arn:aws:dynamodb:{{}}:{ACCOUNT}:table/{P}-AtelierDB"


def statements(grant, regions=None):
    return grants.grant_statements(grant, P, "aws", ACCOUNT, REGION, regions)


def actions(statement):
    return set(statement["Action"])


def test_a_read_write_table_grant_names_the_table_in_every_region_and_its_indexes():
    table, indexes = statements({"kind": "dynamodb_table", "name": "AtelierDB", "access": "read_write"},
                                ["us-east-1", "af-south-1", "eu-west-1"])
    assert table["Resource"] == sorted(TABLE.format(r) for r in ("us-east-1", "af-south-1", "eu-west-1"))
    assert {"dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem"} <= actions(table)
    assert not {"dynamodb:DeleteTable", "dynamodb:CreateTable", "dynamodb:UpdateTable", "dynamodb:*"} & actions(table)
    assert indexes["Resource"] == sorted(TABLE.format(r) + "/index/*" for r in ("us-east-1", "af-south-1", "eu-west-1"))
    assert actions(indexes) == {"dynamodb:Query", "dynamodb:Scan"}


def test_a_read_grant_cannot_write_and_a_write_grant_cannot_read():
    (read, _indexes) = statements({"kind": "dynamodb_table", "name": "T"})
    assert "dynamodb:PutItem" not in actions(read) and "dynamodb:GetItem" in actions(read)
    (write,) = statements({"kind": "dynamodb_table", "name": "T", "access": "write"})
    assert "dynamodb:GetItem" not in actions(write) and "dynamodb:PutItem" in actions(write)
    assert write["Resource"] == [TABLE.format(REGION).replace("AtelierDB", "T")]


def test_streams_and_no_indexes():
    result = statements({"kind": "dynamodb_table", "name": "T", "indexes": False, "streams": True})
    assert [s["Sid"] for s in result] == ["DynamodbTableT", "DynamodbTableTStreams"]
    assert not any(r.endswith("/index/*") for s in result for r in s["Resource"])
    (stream,) = [s for s in result if s["Resource"][0].endswith("/stream/*")]
    assert actions(stream) == {"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}


@pytest.mark.parametrize(
    "grant, resource, granted, refused",
    [
        ({"kind": "secret", "name": "db-credentials"}, f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{P}-db-credentials-??????",
         {"secretsmanager:GetSecretValue"}, {"secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"}),
        ({"kind": "s3_bucket", "name": "uploads", "access": "write", "prefix": "avatars/"}, f"arn:aws:s3:::{P}-uploads/avatars/*",
         {"s3:PutObject"}, {"s3:GetObject", "s3:DeleteBucket"}),
        ({"kind": "sqs_queue", "name": "jobs", "access": "write"}, f"arn:aws:sqs:{REGION}:{ACCOUNT}:{P}-jobs",
         {"sqs:SendMessage"}, {"sqs:ReceiveMessage", "sqs:DeleteQueue"}),
        ({"kind": "sns_topic", "name": "events", "access": "write"}, f"arn:aws:sns:{REGION}:{ACCOUNT}:{P}-events",
         {"sns:Publish"}, {"sns:Subscribe", "sns:DeleteTopic"}),
        ({"kind": "kms_key", "name": "data", "access": "read"}, f"arn:aws:kms:{REGION}:{ACCOUNT}:key/*",
         {"kms:Decrypt"}, {"kms:Encrypt", "kms:ScheduleKeyDeletion"}),
    ],
)
def test_every_kind_is_scoped_to_its_resource(grant, resource, granted, refused):
    first = statements(grant)[0]
    assert first["Resource"] == [resource]
    assert granted <= actions(first) and not refused & actions(first)


def test_a_bucket_read_lists_only_its_prefix_and_a_key_only_its_alias():
    _objects, listing = statements({"kind": "s3_bucket", "name": "assets", "prefix": "img/"})
    assert listing["Resource"] == [f"arn:aws:s3:::{P}-assets"] and listing["Condition"] == {"StringLike": {"s3:prefix": ["img/*"]}}
    (key,) = statements({"kind": "kms_key", "name": "data"})
    assert key["Condition"] == {"ForAnyValue:StringEquals": {"kms:ResourceAliases": [f"alias/{P}-data"]}}


def test_the_policy_holds_grants_and_the_tiers_secrets_and_never_a_star_for_data():
    policy = grants.grant_policy(
        [{"kind": "dynamodb_table", "name": "AtelierDB", "access": "read_write"}], P, "aws", ACCOUNT, REGION,
        {"AtelierDB": ["us-east-1", "eu-west-1"]}, [f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{P}-x-??????"],
    )
    assert policy["Version"] == "2012-10-17"
    assert [s["Sid"] for s in policy["Statement"]] == ["DynamodbTableAtelierdb", "DynamodbTableAtelierdbIndexes", "ReadTheTierSecretsOnly"]
    assert all(r != "*" for s in policy["Statement"] for r in s["Resource"])
    assert grants.grant_policy([], P, "aws", ACCOUNT, REGION) is None


def test_the_environment_names_what_was_granted():
    env = grants.grant_environment(
        [{"kind": "dynamodb_table", "name": "AtelierDB", "access": "read_write"}, {"kind": "sqs_queue", "name": "jobs"},
         {"kind": "sns_topic", "name": "events", "access": "write", "env": "EVENTS"}, {"kind": "secret", "name": "db-credentials"}],
        P, ACCOUNT, REGION,
    )
    assert env == {
        "DYNAMODB_TABLE": f"{P}-AtelierDB",
        "SQS_QUEUE_URL": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{P}-jobs",
        "EVENTS": f"arn:aws:sns:{REGION}:{ACCOUNT}:{P}-events",
        "AWS_REGION": REGION,
    }
    assert grants.grant_environment([], P, ACCOUNT, REGION) == {}


STACK = {"prefix": P, "resources": stack_resources("AtelierDB", rds=True)}
TIER = {"name": "backend", "app_port": 8080}


@pytest.mark.parametrize(
    "tier, message",
    [
        (dict(TIER, grants=[{"kind": "dynamodb_table", "name": "Orders"}]),
         "tier backend: grants[0] (dynamodb_table Orders): the stack does not create this dynamodb table (it creates: AtelierDB)"),
        (dict(TIER, grants=[{"kind": "secret", "name": "api-key"}]),
         "tier backend: grants[0] (secret api-key): the stack does not create this secret (it creates: db-credentials)"),
        (dict(TIER, grants=[{"kind": "secret", "name": "db-credentials", "access": "write"}]),
         "access 'write' is not possible on a secret (allowed: read)"),
        (dict(TIER, grants=[{"kind": "sns_topic", "name": "t", "access": "read"}]), "access 'read' is not possible on a sns_topic"),
        (dict(TIER, grants=[{"kind": "secret", "name": "db-credentials", "streams": True}]), "indexes and streams apply to a dynamodb_table only"),
        (dict(TIER, grants=[{"kind": "dynamodb_table", "name": "AtelierDB", "prefix": "x/"}]), "prefix applies to an s3_bucket only"),
        (dict(TIER, grants=[{"kind": "dynamodb_table", "name": "arn:aws:dynamodb:x"}]), "name must be the resource's logical name"),
        (dict(TIER, grants=[{"kind": "dynamodb_table", "name": "AtelierDB", "env": "9X"}]), "env '9X' is not a valid environment variable name"),
        (dict(TIER, grants=[{"kind": "dynamodb_table", "name": "AtelierDB"}, {"kind": "dynamodb_table", "name": "AtelierDB", "access": "write"}]),
         "tier backend: grants 0, 1 all set DYNAMODB_TABLE; give each an env of its own"),
        (dict(TIER, environment={"DYNAMODB_TABLE": "x"}, grants=[{"kind": "dynamodb_table", "name": "AtelierDB"}]),
         "tier backend: DYNAMODB_TABLE set both in environment and by the grants"),
        (dict(TIER, secrets={"DB_PASSWORD": "atelier/goal-tracker-db-credentials:password"}),
         "tier backend: secret DB_PASSWORD reads atelier/goal-tracker-db-credentials, which the stack does not create "
         f"(it creates: {P}-db-credentials)"),
    ],
)
def test_grants_and_secrets_name_what_the_stack_creates(tier, message):
    errors = tier_spec.tier_errors([tier], stack=STACK)
    assert any(message in e for e in errors), errors


@pytest.mark.parametrize(
    "tier",
    [
        dict(TIER, grants=[{"kind": "dynamodb_table", "name": "AtelierDB", "access": "read_write"}]),
        dict(TIER, secrets={"DB_PASSWORD": f"{P}-db-credentials:password"}),
        # A full ARN is an outside secret, named on purpose.
        dict(TIER, secrets={"API_KEY": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:vendor/key-AbCdEf"}),
    ],
)
def test_what_the_stack_creates_is_accepted(tier):
    assert tier_spec.tier_errors([tier], stack=STACK) == []


def test_without_the_stack_only_the_grants_themselves_are_checked():
    assert tier_spec.tier_errors([dict(TIER, grants=[{"kind": "dynamodb_table", "name": "Orders"}])]) == []
    assert stack_resources() == {"dynamodb_table": [], "secret": [], "s3_bucket": [], "sqs_queue": [], "sns_topic": [], "kms_key": []}
