# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.aws_values_info: main() is driven with module args, and our module_utils wrappers are
replaced by fakes (no boto3 call, no network)."""

import pytest
from botocore.exceptions import ClientError

from ansible_collections.atelier.infra.plugins.module_utils.aws_values import AnsibleAWSValuesError
from ansible_collections.atelier.infra.plugins.modules import aws_values_info

from tests.unit.plugins.modules.utils import AnsibleExitJson, AnsibleFailJson, run_main

REGION = "eu-west-1"
PASSWORD = "pw-Zq81mXc0"
SECRETS = {"db": '{"password": "%s"}' % PASSWORD, "origin": "origin-value-123"}
DELETED = {"old"}
PARAMETERS = {"/ami": "ami-0123", "/other": "x"}


def _error(code, message, operation):
    return AnsibleAWSValuesError(
        message=f"Failed to {operation}",
        exception=ClientError({"Error": {"Code": code, "Message": message}}, operation),
    )


DESCRIBED = {
    "db": {"ARN": "arn:db", "Name": "db", "Description": "credentials", "Tags": [{"Key": "atelier:env", "Value": "dev"}]},
    "origin": {"ARN": "arn:origin", "Name": "origin", "RotationEnabled": True, "ReplicationStatus": [{"Region": "eu-west-3"}]},
    "old": {"ARN": "arn:old", "Name": "old", "DeletedDate": "2026-12-01T00:00:00Z"},
}
POLICIES = {"origin": '{"Version": "2012-10-17", "Statement": []}'}


class FakeAWS:
    def __init__(self, throttle=()):
        self.throttle = set(throttle)
        self.secret_calls = []
        self.parameter_calls = []
        self.describe_calls = []

    def describe_secret(self, client, name):
        self.describe_calls.append(name)
        if name in self.throttle:
            raise _error("ThrottlingException", "Rate exceeded", "describe the secret")
        return DESCRIBED.get(name)

    def get_resource_policy(self, client, name):
        self.describe_calls.append(("policy", name))
        if name not in DESCRIBED:
            return None
        return {"ARN": DESCRIBED[name]["ARN"], **({"ResourcePolicy": POLICIES[name]} if name in POLICIES else {})}

    def get_secret_value(self, client, name):
        self.secret_calls.append(name)
        if name in self.throttle:
            raise _error("ThrottlingException", "Rate exceeded", "get the value of the secret")
        if name in DELETED:
            raise _error("InvalidRequestException", "...because it was marked for deletion.", "get the value of the secret")
        return {"SecretString": SECRETS[name]} if name in SECRETS else None

    def describe_parameters(self, client, names):
        self.describe_calls.append(("parameters", list(names)))
        if set(names) & self.throttle:
            raise _error("ThrottlingException", "Rate exceeded", "describe the SSM parameters")
        return [{"Name": n, "Type": "String", "Description": f"about {n}", "Tier": "Standard", "DataType": "text", "Version": 3}
                for n in names if n in PARAMETERS]

    def list_parameter_tags(self, client, name):
        self.describe_calls.append(("tags", name))
        return {"atelier:env": "dev"}

    def get_parameters(self, client, names, with_decryption=True):
        self.parameter_calls.append((list(names), with_decryption))
        if set(names) & self.throttle:
            raise _error("ThrottlingException", "Rate exceeded", "get the SSM parameters")
        found = [{"Name": n, "Type": "String", "Value": PARAMETERS[n]} for n in names if n in PARAMETERS]
        return {"Parameters": found, "InvalidParameters": [n for n in names if n not in PARAMETERS]}


def run(monkeypatch, args, aws=None, check_mode=False):
    aws = aws or FakeAWS()
    monkeypatch.setattr(aws_values_info, "get_secret_value", aws.get_secret_value)
    monkeypatch.setattr(aws_values_info, "get_parameters", aws.get_parameters)
    monkeypatch.setattr(aws_values_info, "describe_secret", aws.describe_secret)
    monkeypatch.setattr(aws_values_info, "get_resource_policy", aws.get_resource_policy)
    monkeypatch.setattr(aws_values_info, "describe_parameters", aws.describe_parameters)
    monkeypatch.setattr(aws_values_info, "list_parameter_tags", aws.list_parameter_tags)
    return run_main(aws_values_info, dict(args, region=REGION, _ansible_check_mode=check_mode)), aws


def test_reads_secrets_and_parameters_in_one_run(monkeypatch):
    outcome, aws = run(monkeypatch, {"secrets": ["db", "origin", "db"], "parameters": ["/ami"]})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["changed"] is False
    assert outcome.result["secrets"] == SECRETS
    assert outcome.result["parameters"] == {"/ami": "ami-0123"}
    assert outcome.result["missing_secrets"] == outcome.result["missing_parameters"] == outcome.result["deleted_secrets"] == []
    assert aws.secret_calls == ["db", "origin"], "each secret read once"
    assert aws.parameter_calls == [(["/ami"], True)]
    assert aws.describe_calls == [] and "secret_details" not in outcome.result, "no description unless asked"


def test_check_mode_reads_the_same(monkeypatch):
    outcome, _ = run(monkeypatch, {"parameters": ["/ami", "/other"], "decrypt": False}, check_mode=True)
    assert outcome.result["parameters"] == PARAMETERS


def test_nothing_asked_makes_no_call(monkeypatch):
    outcome, aws = run(monkeypatch, {})
    assert outcome.result["secrets"] == {} and aws.secret_calls == aws.parameter_calls == []


@pytest.mark.parametrize(
    "args, message",
    [
        ({"secrets": ["nope"]}, f"No secret nope in {REGION} (ResourceNotFoundException)"),
        ({"parameters": ["/ami", "/nope"]}, f"No SSM parameter /nope in {REGION} (ParameterNotFound)"),
        ({"secrets": ["old"]}, "The secret old is scheduled for deletion (restore it to read it)"),
        ({"secrets": ["old"], "on_missing": "skip"}, "The secret old is scheduled for deletion"),
        ({"secrets": ["nope"], "on_deleted": "skip"}, "No secret nope"),
    ],
)
def test_what_is_missing_fails_by_default(monkeypatch, args, message):
    outcome, _ = run(monkeypatch, args)
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith(message)


def test_skip_lists_what_is_missing_or_deleted(monkeypatch):
    outcome, _ = run(monkeypatch, {"secrets": ["db", "nope", "old"], "parameters": ["/nope"], "on_missing": "skip", "on_deleted": "skip"})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["secrets"] == {"db": SECRETS["db"]}
    assert outcome.result["missing_secrets"] == ["nope"]
    assert outcome.result["deleted_secrets"] == ["old"]
    assert outcome.result["missing_parameters"] == ["/nope"]


def test_a_failure_names_the_secret_and_the_aws_error_and_no_value(monkeypatch):
    outcome, _ = run(monkeypatch, {"secrets": ["db", "origin"]}, FakeAWS(throttle={"origin"}))
    assert isinstance(outcome, AnsibleFailJson)
    result = outcome.result
    assert result["msg"].startswith("Failed to read the secret origin: ")
    assert "ThrottlingException" in result["msg"]
    assert result["error"]["code"] == "ThrottlingException"
    # The secret read before the failure is not in the failure.
    assert PASSWORD not in repr(result) and SECRETS["origin"] not in repr(result)
    assert "secrets" not in result


def test_a_failed_parameter_read_names_the_parameters(monkeypatch):
    outcome, _ = run(monkeypatch, {"parameters": ["/ami"]}, FakeAWS(throttle={"/ami"}))
    assert outcome.result["msg"].startswith("Failed to read the SSM parameters /ami: ")
    assert outcome.result["error"]["code"] == "ThrottlingException"


def test_parameters_go_ten_per_call(monkeypatch):
    names = [f"/p{i}" for i in range(12)]
    outcome, aws = run(monkeypatch, {"parameters": names, "on_missing": "skip"})
    assert [len(call[0]) for call in aws.parameter_calls] == [10, 2]
    assert outcome.result["missing_parameters"] == names


def test_secret_details_describe_each_secret_and_read_only_what_can_be_read(monkeypatch):
    outcome, aws = run(
        monkeypatch, {"secrets": ["db", "origin", "nope", "old"], "secret_details": True, "on_missing": "skip", "on_deleted": "skip"}
    )
    assert isinstance(outcome, AnsibleExitJson)
    result = outcome.result
    assert result["secrets"] == SECRETS
    assert result["missing_secrets"] == ["nope"] and result["deleted_secrets"] == ["old"]
    assert result["secret_details"]["db"] == {
        "arn": "arn:db", "name": "db", "description": "credentials", "kms_key_id": "", "tags": {"atelier:env": "dev"},
        "deleted": False, "rotation_enabled": False, "replica_regions": [], "resource_policy": "",
    }
    origin = result["secret_details"]["origin"]
    assert origin["rotation_enabled"] and origin["replica_regions"] == ["eu-west-3"] and origin["resource_policy"] == POLICIES["origin"]
    assert result["secret_details"]["old"]["deleted"] is True
    assert "nope" not in result["secret_details"]
    # A missing secret is described only; one scheduled for deletion is not read (AWS would refuse).
    assert aws.describe_calls == ["db", ("policy", "db"), "origin", ("policy", "origin"), "nope", "old", ("policy", "old")]
    assert aws.secret_calls == ["db", "origin"]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"secrets": ["nope"], "secret_details": True}, f"No secret nope in {REGION} (ResourceNotFoundException)"),
        ({"secrets": ["old"], "secret_details": True}, "The secret old is scheduled for deletion (restore it to read it)"),
    ],
)
def test_secret_details_fail_as_the_value_read_does(monkeypatch, args, message):
    outcome, aws = run(monkeypatch, args)
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith(message)
    assert aws.secret_calls == []


def test_a_failed_description_names_the_secret(monkeypatch):
    outcome, aws = run(monkeypatch, {"secrets": ["db"], "secret_details": True}, FakeAWS(throttle={"db"}))
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith("Failed to describe the secret db: ")
    assert outcome.result["error"]["code"] == "ThrottlingException"
    assert aws.secret_calls == []


def test_parameter_details_describe_the_parameters_asked_that_exist(monkeypatch):
    outcome, aws = run(monkeypatch, {"parameters": ["/ami", "/other", "/nope"], "parameter_details": ["/other", "/nope"], "on_missing": "skip"})
    assert isinstance(outcome, AnsibleExitJson)
    result = outcome.result
    assert result["parameters"] == PARAMETERS and result["missing_parameters"] == ["/nope"]
    assert result["parameter_details"] == {
        "/other": {"name": "/other", "type": "String", "description": "about /other", "tier": "Standard", "data_type": "text",
                   "key_id": "", "version": 3, "tags": {"atelier:env": "dev"}},
    }
    # One read of the values, one description of what exists (not the missing one), its tags.
    assert aws.parameter_calls == [(["/ami", "/other", "/nope"], True)]
    assert aws.describe_calls == [("parameters", ["/other"]), ("tags", "/other")]


def test_parameter_details_must_name_parameters_read(monkeypatch):
    outcome, aws = run(monkeypatch, {"parameters": ["/ami"], "parameter_details": ["/other"]})
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"] == "parameter_details names parameters that are not in parameters: /other"
    assert aws.parameter_calls == [] and aws.describe_calls == [], "no AWS call before the check"


def test_a_failed_parameter_description_names_the_parameters(monkeypatch):
    aws = FakeAWS(throttle={"/other"})
    aws.get_parameters = lambda client, names, with_decryption=True: {"Parameters": [{"Name": n, "Value": PARAMETERS[n]} for n in names]}
    outcome, _ = run(monkeypatch, {"parameters": ["/other"], "parameter_details": ["/other"]}, aws)
    assert outcome.result["msg"].startswith("Failed to describe the SSM parameters /other: ")
    assert outcome.result["error"]["code"] == "ThrottlingException"


TOPIC = "arn:aws:sns:eu-west-1:123456789012:dev-shop-alarms"


class FakeNotifications:
    """SNS and EventBridge as the module's wrappers see them: one topic and one rule exist."""

    def __init__(self, throttle=False):
        self.calls = []
        self.throttle = throttle

    def get_topic_attributes(self, client, arn):
        self.calls.append(("attributes", arn))
        if self.throttle:
            raise _error("Throttling", "Rate exceeded", "get topic attributes")
        return {"TopicArn": TOPIC, "Policy": '{"Version": "2012-10-17", "Statement": []}'} if arn == TOPIC else aws_values_info.MISSING

    def list_topic_subscriptions(self, client, arn):
        self.calls.append(("subscriptions", arn))
        return [{"Protocol": "email", "Endpoint": "ops@example.com", "SubscriptionArn": "PendingConfirmation"}]

    def list_topic_tags(self, client, arn):
        self.calls.append(("tags", arn))
        return {"atelier:env": "dev"}

    def describe_rule(self, client, name):
        self.calls.append(("rule", name))
        return {"Name": name, "Arn": f"arn:rule/{name}", "State": "ENABLED", "EventPattern": "{}"} if name == "events" else None

    def list_rule_targets(self, client, name):
        self.calls.append(("targets", name))
        return [{"Id": "alarm-topic", "Arn": TOPIC}]


