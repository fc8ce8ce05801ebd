"""The cicd role alone against the emulator, through inventories/local (the stack local-atelier): ONE deploy of a
backend pipeline (a Fargate tier, CodeStar connection source, ECS deploy) and a frontend pipeline (a static tier, S3
source) with the minimal resources made by boto3 here (the backend's ECR repository, the sources bucket), shared by the
module - check mode on the empty account, the projects, pipeline stages, roles and bucket through the API, a second run
that makes no mutating call, then the removal keeping the artifacts bucket that holds artifacts. Bad input fails
before any AWS call."""

import json

import pytest

PLAYBOOK = "tests/integration/fixtures/cicd_role.yml"
PREFIX = "local-atelier"
BUCKET = f"{PREFIX}-pipeline-artifacts"
CONNECTION = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"
TIERS = [
    {"name": "api", "runtime": "fargate", "image": "api:1.4.0"},
    {"name": "web", "runtime": "static"},
    {"name": "legacy", "runtime": "ec2", "image": "legacy"},
]
PIPELINES = [
    {"name": "api", "tier": "api", "kind": "backend", "directory": "backend-flask",
     "source": {"connection_arn": CONNECTION, "repository": "acme/cruddur", "branch": "prod"}},
    {"name": "web", "tier": "web", "kind": "frontend", "directory": "frontend-react-js", "site_bucket": f"{PREFIX}-web-site",
     "distribution_id": "E2ABCDEF123456", "source": {"bucket": f"{PREFIX}-sources", "key": "frontend.zip"}},
]
VARS = {"cicd_tiers": TIERS, "cicd_pipelines": PIPELINES}
UNREACHABLE = {"endpoint_url": "http://127.0.0.1:9", "access_key": "testing", "secret_key": "testing"}


def _statements(iam, role):
    policy = iam.get_role_policy(RoleName=role, PolicyName=iam.list_role_policies(RoleName=role)["PolicyNames"][0])
    document = policy["PolicyDocument"]
    document = json.loads(document) if isinstance(document, str) else document
    return {s["Sid"]: s for s in document["Statement"]}


