"""IAM evaluation: the enforcement switch (``/_atelier/iam``, ``Emulator.iam_enforced()``), the per-resource evaluator
(addition ``iam_policy_evaluation``) and a role's credentials as its service gets them (addition
``iam_service_role_credentials``, ``Emulator.client_as_role()``).

The tests through the emulator fail with ``ATELIER_EMULATOR_DISABLE_ADDITIONS=iam_policy_evaluation`` (the switch then
turns moto's own enforcement on, which authorizes against the resource "*" and answers moto's errors) or
``...=iam_service_role_credentials`` (no role credentials): each docstring names the addition(s) it needs. The
``test_policy_*`` tests call ``emulator.policy`` directly (no server) for evaluation rules that are awkward to reach
through a service.

Every test that switches enforcement on does it with ``with emulator.iam_enforced()``, which switches it off again
whatever happens: the emulator is shared by the whole session.
"""

import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

from emulator import policy, requestlog
from tests.emulator.helpers import unique

ACCOUNT = "123456789012"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _error(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def _document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _allow(actions, resources, **extra) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def _role(emulator, *statements: dict, trust: dict = EC2_TRUST) -> str:
    """A new role with that trust policy and an inline policy of statements; its name."""
    name = unique("role")
    iam = emulator.client("iam")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=_document(*statements))
    return name


def _user(emulator, *statements: dict, managed: tuple = ()) -> dict:
    """A new IAM user with an inline policy of statements (and managed policies); its boto3 credentials."""
    name = unique("user")
    iam = emulator.client("iam")
    iam.create_user(UserName=name)
    if statements:
        iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=_document(*statements))
    for arn in managed:
        iam.attach_user_policy(UserName=name, PolicyArn=arn)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def _secret_policy(client, secret: str, effect: str, principal: str) -> None:
    """Give secret a resource policy of one statement: effect secretsmanager:GetSecretValue for principal."""
    statement = {
        "Effect": effect,
        "Principal": {"AWS": principal},
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    client.put_resource_policy(SecretId=secret, ResourcePolicy=_document(statement))


def _table(emulator, name: str, region: str = "us-east-1", tags: dict | None = None) -> str:
    """A table pk/sk with a GSI by-owner in region; its ARN."""
    return emulator.client("dynamodb", region).create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "owner", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-owner",
                "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": key, "Value": value} for key, value in (tags or {}).items()],
    )["TableDescription"]["TableArn"]


def _item(pk: str) -> dict:
    return {"pk": {"S": pk}, "sk": {"S": "goal"}, "owner": {"S": "ana"}}


# --- the switch ----------------------------------------------------------------------------------------------------


def test_enforcement_switch_refuses_the_dummy_key_and_switches_off_again(emulator):
    """iam_policy_evaluation: with enforcement on, moto's dummy key is refused with each protocol's AWS error, the
    administrator (AdministratorAccess) can do everything, a wrong secret is a signature error; the context manager
    switches enforcement off even when its block fails, and the dummy key works again."""
    table = unique("switch")
    _table(emulator, table)
    with pytest.raises(RuntimeError, match="fails inside"):
        with emulator.iam_enforced() as admin:
            assert emulator.iam_enforcement(True)["evaluator"] == "atelier"
            assert _error(emulator.client("sts").get_caller_identity)[0] == "InvalidClientTokenId"
            assert _error(emulator.client("iam").list_roles)[0] == "InvalidClientTokenId"
            assert (
                _error(emulator.client("dynamodb").describe_table, TableName=table)[0] == "UnrecognizedClientException"
            )
            assert _error(emulator.client("ec2").describe_vpcs)[0] == "AuthFailure"
            assert _error(emulator.client("s3").list_buckets)[0] == "InvalidAccessKeyId"

            identity = emulator.client_with(admin, "sts").get_caller_identity()
            assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/atelier-admin"
            emulator.client_with(admin, "dynamodb").describe_table(TableName=table)
            emulator.client_with(admin, "ec2").describe_vpcs()
            emulator.client_with(admin, "s3").list_buckets()

            forged = {**admin, "aws_secret_access_key": "not-the-secret"}
            assert _error(emulator.client_with(forged, "iam").list_roles)[0] == "SignatureDoesNotMatch"
            assert _error(emulator.client_with(forged, "dynamodb").list_tables)[0] == "InvalidSignatureException"
            raise RuntimeError("fails inside")

    state = emulator.iam_enforcement(False)
    assert state["enforce"] is False
    emulator.client("sts").get_caller_identity()
    emulator.client("dynamodb").describe_table(TableName=table)


# --- DynamoDB: an application tier's role ----------------------------------------------------------------------------


