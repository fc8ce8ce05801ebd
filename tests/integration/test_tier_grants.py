"""What the Atelier backend runs works on AWS with least privilege, proven by IAM evaluation on the emulator.

One deployment of the Atelier stack's data and tiers (playbooks/site.yml, inventories/local: the global table with the
replicas the inventory has, both tiers behind their distributions) is shared by every test of this file. Then, with IAM
enforcement on, the tests act AS the tiers' instance roles, with the credentials EC2 hands an instance of that role
(``Emulator.client_as_role``): the backend uses its own table in every region it lives in and nothing else; the
frontend cannot touch it; no instance role of the stack allows a data action on every resource.
"""

import base64
import json

import pytest
import yaml
from botocore.exceptions import ClientError

from emulator.harness import REPO_ROOT

SHARED_TIERS = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]
TAGS = "vpc,security_groups,dynamodb_global,alb,cloudfront,asg_launch_template"
PREFIX = "local-atelier"
HOME = "us-east-1"
TABLE = f"{PREFIX}-AtelierDB"
# Another table of the same account: another stack's (same key schema), made by the administrator.
OTHER_TABLE = "other-atelier-AtelierDB"
BACKEND_ROLE = f"{PREFIX}-backend-instance"
FRONTEND_ROLE = f"{PREFIX}-frontend-instance"
# The AWS managed policies every instance role has on purpose (roles/asg_launch_template/README.md says why).
MANAGED_EXCEPTIONS = {"AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"}
# The services whose actions read or write an application's data.
DATA_SERVICES = ("dynamodb", "s3", "secretsmanager", "sqs", "sns", "kms", "ssm")
DENIED = "AccessDeniedException"


def item(region):
    """An order of user 42 written in region (the Atelier stack's keys: the table's and GSI_UserOrders')."""
    return {
        "PK": {"S": f"USER#42#{region}"},
        "SK": {"S": "ORDER#2025-04-18"},
        "UserId": {"S": f"42-{region}"},
        "OrderDate": {"S": "2025-04-18T10:00:00Z"},
        "OrderMonth": {"S": "2025-04"},
    }


def keys(value):
    return {"PK": value["PK"], "SK": value["SK"]}


def error_code(call, *args, **kwargs):
    """The AWS error code of a call that must fail (None if it succeeded)."""
    try:
        call(*args, **kwargs)
    except ClientError as failure:
        return failure.response["Error"]["Code"]
    return None


def statements(document):
    if isinstance(document, str):
        document = json.loads(document)
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value):
    return [value] if isinstance(value, str) else list(value or [])


