# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The logic of the dns role: a tier's domain (tier_spec's ``domain``) as certificates, records and the tier the alb
and cloudfront roles converge (docs/dns-and-tls.md).

* ``certificate_requests``: the atelier.infra.acm_certificate_request runs of every tier with a domain: the regional
  certificate of its ALB (``origin.<first name>`` with CloudFront, else the names) and, with CloudFront, the us-east-1
  certificate of the names;
* ``certificate_facts``: what the requests answered, by tier (the ARNs, the zone, the validation records);
* ``certificate_waits``: the requests whose certificate is not ISSUED yet;
* ``validation_batches``: the first route53_record_set run of each tier (its validation records, purge false);
* ``tier_records``: the tier's records once its ALB and distribution exist (validation records and aliases);
* ``dns_tier`` / ``origin_domain``: the tier as the alb and cloudfront roles take it, certificates and aliases set;
* ``absent_targets``: what removing a tier deletes (zones of its records, its certificates in both regions);
* ``outputs``: the role's ``dns_outputs`` for the summary;
* ``zones``: the hosted zones of the tiers' domains, which the stack creates when ``dns_zone_create`` is on and
  deletes at teardown only when they are its own and hold nothing but NS and SOA (atelier.infra.route53_hosted_zone,
  plugins/module_utils/dns_zone.py);
* ``stale_certificates``: the certificates of a declared tier that its domain no longer uses (dropped, or names
  changed), with the zones of the records a dropped domain left;
* ``certificates`` and ``tier_view`` gather these for the role's filters (plugins/filter/dns_role.py);
* ``dns_errors``: the role's inputs that its argument spec cannot check.

Pure Python, no boto3.
"""

from collections.abc import Mapping

from ansible_collections.atelier.infra.plugins.module_utils import stack
from ansible_collections.atelier.infra.plugins.module_utils import tier_spec

ALB = "alb"
CLOUDFRONT = "cloudfront"
# ACM certificates of CloudFront live in us-east-1, whatever the stack's region.
CLOUDFRONT_REGION = "us-east-1"
# The hosted zone of every CloudFront distribution, the target zone of an alias to one.
CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"
# The tag that keeps the hosted zone on a tier's certificates, so that a tier no longer declared (its domain unknown)
# still finds the zone of its records.
ZONE_TAG = "atelier:dns-zone"
TTL_RANGE = (60, 172800)


def owner(prefix, tier_name):
    """The route53_record_set owner of a tier's records: ``<prefix>/<tier>``."""
    return f"{prefix}/{tier_name}"


def _domain(t):
    """(zone, names) of a tier with its settings filled in, DNS-normal; None without a domain."""
    if not tier_spec.has_domain(t):
        return None
    return tier_spec.dns_name(t["domain"]["zone"]), [tier_spec.dns_name(n) for n in t["domain"]["names"] or []]


def _tiers(tiers):
    return [tier_spec.settings(t) for t in (tiers or []) if isinstance(t, Mapping)]


def certificate_requests(tiers, prefix, env, stack_name, region, tags=None):
    """One request per certificate of every tier with a domain, in tier order (alb first)."""
    requests = []
    for t in _tiers(tiers):
        domain = _domain(t)
        if domain is None or not domain[1]:
            continue
        zone, names = domain
        # A static tier has no load balancer: its one certificate is the distribution's.
        wanted = [] if t["runtime"] == tier_spec.STATIC else [(ALB, region, [tier_spec.origin_name(t)] if t["cloudfront"] else names)]
        if tier_spec.at_the_edge(t):
            wanted.append((CLOUDFRONT, CLOUDFRONT_REGION, names))
        for use, where, covered in wanted:
            requests.append(
                {
                    "tier": t["name"],
                    "use": use,
                    "region": where,
                    "zone": zone,
                    "domain_name": covered[0],
                    "subject_alternative_names": covered[1:],
                    "owner_tags": stack.stack_tags(env, stack_name, tier=t["name"]),
                    "tags": stack.stack_tags(
                        env, stack_name, tags or {}, {ZONE_TAG: zone}, name=f"{prefix}-{t['name']}-{use}", tier=t["name"]
                    ),
                }
            )
    return requests


