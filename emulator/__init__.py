"""Local AWS endpoint for atelier.infra: moto's server, a request log, and what moto lacks (``additions``).

Run it with ``python -m emulator start|stop|status|serve`` from the repository root; see docs/emulator.md.
"""
