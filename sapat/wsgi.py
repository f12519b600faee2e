import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapat.settings")
django_application = get_wsgi_application()

# Complete survey answers take a short way past the site's middleware (sapat/surveys/lean.py).
from sapat.surveys.lean import LeanAnswers  # noqa: E402 - needs the configured Django above

application = LeanAnswers(django_application)
