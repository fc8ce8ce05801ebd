# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The delivery part of a stack (the cicd role): its pipelines as data, their checks and their IAM policies.

A pipeline (an entry of cicd_pipelines) delivers one tier: a ``backend`` pipeline builds the tier's image into its ECR
repository (the stack's ``<prefix>/<repository>``) and deploys it to the tier's Fargate service; a ``frontend``
pipeline builds a static site and syncs it to the tier's bucket, then invalidates its distribution. Each has a
CodeBuild project and a CodePipeline pipeline (Source -> Build [-> Deploy]), each with its own service role granted
only what it uses. Names are the stack contract's (stack.cicd_names).

Pure Python: no boto3, no Ansible imports.
"""

import json
import re

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils.container_registry_role import _image_registry
from ansible_collections.atelier.infra.plugins.module_utils.observability import service_trust_policy
from ansible_collections.atelier.infra.plugins.module_utils.static_site import tls_only_statement
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import as_int
from ansible_collections.atelier.infra.plugins.module_utils.tier_spec import plain

P = "cicd_"
KINDS = ("backend", "frontend")
# The runtime a kind of pipeline delivers to: a backend image runs on Fargate (the ECS deploy action), a frontend is a
# static site (the build syncs it to its bucket).
KIND_RUNTIME = {"backend": "fargate", "frontend": "static"}
PIPELINE_KEYS = {"name", "tier", "kind", "source", "directory", "build_dir", "site_bucket", "distribution_id",
                 "compute_type", "build_image", "timeout"}
SOURCE_KEYS = {"connection_arn", "repository", "branch", "bucket", "key"}
NAME = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
CONNECTION_ARN = re.compile(r"^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection/[A-Za-z0-9-]+$")
REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
DISTRIBUTION_ID = re.compile(r"^[A-Z0-9]{8,20}$")
DIRECTORY = re.compile(r"^[A-Za-z0-9_./-]+$")
COMPUTE_TYPES = ("BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE")
DEFAULT_BUILD_IMAGE = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
# AWS's limits: IAM role names 64, S3 bucket names 63 characters.
LIMITS = {"build_role": 64, "pipeline_role": 64, "artifacts_bucket": 63}
SOURCE_OUTPUT = "SourceOutput"
BUILD_OUTPUT = "BuildOutput"
IMAGE_DEFINITIONS = "imagedefinitions.json"


def _dict(value):
    return value if isinstance(value, dict) else {}


def _tiers(inputs):
    tiers = inputs.get(P + "tiers") or []
    return {t.get("name"): t for t in tiers if isinstance(t, dict) and t.get("name")}


def tier_repository(prefix, tier):
    """The stack's ECR repository a tier's image is pushed to: its image's repository (no registry, no tag), else the
    tier's name, under the stack's namespace (stack.repository_name)."""
    image = str(tier.get("image") or "")
    repository = image.split("@", 1)[0]
    last = repository.rsplit("/", 1)[-1]
    if ":" in last:
        repository = repository[: -len(last)] + last.split(":", 1)[0]
    return stack.repository_name(prefix, repository or tier["name"])


def _pipeline_errors(entry, tiers, prefix, seen):
    if isinstance(entry, str):
        return [f"cicd_pipelines: {entry!r} is a name; a pipeline is a dict with name, tier, kind and source"]
    if not isinstance(entry, dict):
        return [f"cicd_pipelines: an entry must be a dict, got {type(entry).__name__}"]
    name = entry.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        return [f"cicd_pipelines: the name {name!r} must be a lowercase letter then up to 29 lowercase letters, digits "
                "and hyphens"]
    where = f"cicd_pipelines {name}"
    errors = []
    if name in seen:
        errors.append(f"{where}: the name is given twice")
    seen.add(name)
    unknown = sorted(set(entry) - PIPELINE_KEYS)
    if unknown:
        errors.append(f"{where}: unknown keys {', '.join(unknown)} (known: {', '.join(sorted(PIPELINE_KEYS))})")
    kind = entry.get("kind")
    if kind not in KINDS:
        errors.append(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    tier = tiers.get(entry.get("tier"))
    if tier is None:
        errors.append(f"{where}: the tier {entry.get('tier')!r} is not a tier of the stack (atelier_tiers: "
                      f"{', '.join(sorted(tiers)) or 'none'})")
    elif kind in KINDS:
        runtime = tier.get("runtime") or "ec2"
        if runtime != KIND_RUNTIME[kind]:
            errors.append(f"{where}: a {kind} pipeline delivers to a tier of runtime {KIND_RUNTIME[kind]}; the tier "
                          f"{tier['name']} runs on {runtime}")
        if kind == "backend" and _image_registry(str(tier.get("image") or "")):
            errors.append(f"{where}: the tier {tier['name']}'s image {tier['image']} is in another registry; a backend "
                          "pipeline pushes to the stack's ECR repository (name the image without a registry)")
    errors.extend(_source_errors(entry.get("source"), where))
    if kind == "frontend":
        if not BUCKET.match(str(entry.get("site_bucket") or "")):
            errors.append(f"{where}: a frontend pipeline needs site_bucket, the S3 bucket of the site, got "
                          f"{entry.get('site_bucket')!r}")
        if not DISTRIBUTION_ID.match(str(entry.get("distribution_id") or "")):
            errors.append(f"{where}: a frontend pipeline needs distribution_id, the CloudFront distribution's id "
                          f"(E2ABCDEF123456), got {entry.get('distribution_id')!r}")
    for key in ("directory", "build_dir"):
        if key in entry and (not isinstance(entry[key], str) or not DIRECTORY.match(entry[key]) or ".." in entry[key]):
            errors.append(f"{where}: {key} must be a relative path in the source, got {entry[key]!r}")
    if "compute_type" in entry and entry["compute_type"] not in COMPUTE_TYPES:
        errors.append(f"{where}: compute_type must be one of {', '.join(COMPUTE_TYPES)}, got {entry['compute_type']!r}")
    if "timeout" in entry and not 5 <= (as_int(entry["timeout"]) or 0) <= 480:
        errors.append(f"{where}: timeout must be 5 to 480 minutes, got {entry['timeout']!r}")
    names = stack.cicd_names(prefix, name)
    for key, limit in LIMITS.items():
        if len(names[key]) > limit:
            errors.append(f"{where}: the {key.replace('_', ' ')} name {names[key]} is {len(names[key])} characters; "
                          f"AWS allows {limit}: shorten atelier_name_prefix or the pipeline name")
    return errors


def _source_errors(source, where):
    if not isinstance(source, dict):
        return [f"{where}: source must be a dict, {{connection_arn, repository, branch}} or {{bucket, key}}, got "
                f"{type(source).__name__}"]
    errors = []
    unknown = sorted(set(source) - SOURCE_KEYS)
    if unknown:
        errors.append(f"{where}: unknown source keys {', '.join(unknown)}")
    connection, bucket = source.get("connection_arn"), source.get("bucket")
    if connection and bucket:
        errors.append(f"{where}: source names both a connection (connection_arn) and an S3 bucket (bucket); give one")
    elif connection:
        if not CONNECTION_ARN.match(str(connection)):
            errors.append(f"{where}: source.connection_arn must be a CodeStar connection ARN "
                          f"(arn:aws:codestar-connections:<region>:<account>:connection/<id>), got {connection!r}")
        if not REPOSITORY.match(str(source.get("repository") or "")):
            errors.append(f"{where}: source.repository must be <owner>/<repository>, got {source.get('repository')!r}")
        if not isinstance(source.get("branch"), str) or not source["branch"].strip():
            errors.append(f"{where}: source.branch must be a branch name, got {source.get('branch')!r}")
    elif bucket:
        if not BUCKET.match(str(bucket)):
            errors.append(f"{where}: source.bucket must be an S3 bucket name, got {bucket!r}")
        if not isinstance(source.get("key"), str) or not source["key"].strip() or source["key"].startswith("/"):
            errors.append(f"{where}: source.key must be the key of the source zip in the bucket, got {source.get('key')!r}")
    else:
        errors.append(f"{where}: source needs connection_arn (with repository and branch) or bucket (with key)")
    return errors


def errors(inputs):
    """What is wrong with the cicd role's inputs (cicd_* names to values), checked before any AWS call."""
    inputs = plain(dict(inputs or {}))
    found = []
    prefix = inputs.get(P + "name_prefix")
    if not isinstance(prefix, str) or not stack.PREFIX.match(prefix):
        found.append(f"cicd_name_prefix must be a stack name prefix, got {prefix!r}")
        prefix = "x"
    pipelines = inputs.get(P + "pipelines")
    if not isinstance(pipelines, list):
        return found + [f"cicd_pipelines must be a list, got {type(pipelines).__name__}"]
    if not isinstance(inputs.get(P + "tiers") or [], list):
        found.append("cicd_tiers must be the list of the stack's tiers (atelier_tiers)")
    tiers = _tiers(inputs) if isinstance(inputs.get(P + "tiers") or [], list) else {}
    seen = set()
    for entry in pipelines:
        found.extend(_pipeline_errors(entry, tiers, prefix, seen))
    days = as_int(inputs.get(P + "artifacts_expiration_days"))
    if days is None or days < 1:
        found.append(f"cicd_artifacts_expiration_days must be a whole number of days from 1, got "
                     f"{inputs.get(P + 'artifacts_expiration_days')!r}")
    return found


# ---- buildspecs ---------------------------------------------------------------------------------------------------


def buildspec(kind):
    """The buildspec of a kind of project, as JSON text (YAML's subset, which CodeBuild reads). It reads the project's
    environment variables (environment_variables), so one text serves every pipeline of a kind."""
    if kind == "backend":
        spec = {
            "version": "0.2",
            "phases": {
                "pre_build": {"commands": [
                    "aws ecr get-login-password --region $AWS_DEFAULT_REGION"
                    " | docker login --username AWS --password-stdin ${REPOSITORY_URI%%/*}",
                    "IMAGE_TAG=$(echo ${CODEBUILD_RESOLVED_SOURCE_VERSION:-latest} | cut -c 1-12)",
                ]},
                "build": {"commands": [
                    "docker build -t $REPOSITORY_URI:$IMAGE_TAG -t $REPOSITORY_URI:latest $SOURCE_DIR",
                ]},
                "post_build": {"commands": [
                    "docker push $REPOSITORY_URI:$IMAGE_TAG",
                    "docker push $REPOSITORY_URI:latest",
                    'printf \'[{"name":"%s","imageUri":"%s"}]\' $CONTAINER_NAME $REPOSITORY_URI:$IMAGE_TAG > ' + IMAGE_DEFINITIONS,
                ]},
            },
            "artifacts": {"files": [IMAGE_DEFINITIONS]},
        }
    else:
        spec = {
            "version": "0.2",
            "phases": {
                "install": {"commands": ["cd $SOURCE_DIR", "npm ci"]},
                "build": {"commands": ["cd $SOURCE_DIR", "npm run build"]},
                "post_build": {"commands": [
                    "aws s3 sync $SOURCE_DIR/$BUILD_DIR s3://$SITE_BUCKET --delete",
                    "aws cloudfront create-invalidation --distribution-id $DISTRIBUTION_ID --paths '/*'",
                ]},
            },
        }
    return json.dumps(spec, indent=2)


# ---- the pipelines ------------------------------------------------------------------------------------------------


def _arns(partition, region, account, names, entry, repository):
    arn = f"arn:{partition}"
    out = {
        "artifacts_bucket": f"{arn}:s3:::{names['artifacts_bucket']}",
        "project": f"{arn}:codebuild:{region}:{account}:project/{names['project']}",
        "pipeline": f"{arn}:codepipeline:{region}:{account}:{names['pipeline']}",
        "build_role": f"{arn}:iam::{account}:role/{names['build_role']}",
        "pipeline_role": f"{arn}:iam::{account}:role/{names['pipeline_role']}",
        "log_group": f"{arn}:logs:{region}:{account}:log-group:{names['build_log_group']}",
        "repository": f"{arn}:ecr:{region}:{account}:repository/{repository}",
    }
    if entry["kind"] == "frontend":
        out["site_bucket"] = f"{arn}:s3:::{entry['site_bucket']}"
        out["distribution"] = f"{arn}:cloudfront::{account}:distribution/{entry['distribution_id']}"
    return out


def _policy(*statements):
    return {"Version": "2012-10-17", "Statement": [s for s in statements if s]}


def _statement(sid, actions, resources, condition=None):
    statement = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


def build_policy(entry, arns):
    """What the build does and nothing more: write its log group, read and write the pipeline's artifacts, and push the
    tier's image (backend) or sync the site bucket and invalidate its distribution (frontend)."""
    statements = [
        _statement("Logs", ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                   [arns["log_group"], f"{arns['log_group']}:*"]),
        _statement("Artifacts", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [f"{arns['artifacts_bucket']}/*"]),
    ]
    if entry["kind"] == "backend":
        # GetAuthorizationToken has no resource: AWS documents "*" only.
        statements.append(_statement("RegistryLogin", ["ecr:GetAuthorizationToken"], ["*"]))
        statements.append(_statement("PushImage", [
            "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
            "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
        ], [arns["repository"]]))
    else:
        statements.append(_statement("SiteList", ["s3:ListBucket"], [arns["site_bucket"]]))
        statements.append(_statement("SiteSync", ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                                     [f"{arns['site_bucket']}/*"]))
        statements.append(_statement("Invalidate", ["cloudfront:CreateInvalidation"], [arns["distribution"]]))
    return _policy(*statements)


def pipeline_policy(entry, arns, names, partition, region, account):
    """What the pipeline does: read and write its artifacts, read its source (use the connection, or read the S3
    object), run its build project and, for a backend, update the tier's service with a new task definition (ECS's
    RegisterTaskDefinition and DescribeTaskDefinition have no resource: "*"), passing the tier's roles to ECS tasks."""
    source = entry["source"]
    arn = f"arn:{partition}"
    statements = [
        _statement("Artifacts", ["s3:GetBucketVersioning", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
                   [arns["artifacts_bucket"], f"{arns['artifacts_bucket']}/*"]),
        _statement("Build", ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], [arns["project"]]),
    ]
    if source.get("connection_arn"):
        service = source["connection_arn"].split(":")[2]
        statements.append(_statement("Source", [f"{service}:UseConnection"], [source["connection_arn"]]))
    else:
        bucket = f"{arn}:s3:::{source['bucket']}"
        statements.append(_statement("Source", ["s3:GetBucketVersioning", "s3:GetObject", "s3:GetObjectVersion"],
                                     [bucket, f"{bucket}/{source['key']}"]))
    if entry["kind"] == "backend":
        tier = stack.tier_names(names["prefix"], entry["tier"], "fargate")
        cluster = stack.data_names(names["prefix"])["ecs_cluster"]
        statements.append(_statement("Service", ["ecs:DescribeServices", "ecs:UpdateService"],
                                     [f"{arn}:ecs:{region}:{account}:service/{cluster}/{tier['service']}"]))
        statements.append(_statement("TaskDefinition", ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], ["*"]))
        statements.append(_statement("PassTierRoles", ["iam:PassRole"], [
            f"{arn}:iam::{account}:role/{tier['execution_role']}", f"{arn}:iam::{account}:role/{tier['task_role']}",
        ], {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}))
    return _policy(*statements)


