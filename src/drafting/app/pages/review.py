"""Page script: see drafting.app.views.review."""

from drafting.app.views import review

review.render()
