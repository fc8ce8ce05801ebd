# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cloudfront_policy: main() is driven with module args, and our
own module_utils wrappers are replaced by mocks (no boto3 call, no network)."""

import copy
import datetime
from unittest.mock import MagicMock

import pytest
from botocore.exceptions import ClientError

from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import AnsibleCloudFrontPolicyError
from ansible_collections.atelier.infra.plugins.modules import cloudfront_policy

from tests.unit.plugins.modules.utils import run_main

MODIFIED = datetime.datetime(2025, 1, 31, 12, 0, tzinfo=datetime.timezone.utc)
WRAPPERS = ("find_policy", "create_policy", "update_policy", "delete_policy")
CONFIG_KEY = {"cache": "CachePolicyConfig", "origin_request": "OriginRequestPolicyConfig"}


def _group(behavior_key, list_key, behavior="none", items=None):
    result = {behavior_key: behavior}
    if items is not None:
        result[list_key] = {"Quantity": len(items), "Items": list(items)}
    return result


def cache_policy_config(name="web", headers=None, cookies=None, query_strings=None, **overrides):
    """A CachePolicyConfig as GetCachePolicy returns it (behaviour, items) per group."""
    config = {
        "Name": name,
        "Comment": "",
        "DefaultTTL": 86400,
        "MinTTL": 1,
        "MaxTTL": 31536000,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": True,
            "EnableAcceptEncodingBrotli": True,
            "HeadersConfig": _group("HeaderBehavior", "Headers", *(headers or ("none",))),
            "CookiesConfig": _group("CookieBehavior", "Cookies", *(cookies or ("none",))),
            "QueryStringsConfig": _group("QueryStringBehavior", "QueryStrings", *(query_strings or ("none",))),
        },
    }
    config.update(overrides)
    return config


def origin_request_policy_config(name="fwd", headers=None, cookies=None, query_strings=None, **overrides):
    config = {
        "Name": name,
        "Comment": "",
        "HeadersConfig": _group("HeaderBehavior", "Headers", *(headers or ("none",))),
        "CookiesConfig": _group("CookieBehavior", "Cookies", *(cookies or ("none",))),
        "QueryStringsConfig": _group("QueryStringBehavior", "QueryStrings", *(query_strings or ("none",))),
    }
    config.update(overrides)
    return config


def policy(policy_type, config, policy_id="pol-0001"):
    """(type, CachePolicy / OriginRequestPolicy dict) as the API returns it."""
    return policy_type, {"Id": policy_id, "LastModifiedTime": MODIFIED, CONFIG_KEY[policy_type]: config}


def base_args(**overrides):
    args = {"type": "cache", "name": "web", "region": "us-east-1"}
    args.update(overrides)
    # An option set to None is left out, as a task leaves it out.
    return {key: value for key, value in args.items() if value is not None}


class FakeAWS:
    """The custom policies that exist, and mocks standing in for our module_utils wrappers."""

    def __init__(self, existing):
        self.policies = {(t, p[CONFIG_KEY[t]]["Name"]): copy.deepcopy(p) for t, p in existing}
        self.versions = {key: 1 for key in self.policies}
        self.created = 0
        self.find_policy = MagicMock(side_effect=self._find)
        self.create_policy = MagicMock(side_effect=self._create)
        self.update_policy = MagicMock(side_effect=self._update)
        self.delete_policy = MagicMock(side_effect=self._delete)

    def _key_of(self, policy_type, policy_id):
        return next(key for key, p in self.policies.items() if key[0] == policy_type and p["Id"] == policy_id)

    def _find(self, client, policy_type, name):
        found = self.policies.get((policy_type, name))
        if not found:
            return None, None
        return copy.deepcopy(found), f"E{self.versions[(policy_type, name)]}"

    def _create(self, client, policy_type, config):
        self.created += 1
        new = {"Id": f"pol-new{self.created}", "LastModifiedTime": MODIFIED, CONFIG_KEY[policy_type]: config}
        self.policies[(policy_type, config["Name"])] = new
        self.versions[(policy_type, config["Name"])] = 1
        return copy.deepcopy(new), "E1"

    def _update(self, client, policy_type, policy_id, config, etag):
        key = self._key_of(policy_type, policy_id)
        assert etag == f"E{self.versions[key]}", "update must pass the current ETag as IfMatch"
        self.policies[key][CONFIG_KEY[policy_type]] = config
        self.versions[key] += 1
        return copy.deepcopy(self.policies[key]), f"E{self.versions[key]}"

    def _delete(self, client, policy_type, policy_id, etag):
        key = self._key_of(policy_type, policy_id)
        assert etag == f"E{self.versions[key]}", "delete must pass the current ETag as IfMatch"
        del self.policies[key]
        return True

    def mutating_calls(self):
        return sum(getattr(self, name).call_count for name in ("create_policy", "update_policy", "delete_policy"))

    def all_calls(self):
        return self.find_policy.call_count + self.mutating_calls()


def run(monkeypatch, aws, args, check_mode=False, diff=False):
    for name in WRAPPERS:
        monkeypatch.setattr(cloudfront_policy, name, getattr(aws, name))
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    return run_main(cloudfront_policy, args)


WHITELISTED = dict(
    headers={"behavior": "whitelist", "items": ["Origin", "Accept-Language"]},
    query_strings={"behavior": "whitelist", "items": ["page", "lang"]},
)
# The same configuration as AWS holds it: other order, other header case.
WHITELISTED_EXISTING = policy(
    "cache",
    cache_policy_config(
        headers=("whitelist", ["accept-language", "origin"]), query_strings=("whitelist", ["lang", "page"])
    ),
)

# name, existing policies, module args, check mode, expected: changed, calls made (name -> count), msg part
CASES = [
    (
        "create cache policy",
        [],
        base_args(**WHITELISTED),
        False,
        dict(changed=True, calls={"create_policy": 1, "update_policy": 0}, msg=None),
    ),
    (
        "create origin request policy",
        [],
        base_args(type="origin_request", name="fwd", cookies={"behavior": "all"}),
        False,
        dict(changed=True, calls={"create_policy": 1}, msg=None),
    ),
    (
        "identical config in another order, no change",
        [WHITELISTED_EXISTING],
        base_args(**WHITELISTED),
        False,
        dict(changed=False, calls={"create_policy": 0, "update_policy": 0}, msg=None),
    ),
    (
        "defaults match an existing default policy, no change",
        [policy("cache", cache_policy_config())],
        base_args(),
        False,
        dict(changed=False, calls={"update_policy": 0}, msg=None),
    ),
    (
        "origin request policy unchanged",
        [policy("origin_request", origin_request_policy_config(cookies=("allExcept", ["b", "a"])))],
        base_args(type="origin_request", name="fwd", cookies={"behavior": "allExcept", "items": ["a", "b"]}),
        False,
        dict(changed=False, calls={"update_policy": 0}, msg=None),
    ),
    (
        "ttl differs, updated",
        [policy("cache", cache_policy_config())],
        base_args(default_ttl=3600),
        False,
        dict(changed=True, calls={"update_policy": 1, "create_policy": 0}, msg=None),
    ),
    (
        "items differ, updated",
        [WHITELISTED_EXISTING],
        base_args(headers={"behavior": "whitelist", "items": ["Origin"]}, query_strings=WHITELISTED["query_strings"]),
        False,
        dict(changed=True, calls={"update_policy": 1}, msg=None),
    ),
    (
        "comment differs, updated",
        [policy("origin_request", origin_request_policy_config())],
        base_args(type="origin_request", name="fwd", comment="forward nothing"),
        False,
        dict(changed=True, calls={"update_policy": 1}, msg=None),
    ),
    (
        "same name, other type, created",
        [policy("origin_request", origin_request_policy_config(name="web"))],
        base_args(),
        False,
        dict(changed=True, calls={"create_policy": 1, "update_policy": 0}, msg=None),
    ),
    (
        "check mode create",
        [],
        base_args(),
        True,
        dict(changed=True, calls={}, msg="Would have created cache policy web"),
    ),
    (
        "check mode update",
        [policy("cache", cache_policy_config())],
        base_args(max_ttl=600, default_ttl=60),
        True,
        dict(changed=True, calls={}, msg="Would have updated cache policy web (default_ttl, max_ttl)"),
    ),
    (
        "check mode no change",
        [WHITELISTED_EXISTING],
        base_args(**WHITELISTED),
        True,
        dict(changed=False, calls={}, msg=None),
    ),
    (
        "delete",
        [policy("cache", cache_policy_config())],
        base_args(state="absent"),
        False,
        dict(changed=True, calls={"delete_policy": 1}, msg="Deleted cache policy web (pol-0001)."),
    ),
    (
        "check mode delete",
        [policy("cache", cache_policy_config())],
        base_args(state="absent"),
        True,
        dict(changed=True, calls={}, msg="Would have deleted cache policy web (pol-0001)"),
    ),
    (
        "delete missing, no change",
        [],
        base_args(state="absent"),
        False,
        dict(changed=False, calls={"delete_policy": 0}, msg="No custom cache policy web, nothing to delete."),
    ),
    (
        "delete leaves the other type alone",
        [policy("origin_request", origin_request_policy_config(name="web"))],
        base_args(state="absent"),
        False,
        dict(changed=False, calls={"delete_policy": 0}, msg="nothing to delete"),
    ),
]


@pytest.mark.parametrize("existing, args, check_mode, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_main(monkeypatch, existing, args, check_mode, expected):
    aws = FakeAWS(existing)

    result = run(monkeypatch, aws, args, check_mode=check_mode).result

    assert "failed" not in result, result
    assert result["changed"] is expected["changed"]
    for name, count in expected["calls"].items():
        assert getattr(aws, name).call_count == count, name
    if check_mode:
        assert aws.mutating_calls() == 0
    if expected["msg"]:
        assert expected["msg"] in result["msg"]
    if args.get("state", "present") == "present":
        assert result["policy"]["name"] == args["name"]
        assert result["policy"]["type"] == args["type"]
    else:
        assert "policy" not in result


def test_create_passes_cache_policy_config(monkeypatch):
    aws = FakeAWS([])
    args = base_args(
        comment="assets",
        default_ttl=60,
        min_ttl=0,
        max_ttl=3600,
        enable_accept_encoding_brotli=False,
        cookies={"behavior": "allExcept", "items": ["session", "csrf", "session"]},
        **WHITELISTED,
    )

    result = run(monkeypatch, aws, args).result

    _client, policy_type, config = aws.create_policy.call_args.args
    assert policy_type == "cache"
    assert config == {
        "Name": "web",
        "Comment": "assets",
        "DefaultTTL": 60,
        "MinTTL": 0,
        "MaxTTL": 3600,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": True,
            "EnableAcceptEncodingBrotli": False,
            "HeadersConfig": {
                "HeaderBehavior": "whitelist",
                "Headers": {"Quantity": 2, "Items": ["Accept-Language", "Origin"]},
            },
            "CookiesConfig": {"CookieBehavior": "allExcept", "Cookies": {"Quantity": 2, "Items": ["csrf", "session"]}},
            "QueryStringsConfig": {
                "QueryStringBehavior": "whitelist",
                "QueryStrings": {"Quantity": 2, "Items": ["lang", "page"]},
            },
        },
    }
    assert result["policy"] == {
        "id": "pol-new1",
        "type": "cache",
        "etag": "E1",
        "last_modified_time": "2025-01-31T12:00:00+00:00",
        "name": "web",
        "comment": "assets",
        "default_ttl": 60,
        "min_ttl": 0,
        "max_ttl": 3600,
        "enable_accept_encoding_gzip": True,
        "enable_accept_encoding_brotli": False,
        "headers": {"behavior": "whitelist", "items": ["Accept-Language", "Origin"]},
        "cookies": {"behavior": "allExcept", "items": ["csrf", "session"]},
        "query_strings": {"behavior": "whitelist", "items": ["lang", "page"]},
    }


def test_create_passes_origin_request_policy_config(monkeypatch):
    aws = FakeAWS([])
    args = base_args(type="origin_request", name="fwd", headers={"behavior": "allViewer"}, cookies={"behavior": "all"})

    result = run(monkeypatch, aws, args).result

    _client, policy_type, config = aws.create_policy.call_args.args
    assert policy_type == "origin_request"
    assert config == {
        "Name": "fwd",
        "Comment": "",
        "HeadersConfig": {"HeaderBehavior": "allViewer"},
        "CookiesConfig": {"CookieBehavior": "all"},
        "QueryStringsConfig": {"QueryStringBehavior": "none"},
    }
    assert "default_ttl" not in result["policy"]
    assert result["policy"]["headers"] == {"behavior": "allViewer", "items": []}


def test_update_sends_whole_config_with_etag(monkeypatch):
    aws = FakeAWS([policy("cache", cache_policy_config(Comment="old"))])
    aws.versions[("cache", "web")] = 7

    result = run(monkeypatch, aws, base_args(comment="new", min_ttl=0)).result

    _client, policy_type, policy_id, config, etag = aws.update_policy.call_args.args
    assert (policy_type, policy_id, etag) == ("cache", "pol-0001", "E7")
    assert config["Comment"] == "new" and config["MinTTL"] == 0 and config["DefaultTTL"] == 86400
    assert result["policy"]["etag"] == "E8"
    assert result["policy"]["comment"] == "new"


def test_delete_in_use_is_a_clear_error(monkeypatch):
    aws = FakeAWS([policy("cache", cache_policy_config())])
    in_use = ClientError({"Error": {"Code": "CachePolicyInUse", "Message": "in use"}}, "DeleteCachePolicy")
    aws.delete_policy.side_effect = AnsibleCloudFrontPolicyError(
        message="Failed to delete cache policy", exception=in_use
    )

    result = run(monkeypatch, aws, base_args(state="absent")).result

    assert result["failed"] is True
    assert result["msg"].startswith("Cannot delete cache policy web (pol-0001): it is still attached")
    assert result["error"]["code"] == "CachePolicyInUse"


def test_delete_origin_request_policy_in_use(monkeypatch):
    aws = FakeAWS([policy("origin_request", origin_request_policy_config())])
    in_use = ClientError({"Error": {"Code": "OriginRequestPolicyInUse", "Message": "in use"}}, "Delete")
    aws.delete_policy.side_effect = AnsibleCloudFrontPolicyError(message="Failed to delete", exception=in_use)

    result = run(monkeypatch, aws, base_args(type="origin_request", name="fwd", state="absent")).result

    assert "Cannot delete origin request policy fwd (pol-0001)" in result["msg"]


def test_aws_error_is_reported(monkeypatch):
    aws = FakeAWS([])
    error = ClientError({"Error": {"Code": "TooManyCachePolicies", "Message": "limit"}}, "CreateCachePolicy")
    aws.create_policy.side_effect = AnsibleCloudFrontPolicyError(
        message="Failed to create cache policy", exception=error
    )

    result = run(monkeypatch, aws, base_args()).result

    assert result["failed"] is True
    assert "Failed to create cache policy" in result["msg"]
    assert result["error"]["code"] == "TooManyCachePolicies"


INVALID = [
    ("bad name", base_args(name="web assets"), "name 'web assets' is not valid"),
    ("name too long", base_args(name="a" * 129), "is not valid"),
    ("comment too long", base_args(comment="c" * 129), "comment is longer than 128"),
    (
        "behaviour unknown",
        base_args(cookies={"behavior": "some"}),
        "cookies.behavior 'some' is not valid for type=cache",
    ),
    ("allViewer on cache", base_args(headers={"behavior": "allViewer"}), "headers.behavior 'allViewer' is not valid"),
    (
        "allExcept headers on cache",
        base_args(headers={"behavior": "allExcept", "items": ["Host"]}),
        "choose one of none, whitelist",
    ),
    ("whitelist without items", base_args(headers={"behavior": "whitelist"}), "headers.items is required"),
    ("allExcept without items", base_args(query_strings={"behavior": "allExcept"}), "query_strings.items is required"),
    ("items with none", base_args(cookies={"behavior": "none", "items": ["a"]}), "cookies.items must be empty"),
    (
        "items with all",
        base_args(query_strings={"behavior": "all", "items": ["a"]}),
        "query_strings.items must be empty",
    ),
    (
        "items with allViewer",
        base_args(type="origin_request", headers={"behavior": "allViewer", "items": ["Host"]}),
        "headers.items must be empty",
    ),
    ("empty item", base_args(headers={"behavior": "whitelist", "items": [""]}), "must not contain empty names"),
    ("default above max", base_args(default_ttl=100, max_ttl=50), "min_ttl <= default_ttl <= max_ttl"),
    ("min above default", base_args(min_ttl=100, default_ttl=50), "min_ttl <= default_ttl <= max_ttl"),
    ("negative ttl", base_args(min_ttl=-1), "min_ttl must not be negative"),
    (
        "ttl on origin request",
        base_args(type="origin_request", default_ttl=60),
        "default_ttl can only be set with type=cache",
    ),
    (
        "encoding on origin request",
        base_args(type="origin_request", enable_accept_encoding_gzip=False),
        "enable_accept_encoding_gzip can only be set with type=cache",
    ),
    ("bad type", base_args(type="response_headers"), "value of type must be one of"),
    ("invalid absent", base_args(name="bad name!", state="absent"), "is not valid"),
]


@pytest.mark.parametrize("args, message", [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_invalid_arguments_fail_before_any_call(monkeypatch, args, message, check_mode):
    aws = FakeAWS([WHITELISTED_EXISTING])
    client = MagicMock()
    monkeypatch.setattr(cloudfront_policy.AnsibleAWSModule, "client", client)

    result = run(monkeypatch, aws, args, check_mode=check_mode).result

    assert result["failed"] is True
    assert message in result["msg"], result["msg"]
    assert aws.all_calls() == 0
    assert client.call_count == 0


DIFF_CASES = [
    (
        "create",
        [],
        base_args(comment="c"),
        False,
        {},
        dict(id="pol-new1", name="web", type="cache", comment="c", default_ttl=86400),
    ),
    (
        "check mode create",
        [],
        base_args(),
        True,
        {},
        dict(name="web", type="cache", min_ttl=1, headers={"behavior": "none", "items": []}),
    ),
    (
        "check mode update",
        [policy("cache", cache_policy_config())],
        base_args(headers={"behavior": "whitelist", "items": ["Host"]}),
        True,
        dict(id="pol-0001", headers={"behavior": "none", "items": []}),
        dict(id="pol-0001", headers={"behavior": "whitelist", "items": ["Host"]}),
    ),
    ("delete", [policy("cache", cache_policy_config())], base_args(state="absent"), False, dict(id="pol-0001"), {}),
]


@pytest.mark.parametrize(
    "existing, args, check_mode, before, after", [c[1:] for c in DIFF_CASES], ids=[c[0] for c in DIFF_CASES]
)
def test_diff(monkeypatch, existing, args, check_mode, before, after):
    aws = FakeAWS(existing)

    result = run(monkeypatch, aws, args, check_mode=check_mode, diff=True).result

    diff = result["diff"]
    assert {k: diff["before"].get(k) for k in before} == before
    assert {k: diff["after"].get(k) for k in after} == after
    if not before:
        assert diff["before"] == {}
    if not after:
        assert diff["after"] == {}
    for side in (diff["before"], diff["after"]):
        assert "etag" not in side and "last_modified_time" not in side


ACTIONS = {
    "check mode create": ["create cloudfront cache policy web"],
    "check mode update": ["update cloudfront cache policy web: default_ttl, max_ttl"],
    "check mode no change": [],
    "delete": ["delete cloudfront cache policy web"],
    "check mode delete": ["delete cloudfront cache policy web"],
    "delete missing, no change": [],
    "same name, other type, created": ["create cloudfront cache policy web"],
}


@pytest.mark.parametrize("case", sorted(ACTIONS))
def test_actions_name_the_change_in_one_line(monkeypatch, case):
    (_name, existing, args, check_mode, _expected), = [c for c in CASES if c[0] == case]
    result = run(monkeypatch, FakeAWS(existing), args, check_mode=check_mode).result
    assert result["actions"] == ACTIONS[case]
