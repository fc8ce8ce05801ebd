"""Time-scaled status properties for moto models (shared by the ``*_state`` additions; not an addition itself).

``timed_status(attribute, knob_create, pending, settled, ...)`` builds a property that stores what moto assigns and
answers, when read, the status AWS would show at that moment: ``pending`` while the object is younger than the create
delay and moto says ``settled``, ``leaving`` while it was marked ``gone`` less than the delete delay ago. A status
never goes back: once the settled status has been answered it stays (raising a delay later does not undo it).
"""

import time

from emulator import knobs


def timed_status(
    attribute: str,
    create_knob: str,
    pending: str,
    settled: str,
    delete_knob: str | None = None,
    leaving: str | None = None,
    gone: str | None = None,
) -> property:
    """A property that replaces moto's plain status attribute ``attribute`` on a model class."""
    stored_key, created_key, settled_key, gone_key = (
        f"_atelier_{attribute}_{part}" for part in ("value", "created", "settled", "gone")
    )

    def read(self):
        values = self.__dict__
        stored = values.get(stored_key)
        if stored == settled and not values.get(settled_key):
            if time.time() - values.get(created_key, 0.0) < knobs.get_float(create_knob):
                return pending
            values[settled_key] = True
        if delete_knob and stored == gone and gone_key in values:
            if time.time() - values[gone_key] < knobs.get_float(delete_knob):
                return leaving
            del values[gone_key]
        return stored

    def write(self, value) -> None:
        values = self.__dict__
        if created_key not in values:
            values[created_key] = time.time()
        if delete_knob and value == gone and values.get(stored_key) != gone:
            values[gone_key] = time.time()
        values[stored_key] = value

    return property(read, write)


def created_at(obj, attribute: str) -> float | None:
    """When obj's status was first set (the object's creation), from a timed_status property."""
    return obj.__dict__.get(f"_atelier_{attribute}_created")
