"""Page script: see drafting.app.views.draft."""

from drafting.app.views import draft

draft.render()
