# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of the monitoring filters: what they pass to module_utils/monitoring.py and what they refuse."""

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.filter import monitoring as filters
from tests.unit.plugins.module_utils.monitoring_cases import INPUTS
from tests.unit.plugins.module_utils.monitoring_cases import RESOURCES
from tests.unit.plugins.module_utils.monitoring_cases import TABLE_INFO
from tests.unit.plugins.module_utils.monitoring_cases import TOPIC


def test_filters_are_registered():
    assert filters.FilterModule().filters() == {
        "monitoring_errors": filters.monitoring_errors,
        "monitoring_targets": filters.monitoring_targets,
        "monitoring_planned": filters.monitoring_planned,
        "monitoring_alarms": filters.monitoring_alarms,
        "monitoring_dashboard": filters.monitoring_dashboard,
        "monitoring_subscriptions": filters.monitoring_subscriptions,
    }


def test_from_resources_to_alarms_and_dashboard():
    watched = filters.monitoring_targets(RESOURCES, INPUTS, TABLE_INFO)

    alarms = filters.monitoring_alarms(watched, INPUTS, TOPIC)
    body = filters.monitoring_dashboard(watched, INPUTS)

    assert len(alarms) == 11 and {a["alarm_actions"][0] for a in alarms} == {TOPIC}
    assert len(body["widgets"]) == 13


def test_a_none_topic_means_no_actions():
    watched = filters.monitoring_targets(RESOURCES, INPUTS)

    assert {len(a["alarm_actions"]) for a in filters.monitoring_alarms(watched, INPUTS, None)} == {0}


def test_errors_of_the_inputs():
    assert filters.monitoring_errors(dict(INPUTS, monitoring_period=45)) == [
        "monitoring_period must be 10, 20, 30 or a multiple of 60 seconds (got 45)"
    ]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: filters.monitoring_errors(["monitoring_period"]), "monitoring_errors: the inputs are a dict"),
        (lambda: filters.monitoring_targets("resources", INPUTS), "expected tagged_resources_info's resources"),
        (lambda: filters.monitoring_targets([], {"monitoring_tiers": []}), "monitoring_targets: the inputs lack monitoring_name_prefix"),
        (lambda: filters.monitoring_targets([], dict(INPUTS, monitoring_tiers=[{"port": 1}])), "monitoring_targets: invalid inputs: monitoring_tiers"),
        (lambda: filters.monitoring_alarms({"tiers": []}, INPUTS), "monitoring_alarms: expected what monitoring_targets returns"),
        (
            lambda: filters.monitoring_alarms(filters.monitoring_targets([], INPUTS), {"monitoring_name_prefix": "x"}),
            "monitoring_alarms: the inputs lack monitoring_period",
        ),
        (lambda: filters.monitoring_dashboard(filters.monitoring_targets([], INPUTS), {"monitoring_period": 60}), "lack monitoring_region"),
        (lambda: filters.monitoring_subscriptions("ops@example.com"), "expected a list of e-mail addresses"),
    ],
)
def test_what_the_filters_refuse(call, message):
    with pytest.raises(AnsibleFilterError, match=message):
        call()


def test_subscriptions():
    assert filters.monitoring_subscriptions(["ops@example.com"]) == [{"protocol": "email", "endpoint": "ops@example.com"}]


def test_monitoring_planned_refuses_what_is_not_a_list():
    watched = filters.monitoring_targets([], INPUTS)
    made = {"tiers": ["web"], "databases": [], "tables": [], "run_tags": ["all"], "skip_tags": []}
    assert filters.monitoring_planned(watched, INPUTS, made)["tiers"][0]["load_balancer"]["name"] == "dev-atelier-web"
    with pytest.raises(AnsibleFilterError, match="made.databases must be a list"):
        filters.monitoring_planned(watched, INPUTS, dict(made, databases="dev-atelier-postgres"))
    with pytest.raises(AnsibleFilterError, match="made is a dict"):
        filters.monitoring_planned(watched, INPUTS, [])