@pytest.fixture(scope="module")
def deployed(emulator, tiers_deploy):
    """The stack's network, data and tiers deployed on an empty account (the worker's deploy, tests/conftest.py
    tiers_deploy, shared with test_tier_layer.py; deployed again only if the account no longer holds it); and another
    table of the account, made by the administrator."""
    assert tiers_deploy.TAGS == TAGS
    run = tiers_deploy.deployed()
    table = emulator.client("dynamodb").describe_table(TableName=TABLE)["Table"]
    replicas = sorted(r["RegionName"] for r in table.get("Replicas", []) if r["RegionName"] != HOME)
    with emulator.iam_enforced() as admin:
        emulator.client_with(admin, "dynamodb").create_table(
            TableName=OTHER_TABLE,
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}, {"AttributeName": "SK", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    return {"run": run, "replicas": replicas}


@pytest.fixture
def enforced(emulator, deployed):
    """IAM enforcement on for the test (off again whatever happens); yields the administrator's credentials."""
    with emulator.iam_enforced() as admin:
        yield admin


def test_the_table_lives_in_the_regions_the_inventory_gives_it(deployed):
    # roles/dynamodb_global's replicas (inventories/local keeps them): the proof below covers each of them.
    assert deployed["replicas"] == ["af-south-1", "eu-west-1"]


def test_the_backend_reads_and_writes_its_table_in_every_region(emulator, deployed, enforced):
    for region in [HOME] + deployed["replicas"]:
        dynamodb = emulator.client_as_role("dynamodb", BACKEND_ROLE, region=region)
        order = item(region)
        dynamodb.put_item(TableName=TABLE, Item=order)
        assert dynamodb.get_item(TableName=TABLE, Key=keys(order))["Item"] == order
        mine = dynamodb.query(TableName=TABLE, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": order["PK"]})
        assert mine["Items"] == [order], region
        by_user = dynamodb.query(
            TableName=TABLE, IndexName="GSI_UserOrders", KeyConditionExpression="UserId = :u",
            ExpressionAttributeValues={":u": order["UserId"]},
        )
        assert by_user["Items"] == [order], region


def test_the_backend_cannot_use_another_table_of_the_account(emulator, deployed, enforced):
    for region in [HOME] + deployed["replicas"]:
        dynamodb = emulator.client_as_role("dynamodb", BACKEND_ROLE, region=region)
        order = item(region)
        assert error_code(dynamodb.put_item, TableName=OTHER_TABLE, Item=order) == DENIED
        assert error_code(dynamodb.get_item, TableName=OTHER_TABLE, Key=keys(order)) == DENIED
        assert error_code(
            dynamodb.query, TableName=OTHER_TABLE, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": order["PK"]}
        ) == DENIED
    # The administrator, same account, can: the refusals above are the backend's policy, not a missing table.
    assert emulator.client_with(enforced, "dynamodb").describe_table(TableName=OTHER_TABLE)["Table"]["TableStatus"] == "ACTIVE"


def test_the_backend_cannot_delete_or_reshape_its_table(emulator, deployed, enforced):
    for region in [HOME] + deployed["replicas"]:
        dynamodb = emulator.client_as_role("dynamodb", BACKEND_ROLE, region=region)
        assert error_code(dynamodb.delete_table, TableName=TABLE) == DENIED
        assert error_code(dynamodb.update_table, TableName=TABLE, DeletionProtectionEnabled=False) == DENIED
    table = emulator.client_with(enforced, "dynamodb").describe_table(TableName=TABLE)["Table"]
    assert table["TableStatus"] == "ACTIVE" and table["DeletionProtectionEnabled"] is True


def test_the_backend_reads_no_secret(emulator, deployed, enforced):
    secrets = emulator.client_as_role("secretsmanager", BACKEND_ROLE)
    for tier in ("frontend", "backend"):
        assert error_code(secrets.get_secret_value, SecretId=f"{PREFIX}/{tier}/origin-verify") == DENIED
    assert error_code(secrets.list_secrets) == DENIED


def test_the_frontend_cannot_touch_the_table(emulator, deployed, enforced):
    order = item(HOME)
    for region in [HOME] + deployed["replicas"]:
        dynamodb = emulator.client_as_role("dynamodb", FRONTEND_ROLE, region=region)
        assert error_code(dynamodb.get_item, TableName=TABLE, Key=keys(order)) == DENIED
        assert error_code(dynamodb.put_item, TableName=TABLE, Item=item(region)) == DENIED
        assert error_code(
            dynamodb.query, TableName=TABLE, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": order["PK"]}
        ) == DENIED


def broad(resource):
    """A resource that names every resource of a kind rather than one: *, or an ARN whose resource is a wildcard."""
    return resource == "*" or resource.rsplit(":", 1)[-1] in ("*", "table/*", "secret:*", "parameter/*")


def test_no_instance_role_of_the_stack_allows_a_data_action_on_every_resource(emulator, deployed):
    iam = emulator.client("iam")
    roles = [
        r for r in iam.list_roles()["Roles"]
        if r["RoleName"].startswith(PREFIX)
        and any("ec2.amazonaws.com" in as_list(s.get("Principal", {}).get("Service")) for s in statements(r["AssumeRolePolicyDocument"]))
    ]
    assert sorted(r["RoleName"] for r in roles) == [BACKEND_ROLE, FRONTEND_ROLE]
    for role in roles:
        name = role["RoleName"]
        documents = {p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"] for p in iam.list_role_policies(RoleName=name)["PolicyNames"]}
        managed = set()
        for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
            if attached["PolicyArn"].startswith("arn:aws:iam::aws:policy/"):
                managed.add(attached["PolicyName"])
                continue
            policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
            version = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"])
            documents[attached["PolicyName"]] = version["PolicyVersion"]["Document"]
        # AWS managed policies: only the ones attached on purpose.
        assert managed == MANAGED_EXCEPTIONS, name
        for policy_name, document in documents.items():
            for statement in statements(document):
                if statement["Effect"] != "Allow":
                    continue
                data = [a for a in as_list(statement.get("Action")) if a.split(":")[0] in DATA_SERVICES or a == "*"]
                wide = [r for r in as_list(statement.get("Resource")) if broad(r)]
                assert not (data and wide), f"{name} {policy_name}: {data} on {wide}"
                assert "NotResource" not in statement and "NotAction" not in statement, f"{name} {policy_name}"
    # The backend's one inline policy names its table in every region; the frontend, granted nothing, has none.
    assert iam.list_role_policies(RoleName=BACKEND_ROLE)["PolicyNames"] == ["tier-access"]
    assert iam.list_role_policies(RoleName=FRONTEND_ROLE)["PolicyNames"] == []
    document = iam.get_role_policy(RoleName=BACKEND_ROLE, PolicyName="tier-access")["PolicyDocument"]
    (table,) = [s for s in statements(document) if not as_list(s["Resource"])[0].endswith("/index/*")]
    regions = sorted([HOME] + deployed["replicas"])
    assert table["Resource"] == [f"arn:aws:dynamodb:{r}:123456789012:table/{TABLE}" for r in regions]


def test_the_container_is_told_its_table_and_region(emulator, deployed):
    ec2 = emulator.client("ec2")
    (version,) = ec2.describe_launch_template_versions(LaunchTemplateName=f"{PREFIX}-backend", Versions=["$Latest"])["LaunchTemplateVersions"]
    user_data = base64.b64decode(version["LaunchTemplateData"]["UserData"]).decode()
    assert f"  --env DYNAMODB_TABLE={TABLE} \\\n" in user_data
    assert f"  --env AWS_REGION={HOME} \\\n" in user_data
    assert "secretsmanager" not in user_data


def test_an_upgraded_stack_ends_with_the_one_policy_and_stays_so(emulator, deployed):
    # A stack deployed by an earlier version: its backend role also has the read-tier-secrets policy.
    iam = emulator.client("iam")
    old = {"Version": "2012-10-17", "Statement": [{"Sid": "ReadTheTierSecretsOnly", "Effect": "Allow",
                                                    "Action": ["secretsmanager:GetSecretValue"],
                                                    "Resource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:x-??????"]}]}
    iam.put_role_policy(RoleName=BACKEND_ROLE, PolicyName="read-tier-secrets", PolicyDocument=json.dumps(old))
    plan = emulator.playbook("playbooks/site.yml", "--tags", "asg_launch_template", "--check")
    assert plan.rc == 0 and plan.mutating == [], plan.output
    # The plan removes it too (and calls nothing that changes anything).
    assert f"update iam role {BACKEND_ROLE} remove policy read-tier-secrets" in " ".join(plan.output.split()), plan.output
    upgrade = emulator.playbook("playbooks/site.yml", "--tags", "asg_launch_template")
    assert upgrade.rc == 0, upgrade.output
    assert [r["action"] for r in upgrade.mutating] == ["DeleteRolePolicy"], upgrade.mutating
    assert iam.list_role_policies(RoleName=BACKEND_ROLE)["PolicyNames"] == ["tier-access"]
    again = emulator.playbook("playbooks/site.yml", "--tags", "asg_launch_template")
    assert again.rc == 0 and again.changed == 0, again.output
    assert again.mutating == []


def test_a_table_the_stack_does_not_deploy_yet_stops_the_tier_before_any_change(emulator, deployed):
    # The stack is configured with another table (Ledger), granted to the backend, that --tags dynamodb_global has not
    # made yet: the plan names the home region only and says so; the run fails before changing anything.
    tiers = [SHARED_TIERS[0], dict(SHARED_TIERS[1], grants=[{"kind": "dynamodb_table", "name": "Ledger", "access": "read"}])]
    extra = {"atelier_tiers": tiers, "atelier_dynamodb_table": "Ledger"}
    plan = emulator.playbook("playbooks/site.yml", "--tags", "asg_launch_template", "--check", extra_vars=extra)
    assert plan.rc == 0, plan.output
    assert (
        f"The DynamoDB table {PREFIX}-Ledger does not exist yet, so the backend tier's policy would name it in {HOME} only"
    ) in " ".join(plan.output.split())
    assert plan.mutating == []
    run = emulator.playbook("playbooks/site.yml", "--tags", "asg_launch_template", extra_vars=extra)
    assert run.rc != 0, run.output
    assert (
        f"The backend tier is granted the DynamoDB table {PREFIX}-Ledger, which does not exist in {HOME}. Nothing was "
        "changed. Create the stack's data first (--tags dynamodb_global), then run this again."
    ) in " ".join(run.output.split()), run.output
    assert run.mutating == []


def test_a_tier_granted_a_table_the_stack_does_not_create_fails_before_any_aws_call(emulator, deployed):
    tiers = [SHARED_TIERS[0], dict(SHARED_TIERS[1], grants=[{"kind": "dynamodb_table", "name": "Orders", "access": "read_write"}])]
    run = emulator.playbook("playbooks/site.yml", "--tags", TAGS, extra_vars={"atelier_tiers": tiers})
    assert run.rc != 0, run.output
    assert (
        "Invalid inventory: tier backend: grants[0] (dynamodb_table Orders): the stack does not create this dynamodb "
        "table (it creates: AtelierDB); a tier may only be granted what its stack deploys"
    ) in " ".join(run.output.split()), run.output
    assert run.requests == []

