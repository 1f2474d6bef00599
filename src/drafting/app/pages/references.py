"""Page script: see drafting.app.views.precedents."""

from drafting.app.views import precedents

precedents.render()
