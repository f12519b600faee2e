import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sapat.surveys.choices import CampaignStatus
from sapat.surveys.models import Campaign, Questionnaire, Slot

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def test_questionnaire_pages_are_for_organisers(client, world):
    client.force_login(world.head_a)
    assert client.get(reverse("questionnaire_list")).status_code == 403
    assert client.post(reverse("questionnaire_library_load")).status_code == 403
    client.force_login(world.quality)
    response = client.post(reverse("questionnaire_library_load"), follow=True)
    assert "Questionnaires added from the library: 7" in response.content.decode()
    assert client.get(reverse("questionnaire_list")).status_code == 200
    q = Questionnaire.objects.get(key="employer-survey")
    assert "Employer survey" in client.get(q.get_absolute_url()).content.decode()


def test_editing_a_question_on_the_page_makes_a_version_when_answered(client, world):
    ev = f.teaching(world)
    f.answer(ev.s1, 1)
    client.force_login(world.quality)
    url = reverse("question_edit", args=[ev.q.pk, "goals"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"code": "goals", "kind": "single", "text_ky": "Суроо", "options": "бир | один | one"})
    assert bad.status_code == 400 and "at least two options" in bad.content.decode()
    good = client.post(url, {"code": "goals", "kind": "likert", "text_ky": "Максаттар түшүнүктүү", "required": "on"})
    assert good.status_code == 302
    assert Questionnaire.objects.filter(key=ev.q.key).count() == 2


def test_campaign_form(client, world):
    ev = f.teaching(world)
    client.force_login(world.quality)
    url = reverse("campaign_add")
    assert client.get(url).status_code == 200
    data = {
        "questionnaire": ev.q.pk,
        "title": "Күзгү семестр",
        "unit": world.root.pk,
        "starts_on": "2026-12-10",
        "ends_on": "2026-12-01",
        "audience": "students",
        "target_groups": [ev.g1.pk],
        "min_group_size": "2",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert Campaign.objects.count() == 1
    data.update(ends_on="2026-12-20", min_group_size="5")
    assert client.post(url, data).status_code == 302
    client.force_login(world.staff_a)
    assert client.post(url, data).status_code in (400, 403)


def test_teaching_load_upload(client, world):
    ev = f.teaching(world, status=CampaignStatus.DRAFT)
    client.force_login(world.quality)
    url = reverse("campaign_import", args=[ev.campaign.pk])
    assert client.get(url).status_code == 200
    assert client.get(url + "?template=1")["Content-Type"].startswith("application/vnd.openxml")
    upload = SimpleUploadedFile("l.csv", "group,discipline,teacher\nЖОК-1,Тарых,Жок Адам\n".encode(), "text/csv")
    response = client.post(url, {"file": upload})
    assert response.status_code == 400 and "No student group ЖОК-1." in response.content.decode()
    assert Slot.objects.filter(campaign=ev.campaign).count() == 2
    client.force_login(world.head_a)
    assert client.get(url).status_code in (403, 404)


def test_open_and_close_from_the_page(client, world):
    ev = f.teaching(world, status=CampaignStatus.DRAFT)
    client.force_login(world.quality)
    client.post(reverse("campaign_action", args=[ev.campaign.pk, "open"]))
    ev.campaign.refresh_from_db()
    assert ev.campaign.status == CampaignStatus.OPEN
    response = client.post(reverse("campaign_action", args=[ev.campaign.pk, "open"]), follow=True)
    assert "present state" in response.content.decode()
    assert client.post(reverse("campaign_action", args=[ev.campaign.pk, "explode"])).status_code == 404


def test_campaign_list_costs_the_same_for_one_or_many(client, world, django_assert_max_num_queries):
    ev = f.teaching(world)
    client.force_login(world.quality)
    client.get(reverse("campaign_list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaign_list")).status_code == 200
    for i in range(5):
        c = Campaign.objects.get(pk=ev.campaign.pk)
        c.pk, c.id, c._state.adding, c.open_key, c.title = None, None, True, f"k{i}", f"C{i}"
        c.save()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaign_list")).status_code == 200
