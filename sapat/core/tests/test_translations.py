"""A message without a translation fails the build, in every language."""

import pytest
from django.conf import settings

from sapat.core import i18n_catalogues

LOCALE = settings.BASE_DIR / "locale"


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """The committed catalogues with every string now in the code merged in."""
    root = i18n_catalogues.copy_for_extraction(tmp_path_factory.mktemp("i18n"))
    i18n_catalogues.extract(root)
    return root / "locale"


@pytest.mark.parametrize("language", i18n_catalogues.LANGUAGES)
def test_every_interface_string_is_translated(fresh_catalogues, language):
    stats = i18n_catalogues.statistics(i18n_catalogues.po_path(fresh_catalogues, language))
    assert "untranslated" not in stats and "fuzzy" not in stats and "error" not in stats, stats


@pytest.mark.parametrize("language", i18n_catalogues.LANGUAGES)
def test_compiled_catalogues_match_their_sources(language):
    po = i18n_catalogues.po_path(LOCALE, language)
    assert po.with_suffix(".mo").read_bytes() == i18n_catalogues.compile_to_bytes(po), (
        f"{language}: run `python manage.py update_messages`"
    )


def test_english_catalogue_repeats_the_source_messages():
    """English is the source language; a leftover fuzzy guess must not replace a message."""
    import polib

    wrong = [
        entry.msgid
        for entry in polib.pofile(str(i18n_catalogues.po_path(LOCALE, "en")))
        if entry.msgstr and entry.msgstr != entry.msgid
    ]
    assert not wrong, wrong
