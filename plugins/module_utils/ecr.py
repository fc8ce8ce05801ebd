# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Wrappers around the ECR API calls used by atelier.infra.ecr_repository_tags, and what it returns of a repository's
settings.

Every wrapper is one boto3 call with amazon.aws' retry decorator and an error handler that turns
botocore exceptions into AnsibleECRError, following the pattern of amazon.aws module_utils/ec2.py.
describe_repositories, built on them, reads several repositories in one DescribeRepositories call (per 100 names),
falling back to one call per name when one of them is missing.
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


# DescribeRepositories takes at most this many repositoryNames.
DESCRIBE_BATCH = 100


@ECRErrorHandler.list_error_handler("describe repository", None)
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def _describe_batch(client, names: List[str], registry_id: Optional[str] = None) -> Optional[List[Dict[str, Any]]]:
    """The repositories of names in one call, or None when ECR answers that one of them (any) does not exist."""
    params = {"repositoryNames": list(names)}
    if registry_id:
        params["registryId"] = registry_id
    return client.describe_repositories(**params)["repositories"]


def describe_repositories(client, names: List[str], registry_id: Optional[str] = None) -> Dict[str, Optional[Dict[str, Any]]]:
    """Each repository of names by its name, None for one that does not exist.

    One DescribeRepositories call per DESCRIBE_BATCH names. ECR refuses the whole call with RepositoryNotFoundException
    when any one name is missing: that batch is then read again one name at a time (describe_repository), so that the
    missing ones are told apart from the others. Other errors raise AnsibleECRError as describe_repository does."""
    unique = list(dict.fromkeys(names))
    found: Dict[str, Optional[Dict[str, Any]]] = {}
    for start in range(0, len(unique), DESCRIBE_BATCH):
        batch = unique[start:start + DESCRIBE_BATCH]
        repositories = _describe_batch(client, batch, registry_id)
        if repositories is None and len(batch) == 1:
            # The only name asked for is the missing one: no need to ask again.
            found[batch[0]] = None
            continue
        by_name = {r.get("repositoryName"): r for r in repositories or []}
        for name in batch:
            # A name the answer leaves out (not expected of ECR) is asked for on its own, as after a not-found.
            found[name] = by_name[name] if name in by_name else describe_repository(client, name, registry_id)
    return found


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