def run_notifications(monkeypatch, args, fake):
    for name in ("get_topic_attributes", "list_topic_subscriptions", "list_topic_tags", "describe_rule", "list_rule_targets"):
        monkeypatch.setattr(aws_values_info, name, getattr(fake, name))
    return run_main(aws_values_info, dict(args, region=REGION))


def test_topics_and_event_rules_are_described_in_the_same_run(monkeypatch):
    fake = FakeNotifications()
    missing_topic = TOPIC + "-gone"
    outcome = run_notifications(monkeypatch, {"topics": [TOPIC, missing_topic, TOPIC], "event_rules": ["events", "gone"]}, fake)
    assert isinstance(outcome, AnsibleExitJson)
    result = outcome.result
    assert result["changed"] is False
    assert result["topic_details"][TOPIC]["subscriptions"] == [
        {"protocol": "email", "endpoint": "ops@example.com", "subscription_arn": "PendingConfirmation"}
    ]
    assert result["topic_details"][TOPIC]["policy"] == {"Version": "2012-10-17", "Statement": []}
    assert result["missing_topics"] == [missing_topic]
    assert result["event_rule_details"]["events"]["targets"] == [{"id": "alarm-topic", "arn": TOPIC, "role_arn": ""}]
    assert result["missing_event_rules"] == ["gone"]
    # Each topic read once, and nothing more of a topic or rule that does not exist.
    assert fake.calls == [
        ("attributes", TOPIC), ("subscriptions", TOPIC), ("tags", TOPIC), ("attributes", missing_topic),
        ("rule", "events"), ("targets", "events"), ("rule", "gone"),
    ]