def _environment(entry, kind, repository_uri):
    variables = {"SOURCE_DIR": entry.get("directory") or "."}
    if kind == "backend":
        variables.update(REPOSITORY_URI=repository_uri, CONTAINER_NAME=entry["tier"])
    else:
        variables.update(SITE_BUCKET=entry["site_bucket"], DISTRIBUTION_ID=entry["distribution_id"],
                         BUILD_DIR=entry.get("build_dir") or "build")
    return [{"name": k, "value": v, "type": "PLAINTEXT"} for k, v in sorted(variables.items())]


def project(entry, names, arns, repository_uri):
    """The CodeBuild project in CreateProject's form (without its name, names' project, and tags): the pipeline's source and artifacts, the kind's
    buildspec, Docker (privileged mode) for a backend, its log group."""
    kind = entry["kind"]
    return {
        "description": f"Builds the {entry['tier']} tier ({kind}) for the pipeline {names['pipeline']} (atelier.infra)",
        "source": {"type": "CODEPIPELINE", "buildspec": buildspec(kind)},
        "artifacts": {"type": "CODEPIPELINE"},
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": entry.get("build_image") or DEFAULT_BUILD_IMAGE,
            "computeType": entry.get("compute_type") or "BUILD_GENERAL1_SMALL",
            "privilegedMode": kind == "backend",
            "environmentVariables": _environment(entry, kind, repository_uri),
        },
        "serviceRole": arns["build_role"],
        "timeoutInMinutes": as_int(entry.get("timeout")) or 30,
        "logsConfig": {"cloudWatchLogs": {"status": "ENABLED", "groupName": names["build_log_group"]}},
    }


