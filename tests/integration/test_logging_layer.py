"""The stack's logs and web ACLs against the emulator (inventories/local with atelier_logging_enabled and
atelier_waf_enabled, as prod has them): the network layer runs the logging role first and the VPC flow-log group is
encrypted with the stack's logs key (a plan on an empty account, a second run without a mutating call, a log group
that existed unencrypted gets the key); the load balancers and distributions log to the stack's bucket, and each
distribution is behind its own WAF web ACL, each load balancer too when asked (alb_waf), until it is turned off.
"""

import pytest

PREFIX = "local-atelier"
ON = {"atelier_logging_enabled": True, "atelier_waf_enabled": True}
# CloudFront fronts both tiers of inventories/local, so their ALBs get a web ACL only when asked.
EDGE = {**ON, "alb_waf": True}
FLOW_LOG_GROUP = f"/aws/vpc-flow-logs/{PREFIX}"


def _key_arn(emulator):
    return emulator.client("kms").describe_key(KeyId=f"alias/{PREFIX}-logs")["KeyMetadata"]["Arn"]


def _flow_log_group(emulator):
    (group,) = emulator.client("logs").describe_log_groups(logGroupNamePrefix=FLOW_LOG_GROUP)["logGroups"]
    return group


@pytest.fixture(scope="module")
def deployed(emulator):
    """An empty account: first a plan (check mode), then the network layer with the logging role, over a flow-log
    group that exists unencrypted (made by an earlier release)."""
    emulator.reset()
    plan = emulator.playbook("playbooks/network.yml", "--tags", "logging,vpc", "--check", extra_vars=ON)
    assert plan.rc == 0, plan.output
    assert plan.mutating == []
    emulator.client("logs").create_log_group(logGroupName=FLOW_LOG_GROUP)
    run = emulator.playbook("playbooks/network.yml", "--tags", "logging,vpc", extra_vars=ON)
    assert run.rc == 0, run.output
    return run


def test_the_flow_log_group_is_encrypted_with_the_stacks_logs_key(emulator, deployed):
    group = _flow_log_group(emulator)
    assert group["kmsKeyId"] == _key_arn(emulator)
    assert group["retentionInDays"] == 30


def test_a_second_run_changes_nothing(emulator, deployed):
    run = emulator.playbook("playbooks/network.yml", "--tags", "logging,vpc", extra_vars=ON)
    assert run.rc == 0 and run.changed == 0, run.output
    assert run.mutating == []


def test_a_run_of_the_vpc_alone_keeps_the_key(emulator, deployed):
    run = emulator.playbook("playbooks/network.yml", "--tags", "vpc", extra_vars=ON)
    assert run.rc == 0 and run.changed == 0, run.output
    assert _flow_log_group(emulator)["kmsKeyId"] == _key_arn(emulator)


@pytest.fixture(scope="module")
def edge(emulator, deployed):
    """The tiers' load balancers and distributions over that network, logging on."""
    run = emulator.playbook("site.yml", "--tags", "logging,vpc,security_groups,alb,cloudfront", extra_vars=EDGE)
    assert run.rc == 0, run.output
    return run


def test_load_balancers_and_distributions_log_to_the_stacks_bucket(emulator, edge):
    elbv2 = emulator.client("elbv2")
    balancers = {lb["LoadBalancerName"]: lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]}
    for tier in ("frontend", "backend"):
        attributes = {
            a["Key"]: a["Value"] for a in elbv2.describe_load_balancer_attributes(LoadBalancerArn=balancers[f"{PREFIX}-{tier}"])["Attributes"]
        }
        assert (attributes["access_logs.s3.enabled"], attributes["access_logs.s3.bucket"], attributes["access_logs.s3.prefix"]) == (
            "true", f"{PREFIX}-logs", f"{PREFIX}/alb/{tier}"
        )
    cloudfront = emulator.client("cloudfront")
    items = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    assert items
    for item in items:
        logging = cloudfront.get_distribution_config(Id=item["Id"])["DistributionConfig"]["Logging"]
        assert logging["Enabled"] is True and logging["Bucket"] == f"{PREFIX}-logs.s3.amazonaws.com"
        assert logging["Prefix"].startswith(f"{PREFIX}/cloudfront/")


