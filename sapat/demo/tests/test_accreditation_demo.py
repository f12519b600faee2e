"""The demo accreditation register: both institutions have institutional and programme
accreditations, one conditional, one suspension, a refusal, certificates close to expiry that
trigger reminders; loading again changes nothing."""

import pytest

from sapat.accreditation import services_register
from sapat.accreditation.models import Accreditation, AccreditationEvent, FirstGraduation, ReminderSent
from sapat.demo.accreditation_loader import load_accreditation


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_each_institution_has_a_register_with_every_case(loaded_once, db, code):
    assert loaded_once[f"{code} accreditation"] == "loaded"
    accs = Accreditation.objects.filter(institution__code=code)
    assert accs.filter(kind="institutional").count() == 2
    assert accs.filter(kind="programme", result="conditional").exists()
    assert accs.filter(result="refused").exists()
    assert AccreditationEvent.objects.filter(accreditation__institution__code=code, kind="suspension").exists()
    assert FirstGraduation.objects.filter(institution__code=code).exists()


def test_some_certificates_are_close_to_expiry_and_reminders_go_once(loaded_once, db):
    assert services_register.reminders_due() >= 4
    assert ReminderSent.objects.filter(accreditation__kind="institutional").count() == 2
    assert services_register.reminders_due() == 0
    assert Accreditation.objects.filter(state="suspended").exists()  # oshsu: suspended now


def test_loading_again_changes_nothing(loaded_once, db):
    before = Accreditation.objects.count()
    assert load_accreditation(write=lambda line: None) == {"batsu": "already there", "oshsu": "already there"}
    assert Accreditation.objects.count() == before
