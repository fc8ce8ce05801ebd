"""What moto lacks for atelier.infra, one gap per module, applied when the emulator server starts.

Each module in this package:

* starts with a docstring saying what AWS does, what moto 5.2.5 does instead (file and function) and the AWS API
  reference it follows;
* exposes ``apply()``, which patches moto's backends or responses; importing the module changes nothing.

``apply_all()`` imports every module here in name order and calls its ``apply()``: adding a file is all it takes.
Set ``ATELIER_EMULATOR_DISABLE_ADDITIONS`` to a comma-separated list of module names (or ``all``) to run the
emulator without them, for example to see a test fail against plain moto.
"""

import importlib
import os
import pkgutil

DISABLE_ENV = "ATELIER_EMULATOR_DISABLE_ADDITIONS"


def available() -> list[str]:
    """The names of the addition modules, in the order they are applied."""
    return sorted(module.name for module in pkgutil.iter_modules(__path__) if not module.name.startswith("_"))


def apply_all() -> list[str]:
    """Apply every addition not disabled by ATELIER_EMULATOR_DISABLE_ADDITIONS; return the names applied."""
    disabled = {name.strip() for name in os.environ.get(DISABLE_ENV, "").split(",") if name.strip()}
    applied = []
    for name in available():
        if "all" in disabled or name in disabled:
            continue
        importlib.import_module(f"{__name__}.{name}").apply()
        applied.append(name)
    return applied