def test_without_topics_or_rules_nothing_is_described(monkeypatch):
    fake = FakeNotifications()
    outcome = run_notifications(monkeypatch, {"parameters": []}, fake)
    assert fake.calls == [] and "topic_details" not in outcome.result and "event_rule_details" not in outcome.result


def test_a_failed_topic_read_names_the_topic(monkeypatch):
    outcome = run_notifications(monkeypatch, {"topics": [TOPIC]}, FakeNotifications(throttle=True))
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith(f"Failed to describe the SNS topic {TOPIC}: ")
    assert outcome.result["error"]["code"] == "Throttling"


def test_launch_templates_are_described_with_their_latest_version(monkeypatch):
    calls = []

    def describe_launch_templates(client, names):
        calls.append(("templates", names))
        return [{"LaunchTemplateId": "lt-1", "LaunchTemplateName": "web", "DefaultVersionNumber": 2, "LatestVersionNumber": 2}]

    def describe_latest_version(client, template_id):
        calls.append(("latest", template_id))
        return {"VersionNumber": 2, "VersionDescription": "web tier", "LaunchTemplateData": {"ImageId": "ami-1"}}

    monkeypatch.setattr(aws_values_info, "describe_launch_templates", describe_launch_templates)
    monkeypatch.setattr(aws_values_info, "describe_latest_version", describe_latest_version)
    outcome = run_main(aws_values_info, {"launch_templates": ["web", "gone", "web"], "region": REGION})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["launch_template_details"]["web"]["data"] == {"ImageId": "ami-1"}
    assert outcome.result["launch_template_details"]["web"]["latest_version"] == 2
    assert outcome.result["missing_launch_templates"] == ["gone"]
    # One call finds both names; only the one that exists has its latest version read.
    assert calls == [("templates", ["web", "gone"]), ("latest", "lt-1")]


