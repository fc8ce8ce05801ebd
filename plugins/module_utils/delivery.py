# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The CodeBuild and CodePipeline calls of atelier.infra.codebuild_project and atelier.infra.codepipeline_pipeline: one
boto3 call each, with amazon.aws' retry decorator and an error handler; and how both modules compare what AWS holds
with what is asked (differences()).
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES


class AnsibleDeliveryError(AnsibleAWSError):
    pass


class DeliveryErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleDeliveryError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["PipelineNotFoundException", "ResourceNotFoundException"])


def differences(asked: Any, held: Any, path: str = "") -> List[str]:
    """The paths where held differs from asked. Keys AWS adds (its defaults) are not differences: a dict is compared
    on asked's keys only; lists item by item, in order."""
    if isinstance(asked, dict):
        if not isinstance(held, dict):
            return [path or "."]
        found = []
        for key, value in asked.items():
            found.extend(differences(value, held.get(key), f"{path}.{key}" if path else key))
        return found
    if isinstance(asked, list):
        if not isinstance(held, list) or len(asked) != len(held):
            return [path or "."]
        found = []
        for index, (a, h) in enumerate(zip(asked, held)):
            found.extend(differences(a, h, f"{path}[{index}]"))
        return found
    return [] if asked == held else [path or "."]


# ---------------------------------------------------------------- CodeBuild


@DeliveryErrorHandler.common_error_handler("describe codebuild project")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_project(client, name: str) -> Optional[Dict[str, Any]]:
    projects = client.batch_get_projects(names=[name]).get("projects") or []
    return projects[0] if projects else None


@DeliveryErrorHandler.common_error_handler("create codebuild project")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_project(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.create_project(**params)["project"]


@DeliveryErrorHandler.common_error_handler("update codebuild project")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def update_project(client, params: Dict[str, Any]) -> Dict[str, Any]:
    return client.update_project(**params)["project"]


@DeliveryErrorHandler.deletion_error_handler("delete codebuild project")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_project(client, name: str) -> bool:
    client.delete_project(name=name)
    return True


# ---------------------------------------------------------------- CodePipeline


@DeliveryErrorHandler.common_error_handler("get codepipeline pipeline")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_pipeline(client, name: str) -> Optional[Dict[str, Any]]:
    try:
        return client.get_pipeline(name=name)
    except is_boto3_error_code("PipelineNotFoundException"):
        return None


@DeliveryErrorHandler.common_error_handler("create codepipeline pipeline")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def create_pipeline(client, pipeline: Dict[str, Any], tags: List[Dict[str, str]]) -> Dict[str, Any]:
    return client.create_pipeline(pipeline=pipeline, tags=tags)["pipeline"]


@DeliveryErrorHandler.common_error_handler("update codepipeline pipeline")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def update_pipeline(client, pipeline: Dict[str, Any]) -> Dict[str, Any]:
    return client.update_pipeline(pipeline=pipeline)["pipeline"]


@DeliveryErrorHandler.deletion_error_handler("delete codepipeline pipeline")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def delete_pipeline(client, name: str) -> bool:
    client.delete_pipeline(name=name)
    return True


@DeliveryErrorHandler.list_error_handler("list codepipeline tags", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_pipeline_tags(client, arn: str) -> List[Dict[str, str]]:
    return client.list_tags_for_resource(resourceArn=arn).get("tags") or []


@DeliveryErrorHandler.common_error_handler("tag codepipeline pipeline")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def tag_pipeline(client, arn: str, tags: List[Dict[str, str]]) -> None:
    client.tag_resource(resourceArn=arn, tags=tags)


@DeliveryErrorHandler.common_error_handler("untag codepipeline pipeline")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def untag_pipeline(client, arn: str, keys: List[str]) -> None:
    client.untag_resource(resourceArn=arn, tagKeys=keys)