def _action(name, category, provider, configuration, inputs=None, outputs=None):
    action = {
        "name": name,
        "actionTypeId": {"category": category, "owner": "AWS", "provider": provider, "version": "1"},
        "runOrder": 1,
        "configuration": configuration,
        "inputArtifacts": [{"name": i} for i in inputs or []],
        "outputArtifacts": [{"name": o} for o in outputs or []],
    }
    return action


def pipeline(entry, names, arns):
    """The CodePipeline pipeline in CreatePipeline's form (without its name, names' pipeline): Source (the CodeStar connection's repository and branch, or
    an S3 object) -> Build (the project) -> Deploy (ECS, a backend's tier service; a frontend's build deploys)."""
    source = entry["source"]
    if source.get("connection_arn"):
        source_action = _action("Source", "Source", "CodeStarSourceConnection", {
            "ConnectionArn": source["connection_arn"], "FullRepositoryId": source["repository"],
            "BranchName": source["branch"], "OutputArtifactFormat": "CODE_ZIP",
        }, outputs=[SOURCE_OUTPUT])
    else:
        source_action = _action("Source", "Source", "S3", {
            "S3Bucket": source["bucket"], "S3ObjectKey": source["key"], "PollForSourceChanges": "false",
        }, outputs=[SOURCE_OUTPUT])
    backend = entry["kind"] == "backend"
    stages = [
        {"name": "Source", "actions": [source_action]},
        {"name": "Build", "actions": [
            _action("Build", "Build", "CodeBuild", {"ProjectName": names["project"]}, [SOURCE_OUTPUT], [BUILD_OUTPUT] if backend else []),
        ]},
    ]
    if backend:
        tier = stack.tier_names(names["prefix"], entry["tier"], "fargate")
        stages.append({"name": "Deploy", "actions": [_action("Deploy", "Deploy", "ECS", {
            "ClusterName": stack.data_names(names["prefix"])["ecs_cluster"], "ServiceName": tier["service"],
            "FileName": IMAGE_DEFINITIONS,
        }, [BUILD_OUTPUT])]})
    return {
        "roleArn": arns["pipeline_role"],
        "artifactStore": {"type": "S3", "location": names["artifacts_bucket"]},
        "stages": stages,
    }


