"""Page script: see drafting.app.views.dashboard."""

from drafting.app.views import dashboard

dashboard.render()
