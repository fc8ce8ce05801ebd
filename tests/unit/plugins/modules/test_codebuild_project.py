# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of atelier.infra.codebuild_project and atelier.infra.codepipeline_pipeline: main() driven with module
args, the delivery module_utils calls replaced by fakes (no boto3 call, no network)."""

import copy
from unittest.mock import MagicMock

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import delivery
from ansible_collections.atelier.infra.plugins.modules import codebuild_project
from ansible_collections.atelier.infra.plugins.modules import codepipeline_pipeline

from tests.unit.plugins.modules.utils import AnsibleFailJson
from tests.unit.plugins.modules.utils import run_main

PROJECT = {
    "source": {"type": "CODEPIPELINE", "buildspec": "version: 0.2"},
    "artifacts": {"type": "CODEPIPELINE"},
    "environment": {"type": "LINUX_CONTAINER", "image": "img", "computeType": "BUILD_GENERAL1_SMALL", "privilegedMode": True},
    "serviceRole": "arn:aws:iam::123456789012:role/b",
}
PIPELINE = {
    "roleArn": "arn:aws:iam::123456789012:role/p",
    "artifactStore": {"type": "S3", "location": "art"},
    "stages": [{"name": "Source", "actions": [{"name": "Source"}]}, {"name": "Build", "actions": [{"name": "Build"}]}],
}
ARN = "arn:aws:codepipeline:us-east-1:123456789012:dev-api"


class Fake:
    """The delivery calls of both modules over two dicts (projects, pipelines)."""

    def __init__(self, monkeypatch, projects=None, pipelines=None, tags=None):
        self.projects = copy.deepcopy(projects or {})
        self.pipelines = copy.deepcopy(pipelines or {})
        self.tags = dict(tags or {})
        calls = {
            "get_project": lambda c, n: copy.deepcopy(self.projects.get(n)),
            "create_project": lambda c, p: self.projects.setdefault(p["name"], dict(p, arn="arn:" + p["name"])),
            "update_project": lambda c, p: self.projects[p["name"]].update(p) or self.projects[p["name"]],
            "delete_project": lambda c, n: self.projects.pop(n) and True,
            "get_pipeline": lambda c, n: copy.deepcopy({"pipeline": self.pipelines[n], "metadata": {"pipelineArn": ARN}})
            if n in self.pipelines else None,
            "create_pipeline": lambda c, p, t: self.pipelines.setdefault(p["name"], dict(p, version=1)),
            "update_pipeline": lambda c, p: self.pipelines[p["name"]].update(p, version=p["version"] + 1),
            "delete_pipeline": lambda c, n: self.pipelines.pop(n) and True,
            "list_pipeline_tags": lambda c, a: [{"key": k, "value": v} for k, v in self.tags.items()],
            "tag_pipeline": lambda c, a, t: self.tags.update({i["key"]: i["value"] for i in t}),
            "untag_pipeline": lambda c, a, keys: [self.tags.pop(k) for k in keys],
        }
        self.mocks = {}
        for name, function in calls.items():
            self.mocks[name] = MagicMock(side_effect=function)
            monkeypatch.setattr(delivery, name, self.mocks[name])

    def mutations(self):
        return sorted(n for n, m in self.mocks.items() if m.called and not n.startswith(("get", "list")))


def project_args(**more):
    return dict({"name": "dev-api", "project": PROJECT, "tags": {"env": "dev"}, "region": "us-east-1"}, **more)


def pipeline_args(**more):
    return dict({"name": "dev-api", "pipeline": PIPELINE, "tags": {"env": "dev"}, "region": "us-east-1"}, **more)


def test_a_project_is_created_then_left_alone(monkeypatch):
    aws = Fake(monkeypatch)
    first = run_main(codebuild_project, project_args()).result
    assert first["changed"] and first["actions"] == ["create codebuild project dev-api"]
    # AWS adds its defaults (imagePullCredentialsType ...) and describes tags as a list: no difference.
    aws.projects["dev-api"]["environment"]["imagePullCredentialsType"] = "CODEBUILD"
    aws = Fake(monkeypatch, aws.projects)
    again = run_main(codebuild_project, project_args()).result
    assert again["changed"] is False and again["actions"] == [] and aws.mutations() == []


def test_a_changed_project_is_updated_and_check_mode_only_reads(monkeypatch):
    held = {"dev-api": dict(PROJECT, name="dev-api", arn="arn:p", tags=[{"key": "env", "value": "dev"}])}
    changed = copy.deepcopy(PROJECT)
    changed["environment"]["image"] = "img2"
    aws = Fake(monkeypatch, held)
    plan = run_main(codebuild_project, project_args(project=changed, _ansible_check_mode=True, _ansible_diff=True)).result
    assert plan["changed"] and plan["actions"] == ["update codebuild project dev-api: environment.image"]
    assert plan["diff"]["after"]["environment"]["image"] == "img2" and aws.mutations() == []
    run = run_main(codebuild_project, project_args(project=changed, tags={"env": "prod"})).result
    assert run["actions"] == ["update codebuild project dev-api: environment.image, tags"]
    assert aws.mutations() == ["update_project"]
    assert aws.mocks["update_project"].call_args[0][1]["tags"] == [{"key": "env", "value": "prod"}]


def test_a_project_is_deleted(monkeypatch):
    aws = Fake(monkeypatch, {"dev-api": dict(PROJECT, name="dev-api")})
    assert run_main(codebuild_project, project_args(state="absent", _ansible_check_mode=True)).result["changed"]
    assert aws.mutations() == []
    assert run_main(codebuild_project, project_args(state="absent")).result["actions"] == ["delete codebuild project dev-api"]
    assert run_main(codebuild_project, project_args(state="absent")).result["changed"] is False


@pytest.mark.parametrize("module_args, fragment", [
    (project_args(name="x"), "name must be 2 to 150"),
    (project_args(project={"source": {"type": "CODEPIPELINE"}}), "project needs artifacts, environment, serviceRole"),
    (project_args(project=dict(PROJECT, tags=[])), "project must not hold tags"),
])
def test_bad_project_input_fails_before_any_call(monkeypatch, module_args, fragment):
    aws = Fake(monkeypatch)
    result = run_main(codebuild_project, module_args)
    assert isinstance(result, AnsibleFailJson) and fragment in result.result["msg"]
    assert not any(m.called for m in aws.mocks.values())


def test_a_pipeline_is_created_then_left_alone(monkeypatch):
    aws = Fake(monkeypatch)
    first = run_main(codepipeline_pipeline, pipeline_args()).result
    assert first["actions"] == ["create codepipeline pipeline dev-api"] and first["arn"] == ARN
    aws = Fake(monkeypatch, pipelines=aws.pipelines, tags={"env": "dev"})
    again = run_main(codepipeline_pipeline, pipeline_args()).result
    assert again["changed"] is False and aws.mutations() == []


def test_a_changed_pipeline_is_updated_with_its_version_and_tags(monkeypatch):
    held = {"dev-api": dict(PIPELINE, name="dev-api", version=4, pipelineType="V1")}
    changed = copy.deepcopy(PIPELINE)
    changed["stages"].append({"name": "Deploy", "actions": [{"name": "Deploy"}]})
    aws = Fake(monkeypatch, pipelines=held, tags={"env": "dev", "old": "x"})
    plan = run_main(codepipeline_pipeline, pipeline_args(pipeline=changed, _ansible_check_mode=True)).result
    assert plan["actions"] == ["update codepipeline pipeline dev-api: stages, tags"] and aws.mutations() == []
    run_main(codepipeline_pipeline, pipeline_args(pipeline=changed))
    sent = aws.mocks["update_pipeline"].call_args[0][1]
    assert sent["version"] == 4 and sent["pipelineType"] == "V1" and len(sent["stages"]) == 3
    assert aws.tags == {"env": "dev"}
    assert aws.mutations() == ["untag_pipeline", "update_pipeline"]


def test_only_tags_changed_makes_no_update_call(monkeypatch):
    aws = Fake(monkeypatch, pipelines={"dev-api": dict(PIPELINE, name="dev-api", version=1)}, tags={})
    result = run_main(codepipeline_pipeline, pipeline_args()).result
    assert result["actions"] == ["update codepipeline pipeline dev-api: tags"]
    assert aws.mutations() == ["tag_pipeline"]


@pytest.mark.parametrize("module_args, fragment", [
    (pipeline_args(name="bad name"), "name must be 1 to 100"),
    (pipeline_args(pipeline={"roleArn": "r"}), "pipeline needs artifactStore, stages"),
    (pipeline_args(pipeline=dict(PIPELINE, stages=[{"name": "Source"}])), "at least two stages"),
])
def test_bad_pipeline_input_fails_before_any_call(monkeypatch, module_args, fragment):
    aws = Fake(monkeypatch)
    result = run_main(codepipeline_pipeline, module_args)
    assert isinstance(result, AnsibleFailJson) and fragment in result.result["msg"]
    assert not any(m.called for m in aws.mocks.values())
