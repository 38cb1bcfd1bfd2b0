"""WSGI entry point: `gunicorn archive.wsgi` serves the production settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.production")

application = get_wsgi_application()
