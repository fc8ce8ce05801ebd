# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stores role's logic: its input checks, its buckets, queues and topics as the modules take them, what it
publishes and keeps; and the stack contract's list of what a tier may be granted, with the stores in it."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import grants
from ansible_collections.atelier.infra.plugins.module_utils import stores_role
from ansible_collections.atelier.infra.plugins.module_utils import static_site
from ansible_collections.atelier.infra.plugins.module_utils import summary
from ansible_collections.atelier.infra.plugins.module_utils.stack import stack_resources

PREFIX, ACCOUNT, REGION = "dev-cruddur", "123456789012", "us-east-1"
CRUDDUR = {
    "stores_name_prefix": PREFIX,
    "stores_buckets": [
        {"name": "uploads", "cors": [{"origins": ["https://app.example.com"], "methods": ["PUT"]}], "expire": [{"prefix": "tmp/", "days": 1}]},
        {"name": "assets", "versioning": False, "kms_key": "alias/dev-cruddur-data"},
    ],
    "stores_queues": [{"name": "avatar-failures", "dead_letter": True}, {"name": "plain", "visibility_timeout": 0}],
    "stores_topics": [{"name": "processed-images", "kms_key": "alias/aws/sns", "tags": {"team": "media"}}],
    "stores_tags": {"cost-center": "42"},
    "atelier_tags": {"project": "cruddur"},
}


def inputs(**change):
    result = dict(CRUDDUR)
    result.update(change)
    return result


def test_cruddurs_stores_have_no_errors():
    assert stores_role.errors(CRUDDUR) == []
    assert stores_role.errors({"stores_name_prefix": PREFIX}) == []


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"stores_name_prefix": "Dev"}, "stores_name_prefix must be 1-40 lowercase letters"),
        ({"stores_buckets": [{"name": "Uploads"}]}, "the bucket name 'dev-cruddur-Uploads' breaks S3's rules"),
        ({"stores_buckets": [{"name": "x" * 60}]}, "breaks S3's rules: 3-63"),
        ({"stores_buckets": [{"name": "data.assets"}]}, "breaks S3's rules"),
        ({"stores_buckets": [{"name": "pics-s3alias"}]}, "starts or ends with what S3 reserves"),
        ({"stores_buckets": [{"name": "a"}, {"name": "a"}]}, "stores_buckets: 'a' is declared more than once"),
        ({"stores_buckets": [{"name": "a", "versionning": True}]}, "unknown key(s) versionning"),
        ({"stores_buckets": [{"name": "a", "versioning": "yes"}]}, "versioning must be true or false"),
        ({"stores_buckets": [{"name": "a", "kms_key": "my-key"}]}, "kms_key must be a KMS key alias"),
        ({"stores_buckets": [{"name": "a", "noncurrent_days": -1}]}, "noncurrent_days must be a whole number"),
        ({"stores_buckets": [{"name": "a", "expire": [{"prefix": "/tmp/", "days": 1}]}]}, "without a leading /"),
        ({"stores_buckets": [{"name": "a", "expire": [{"prefix": "tmp/", "days": 0}]}]}, "days must be a whole number of days from 1"),
        ({"stores_buckets": [{"name": "a", "expire": [{"days": 3}]}]}, "must be a dict with a non-empty key prefix"),
        ({"stores_buckets": [{"name": "a", "cors": [{"origins": ["app.example.com"], "methods": ["PUT"]}]}]}, "origins must be a list of origins"),
        ({"stores_buckets": [{"name": "a", "cors": [{"origins": ["*"], "methods": ["PATCH"]}]}]}, "methods must be a list of GET, PUT"),
        ({"stores_buckets": ["uploads"]}, "stores_buckets[0] must be a dict with a logical name"),
        ({"stores_buckets": {"name": "uploads"}}, "stores_buckets must be a list"),
        ({"stores_queues": [{"name": "q", "visibility_timeout": 43201}]}, "visibility_timeout must be a whole number of seconds from 0 to 43200"),
        ({"stores_queues": [{"name": "q", "retention_seconds": 30}]}, "retention_seconds must be a whole number of seconds from 60"),
        ({"stores_queues": [{"name": "q", "dead_letter": {"max_receive_count": 0}}]}, "dead_letter.max_receive_count must be"),
        ({"stores_queues": [{"name": "q", "dead_letter": {"max_receives": 3}}]}, "dead_letter: unknown key(s) max_receives"),
        ({"stores_queues": [{"name": "q", "dead_letter": "yes"}]}, "dead_letter must be true or a dict"),
        ({"stores_queues": [{"name": "q" * 73, "dead_letter": True}]}, "its dead-letter queue's name"),
        ({"stores_queues": [{"name": "q.fifo"}]}, "the queue name 'dev-cruddur-q.fifo' breaks SQS's rules"),
        ({"stores_queues": [{"name": "q", "dead_letter": True}, {"name": "q-dlq"}]}, "'q-dlq' cannot be declared as a queue too"),
        ({"stores_topics": [{"name": "t", "tags": ["a"]}]}, "tags must be a dict"),
        ({"stores_topics": [{"name": "t.x"}]}, "the topic name 'dev-cruddur-t.x' breaks SNS's rules"),
    ],
)
def test_bad_inputs(change, fragment):
    found = stores_role.errors(inputs(**change))
    assert any(fragment in e for e in found), found