def test_role_reaches_its_table_and_indexes_in_its_regions_only(emulator):
    """iam_policy_evaluation + iam_service_role_credentials: a role allowed PutItem/GetItem/Query (and BatchWriteItem)
    on one table and its indexes in two regions works there, and is denied another table (also inside a batch),
    DeleteTable, Scan, and the same table in a region its policy does not list."""
    table, other = unique("goals"), unique("other")
    regions = ("us-east-1", "us-west-2")
    for region in (*regions, "eu-west-1"):
        _table(emulator, table, region)
    other_arn = _table(emulator, other)
    resources = [
        f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table}{suffix}"
        for region in regions
        for suffix in ("", "/index/*")
    ]
    role = _role(
        emulator,
        _allow(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchWriteItem"], resources),
    )

    with emulator.iam_enforced():
        for region in regions:
            dynamodb = emulator.client_as_role("dynamodb", role, region=region)
            dynamodb.put_item(TableName=table, Item=_item(f"{region}-1"))
            assert dynamodb.get_item(TableName=table, Key={"pk": {"S": f"{region}-1"}, "sk": {"S": "goal"}})["Item"]
            assert (
                dynamodb.query(
                    TableName=table,
                    KeyConditionExpression="pk = :pk",
                    ExpressionAttributeValues={":pk": {"S": f"{region}-1"}},
                )["Count"]
                == 1
            )
            assert (
                dynamodb.query(
                    TableName=table,
                    IndexName="by-owner",
                    KeyConditionExpression="#o = :o",
                    ExpressionAttributeNames={"#o": "owner"},
                    ExpressionAttributeValues={":o": {"S": "ana"}},
                )["Count"]
                >= 1
            )
            dynamodb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": _item(f"{region}-2")}}]})

        dynamodb = emulator.client_as_role("dynamodb", role)
        code, message = _error(dynamodb.put_item, TableName=other, Item=_item("x"))
        assert code == "AccessDeniedException"
        assert f":assumed-role/{role}/" in message
        assert (
            f"is not authorized to perform: dynamodb:PutItem on resource: {other_arn} because no identity-based policy allows"
            in message
        )
        assert (
            _error(
                dynamodb.batch_write_item,
                RequestItems={
                    table: [{"PutRequest": {"Item": _item("3")}}],
                    other: [{"PutRequest": {"Item": _item("3")}}],
                },
            )[0]
            == "AccessDeniedException"
        )
        assert _error(dynamodb.delete_table, TableName=table)[0] == "AccessDeniedException"
        assert _error(dynamodb.scan, TableName=table)[0] == "AccessDeniedException"
        elsewhere = emulator.client_as_role("dynamodb", role, region="eu-west-1")
        code, message = _error(elsewhere.put_item, TableName=table, Item=_item("x"))
        assert code == "AccessDeniedException"
        assert f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/{table}" in message

    assert emulator.client("dynamodb").describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"
    assert "Item" not in emulator.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": "3"}, "sk": {"S": "goal"}}
    )


def test_explicit_deny_in_an_identity_policy_beats_administrator_access(emulator):
    """iam_policy_evaluation: AdministratorAccess plus a Deny of dynamodb:DeleteTable on one table: that delete is
    refused as an explicit deny, the rest stays allowed; the request log says what was denied."""
    table = unique("kept")
    arn = _table(emulator, table)
    credentials = _user(
        emulator,
        {
            "Effect": "Deny",
            "Action": "dynamodb:DeleteTable",
            "Resource": f"arn:aws:dynamodb:*:*:table/{unique('x')[:4]}*",
        },
        {"Effect": "Deny", "Action": "dynamodb:Delete?able", "Resource": arn},
        managed=("arn:aws:iam::aws:policy/AdministratorAccess",),
    )
    offset = requestlog.current_offset(emulator.request_log)
    with emulator.iam_enforced():
        dynamodb = emulator.client_with(credentials, "dynamodb")
        code, message = _error(dynamodb.delete_table, TableName=table)
        assert code == "AccessDeniedException"
        assert message.endswith("with an explicit deny in an identity-based policy")
        dynamodb.describe_table(TableName=table)
    denied = [entry["denied"] for entry in requestlog.read_requests(emulator.request_log, offset) if "denied" in entry]
    assert denied == [
        {
            "code": "AccessDeniedException",
            "action": "dynamodb:DeleteTable",
            "resource": arn,
            "principal": denied[0]["principal"],
            "reason": "explicit-identity",
        }
    ]
    assert denied[0]["principal"].startswith(f"arn:aws:iam::{ACCOUNT}:user/user-")


