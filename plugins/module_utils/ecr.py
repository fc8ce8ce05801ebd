# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the ECR API calls used by atelier.infra.ecr_repository_tags, and what it returns of a repository's
settings.

Every function is one boto3 call with amazon.aws' retry decorator and an error handler that turns
botocore exceptions into AnsibleECRError, following the pattern of amazon.aws module_utils/ec2.py.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

REPOSITORY_NOT_FOUND = "RepositoryNotFoundException"
# A repository without a lifecycle policy, or without a repository policy, answers so.
POLICY_NOT_FOUND = ("LifecyclePolicyNotFoundException", "RepositoryPolicyNotFoundException", REPOSITORY_NOT_FOUND)


class AnsibleECRError(AnsibleAWSError):
    pass


class ECRErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECRError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(REPOSITORY_NOT_FOUND)


class ECRPolicyErrorHandler(ECRErrorHandler):
    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(list(POLICY_NOT_FOUND))


@ECRErrorHandler.list_error_handler("describe repository", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def describe_repository(client, name: str, registry_id: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """The repository, or None when it does not exist."""
    params = {"repositoryNames": [name]}
    if registry_id:
        params["registryId"] = registry_id
    repositories = client.describe_repositories(**params)["repositories"]
    return repositories[0] if repositories else None


@ECRErrorHandler.common_error_handler("list repository tags")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_repository_tags(client, arn: str) -> Dict[str, str]:
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(resourceArn=arn).get("tags", []))


@ECRErrorHandler.common_error_handler("tag repository")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def tag_repository(client, arn: str, tags: Dict[str, str]) -> bool:
    client.tag_resource(resourceArn=arn, tags=ansible_dict_to_boto3_tag_list(tags))
    return True


@ECRErrorHandler.common_error_handler("untag repository")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def untag_repository(client, arn: str, tag_keys: List[str]) -> bool:
    client.untag_resource(resourceArn=arn, tagKeys=tag_keys)
    return True


@ECRPolicyErrorHandler.list_error_handler("get the lifecycle policy", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_lifecycle_policy_text(client, name: str, registry_id: Optional[str] = None) -> Optional[str]:
    """The repository's lifecycle policy (JSON text), None when it has none."""
    params = {"repositoryName": name, **({"registryId": registry_id} if registry_id else {})}
    return client.get_lifecycle_policy(**params).get("lifecyclePolicyText")


@ECRPolicyErrorHandler.list_error_handler("get the repository policy", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_repository_policy_text(client, name: str, registry_id: Optional[str] = None) -> Optional[str]:
    """The repository's policy (JSON text), None when it has none."""
    params = {"repositoryName": name, **({"registryId": registry_id} if registry_id else {})}
    return client.get_repository_policy(**params).get("policyText")


def repository_settings(repository: Dict[str, Any], lifecycle_policy: Optional[str], policy: Optional[str]) -> Dict[str, Any]:
    """What ecr_repository_tags returns of a repository's settings (O(settings)): from DescribeRepositories' entry and
    the texts of its lifecycle policy and repository policy ('' when none)."""
    encryption = repository.get("encryptionConfiguration") or {}
    return {
        "registry_id": repository.get("registryId", ""),
        "repository_uri": repository.get("repositoryUri", ""),
        "image_tag_mutability": repository.get("imageTagMutability", ""),
        "scan_on_push": bool((repository.get("imageScanningConfiguration") or {}).get("scanOnPush")),
        "encryption_type": encryption.get("encryptionType", ""),
        "kms_key": encryption.get("kmsKey", ""),
        "lifecycle_policy": lifecycle_policy or "",
        "policy": policy or "",
    }