@pytest.fixture(scope="module")
def deployed(emulator):
    emulator.reset()
    emulator.client("ecr").create_repository(repositoryName=f"{PREFIX}/api")
    emulator.client("s3").create_bucket(Bucket=f"{PREFIX}-sources")
    out = {"plan": emulator.playbook(PLAYBOOK, "--check", extra_vars=VARS)}
    out["first"] = emulator.playbook(PLAYBOOK, extra_vars=VARS)
    assert out["first"].rc == 0, out["first"].output[-8000:]
    out["again"] = emulator.playbook(PLAYBOOK, extra_vars=VARS)
    codebuild, pipelines, iam, s3 = (emulator.client(s) for s in ("codebuild", "codepipeline", "iam", "s3"))
    out["projects"] = {p["name"]: p for p in codebuild.batch_get_projects(names=[f"{PREFIX}-api", f"{PREFIX}-web"])["projects"]}
    out["pipelines"] = {n: pipelines.get_pipeline(name=f"{PREFIX}-{n}")["pipeline"] for n in ("api", "web")}
    out["roles"] = {r: iam.get_role(RoleName=f"{PREFIX}-{r}")["Role"] for r in ("api-build", "api-pipeline", "web-build", "web-pipeline")}
    out["policies"] = {r: _statements(iam, f"{PREFIX}-{r}") for r in out["roles"]}
    out["bucket_policy"] = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    out["lifecycle"] = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    out["encryption"] = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    out["public"] = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    # An artifact in the bucket: the teardown keeps it without cicd_delete_data.
    s3.put_object(Bucket=BUCKET, Key=f"{PREFIX}-api/SourceOutput/abc.zip", Body=b"zip")
    out["absent"] = emulator.playbook(PLAYBOOK, "-v", extra_vars=dict(VARS, cicd_state="absent"))
    out["left_projects"] = codebuild.batch_get_projects(names=[f"{PREFIX}-api", f"{PREFIX}-web"])["projects"]
    out["left_pipelines"] = pipelines.list_pipelines()["pipelines"]
    out["left_roles"] = [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(f"{PREFIX}-")]
    out["left_buckets"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    out["purge"] = emulator.playbook(PLAYBOOK, extra_vars=dict(VARS, cicd_state="absent", cicd_delete_data=True))
    out["purged_buckets"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    return out


def test_check_mode_on_an_empty_account_mutates_nothing(deployed):
    plan = deployed["plan"]
    assert plan.rc == 0, plan.output[-8000:]
    assert plan.mutating == []
    assert plan.changed > 0


def test_the_backend_project_builds_the_image_into_the_tier_repository(deployed):
    project = deployed["projects"][f"{PREFIX}-api"]
    environment = project["environment"]
    assert environment["privilegedMode"] is True
    variables = {v["name"]: v["value"] for v in environment["environmentVariables"]}
    assert variables == {"CONTAINER_NAME": "api", "SOURCE_DIR": "backend-flask",
                         "REPOSITORY_URI": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{PREFIX}/api"}
    assert project["source"]["type"] == project["artifacts"]["type"] == "CODEPIPELINE"
    spec = json.loads(project["source"]["buildspec"])
    assert spec["artifacts"]["files"] == ["imagedefinitions.json"]
    assert any("docker push" in c for c in spec["phases"]["post_build"]["commands"])
    assert project["serviceRole"].endswith(f":role/{PREFIX}-api-build")
    assert project["logsConfig"]["cloudWatchLogs"]["groupName"] == f"/aws/codebuild/{PREFIX}-api"
    assert {t["key"]: t["value"] for t in project["tags"]}["atelier:stack"] == "atelier"


def test_the_frontend_project_syncs_the_site_and_invalidates(deployed):
    project = deployed["projects"][f"{PREFIX}-web"]
    assert project["environment"]["privilegedMode"] is False
    variables = {v["name"]: v["value"] for v in project["environment"]["environmentVariables"]}
    assert variables["SITE_BUCKET"] == f"{PREFIX}-web-site" and variables["DISTRIBUTION_ID"] == "E2ABCDEF123456"
    commands = json.loads(project["source"]["buildspec"])["phases"]["post_build"]["commands"]
    assert any(c.startswith("aws s3 sync") for c in commands) and any("create-invalidation" in c for c in commands)


def test_the_pipelines_have_their_stages(deployed):
    api, web = deployed["pipelines"]["api"], deployed["pipelines"]["web"]
    assert [s["name"] for s in api["stages"]] == ["Source", "Build", "Deploy"]
    assert [s["name"] for s in web["stages"]] == ["Source", "Build"]
    source = api["stages"][0]["actions"][0]
    assert source["actionTypeId"]["provider"] == "CodeStarSourceConnection"
    assert source["configuration"] == {"ConnectionArn": CONNECTION, "FullRepositoryId": "acme/cruddur", "BranchName": "prod",
                                       "OutputArtifactFormat": "CODE_ZIP"}
    assert api["stages"][1]["actions"][0]["configuration"] == {"ProjectName": f"{PREFIX}-api"}
    deploy = api["stages"][2]["actions"][0]
    assert deploy["actionTypeId"]["provider"] == "ECS"
    assert deploy["configuration"] == {"ClusterName": PREFIX, "ServiceName": f"{PREFIX}-api", "FileName": "imagedefinitions.json"}
    web_source = web["stages"][0]["actions"][0]
    assert web_source["actionTypeId"]["provider"] == "S3"
    assert web_source["configuration"]["S3Bucket"] == f"{PREFIX}-sources"
    assert api["artifactStore"] == web["artifactStore"] == {"type": "S3", "location": BUCKET}
    assert api["roleArn"].endswith(f":role/{PREFIX}-api-pipeline")


def test_the_roles_trust_their_service_for_their_resource_only(deployed):
    build = deployed["roles"]["api-build"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert build["Principal"] == {"Service": "codebuild.amazonaws.com"}
    assert build["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    assert build["Condition"]["ArnLike"] == {"aws:SourceArn": f"arn:aws:codebuild:us-east-1:123456789012:project/{PREFIX}-api"}
    pipeline = deployed["roles"]["web-pipeline"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert pipeline["Principal"] == {"Service": "codepipeline.amazonaws.com"}
    assert pipeline["Condition"]["ArnLike"] == {"aws:SourceArn": f"arn:aws:codepipeline:us-east-1:123456789012:{PREFIX}-web"}


def test_the_policies_grant_exactly_what_each_part_uses(deployed):
    policies = deployed["policies"]
    api_build = policies["api-build"]
    assert api_build["PushImage"]["Resource"] == [f"arn:aws:ecr:us-east-1:123456789012:repository/{PREFIX}/api"]
    assert api_build["Artifacts"]["Resource"] == [f"arn:aws:s3:::{BUCKET}/*"]
    assert api_build["Logs"]["Resource"][0] == f"arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/{PREFIX}-api"
    assert "SiteSync" not in api_build
    web_build = policies["web-build"]
    assert web_build["SiteSync"]["Resource"] == [f"arn:aws:s3:::{PREFIX}-web-site/*"]
    assert web_build["Invalidate"]["Resource"] == ["arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456"]
    assert "PushImage" not in web_build
    api_pipeline = policies["api-pipeline"]
    assert api_pipeline["Source"]["Action"] == ["codestar-connections:UseConnection"]
    assert api_pipeline["Source"]["Resource"] == [CONNECTION]
    assert api_pipeline["Build"]["Resource"] == [f"arn:aws:codebuild:us-east-1:123456789012:project/{PREFIX}-api"]
    assert api_pipeline["Service"]["Resource"] == [f"arn:aws:ecs:us-east-1:123456789012:service/{PREFIX}/{PREFIX}-api"]
    assert api_pipeline["PassTierRoles"]["Condition"] == {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    web_pipeline = policies["web-pipeline"]
    assert web_pipeline["Source"]["Resource"] == [f"arn:aws:s3:::{PREFIX}-sources", f"arn:aws:s3:::{PREFIX}-sources/frontend.zip"]
    assert "Service" not in web_pipeline


def test_the_artifacts_bucket_is_private_encrypted_tls_only_and_expires(deployed):
    statement = deployed["bucket_policy"]["Statement"][0]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deployed["encryption"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert all(deployed["public"].values())
    assert deployed["lifecycle"][0]["Expiration"]["Days"] == 30


def test_a_second_run_changes_nothing(deployed):
    again = deployed["again"]
    assert again.rc == 0, again.output[-8000:]
    assert again.changed == 0, again.output[-8000:]
    assert again.mutating == []


def test_absent_removes_the_pipelines_and_keeps_the_bucket_with_artifacts(deployed):
    absent = deployed["absent"]
    assert absent.rc == 0, absent.output[-8000:]
    assert deployed["left_projects"] == [] and deployed["left_pipelines"] == [] and deployed["left_roles"] == []
    assert BUCKET in deployed["left_buckets"]
    assert f"{BUCKET} (S3 bucket: holds 1 pipeline artifact(s)" in absent.output
    purge = deployed["purge"]
    assert purge.rc == 0, purge.output[-8000:]
    assert BUCKET not in deployed["purged_buckets"] and f"{PREFIX}-sources" in deployed["purged_buckets"]


BAD = [
    {"name": "a", "tier": "nope", "kind": "backend", "source": {"bucket": "src-b", "key": "a.zip"}},
    {"name": "b", "tier": "legacy", "kind": "backend", "source": {"bucket": "src-b", "key": "a.zip"}},
    {"name": "c", "tier": "api", "kind": "frontend", "site_bucket": "site-b", "distribution_id": "E2ABCDEF123456",
     "source": {"bucket": "src-b", "key": "a.zip"}},
    {"name": "d", "tier": "api", "kind": "backend",
     "source": {"connection_arn": CONNECTION, "repository": "a/b", "branch": "main", "bucket": "src-b", "key": "a.zip"}},
]


def test_bad_input_fails_before_any_aws_call(emulator):
    run = emulator.playbook(PLAYBOOK, extra_vars={"cicd_tiers": TIERS, "cicd_pipelines": BAD, "atelier_aws": UNREACHABLE})
    assert run.rc != 0
    assert "Invalid input for the cicd role" in run.output, run.output[-4000:]
    for message in (
        "cicd_pipelines a: the tier 'nope' is not a tier of the stack (atelier_tiers: api, legacy, web)",
        "cicd_pipelines b: a backend pipeline delivers to a tier of runtime fargate; the tier legacy runs on ec2",
        "cicd_pipelines c: a frontend pipeline delivers to a tier of runtime static; the tier api runs on fargate",
        "cicd_pipelines d: source names both a connection (connection_arn) and an S3 bucket (bucket); give one",
    ):
        assert message in run.output, run.output[-4000:]
    assert run.requests == []
