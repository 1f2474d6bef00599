"""Page script: see drafting.app.views.history."""

from drafting.app.views import history

history.render()
