"""Settings for the test suite: the production settings with a throwaway secret, a fast
password hasher and mail kept in memory."""

import os

os.environ.setdefault("SAPAT_TESTING", "1")

from sapat.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
