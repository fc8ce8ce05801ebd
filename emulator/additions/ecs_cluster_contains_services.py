"""A cluster with active services cannot be deleted.

AWS: DeleteCluster of a cluster that still has services (not INACTIVE) fails with ``ClusterContainsServicesException``
"The Cluster cannot be deleted while Services are active." and leaves the cluster as it was; once its services are
deleted (INACTIVE, or draining) the cluster can go.

moto 5.2.5: ``EC2ContainerServiceBackend.delete_cluster`` (moto/ecs/models.py) marks the cluster INACTIVE whatever
services it runs, so a teardown that deletes the cluster before its services passes on the emulator and fails on AWS.

What this addition does: wraps delete_cluster; it raises ``ClusterContainsServicesException`` while a service of the
cluster is ACTIVE or DRAINING.

Reference: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html
"""

from moto.ecs.exceptions import ECSException
from moto.ecs.models import EC2ContainerServiceBackend

_ORIGINAL = {}


class ClusterContainsServicesException(ECSException):
    def __init__(self) -> None:
        super().__init__("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.")


def _delete_cluster(self, cluster_str):
    cluster = self._get_cluster(cluster_str)
    for service in self.services.values():
        if service.cluster_arn == cluster.arn and service.status in ("ACTIVE", "DRAINING"):
            raise ClusterContainsServicesException()
    return _ORIGINAL["delete_cluster"](self, cluster_str)


def apply() -> None:
    """Wrap DeleteCluster with the active-services refusal."""
    _ORIGINAL["delete_cluster"] = EC2ContainerServiceBackend.delete_cluster
    EC2ContainerServiceBackend.delete_cluster = _delete_cluster
