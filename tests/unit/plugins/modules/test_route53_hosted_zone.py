# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""atelier.infra.route53_hosted_zone's main(): bad input fails before any AWS call; a run's result, diff and plan
actions (the fake Route 53 of the module_utils tests)."""

import pytest

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.atelier.infra.plugins.modules import route53_hosted_zone

from tests.unit.plugins.module_utils.test_dns_zone import COMMENT
from tests.unit.plugins.module_utils.test_dns_zone import OWNER
from tests.unit.plugins.module_utils.test_dns_zone import FakeRoute53
from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

ARGS = {"zone": "example.com", "comment": COMMENT, "owner_tags": OWNER, "tags": {"Name": "example.com"}}


@pytest.fixture(name="route53")
def fixture_route53(monkeypatch):
    fake = FakeRoute53()
    monkeypatch.setattr(AnsibleAWSModule, "client", lambda self, service, **kwargs: fake)
    return fake


@pytest.mark.parametrize("changes, message", [
    ({"zone": "not a zone"}, "zone: 'not a zone' is not a domain name"),
    ({"zone": "com"}, "zone: 'com' is not a domain name"),
    ({"comment": " "}, "comment: must not be empty"),
    ({"owner_tags": {}}, "owner_tags: must name at least one tag"),
])
def test_bad_input_fails_before_any_call(route53, changes, message):
    failed = run_main(route53_hosted_zone, dict(ARGS, **changes))
    assert isinstance(failed, AnsibleFailJson) and message in failed.result["msg"]
    assert route53.calls == []


def test_check_mode_plans_the_create_with_a_diff_and_the_run_makes_it(route53):
    planned = run_main(route53_hosted_zone, dict(ARGS, _ansible_check_mode=True, _ansible_diff=True))
    assert isinstance(planned, AnsibleExitJson) and planned.result["changed"]
    assert planned.result["actions"] == ["create route53 hosted zone example.com"]
    assert planned.result["diff"] == {"before": {}, "after": {"zone": "example.com", "tags": dict(OWNER, Name="example.com")}}
    assert route53.mutations() == []
    made = run_main(route53_hosted_zone, ARGS).result
    assert (made["status"], made["zone"], made["zone_id"] in route53.zones) == ("created", "example.com", True)
    again = run_main(route53_hosted_zone, dict(ARGS, state="absent", _ansible_check_mode=True)).result
    assert (again["changed"], again["actions"]) == (True, ["delete route53 hosted zone example.com"])
    assert made["zone_id"] in route53.zones
