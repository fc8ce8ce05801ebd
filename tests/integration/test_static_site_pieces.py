"""The pieces of a static site (runtime: static) through Ansible against the emulator, ONE deployment shared by every
check (tests/integration/playbooks/static_site.yml): atelier.infra.cloudfront_origin_access_control, a distribution
(atelier.infra.cloudfront_distribution) whose S3 origin that OAC signs for (emulator/additions/
cloudfront_origin_access_control.py keeps OriginAccessControlId and S3OriginConfig, which moto drops), the private bucket
(amazon.aws.s3_bucket: public access blocked, SSE, versioning) with the policy of atelier.infra.static_site_bucket_policy,
the lifecycle of old versions, the site uploaded by atelier.infra.s3_site_sync from a temporary directory, and
community.aws.cloudfront_invalidation only when the upload changed something. A second run changes nothing and makes no
mutating call; a changed file uploads exactly one object and invalidates exactly its path; a deleted file is removed."""

import json

PLAYBOOK = "tests/integration/playbooks/static_site.yml"
BUCKET = "itest-static-site"


def _site(root):
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><div id=root></div><script src=/assets/app.js></script>")
    (root / "assets" / "app.js").write_text("console.log('v1')")
    (root / "assets" / "app.css").write_text("body{margin:0}")
    (root / "robots.txt").write_text("User-agent: *")
    return root


def _distribution(cloudfront):
    (summary,) = [d for d in cloudfront.list_distributions()["DistributionList"]["Items"] if d["Comment"] == "itest-static"]
    return cloudfront.get_distribution(Id=summary["Id"])["Distribution"]


def _invalidations(cloudfront, distribution_id):
    return cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get("Items") or []


def _uploads(run):
    """The S3 objects a run wrote (PUT /bucket/key) and the other mutating calls, by action."""
    puts = sorted(r["action"].split(f"/{BUCKET}/", 1)[1] for r in run.mutating
                  if r["action"].startswith(f"PUT /{BUCKET}/") and r["service"] == "s3")
    return puts, [r["action"] for r in run.mutating]


# moto 5.2.5 answers 403 to every object request on a bucket whose policy has the TLS-only Deny (its conditions know
# only StringEquals and hold for any other operator): the emulator's addition s3_bucket_policy_conditions evaluates them
# as AWS does. Without it this test fails at the first upload, as it must.
def test_a_private_bucket_behind_oac_uploaded_only_when_the_site_changes(emulator, tmp_path):
    site = _site(tmp_path / "site")
    s3, cloudfront = emulator.client("s3"), emulator.client("cloudfront")

    first = emulator.playbook(PLAYBOOK, extra_vars={"site_dir": str(site)})
    assert first.rc == 0, first.output
    assert first.changed == 6, first.output

    (control,) = cloudfront.list_origin_access_controls()["OriginAccessControlList"]["Items"]
    assert (control["Name"], control["SigningProtocol"], control["SigningBehavior"], control["OriginAccessControlOriginType"]) == (
        "itest-static", "sigv4", "always", "s3")
    distribution = _distribution(cloudfront)
    config = distribution["DistributionConfig"]
    (origin,) = config["Origins"]["Items"]
    assert origin["DomainName"] == f"{BUCKET}.s3.us-east-1.amazonaws.com"
    assert origin["OriginAccessControlId"] == control["Id"]
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert config["DefaultRootObject"] == "index.html"
    assert [(e["ErrorCode"], e["ResponseCode"], e["ResponsePagePath"]) for e in config["CustomErrorResponses"]["Items"]] == [
        (403, "200", "/index.html"), (404, "200", "/index.html")]

    # The bucket denies public access and its policy admits only that distribution, over TLS only.
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    (rule,) = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    (lifecycle,) = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    allows = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert allows == [{
        "Sid": "AllowCloudFrontDistributionRead", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*",
        "Condition": {"StringEquals": {"aws:SourceArn": distribution["ARN"]}}}]
    (deny,) = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} and deny["Principal"] == "*"

    # The site: every file with its type and cache control, one invalidation.
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == ["assets/app.css", "assets/app.js", "index.html", "robots.txt"]
    index = s3.head_object(Bucket=BUCKET, Key="index.html")
    assert (index["ContentType"], index["CacheControl"]) == ("text/html; charset=utf-8", "no-cache")
    script = s3.head_object(Bucket=BUCKET, Key="assets/app.js")
    assert script["CacheControl"] == "public, max-age=31536000, immutable"
    assert len(_invalidations(cloudfront, distribution["Id"])) == 1

    second = emulator.playbook(PLAYBOOK, extra_vars={"site_dir": str(site)})
    assert second.rc == 0, second.output
    assert second.changed == 0, second.output
    assert second.mutating == [], second.mutating
    assert len(_invalidations(cloudfront, distribution["Id"])) == 1

    (site / "assets" / "app.js").write_text("console.log('v2')")
    third = emulator.playbook(PLAYBOOK, extra_vars={"site_dir": str(site)})
    assert third.rc == 0, third.output
    puts, actions = _uploads(third)
    assert puts == ["assets/app.js"], actions
    assert len(actions) == 2, actions  # the one upload and the one invalidation
    (latest, _first) = sorted(_invalidations(cloudfront, distribution["Id"]), key=lambda i: i["CreateTime"], reverse=True)
    paths = cloudfront.get_invalidation(DistributionId=distribution["Id"], Id=latest["Id"])["Invalidation"]["InvalidationBatch"]["Paths"]
    assert paths["Items"] == ["/assets/app.js"]

    (site / "robots.txt").unlink()
    fourth = emulator.playbook(PLAYBOOK, extra_vars={"site_dir": str(site)})
    assert fourth.rc == 0, fourth.output
    puts, actions = _uploads(fourth)
    assert puts == [] and len(actions) == 2, actions  # the one DeleteObjects and the one invalidation
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == ["assets/app.css", "assets/app.js", "index.html"]
    assert len(_invalidations(cloudfront, distribution["Id"])) == 3