def test_auto_scaling_groups_are_described_in_one_call(monkeypatch):
    calls = []

    def describe_auto_scaling_groups(client, names):
        calls.append(names)
        return [{"AutoScalingGroupName": "web", "MinSize": 1, "TargetGroupARNs": ["arn:tg"]}]

    monkeypatch.setattr(aws_values_info, "describe_auto_scaling_groups", describe_auto_scaling_groups)
    outcome = run_main(aws_values_info, {"auto_scaling_groups": ["web", "gone", "web"], "region": REGION})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["auto_scaling_group_details"] == {"web": {"auto_scaling_group_name": "web", "min_size": 1, "target_group_arns": ["arn:tg"]}}
    assert outcome.result["missing_auto_scaling_groups"] == ["gone"]
    assert calls == [["web", "gone"]]


def test_web_acls_are_found_with_one_list_of_their_scope(monkeypatch):
    calls = []

    def list_web_acls(client, scope):
        calls.append(scope)
        return [{"Name": "p-web", "Id": "id-1", "ARN": "arn:acl/p-web/id-1", "Description": "web"}, {"Name": "other", "Id": "id-2", "ARN": "arn:2"}]

    monkeypatch.setattr(aws_values_info, "list_web_acls", list_web_acls)
    outcome = run_main(aws_values_info, {"web_acls": ["p-web", "p-api", "p-web"], "region": REGION})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["web_acl_details"] == {"p-web": {"id": "id-1", "arn": "arn:acl/p-web/id-1", "description": "web"}}
    assert outcome.result["missing_web_acls"] == ["p-api"]
    assert calls == ["REGIONAL"]
    outcome = run_main(aws_values_info, {"web_acls": ["p-web"], "web_acl_scope": "CLOUDFRONT", "region": "us-east-1"})
    assert calls == ["REGIONAL", "CLOUDFRONT"]