def pipelines(inputs, account, partition="aws"):
    """Every pipeline of cicd_pipelines with all it needs: names, ARNs, the project and the pipeline in the API's form,
    and the two service roles (name, trust policy with confused-deputy conditions, policy). Assumes errors() is
    empty."""
    inputs = plain(dict(inputs))
    prefix, region, account = inputs[P + "name_prefix"], inputs[P + "region"], str(account)
    tiers = _tiers(inputs)
    out = []
    for entry in inputs.get(P + "pipelines") or []:
        names = dict(stack.cicd_names(prefix, entry["name"]), prefix=prefix)
        repository = tier_repository(prefix, tiers[entry["tier"]])
        arns = _arns(partition, region, account, names, entry, repository)
        repository_uri = f"{account}.dkr.ecr.{region}.amazonaws.com/{repository}"
        out.append({
            "name": entry["name"],
            "kind": entry["kind"],
            "tier": entry["tier"],
            "names": names,
            "arns": arns,
            "repository": repository,
            "project": project(entry, names, arns, repository_uri),
            "pipeline": pipeline(entry, names, arns),
            "build_role": {
                "name": names["build_role"],
                "trust_policy": service_trust_policy("codebuild.amazonaws.com", account, partition, region, arns["project"]),
                "policy": build_policy(entry, arns),
            },
            "pipeline_role": {
                "name": names["pipeline_role"],
                "trust_policy": service_trust_policy("codepipeline.amazonaws.com", account, partition, region, arns["pipeline"]),
                "policy": pipeline_policy(entry, arns, names, partition, region, account),
            },
        })
        out[-1]["iam_roles"] = iam_roles(out[-1])
    return out


