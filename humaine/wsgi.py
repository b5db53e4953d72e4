"""WSGI entry point: ``gunicorn humaine.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humaine.settings")
application = get_wsgi_application()

# a worker's first routed case would otherwise import the engine's persistence (seconds)
from humaine.human_ai import engine  # noqa: E402

engine.warm_up()