def test_without_web_acls_none_are_listed(monkeypatch):
    monkeypatch.setattr(aws_values_info, "list_web_acls", lambda client, scope: pytest.fail("listed"))
    outcome = run_main(aws_values_info, {"parameters": [], "region": REGION})
    assert "web_acl_details" not in outcome.result and "missing_web_acls" not in outcome.result


def test_a_failed_web_acl_list_names_the_scope(monkeypatch):
    def list_web_acls(client, scope):
        raise _error("WAFInternalErrorException", "try again", "list the web ACLs")

    monkeypatch.setattr(aws_values_info, "list_web_acls", list_web_acls)
    outcome = run_main(aws_values_info, {"web_acls": ["p-web"], "region": REGION})
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith("Failed to list the REGIONAL web ACLs: ")


def test_distributions_are_found_by_their_comment_with_one_list(monkeypatch):
    calls = []

    def list_distributions(client):
        calls.append("list")
        summary = {"ARN": "arn:aws:cloudfront::1:distribution/E1", "Status": "Deployed", "Enabled": False, "DomainName": "d1.cloudfront.net"}
        return [dict(summary, Id="E1", Comment="p-web"), dict(summary, Id="E2", Comment="p-other"), dict(summary, Id="E3", Comment="p-web")]

    monkeypatch.setattr(aws_values_info, "list_distributions", list_distributions)
    outcome = run_main(aws_values_info, {"distributions": ["p-web", "p-api", "p-web"], "region": "us-east-1"})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["distribution_details"] == {"p-web": {
        "id": "E1", "arn": "arn:aws:cloudfront::1:distribution/E1", "status": "Deployed", "enabled": False,
        "domain_name": "d1.cloudfront.net", "others": ["E3"]}}
    assert outcome.result["missing_distributions"] == ["p-api"]
    assert calls == ["list"]


