"""The ``drafting`` command line."""
