# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The diagram of a deployed stack (``make diagram``, playbooks/diagram.yml).

``stack_graph`` turns what the read-only modules returned about the stack's tagged resources into a graph: nodes in
lanes (edge, load balancers, compute, data, monitoring), the VPC with its subnets per tier and zone, the security-group
chain, and edges for traffic (CloudFront -> load balancer -> group) and for rules (group -> group, with ports).
``render_svg`` and ``render_mermaid`` draw that graph; both are deterministic (sorted, no time stamp), so a committed
diagram changes only when the stack does. Nothing here reads a secret: of a distribution only its id, domain, aliases
and origins' domains and protocol policies are kept.
"""

from html import escape

LANES = (
    ("edge", "Edge"),
    ("balancer", "Load balancers"),
    ("compute", "Compute"),
    ("data", "Data"),
    ("monitoring", "Monitoring"),
)
TIER_TAG = "atelier:tier"


def _tags(resource):
    tags = resource.get("tags") or {}
    if isinstance(tags, list):
        return {t.get("key", t.get("Key")): t.get("value", t.get("Value")) for t in tags}
    return tags


def _ports(permission):
    protocol = str(permission.get("ip_protocol", "-1"))
    if protocol == "-1":
        return "all"
    low, high = permission.get("from_port"), permission.get("to_port")
    port = str(low) if low == high else f"{low}-{high}"
    return port if protocol == "tcp" else f"{protocol}/{port}"


def _distributions(results, tiers):
    """The distributions of cloudfront_distribution_info's loop results, reduced to what a diagram shows (the module
    files each distribution under its id and again under ``result``: each is kept once)."""
    found, seen = [], set()
    for result in results or []:
        for info in (result.get("cloudfront") or {}).values():
            if not isinstance(info, dict) or "Distribution" not in info:
                continue
            dist_id = info["Distribution"].get("Id", "")
            if dist_id in seen:
                continue
            seen.add(dist_id)
            config = info["Distribution"].get("DistributionConfig") or {}
            origins = [
                {
                    "domain": origin.get("DomainName", ""),
                    "protocol": (origin.get("CustomOriginConfig") or {}).get("OriginProtocolPolicy", "s3"),
                }
                for origin in (config.get("Origins") or {}).get("Items") or []
            ]
            found.append(
                {
                    "id": dist_id,
                    "tier": tiers.get(dist_id),
                    "domain": info["Distribution"].get("DomainName", ""),
                    "aliases": list((config.get("Aliases") or {}).get("Items") or []),
                    "origins": origins,
                    "web_acl": bool(config.get("WebACLId")),
                }
            )
    return found


def _results(results, key):
    """The values under key of a loop's results, flattened (a dict value counts as one)."""
    found = []
    for result in results or []:
        value = result.get(key) if isinstance(result, dict) else None
        if isinstance(value, list):
            found.extend(value)
        elif value:
            found.append(value)
    return found