def test_request_log_names_the_checks_an_allowed_request_passed(emulator):
    """iam_policy_evaluation: with enforcement on, each allowed request's log entry lists the IAM checks it passed
    (``authorized``: action, resource, the condition keys it added), which is what tools/deployer_policy.py --record
    turns into the actions a deployer needs: a tagged CreateTable needs dynamodb:TagResource on the table too, a
    describe of EC2 has the resource "*"; a refused request has no such list, and with enforcement off nothing does."""
    table = unique("logged")
    offset = requestlog.current_offset(emulator.request_log)
    with emulator.iam_enforced() as admin:
        arn = emulator.client_with(admin, "dynamodb").create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            Tags=[{"Key": "owner", "Value": "ana"}],
        )["TableDescription"]["TableArn"]
        emulator.client_with(admin, "ec2").describe_vpcs()
        emulator.client_with(admin, "resourcegroupstaggingapi").get_resources(ResourceTypeFilters=["dynamodb:table"])
        _error(emulator.client("ec2").describe_vpcs)
    emulator.client("ec2").describe_vpcs()
    entries = requestlog.read_requests(emulator.request_log, offset)
    by_action = {entry["action"]: entry for entry in entries if entry["access_key"] == admin["aws_access_key_id"]}
    tags = {"aws:requesttag/owner": "ana", "aws:tagkeys": ["owner"]}
    assert by_action["CreateTable"]["authorized"] == [
        {"action": "dynamodb:CreateTable", "resource": arn, "context": tags},
        {"action": "dynamodb:TagResource", "resource": arn, "context": tags},
    ]
    assert by_action["DescribeVpcs"]["authorized"] == [{"action": "ec2:DescribeVpcs", "resource": "*"}]
    # The Resource Groups Tagging API signs as "tagging"; its IAM actions are tag:*.
    assert by_action["GetResources"]["authorized"] == [{"action": "tag:GetResources", "resource": "*"}]
    refused, unenforced = [entry for entry in entries if entry["access_key"] == "testing"][-2:]
    assert ("denied" in refused, "authorized" in refused) == (True, False)
    assert ("denied" in unenforced, "authorized" in unenforced) == (False, False)


def test_resource_tag_and_request_tag_conditions(emulator):
    """iam_policy_evaluation: StringEquals on aws:ResourceTag/tier allows GetItem on the table tagged so, not on
    another; StringLike on aws:RequestTag/owner lets CreateSecret through only with that tag."""
    backend, frontend = unique("backend"), unique("frontend")
    _table(emulator, backend, tags={"tier": "backend"})
    _table(emulator, frontend, tags={"tier": "frontend"})
    credentials = _user(
        emulator,
        _allow("dynamodb:GetItem", "*", Condition={"StringEquals": {"aws:ResourceTag/tier": "backend"}}),
        _allow(
            ["secretsmanager:CreateSecret", "secretsmanager:TagResource"],
            "*",
            Condition={"StringLike": {"aws:RequestTag/owner": "app-?"}},
        ),
    )
    key = {"pk": {"S": "a"}, "sk": {"S": "goal"}}
    with emulator.iam_enforced():
        dynamodb = emulator.client_with(credentials, "dynamodb")
        dynamodb.get_item(TableName=backend, Key=key)
        assert _error(dynamodb.get_item, TableName=frontend, Key=key)[0] == "AccessDeniedException"
        secrets = emulator.client_with(credentials, "secretsmanager")
        secrets.create_secret(Name=unique("tagged"), SecretString="x", Tags=[{"Key": "owner", "Value": "app-1"}])
        assert _error(secrets.create_secret, Name=unique("untagged"), SecretString="x")[0] == "AccessDeniedException"
        assert (
            _error(
                secrets.create_secret,
                Name=unique("other"),
                SecretString="x",
                Tags=[{"Key": "owner", "Value": "app-12"}],
            )[0]
            == "AccessDeniedException"
        )


# --- Secrets Manager ---------------------------------------------------------------------------------------------------


def test_role_reads_exactly_its_secret_by_name_and_arn_and_a_resource_policy_deny_wins(emulator):
    """iam_policy_evaluation + iam_service_role_credentials: "secret:<name>-??????" allows that secret by name and by
    ARN, not another secret nor one whose name only starts the same; a Deny in the secret's resource policy wins."""
    secrets = emulator.client("secretsmanager")
    name = unique("app/db")
    arn = secrets.create_secret(Name=name, SecretString="s3cret")["ARN"]
    longer = secrets.create_secret(Name=f"{name}-old", SecretString="old")["ARN"]
    other = secrets.create_secret(Name=unique("app/other"), SecretString="other")["ARN"]
    pattern = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{name}-??????"
    role = _role(emulator, _allow(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], pattern))

    with emulator.iam_enforced():
        client = emulator.client_as_role("secretsmanager", role)
        assert client.get_secret_value(SecretId=name)["SecretString"] == "s3cret"
        assert client.get_secret_value(SecretId=arn)["SecretString"] == "s3cret"
        client.describe_secret(SecretId=name)
        code, message = _error(client.get_secret_value, SecretId=other)
        assert (code, other in message) == ("AccessDeniedException", True)
        assert _error(client.get_secret_value, SecretId=longer)[0] == "AccessDeniedException"
        assert _error(client.get_secret_value, SecretId=unique("missing"))[0] == "AccessDeniedException"
        assert _error(client.put_secret_value, SecretId=name, SecretString="new")[0] == "AccessDeniedException"

    role_arn = f"arn:aws:iam::{ACCOUNT}:role/{role}"
    _secret_policy(secrets, name, "Deny", role_arn)
    with emulator.iam_enforced():
        client = emulator.client_as_role("secretsmanager", role)
        code, message = _error(client.get_secret_value, SecretId=name)
        assert code == "AccessDeniedException"
        assert message.endswith("with an explicit deny in a resource-based policy")
        client.describe_secret(SecretId=name)