def _results(requests, results):
    """The registered loop's results, each beside its request (same order: the loop ran over the requests)."""
    answers = results.get("results", []) if isinstance(results, Mapping) else list(results or [])
    if len(answers) != len(requests):
        raise ValueError(f"{len(answers)} certificate results for {len(requests)} requests")
    return list(zip(requests, answers))


def _record_key(record):
    return tier_spec.dns_name(record.get("name", "")), str(record.get("type", "")).upper()


def certificate_facts(requests, results):
    """{tier: {zone, alb, cloudfront, validation_records}}: the ARN of each certificate ('' when none yet, as in check
    mode) and the validation records of the tier's certificates, each name once (two certificates of one name share
    their record)."""
    facts = {}
    for request, answer in _results(requests, results):
        fact = facts.setdefault(
            request["tier"], {"zone": request["zone"], ALB: "", CLOUDFRONT: "", "validation_records": []}
        )
        fact[request["use"]] = answer.get("certificate_arn") or ""
        known = {_record_key(r) for r in fact["validation_records"]}
        for record in answer.get("validation_records") or []:
            if _record_key(record) not in known:
                known.add(_record_key(record))
                fact["validation_records"].append(
                    {"name": record["name"], "type": record["type"], "value": record["value"]}
                )
    return facts


def certificate_waits(requests, results):
    """The requests whose certificate exists and is not ISSUED: the ones to wait for."""
    return [
        request
        for request, answer in _results(requests, results)
        if answer.get("certificate_arn") and answer.get("status") != "ISSUED"
    ]


def _validation_records(fact, ttl):
    return [dict(record, ttl=ttl) for record in (fact or {}).get("validation_records") or []]


def validation_batches(facts, prefix, ttl=300):
    """The first route53_record_set run of each tier: {tier, zone, owner, records} (its validation records)."""
    return [
        {"tier": name, "zone": fact["zone"], "owner": owner(prefix, name), "records": _validation_records(fact, ttl)}
        for name, fact in (facts or {}).items()
        if fact.get("validation_records")
    ]


def tier_records(tier, facts, alb=None, distribution=None, ttl=300, strict=True):
    """Every record of the tier: its validation records and its aliases. With CloudFront the names (A and AAAA) are
    aliases of the distribution and ``origin.<first name>`` (A) of the ALB; without, the names (A) of the ALB.

    alb is the alb role's alb_outputs (dns_name, zone_id), distribution the cloudfront role's cloudfront_outputs
    (domain_name). strict (false in check mode, where they may not exist yet): a missing target is an error rather
    than an alias left out."""
    t = tier_spec.settings(tier)
    domain = _domain(t)
    if domain is None:
        return []
    records = _validation_records((facts or {}).get(t["name"]), ttl)
    alb, distribution = alb or {}, distribution or {}
    balancer = (
        {"dns_name": alb["dns_name"], "hosted_zone_id": alb["zone_id"], "evaluate_target_health": True}
        if alb.get("dns_name") and alb.get("zone_id")
        else None
    )
    edge = (
        {"dns_name": distribution["domain_name"], "hosted_zone_id": CLOUDFRONT_ZONE_ID, "evaluate_target_health": False}
        if distribution.get("domain_name")
        else None
    )
    wanted = []
    if tier_spec.at_the_edge(t):
        wanted += [(name, kind, edge, "distribution") for name in domain[1] for kind in ("A", "AAAA")]
        if t["cloudfront"]:  # a static tier has no load balancer
            wanted.append((tier_spec.origin_name(t), "A", balancer, "load balancer"))
    else:
        wanted += [(name, "A", balancer, "load balancer") for name in domain[1]]
    for name, kind, target, what in wanted:
        if target is None:
            if strict:
                raise ValueError(f"tier {t['name']}: no {what} to point {name} at; converge the tier's {what} first")
            continue
        records.append({"name": name, "type": kind, "alias": dict(target)})
    return records


