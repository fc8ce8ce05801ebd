# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cloudfront_distribution: main() is driven with module args, and our
own module_utils wrappers are replaced by mocks (no boto3 call, no network)."""

import copy
import json
from unittest.mock import MagicMock

import pytest

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import MANAGED_CACHE_POLICIES
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import MANAGED_ORIGIN_REQUEST_POLICIES
from ansible_collections.atelier.infra.plugins.modules import cloudfront_distribution

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

SECRET = "s3cr3t-origin-verify-value"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
WRAPPERS = (
    "list_distributions",
    "get_distribution",
    "create_distribution",
    "update_distribution",
    "delete_distribution",
    "list_tags",
    "tag_resource",
    "untag_resource",
    "custom_policy_ids",
)
MUTATING = ("create_distribution", "update_distribution", "delete_distribution", "tag_resource", "untag_resource")


def base_args(**overrides):
    args = {
        "name": "prod-web",
        "region": "eu-west-1",
        "origins": [
            {
                "id": "alb",
                "domain_name": "prod-alb-123.eu-west-1.elb.amazonaws.com",
                "protocol_policy": "https-only",
                "ssl_protocols": ["TLSv1.2", "TLSv1.1"],
                "custom_headers": {"X-Origin-Verify": SECRET, "X-Env": "prod"},
            },
            {"id": "media", "domain_name": "media.example.com"},
        ],
        "default_behavior": {
            "origin_id": "alb",
            "allowed_methods": ["GET", "HEAD", "OPTIONS"],
            "cache_policy": "Managed-CachingOptimized",
        },
        "behaviors": [
            {
                "path_pattern": "/api/*",
                "origin_id": "alb",
                "allowed_methods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                "cache_policy": "Managed-CachingDisabled",
                "origin_request_policy": "Managed-AllViewerExceptHostHeader",
            },
            {"path_pattern": "/media/*", "origin_id": "media", "cache_policy": "Managed-CachingOptimized"},
        ],
        "aliases": ["www.example.com", "static.example.com"],
        "certificate_arn": CERTIFICATE,
        "logging": {"bucket": "atelier-logs.s3.amazonaws.com", "prefix": "cf/"},
        "tags": {"Environment": "prod", "Team": "web"},
    }
    args.update(overrides)
    return {key: value for key, value in args.items() if value is not None}


def as_aws_returns(config):
    """A DistributionConfig as GetDistribution returns it: lists in another order, header names in
    lower case, ForwardedValues absent and fields nobody set filled in."""
    config = copy.deepcopy(config)
    config["Aliases"]["Items"] = [a.upper() for a in reversed(config["Aliases"].get("Items", []))]
    config["Origins"]["Items"].reverse()
    for origin in config["Origins"]["Items"]:
        headers = origin["CustomHeaders"].get("Items", [])
        origin["CustomHeaders"]["Items"] = [dict(h, HeaderName=h["HeaderName"].lower()) for h in reversed(headers)]
        origin["CustomOriginConfig"]["OriginSslProtocols"]["Items"].reverse()
        origin["OriginShield"] = {"Enabled": False}
        origin["OriginAccessControlId"] = ""
    for behavior in [config["DefaultCacheBehavior"]] + config["CacheBehaviors"].get("Items", []):
        behavior["AllowedMethods"]["Items"].reverse()
        behavior["AllowedMethods"]["CachedMethods"]["Items"].reverse()
        behavior["RealtimeLogConfigArn"] = ""
        behavior["GrpcConfig"] = {"Enabled": False}
        behavior["TrustedSigners"] = {"Enabled": False, "Quantity": 0}
        behavior.pop("ForwardedValues", None)
    config["ViewerCertificate"].setdefault("CertificateSource", "acm")
    config["OriginGroups"] = {"Quantity": 0}
    config["CustomErrorResponses"] = {"Quantity": 0}
    config["ContinuousDeploymentPolicyId"] = ""
    config["Staging"] = False
    return dict(reversed(list(config.items())))


def distribution(config, dist_id="E2QWRUHAPOMQZL", status="Deployed"):
    return {
        "Id": dist_id,
        "ARN": f"arn:aws:cloudfront::123456789012:distribution/{dist_id}",
        "DomainName": f"{dist_id.lower()}.cloudfront.net",
        "Status": status,
        "DistributionConfig": config,
    }


class FakeAWS:
    """The distributions that exist (ID -> distribution, ETag, tags) and mocks standing in for our
    module_utils wrappers."""

    def __init__(self, existing=(), tags=None, custom_policies=None):
        self.distributions = {d["Id"]: [copy.deepcopy(d), "E1", dict(tags or {})] for d in existing}
        self.custom_policies = custom_policies or {"cache": [], "origin_request": []}
        self.list_distributions = MagicMock(side_effect=self._list)
        self.get_distribution = MagicMock(side_effect=self._get)
        self.create_distribution = MagicMock(side_effect=self._create)
        self.update_distribution = MagicMock(side_effect=self._update)
        self.delete_distribution = MagicMock(side_effect=self._delete)
        self.list_tags = MagicMock(side_effect=self._list_tags)
        self.tag_resource = MagicMock(side_effect=self._tag)
        self.untag_resource = MagicMock(side_effect=self._untag)
        self.custom_policy_ids = MagicMock(side_effect=lambda client, kind: {p["Name"]: p["Id"] for p in self.custom_policies[kind]})

    def _list(self, client):
        return [
            {"Id": d["Id"], "ARN": d["ARN"], "Comment": d["DistributionConfig"]["Comment"]}
            for d, _e, _t in self.distributions.values()
        ]

    def _get(self, client, dist_id):
        if dist_id not in self.distributions:
            return None, None
        found, etag, _tags = self.distributions[dist_id]
        return copy.deepcopy(found), etag

    def _create(self, client, config, tags):
        created = distribution(copy.deepcopy(config), "ENEWDIST", "InProgress")
        self.distributions["ENEWDIST"] = [created, "E1", dict(tags)]
        return copy.deepcopy(created)

    def _update(self, client, dist_id, config, etag):
        entry = self.distributions[dist_id]
        assert etag == entry[1], "update must pass the current ETag as IfMatch"
        entry[0] = dict(entry[0], DistributionConfig=copy.deepcopy(config), Status="InProgress")
        entry[1] = f"E{int(entry[1][1:]) + 1}"
        return copy.deepcopy(entry[0])

    def _delete(self, client, dist_id, etag):
        assert etag == self.distributions[dist_id][1], "delete must pass the current ETag as IfMatch"
        del self.distributions[dist_id]
        return True

    def _entry_by_arn(self, arn):
        return next(e for e in self.distributions.values() if e[0]["ARN"] == arn)

    def _list_tags(self, client, arn):
        return dict(self._entry_by_arn(arn)[2])

    def _tag(self, client, arn, tags):
        self._entry_by_arn(arn)[2].update(tags)

    def _untag(self, client, arn, keys):
        for key in keys:
            self._entry_by_arn(arn)[2].pop(key, None)

    def mutating_calls(self):
        return {name: getattr(self, name).call_count for name in MUTATING if getattr(self, name).call_count}


@pytest.fixture
def sleeps(monkeypatch):
    """time.sleep does not sleep: it advances a fake clock that time.time reads."""
    clock = {"now": 1_000_000.0, "slept": []}

    def sleep(seconds):
        clock["slept"].append(seconds)
        clock["now"] += seconds

    monkeypatch.setattr(cloudfront_distribution.time, "sleep", sleep)
    monkeypatch.setattr(cloudfront_distribution.time, "time", lambda: clock["now"])
    return clock


def run(monkeypatch, aws, args, check_mode=False, diff=False):
    for name in WRAPPERS:
        monkeypatch.setattr(cloudfront_distribution, name, getattr(aws, name))
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    return run_main(cloudfront_distribution, args)


def created_config(monkeypatch, args=None):
    """The DistributionConfig the module creates for args (base_args() by default)."""
    aws = FakeAWS()
    result = run(monkeypatch, aws, args or base_args())
    assert isinstance(result, AnsibleExitJson), result.result
    return aws.create_distribution.call_args.args[1]


def existing_distribution(monkeypatch, args=None, **kwargs):
    """The distribution the module would create for args, as AWS returns it later."""
    return distribution(as_aws_returns(created_config(monkeypatch, args)), **kwargs)


def assert_secret_hidden(result):
    assert SECRET not in json.dumps(result.result, default=str)


# ---------------------------------------------------------------- bad input


# name, args, part of the failure message
BAD_INPUT = [
    ("alias without certificate", base_args(certificate_arn=None), "aliases need certificate_arn"),
    (
        "certificate outside us-east-1",
        base_args(certificate_arn=CERTIFICATE.replace("us-east-1", "eu-west-1")),
        "CloudFront only uses ACM certificates from us-east-1",
    ),
    (
        "unknown managed policy",
        base_args(default_behavior={"origin_id": "alb", "cache_policy": "Managed-CachingSometimes"}),
        "unknown managed cache policy 'Managed-CachingSometimes'",
    ),
    (
        "path pattern",
        base_args(behaviors=[{"path_pattern": "api/*", "origin_id": "alb", "cache_policy": "Managed-CachingDisabled"}]),
        "behaviors[0]: path_pattern 'api/*' must start with / or *",
    ),
    (
        "unknown origin",
        base_args(default_behavior={"origin_id": "s3", "cache_policy": "Managed-CachingOptimized"}),
        "default_behavior: origin_id 's3' is not one of the origins (alb, media)",
    ),
    (
        "cached not in allowed",
        base_args(
            default_behavior={
                "origin_id": "alb",
                "cache_policy": "Managed-CachingOptimized",
                "cached_methods": ["GET", "HEAD", "OPTIONS"],
            }
        ),
        "cached_methods must be a subset of allowed_methods",
    ),
    ("origins missing", base_args(origins=None), "origins"),
    (
        "bad ssl protocol",
        base_args(origins=[{"id": "alb", "domain_name": "a.example.com", "ssl_protocols": ["TLSv1.3"]}]),
        "ssl_protocols",
    ),
]


@pytest.mark.parametrize("args, message", [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input_fails_before_any_client_call(monkeypatch, args, message):
    client = MagicMock(name="client")
    monkeypatch.setattr(AnsibleAWSModule, "client", client)
    aws = FakeAWS()
    result = run(monkeypatch, aws, args)
    assert isinstance(result, AnsibleFailJson)
    assert message in result.result["msg"]
    client.assert_not_called()
    assert aws.list_distributions.call_count == 0
    assert_secret_hidden(result)


# ---------------------------------------------------------------- present


def test_create(monkeypatch):
    aws = FakeAWS()
    result = run(monkeypatch, aws, base_args())
    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is True
    aws.create_distribution.assert_called_once()
    _client, config, tags = aws.create_distribution.call_args.args
    assert config["CallerReference"].startswith("prod-web-")
    assert len(config["CallerReference"]) > len("prod-web-")
    assert config["Comment"] == "prod-web"
    assert config["Restrictions"]["GeoRestriction"]["RestrictionType"] == "none"
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == MANAGED_CACHE_POLICIES["Managed-CachingOptimized"]
    api = config["CacheBehaviors"]["Items"][0]
    assert api["PathPattern"] == "/api/*"
    assert api["OriginRequestPolicyId"] == MANAGED_ORIGIN_REQUEST_POLICIES["Managed-AllViewerExceptHostHeader"]
    assert config["ViewerCertificate"]["ACMCertificateArn"] == CERTIFICATE
    assert tags == {"Environment": "prod", "Team": "web"}
    assert result.result["distribution"]["id"] == "ENEWDIST"
    assert result.result["distribution"]["tags"] == tags
    assert aws.mutating_calls() == {"create_distribution": 1}
    # managed names are resolved without a list call
    aws.custom_policy_ids.assert_not_called()
    assert_secret_hidden(result)


def test_caller_reference_differs_between_creates(monkeypatch):
    first = created_config(monkeypatch)["CallerReference"]
    second = created_config(monkeypatch)["CallerReference"]
    assert first != second


def test_no_change_when_aws_returns_the_same_config_reordered(monkeypatch):
    existing = existing_distribution(monkeypatch)
    aws = FakeAWS([existing], tags={"Team": "web", "Environment": "prod"})
    result = run(monkeypatch, aws, base_args(), diff=True)
    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is False
    assert aws.mutating_calls() == {}
    assert result.result["distribution"]["id"] == existing["Id"]
    assert result.result["diff"]["before"] == result.result["diff"]["after"]
    assert_secret_hidden(result)


def test_no_change_in_check_mode(monkeypatch):
    aws = FakeAWS([existing_distribution(monkeypatch)], tags={"Environment": "prod", "Team": "web"})
    result = run(monkeypatch, aws, base_args(), check_mode=True)
    assert result.result["changed"] is False
    assert aws.mutating_calls() == {}


def _price_class_all(args):
    args["price_class"] = "PriceClass_All"


def _reverse_behaviours(args):
    args["behaviors"] = list(reversed(args["behaviors"]))


def _new_header_value(args):
    args["origins"][0]["custom_headers"] = {"X-Origin-Verify": "rotated-" + SECRET, "X-Env": "prod"}


def _more_aliases(args):
    args["aliases"] = args["aliases"] + ["api.example.com"]


# name, change to base_args(), the managed field named in the message
UPDATES = [
    ("price class", _price_class_all, "price_class"),
    ("behaviour order", _reverse_behaviours, "behaviors"),
    ("custom header value", _new_header_value, "origins"),
    ("aliases", _more_aliases, "aliases"),
    ("ipv6", lambda a: a.update(ipv6=False), "ipv6"),
    ("http version", lambda a: a.update(http_version="http2"), "http_version"),
    ("web acl", lambda a: a.update(web_acl_id="arn:aws:wafv2:us-east-1:123456789012:global/webacl/w/1"), "web_acl_id"),
    ("logging off", lambda a: a.pop("logging"), "logging"),
]


@pytest.mark.parametrize("change, field", [c[1:] for c in UPDATES], ids=[c[0] for c in UPDATES])
def test_change_updates_with_etag_and_merged_config(monkeypatch, change, field):
    existing = existing_distribution(monkeypatch)
    existing["DistributionConfig"]["Restrictions"] = {
        "GeoRestriction": {"RestrictionType": "whitelist", "Quantity": 1, "Items": ["FR"]}
    }
    existing["DistributionConfig"]["CustomErrorResponses"] = {"Quantity": 1, "Items": [{"ErrorCode": 404}]}
    aws = FakeAWS([existing], tags={"Environment": "prod", "Team": "web"})
    args = copy.deepcopy(base_args())
    change(args)

    result = run(monkeypatch, aws, args)

    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is True
    aws.update_distribution.assert_called_once()
    _client, dist_id, config, etag = aws.update_distribution.call_args.args
    assert dist_id == existing["Id"]
    assert etag == "E1"
    assert config["CallerReference"] == existing["DistributionConfig"]["CallerReference"]
    assert config["Restrictions"]["GeoRestriction"]["Items"] == ["FR"]
    assert config["CustomErrorResponses"]["Quantity"] == 1
    assert field in result.result["msg"]
    assert "tags" not in result.result["msg"]
    assert aws.mutating_calls() == {"update_distribution": 1}
    assert_secret_hidden(result)


def test_update_then_nothing_to_do(monkeypatch):
    """After the update, the next run with the same options reports no change."""
    aws = FakeAWS([existing_distribution(monkeypatch)], tags={"Environment": "prod", "Team": "web"})
    args = base_args(price_class="PriceClass_All")
    assert run(monkeypatch, aws, args).result["changed"] is True
    again = run(monkeypatch, aws, args)
    assert again.result["changed"] is False
    assert aws.update_distribution.call_count == 1


# name, existing tags, tags and purge_tags args, expected calls, tags after
TAG_CASES = [
    (
        "tag added",
        {"Environment": "prod"},
        dict(tags={"Environment": "prod", "Team": "web"}),
        {"tag_resource": 1},
        {"Environment": "prod", "Team": "web"},
    ),
    (
        "tag value changed",
        {"Environment": "dev", "Team": "web"},
        {},
        {"tag_resource": 1},
        {"Environment": "prod", "Team": "web"},
    ),
    (
        "tag purged",
        {"Environment": "prod", "Team": "web", "Old": "x"},
        {},
        {"untag_resource": 1},
        {"Environment": "prod", "Team": "web"},
    ),
    (
        "no purge keeps extra tag",
        {"Old": "x"},
        dict(purge_tags=False),
        {"tag_resource": 1},
        {"Old": "x", "Environment": "prod", "Team": "web"},
    ),
]


@pytest.mark.parametrize("existing_tags, args, calls, after", [c[1:] for c in TAG_CASES], ids=[c[0] for c in TAG_CASES])
def test_tags_only_change(monkeypatch, existing_tags, args, calls, after):
    existing = existing_distribution(monkeypatch)
    aws = FakeAWS([existing], tags=existing_tags)
    result = run(monkeypatch, aws, base_args(**args))
    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is True
    assert aws.mutating_calls() == calls
    assert aws.update_distribution.call_count == 0
    assert aws.distributions[existing["Id"]][2] == after
    assert result.result["distribution"]["tags"] == after
    assert "tags" in result.result["msg"]


def test_tags_left_alone_when_not_given(monkeypatch):
    aws = FakeAWS([existing_distribution(monkeypatch)], tags={"Other": "x"})
    result = run(monkeypatch, aws, base_args(tags=None))
    assert result.result["changed"] is False
    assert aws.mutating_calls() == {}
    assert result.result["distribution"]["tags"] == {"Other": "x"}


def test_check_mode_create(monkeypatch):
    aws = FakeAWS()
    result = run(monkeypatch, aws, base_args(), check_mode=True, diff=True)
    assert result.result["changed"] is True
    assert "Would have created" in result.result["msg"]
    assert aws.mutating_calls() == {}
    assert result.result["distribution"]["id"] is None
    assert_secret_hidden(result)


@pytest.mark.parametrize(
    "args, existing_tags",
    [
        (base_args(price_class="PriceClass_All"), {"Environment": "prod", "Team": "web"}),
        (base_args(), {"Environment": "dev"}),
        (base_args(state="absent"), {}),
    ],
    ids=["config change", "tags change", "delete"],
)
def test_check_mode_makes_no_change(monkeypatch, args, existing_tags):
    aws = FakeAWS([existing_distribution(monkeypatch)], tags=existing_tags)
    result = run(monkeypatch, aws, args, check_mode=True, diff=True)
    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is True
    assert "Would have" in result.result["msg"]
    assert aws.mutating_calls() == {}
    assert_secret_hidden(result)


def test_wait_after_create(monkeypatch, sleeps):
    aws = FakeAWS()
    gets = iter(["InProgress", "InProgress", "Deployed"])

    def get(client, dist_id):
        found, etag = FakeAWS._get(aws, client, dist_id)
        return dict(found, Status=next(gets)), etag

    aws.get_distribution.side_effect = get
    result = run(monkeypatch, aws, base_args(wait=True))
    assert result.result["changed"] is True
    assert result.result["distribution"]["status"] == "Deployed"
    assert aws.get_distribution.call_count == 3
    assert len(sleeps["slept"]) == 2


# ---------------------------------------------------------------- policy names


def _custom_policy_args():
    args = copy.deepcopy(base_args())
    args["default_behavior"]["cache_policy"] = "atelier-static"
    args["behaviors"][0]["origin_request_policy"] = "atelier-forward"
    args["behaviors"][1]["cache_policy"] = "atelier-media"
    return args


CUSTOM = {
    "cache": [
        {"Id": "aaaaaaaa-0000-0000-0000-000000000001", "Name": "atelier-static"},
        {"Id": "aaaaaaaa-0000-0000-0000-000000000002", "Name": "atelier-media"},
    ],
    "origin_request": [{"Id": "bbbbbbbb-0000-0000-0000-000000000001", "Name": "atelier-forward"}],
}


def test_custom_policy_names_are_listed_once_per_kind(monkeypatch):
    aws = FakeAWS(custom_policies=CUSTOM)
    result = run(monkeypatch, aws, _custom_policy_args())
    assert isinstance(result, AnsibleExitJson), result.result
    assert sorted(c.args[1] for c in aws.custom_policy_ids.call_args_list) == ["cache", "origin_request"]
    config = aws.create_distribution.call_args.args[1]
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == "aaaaaaaa-0000-0000-0000-000000000001"
    api, media = config["CacheBehaviors"]["Items"]
    assert api["CachePolicyId"] == MANAGED_CACHE_POLICIES["Managed-CachingDisabled"]
    assert api["OriginRequestPolicyId"] == "bbbbbbbb-0000-0000-0000-000000000001"
    assert media["CachePolicyId"] == "aaaaaaaa-0000-0000-0000-000000000002"


def test_policy_ids_are_used_as_given_without_list_call(monkeypatch):
    args = copy.deepcopy(base_args())
    args["default_behavior"]["cache_policy"] = "cccccccc-1111-2222-3333-444444444444"
    aws = FakeAWS()
    run(monkeypatch, aws, args)
    aws.custom_policy_ids.assert_not_called()
    config = aws.create_distribution.call_args.args[1]
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == "cccccccc-1111-2222-3333-444444444444"


@pytest.mark.parametrize("where", ["cache", "origin_request"])
def test_unknown_custom_policy_name_fails(monkeypatch, where):
    args = _custom_policy_args()
    if where == "cache":
        args["behaviors"][1]["cache_policy"] = "atelier-nope"
        message = "No cache policy named 'atelier-nope'"
    else:
        args["behaviors"][0]["origin_request_policy"] = "atelier-nope"
        message = "No origin request policy named 'atelier-nope'"
    aws = FakeAWS(custom_policies=CUSTOM)
    result = run(monkeypatch, aws, args)
    assert isinstance(result, AnsibleFailJson)
    assert message in result.result["msg"]
    assert aws.mutating_calls() == {}


def test_check_mode_assumes_a_custom_policy_an_earlier_task_would_create(monkeypatch):
    # site.yml --check on an empty account: the policy task only said "would create".
    args = _custom_policy_args()
    args["behaviors"][0]["origin_request_policy"] = "atelier-new"
    aws = FakeAWS(custom_policies=CUSTOM)
    result = run(monkeypatch, aws, args, check_mode=True)
    assert not isinstance(result, AnsibleFailJson), result.result
    assert result.result["changed"] is True
    assert any("atelier-new" in w for w in result.result.get("warnings", []))
    assert aws.mutating_calls() == {}


# ---------------------------------------------------------------- absent


def test_absent_missing_is_no_change(monkeypatch):
    aws = FakeAWS()
    result = run(monkeypatch, aws, {"name": "prod-web", "state": "absent", "region": "eu-west-1"})
    assert result.result["changed"] is False
    assert "nothing to delete" in result.result["msg"]
    assert aws.mutating_calls() == {}


def test_absent_disables_waits_then_deletes_with_last_etag(monkeypatch, sleeps):
    existing = existing_distribution(monkeypatch)
    disabled = copy.deepcopy(existing)
    disabled["DistributionConfig"]["Enabled"] = False
    aws = FakeAWS([existing])
    aws.get_distribution.side_effect = [
        (copy.deepcopy(existing), "E1"),
        (dict(disabled, Status="InProgress"), "E2"),
        (dict(disabled, Status="InProgress"), "E2"),
        (dict(disabled, Status="Deployed"), "E3"),
    ]
    aws.update_distribution.side_effect = lambda client, dist_id, config, etag: dict(disabled, Status="InProgress")
    aws.delete_distribution.side_effect = None
    aws.delete_distribution.return_value = True

    result = run(monkeypatch, aws, {"name": "prod-web", "state": "absent", "region": "eu-west-1"})

    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is True
    _client, dist_id, config, etag = aws.update_distribution.call_args.args
    assert (dist_id, etag, config["Enabled"]) == (existing["Id"], "E1", False)
    assert config["Origins"] == existing["DistributionConfig"]["Origins"]
    aws.delete_distribution.assert_called_once_with(aws.delete_distribution.call_args.args[0], existing["Id"], "E3")
    assert len(sleeps["slept"]) == 2
    assert_secret_hidden(result)


def test_absent_already_disabled_deletes_without_update(monkeypatch, sleeps):
    existing = existing_distribution(monkeypatch)
    existing["DistributionConfig"]["Enabled"] = False
    aws = FakeAWS([existing])
    result = run(monkeypatch, aws, base_args(state="absent"))
    assert result.result["changed"] is True
    assert aws.mutating_calls() == {"delete_distribution": 1}
    assert aws.distributions == {}


def test_absent_wait_timeout_fails_clearly(monkeypatch, sleeps):
    existing = existing_distribution(monkeypatch)
    aws = FakeAWS([existing])
    result = run(monkeypatch, aws, {"name": "prod-web", "state": "absent", "region": "eu-west-1", "wait_timeout": 30})
    assert isinstance(result, AnsibleFailJson)
    assert result.result["msg"] == f"Distribution {existing['Id']} is still InProgress after 30 s."
    assert aws.update_distribution.call_count == 1
    assert aws.delete_distribution.call_count == 0
    assert sum(sleeps["slept"]) <= 30


@pytest.mark.parametrize("state", ["present", "absent"])
def test_two_distributions_with_the_name_fail(monkeypatch, state):
    config = as_aws_returns(created_config(monkeypatch))
    aws = FakeAWS([distribution(config, "EFIRST"), distribution(copy.deepcopy(config), "ESECOND")])
    result = run(monkeypatch, aws, base_args(state=state))
    assert isinstance(result, AnsibleFailJson)
    assert "EFIRST" in result.result["msg"] and "ESECOND" in result.result["msg"]
    assert "prod-web" in result.result["msg"]
    assert aws.mutating_calls() == {}


def test_other_distributions_are_ignored(monkeypatch):
    other = existing_distribution(monkeypatch, base_args(name="other-web"), dist_id="EOTHER")
    aws = FakeAWS([other])
    result = run(monkeypatch, aws, base_args())
    assert result.result["changed"] is True
    assert aws.mutating_calls() == {"create_distribution": 1}


@pytest.mark.parametrize(
    "state, changed, calls", [("present", True, {"create_distribution": 1}), ("absent", False, {})]
)
def test_distribution_gone_between_list_and_get(monkeypatch, state, changed, calls):
    """ListDistributions still shows it, GetDistribution says NoSuchDistribution (the wrapper returns None)."""
    aws = FakeAWS([existing_distribution(monkeypatch)])
    aws.get_distribution.side_effect = None
    aws.get_distribution.return_value = (None, None)
    result = run(monkeypatch, aws, base_args(state=state))
    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is changed
    assert aws.mutating_calls() == calls


# ---------------------------------------------------------------- distribution_id (the id the stack's tags give)


@pytest.mark.parametrize("state", ["present", "absent"])
def test_a_known_id_is_read_without_listing(monkeypatch, state):
    existing = existing_distribution(monkeypatch)
    aws = FakeAWS([existing], tags={"Team": "web", "Environment": "prod"})
    result = run(monkeypatch, aws, base_args(distribution_id=existing["Id"], state=state), check_mode=True)
    assert isinstance(result, AnsibleExitJson), result.result
    assert aws.list_distributions.call_count == 0
    assert aws.get_distribution.call_count == 1
    assert result.result["changed"] is (state == "absent")
    assert aws.mutating_calls() == {}


def test_a_known_id_still_finds_a_change(monkeypatch):
    existing = existing_distribution(monkeypatch)
    aws = FakeAWS([existing], tags={"Team": "web", "Environment": "prod"})
    result = run(monkeypatch, aws, base_args(distribution_id=existing["Id"], price_class="PriceClass_All"))
    assert result.result["actions"] == ["update cloudfront distribution prod-web: price_class"]
    assert aws.list_distributions.call_count == 0
    assert aws.mutating_calls() == {"update_distribution": 1}


@pytest.mark.parametrize("hint", ["EGONE", "EOTHER"], ids=["deleted", "another distribution"])
def test_a_wrong_id_falls_back_to_listing(monkeypatch, hint):
    """An id of no distribution, or of one with another comment: the distributions are listed and the one of the name
    is found (not created again, the other left alone)."""
    existing = existing_distribution(monkeypatch)
    other = existing_distribution(monkeypatch, base_args(name="other-web"), dist_id="EOTHER")
    aws = FakeAWS([existing, other], tags={"Team": "web", "Environment": "prod"})
    result = run(monkeypatch, aws, base_args(distribution_id=hint))
    assert isinstance(result, AnsibleExitJson), result.result
    assert aws.list_distributions.call_count == 1
    assert result.result["changed"] is False
    assert result.result["distribution"]["id"] == existing["Id"]
    assert aws.mutating_calls() == {}


def test_a_wrong_id_and_no_distribution_of_the_name_creates_it(monkeypatch):
    other = existing_distribution(monkeypatch, base_args(name="other-web"), dist_id="EOTHER")
    aws = FakeAWS([other])
    result = run(monkeypatch, aws, base_args(distribution_id="EOTHER"))
    assert aws.mutating_calls() == {"create_distribution": 1}
    assert result.result["distribution"]["id"] == "ENEWDIST"


# ---------------------------------------------------------------- actions (the plan callback's source)


@pytest.mark.parametrize(
    "existing, existing_tags, args, check_mode, actions",
    [
        (False, {}, base_args(), True, ["create cloudfront distribution prod-web"]),
        (False, {}, base_args(), False, ["create cloudfront distribution prod-web"]),
        (True, {"Environment": "prod", "Team": "web"}, base_args(), True, []),
        (True, {"Environment": "prod", "Team": "web"}, base_args(price_class="PriceClass_All"), True,
         ["update cloudfront distribution prod-web: price_class"]),
        (True, {"Environment": "dev"}, base_args(), False, ["update cloudfront distribution prod-web: tags"]),
        (True, {}, base_args(state="absent"), True, ["delete cloudfront distribution prod-web"]),
        (False, {}, base_args(state="absent"), False, []),
    ],
    ids=["check create", "create", "no change", "check update", "update tags", "check delete", "absent missing"],
)
def test_actions_name_the_change_in_one_line(monkeypatch, existing, existing_tags, args, check_mode, actions):
    aws = FakeAWS([existing_distribution(monkeypatch)] if existing else [], tags=existing_tags)
    result = run(monkeypatch, aws, args, check_mode=check_mode)
    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["actions"] == actions
    assert result.result["changed"] is bool(actions)
