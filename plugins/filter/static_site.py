# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""
Filters for a static site (``runtime: static``): the bucket policy, the lifecycle rule, the S3 origin,
the single-page application's error responses and the invalidation paths of a sync.

The logic is plugins/module_utils/static_site.py; the documentation of each filter is beside this
file (static_site_bucket_policy.yml, static_site_lifecycle_rule.yml, static_site_origin.yml,
static_site_error_responses.yml, static_site_invalidation_paths.yml, static_site_tier.yml,
static_site_distribution.yml, static_site_errors.yml).
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import cloudfront_config
from ansible_collections.atelier.infra.plugins.module_utils import static_site
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec


def _checked(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except (ValueError, TypeError, KeyError) as e:
        raise AnsibleFilterError(str(e)) from e


def static_site_bucket_policy(bucket, distribution_arns):
    """The site bucket's policy: TLS only; s3:GetObject for CloudFront on behalf of those distributions only."""
    return _checked(static_site.bucket_policy, bucket, distribution_arns)


def static_site_lifecycle_rule(noncurrent_days, keep_newer=3, abort_multipart_days=7):
    """community.aws.s3_lifecycle's options expiring the site's noncurrent object versions after noncurrent_days."""
    return _checked(static_site.lifecycle_rule, noncurrent_days, keep_newer, abort_multipart_days)


def static_site_origin(bucket, region, control_id, origin_id="site"):
    """atelier.infra.cloudfront_distribution's S3 origin for the bucket, signed by the origin access control."""
    return _checked(static_site.s3_origin, bucket, region, control_id, origin_id)


def static_site_error_responses(codes=(403, 404), page="/index.html", response_code=200, ttl=10):
    """atelier.infra.cloudfront_distribution's custom_error_responses of a single-page application."""
    return _checked(static_site.spa_error_responses, codes, page, response_code, ttl)


def static_site_invalidation_paths(result, max_paths=10, root_object="index.html"):
    """The CloudFront paths to invalidate after atelier.infra.s3_site_sync (its registered result)."""
    return _checked(static_site.invalidation_paths, result, max_paths, root_object)


def static_site_tier(tier, prefix, tiers=None):
    """A static tier as the static_site role converges it: {tier, names, api} (static_site.site_view)."""
    if not isinstance(tier, Mapping):
        raise AnsibleFilterError(f"static_site_tier: a tier is a dict, got {type(tier).__name__}")
    return _checked(static_site.site_view, tier_spec.plain(tier), str(prefix), tier_spec.plain(tiers or []))


def static_site_distribution(tier, name, bucket, region, control_id="", api=None):
    """atelier.infra.cloudfront_distribution's options for a static tier (static_site.site_distribution)."""
    if not isinstance(tier, Mapping):
        raise AnsibleFilterError(f"static_site_distribution: a tier is a dict, got {type(tier).__name__}")
    return _checked(static_site.site_distribution, tier_spec.plain(tier), name, bucket, region, control_id or "",
                    tier_spec.plain(api) if api else None)


def static_site_errors(inputs):
    """The static_site role's input errors its argument spec cannot find (static_site.site_errors)."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"static_site_errors: expected the role's inputs as a dict, got {type(inputs).__name__}")
    return static_site.site_errors(tier_spec.plain(inputs), cloudfront_config.option_errors)


class FilterModule:
    """Static site filters."""

    def filters(self):
        return {
            "static_site_bucket_policy": static_site_bucket_policy,
            "static_site_lifecycle_rule": static_site_lifecycle_rule,
            "static_site_origin": static_site_origin,
            "static_site_error_responses": static_site_error_responses,
            "static_site_invalidation_paths": static_site_invalidation_paths,
            "static_site_tier": static_site_tier,
            "static_site_distribution": static_site_distribution,
            "static_site_errors": static_site_errors,
        }