def test_the_edge_with_logs_converges_in_one_run(emulator, edge):
    run = emulator.playbook("site.yml", "--tags", "logging,vpc,security_groups,alb,cloudfront", extra_vars=EDGE)
    assert run.rc == 0 and run.changed == 0, run.output
    assert run.mutating == []


def test_each_distribution_is_behind_its_own_web_acl(emulator, edge):
    wafv2 = emulator.client("wafv2")
    acls = {a["Name"]: a["ARN"] for a in wafv2.list_web_acls(Scope="CLOUDFRONT")["WebACLs"]}
    cloudfront = emulator.client("cloudfront")
    used = [cloudfront.get_distribution_config(Id=item["Id"])["DistributionConfig"]["WebACLId"]
            for item in cloudfront.list_distributions()["DistributionList"]["Items"]]
    assert sorted(used) == sorted(acls.values()) and len(set(used)) == len(used) > 0
    assert set(acls) <= {f"{PREFIX}-frontend", f"{PREFIX}-backend"}
    for name, arn in acls.items():
        rules = wafv2.get_web_acl(Name=name, Scope="CLOUDFRONT", Id=arn.rsplit("/", 1)[1])["WebACL"]["Rules"]
        assert [r["Name"] for r in rules] == ["AWSManagedRulesCommonRuleSet", "rate-limit"]
        assert rules[0]["Statement"]["ManagedRuleGroupStatement"] == {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}
        assert rules[1]["Statement"]["RateBasedStatement"]["Limit"] == 2000


def _load_balancers(emulator):
    return {lb["LoadBalancerName"]: lb["LoadBalancerArn"] for lb in emulator.client("elbv2").describe_load_balancers()["LoadBalancers"]}


def test_each_load_balancer_is_behind_its_own_regional_web_acl_when_asked(emulator, edge):
    wafv2 = emulator.client("wafv2")
    acls = {a["Name"]: a for a in wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"]}
    balancers = _load_balancers(emulator)
    assert set(acls) == set(balancers) == {f"{PREFIX}-frontend", f"{PREFIX}-backend"}
    for name, arn in balancers.items():
        acl = wafv2.get_web_acl_for_resource(ResourceArn=arn)["WebACL"]
        assert acl["Name"] == name
        assert [r["Name"] for r in acl["Rules"]] == ["AWSManagedRulesCommonRuleSet", "rate-limit"]
        assert acl["Rules"][1]["Statement"]["RateBasedStatement"]["Limit"] == 2000
        assert wafv2.list_resources_for_web_acl(WebACLArn=acl["ARN"])["ResourceArns"] == [arn]


def test_turning_the_load_balancers_web_acl_off_disassociates_and_deletes_it(emulator, edge):
    run = emulator.playbook("site.yml", "--tags", "alb", extra_vars={**EDGE, "alb_waf": False})
    assert run.rc == 0, run.output
    wafv2 = emulator.client("wafv2")
    assert wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] == []
    for arn in _load_balancers(emulator).values():
        assert "WebACL" not in wafv2.get_web_acl_for_resource(ResourceArn=arn)
    # The distributions keep theirs.
    assert len(wafv2.list_web_acls(Scope="CLOUDFRONT")["WebACLs"]) == 2


def test_the_teardown_deletes_the_web_acls_after_the_distributions(emulator, edge):
    run = emulator.playbook("playbooks/teardown.yml", "--tags", "cloudfront")
    assert run.rc == 0, run.output
    assert emulator.client("cloudfront").list_distributions()["DistributionList"].get("Items", []) == []
    assert emulator.client("wafv2").list_web_acls(Scope="CLOUDFRONT")["WebACLs"] == []
