"""Page script: see drafting.app.views.news."""

from drafting.app.views import news

news.render()
