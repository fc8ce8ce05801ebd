# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ecs_cluster: main() with module args, our module_utils wrappers replaced by a fake ECS."""

import copy
from unittest.mock import MagicMock

from ansible_collections.atelier.infra.plugins.modules import ecs_cluster as module

from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

NAME = "p-shop"
ARN = f"arn:aws:ecs:eu-west-1:1:cluster/{NAME}"
MUTATING = ("create_cluster", "update_cluster_settings", "put_capacity_providers", "tag", "untag", "delete_cluster")


class FakeECS:
    def __init__(self, monkeypatch, cluster=None):
        self.cluster = copy.deepcopy(cluster)
        fakes = {
            "describe_cluster": lambda client, name: copy.deepcopy(self.cluster),
            "create_cluster": self._create,
            "update_cluster_settings": lambda client, name, settings: self.cluster.update(settings=settings),
            "put_capacity_providers": lambda client, name, providers, strategy: self.cluster.update(
                capacityProviders=providers, defaultCapacityProviderStrategy=strategy),
            "tag": lambda client, arn, tags: self.cluster["tags"].extend({"key": k, "value": v} for k, v in tags.items()),
            "untag": lambda client, arn, keys: self.cluster.update(tags=[t for t in self.cluster["tags"] if t["key"] not in keys]),
            "delete_cluster": lambda client, name: self.__dict__.update(cluster=None),
        }
        for name, fake in fakes.items():
            mock = MagicMock(side_effect=fake)
            setattr(self, name, mock)
            monkeypatch.setattr(module, name, mock)

    def _create(self, client, params):
        self.cluster = {"clusterArn": ARN, "clusterName": params["clusterName"], "status": "ACTIVE",
                        "settings": params["settings"], "capacityProviders": params["capacityProviders"],
                        "defaultCapacityProviderStrategy": params["defaultCapacityProviderStrategy"],
                        "tags": params.get("tags", [])}

    def mutations(self):
        return [name for name in MUTATING if getattr(self, name).call_count]


def args(**more):
    result = {"name": NAME, "region": "eu-west-1", "tags": {"atelier:stack": "shop"}}
    result.update(more)
    return result


def test_created_with_insights_both_providers_and_tags_then_nothing_to_do(monkeypatch):
    ecs = FakeECS(monkeypatch)
    first = run_main(module, args())
    assert first.result["changed"] is True and first.result["actions"] == [f"create ecs cluster {NAME}"]
    assert ecs.cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert ecs.cluster["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    assert ecs.cluster["defaultCapacityProviderStrategy"] == [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]
    second = run_main(module, args())
    assert second.result["changed"] is False and ecs.create_cluster.call_count == 1
    assert second.result["cluster"]["cluster_arn"] == ARN


def test_only_what_differs_is_changed_and_check_mode_changes_nothing(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args())
    ecs.create_cluster.reset_mock()
    spot = [{"capacity_provider": "FARGATE", "weight": 1, "base": 2}, {"capacity_provider": "FARGATE_SPOT", "weight": 3}]
    check = run_main(module, args(default_capacity_provider_strategy=spot, tags={"atelier:stack": "shop", "team": "a"},
                                  _ansible_check_mode=True))
    assert check.result["changed"] is True and ecs.mutations() == []
    assert check.result["changes"] == ["capacity providers", "tags"]
    run_main(module, args(default_capacity_provider_strategy=spot, tags={"atelier:stack": "shop", "team": "a"}))
    assert ecs.mutations() == ["put_capacity_providers", "tag"]
    assert run_main(module, args(default_capacity_provider_strategy=spot, tags={"atelier:stack": "shop", "team": "a"})).result["changed"] is False


def test_bad_strategy_fails_before_any_call(monkeypatch):
    ecs = FakeECS(monkeypatch)
    result = run_main(module, args(capacity_providers=["FARGATE"],
                                   default_capacity_provider_strategy=[{"capacity_provider": "FARGATE_SPOT", "weight": 1}]))
    assert isinstance(result, AnsibleFailJson) and "is not one of capacity_providers" in result.result["msg"]
    assert ecs.describe_cluster.call_count == 0


def test_absent(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args())
    assert run_main(module, args(state="absent", _ansible_check_mode=True)).result["changed"] is True and ecs.cluster
    assert run_main(module, args(state="absent")).result["actions"] == [f"delete ecs cluster {NAME}"]
    assert ecs.cluster is None and run_main(module, args(state="absent")).result["changed"] is False
