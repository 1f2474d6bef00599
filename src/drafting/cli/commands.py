"""Commands built on the versions, formats and remotes layers (registered on import)."""
