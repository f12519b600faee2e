"""Keeping the translation catalogues in step with the code: one list of what to scan, used
by the `update_messages` command and by the test that fails on an untranslated message."""

import os
import shutil
import subprocess
from contextlib import chdir
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SOURCES = ["sapat", "templates"]
IGNORE = [".venv", "node_modules", "staticfiles", "var", "test-artifacts", "locale", "benchmarks", "*.egg-info"]


def extract(root: Path) -> None:
    """Merge every translatable string of the code under `root` into `root/locale`.
    makemessages writes to the `locale` folder nearest each source file, so it runs inside
    `root` and nowhere else."""
    with chdir(root), override_settings(LOCALE_PATHS=[root / "locale"]):
        call_command(
            "makemessages", locale=LANGUAGES, ignore_patterns=IGNORE, no_location=True, no_obsolete=True, verbosity=0
        )


def copy_for_extraction(target: Path) -> Path:
    """A copy of the sources and catalogues, to extract into without touching the real ones."""
    for name in [*SOURCES, "locale"]:
        shutil.copytree(settings.BASE_DIR / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def statistics(po: Path) -> str:
    """msgfmt's verdict: just "N translated messages." when the catalogue is complete."""
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True, check=False
    )
    return (done.stdout + done.stderr).strip()


def compile_to_bytes(po: Path) -> bytes:
    return subprocess.run(["msgfmt", "-o", "-", str(po)], capture_output=True, check=True).stdout
