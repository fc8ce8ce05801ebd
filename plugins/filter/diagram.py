# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of make diagram (playbooks/diagram.yml): the graph of the deployed stack and its SVG and Mermaid views."""

from ansible_collections.atelier.infra.plugins.module_utils import diagram


def stack_arns_by_type(resources):
    """tagged_resources_info's resources grouped by type: {resource_type: [arn, ...]}, ARNs sorted."""
    grouped = {}
    for resource in resources or []:
        grouped.setdefault(resource.get("resource_type", ""), []).append(resource["arn"])
    return {kind: sorted(arns) for kind, arns in grouped.items()}


def stack_graph(facts):
    """The graph of the deployed stack from what playbooks/diagram.yml read."""
    return diagram.stack_graph(facts)


def stack_diagram_svg(graph):
    """The graph drawn as SVG."""
    return diagram.render_svg(graph)


def stack_diagram_mermaid(graph):
    """The graph as a Mermaid flowchart."""
    return diagram.render_mermaid(graph)


def stack_diagram_counts(graph):
    """One line saying what the diagram shows."""
    return diagram.diagram_counts(graph)


class FilterModule:
    """Diagram filters."""

    def filters(self):
        return {
            "stack_arns_by_type": stack_arns_by_type,
            "stack_graph": stack_graph,
            "stack_diagram_svg": stack_diagram_svg,
            "stack_diagram_mermaid": stack_diagram_mermaid,
            "stack_diagram_counts": stack_diagram_counts,
        }
