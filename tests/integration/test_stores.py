"""The stack's buckets, queues and topics (roles/stores) against the emulator, deployed once through the data layer
(playbooks/data.yml --tags stores, inventories/local with atelier_buckets, atelier_queues, atelier_topics given as
extra vars): each store's settings read back through the API, a second run without a mutating call, a tier-like grant
on a bucket prefix (plugins/module_utils/grants.py) evaluated under the emulator's IAM enforcement, grants naming a
store the stack does not declare refused before any AWS call, and the teardown that keeps a bucket holding objects.
"""

import json
import sys

import pytest
import yaml
from botocore.exceptions import ClientError

from emulator.harness import REPO_ROOT

SHARED_TIERS = yaml.safe_load((REPO_ROOT / "inventories" / "shared" / "tiers.yml").read_text(encoding="utf-8"))["atelier_tiers"]

PREFIX = "local-atelier"
ACCOUNT = "123456789012"
REGION = "us-east-1"
ORIGIN = "https://app.example.com"
STORES = {
    "atelier_buckets": [
        {"name": "uploads", "cors": [{"origins": [ORIGIN], "methods": ["PUT"], "max_age": 3000}],
         "expire": [{"prefix": "tmp/", "days": 7}], "noncurrent_days": 30, "tags": {"purpose": "uploads"}},
    ],
    "atelier_queues": [{"name": "thumbnails", "visibility_timeout": 60, "retention_seconds": 86400, "dead_letter": {"max_receive_count": 3}}],
    "atelier_topics": [{"name": "processed-images", "kms_key": "alias/aws/sns"}],
}
BUCKET = f"{PREFIX}-uploads"
QUEUE = f"{PREFIX}-thumbnails"
DLQ = f"{PREFIX}-thumbnails-dlq"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:{PREFIX}-processed-images"
ROLE = f"{PREFIX}-uploader"
EC2_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def grants():
    """plugins/module_utils/grants.py, imported from the collection (what the tier and function roles use)."""
    collections_root = str(REPO_ROOT / "playbooks" / "collections")
    if collections_root not in sys.path:
        sys.path.insert(0, collections_root)
    namespace = sys.modules.get("ansible_collections")
    if namespace is not None and collections_root + "/ansible_collections" not in list(namespace.__path__):
        namespace.__path__.append(collections_root + "/ansible_collections")
    from ansible_collections.atelier.infra.plugins.module_utils import grants as module  # pylint: disable=import-outside-toplevel

    return module


def code(call, *args, **kwargs):
    """The AWS error code of a call that must fail (None if it succeeded)."""
    try:
        call(*args, **kwargs)
    except ClientError as failure:
        return failure.response["Error"]["Code"]
    return None


@pytest.fixture(scope="module")
def deployed(emulator):
    """An empty account: a plan, then the data layer's stores."""
    emulator.reset()
    plan = emulator.playbook("playbooks/data.yml", "--tags", "stores", "--check", extra_vars=STORES)
    assert plan.rc == 0, plan.output
    assert plan.mutating == []
    # -v: the facts the role publishes are in the output.
    run = emulator.playbook("playbooks/data.yml", "--tags", "stores", "-v", extra_vars=STORES)
    assert run.rc == 0, run.output
    return {"plan": plan, "run": run}


def test_the_plan_names_what_the_run_creates(deployed):
    plan = " ".join(deployed["plan"].output.split())
    for name in (BUCKET, QUEUE, DLQ, f"{PREFIX}-processed-images"):
        assert name in plan, name


def test_the_bucket_is_private_encrypted_versioned_and_tls_only(emulator, deployed):
    s3 = emulator.client("s3")
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    (ownership,) = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
    assert ownership["ObjectOwnership"] == "BucketOwnerEnforced"
    (rule,) = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    (statement,) = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert sorted(statement["Resource"]) == [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]}
    assert tags == {"atelier:env": "local", "atelier:stack": "atelier", "Name": BUCKET, "purpose": "uploads"}


def test_the_bucket_expires_old_versions_and_temporary_uploads_and_lets_the_frontend_put(emulator, deployed):
    s3 = emulator.client("s3")
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]}
    assert sorted(rules) == ["expire-noncurrent-versions", "expire-tmp"]
    assert rules["expire-noncurrent-versions"]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert rules["expire-tmp"]["Expiration"]["Days"] == 7
    assert rules["expire-tmp"].get("Filter", {}).get("Prefix", rules["expire-tmp"].get("Prefix")) == "tmp/"
    (cors,) = s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
    assert (cors["AllowedOrigins"], cors["AllowedMethods"], cors["AllowedHeaders"], cors["MaxAgeSeconds"]) == ([ORIGIN], ["PUT"], ["*"], 3000)


