"""DisableMetricsCollection, and EnableMetricsCollection adding to the group's enabled metrics.

AWS: a group's metrics collection is a set of enabled metrics (``EnabledMetrics`` of DescribeAutoScalingGroups, each
``{Metric, Granularity: "1Minute"}``). ``EnableMetricsCollection`` adds the metrics given to the set, all of them
when ``Metrics`` is omitted ("If you specify Granularity and don't specify any metrics, all metrics are enabled");
``DisableMetricsCollection`` removes the metrics given, all of them when ``Metrics`` is omitted ("If you omit this
property, all metrics are disabled"). The metrics are the twenty listed in both references (``GroupMinSize`` ...
``GroupAndWarmPoolTotalCapacity``). That Enable adds rather than replaces is how clients use it:
hashicorp/terraform-provider-aws (internal/service/autoscaling/group.go, resourceGroupUpdate) changes
``enabled_metrics`` by disabling only the metrics removed and enabling only the metrics added.

moto 5.2.5: ``AutoScalingResponse`` (moto/autoscaling/responses.py) has no ``disable_metrics_collection``: the call
answers HTTP 500 (``NotImplementedError``). amazon.aws ``autoscaling_group`` calls it on *every* update of an existing
group whose ``metrics_collection`` is false (its default), so re-running a play that manages a group failed.
``FakeAutoScalingGroup.enable_metrics_collection`` (moto/autoscaling/models.py) replaces the set with the metrics
given (an empty set when ``Metrics`` is omitted), and ``AutoScalingBackend.enable_metrics_collection`` answers an
unknown group with HTTP 500 (``IndexError``).

What this addition does: adds ``DisableMetricsCollection`` (``AutoScalingResponse.disable_metrics_collection`` and
``AutoScalingBackend.disable_metrics_collection``) and replaces ``AutoScalingBackend.enable_metrics_collection`` with
the set semantics above; the set stays moto's ``FakeAutoScalingGroup.metrics`` list (in the order enabled), which
``enabled_metrics`` describes. An unknown group is a ValidationError with moto's DeleteAutoScalingGroup wording
("AutoScalingGroup name not found - AutoScalingGroup '<name>' not found"; ours for these two operations). Metric
names are not validated.

References: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DisableMetricsCollection.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnableMetricsCollection.html
            https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnabledMetric.html
"""

from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import EmptyResult

ALL_METRICS = (
    "GroupMinSize",
    "GroupMaxSize",
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupPendingInstances",
    "GroupStandbyInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
    "GroupInServiceCapacity",
    "GroupPendingCapacity",
    "GroupStandbyCapacity",
    "GroupTerminatingCapacity",
    "GroupTotalCapacity",
    "WarmPoolDesiredCapacity",
    "WarmPoolWarmedCapacity",
    "WarmPoolPendingCapacity",
    "WarmPoolTerminatingCapacity",
    "WarmPoolTotalCapacity",
    "GroupAndWarmPoolDesiredCapacity",
    "GroupAndWarmPoolTotalCapacity",
)


def _group(backend: AutoScalingBackend, group_name: str) -> FakeAutoScalingGroup:
    group = backend.autoscaling_groups.get(group_name)
    if group is None:
        raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup '{group_name}' not found")
    return group


def _enable_metrics_collection(self, group_name: str, metrics: list[str] | None) -> None:
    group = _group(self, group_name)
    enabled = list(group.metrics)
    enabled.extend(metric for metric in (metrics or ALL_METRICS) if metric not in enabled)
    group.metrics = enabled


def _disable_metrics_collection(self, group_name: str, metrics: list[str] | None) -> None:
    group = _group(self, group_name)
    group.metrics = [metric for metric in group.metrics if metrics and metric not in metrics]


def _disable_metrics_collection_response(self) -> EmptyResult:
    self.autoscaling_backend.disable_metrics_collection(
        self._get_param("AutoScalingGroupName"), self._get_param("Metrics")
    )
    return EmptyResult()


def apply() -> None:
    """Add DisableMetricsCollection; give EnableMetricsCollection AWS's set semantics."""
    AutoScalingBackend.enable_metrics_collection = _enable_metrics_collection
    AutoScalingBackend.disable_metrics_collection = _disable_metrics_collection
    AutoScalingResponse.disable_metrics_collection = _disable_metrics_collection_response