def test_without_distributions_none_are_listed(monkeypatch):
    monkeypatch.setattr(aws_values_info, "list_distributions", lambda client: pytest.fail("listed"))
    outcome = run_main(aws_values_info, {"web_acls": [], "region": REGION})
    assert "distribution_details" not in outcome.result and "missing_distributions" not in outcome.result


def test_a_failed_distribution_list_says_so(monkeypatch):
    def list_distributions(client):
        raise _error("ServiceUnavailable", "try again", "list the distributions")

    monkeypatch.setattr(aws_values_info, "list_distributions", list_distributions)
    outcome = run_main(aws_values_info, {"distributions": ["p-web"], "region": "us-east-1"})
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith("Failed to list the CloudFront distributions: ")


class FakeELB:
    """Load balancers and target groups that exist, by name; ELB fails a describe by names whole when one is missing."""

    def __init__(self, balancers=(), groups=()):
        self.balancers, self.groups, self.calls = list(balancers), list(groups), []

    def _by_names(self, kind, existing, names):
        self.calls.append((kind, list(names)))
        if any(name not in existing for name in names):
            return []
        return [dict(self._item(kind, name)) for name in names]

    @staticmethod
    def _item(kind, name):
        if kind == "load_balancers":
            return {"LoadBalancerName": name, "LoadBalancerArn": f"arn:lb/{name}", "DNSName": f"{name}.elb"}
        return {"TargetGroupName": name, "TargetGroupArn": f"arn:tg/{name}", "HealthCheckPath": "/"}

    def install(self, monkeypatch):
        monkeypatch.setattr(aws_values_info, "describe_load_balancers", lambda c, names: self._by_names("load_balancers", self.balancers, names))
        monkeypatch.setattr(aws_values_info, "describe_target_groups", lambda c, names: self._by_names("target_groups", self.groups, names))
        monkeypatch.setattr(aws_values_info, "describe_load_balancer_attributes",
                            lambda c, arn: [{"Key": "idle_timeout.timeout_seconds", "Value": "60"}])
        monkeypatch.setattr(aws_values_info, "describe_target_group_attributes",
                            lambda c, arn: [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}])
        monkeypatch.setattr(aws_values_info, "describe_listeners", lambda c, arn: [{"ListenerArn": f"{arn}/l1", "Port": 80}])
        monkeypatch.setattr(aws_values_info, "describe_rules", lambda c, arn: [{"RuleArn": f"{arn}/r1", "IsDefault": True}])

        def describe_elb_tags(c, arns):
            self.calls.append(("tags", list(arns)))
            return {arn: {"Name": arn.rsplit("/", 1)[1]} for arn in arns}

        monkeypatch.setattr(aws_values_info, "describe_elb_tags", describe_elb_tags)


def test_load_balancers_and_target_groups_are_described_as_the_info_modules_return_them(monkeypatch):
    fake = FakeELB(["p-web", "p-api"], ["p-web-tg"])
    fake.install(monkeypatch)
    outcome = run_main(aws_values_info, {"load_balancers": ["p-web", "p-api"], "target_groups": ["p-web-tg"], "region": REGION})
    assert isinstance(outcome, AnsibleExitJson), outcome.result
    web = outcome.result["load_balancer_details"]["p-web"]
    assert web["load_balancer_arn"] == "arn:lb/p-web" and web["dns_name"] == "p-web.elb"
    assert web["idle_timeout_timeout_seconds"] == "60" and web["tags"] == {"Name": "p-web"}
    assert web["listeners"] == [{"listener_arn": "arn:lb/p-web/l1", "port": 80, "rules": [{"rule_arn": "arn:lb/p-web/l1/r1", "is_default": True}]}]
    assert outcome.result["target_group_details"]["p-web-tg"]["deregistration_delay_timeout_seconds"] == "30"
    assert outcome.result["missing_load_balancers"] == [] and outcome.result["missing_target_groups"] == []
    # One describe for all names of each kind, one DescribeTags for all of them.
    assert fake.calls == [("load_balancers", ["p-web", "p-api"]), ("target_groups", ["p-web-tg"]),
                          ("tags", ["arn:lb/p-web", "arn:lb/p-api", "arn:tg/p-web-tg"])]


