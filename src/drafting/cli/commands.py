"""Registers the commands of each feature area (each module adds its parsers and handlers)."""

from . import app, formats, remote, versions  # noqa: F401
