# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.cloudwatch_dashboard: main() is driven with module args, and our own
module_utils wrappers are replaced by a fake (no boto3 call, no network)."""

import json
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.atelier.infra.plugins.modules import cloudwatch_dashboard

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

ARN = "arn:aws:cloudwatch::123456789012:dashboard/{}"
BODY = {"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2, "properties": {"markdown": "hi"}}]}


class FakeDashboards:
    def __init__(self, monkeypatch, existing=None, messages=()):
        self.bodies = dict(existing or {})
        self.messages = list(messages)
        self.get_dashboard = MagicMock(side_effect=self._get)
        self.put_dashboard = MagicMock(side_effect=self._put)
        self.delete_dashboard = MagicMock(side_effect=self._delete)
        for name in ("get_dashboard", "put_dashboard", "delete_dashboard"):
            monkeypatch.setattr(cloudwatch_dashboard, name, getattr(self, name))

    def _get(self, client, name):
        if name not in self.bodies:
            return None
        return {"DashboardName": name, "DashboardArn": ARN.format(name), "DashboardBody": self.bodies[name]}

    def _put(self, client, name, body):
        self.bodies[name] = body
        return self.messages

    def _delete(self, client, name):
        del self.bodies[name]
        return True


def args(**overrides):
    result = {"name": "dev-overview", "body": BODY, "region": "us-east-1"}
    result.update(overrides)
    return result


def test_creates_the_dashboard(monkeypatch):
    aws = FakeDashboards(monkeypatch)
    result = run_main(cloudwatch_dashboard, args())
    assert isinstance(result, AnsibleExitJson)
    assert result.result["changed"] is True
    assert result.result["arn"] == ARN.format("dev-overview")
    assert json.loads(aws.bodies["dev-overview"]) == BODY


@pytest.mark.parametrize(
    "stored",
    [
        json.dumps(BODY, indent=2),
        # Other key order and white space: the same data.
        '{"widgets":[{"properties":{"markdown":"hi"},"height":2,"width":6,"y":0,"x":0,"type":"text"}]}',
    ],
)
@pytest.mark.parametrize("body", [BODY, json.dumps(BODY)])
def test_same_body_changes_nothing(monkeypatch, stored, body):
    aws = FakeDashboards(monkeypatch, {"dev-overview": stored})
    result = run_main(cloudwatch_dashboard, args(body=body))
    assert result.result["changed"] is False
    assert result.result["body"] == BODY
    assert aws.put_dashboard.call_count == 0


def test_different_body_is_put_with_warnings(monkeypatch):
    aws = FakeDashboards(monkeypatch, {"dev-overview": json.dumps({"widgets": []})},
                         messages=[{"DataPath": "/widgets/0", "Message": "Should have region"}])
    result = run_main(cloudwatch_dashboard, args(_ansible_diff=True))
    assert result.result["changed"] is True
    assert result.result["diff"] == {"before": {"widgets": []}, "after": BODY}
    assert any("Should have region" in warning for warning in result.result.get("warnings", []))
    assert json.loads(aws.bodies["dev-overview"]) == BODY


@pytest.mark.parametrize("existing", [{}, {"dev-overview": json.dumps({"widgets": []})}])
def test_check_mode_writes_nothing(monkeypatch, existing):
    aws = FakeDashboards(monkeypatch, existing)
    result = run_main(cloudwatch_dashboard, args(_ansible_check_mode=True))
    assert result.result["changed"] is True
    assert result.result["msg"].startswith("Would have " + ("updated" if existing else "created"))
    assert aws.put_dashboard.call_count == 0


def test_absent(monkeypatch):
    aws = FakeDashboards(monkeypatch, {"dev-overview": json.dumps(BODY)})
    check = run_main(cloudwatch_dashboard, args(state="absent", body=None, _ansible_check_mode=True))
    assert check.result["changed"] is True and aws.delete_dashboard.call_count == 0
    assert run_main(cloudwatch_dashboard, args(state="absent", body=None)).result["changed"] is True
    assert aws.bodies == {}
    assert run_main(cloudwatch_dashboard, args(state="absent", body=None)).result["changed"] is False


@pytest.mark.parametrize(
    "module_args, fragment",
    [
        (args(name="bad name"), "name must be 1 to 255"),
        (args(body=None), "body is required"),
        (args(body="{not json"), "body is not valid JSON"),
        (args(body="[1, 2]"), "body must be a JSON object"),
    ],
)
def test_bad_input_fails_before_any_call(monkeypatch, module_args, fragment):
    aws = FakeDashboards(monkeypatch)
    result = run_main(cloudwatch_dashboard, module_args)
    assert isinstance(result, AnsibleFailJson)
    assert fragment in result.result["msg"]
    assert aws.get_dashboard.call_count == 0


def test_refused_body_fails(monkeypatch):
    aws = FakeDashboards(monkeypatch)
    aws.put_dashboard.side_effect = AnsibleCloudWatchError(message="Failed to put dashboard")
    result = run_main(cloudwatch_dashboard, args())
    assert isinstance(result, AnsibleFailJson)
    assert "Failed to put dashboard" in result.result["msg"]


@pytest.mark.parametrize(
    "existing, overrides, actions",
    [
        ({}, {}, ["create cloudwatch dashboard dev-overview"]),
        ({"dev-overview": json.dumps({"widgets": []})}, {}, ["update cloudwatch dashboard dev-overview: widgets"]),
        ({"dev-overview": json.dumps(BODY)}, {}, []),
        ({"dev-overview": json.dumps(BODY)}, {"state": "absent", "body": None}, ["delete cloudwatch dashboard dev-overview"]),
        ({}, {"state": "absent", "body": None}, []),
    ],
    ids=["create", "update", "no change", "delete", "absent missing"],
)
@pytest.mark.parametrize("check_mode", [True, False])
def test_actions_name_the_change_in_one_line(monkeypatch, existing, overrides, actions, check_mode):
    FakeDashboards(monkeypatch, dict(existing))
    result = run_main(cloudwatch_dashboard, args(_ansible_check_mode=check_mode, **overrides))
    assert result.result["actions"] == actions
