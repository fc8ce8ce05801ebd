# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the dns role (a tier's domain: certificates, records, the tier the alb and cloudfront roles converge).

The logic is in plugins/module_utils/dns_role.py. Documentation: dns_certificate_requests.yml, dns_certificates.yml,
dns_tier.yml, dns_tier_records.yml, dns_absent_targets.yml, dns_kept.yml, dns_zones.yml and
dns_errors.yml beside this file.
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.atelier.infra.plugins.module_utils import dns_role
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

_plain = tier_spec.plain


def dns_certificate_requests(tiers, prefix, env, stack, region, tags=None):
    """The acm_certificate_request runs of every tier with a domain."""
    if not isinstance(tiers, list):
        raise AnsibleFilterError(f"dns_certificate_requests: expected a list of tiers, got {type(tiers).__name__}")
    return dns_role.certificate_requests(_plain(tiers), prefix, env, stack, region, _plain(tags) or {})


def dns_certificates(results, requests, prefix, ttl=300, tiers=None, found=None):
    """{tiers, waits, batches} from the registered results of the requests (with the declared tiers and the stack's
    certificates found, each tier's stale ones)."""
    try:
        return dns_role.certificates(_plain(requests), _plain(results), prefix, int(ttl), _plain(tiers),
                                     _plain(found) or [])
    except ValueError as e:
        raise AnsibleFilterError(f"dns_certificates: {e}") from e


def dns_tier(tier, facts):
    """{tier, origin_domain, outputs} of one tier."""
    if not isinstance(tier, Mapping):
        raise AnsibleFilterError(f"dns_tier: a tier is a dict, got {type(tier).__name__}")
    return dns_role.tier_view(_plain(tier), _plain(facts) or {})


def dns_tier_records(tier, facts, alb=None, distribution=None, ttl=300, strict=True):
    """The tier's validation records and aliases."""
    try:
        return dns_role.tier_records(_plain(tier), _plain(facts) or {}, _plain(alb), _plain(distribution), int(ttl),
                                     bool(strict))
    except ValueError as e:
        raise AnsibleFilterError(f"dns_tier_records: {e}") from e


def dns_absent_targets(found, tier):
    """{zones, certificates} that removing the tier deletes."""
    return dns_role.absent_targets(_plain(tier), _plain(found) or [])


def dns_kept(results, tier_name):
    """The lines of the certificates kept in use, from the registered acm_certificate_request state=absent loop."""
    return dns_role.kept(tier_name, _plain(results) or [])


def dns_zones(tiers):
    """The hosted zones of the tiers' domains, each once."""
    if not isinstance(tiers, list):
        raise AnsibleFilterError(f"dns_zones: expected a list of tiers, got {type(tiers).__name__}")
    return dns_role.zones(_plain(tiers))


def dns_errors(inputs):
    """The dns role's input errors its argument spec cannot find."""
    if not isinstance(inputs, Mapping):
        raise AnsibleFilterError(f"dns_errors: expected the role's inputs as a dict, got {type(inputs).__name__}")
    return dns_role.dns_errors(_plain(inputs))


class FilterModule:
    """Filters of the dns role."""

    def filters(self):
        return {
            "dns_certificate_requests": dns_certificate_requests,
            "dns_certificates": dns_certificates,
            "dns_tier": dns_tier,
            "dns_tier_records": dns_tier_records,
            "dns_absent_targets": dns_absent_targets,
            "dns_errors": dns_errors,
            "dns_kept": dns_kept,
            "dns_zones": dns_zones,
        }
