"""Keeping the translation catalogues in step with the code: one list of what to scan, used
by the `update_messages` command and by the test that fails on an untranslated message."""

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

LANGUAGES = [code for code, _name in settings.LANGUAGES]
IGNORE = [".venv", "node_modules", "staticfiles", "var", "test-artifacts", "locale", "benchmarks", "*.egg-info"]


def extract(locale_dir: Path) -> None:
    """Merge every translatable string of the code into the catalogues under `locale_dir`."""
    with override_settings(LOCALE_PATHS=[locale_dir]):
        call_command(
            "makemessages", locale=LANGUAGES, ignore_patterns=IGNORE, no_location=True, no_obsolete=True, verbosity=0
        )


def po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def statistics(po: Path) -> str:
    """msgfmt's verdict: just "N translated messages." when the catalogue is complete."""
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
    )
    return (done.stdout + done.stderr).strip()


def compile_to_bytes(po: Path) -> bytes:
    return subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True, check=True).stdout
