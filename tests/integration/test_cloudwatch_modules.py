"""Round trip of atelier.infra.cloudwatch_alarm_set and atelier.infra.cloudwatch_dashboard against the emulator.

One playbook (tests/integration/playbooks/cloudwatch_modules.yml), three runs: the first creates three alarms (one of
them metric math) and a dashboard; the second changes nothing and makes no mutating call (the metric-math alarm is
not put again, the gap amazon.aws.cloudwatch_metric_alarm has); the third drops one alarm from the list, which purge
deletes, and changes the dashboard. Checked through the CloudWatch API.
"""

import json

PLAYBOOK = "tests/integration/playbooks/cloudwatch_modules.yml"
PREFIX = "itest-cw-"


def _alarms(emulator):
    client = emulator.client("cloudwatch")
    alarms = client.describe_alarms(AlarmNamePrefix=PREFIX)["MetricAlarms"]
    return {alarm["AlarmName"]: alarm for alarm in alarms}, client


def test_alarm_set_and_dashboard_round_trip(emulator):
    emulator.reset()

    first = emulator.playbook(PLAYBOOK)
    assert first.rc == 0, first.output
    assert first.changed == 2, first.output
    alarms, client = _alarms(emulator)
    assert sorted(alarms) == [f"{PREFIX}5xx-rate", f"{PREFIX}cpu-high", f"{PREFIX}latency-p99"]
    math = alarms[f"{PREFIX}5xx-rate"]
    assert [query["Id"] for query in math["Metrics"]] == ["e1", "m1", "m2"]
    assert [query["ReturnData"] for query in math["Metrics"]] == [True, False, False]
    tags = client.list_tags_for_resource(ResourceARN=math["AlarmArn"])["Tags"]
    assert tags == [{"Key": "atelier:test", "Value": "integration"}]
    body = json.loads(client.get_dashboard(DashboardName="itest-cw")["DashboardBody"])
    assert [widget["type"] for widget in body["widgets"]] == ["metric", "text"]

    second = emulator.playbook(PLAYBOOK)
    assert second.rc == 0, second.output
    assert second.changed == 0, second.output
    assert second.mutating == [], second.mutating

    third = emulator.playbook(PLAYBOOK, extra_vars={"cw_drop": True})
    assert third.rc == 0, third.output
    assert third.changed == 2, third.output
    alarms, client = _alarms(emulator)
    assert sorted(alarms) == [f"{PREFIX}5xx-rate", f"{PREFIX}cpu-high"]
    body = json.loads(client.get_dashboard(DashboardName="itest-cw")["DashboardBody"])
    assert [widget["type"] for widget in body["widgets"]] == ["metric"]