def dns_tier(tier, facts):
    """The tier as the alb and cloudfront roles converge it: without its domain, with the regional certificate as
    certificate_arn and, with CloudFront, the names as the distribution's aliases and the us-east-1 certificate as its
    certificate. A certificate not known yet (check mode before it exists) leaves its keys as they were."""
    if not isinstance(tier, Mapping) or not tier_spec.has_domain(tier):
        return tier
    t = tier_spec.plain(tier)
    names = [tier_spec.dns_name(n) for n in t.pop("domain").get("names") or []]
    fact = (facts or {}).get(t.get("name")) or {}
    if fact.get(ALB):
        t["certificate_arn"] = fact[ALB]
    if fact.get(CLOUDFRONT) and (tier_spec.as_bool(t.get("cloudfront")) or t.get("runtime") == tier_spec.STATIC):
        t["distribution"] = dict(t.get("distribution") or {}, aliases=names, certificate_arn=fact[CLOUDFRONT])
    return t


def origin_domain(tier, facts):
    """The name CloudFront reaches the tier's ALB by (https-only): ``origin.<first name>`` once the regional
    certificate that covers it exists; '' otherwise (the ALB's own name, over HTTP, as without a domain)."""
    if not isinstance(tier, Mapping) or not tier_spec.has_domain(tier):
        return ""
    t = tier_spec.settings(tier)
    return tier_spec.origin_name(t) if t["cloudfront"] and ((facts or {}).get(t["name"]) or {}).get(ALB) else ""


def absent_targets(tier, found):
    """What removing the tier deletes: {zones, certificates}. found: the registered loop of community.aws
    acm_certificate_info over the regions (each result's item its region, its certificates the tier's), whose zone tag
    names the zone of the tier's records when the tier no longer declares its domain."""
    zones = []
    domain = _domain(tier_spec.settings(tier)) if isinstance(tier, Mapping) else None
    if domain is not None:
        zones.append(domain[0])
    certificates = []
    answers = found.get("results", []) if isinstance(found, Mapping) else list(found or [])
    for answer in answers:
        for certificate in answer.get("certificates") or []:
            zone = (certificate.get("tags") or {}).get(ZONE_TAG)
            if zone and tier_spec.dns_name(zone) not in zones:
                zones.append(tier_spec.dns_name(zone))
            certificates.append(
                {
                    "region": answer["item"],
                    "certificate_arn": certificate["certificate_arn"],
                    "domain_name": certificate["domain_name"],
                }
            )
    return {"zones": zones, "certificates": certificates}


def kept(tier_name, results):
    """The teardown's lines for the certificates acm_certificate_request kept (still in use): dns_kept."""
    answers = results.get("results", []) if isinstance(results, Mapping) else list(results or [])
    return [
        f"certificate {c['certificate_arn']} of tier {tier_name} ({', '.join(c.get('subject_alternative_names') or [])}): "
        f"in use by {', '.join(c.get('in_use_by') or []) or 'a resource'}, kept"
        for answer in answers
        for c in answer.get("kept") or []
    ]


def outputs(tier, facts):
    """dns_outputs of a tier host: {tier, zone, names, cloudfront, static, origin, origin_https, certificates}."""
    t = tier_spec.settings(tier)
    domain = _domain(t)
    fact = (facts or {}).get(t["name"]) or {}
    origin = origin_domain(tier, facts)
    return {
        "tier": t["name"],
        "zone": domain[0] if domain else "",
        "names": domain[1] if domain else [],
        "cloudfront": tier_spec.at_the_edge(t),
        "static": t["runtime"] == tier_spec.STATIC,
        "origin": origin,
        "origin_https": bool(origin),
        "certificates": {use: fact[use] for use in (ALB, CLOUDFRONT) if fact.get(use)},
    }


