# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cloudfront_origin_access_control: main() driven with module args, our
module_utils wrappers replaced by a fake account (no boto3 call, no network)."""

import copy
from unittest.mock import MagicMock

from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import AnsibleCloudFrontError
from ansible_collections.atelier.infra.plugins.modules import cloudfront_origin_access_control as module

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

MUTATING = ("create_origin_access_control", "update_origin_access_control", "delete_origin_access_control")


class InUse(Exception):
    response = {"Error": {"Code": "OriginAccessControlInUse", "Message": "in use"}}


class FakeAWS:
    def __init__(self, controls=(), distributions=()):
        self.controls = {c["Id"]: [copy.deepcopy(c), "ETAG1"] for c in controls}
        self.distributions = list(distributions)
        self.list_origin_access_controls = MagicMock(side_effect=lambda client: [dict(c, Id=i) for i, (c, _e) in self.controls.items()])
        self.get_origin_access_control = MagicMock(side_effect=self._get)
        self.create_origin_access_control = MagicMock(side_effect=self._create)
        self.update_origin_access_control = MagicMock(side_effect=self._update)
        self.delete_origin_access_control = MagicMock(side_effect=self._delete)
        self.list_distributions = MagicMock(side_effect=lambda client: copy.deepcopy(self.distributions))
        self.refuse_delete = False

    def _get(self, client, control_id):
        if control_id not in self.controls:
            return None, None
        config, etag = self.controls[control_id]
        return {"Id": control_id, "OriginAccessControlConfig": {k: v for k, v in config.items() if k != "Id"}}, etag

    def _create(self, client, config):
        self.controls["ENEW"] = [dict(config, Id="ENEW"), "ETAG1"]
        return {"Id": "ENEW", "OriginAccessControlConfig": copy.deepcopy(config)}, "ETAG1"

    def _update(self, client, control_id, config, etag):
        assert etag == self.controls[control_id][1], "update must pass the current ETag"
        self.controls[control_id] = [dict(config, Id=control_id), "ETAG2"]
        return {"Id": control_id, "OriginAccessControlConfig": copy.deepcopy(config)}, "ETAG2"

    def _delete(self, client, control_id, etag):
        if self.refuse_delete:
            error = AnsibleCloudFrontError(message="Failed to delete origin access control")
            error.exception = InUse()
            raise error
        assert etag == self.controls[control_id][1]
        del self.controls[control_id]
        return True

    def mutating_calls(self):
        return {name: getattr(self, name).call_count for name in MUTATING if getattr(self, name).call_count}


def control(**overrides):
    config = {
        "Id": "E1OAC",
        "Name": "prod-site",
        "Description": "",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }
    config.update(overrides)
    return config


def run(monkeypatch, aws, check_mode=False, **args):
    for name in ("list_origin_access_controls", "get_origin_access_control", "list_distributions") + MUTATING:
        monkeypatch.setattr(module, name, getattr(aws, name))
    return run_main(module, dict({"name": "prod-site", "region": "us-east-1"}, _ansible_check_mode=check_mode, **args))


def test_creates_an_s3_oac_signing_always_with_sigv4(monkeypatch):
    aws = FakeAWS()
    result = run(monkeypatch, aws)
    assert isinstance(result, AnsibleExitJson) and result.result["changed"] is True
    assert aws.create_origin_access_control.call_args.args[1] == {
        "Name": "prod-site",
        "Description": "",
        "SigningProtocol": "sigv4",
        "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3",
    }
    assert result.result["origin_access_control"]["id"] == "ENEW"
    assert result.result["origin_access_control"]["etag"] == "ETAG1"


def test_check_mode_creates_nothing(monkeypatch):
    aws = FakeAWS()
    result = run(monkeypatch, aws, check_mode=True)
    assert result.result["changed"] is True and result.result["actions"] == ["create cloudfront origin access control prod-site"]
    assert aws.mutating_calls() == {}


def test_an_unchanged_oac_makes_no_mutating_call_and_returns_id_and_etag(monkeypatch):
    aws = FakeAWS([control()])
    result = run(monkeypatch, aws)
    assert result.result["changed"] is False
    assert aws.mutating_calls() == {}
    assert result.result["origin_access_control"]["id"] == "E1OAC"
    assert result.result["origin_access_control"]["etag"] == "ETAG1"


def test_a_changed_description_updates_with_the_etag(monkeypatch):
    aws = FakeAWS([control()])
    result = run(monkeypatch, aws, check_mode=True, description="site")
    assert result.result["changed"] is True and aws.mutating_calls() == {}
    result = run(monkeypatch, aws, description="site")
    assert result.result["actions"] == ["update cloudfront origin access control prod-site: description"]
    assert aws.update_origin_access_control.call_count == 1
    assert result.result["origin_access_control"]["etag"] == "ETAG2"


def test_absent_deletes_an_unused_oac(monkeypatch):
    aws = FakeAWS([control()])
    result = run(monkeypatch, aws, check_mode=True, state="absent")
    assert result.result["changed"] is True and aws.mutating_calls() == {}
    result = run(monkeypatch, aws, state="absent")
    assert result.result["changed"] is True and aws.controls == {}
    result = run(monkeypatch, aws, state="absent")
    assert result.result["changed"] is False


def test_absent_keeps_an_oac_an_origin_still_names(monkeypatch):
    users = [{"Id": "EDIST", "Origins": {"Items": [{"Id": "site", "OriginAccessControlId": "E1OAC"}]}}]
    aws = FakeAWS([control()], users)
    result = run(monkeypatch, aws, state="absent")
    assert result.result["changed"] is False
    assert result.result["in_use_by"] == ["EDIST"]
    assert "still name it" in result.result["msg"]
    assert aws.mutating_calls() == {}


def test_absent_keeps_an_oac_cloudfront_says_is_in_use(monkeypatch):
    aws = FakeAWS([control()])
    aws.refuse_delete = True
    result = run(monkeypatch, aws, state="absent")
    assert isinstance(result, AnsibleExitJson), result.result
    assert result.result["changed"] is False and "still names it" in result.result["msg"]


def test_a_too_long_name_fails_before_any_call(monkeypatch):
    aws = FakeAWS()
    result = run(monkeypatch, aws, name="x" * 65)
    assert isinstance(result, AnsibleFailJson) and "64 characters" in result.result["msg"]
    assert aws.list_origin_access_controls.call_count == 0