def test_one_missing_load_balancer_is_found_by_one_call_per_name(monkeypatch):
    fake = FakeELB(["p-web"], [])
    fake.install(monkeypatch)
    outcome = run_main(aws_values_info, {"load_balancers": ["p-web", "p-api"], "target_groups": ["p-web-tg"], "region": REGION})
    assert list(outcome.result["load_balancer_details"]) == ["p-web"]
    assert outcome.result["missing_load_balancers"] == ["p-api"] and outcome.result["missing_target_groups"] == ["p-web-tg"]
    assert fake.calls[:3] == [("load_balancers", ["p-web", "p-api"]), ("load_balancers", ["p-web"]), ("load_balancers", ["p-api"])]
    # A single name that does not exist is not asked again.
    assert ("target_groups", ["p-web-tg"]) in fake.calls and fake.calls.count(("target_groups", ["p-web-tg"])) == 1


def test_the_tags_of_more_than_twenty_are_read_twenty_at_a_time(monkeypatch):
    names = [f"p-t{i}" for i in range(15)]
    fake = FakeELB(names, [f"{n}-tg" for n in names])
    fake.install(monkeypatch)
    outcome = run_main(aws_values_info, {"load_balancers": names, "target_groups": [f"{n}-tg" for n in names], "region": REGION})
    assert len(outcome.result["load_balancer_details"]) == len(outcome.result["target_group_details"]) == 15
    assert [len(arns) for kind, arns in fake.calls if kind == "tags"] == [20, 10]


def test_a_failed_load_balancer_read_names_them(monkeypatch):
    def describe_load_balancers(client, names):
        raise _error("Throttling", "Rate exceeded", "describe the load balancers")

    monkeypatch.setattr(aws_values_info, "describe_load_balancers", describe_load_balancers)
    outcome = run_main(aws_values_info, {"load_balancers": ["p-web"], "region": REGION})
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith("Failed to describe the load balancers p-web: ")


ROLE = {"arn": "arn:aws:iam::123456789012:role/p-web-instance", "role_id": "AROA1", "path": "/", "trust_policy": {},
        "description": "web", "max_session_duration": 3600, "permissions_boundary": "", "tags": {}, "managed_policies": [],
        "inline_policies": {}, "instance_profiles": ["p-web-instance"]}


def test_iam_roles_are_read_as_iam_role_set_reads_them(monkeypatch):
    calls = []

    def read_role(client, name):
        calls.append(name)
        return dict(ROLE) if name == "p-web-instance" else None

    monkeypatch.setattr(aws_values_info, "read_role", read_role)
    outcome = run_main(aws_values_info, {"iam_roles": ["p-web-instance", "p-gone", "p-web-instance"], "region": REGION})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["iam_role_details"] == {"p-web-instance": ROLE}
    assert outcome.result["missing_iam_roles"] == ["p-gone"]
    assert calls == ["p-web-instance", "p-gone"]
    assert "log_group_details" not in outcome.result