def certificates(requests, results, prefix, ttl=300, tiers=None, found=None):
    """What the certificate requests answered: {tiers: certificate_facts, waits: certificate_waits, batches:
    validation_batches}. With the declared tiers and the stack's certificates found (stale_certificates), a tier whose
    domain no longer uses some of them gets ``stale`` ({certificates, zones}) in its facts."""
    facts = certificate_facts(requests, results)
    for name, entry in stale_certificates(tiers, facts, found).items():
        facts.setdefault(name, {"zone": "", ALB: "", CLOUDFRONT: "", "validation_records": []})["stale"] = entry
    return {
        "tiers": facts,
        "waits": certificate_waits(requests, results),
        "batches": validation_batches(facts, prefix, ttl),
    }


def tier_view(tier, facts):
    """{tier: dns_tier, origin_domain, outputs} of one tier."""
    return {"tier": dns_tier(tier, facts), "origin_domain": origin_domain(tier, facts), "outputs": outputs(tier, facts)}


def zones(tiers):
    """The hosted zones of the tiers' domains (DNS-normal), each once, in tier order."""
    found = []
    for t in _tiers(tiers):
        domain = _domain(t)
        if domain is not None and domain[0] not in found:
            found.append(domain[0])
    return found


def stale_certificates(tiers, facts, found):
    """{tier: {certificates, zones}} of the declared tiers: the tier's certificates (found: the registered
    community.aws.acm_certificate_info loop over the regions, by the stack's tags) that its domain no longer uses (not
    the ARN of its ALB's nor its distribution's certificate: a domain dropped or names changed), and the zones (their
    zone tag) of records a dropped or moved domain left under the tier's owner. Certificates of tiers no longer
    declared are playbooks/orphans.yml's; a tier with nothing stale is left out."""
    declared = {t["name"]: t for t in _tiers(tiers)}
    answers = found.get("results", []) if isinstance(found, Mapping) else list(found or [])
    stale = {}
    for answer in answers:
        if not isinstance(answer, Mapping):
            continue
        for certificate in answer.get("certificates") or []:
            tags = certificate.get("tags") or {}
            name = tags.get(stack.TAG_TIER)
            if name not in declared:
                continue
            fact = (facts or {}).get(name) or {}
            if certificate.get("certificate_arn") in (fact.get(ALB), fact.get(CLOUDFRONT)):
                continue
            entry = stale.setdefault(name, {"certificates": [], "zones": []})
            entry["certificates"].append(
                {
                    "region": answer.get("item"),
                    "certificate_arn": certificate["certificate_arn"],
                    "domain_name": certificate.get("domain_name", ""),
                }
            )
            domain = _domain(declared[name])
            zone = tier_spec.dns_name(tags.get(ZONE_TAG) or "")
            if zone and zone not in entry["zones"] and (domain is None or domain[0] != zone):
                entry["zones"].append(zone)
    return stale


def dns_errors(inputs):
    """The role's inputs the argument spec cannot check: the TTL's range, a positive wait, and the tiers' domains
    (tier_spec.tier_errors of the tiers that have one)."""
    errors = []
    ttl = tier_spec.as_int(inputs.get("dns_ttl"))
    if ttl is not None and not TTL_RANGE[0] <= ttl <= TTL_RANGE[1]:
        errors.append(f"dns_ttl must be between {TTL_RANGE[0]} and {TTL_RANGE[1]} seconds, got {inputs['dns_ttl']!r}")
    wait = tier_spec.as_int(inputs.get("dns_wait_timeout"))
    if wait is not None and wait < 1:
        errors.append(f"dns_wait_timeout must be at least 1 second, got {inputs['dns_wait_timeout']!r}")
    tiers = inputs.get("dns_tiers")
    if isinstance(tiers, list):
        errors.extend(tier_spec.tier_errors([t for t in tiers if tier_spec.has_domain(t)]))
    return errors