def test_a_secret_resource_policy_alone_grants_the_principal_it_names(emulator):
    """iam_policy_evaluation: same account, a resource policy naming the user allows without an identity policy;
    naming only the account delegates to the user's policies (none: denied)."""
    secrets = emulator.client("secretsmanager")
    named, delegated = unique("named"), unique("delegated")
    secrets.create_secret(Name=named, SecretString="a")
    secrets.create_secret(Name=delegated, SecretString="b")
    credentials = _user(emulator)
    with emulator.iam_enforced() as admin:
        user_arn = emulator.client_with(credentials, "sts").get_caller_identity()["Arn"]
        admin_secrets = emulator.client_with(admin, "secretsmanager")
        _secret_policy(admin_secrets, named, "Allow", user_arn)
        _secret_policy(admin_secrets, delegated, "Allow", f"arn:aws:iam::{ACCOUNT}:root")
        client = emulator.client_with(credentials, "secretsmanager")
        assert client.get_secret_value(SecretId=named)["SecretString"] == "a"
        assert _error(client.get_secret_value, SecretId=delegated)[0] == "AccessDeniedException"


# --- EC2, S3 and the other services' resources -------------------------------------------------------------------------


def test_user_with_ec2_describe_only_can_describe_and_cannot_create(emulator):
    """iam_policy_evaluation: "ec2:Describe*" allows DescribeVpcs / DescribeSubnets, and CreateVpc is EC2's
    UnauthorizedOperation with an encoded authorization failure message."""
    credentials = _user(emulator, _allow("ec2:Describe*", "*"))
    with emulator.iam_enforced():
        ec2 = emulator.client_with(credentials, "ec2")
        ec2.describe_vpcs()
        ec2.describe_subnets()
        code, message = _error(ec2.create_vpc, CidrBlock="10.230.0.0/16")
        assert code == "UnauthorizedOperation"
        assert "is not authorized to perform: ec2:CreateVpc because no identity-based policy allows" in message
        assert "Encoded authorization failure message: " in message
        assert _error(emulator.client_with(credentials, "iam").list_users)[0] == "AccessDenied"


def test_group_policies_apply_to_their_members_and_an_inactive_key_is_refused(emulator):
    """iam_policy_evaluation: a user gets the inline and attached policies of its groups; once its key is made
    Inactive, the key is refused as an unknown one."""
    iam = emulator.client("iam")
    group, user = unique("readers"), unique("member")
    iam.create_group(GroupName=group)
    iam.put_group_policy(GroupName=group, PolicyName="inline", PolicyDocument=_document(_allow("sqs:ListQueues", "*")))
    iam.attach_group_policy(GroupName=group, PolicyArn="arn:aws:iam::aws:policy/AmazonSNSReadOnlyAccess")
    iam.create_user(UserName=user)
    iam.add_user_to_group(GroupName=group, UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    credentials = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    with emulator.iam_enforced() as admin:
        emulator.client_with(credentials, "sqs").list_queues()
        emulator.client_with(credentials, "sns").list_topics()
        assert (
            _error(emulator.client_with(credentials, "sns").create_topic, Name=unique("t"))[0] == "AuthorizationError"
        )
        emulator.client_with(admin, "iam").update_access_key(
            UserName=user, AccessKeyId=key["AccessKeyId"], Status="Inactive"
        )
        assert _error(emulator.client_with(credentials, "sqs").list_queues)[0] == "InvalidClientTokenId"


def test_s3_bucket_and_object_resources_and_bucket_policy(emulator):
    """iam_policy_evaluation: s3:GetObject on "<bucket>/public/*" allows GetObject and HeadObject there only;
    ListObjectsV2 needs s3:ListBucket on the bucket; a presigned URL acts as its signer; a bucket policy Deny wins
    over the user's Allow."""
    bucket = unique("atelier-iam")
    s3 = emulator.client("s3")
    s3.create_bucket(Bucket=bucket)
    for key in ("public/a.txt", "private/b.txt"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    credentials = _user(
        emulator,
        _allow("s3:GetObject", f"arn:aws:s3:::{bucket}/public/*"),
        _allow("s3:ListBucket", f"arn:aws:s3:::{bucket}"),
    )
    with emulator.iam_enforced():
        client = emulator.client_with(credentials, "s3")
        assert client.get_object(Bucket=bucket, Key="public/a.txt")["Body"].read() == b"x"
        client.head_object(Bucket=bucket, Key="public/a.txt")
        assert [item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]] == [
            "private/b.txt",
            "public/a.txt",
        ]
        assert _error(client.get_object, Bucket=bucket, Key="private/b.txt")[0] == "AccessDenied"
        assert _error(client.put_object, Bucket=bucket, Key="public/c.txt", Body=b"y")[0] == "AccessDenied"
    with emulator.iam_enforced():  # a presigned URL (SigV2 by default for S3) acts as the key that signed it
        allowed = emulator.client_with(credentials, "s3").generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": "public/a.txt"}
        )
        refused = emulator.client_with(credentials, "s3").generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": "private/b.txt"}
        )
        assert _DIRECT.open(allowed, timeout=30).read() == b"x"
        with pytest.raises(urllib.error.HTTPError) as raised:
            _DIRECT.open(refused, timeout=30)
        assert raised.value.code == 403 and b"<Code>AccessDenied</Code>" in raised.value.read()
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=_document(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/public/a.txt",
            }
        ),
    )
    with emulator.iam_enforced():
        assert (
            _error(emulator.client_with(credentials, "s3").get_object, Bucket=bucket, Key="public/a.txt")[0]
            == "AccessDenied"
        )


