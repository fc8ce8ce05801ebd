"""tests/times.py: the summary of build/test-times.jsonl per worker and per unit of work."""

from tests import times


def _line(worker, unit, seconds, end, when="call"):
    return {"worker": worker, "unit": unit, "nodeid": f"{unit}::t", "when": when, "seconds": seconds, "end": end}


def test_each_worker_spans_its_phases_and_units_are_summed_longest_first():
    lines = [
        _line("gw0", "a.py", 2.0, 102.0, "setup"),
        _line("gw0", "a.py", 3.0, 105.0),
        _line("gw1", "b.py", 1.0, 101.0),
        _line("gw1", "shared", 6.0, 110.0),
    ]
    workers, units = times.summary(lines)
    assert workers == {"gw0": (100.0, 105.0, 5.0), "gw1": (100.0, 110.0, 7.0)}
    assert units == [("shared", 6.0, "gw1", 104.0), ("a.py", 5.0, "gw0", 100.0), ("b.py", 1.0, "gw1", 100.0)]


def test_the_report_names_each_unit_with_its_estimate(tmp_path, capsys):
    recorded = tmp_path / "times.jsonl"
    recorded.write_text('{"worker": "gw0", "unit": "shared-tiers-deploy", "nodeid": "x", "when": "call", '
                        '"seconds": 12.5, "end": 50.0}\n', encoding="utf-8")
    assert times.main([str(recorded), "--units", "1"]) == 0
    out = capsys.readouterr().out
    assert "gw0:       0 s to      12 s, tests      12 s" in out
    assert "shared-tiers-deploy" in out and f" {times.SECONDS['shared-tiers-deploy']} gw0" in out
