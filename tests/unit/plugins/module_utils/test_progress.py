"""What the progress callback says about long waits (plugins/module_utils/progress.py)."""

import pytest

from ansible_collections.atelier.infra.plugins.module_utils.progress import Waits, duration


@pytest.mark.parametrize("seconds, text", [(0, "0s"), (45.9, "45s"), (65, "1m05s"), (600, "10m00s"), (3725, "1h02m05s"), (-3, "0s")])
def test_duration(seconds, text):
    assert duration(seconds) == text


def test_a_retry_says_what_it_waits_for_and_how_long():
    waits = Waits(60)
    waits.start("k", "frontend", "Wait for CloudFront", now=100)
    assert waits.retry("k", "frontend", "Wait for CloudFront", 7, 61, 10, now=170) == (
        "Waiting 1m10s (check 7 of 61, every 10s): Wait for CloudFront [frontend]"
    )


def test_a_retry_of_a_task_not_seen_starting_counts_from_now_and_without_a_delay_says_no_period():
    assert Waits(60).retry("k", "h", "t", 1, 4, 0, now=5) == "Waiting 0s (check 1 of 4): t [h]"


def test_tasks_still_running_are_reported_once_per_interval_oldest_first():
    waits = Waits(60)
    waits.start("db", "control", "Create the database", now=0)
    waits.start("nat", "control", "Converge the network", now=10)
    assert waits.due(59) == []
    assert waits.due(60) == ["Still running after 1m00s: Create the database [control]"]
    assert waits.due(70) == ["Still running after 1m00s: Converge the network [control]"]
    assert waits.due(100) == []
    waits.end("nat")
    assert waits.due(130) == ["Still running after 2m10s: Create the database [control]"]


def test_a_retry_line_postpones_the_next_still_running_line_and_the_end_or_a_new_task_stops_them():
    waits = Waits(60)
    waits.start("k", "h", "Wait", now=0)
    waits.retry("k", "h", "Wait", 5, 61, 10, now=50)
    assert waits.due(100) == []
    assert waits.due(110) == ["Still running after 1m50s: Wait [h]"]
    waits.clear()
    assert waits.due(1000) == []


def test_interval_zero_reports_nothing_but_retries():
    waits = Waits(0)
    waits.start("k", "h", "t", now=0)
    assert waits.due(10_000) == []
    assert waits.retry("k", "h", "t", 2, 3, 5, now=5).startswith("Waiting 5s (check 2 of 3, every 5s)")