def test_queue_topic_key_parameter_and_log_group_resources(emulator):
    """iam_policy_evaluation: a role allowed on one SQS queue (QueueUrl), SNS topic, KMS key (used by its alias),
    SSM parameter and log group (its streams) is denied the other one of each, with the service's error code (SQS
    AccessDenied through x-amzn-query-error, SNS AuthorizationError)."""
    suffix = unique("res")
    sqs, sns, kms = emulator.client("sqs"), emulator.client("sns"), emulator.client("kms")
    ssm, logs = emulator.client("ssm"), emulator.client("logs")
    queues = [sqs.create_queue(QueueName=f"{suffix}-{n}")["QueueUrl"] for n in ("mine", "other")]
    topics = [sns.create_topic(Name=f"{suffix}-{n}")["TopicArn"] for n in ("mine", "other")]
    keys = [kms.create_key()["KeyMetadata"]["Arn"] for _ in range(2)]
    for key, n in zip(keys, ("mine", "other")):
        kms.create_alias(AliasName=f"alias/{suffix}-{n}", TargetKeyId=key)
    for n in ("mine", "other"):
        ssm.put_parameter(Name=f"/{suffix}/{n}", Value=n, Type="String")
        logs.create_log_group(logGroupName=f"/{suffix}/{n}")
        logs.create_log_stream(logGroupName=f"/{suffix}/{n}", logStreamName="s0")
    role = _role(
        emulator,
        _allow(
            [
                "sqs:SendMessage",
                "sns:Publish",
                "kms:Encrypt",
                "ssm:GetParameter",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            [
                f"arn:aws:sqs:us-east-1:{ACCOUNT}:{suffix}-mine",
                topics[0],
                keys[0],
                f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/{suffix}/mine",
                f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/{suffix}/mine:*",
            ],
        ),
    )
    event = [{"timestamp": 1700000000000, "message": "hello"}]
    with emulator.iam_enforced():
        clients = {name: emulator.client_as_role(name, role) for name in ("sqs", "sns", "kms", "ssm", "logs")}
        for code, mine, other in (
            (
                "AccessDenied",
                lambda: clients["sqs"].send_message(QueueUrl=queues[0], MessageBody="m"),
                lambda: clients["sqs"].send_message(QueueUrl=queues[1], MessageBody="m"),
            ),
            (
                "AuthorizationError",
                lambda: clients["sns"].publish(TopicArn=topics[0], Message="m"),
                lambda: clients["sns"].publish(TopicArn=topics[1], Message="m"),
            ),
            (
                "AccessDeniedException",
                lambda: clients["kms"].encrypt(KeyId=f"alias/{suffix}-mine", Plaintext=b"p"),
                lambda: clients["kms"].encrypt(KeyId=f"alias/{suffix}-other", Plaintext=b"p"),
            ),
            (
                "AccessDeniedException",
                lambda: clients["ssm"].get_parameter(Name=f"/{suffix}/mine"),
                lambda: clients["ssm"].get_parameter(Name=f"/{suffix}/other"),
            ),
            (
                "AccessDeniedException",
                lambda: clients["logs"].create_log_stream(logGroupName=f"/{suffix}/mine", logStreamName="s1"),
                lambda: clients["logs"].create_log_stream(logGroupName=f"/{suffix}/other", logStreamName="s1"),
            ),
            (
                "AccessDeniedException",
                lambda: clients["logs"].put_log_events(
                    logGroupName=f"/{suffix}/mine", logStreamName="s0", logEvents=event
                ),
                lambda: clients["logs"].put_log_events(
                    logGroupName=f"/{suffix}/other", logStreamName="s0", logEvents=event
                ),
            ),
        ):
            mine()
            with pytest.raises(ClientError) as raised:
                other()
            assert raised.value.response["Error"]["Code"] == code


def test_kms_key_policy_must_allow(emulator):
    """iam_policy_evaluation: a key whose key policy names only another principal (no account delegation) is refused
    even to AdministratorAccess, as on AWS; the default key policy delegates to IAM."""
    kms = emulator.client("kms")
    locked = kms.create_key(
        Policy=_document(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/somebody-else"},
                "Action": "kms:*",
                "Resource": "*",
            }
        )
    )["KeyMetadata"]["KeyId"]
    open_key = kms.create_key()["KeyMetadata"]["KeyId"]
    with emulator.iam_enforced() as admin:
        client = emulator.client_with(admin, "kms")
        client.describe_key(KeyId=open_key)
        code, message = _error(client.describe_key, KeyId=locked)
        assert code == "AccessDeniedException"
        assert message.endswith("because no resource-based policy allows the kms:DescribeKey action")