def test_log_groups_are_described_with_their_tags(monkeypatch):
    calls = []
    group = {"logGroupName": "/aws/ec2/p/web", "arn": "arn:aws:logs:eu-west-1:1:log-group:/aws/ec2/p/web:*", "retentionInDays": 30}

    def describe_log_group(client, name):
        calls.append(("describe", name))
        return group if name == group["logGroupName"] else None

    def list_tags(client, arn):
        calls.append(("tags", arn))
        return {"atelier:tier": "web"}

    monkeypatch.setattr(aws_values_info, "describe_log_group", describe_log_group)
    monkeypatch.setattr(aws_values_info, "list_log_group_tags", list_tags)
    outcome = run_main(aws_values_info, {"log_groups": ["/aws/ec2/p/web", "/aws/ec2/p/gone"], "region": REGION})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["log_group_details"] == {"/aws/ec2/p/web": {
        "name": "/aws/ec2/p/web", "arn": "arn:aws:logs:eu-west-1:1:log-group:/aws/ec2/p/web", "retention_in_days": 30,
        "kms_key_id": "", "tags": {"atelier:tier": "web"}}}
    assert outcome.result["missing_log_groups"] == ["/aws/ec2/p/gone"]
    # The tags only of the group that exists, by its ARN without ":*".
    assert calls == [("describe", "/aws/ec2/p/web"), ("tags", "arn:aws:logs:eu-west-1:1:log-group:/aws/ec2/p/web"),
                     ("describe", "/aws/ec2/p/gone")]


def test_a_failed_role_or_log_group_read_names_it(monkeypatch):
    def read_role(client, name):
        raise _error("AccessDenied", "not allowed", "get role")

    def describe_log_group(client, name):
        raise _error("ThrottlingException", "Rate exceeded", "describe log groups")

    monkeypatch.setattr(aws_values_info, "read_role", read_role)
    monkeypatch.setattr(aws_values_info, "describe_log_group", describe_log_group)
    outcome = run_main(aws_values_info, {"iam_roles": ["p-web-instance"], "region": REGION})
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith("Failed to describe the IAM role p-web-instance: ")
    outcome = run_main(aws_values_info, {"log_groups": ["/aws/ec2/p/web"], "region": REGION})
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith("Failed to describe the log group /aws/ec2/p/web: ")


def test_scaling_policies_and_their_alarms_are_read_with_one_alarm_call_for_all_groups(monkeypatch):
    calls = []
    policies = {"p-web": [{"PolicyName": "p-web-cpu-high", "PolicyType": "StepScaling"}],
                "p-api": [{"PolicyName": "p-api-cpu-target", "PolicyType": "TargetTrackingScaling"}]}
    alarm = {"AlarmName": "p-web-cpu-high", "MetricName": "CPUUtilization", "Threshold": 70.0, "StateValue": "OK",
             "StateUpdatedTimestamp": "2026-12-07T00:00:00Z"}

    def describe_policies(client, group):
        calls.append(("policies", group))
        return policies.get(group, [])

    def describe_alarms_by_name(client, names):
        calls.append(("alarms", names))
        return [dict(alarm)] if "p-web-cpu-high" in names else []

    monkeypatch.setattr(aws_values_info, "describe_policies", describe_policies)
    monkeypatch.setattr(aws_values_info, "describe_alarms_by_name", describe_alarms_by_name)
    outcome = run_main(aws_values_info, {"scaling_policies": ["p-web", "p-api", "p-new"], "scaling_alarms": ["p-api-cpu-high"], "region": REGION})
    assert isinstance(outcome, AnsibleExitJson)
    assert outcome.result["scaling_policy_details"] == {"p-web": policies["p-web"], "p-api": policies["p-api"], "p-new": []}
    # Only the compared settings of an alarm (no state, no timestamps); those asked for or named as a step policy.
    assert outcome.result["scaling_alarm_details"] == {"p-web-cpu-high": {"AlarmName": "p-web-cpu-high", "MetricName": "CPUUtilization", "Threshold": 70.0}}
    assert outcome.result["missing_scaling_alarms"] == ["p-api-cpu-high"]
    assert calls == [("policies", "p-web"), ("policies", "p-api"), ("policies", "p-new"), ("alarms", ["p-api-cpu-high", "p-web-cpu-high"])]


def test_a_failed_scaling_read_names_the_groups(monkeypatch):
    def describe_policies(client, group):
        raise _error("Throttling", "Rate exceeded", "describe scaling policies")

    monkeypatch.setattr(aws_values_info, "describe_policies", describe_policies)
    outcome = run_main(aws_values_info, {"scaling_policies": ["p-web"], "region": REGION})
    assert isinstance(outcome, AnsibleFailJson)
    assert outcome.result["msg"].startswith("Failed to describe the scaling policies and alarms of p-web: ")