def stack_graph(facts):
    """The graph of the stack from the facts playbooks/diagram.yml collects (see its __atelier_graph)."""
    nodes, edges = [], []

    def node(node_id, lane, label, *details, tier=None):
        nodes.append({"id": node_id, "lane": lane, "label": label, "details": [d for d in details if d], "tier": tier})

    vpcs = []
    for vpc in sorted(facts.get("vpcs") or [], key=lambda v: v.get("vpc_id", "")):
        zones = {}
        for subnet in facts.get("subnets") or []:
            if subnet.get("vpc_id") != vpc.get("vpc_id"):
                continue
            tags = _tags(subnet)
            zones.setdefault(subnet.get("availability_zone", "?"), []).append(
                {"id": subnet.get("subnet_id"), "tier": tags.get(TIER_TAG, "?"), "cidr": subnet.get("cidr_block", "")}
            )
        nats = {n.get("subnet_id") for n in facts.get("nat_gateways") or [] if n.get("vpc_id") == vpc.get("vpc_id")}
        vpcs.append(
            {
                "id": vpc.get("vpc_id"),
                "name": _tags(vpc).get("Name", vpc.get("vpc_id")),
                "cidr": vpc.get("cidr_block", ""),
                "zones": [
                    {
                        "name": zone,
                        "subnets": [
                            dict(subnet, nat=subnet["id"] in nats)
                            for subnet in sorted(subnets, key=lambda s: (s["tier"], s["cidr"]))
                        ],
                    }
                    for zone, subnets in sorted(zones.items())
                ],
            }
        )

    groups = {g.get("group_id"): g for g in facts.get("security_groups") or []}
    chain = []
    for group_id, group in sorted(groups.items(), key=lambda kv: kv[1].get("group_name", "")):
        if group.get("group_name") == "default" and not group.get("ip_permissions"):
            continue
        sources = []
        for permission in group.get("ip_permissions") or []:
            ports = _ports(permission)
            for pair in permission.get("user_id_group_pairs") or []:
                source = groups.get(pair.get("group_id"), {}).get("group_name", pair.get("group_id"))
                sources.append({"from": source, "ports": ports})
            for cidr in permission.get("ip_ranges") or []:
                sources.append({"from": cidr.get("cidr_ip"), "ports": ports})
            for prefix_list in permission.get("prefix_list_ids") or []:
                sources.append({"from": f"prefix list {prefix_list.get('prefix_list_id')}", "ports": ports})
        chain.append({"name": group.get("group_name"), "tier": _tags(group).get(TIER_TAG), "sources": sources})

    balancers_by_dns = {}
    for lb in sorted(facts.get("load_balancers") or [], key=lambda b: b.get("load_balancer_name", "")):
        listeners = sorted(f"{li.get('protocol')}:{li.get('port')}" for li in lb.get("listeners") or [])
        node_id = f"lb:{lb.get('load_balancer_name')}"
        balancers_by_dns[lb.get("dns_name")] = node_id
        node(node_id, "balancer", lb.get("load_balancer_name"), f"{lb.get('scheme', '')} ALB", " ".join(listeners))
        for group_id in lb.get("security_groups") or []:
            name = groups.get(group_id, {}).get("group_name")
            if name:
                nodes[-1]["details"].append(f"sg {name}")

    target_groups = {tg.get("target_group_arn"): tg for tg in facts.get("target_groups") or []}
    lb_names = {lb.get("load_balancer_arn"): lb.get("load_balancer_name") for lb in facts.get("load_balancers") or []}
    for asg in sorted(facts.get("auto_scaling_groups") or [], key=lambda a: a.get("auto_scaling_group_name", "")):
        node_id = f"asg:{asg.get('auto_scaling_group_name')}"
        tier = _tags(asg).get(TIER_TAG)
        node(
            node_id, "compute", asg.get("auto_scaling_group_name"),
            f"EC2 Auto Scaling {asg.get('min_size')}-{asg.get('max_size')} (desired {asg.get('desired_capacity')})",
            tier=tier,
        )
        for arn in asg.get("target_group_arns") or []:
            tg = target_groups.get(arn, {})
            for lb_arn in tg.get("load_balancer_arns") or []:
                if lb_arn in lb_names:
                    edges.append({"from": f"lb:{lb_names[lb_arn]}", "to": node_id,
                                  "label": f"{tg.get('protocol', 'HTTP')}:{tg.get('port', '?')}"})

    tiers = {
        str(r.get("arn", "")).rsplit("/", 1)[-1]: _tags(r).get(TIER_TAG)
        for r in facts.get("tagged_global") or []
    }
    # A tier's instances reaching another tier's load balancer (the frontend calling the backend's internal ALB): a
    # rule of the balancer's group whose source is a tier's own group (not a balancer's).
    lb_groups = {gid: f"lb:{lb.get('load_balancer_name')}" for lb in facts.get("load_balancers") or []
                 for gid in lb.get("security_groups") or []}
    asg_by_tier = {n["tier"]: n["id"] for n in nodes if n["lane"] == "compute" and n["tier"]}
    for group_id, target in sorted(lb_groups.items()):
        for permission in groups.get(group_id, {}).get("ip_permissions") or []:
            for pair in permission.get("user_id_group_pairs") or []:
                source = groups.get(pair.get("group_id"), {})
                tier = _tags(source).get(TIER_TAG)
                if pair.get("group_id") not in lb_groups and tier in asg_by_tier:
                    edges.append({"from": asg_by_tier[tier], "to": target, "label": f"tcp:{_ports(permission)}"})

    for dist in sorted(_distributions(facts.get("distributions"), tiers), key=lambda d: (d["tier"] or "", d["id"])):
        node_id = f"cf:{dist['id']}"
        title = f"CloudFront {dist['tier']}" if dist["tier"] else f"CloudFront {dist['id']}"
        node(node_id, "edge", title, dist["domain"], ", ".join(dist["aliases"]), "WAF" if dist["web_acl"] else "",
             tier=dist["tier"])
        for origin in dist["origins"]:
            target = balancers_by_dns.get(origin["domain"])
            if target:
                edges.append({"from": node_id, "to": target, "label": origin["protocol"]})

    for table in _results(facts.get("tables"), "table"):
        replicas = sorted(r.get("region_name", "") for r in table.get("replicas") or [])
        node(f"table:{table.get('table_name')}", "data", table.get("table_name"),
             f"DynamoDB {facts.get('region', '')}", "replicas " + ", ".join(replicas) if replicas else "")
    for db in _results(facts.get("databases"), "instances"):
        node(f"db:{db.get('db_instance_identifier')}", "data", db.get("db_instance_identifier"),
             f"RDS {db.get('engine', '')} {db.get('engine_version', '')}", db.get("db_instance_class", ""),
             "Multi-AZ" if db.get("multi_az") else "Single-AZ")

    tagged = facts.get("tagged") or []
    alarms = sorted(r.get("name", "") for r in tagged if r.get("resource_type") == "cloudwatch:alarm")
    for topic in sorted(r.get("name", "") for r in tagged if str(r.get("resource_type", "")).startswith("sns")):
        node(f"sns:{topic}", "monitoring", topic, "SNS alarm topic")
    if alarms:
        node("alarms", "monitoring", f"{len(alarms)} CloudWatch alarms", *alarms)

    order = [lane for lane, _title in LANES]
    nodes.sort(key=lambda n: (order.index(n["lane"]), n["label"] or ""))
    edges.sort(key=lambda e: (e["from"], e["to"], e["label"]))
    return {"name": facts.get("name", ""), "region": facts.get("region", ""), "vpcs": vpcs, "security_groups": chain,
            "nodes": nodes, "edges": edges}


