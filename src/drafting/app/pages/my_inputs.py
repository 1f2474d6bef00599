"""Page script: see drafting.app.views.my_inputs."""

from drafting.app.views import my_inputs

my_inputs.render()
