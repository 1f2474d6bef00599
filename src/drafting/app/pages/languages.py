"""Page script: see drafting.app.views.languages."""

from drafting.app.views import languages

languages.render()