def diagram_counts(graph):
    """One line: what the diagram shows."""
    subnets = sum(len(zone["subnets"]) for vpc in graph.get("vpcs", []) for zone in vpc["zones"])
    lanes = {lane: sum(1 for n in graph.get("nodes", []) if n["lane"] == lane) for lane, _title in LANES}
    return (
        f"{graph.get('name')}: {len(graph.get('vpcs', []))} VPC, {subnets} subnets, "
        f"{len(graph.get('security_groups', []))} security groups, {lanes['edge']} distributions, "
        f"{lanes['balancer']} load balancers, {lanes['compute']} groups, {lanes['data']} data stores, "
        f"{len(graph.get('edges', []))} traffic edges"
    )


def _mermaid_id(value):
    return "".join(c if c.isalnum() else "_" for c in str(value))


def _mermaid_text(value):
    return str(value).replace('"', "'")


def render_mermaid(graph):
    """The graph as a Mermaid flowchart (for READMEs)."""
    lines = ["flowchart LR"]
    for lane, title in LANES:
        members = [n for n in graph["nodes"] if n["lane"] == lane]
        if not members:
            continue
        lines.append(f'  subgraph {lane}["{title}"]')
        for n in members:
            text = "<br/>".join(_mermaid_text(t) for t in [n["label"]] + n["details"][:3])
            lines.append(f'    {_mermaid_id(n["id"])}["{text}"]')
        lines.append("  end")
    for vpc in graph["vpcs"]:
        lines.append(f'  subgraph {_mermaid_id(vpc["id"])}["VPC {_mermaid_text(vpc["name"])} {vpc["cidr"]}"]')
        for zone in vpc["zones"]:
            lines.append(f'    subgraph {_mermaid_id(vpc["id"] + zone["name"])}["{zone["name"]}"]')
            for subnet in zone["subnets"]:
                nat = "<br/>NAT gateway" if subnet["nat"] else ""
                lines.append(f'      {_mermaid_id(subnet["id"])}["{subnet["tier"]} {subnet["cidr"]}{nat}"]')
            lines.append("    end")
        lines.append("  end")
    if graph["security_groups"]:
        lines.append('  subgraph security_groups["Security group chain"]')
        for group in graph["security_groups"]:
            lines.append(f'    {_mermaid_id("sg_" + group["name"])}["{_mermaid_text(group["name"])}"]')
        lines.append("  end")
    for edge in graph["edges"]:
        lines.append(f'  {_mermaid_id(edge["from"])} -->|{_mermaid_text(edge["label"])}| {_mermaid_id(edge["to"])}')
    names = {g["name"] for g in graph["security_groups"]}
    for group in graph["security_groups"]:
        for source in group["sources"]:
            if source["from"] in names:
                lines.append(
                    f'  {_mermaid_id("sg_" + source["from"])} -.->|{source["ports"]}| {_mermaid_id("sg_" + group["name"])}'
                )
    return "\n".join(lines) + "\n"


# SVG layout: lanes are columns of boxes; below them the VPC (a column per zone, a row per subnet) and the
# security-group chain (one row per group with its sources and ports).
BOX_W, BOX_LINE, COL_GAP, PAD, CHAR_W = 250, 16, 90, 20, 6.4


def _box_height(n):
    return BOX_LINE * (1 + len(n["details"])) + 12


def _text(x, y, value, size=12, weight="normal", anchor="start"):
    return (
        f'<text x="{x}" y="{y}" font-family="Helvetica,Arial,sans-serif" font-size="{size}" '
        f'font-weight="{weight}" text-anchor="{anchor}">{escape(str(value))}</text>'
    )


