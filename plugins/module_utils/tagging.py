# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
The Resource Groups Tagging API call of atelier.infra.tagged_resources_info (one boto3 call, paginated inside, with
amazon.aws' retry decorator and an error handler that turns botocore exceptions into AnsibleTaggingError, the
pattern of amazon.aws module_utils/ec2.py), and the pure functions around it: the TagFilters of a tag dict and the
resource type and name an ARN encodes.
"""

from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# RETRY_CODES holds the tagging API's own codes too: ThrottledException, and InternalServiceException, which its API
# reference says to retry.
from ansible_collections.atelier.infra.plugins.module_utils.aws_retry import RETRY_CODES

# GetResources limits (API reference): 50 tag filters, 20 values per filter, 100 resource type filters.
MAX_TAG_FILTERS = 50
MAX_TAG_VALUES = 20
MAX_RESOURCE_TYPES = 100
# ARNs without a resource type (arn:aws:sns:<region>:<account>:<topic>): the type of their one kind of resource.
TYPELESS = {"s3": "bucket", "sns": "topic", "sqs": "queue"}
# Load balancer ARNs: loadbalancer/app|net|gwy/<name>/<id> (a classic one: loadbalancer/<name>).
LOAD_BALANCER_KINDS = ("app", "net", "gwy")


class AnsibleTaggingError(AnsibleAWSError):
    pass


class TaggingErrorHandler(AWSErrorHandler):
    """GetResources answers an empty list, never "not found": only common_error_handler is used."""

    _CUSTOM_EXCEPTION = AnsibleTaggingError


@TaggingErrorHandler.common_error_handler("get resources")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def get_resources(client, tag_filters: List[Dict[str, Any]], resource_types: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """Every ResourceTagMapping (ResourceARN, Tags) of the region matching all the tag filters and one of the types."""
    params = {"TagFilters": tag_filters}
    if resource_types:
        params["ResourceTypeFilters"] = list(resource_types)
    paginator = client.get_paginator("get_resources")
    return paginator.paginate(**params).build_full_result().get("ResourceTagMappingList", [])


def tag_filters(tags: Dict[str, Any]) -> List[Dict[str, Any]]:
    """GetResources TagFilters from a dict: a value must match, a list is any of its values, None or [] any value."""
    filters = []
    for key, value in tags.items():
        if value is None or value == []:
            filters.append({"Key": str(key)})
        elif isinstance(value, (list, tuple)):
            filters.append({"Key": str(key), "Values": [str(v) for v in value]})
        else:
            filters.append({"Key": str(key), "Values": [str(value)]})
    return filters


def tag_filter_errors(tags: Dict[str, Any], resource_types: Optional[List[str]]) -> List[str]:
    """What GetResources would refuse about the filters, as messages (checked before any call)."""
    errors = []
    if not tags:
        errors.append("tags must name at least one tag (GetResources without a tag filter lists every tagged resource)")
    if len(tags or {}) > MAX_TAG_FILTERS:
        errors.append(f"tags: at most {MAX_TAG_FILTERS} keys, got {len(tags)}")
    for key, value in (tags or {}).items():
        if isinstance(value, (list, tuple)) and len(value) > MAX_TAG_VALUES:
            errors.append(f"tags: at most {MAX_TAG_VALUES} values for the key {key}, got {len(value)}")
        if isinstance(value, dict):
            errors.append(f"tags: the value of {key} must be a string or a list of strings, not a dict")
    if len(resource_types or []) > MAX_RESOURCE_TYPES:
        errors.append(f"resource_types: at most {MAX_RESOURCE_TYPES}, got {len(resource_types)}")
    return errors


def parse_arn(arn: str) -> Dict[str, str]:
    """The resource type (``service:type``) and the resource's name an ARN encodes.

    ``arn:aws:rds:eu-west-1:1:db:web`` -> ``rds:db``, ``web``; ``...:loadbalancer/app/web/0f1`` ->
    ``elasticloadbalancing:loadbalancer``, ``web``; ``...:targetgroup/web-tg/0f1`` -> ``elasticloadbalancing:targetgroup``,
    ``web-tg``; ``arn:aws:dynamodb:...:table/web`` -> ``dynamodb:table``, ``web``; ``arn:aws:sns:...:alarms`` ->
    ``sns:topic``, ``alarms``; an ECS ``service/<cluster>/<name>`` -> its last part.
    """
    parts = str(arn).split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return {"resource_type": "", "name": ""}
    service, resource = parts[2], parts[5]
    slash, colon = resource.find("/"), resource.find(":")
    if slash == -1 and colon == -1:
        return {"resource_type": f"{service}:{TYPELESS[service]}" if service in TYPELESS else service, "name": resource}
    if colon != -1 and (slash == -1 or colon < slash):
        kind, rest = resource[:colon], resource[colon + 1:]
        return {"resource_type": f"{service}:{kind}", "name": rest.split(":", 1)[0]}
    kind, path = resource[:slash], resource[slash + 1:].split("/")
    if service == "elasticloadbalancing" and kind == "loadbalancer" and len(path) >= 2 and path[0] in LOAD_BALANCER_KINDS:
        name = path[1]
    elif service == "ecs":
        name = path[-1]
    else:
        name = path[0]
    return {"resource_type": f"{service}:{kind}", "name": name}


def describe_resource(mapping: Dict[str, Any]) -> Dict[str, Any]:
    """A ResourceTagMapping as the module returns it: arn, resource_type, name and tags (a dict)."""
    arn = mapping["ResourceARN"]
    return dict(arn=arn, tags=boto3_tag_list_to_ansible_dict(mapping.get("Tags") or []), **parse_arn(arn))


def list_tagged_resources(client, tags: Dict[str, Any], resource_types: Optional[List[str]] = None) -> List[Dict[str, Any]]:
    """The resources carrying every tag of tags (of one of resource_types when given), sorted by ARN."""
    mappings = get_resources(client, tag_filters(tags), resource_types)
    return sorted((describe_resource(m) for m in mappings), key=lambda r: r["arn"])
