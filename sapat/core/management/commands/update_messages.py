from django.conf import settings
from django.core.management.base import BaseCommand

from sapat.core import i18n_catalogues


class Command(BaseCommand):
    help = "Merge new interface strings into locale/*/django.po, fill English from the source, compile .mo files."

    def handle(self, *args, **options):
        import polib  # a development tool's dependency (the dev extra)

        locale_dir = settings.BASE_DIR / "locale"
        i18n_catalogues.extract(settings.BASE_DIR)
        # English is the source language: its translations are the messages themselves, whatever
        # guess msgmerge made ("Full name" once became "user name").
        english = polib.pofile(str(i18n_catalogues.po_path(locale_dir, "en")))
        for entry in english:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        english.save()
        for language in i18n_catalogues.LANGUAGES:
            po = i18n_catalogues.po_path(locale_dir, language)
            po.with_suffix(".mo").write_bytes(i18n_catalogues.compile_to_bytes(po))
            self.stdout.write(f"{language}: {i18n_catalogues.statistics(po)}")
