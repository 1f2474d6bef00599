"""Page script: see drafting.app.views.submit."""

from drafting.app.views import submit

submit.render()