def render_svg(graph):
    """The graph as a standalone SVG document."""
    parts, positions = [], {}
    lanes = [(lane, title) for lane, title in LANES if any(n["lane"] == lane for n in graph["nodes"])]
    top = PAD + 40
    lane_bottom = top
    x = PAD
    widths = {}
    for lane, _title in lanes:
        texts = [t for n in graph["nodes"] if n["lane"] == lane for t in [n["label"]] + n["details"]]
        widths[lane] = max([BOX_W] + [int(len(str(t)) * CHAR_W) + 16 for t in texts])
    for lane, title in lanes:
        box_w = widths[lane]
        parts.append(_text(x, top - 10, title, 14, "bold"))
        y = top
        for n in (n for n in graph["nodes"] if n["lane"] == lane):
            height = _box_height(n)
            positions[n["id"]] = (x, y, height, box_w)
            parts.append(f'<rect x="{x}" y="{y}" width="{box_w}" height="{height}" rx="6" fill="#eef4fb" stroke="#3b6ea5"/>')
            parts.append(_text(x + 8, y + BOX_LINE, n["label"], 12, "bold"))
            for i, detail in enumerate(n["details"]):
                parts.append(_text(x + 8, y + BOX_LINE * (i + 2), detail, 11))
            y += height + 16
        lane_bottom = max(lane_bottom, y)
        x += box_w + COL_GAP
    for edge in graph["edges"]:
        if edge["from"] not in positions or edge["to"] not in positions:
            continue
        fx, fy, fh, fw = positions[edge["from"]]
        tx, ty, th, tw = positions[edge["to"]]
        if tx >= fx + fw:
            x1, y1, x2, y2 = fx + fw, fy + fh / 2, tx, ty + th / 2
        else:  # back to an earlier lane (a tier calling another tier's load balancer): left side to right side
            x1, y1, x2, y2 = fx, fy + fh / 2, tx + tw, ty + th / 2
        mid = (x1 + x2) / 2
        parts.append(
            f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" stroke="#555" marker-end="url(#arrow)"/>'
        )
        parts.append(_text(mid, (y1 + y2) / 2 - 4, edge["label"], 10, anchor="middle"))

    y = lane_bottom + 20
    width = max(x + PAD - COL_GAP, PAD * 2 + BOX_W)
    for vpc in graph["vpcs"]:
        rows = max((len(zone["subnets"]) for zone in vpc["zones"]), default=0)
        height = 50 + rows * 34
        zone_w = BOX_W + 20
        vpc_w = max(width - 2 * PAD, PAD + len(vpc["zones"]) * (zone_w + 10))
        width = max(width, vpc_w + 2 * PAD)
        parts.append(f'<rect x="{PAD}" y="{y}" width="{vpc_w}" height="{height}" rx="8" fill="none" stroke="#2e7d32"/>')
        parts.append(_text(PAD + 10, y + 18, f"VPC {vpc['name']} {vpc['cidr']} ({vpc['id']})", 13, "bold"))
        for column, zone in enumerate(vpc["zones"]):
            zx = PAD + 10 + column * (zone_w + 10)
            parts.append(_text(zx, y + 38, zone["name"], 12, "bold"))
            for row, subnet in enumerate(zone["subnets"]):
                sy = y + 46 + row * 34
                fill = "#e8f5e9" if subnet["tier"] == "public" else "#f5f5f5"
                parts.append(f'<rect x="{zx}" y="{sy}" width="{zone_w - 10}" height="28" rx="4" fill="{fill}" stroke="#999"/>')
                nat = "  NAT" if subnet["nat"] else ""
                parts.append(_text(zx + 6, sy + 18, f"{subnet['tier']}  {subnet['cidr']}{nat}", 11))
        y += height + 20

    if graph["security_groups"]:
        parts.append(_text(PAD, y + 14, "Security group chain (who may reach whom, on which ports)", 14, "bold"))
        y += 26
        for group in graph["security_groups"]:
            sources = "; ".join(f"{s['from']} :{s['ports']}" for s in group["sources"]) or "no ingress"
            parts.append(_text(PAD + 10, y + 14, f"{group['name']}  <-  {sources}", 11))
            y += 18
    height = y + PAD
    header = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{int(width)}" height="{int(height)}" '
        f'viewBox="0 0 {int(width)} {int(height)}">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>'
        f'<rect width="100%" height="100%" fill="white"/>'
        + _text(PAD, PAD + 8, f"{graph['name']} ({graph['region']})", 16, "bold")
    )
    return header + "\n" + "\n".join(parts) + "\n</svg>\n"
