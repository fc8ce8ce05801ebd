# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.ecs_task_definition: main() with module args, our module_utils wrappers replaced by a
fake ECS (no boto3 call)."""

import copy
from unittest.mock import MagicMock

from ansible_collections.atelier.infra.plugins.module_utils.ecs import request
from ansible_collections.atelier.infra.plugins.modules import ecs_task_definition as module

from tests.unit.plugins.modules.utils import AnsibleExitJson
from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

FAMILY = "p-web"
ROLE = "arn:aws:iam::123456789012:role/p-web-execution"
MUTATING = ("register", "deregister", "tag", "untag")


class FakeECS:
    """A family's revisions as ECS keeps them: number -> (definition, status, tags)."""

    def __init__(self, monkeypatch, revisions=0):
        self.revisions = {}
        self.calls = []
        fakes = {"describe_latest": self._latest, "register": self._register, "list_active": self._active,
                 "deregister": self._deregister, "tag": self._tag, "untag": self._untag}
        for name, fake in fakes.items():
            mock = MagicMock(side_effect=fake)
            setattr(self, name, mock)
            monkeypatch.setattr(module, name, mock)
        for _n in range(revisions):
            self._register(None, request(dict(args(), launch_type="FARGATE", network_mode="awsvpc")))
        self.register.reset_mock()

    def _arn(self, n):
        return f"arn:aws:ecs:eu-west-1:1:task-definition/{FAMILY}:{n}"

    def _latest(self, client, family):
        active = [n for n, r in self.revisions.items() if r["status"] == "ACTIVE"]
        if not active:
            return None
        latest = self.revisions[max(active)]
        return {"taskDefinition": copy.deepcopy(latest["definition"]), "tags": list(latest["tags"])}

    def _register(self, client, params):
        n = max(self.revisions, default=0) + 1
        definition = {k: v for k, v in params.items() if k != "tags"}
        for container in definition["containerDefinitions"]:
            container.setdefault("essential", True)
            container.setdefault("cpu", 0)
            for mapping in container.get("portMappings", []):
                mapping.setdefault("protocol", "tcp")
                mapping["hostPort"] = mapping["containerPort"]
        definition.update(taskDefinitionArn=self._arn(n), revision=n, status="ACTIVE")
        self.revisions[n] = {"definition": definition, "status": "ACTIVE", "tags": list(params.get("tags", []))}
        return copy.deepcopy(definition)

    def _active(self, client, family):
        return [self._arn(n) for n, r in self.revisions.items() if r["status"] == "ACTIVE"]

    def _deregister(self, client, arn):
        self.revisions[int(arn.rsplit(":", 1)[1])]["status"] = "INACTIVE"

    def _tag(self, client, arn, tags):
        self.revisions[int(arn.rsplit(":", 1)[1])]["tags"] += [{"key": k, "value": v} for k, v in tags.items()]

    def _untag(self, client, arn, keys):
        revision = self.revisions[int(arn.rsplit(":", 1)[1])]
        revision["tags"] = [t for t in revision["tags"] if t["key"] not in keys]

    def mutations(self):
        return [name for name in MUTATING if getattr(self, name).call_count]


def args(image="node:22", **more):
    result = {"family": FAMILY, "region": "eu-west-1", "cpu": "256", "memory": "512", "execution_role_arn": ROLE,
              "containers": [{"name": "web", "image": image, "portMappings": [{"containerPort": 3000}]}]}
    result.update(more)
    return result


def test_the_first_run_registers_revision_one_and_the_second_changes_nothing(monkeypatch):
    ecs = FakeECS(monkeypatch)
    first = run_main(module, args(tags={"atelier:stack": "p"}))
    assert isinstance(first, AnsibleExitJson) and first.result["changed"] is True
    assert first.result["task_definition"]["revision"] == 1
    assert first.result["actions"] == [f"create task definition {FAMILY}"]
    assert ecs.revisions[1]["tags"] == [{"key": "atelier:stack", "value": "p"}]
    again = run_main(module, args(tags={"atelier:stack": "p"}))
    assert again.result["changed"] is False and again.result["registered"] is False
    assert ecs.register.call_count == 1 and again.result["actions"] == []
    assert again.result["task_definition"]["task_definition_arn"].endswith(":1")


def test_a_new_image_registers_exactly_one_revision_and_check_mode_registers_none(monkeypatch):
    ecs = FakeECS(monkeypatch, revisions=1)
    check = run_main(module, args(image="node:23", _ansible_check_mode=True, _ansible_diff=True))
    assert check.result["changed"] is True and ecs.mutations() == []
    assert check.result["changes"] == ["container web: image"]
    assert check.result["diff"]["after"]["containerDefinitions"][0]["image"] == "node:23"
    assert check.result["actions"] == [f"replace task definition {FAMILY}: container web: image"]
    result = run_main(module, args(image="node:23"))
    assert result.result["task_definition"]["revision"] == 2 and ecs.register.call_count == 1
    assert run_main(module, args(image="node:23")).result["changed"] is False


def test_revisions_beyond_keep_revisions_are_deregistered(monkeypatch):
    ecs = FakeECS(monkeypatch, revisions=4)
    result = run_main(module, args(image="node:23", keep_revisions=2))
    assert result.result["deregistered"] == [ecs._arn(1), ecs._arn(2), ecs._arn(3)]
    assert [n for n, r in ecs.revisions.items() if r["status"] == "ACTIVE"] == [4, 5]
    assert f"delete task definition {FAMILY}:1" in result.result["actions"]


def test_only_tags_that_differ_are_changed_without_a_new_revision(monkeypatch):
    ecs = FakeECS(monkeypatch)
    run_main(module, args(tags={"a": "1", "old": "x"}))
    result = run_main(module, args(tags={"a": "1", "b": "2"}))
    assert result.result["changed"] is True and ecs.register.call_count == 1
    assert result.result["actions"] == [f"update task definition {FAMILY}: tags"]
    assert sorted(t["key"] for t in ecs.revisions[1]["tags"]) == ["a", "b"]


def test_bad_input_fails_before_any_call(monkeypatch):
    ecs = FakeECS(monkeypatch)
    result = run_main(module, args(memory="4096", keep_revisions=-1))
    assert isinstance(result, AnsibleFailJson)
    assert "memory '4096' does not exist on Fargate with cpu 256" in result.result["msg"]
    assert "keep_revisions must be 0 (keep all) or more" in result.result["msg"]
    assert ecs.describe_latest.call_count == 0


def test_absent_deregisters_every_active_revision(monkeypatch):
    ecs = FakeECS(monkeypatch, revisions=2)
    check = run_main(module, args(state="absent", _ansible_check_mode=True))
    assert check.result["changed"] is True and ecs.mutations() == []
    result = run_main(module, args(state="absent"))
    assert result.result["deregistered"] == [ecs._arn(1), ecs._arn(2)]
    assert run_main(module, args(state="absent")).result["changed"] is False
