"""Application Auto Scaling as AWS does it: applicationautoscaling_deregister_target (deregistering a scalable target
deletes its scaling policies, their alarms and its scheduled actions; a missing target is ObjectNotFoundException).
Each test fails against plain moto (ATELIER_EMULATOR_DISABLE_ADDITIONS=applicationautoscaling_deregister_target)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.helpers import unique

DIMENSION = "ecs:service:DesiredCount"


def scaled_service(emulator):
    """An ECS service with a scalable target, a target tracking policy and a scheduled action: its resource id."""
    ecs, scaling = emulator.client("ecs"), emulator.client("application-autoscaling")
    cluster = unique("aas")
    ecs.create_cluster(clusterName=cluster)
    family = unique("aas")
    ecs.register_task_definition(family=family, containerDefinitions=[{"name": "app", "image": "nginx", "memory": 128}])
    ecs.create_service(cluster=cluster, serviceName="svc", taskDefinition=family, desiredCount=1)
    resource = f"service/{cluster}/svc"
    scaling.register_scalable_target(ServiceNamespace="ecs", ResourceId=resource, ScalableDimension=DIMENSION, MinCapacity=1, MaxCapacity=3)
    scaling.put_scaling_policy(
        PolicyName="cpu", ServiceNamespace="ecs", ResourceId=resource, ScalableDimension=DIMENSION, PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}},
    )
    scaling.put_scheduled_action(ServiceNamespace="ecs", ResourceId=resource, ScalableDimension=DIMENSION,
                                 ScheduledActionName="night", Schedule="cron(0 22 * * ? *)", ScalableTargetAction={"MinCapacity": 1})
    return resource


def test_deregistering_a_target_deletes_its_policies_alarms_and_scheduled_actions(emulator):
    scaling, cloudwatch = emulator.client("application-autoscaling"), emulator.client("cloudwatch")
    resource = scaled_service(emulator)
    other = scaled_service(emulator)
    (policy,) = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]
    alarms = [a["AlarmName"] for a in policy["Alarms"]]
    assert alarms
    scaling.deregister_scalable_target(ServiceNamespace="ecs", ResourceId=resource, ScalableDimension=DIMENSION)
    assert scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"] == []
    assert scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"] == []
    assert scaling.describe_scheduled_actions(ServiceNamespace="ecs", ResourceId=resource)["ScheduledActions"] == []
    assert cloudwatch.describe_alarms(AlarmNames=alarms)["MetricAlarms"] == []
    # The other resource's target keeps its policy.
    assert len(scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=other)["ScalingPolicies"]) == 1


def test_deregistering_a_missing_target_is_object_not_found(emulator):
    scaling = emulator.client("application-autoscaling")
    with pytest.raises(ClientError) as error:
        scaling.deregister_scalable_target(ServiceNamespace="ecs", ResourceId=f"service/{unique('none')}/svc", ScalableDimension=DIMENSION)
    assert error.value.response["Error"]["Code"] == "ObjectNotFoundException"
