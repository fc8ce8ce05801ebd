#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_distribution
version_added: 0.1.0
short_description: Manage a CloudFront web distribution in front of custom (HTTP) or S3 origins, idempotently
description:
  - Create, update, disable and delete a CloudFront distribution whose origins are custom origins
    such as Application Load Balancers, or private S3 buckets reached through an origin access
    control, with cache behaviours that use cache and origin request policies.
  - Fills a gap in C(community.aws.cloudfront_distribution), which compares the whole
    configuration, including fields AWS fills in and the order of lists, so that it reports a
    change on every run, and which has no check mode (community.aws issue 50). This module
    compares a normalised view of only the fields it manages, ignoring the order of sets
    (aliases, origins, methods, SSL protocols, custom headers); cache behaviours keep their order,
    which is their precedence. It supports check mode and diff.
  - The distribution is identified by O(name), which is written as its comment. Fields the module
    does not manage (geo restrictions, origin groups, custom error responses when
    O(custom_error_responses) is not given) are kept as they are.
  - Custom origin header values are secrets (CloudFront sends them to the origin, which checks
    them); they are never returned, shown in a diff or logged, only compared through a digest.
author:
  - Atelier infra developers (@atelier-infra)
options:
  name:
    description:
      - The distribution's identity, unique in the account; it is the distribution's comment.
    required: true
    type: str
  distribution_id:
    description:
      - The id of the distribution of O(name), when the caller knows it (the cloudfront role takes it from the stack's
        tags, found by the tagging API, when they name exactly one distribution of O(name)).
      - The module reads that distribution (C(GetDistribution)) and lists the distributions to find the one whose
        comment is O(name) only when it does not exist or has another comment. Without it, the module lists them
        every run, which also refuses more than one distribution of O(name); with it, a second distribution of the
        same name is not looked for.
    type: str
    version_added: 0.2.0
  state:
    description:
      - Whether the distribution should exist.
      - With V(absent) an enabled distribution is first disabled, then, once CloudFront has
        deployed that change, deleted; this always waits, up to O(wait_timeout).
    default: present
    choices: ['present', 'absent']
    type: str
  enabled:
    description:
      - Whether the distribution accepts viewer requests.
    default: true
    type: bool
  origins:
    description:
      - The origins. Required when O(state=present).
    type: list
    elements: dict
    suboptions:
      id:
        description: The origin's ID, which behaviours refer to.
        required: true
        type: str
      type:
        description:
          - V(custom) for an HTTP origin such as an ALB; V(s3) for an S3 bucket's REST endpoint,
            reached through O(origins[].origin_access_control_id) (never a legacy origin access
            identity). The options of the custom origin's connection (O(origins[].protocol_policy),
            ports, SSL protocols, timeouts) do not apply to an S3 origin.
        default: custom
        choices: ['custom', 's3']
        type: str
      domain_name:
        description:
          - The origin's DNS name, for example an ALB's DNS name, or a bucket's regional domain
            name C(<bucket>.s3.<region>.amazonaws.com).
        required: true
        type: str
      origin_access_control_id:
        description:
          - The ID of the origin access control that signs the requests to an S3 origin, see
            M(atelier.infra.cloudfront_origin_access_control). Only with O(origins[].type=s3).
        type: str
      origin_path:
        description: A path CloudFront prepends to every origin request.
        default: ''
        type: str
      protocol_policy:
        description: How CloudFront connects to the origin.
        default: http-only
        choices: ['http-only', 'https-only', 'match-viewer']
        type: str
      http_port:
        description: The origin's HTTP port.
        default: 80
        type: int
      https_port:
        description: The origin's HTTPS port.
        default: 443
        type: int
      ssl_protocols:
        description: The TLS protocols CloudFront may use with the origin over HTTPS.
        default: ['TLSv1.2']
        type: list
        elements: str
        choices: ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2']
      read_timeout:
        description: Seconds CloudFront waits for a response from the origin.
        default: 30
        type: int
      keepalive_timeout:
        description: Seconds CloudFront keeps an idle origin connection open.
        default: 5
        type: int
      connection_attempts:
        description: How many times CloudFront tries to connect to the origin.
        default: 3
        type: int
      connection_timeout:
        description: Seconds CloudFront waits for a connection to the origin.
        default: 10
        type: int
      custom_headers:
        description:
          - Headers CloudFront adds to every request to this origin, name to value.
          - The values are treated as secrets.
        type: dict
        default: {}
  default_behavior:
    description:
      - The default cache behaviour. Required when O(state=present).
    type: dict
    suboptions: &behavior_options
      origin_id:
        description: The ID of the origin in O(origins) that the behaviour forwards to.
        required: true
        type: str
      viewer_protocol_policy:
        description: What CloudFront does with viewer requests over HTTP.
        default: redirect-to-https
        choices: ['allow-all', 'https-only', 'redirect-to-https']
        type: str
      allowed_methods:
        description:
          - The HTTP methods CloudFront forwards; one of the three sets CloudFront accepts,
            C([GET, HEAD]), C([GET, HEAD, OPTIONS]) or all seven methods; any order.
        default: ['GET', 'HEAD']
        type: list
        elements: str
      cached_methods:
        description: The methods whose responses are cached, C([GET, HEAD]) or C([GET, HEAD, OPTIONS]).
        default: ['GET', 'HEAD']
        type: list
        elements: str
      compress:
        description: Whether CloudFront compresses responses (gzip and Brotli).
        default: true
        type: bool
      cache_policy:
        description:
          - The cache policy, by managed name (for example V(Managed-CachingOptimized),
            V(Managed-CachingDisabled)), by custom policy name, or by ID.
          - Managed names are resolved without an AWS call.
        required: true
        type: str
      origin_request_policy:
        description:
          - The origin request policy, by managed name (for example
            V(Managed-AllViewerExceptHostHeader)), by custom policy name, or by ID.
        type: str
      response_headers_policy_id:
        description: The ID of a response headers policy.
        type: str
  behaviors:
    description:
      - The cache behaviours for path patterns, in order of precedence.
      - Each takes the options of O(default_behavior) and a O(behaviors[].path_pattern).
    type: list
    elements: dict
    default: []
    suboptions:
      <<: *behavior_options
      path_pattern:
        description: The path pattern, starting with C(/) or C(*), for example C(/api/*).
        required: true
        type: str
  aliases:
    description:
      - Alternate domain names (CNAMEs). They need O(certificate_arn).
    type: list
    elements: str
    default: []
  certificate_arn:
    description:
      - The ARN of an ACM certificate in us-east-1 that covers O(aliases). Without it viewers use
        the C(*.cloudfront.net) certificate.
    type: str
  minimum_protocol_version:
    description: The lowest TLS version viewers may use with O(certificate_arn) (served with SNI).
    default: TLSv1.2_2021
    choices: ['TLSv1.2_2018', 'TLSv1.2_2019', 'TLSv1.2_2021', 'TLSv1.3_2025']
    type: str
  price_class:
    description: The edge locations the distribution uses.
    default: PriceClass_100
    choices: ['PriceClass_100', 'PriceClass_200', 'PriceClass_All']
    type: str
  http_version:
    description: The highest HTTP version viewers may use.
    default: http2and3
    choices: ['http1.1', 'http2', 'http3', 'http2and3']
    type: str
  ipv6:
    description: Whether the distribution answers over IPv6.
    default: true
    type: bool
  web_acl_id:
    description: The ARN of an AWS WAF (v2, scope CLOUDFRONT) web ACL.
    type: str
  default_root_object:
    description: The object returned for a request to the root URL, for example V(index.html).
    type: str
  custom_error_responses:
    description:
      - What CloudFront answers for an error status of the origin, for example a single-page
        application's C(/index.html) with status 200 for 403 and 404.
      - Not given, the distribution's custom error responses are kept as they are; V([]) removes them.
    type: list
    elements: dict
    suboptions:
      error_code:
        description: The origin's HTTP status.
        required: true
        type: int
        choices: [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]
      response_page_path:
        description: The path of the page CloudFront answers with, starting with C(/).
        type: str
      response_code:
        description: The status CloudFront answers with (needs O(custom_error_responses[].response_page_path)); the error's by default.
        type: int
      error_caching_min_ttl:
        description: Seconds CloudFront caches the error response.
        default: 10
        type: int
  logging:
    description: Standard access logs to an S3 bucket.
    type: dict
    suboptions:
      bucket:
        description: The bucket's domain name, C(<bucket>.s3.amazonaws.com).
        required: true
        type: str
      prefix:
        description: A prefix for the log object names.
        default: ''
        type: str
      include_cookies:
        description: Whether the logs include cookies.
        default: false
        type: bool
  wait:
    description:
      - Wait until CloudFront has deployed the distribution (status C(Deployed)).
      - Deployments take minutes; a role can start every distribution without waiting and wait
        once at the end.
    default: false
    type: bool
  wait_timeout:
    description: How many seconds to wait.
    default: 1800
    type: int
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Returns the normalised configuration before and after the change when run with C(--diff).
    support: full
notes:
  - Custom cache and origin request policies are managed with M(atelier.infra.cloudfront_policy).
  - CloudFront is global; the module's region only signs the requests.
seealso:
  - module: atelier.infra.cloudfront_policy
  - module: community.aws.cloudfront_distribution_info
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Put CloudFront in front of an ALB, caching static content and not /api/*
  atelier.infra.cloudfront_distribution:
    name: prod-atelier-frontend
    origins:
      - id: alb
        domain_name: prod-atelier-frontend-123456.eu-west-1.elb.amazonaws.com
        custom_headers:
          X-Origin-Verify: "{{ origin_secret }}"
    default_behavior:
      origin_id: alb
      allowed_methods: [GET, HEAD, OPTIONS]
      cache_policy: Managed-CachingOptimized
    behaviors:
      - path_pattern: /api/*
        origin_id: alb
        allowed_methods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
        cache_policy: Managed-CachingDisabled
        origin_request_policy: Managed-AllViewerExceptHostHeader
    aliases: [www.example.com]
    certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666
    tags:
      Environment: prod

- name: Disable and delete it
  atelier.infra.cloudfront_distribution:
    name: prod-atelier-frontend
    state: absent
"""

RETURN = r"""
actions:
  description:
    - The change, or in check mode the change it would make, as one line, C(create), C(update) with the settings
      that differ, or C(delete), then the distribution's name. Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["update cloudfront distribution prod-atelier-frontend: behaviors, price_class"]
msg:
  description: What the module did, or would have done in check mode.
  returned: when something changed or would change, and when there is nothing to delete
  type: str
  sample: "Updated the distribution E2QWRUHAPOMQZL: behaviors, price_class."
distribution:
  description:
    - The distribution. In check mode, as it would be (without an ID when it would be created).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: The distribution's ID.
      type: str
      sample: E2QWRUHAPOMQZL
    arn:
      description: The distribution's ARN.
      type: str
      sample: arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL
    domain_name:
      description: The distribution's C(*.cloudfront.net) domain name.
      type: str
      sample: d111111abcdef8.cloudfront.net
    status:
      description: C(InProgress) while a change deploys, then C(Deployed).
      type: str
      sample: InProgress
    tags:
      description: The distribution's tags.
      type: dict
      sample: {"Environment": "prod"}
    config:
      description:
        - The managed configuration, normalised (sets sorted, custom header values as digests).
      type: dict
      contains:
        comment:
          description: The comment, which is O(name).
          type: str
        enabled:
          description: Whether the distribution is enabled.
          type: bool
        aliases:
          description: The alternate domain names, sorted.
          type: list
          elements: str
        origins:
          description: The origins, sorted by ID.
          type: list
          elements: dict
        default_behavior:
          description: The default cache behaviour, with policy IDs.
          type: dict
        behaviors:
          description: The path cache behaviours, in order.
          type: list
          elements: dict
        price_class:
          description: The price class.
          type: str
        http_version:
          description: The highest HTTP version.
          type: str
        ipv6:
          description: Whether IPv6 is enabled.
          type: bool
        web_acl_id:
          description: The web ACL.
          type: str
        default_root_object:
          description: The default root object.
          type: str
        viewer_certificate:
          description: The ACM certificate, SSL support method and minimum protocol, or the default certificate.
          type: dict
        logging:
          description: The access logs' bucket, prefix and cookie setting; empty when off.
          type: dict
        custom_error_responses:
          description: The custom error responses, sorted by error code.
          type: list
          elements: dict
"""

import time
import uuid

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import AnsibleCloudFrontError
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import create_distribution
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import delete_distribution
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import get_distribution
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import list_distributions
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import list_tags
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import tag_resource
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import untag_resource
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront import update_distribution
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import MANAGED_POLICIES
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import POLICY_ID
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import build_config
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import config_differences
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import merge_config
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import normalise_config
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_config import option_errors
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import AnsibleCloudFrontPolicyError
from ansible_collections.atelier.infra.plugins.module_utils.cloudfront_policies import custom_policy_ids

BEHAVIOR_OPTIONS = dict(
    origin_id=dict(type="str", required=True),
    viewer_protocol_policy=dict(
        type="str", default="redirect-to-https", choices=["allow-all", "https-only", "redirect-to-https"]
    ),
    allowed_methods=dict(type="list", elements="str", default=["GET", "HEAD"]),
    cached_methods=dict(type="list", elements="str", default=["GET", "HEAD"]),
    compress=dict(type="bool", default=True),
    cache_policy=dict(type="str", required=True),
    origin_request_policy=dict(type="str"),
    response_headers_policy_id=dict(type="str"),
)


def fail(module, error):
    if isinstance(error, (AnsibleCloudFrontError, AnsibleCloudFrontPolicyError)):
        module.fail_json_aws_error(error)
    module.fail_json(msg=str(error))


def find_distribution(module, client):
    """The one distribution whose comment is the name: its summary and, when read already, (distribution, ETag); or
    (None, None). With distribution_id that distribution is read first, and the distributions are listed only when it
    is not there or has another comment."""
    hint = module.params["distribution_id"]
    if hint:
        try:
            current, etag = get_distribution(client, hint)
        except AnsibleCloudFrontError as e:
            fail(module, e)
        if current is not None and (current.get("DistributionConfig") or {}).get("Comment") == module.params["name"]:
            return {"Id": current["Id"]}, (current, etag)
    try:
        found = [d for d in list_distributions(client) if d.get("Comment") == module.params["name"]]
    except AnsibleCloudFrontError as e:
        fail(module, e)
    if len(found) > 1:
        ids = ", ".join(d["Id"] for d in found)
        module.fail_json(msg=f"More than one distribution is named {module.params['name']!r} ({ids}); remove the extra ones.")
    return (found[0] if found else None), None


def read_distribution(module, client, summary, fetched):
    """(distribution, ETag) of the summary's distribution: as find_distribution read it, else read now."""
    if fetched is not None:
        return fetched
    try:
        return get_distribution(client, summary["Id"])
    except AnsibleCloudFrontError as e:
        fail(module, e)


def resolve_policies(module, client):
    """{(kind, name or ID): ID} for every policy the behaviours name; custom names cost one list call per kind."""
    behaviors = [module.params["default_behavior"]] + list(module.params["behaviors"] or [])
    wanted = set()
    for behavior in behaviors:
        wanted.add(("cache", behavior["cache_policy"]))
        if behavior.get("origin_request_policy"):
            wanted.add(("origin_request", behavior["origin_request_policy"]))
    ids, custom = {}, {}
    for kind, value in sorted(wanted):
        if value in MANAGED_POLICIES[kind]:
            ids[(kind, value)] = MANAGED_POLICIES[kind][value]
            continue
        if POLICY_ID.match(value):
            ids[(kind, value)] = value
            continue
        if kind not in custom:
            try:
                custom[kind] = custom_policy_ids(client, kind)
            except AnsibleCloudFrontPolicyError as e:
                fail(module, e)
        if value not in custom[kind]:
            label = "cache" if kind == "cache" else "origin request"
            if module.check_mode:
                # A plan run before the policy task has created it: the real run resolves (or refuses) the name.
                module.warn(f"No {label} policy named {value!r} yet; assuming an earlier task creates it.")
                ids[(kind, value)] = f"(would be created) {value}"
                continue
            module.fail_json(msg=f"No {label} policy named {value!r}: not a managed policy, nor a custom one in this account.")
        ids[(kind, value)] = custom[kind][value]
    return ids


def wait_deployed(module, client, distribution_id):
    """Poll until the distribution is Deployed; return it and its ETag."""
    deadline = time.time() + module.params["wait_timeout"]
    delay = 1
    while True:
        try:
            distribution, etag = get_distribution(client, distribution_id)
        except AnsibleCloudFrontError as e:
            fail(module, e)
        if distribution is None or distribution["Status"] == "Deployed":
            return distribution, etag
        if time.time() + delay > deadline:
            module.fail_json(
                msg=f"Distribution {distribution_id} is still {distribution['Status']} after {module.params['wait_timeout']} s.",
                distribution_id=distribution_id,
            )
        time.sleep(delay)
        delay = min(delay * 2, 15)


def describe(distribution, tags, view=None):
    return {
        "id": distribution.get("Id"),
        "arn": distribution.get("ARN"),
        "domain_name": distribution.get("DomainName"),
        "status": distribution.get("Status"),
        "tags": tags,
        "config": view if view is not None else normalise_config(distribution.get("DistributionConfig") or {}),
    }


def desired_tags(module, current):
    if module.params["tags"] is None:
        return dict(current)
    if module.params["purge_tags"]:
        return dict(module.params["tags"])
    return dict(current, **module.params["tags"])


def ensure_present(module, client, summary, fetched=None):
    params = module.params
    desired = build_config(params, resolve_policies(module, client))
    after_view = normalise_config(desired)

    current = etag = None
    if summary is not None:
        current, etag = read_distribution(module, client, summary, fetched)

    # Missing from the list, or deleted between ListDistributions and GetDistribution.
    if current is None:
        tags = desired_tags(module, {})
        if module.check_mode:
            module.exit_json(
                changed=True,
                actions=[f"create cloudfront distribution {params['name']}"],
                msg=f"Would have created the distribution {params['name']} if not in check mode.",
                distribution={"id": None, "status": None, "tags": tags, "config": after_view},
                diff={"before": {}, "after": dict(after_view, tags=tags)},
            )
        config = merge_config(None, desired, f"{params['name']}-{uuid.uuid4()}")
        try:
            created = create_distribution(client, config, tags)
        except AnsibleCloudFrontError as e:
            fail(module, e)
        if params["wait"]:
            created, _etag = wait_deployed(module, client, created["Id"])
        module.exit_json(
            changed=True,
            actions=[f"create cloudfront distribution {params['name']}"],
            msg=f"Created the distribution {created['Id']} ({created['DomainName']}).",
            distribution=describe(created, tags),
            diff={"before": {}, "after": dict(after_view, tags=tags)},
        )

    try:
        current_tags = list_tags(client, current["ARN"])
    except AnsibleCloudFrontError as e:
        fail(module, e)
    before_view = normalise_config(current["DistributionConfig"])
    # What the distribution would be: the unmanaged fields (and error responses when not given) carried over.
    after_view = normalise_config(merge_config(current["DistributionConfig"], desired, ""))
    differences = config_differences(before_view, after_view)
    tags_to_set, tags_to_unset = {}, []
    if params["tags"] is not None:
        tags_to_set, tags_to_unset = compare_aws_tags(current_tags, params["tags"], params["purge_tags"])
    tags = desired_tags(module, current_tags)
    if tags_to_set or tags_to_unset:
        differences.append("tags")
    diff = {"before": dict(before_view, tags=current_tags), "after": dict(after_view, tags=tags)}

    if not differences:
        if params["wait"] and current["Status"] != "Deployed":
            current, etag = wait_deployed(module, client, current["Id"])
        module.exit_json(changed=False, actions=[], distribution=describe(current, current_tags), diff=diff)

    what = ", ".join(differences)
    actions = [f"update cloudfront distribution {params['name']}: {what}"]
    if module.check_mode:
        module.exit_json(
            changed=True,
            actions=actions,
            msg=f"Would have updated the distribution {current['Id']} ({what}) if not in check mode.",
            distribution=dict(describe(current, tags, after_view)),
            diff=diff,
        )
    try:
        if differences != ["tags"]:
            current = update_distribution(client, current["Id"], merge_config(current["DistributionConfig"], desired, ""), etag)
        if tags_to_unset:
            untag_resource(client, current["ARN"], tags_to_unset)
        if tags_to_set:
            tag_resource(client, current["ARN"], tags_to_set)
    except AnsibleCloudFrontError as e:
        fail(module, e)
    if params["wait"]:
        current, etag = wait_deployed(module, client, current["Id"])
    module.exit_json(
        changed=True,
        actions=actions,
        msg=f"Updated the distribution {current['Id']}: {what}.",
        distribution=describe(current, tags),
        diff=diff,
    )


def ensure_absent(module, client, summary, fetched=None):
    if summary is None:
        module.exit_json(changed=False, actions=[], msg=f"No distribution named {module.params['name']}, nothing to delete.")
    distribution_id = summary["Id"]
    current, etag = read_distribution(module, client, summary, fetched)
    if current is None:
        # Deleted between ListDistributions and GetDistribution.
        module.exit_json(changed=False, actions=[], msg=f"No distribution named {module.params['name']}, nothing to delete.")
    before = normalise_config(current["DistributionConfig"])
    diff = {"before": before, "after": {}}
    actions = [f"delete cloudfront distribution {module.params['name']}"]
    if module.check_mode:
        msg = f"Would have disabled and deleted the distribution {distribution_id} if not in check mode."
        module.exit_json(changed=True, actions=actions, msg=msg, diff=diff)
    try:
        if current["DistributionConfig"]["Enabled"]:
            disabled = dict(current["DistributionConfig"], Enabled=False)
            update_distribution(client, distribution_id, disabled, etag)
        current, etag = wait_deployed(module, client, distribution_id)
        if current is not None:
            delete_distribution(client, distribution_id, etag)
    except AnsibleCloudFrontError as e:
        fail(module, e)
    module.exit_json(changed=True, actions=actions, msg=f"Disabled and deleted the distribution {distribution_id}.", diff=diff)


def main():
    origin_options = dict(
        id=dict(type="str", required=True),
        type=dict(type="str", default="custom", choices=["custom", "s3"]),
        domain_name=dict(type="str", required=True),
        origin_access_control_id=dict(type="str"),
        origin_path=dict(type="str", default=""),
        protocol_policy=dict(type="str", default="http-only", choices=["http-only", "https-only", "match-viewer"]),
        http_port=dict(type="int", default=80),
        https_port=dict(type="int", default=443),
        ssl_protocols=dict(
            type="list", elements="str", default=["TLSv1.2"], choices=["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"]
        ),
        read_timeout=dict(type="int", default=30),
        keepalive_timeout=dict(type="int", default=5),
        connection_attempts=dict(type="int", default=3),
        connection_timeout=dict(type="int", default=10),
        custom_headers=dict(type="dict", default={}, no_log=True),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        distribution_id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        enabled=dict(type="bool", default=True),
        origins=dict(type="list", elements="dict", options=origin_options),
        default_behavior=dict(type="dict", options=BEHAVIOR_OPTIONS),
        behaviors=dict(
            type="list", elements="dict", default=[], options=dict(BEHAVIOR_OPTIONS, path_pattern=dict(type="str", required=True))
        ),
        aliases=dict(type="list", elements="str", default=[]),
        certificate_arn=dict(type="str"),
        minimum_protocol_version=dict(
            type="str", default="TLSv1.2_2021", choices=["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025"]
        ),
        price_class=dict(type="str", default="PriceClass_100", choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"]),
        http_version=dict(type="str", default="http2and3", choices=["http1.1", "http2", "http3", "http2and3"]),
        ipv6=dict(type="bool", default=True),
        web_acl_id=dict(type="str"),
        default_root_object=dict(type="str"),
        custom_error_responses=dict(
            type="list",
            elements="dict",
            options=dict(
                error_code=dict(type="int", required=True, choices=[400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]),
                response_page_path=dict(type="str"),
                response_code=dict(type="int"),
                error_caching_min_ttl=dict(type="int", default=10),
            ),
        ),
        logging=dict(
            type="dict",
            options=dict(
                bucket=dict(type="str", required=True),
                prefix=dict(type="str", default=""),
                include_cookies=dict(type="bool", default=False),
            ),
        ),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        required_if=[["state", "present", ["origins", "default_behavior"]]],
        supports_check_mode=True,
    )
    if module.params["state"] == "present":
        errors = option_errors(module.params)
        if errors:
            module.fail_json(msg="Invalid distribution options: " + "; ".join(errors), errors=errors)

    client = module.client("cloudfront")
    summary, fetched = find_distribution(module, client)
    if module.params["state"] == "present":
        ensure_present(module, client, summary, fetched)
    else:
        ensure_absent(module, client, summary, fetched)


if __name__ == "__main__":
    main()