def test_sts_assume_role_needs_the_trust_policy(emulator):
    """iam_policy_evaluation: the administrator may AssumeRole a role whose trust policy names the account, not one
    that trusts only the EC2 service; the session then acts with the role's policies."""
    trusting = _role(
        emulator,
        _allow("sqs:ListQueues", "*"),
        trust={
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}],
        },
    )
    ec2_only = _role(emulator)
    with emulator.iam_enforced() as admin:
        sts = emulator.client_with(admin, "sts")
        session = sts.assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{trusting}", RoleSessionName="session")[
            "Credentials"
        ]
        as_role = {
            "aws_access_key_id": session["AccessKeyId"],
            "aws_secret_access_key": session["SecretAccessKey"],
            "aws_session_token": session["SessionToken"],
        }
        emulator.client_with(as_role, "sqs").list_queues()
        assert _error(emulator.client_with(as_role, "sns").list_topics)[0] == "AuthorizationError"
        assert _error(emulator.client_with(as_role, "dynamodb").list_tables)[0] == "AccessDeniedException"
        assert (
            _error(sts.assume_role, RoleArn=f"arn:aws:iam::{ACCOUNT}:role/{ec2_only}", RoleSessionName="session")[0]
            == "AccessDenied"
        )


def test_tag_on_create_and_pass_role_are_authorized_too(emulator):
    """iam_policy_evaluation: CreateRole with tags also needs iam:TagRole on the new role; RegisterTaskDefinition
    with a task role also needs iam:PassRole on that role (iam:PassedToService ecs-tasks.amazonaws.com)."""
    prefix = unique("app")
    task_role = _role(emulator)
    task_role_arn = f"arn:aws:iam::{ACCOUNT}:role/{task_role}"
    trust = json.dumps(EC2_TRUST)
    without = _user(
        emulator,
        _allow("iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/{prefix}-*"),
        _allow("ecs:RegisterTaskDefinition", "*"),
    )
    with_them = _user(
        emulator,
        _allow(["iam:CreateRole", "iam:TagRole"], f"arn:aws:iam::{ACCOUNT}:role/{prefix}-*"),
        _allow("ecs:RegisterTaskDefinition", "*"),
        _allow(
            "iam:PassRole",
            task_role_arn,
            Condition={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
        ),
    )
    definition = {
        "family": prefix,
        "taskRoleArn": task_role_arn,
        "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 128}],
    }
    with emulator.iam_enforced():
        iam, ecs = emulator.client_with(without, "iam"), emulator.client_with(without, "ecs")
        iam.create_role(RoleName=f"{prefix}-plain", AssumeRolePolicyDocument=trust)
        code, message = _error(
            iam.create_role,
            RoleName=f"{prefix}-tagged",
            AssumeRolePolicyDocument=trust,
            Tags=[{"Key": "tier", "Value": "web"}],
        )
        assert (code, "iam:TagRole on resource: " in message) == ("AccessDenied", True)
        code, message = _error(ecs.register_task_definition, **definition)
        assert (code, f"iam:PassRole on resource: {task_role_arn}" in message) == ("AccessDeniedException", True)

        iam, ecs = emulator.client_with(with_them, "iam"), emulator.client_with(with_them, "ecs")
        iam.create_role(
            RoleName=f"{prefix}-tagged", AssumeRolePolicyDocument=trust, Tags=[{"Key": "tier", "Value": "web"}]
        )
        ecs.register_task_definition(**definition)


def test_ecr_repositories_and_flow_log_roles_are_resources_of_their_own(emulator):
    """iam_policy_evaluation: ECR actions are authorized on the repository (repositoryName, resourceArn), so a policy
    scoped to the repositories under "<prefix>/" creates, tags and describes those and is denied another one and a
    DescribeRepositories of every repository; CreateFlowLogs with DeliverLogsPermissionArn needs iam:PassRole on
    that role, passed to vpc-flow-logs.amazonaws.com."""
    prefix = unique("stack")
    repositories = f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/{prefix}/*"
    flow_role = _role(emulator)
    flow_role_arn = f"arn:aws:iam::{ACCOUNT}:role/{flow_role}"
    vpc = emulator.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    flow_logs = {
        "ResourceIds": [vpc],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": f"/flow/{prefix}",
        "DeliverLogsPermissionArn": flow_role_arn,
    }
    ec2_only = [_allow("ec2:CreateFlowLogs", "*")]
    credentials = _user(
        emulator,
        _allow(["ecr:CreateRepository", "ecr:TagResource", "ecr:DescribeRepositories"], repositories),
        *ec2_only,
    )
    passing = _user(
        emulator,
        *ec2_only,
        _allow(
            "iam:PassRole",
            flow_role_arn,
            Condition={"StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}},
        ),
    )
    with emulator.iam_enforced():
        ecr = emulator.client_with(credentials, "ecr")
        ecr.create_repository(repositoryName=f"{prefix}/web", tags=[{"Key": "tier", "Value": "web"}])
        assert ecr.describe_repositories(repositoryNames=[f"{prefix}/web"])["repositories"]
        code, message = _error(ecr.create_repository, repositoryName=f"other-{prefix}/web")
        assert (code, f"repository/other-{prefix}/web" in message) == ("AccessDeniedException", True)
        assert _error(ecr.describe_repositories)[0] == "AccessDeniedException"
        code, message = _error(emulator.client_with(credentials, "ec2").create_flow_logs, **flow_logs)
        assert (code, f"iam:PassRole on resource: {flow_role_arn}" in message) == ("UnauthorizedOperation", True)
        emulator.client_with(passing, "ec2").create_flow_logs(**flow_logs)


# --- role credentials and trust policies ----------------------------------------------------------------------------


def test_role_credentials_follow_the_trust_policy_and_its_conditions(emulator):
    """iam_service_role_credentials: credentials for a role only for the service principal its trust policy names,
    and with aws:SourceAccount / aws:SourceArn conditions only when the caller names matching ones."""
    ec2_role = _role(emulator)
    with pytest.raises(PermissionError, match="does not let ecs-tasks.amazonaws.com assume it"):
        emulator.role_credentials(ec2_role, "ecs-tasks.amazonaws.com")
    granted = emulator.role_credentials(ec2_role, "ec2.amazonaws.com")
    assert granted["assumed_role_arn"].startswith(f"arn:aws:sts::{ACCOUNT}:assumed-role/{ec2_role}/")
    assert granted["aws_access_key_id"].startswith("ASIA")

    task_role = _role(
        emulator,
        trust={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": ACCOUNT},
                        "ArnLike": {"aws:SourceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:*"},
                    },
                }
            ],
        },
    )
    task_arn = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task/cluster/0123456789abcdef"
    for wrong in (
        {"source_account": "999999999999", "source_arn": task_arn},
        {"source_account": ACCOUNT, "source_arn": f"arn:aws:ecs:eu-west-1:{ACCOUNT}:task/cluster/1"},
        {},
    ):
        with pytest.raises(PermissionError):
            emulator.role_credentials(task_role, "ecs-tasks.amazonaws.com", **wrong)
    emulator.role_credentials(task_role, "ecs-tasks.amazonaws.com", source_account=ACCOUNT, source_arn=task_arn)
    with pytest.raises(LookupError):
        emulator.role_credentials(unique("no-such-role"))


def test_role_credentials_act_as_the_role_and_expire_with_it(emulator):
    """iam_service_role_credentials + iam_policy_evaluation: the session is the role's (GetCallerIdentity), uses the
    role's attached managed policy, and its credentials stop working once the role's session token is changed."""
    role = _role(emulator)
    emulator.client("iam").attach_role_policy(
        RoleName=role, PolicyArn="arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"
    )
    credentials = emulator.role_credentials(role, region="us-west-2")
    keys = {key: credentials[key] for key in ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")}
    with emulator.iam_enforced():
        assert emulator.client_with(keys, "sts").get_caller_identity()["Arn"] == credentials["assumed_role_arn"]
        emulator.client_with(keys, "sqs").list_queues()
        assert _error(emulator.client_with(keys, "sqs").create_queue, QueueName=unique("q"))[0] == "AccessDenied"
        tampered = {**keys, "aws_session_token": keys["aws_session_token"][:-4] + "AAAA"}
        assert _error(emulator.client_with(tampered, "sqs").list_queues)[0] == "InvalidClientTokenId"


# --- the evaluator's rules, without a server ---------------------------------------------------------------------------

USER = policy.Principal(f"arn:aws:iam::{ACCOUNT}:user/ana", ACCOUNT, "User")


def _decide(
    statements,
    action="s3:GetObject",
    resource="arn:aws:s3:::bucket/key",
    context=None,
    resource_policy=None,
    required=False,
) -> policy.Decision:
    request = policy.Request(action, resource, USER, {policy.context_key(k): v for k, v in (context or {}).items()})
    return policy.evaluate(request, [_document(*statements)], resource_policy, required)


def test_policy_wildcards_are_star_and_question_mark_only():
    assert policy.glob("table/a?c", "table/abc") and not policy.glob("table/a?c", "table/ac")
    assert not policy.glob("table/a.c", "table/abc")  # "." is literal, not any character
    assert not policy.glob("secret:db-??????", "secret:db-1234567")
    assert policy.arn_matches("arn:aws:dynamodb:*:*:table/goals", f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/goals")
    assert not policy.arn_matches(
        "arn:aws:dynamodb:*:*:table/goals", f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/goals/index/x"
    )
    assert policy.arn_matches("*", "*") and not policy.arn_matches("arn:aws:s3:::x", "*")
    assert _decide([_allow("S3:getobject", "*")]).allowed  # actions are case-insensitive


def test_policy_an_unknown_operator_is_an_error_not_a_guess():
    with pytest.raises(policy.PolicyError, match="StringSortOfEquals"):
        _decide([_allow("s3:GetObject", "*", Condition={"StringSortOfEquals": {"aws:username": "ana"}})])


def test_policy_deny_beats_allow_and_not_resource():
    assert _decide([_allow("s3:*", "*"), {"Effect": "Deny", "Action": "s3:Get*", "Resource": "*"}]) == policy.Decision(
        False, "explicit-identity"
    )
    not_resource = {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::bucket/secret/*"}
    assert _decide([not_resource]).allowed
    assert not _decide([not_resource], resource="arn:aws:s3:::bucket/secret/k").allowed


def test_policy_conditions_absent_keys_ifexists_and_set_operators():
    def allowed(condition, context=None) -> bool:
        return _decide([_allow("s3:GetObject", "*", Condition=condition)], context=context).allowed

    assert not allowed({"StringEquals": {"aws:ResourceTag/tier": "web"}})  # absent key: false
    assert allowed({"StringEqualsIfExists": {"aws:ResourceTag/tier": "web"}})
    assert allowed({"StringNotEquals": {"aws:ResourceTag/tier": "web"}})  # negated, absent key: true
    assert not allowed({"StringNotEquals": {"aws:ResourceTag/tier": ["web", "api"]}}, {"aws:ResourceTag/tier": "api"})
    assert allowed({"Null": {"aws:ResourceTag/tier": "true"}})
    assert allowed({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ["a"]})
    assert not allowed({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ["a", "c"]})
    assert allowed({"ForAnyValue:StringLike": {"aws:TagKeys": "c*"}}, {"aws:TagKeys": ["a", "cost"]})
    assert allowed({"NumericLessThan": {"s3:max-keys": "10"}}, {"s3:max-keys": "5"})
    assert allowed({"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}}, {"aws:SourceIp": "127.0.0.1"})
    assert allowed({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "true"})
    # A condition that fails makes an Allow not apply; it is no explicit Deny (moto made it one).
    assert _decide(
        [_allow("s3:*", "*"), _allow("s3:GetObject", "*", Condition={"StringEquals": {"aws:username": "bob"}})],
        context={"aws:username": "ana"},
    ).allowed


def test_policy_variables_and_resource_based_principals():
    own_prefix = _allow("s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username}/*")
    assert _decide([own_prefix], resource="arn:aws:s3:::bucket/home/ana/x", context={"aws:username": "ana"}).allowed
    assert not _decide([own_prefix], resource="arn:aws:s3:::bucket/home/bob/x", context={"aws:username": "ana"}).allowed
    assert not _decide([own_prefix], resource="arn:aws:s3:::bucket/home/ana/x").allowed  # no value: no match

    def grant(principal) -> str:
        return _document({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "*"})

    assert _decide([], resource_policy=grant({"AWS": USER.arn})).allowed
    assert not _decide([], resource_policy=grant({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})).allowed
    assert not _decide([], resource_policy=grant({"Service": "ec2.amazonaws.com"})).allowed
    # A required resource-based policy (KMS key policy, trust policy) naming the account delegates to IAM.
    assert _decide([_allow("s3:GetObject", "*")], resource_policy=grant({"AWS": ACCOUNT}), required=True).allowed
    assert _decide([], resource_policy=grant({"AWS": ACCOUNT}), required=True) == policy.Decision(
        False, "implicit-identity"
    )
    assert _decide(
        [_allow("s3:GetObject", "*")], resource_policy=grant({"AWS": "arn:aws:iam::1:root"}), required=True
    ) == (policy.Decision(False, "implicit-resource"))
