"""The codebuild_* additions: a project driven by its pipeline (CODEPIPELINE source and artifacts, no location), and
UpdateProject. Each test fails against plain moto (``ATELIER_EMULATOR_DISABLE_ADDITIONS=<module>``)."""

import json
import uuid

import pytest

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
ENVIRONMENT = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
               "computeType": "BUILD_GENERAL1_SMALL", "privilegedMode": True}


@pytest.fixture(scope="module")
def role_arn(emulator):
    name = f"build-{uuid.uuid4().hex[:8]}"
    return emulator.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]


def _project(codebuild, role_arn, **more):
    name = f"p-{uuid.uuid4().hex[:8]}"
    codebuild.create_project(name=name, source={"type": "CODEPIPELINE", "buildspec": "version: 0.2"},
                             artifacts={"type": "CODEPIPELINE"}, environment=ENVIRONMENT, serviceRole=role_arn, **more)
    return name


def test_codebuild_pipeline_source_needs_no_location(emulator, role_arn):
    """codebuild_pipeline_source"""
    codebuild = emulator.client("codebuild")
    name = _project(codebuild, role_arn)

    project = codebuild.batch_get_projects(names=[name])["projects"][0]
    assert project["source"] == {"type": "CODEPIPELINE", "buildspec": "version: 0.2"}
    assert project["artifacts"] == {"type": "CODEPIPELINE"}
    # The other types keep their location check.
    with pytest.raises(codebuild.exceptions.InvalidInputException):
        codebuild.create_project(name=f"{name}-s3", source={"type": "S3"}, artifacts={"type": "CODEPIPELINE"},
                                 environment=ENVIRONMENT, serviceRole=role_arn)


def test_codebuild_update_project_changes_what_it_is_given(emulator, role_arn):
    """codebuild_update_project"""
    codebuild = emulator.client("codebuild")
    name = _project(codebuild, role_arn, timeoutInMinutes=30, tags=[{"key": "team", "value": "a"}])

    answer = codebuild.update_project(name=name, timeoutInMinutes=45, environment=dict(ENVIRONMENT, privilegedMode=False),
                                      tags=[{"key": "team", "value": "b"}])["project"]

    project = codebuild.batch_get_projects(names=[name])["projects"][0]
    assert answer["timeoutInMinutes"] == project["timeoutInMinutes"] == 45
    assert project["environment"]["privilegedMode"] is False
    assert project["tags"] == [{"key": "team", "value": "b"}]
    assert project["source"]["type"] == "CODEPIPELINE" and project["serviceRole"] == role_arn
    with pytest.raises(codebuild.exceptions.ResourceNotFoundException):
        codebuild.update_project(name=f"{name}-missing", timeoutInMinutes=10)
