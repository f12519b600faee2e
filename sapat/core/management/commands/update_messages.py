import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand

from sapat.core import i18n_catalogues


class Command(BaseCommand):
    help = "Merge new interface strings into locale/*/django.po, fill English from the source, compile .mo files."

    def handle(self, *args, **options):
        locale_dir = settings.BASE_DIR / "locale"
        i18n_catalogues.extract(settings.BASE_DIR)
        english = i18n_catalogues.po_path(locale_dir, "en")
        # English is the source language: its translations are the messages themselves. Fuzzy
        # guesses are emptied first, or msgen would keep them ("Full name" → "user name").
        subprocess.run(["msgattrib", "--clear-fuzzy", "--empty", str(english), "-o", str(english)], check=True)
        subprocess.run(["msgen", str(english), "-o", str(english)], check=True)
        for language in i18n_catalogues.LANGUAGES:
            po = i18n_catalogues.po_path(locale_dir, language)
            po.with_suffix(".mo").write_bytes(i18n_catalogues.compile_to_bytes(po))
            self.stdout.write(f"{language}: {i18n_catalogues.statistics(po)}")
