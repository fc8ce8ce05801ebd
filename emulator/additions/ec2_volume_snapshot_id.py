"""Volumes always describe ``SnapshotId``; an instance's root volume made from its AMI names the AMI's snapshot.

AWS: DescribeVolumes answers ``SnapshotId`` for every volume: the snapshot it was created from, or the empty string
for a blank volume. RunInstances merges the given block device mappings with the AMI's, so a root volume launched
with only a size, type or encryption for the AMI's root device is still created from the AMI's root snapshot and
describes that ``SnapshotId``.

moto 5.2.5: ``EBSBackend.create_volume`` (moto/ec2/models/elastic_block_store.py) keeps ``snapshot_id=None`` for a
blank volume, and the serializer leaves ``SnapshotId`` out; ``Instance.add_block_device`` (moto/ec2/models/instances.py)
creates the root volume of a mapping without ``SnapshotId`` blank. amazon.aws ``ec2_vol_info`` then fails with
``KeyError: 'snapshot_id'`` on any such volume (every root volume of an instance launched with ``volumes``).

Reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Volume.html,
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html
"""

from moto.ec2.models.elastic_block_store import EBSBackend
from moto.ec2.models.instances import Instance

_CREATE_VOLUME = EBSBackend.create_volume
_ADD_BLOCK_DEVICE = Instance.add_block_device


def _create_volume(self, *args, **kwargs):
    """moto's create_volume; a blank volume describes SnapshotId as the empty string."""
    volume = _CREATE_VOLUME(self, *args, **kwargs)
    if volume.snapshot_id is None:
        volume.snapshot_id = ""
    return volume


def _ami_root_snapshot(instance: Instance, device_path: str) -> str | None:
    """The snapshot of the instance's AMI for device_path when it is the AMI's root device, else None."""
    ami = instance.ec2_backend.amis.get(instance.image_id)
    if ami is None or ami.root_device_name != device_path:
        return None
    snapshot = getattr(ami, "ebs_snapshot", None)
    return snapshot.id if snapshot is not None else None


def _add_block_device(self, size, device_path, snapshot_id, *args, **kwargs):
    """moto's add_block_device, with the AMI's root snapshot for a root mapping that names none."""
    if not snapshot_id:
        snapshot_id = _ami_root_snapshot(self, device_path)
    return _ADD_BLOCK_DEVICE(self, size, device_path, snapshot_id, *args, **kwargs)


def apply() -> None:
    """Patch the EBS backend's create_volume and the instance's add_block_device."""
    EBSBackend.create_volume = _create_volume
    Instance.add_block_device = _add_block_device