def test_the_queue_dead_letters_to_its_dlq(emulator, deployed):
    sqs = emulator.client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"], AttributeNames=["All"])["Attributes"]
    assert (attributes["VisibilityTimeout"], attributes["MessageRetentionPeriod"]) == ("60", "86400")
    assert attributes["SqsManagedSseEnabled"] == "true"
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{DLQ}", "maxReceiveCount": 3,
    }
    dlq = sqs.get_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName=DLQ)["QueueUrl"], AttributeNames=["All"])["Attributes"]
    assert dlq["MessageRetentionPeriod"] == "1209600"
    tags = sqs.list_queue_tags(QueueUrl=sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"])["Tags"]
    assert tags == {"atelier:env": "local", "atelier:stack": "atelier", "Name": QUEUE}


def test_the_topic_is_encrypted_and_tagged(emulator, deployed):
    sns = emulator.client("sns")
    assert sns.get_topic_attributes(TopicArn=TOPIC_ARN)["Attributes"]["KmsMasterKeyId"] == "alias/aws/sns"
    tags = {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=TOPIC_ARN)["Tags"]}
    assert tags == {"atelier:env": "local", "atelier:stack": "atelier", "Name": f"{PREFIX}-processed-images"}


def test_the_role_publishes_names_arns_and_urls(deployed):
    # stores_outputs' summary lines (playbooks/summary.yml prints them at the end of site.yml).
    # (The YAML callback folds a long line with escaped spaces: unfolded here.)
    output = " ".join(deployed["run"].output.replace("\\\n", "").replace("\\ ", " ").split())
    assert f"S3 bucket {BUCKET} in {REGION} (SSE-S3, versioned)" in output
    assert f"SNS topic {PREFIX}-processed-images: {TOPIC_ARN}" in output
    # The URL SQS documents (and the grants give a container), whatever the emulator's endpoint.
    assert f"SQS queue {QUEUE}: https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{QUEUE} (dead letters to {DLQ})" in output, output


def test_a_second_run_changes_nothing(emulator, deployed):
    run = emulator.playbook("playbooks/data.yml", "--tags", "stores", extra_vars=STORES)
    assert run.rc == 0 and run.changed == 0, run.output
    assert run.mutating == []


def test_a_grant_on_the_bucket_prefix_allows_that_prefix_only(emulator, deployed):
    """A tier-like policy from grants.py (write under uploads/ of the bucket) on a role, evaluated by the emulator."""
    grant = {"kind": "s3_bucket", "name": "uploads", "access": "write", "prefix": "incoming/"}
    policy = grants().grant_policy([grant], PREFIX, "aws", ACCOUNT, REGION)
    iam = emulator.client("iam")
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.put_role_policy(RoleName=ROLE, PolicyName="tier-access", PolicyDocument=json.dumps(policy))
    with emulator.iam_enforced() as admin:
        s3 = emulator.client_as_role("s3", ROLE)
        s3.put_object(Bucket=BUCKET, Key="incoming/photo.jpg", Body=b"jpeg")
        assert code(s3.put_object, Bucket=BUCKET, Key="assets/photo.jpg", Body=b"jpeg") == "AccessDenied"
        assert code(s3.get_object, Bucket=BUCKET, Key="incoming/photo.jpg") == "AccessDenied"
        assert code(s3.put_object, Bucket="another-bucket", Key="incoming/photo.jpg", Body=b"jpeg") == "AccessDenied"
        # The object is there for the administrator: the refusals above are the policy's.
        assert emulator.client_with(admin, "s3").get_object(Bucket=BUCKET, Key="incoming/photo.jpg")["Body"].read() == b"jpeg"


def test_a_grant_naming_a_store_the_stack_does_not_declare_fails_before_any_aws_call(emulator, deployed):
    # The backend of the inventory's tiers granted the queue's DLQ (declared) and a bucket the stack does not declare.
    backend = dict(SHARED_TIERS[1], grants=[{"kind": "sqs_queue", "name": "thumbnails-dlq", "access": "read"},
                                            {"kind": "s3_bucket", "name": "assets", "access": "read"}])
    extra = dict(STORES, atelier_tiers=[SHARED_TIERS[0], backend])
    run = emulator.playbook("playbooks/data.yml", "--tags", "stores", extra_vars=extra)
    assert run.rc != 0, run.output
    output = " ".join(run.output.split())
    assert ("grants[1] (s3_bucket assets): the stack does not create this s3 bucket (it creates: uploads)") in output, output
    assert "grants[0]" not in output
    assert run.requests == []


def test_the_teardown_keeps_the_bucket_holding_objects_and_removes_the_rest(emulator, deployed):
    emulator.client("s3").put_object(Bucket=BUCKET, Key="incoming/kept.jpg", Body=b"jpeg")
    run = emulator.playbook("playbooks/teardown.yml", "--tags", "stores", extra_vars=STORES)
    assert run.rc == 0, run.output
    assert f"S3 bucket {BUCKET} (holds objects" in " ".join(run.output.split()), run.output
    assert BUCKET in [b["Name"] for b in emulator.client("s3").list_buckets()["Buckets"]]
    assert emulator.client("sqs").list_queues().get("QueueUrls", []) == []
    assert emulator.client("sns").list_topics()["Topics"] == []
    # The kept bucket was not asked to go (no DeleteBucket refused): it was seen holding an object.
    assert [r for r in run.mutating if r["service"] == "s3"] == [], run.mutating
