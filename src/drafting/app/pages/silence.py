"""Page script: see drafting.app.views.silence."""

from drafting.app.views import silence

silence.render()
