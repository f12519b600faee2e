import os
import subprocess
import sys

from django.conf import settings


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SAPAT_")},
        "DJANGO_SETTINGS_MODULE": "sapat.settings",
        "SAPAT_SECRET_KEY": "x" * 20 + "production-like-secret-key-" + "y" * 20,
        "SAPAT_SSL_REDIRECT": "1",
        "SAPAT_HSTS_SECONDS": "31536000",
        "SAPAT_ALLOWED_HOSTS": "sapat.example.kg",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAPAT_")}
    env["DJANGO_SETTINGS_MODULE"] = "sapat.settings"
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and "SAPAT_SECRET_KEY" in done.stderr