def iam_roles(pipeline):
    """The pipeline's build and pipeline roles as atelier.infra.iam_role_set's roles[] entries, each with exactly its
    one inline policy."""
    return [
        {"name": pipeline["build_role"]["name"], "trust_policy": pipeline["build_role"]["trust_policy"],
         "description": f"CodeBuild builds {pipeline['tier']} for the pipeline {pipeline['names']['pipeline']}",
         "inline_policies": {"build": pipeline["build_role"]["policy"]}, "tags": {"Name": pipeline["build_role"]["name"]}},
        {"name": pipeline["pipeline_role"]["name"], "trust_policy": pipeline["pipeline_role"]["trust_policy"],
         "description": f"CodePipeline runs the pipeline {pipeline['names']['pipeline']}",
         "inline_policies": {"pipeline": pipeline["pipeline_role"]["policy"]}, "tags": {"Name": pipeline["pipeline_role"]["name"]}},
    ]


def artifacts_bucket_policy(bucket, partition="aws"):
    """The artifacts bucket's policy: every request without TLS denied (static_site.tls_only_statement)."""
    return {"Version": "2012-10-17", "Statement": [tls_only_statement(f"arn:{partition}:s3:::{bucket}", "DenyInsecureTransport")]}


def removed(inputs):
    """Names of what cicd_state absent removes, per pipeline: project, pipeline and the two roles."""
    inputs = plain(dict(inputs))
    prefix = inputs[P + "name_prefix"]
    return [dict(stack.cicd_names(prefix, e["name"]), name=e["name"]) for e in inputs.get(P + "pipelines") or []]


def kept(bucket, objects, delete_data):
    """What the teardown kept: the artifacts bucket while it holds objects and data deletion is not confirmed."""
    if delete_data or not objects:
        return []
    return [f"{bucket} (S3 bucket: holds {objects} pipeline artifact(s); set cicd_delete_data or atelier_teardown_delete_data "
            "to delete it)"]
