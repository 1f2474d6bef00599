"""Page script: see drafting.app.views.compare."""

from drafting.app.views import compare

compare.render()
