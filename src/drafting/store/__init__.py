"""The edges that touch the disk: YAML files (ruamel.yaml) and git (GitPython)."""
