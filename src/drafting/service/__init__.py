"""Use cases shared by the CLI and the app: load, check roles, validate, write, commit.

Each function takes a :class:`~drafting.store.workspace.Workspace`, does one thing a
user asked for, and returns plain data. Role rules live here and in ``model.roles``, so
the app cannot do what the CLI would refuse.
"""
