"""The diagram filters (make diagram)."""

from ansible_collections.atelier.infra.plugins.filter import diagram as filters


def test_filters_are_registered():
    assert set(filters.FilterModule().filters()) == {
        "stack_arns_by_type", "stack_graph", "stack_diagram_svg", "stack_diagram_mermaid", "stack_diagram_counts",
    }


def test_arns_are_grouped_by_type_and_sorted():
    found = [
        {"arn": "arn:b", "resource_type": "dynamodb:table"},
        {"arn": "arn:z", "resource_type": "rds:db"},
        {"arn": "arn:a", "resource_type": "dynamodb:table"},
    ]
    assert filters.stack_arns_by_type(found) == {"dynamodb:table": ["arn:a", "arn:b"], "rds:db": ["arn:z"]}
    assert filters.stack_arns_by_type([]) == {}


def test_the_graph_filters_draw_what_the_graph_holds():
    graph = filters.stack_graph({"name": "s", "region": "eu-west-1", "tagged": [{"resource_type": "sns:topic", "name": "s-alarms"}]})
    assert [n["id"] for n in graph["nodes"]] == ["sns:s-alarms"]
    assert "s-alarms" in filters.stack_diagram_svg(graph)
    assert 'sns_s_alarms["s-alarms<br/>SNS alarm topic"]' in filters.stack_diagram_mermaid(graph)
    assert "0 distributions" in filters.stack_diagram_counts(graph)
