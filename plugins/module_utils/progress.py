# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the atelier.infra.progress callback says about long waits: which task on which host it waits for and for how
long, both for a task that retries (until/retries: CloudFront deploying, an instance refresh) and for a module that
waits inside one call (RDS, NAT gateways, table replicas, a service reaching steady state). Pure: the callback gives
the clock."""


def duration(seconds):
    """45 -> '45s', 65 -> '1m05s', 3725 -> '1h02m05s'."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


class Waits:
    """The tasks running on each host, when they started and when they were last reported."""

    def __init__(self, interval):
        self.interval = interval
        self.running = {}

    def start(self, key, host, name, now):
        self.running[key] = {"host": host, "name": name, "start": now, "reported": now}

    def end(self, key):
        self.running.pop(key, None)

    def clear(self):
        self.running.clear()

    def retry(self, key, host, name, attempt, checks, delay, now):
        """The line for one retry of an until loop (check attempt of checks, delay seconds apart): what it waits for
        and how long so far."""
        entry = self.running.setdefault(key, {"host": host, "name": name, "start": now, "reported": now})
        entry["reported"] = now
        waited = duration(now - entry["start"])
        every = f", every {duration(delay)}" if delay else ""
        return f"Waiting {waited} (check {attempt} of {checks}{every}): {name} [{host}]"

    def due(self, now):
        """The lines for tasks that have run for at least the interval since they started or were last reported."""
        if not self.interval or self.interval <= 0:
            return []
        lines = []
        for entry in sorted(self.running.values(), key=lambda e: (e["start"], e["host"], e["name"])):
            if now - entry["reported"] >= self.interval:
                entry["reported"] = now
                lines.append(f"Still running after {duration(now - entry['start'])}: {entry['name']} [{entry['host']}]")
        return lines
