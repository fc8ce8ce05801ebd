"""S3 refuses notifications of one bucket that overlap.

AWS: PutBucketNotificationConfiguration refuses two notifications (of any destinations: topic, queue, function) that
share an event type (``s3:ObjectCreated:*`` shares every ``s3:ObjectCreated:...``) and whose key filters can match
the same key (one prefix starts the other, or either is empty; likewise one suffix ends the other):
``InvalidArgument`` "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the
prefixes are overlapping for the same event type." (400), and the configuration is not changed.

moto 5.2.5: ``S3Backend.put_bucket_notification_configuration`` (moto/s3/models.py) stores overlapping
notifications (and would send one event to both).

What this addition does: before moto stores the configuration, every pair of its notifications is compared as
above; an overlap is the error above.

Reference: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
"""

from moto.s3.exceptions import InvalidArgumentError
from moto.s3.models import S3Backend

REFUSED = ("Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are "
           "overlapping for the same event type.")
KINDS = ("TopicConfiguration", "QueueConfiguration", "CloudFunctionConfiguration")


def _listed(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _filters(entry: dict) -> tuple[str, str]:
    rules = _listed(((entry.get("Filter") or {}).get("S3Key") or {}).get("FilterRule"))
    found = {str(r.get("Name", "")).lower(): r.get("Value") or "" for r in rules}
    return found.get("prefix", ""), found.get("suffix", "")


def _types_overlap(first: str, second: str) -> bool:
    if first == second:
        return True
    return any(wide.endswith(":*") and narrow.startswith(wide[:-1]) for wide, narrow in ((first, second), (second, first)))


def overlapping(configuration: dict) -> bool:
    """Whether two notifications of configuration overlap."""
    entries = []
    for kind in KINDS:
        for entry in _listed((configuration or {}).get(kind)):
            entries.append((_listed(entry.get("Event")), *_filters(entry)))
    for i, (events, prefix, suffix) in enumerate(entries):
        for other_events, other_prefix, other_suffix in entries[i + 1:]:
            if (any(_types_overlap(a, b) for a in events for b in other_events)
                    and (prefix.startswith(other_prefix) or other_prefix.startswith(prefix))
                    and (suffix.endswith(other_suffix) or other_suffix.endswith(suffix))):
                return True
    return False


def apply() -> None:
    """Refuse overlaps in S3Backend.put_bucket_notification_configuration."""
    put = S3Backend.put_bucket_notification_configuration

    def checked_put(self, bucket_name, notification_config):
        if overlapping(notification_config):
            self.get_bucket(bucket_name)  # a missing bucket stays moto's NoSuchBucket
            raise InvalidArgumentError(REFUSED, "Event", "null")
        return put(self, bucket_name, notification_config)

    S3Backend.put_bucket_notification_configuration = checked_put
