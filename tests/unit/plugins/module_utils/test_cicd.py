# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests of plugins/module_utils/cicd.py (the cicd role's checks and pipelines), stack.cicd_names and
delivery.differences."""

import json

import pytest

from ansible_collections.atelier.infra.plugins.module_utils import cicd
from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils.delivery import differences

CONNECTION = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0f1e2d3c-aaaa"
TIERS = [{"name": "api", "runtime": "fargate", "image": "backend:1.2"}, {"name": "web", "runtime": "static"},
         {"name": "old", "image": "old"}, {"name": "ext", "runtime": "fargate", "image": "ghcr.io/acme/api:1"}]
BACKEND = {"name": "api", "tier": "api", "kind": "backend",
           "source": {"connection_arn": CONNECTION, "repository": "acme/cruddur", "branch": "main"}}
FRONTEND = {"name": "web", "tier": "web", "kind": "frontend", "site_bucket": "dev-shop-web", "distribution_id": "E2ABCDEF1234",
            "source": {"bucket": "dev-shop-src", "key": "web.zip"}, "build_dir": "dist"}


def inputs(*pipelines, **more):
    values = {"cicd_name_prefix": "dev-shop", "cicd_region": "eu-west-1", "cicd_tiers": TIERS,
              "cicd_pipelines": list(pipelines), "cicd_artifacts_expiration_days": 30}
    values.update(more)
    return values


def test_cicd_names_follow_the_prefix():
    assert stack.cicd_names("dev-shop") == {"artifacts_bucket": "dev-shop-pipeline-artifacts"}
    names = stack.cicd_names("dev-shop", "api")
    assert (names["project"], names["pipeline"], names["build_role"], names["pipeline_role"], names["build_log_group"]) == (
        "dev-shop-api", "dev-shop-api", "dev-shop-api-build", "dev-shop-api-pipeline", "/aws/codebuild/dev-shop-api")


def test_valid_pipelines_have_no_errors():
    assert cicd.errors(inputs(BACKEND, FRONTEND)) == []
    assert cicd.errors(inputs()) == []


@pytest.mark.parametrize("pipeline, fragment", [
    (dict(BACKEND, tier="nope"), "the tier 'nope' is not a tier of the stack (atelier_tiers: api, ext, old, web)"),
    (dict(BACKEND, tier="old"), "a backend pipeline delivers to a tier of runtime fargate; the tier old runs on ec2"),
    (dict(BACKEND, tier="web"), "the tier web runs on static"),
    (dict(FRONTEND, tier="api"), "a frontend pipeline delivers to a tier of runtime static; the tier api runs on fargate"),
    (dict(BACKEND, tier="ext"), "is in another registry"),
    (dict(BACKEND, kind="lambda"), "kind must be one of backend, frontend"),
    (dict(BACKEND, source=dict(BACKEND["source"], bucket="b-src", key="k.zip")), "names both a connection"),
    (dict(BACKEND, source={}), "source needs connection_arn"),
    (dict(BACKEND, source="git"), "source must be a dict"),
    (dict(BACKEND, source=dict(BACKEND["source"], connection_arn="arn:aws:iam::1:role/x")), "must be a CodeStar connection ARN"),
    (dict(BACKEND, source=dict(BACKEND["source"], repository="cruddur")), "source.repository must be <owner>/<repository>"),
    (dict(BACKEND, source=dict(BACKEND["source"], branch="")), "source.branch must be a branch name"),
    (dict(FRONTEND, source={"bucket": "Bad_Bucket", "key": "/k"}), "source.bucket must be an S3 bucket name"),
    (dict(FRONTEND, source={"bucket": "b-src", "key": "/k"}), "source.key must be the key"),
    (dict(FRONTEND, site_bucket=None), "a frontend pipeline needs site_bucket"),
    (dict(FRONTEND, distribution_id="x"), "a frontend pipeline needs distribution_id"),
    (dict(BACKEND, directory="../up"), "directory must be a relative path"),
    (dict(BACKEND, compute_type="HUGE"), "compute_type must be one of"),
    (dict(BACKEND, timeout=1), "timeout must be 5 to 480 minutes"),
    (dict(BACKEND, colour="red"), "unknown keys colour"),
    (dict(BACKEND, name="Api"), "the name 'Api' must be a lowercase letter"),
    ("api", "'api' is a name; a pipeline is a dict"),
])
def test_bad_pipelines_are_named(pipeline, fragment):
    found = cicd.errors(inputs(pipeline))
    assert any(fragment in error for error in found), found


def test_other_bad_inputs():
    assert any("given twice" in e for e in cicd.errors(inputs(BACKEND, BACKEND)))
    assert any("cicd_pipelines must be a list" in e for e in cicd.errors(inputs(cicd_pipelines={"api": BACKEND})))
    assert any("cicd_artifacts_expiration_days" in e for e in cicd.errors(inputs(cicd_artifacts_expiration_days=0)))
    long_names = cicd.errors(inputs(dict(BACKEND, name="a" * 30), cicd_name_prefix="p" * 40))
    assert any(f"the pipeline role name {'p' * 40}-{'a' * 30}-pipeline is 80 characters; AWS allows 64" in e for e in long_names)
    assert any("cicd_name_prefix" in e for e in cicd.errors(inputs(cicd_name_prefix="Dev Shop")))


def test_tier_repository_is_the_image_repository_under_the_stack_namespace():
    assert cicd.tier_repository("dev-shop", {"name": "api", "image": "backend:1.2"}) == "dev-shop/backend"
    assert cicd.tier_repository("dev-shop", {"name": "api", "image": "team/backend@sha256:ab"}) == "dev-shop/team/backend"
    assert cicd.tier_repository("dev-shop", {"name": "api"}) == "dev-shop/api"


def test_a_backend_pipeline_builds_pushes_and_deploys_to_its_service():
    (p,) = cicd.pipelines(inputs(BACKEND), "123456789012")
    env = {v["name"]: v["value"] for v in p["project"]["environment"]["environmentVariables"]}
    assert env == {"CONTAINER_NAME": "api", "SOURCE_DIR": ".",
                   "REPOSITORY_URI": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dev-shop/backend"}
    assert p["project"]["environment"]["privilegedMode"] is True
    assert p["project"]["serviceRole"] == "arn:aws:iam::123456789012:role/dev-shop-api-build"
    assert json.loads(p["project"]["source"]["buildspec"])["artifacts"] == {"files": ["imagedefinitions.json"]}
    stages = p["pipeline"]["stages"]
    assert [s["name"] for s in stages] == ["Source", "Build", "Deploy"]
    assert stages[0]["actions"][0]["configuration"]["ConnectionArn"] == CONNECTION
    assert stages[2]["actions"][0]["configuration"] == {"ClusterName": "dev-shop", "ServiceName": "dev-shop-api",
                                                         "FileName": "imagedefinitions.json"}
    assert p["pipeline"]["artifactStore"] == {"type": "S3", "location": "dev-shop-pipeline-artifacts"}
    build = {s["Sid"]: s for s in p["build_role"]["policy"]["Statement"]}
    assert build["PushImage"]["Resource"] == ["arn:aws:ecr:eu-west-1:123456789012:repository/dev-shop/backend"]
    assert set(build) == {"Logs", "Artifacts", "RegistryLogin", "PushImage"}
    run = {s["Sid"]: s for s in p["pipeline_role"]["policy"]["Statement"]}
    assert run["Source"] == {"Sid": "Source", "Effect": "Allow", "Action": ["codestar-connections:UseConnection"],
                             "Resource": [CONNECTION]}
    assert run["PassTierRoles"]["Resource"] == ["arn:aws:iam::123456789012:role/dev-shop-api-execution",
                                                "arn:aws:iam::123456789012:role/dev-shop-api-task"]
    trust = p["build_role"]["trust_policy"]["Statement"][0]
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"},
                                  "ArnLike": {"aws:SourceArn": "arn:aws:codebuild:eu-west-1:123456789012:project/dev-shop-api"}}
    trust = p["pipeline_role"]["trust_policy"]["Statement"][0]
    assert trust["Principal"] == {"Service": "codepipeline.amazonaws.com"}
    assert trust["Condition"]["ArnLike"] == {"aws:SourceArn": "arn:aws:codepipeline:eu-west-1:123456789012:dev-shop-api"}


def test_a_frontend_pipeline_syncs_its_site_and_has_no_deploy_stage():
    (p,) = cicd.pipelines(inputs(FRONTEND), "123456789012", "aws-cn")
    env = {v["name"]: v["value"] for v in p["project"]["environment"]["environmentVariables"]}
    assert (env["SITE_BUCKET"], env["DISTRIBUTION_ID"], env["BUILD_DIR"]) == ("dev-shop-web", "E2ABCDEF1234", "dist")
    assert p["project"]["environment"]["privilegedMode"] is False
    assert "artifacts" not in json.loads(p["project"]["source"]["buildspec"])
    assert [s["name"] for s in p["pipeline"]["stages"]] == ["Source", "Build"]
    assert p["pipeline"]["stages"][1]["actions"][0]["outputArtifacts"] == []
    source = p["pipeline"]["stages"][0]["actions"][0]
    assert source["actionTypeId"]["provider"] == "S3"
    assert source["configuration"] == {"S3Bucket": "dev-shop-src", "S3ObjectKey": "web.zip", "PollForSourceChanges": "false"}
    build = {s["Sid"]: s for s in p["build_role"]["policy"]["Statement"]}
    assert build["Invalidate"]["Resource"] == ["arn:aws-cn:cloudfront::123456789012:distribution/E2ABCDEF1234"]
    assert build["SiteSync"]["Resource"] == ["arn:aws-cn:s3:::dev-shop-web/*"]
    assert "PushImage" not in build and "RegistryLogin" not in build
    run = {s["Sid"]: s for s in p["pipeline_role"]["policy"]["Statement"]}
    assert run["Source"]["Resource"] == ["arn:aws-cn:s3:::dev-shop-src", "arn:aws-cn:s3:::dev-shop-src/web.zip"]
    assert "Service" not in run and "PassTierRoles" not in run


def test_the_artifacts_bucket_is_tls_only_and_kept_while_it_holds_artifacts():
    statement = cicd.artifacts_bucket_policy("b-art")["Statement"][0]
    assert statement["Effect"] == "Deny" and statement["Resource"] == ["arn:aws:s3:::b-art", "arn:aws:s3:::b-art/*"]
    assert cicd.kept("b-art", 0, False) == [] and cicd.kept("b-art", 3, True) == []
    assert cicd.kept("b-art", 3, False)[0].startswith("b-art (S3 bucket: holds 3 pipeline artifact(s)")
    assert [r["pipeline"] for r in cicd.removed(inputs(BACKEND, FRONTEND))] == ["dev-shop-api", "dev-shop-web"]


def test_differences_ignore_what_aws_adds():
    asked = {"environment": {"image": "i", "privilegedMode": True}, "stages": [{"name": "S"}]}
    held = {"environment": {"image": "i", "privilegedMode": True, "imagePullCredentialsType": "CODEBUILD"},
            "stages": [{"name": "S", "extra": 1}], "version": 3}
    assert differences(asked, held) == []
    assert differences(asked, dict(held, environment={"image": "j", "privilegedMode": True})) == ["environment.image"]
    assert differences(asked, dict(held, stages=[])) == ["stages"]