def test_a_bucket_is_private_tls_only_and_carries_its_rules():
    uploads, assets = stores_role.buckets(CRUDDUR, "dev", "cruddur")
    assert (uploads["logical"], uploads["name"], uploads["arn"]) == ("uploads", f"{PREFIX}-uploads", f"arn:aws:s3:::{PREFIX}-uploads")
    assert uploads["policy"]["Statement"] == [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [uploads["arn"], uploads["arn"] + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]
    assert [(r["rule_id"], r["prefix"], r["noncurrent_version_expiration_days"], r["expiration_days"], r["state"]) for r in uploads["lifecycle"]] == [
        ("expire-noncurrent-versions", "", 30, None, "present"), ("expire-tmp", "tmp/", None, 1, "present")]
    assert uploads["cors"] == [{"allowed_origins": ["https://app.example.com"], "allowed_methods": ["PUT"], "allowed_headers": ["*"]}]
    assert uploads["tags"] == {"cost-center": "42", "project": "cruddur", "atelier:env": "dev", "atelier:stack": "cruddur",
                               "Name": f"{PREFIX}-uploads"}
    # Not versioned: the noncurrent-versions rule goes; SSE-KMS with its key.
    assert (assets["versioning"], assets["kms_key"], assets["lifecycle"][0]["state"]) == (False, "alias/dev-cruddur-data", "absent")
    assert stores_role.buckets(CRUDDUR, "prod", "cruddur", "aws-cn")[0]["arn"] == f"arn:aws-cn:s3:::{PREFIX}-uploads"


def test_a_queue_with_a_dead_letter_queue_comes_after_it_and_names_it():
    queues = stores_role.queues(CRUDDUR, "dev", "cruddur", "aws", ACCOUNT, REGION)
    assert [q["name"] for q in queues] == [f"{PREFIX}-avatar-failures-dlq", f"{PREFIX}-avatar-failures", f"{PREFIX}-plain"]
    dlq, queue, plain = queues
    assert (dlq["logical"], dlq["retention_seconds"], dlq["redrive_policy"], dlq["tags"]["Name"]) == (
        "avatar-failures-dlq", 1209600, None, f"{PREFIX}-avatar-failures-dlq")
    assert queue["redrive_policy"] == {"deadLetterTargetArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{PREFIX}-avatar-failures-dlq",
                                       "maxReceiveCount": 5}
    assert (queue["visibility_timeout"], queue["retention_seconds"], queue["dead_letter"]) == (30, 345600, dlq["name"])
    assert (plain["visibility_timeout"], plain["redrive_policy"], plain["dead_letter"]) == (0, None, "")


def test_topics_and_what_the_plan_is_told():
    (topic,) = stores_role.topics(CRUDDUR, "dev", "cruddur", "aws", ACCOUNT, REGION)
    assert topic["arn"] == f"arn:aws:sns:{REGION}:{ACCOUNT}:{PREFIX}-processed-images"
    assert (topic["kms_key"], topic["tags"]["team"]) == ("alias/aws/sns", "media")
    declared = {"topics": [topic]}
    assert stores_role.plan(declared["topics"], []) == [
        {"action": "create", "type": "sns topic", "name": topic["name"], "attributes": [], "diff": {}}]
    assert stores_role.plan(declared["topics"], [topic["arn"]]) == []


def test_outputs_and_the_summary():
    declared = {
        "buckets": stores_role.buckets(CRUDDUR, "dev", "cruddur"),
        "queues": stores_role.queues(CRUDDUR, "dev", "cruddur", "aws", ACCOUNT, REGION),
        "topics": stores_role.topics(CRUDDUR, "dev", "cruddur", "aws", ACCOUNT, REGION),
    }
    url = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{PREFIX}-avatar-failures"
    outputs = stores_role.outputs(declared, REGION)
    assert outputs["buckets"]["assets"] == {"name": f"{PREFIX}-assets", "arn": f"arn:aws:s3:::{PREFIX}-assets"}
    assert outputs["queues"]["avatar-failures"]["url"] == url
    assert outputs["queues"]["avatar-failures-dlq"]["arn"].endswith(":dev-cruddur-avatar-failures-dlq")
    assert outputs["topics"]["processed-images"]["arn"] == declared["topics"][0]["arn"]
    assert outputs["summary"][:3] == [
        f"S3 bucket {PREFIX}-uploads in {REGION} (SSE-S3, versioned)",
        f"S3 bucket {PREFIX}-assets in {REGION} (SSE-KMS alias/dev-cruddur-data)",
        f"SQS queue {PREFIX}-avatar-failures-dlq: {url}-dlq",
    ]
    assert f"SQS queue {PREFIX}-avatar-failures: {url} (dead letters to {PREFIX}-avatar-failures-dlq)" in outputs["summary"]
    # The end-of-run summary prints them after the registry's.
    hostvars = {"control": {"stores_outputs": outputs, "container_registry_outputs": {"repositories": {"a": "dev-cruddur/a"}}}}
    lines = summary.stack_summary(hostvars, ["control"])
    assert lines.index(f"S3 bucket {PREFIX}-uploads in {REGION} (SSE-S3, versioned)") > lines.index("ECR repositories: dev-cruddur/a")


def test_the_teardown_keeps_the_buckets_holding_objects():
    def deletion(name, **result):
        return dict(result, item={"item": {"name": name}})

    results = [deletion("a", skipped=True), deletion("b", changed=True),
               deletion("c", failed=False, msg="Failed to delete bucket: An error occurred (BucketNotEmpty) when calling DeleteBucket")]
    kept = stores_role.kept(results)
    assert [line.split(" (")[0] for line in kept] == ["S3 bucket a", "S3 bucket c"]
    assert "atelier_teardown_delete_data=true" in kept[0]
    assert stores_role.kept(results, delete_data=True) == []


def test_the_stack_lists_its_stores_for_the_grants():
    resources = stack_resources("AtelierDB", False, buckets=CRUDDUR["stores_buckets"], queues=CRUDDUR["stores_queues"],
                                topics=CRUDDUR["stores_topics"])
    assert resources["s3_bucket"] == ["uploads", "assets"]
    assert resources["sqs_queue"] == ["avatar-failures", "avatar-failures-dlq", "plain"]
    assert resources["sns_topic"] == ["processed-images"]
    assert (resources["dynamodb_table"], resources["secret"], resources["kms_key"]) == (["AtelierDB"], [], [])
    declared = [{"kind": "s3_bucket", "name": "uploads", "access": "write", "prefix": "avatars/"},
                {"kind": "sqs_queue", "name": "avatar-failures-dlq", "access": "read"},
                {"kind": "sns_topic", "name": "processed-images", "access": "write"}]
    assert grants.grant_errors("function presign", declared, resources) == []
    (error,) = grants.grant_errors("function presign", [{"kind": "s3_bucket", "name": "media", "access": "read"}], resources)
    assert error == ("function presign: grants[0] (s3_bucket media): the stack does not create this s3 bucket (it creates: uploads, "
                     "assets); a tier may only be granted what its stack deploys")
    # The grant's resource is the role's bucket, by the same name rule.
    bucket = stores_role.buckets(CRUDDUR, "dev", "cruddur")[0]
    (write,) = grants.grant_statements(declared[0], PREFIX, "aws", ACCOUNT, REGION)
    assert write["Resource"] == [bucket["arn"] + "/avatars/*"]


def test_a_static_tiers_bucket_may_be_granted_by_its_logical_name():
    """The bucket of a static tier, <prefix>-<tier>-site (the static_site role's), is grantable as <tier>-site: the
    resource a grant names is that bucket; a served tier's name is not a bucket."""
    tiers = [{"name": "assets", "runtime": "static"}, {"name": "backend", "runtime": "fargate"}, "not a tier"]
    resources = stack_resources("", False, buckets=[{"name": "uploads"}], tiers=tiers)
    assert resources["s3_bucket"] == ["uploads", "assets-site"]
    grant = {"kind": "s3_bucket", "name": "assets-site", "access": "write", "prefix": "avatars/processed/"}
    assert grants.grant_errors("function thumbnail", [grant], resources) == []
    (error,) = grants.grant_errors("function thumbnail", [dict(grant, name="backend-site")], resources)
    assert "does not create this s3 bucket (it creates: uploads, assets-site)" in error
    (write,) = grants.grant_statements(grant, PREFIX, "aws", ACCOUNT, REGION)
    bucket = static_site.site_names(PREFIX, "assets")["bucket"]
    assert write["Resource"] == [f"arn:aws:s3:::{bucket}/avatars/processed/*"] and bucket == f"{PREFIX}-assets-site"
