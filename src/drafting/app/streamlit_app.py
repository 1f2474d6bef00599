"""The app's entry inside the package (``drafting app`` uses it when app.py is not at hand)."""

from drafting.app.main import run

run()
