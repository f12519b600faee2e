"""Survey results over a campaign of 2 million answers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sapat_bench .venv/bin/python benchmarks/survey_results.py

Builds, in a throwaway PostgreSQL database (`<name>_surveys_results`, dropped at the end),
one teaching evaluation of a 20-question questionnaire (18 Likert, a single choice, a
comment): 10 faculties × 5 departments, 500 teachers, 400 student groups, 4,000
discipline–teacher pairs, 105,000 responses and 2,005,500 answers (19 each, and a comment on
one in ten), inserted by the database itself with generate_series. Then times
`selectors.results` — what the results page, the exports and the API compute — for one
faculty broken down by teacher, and the whole page for the quality department. Budget: ≤ 1 s."""

import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sapat_bench")
if not BASE_URL.startswith("postgres"):
    sys.exit("This benchmark needs PostgreSQL: DATABASE_URL=postgres://…")
parts = urllib.parse.urlsplit(BASE_URL)
DB_NAME = parts.path.lstrip("/") + "_surveys_results"
ADMIN_URL = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
RESPONSES = int(os.environ.get("BENCH_RESPONSES", 105_000))
QUESTIONS, SLOTS_PER_GROUP, GROUPS, FACULTIES, DEPARTMENTS, TEACHERS = 20, 10, 400, 10, 5, 500
BUDGET_S = 1.0
RUNS = 5


def psql(sql):
    subprocess.run(["psql", ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True)


def main():
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    os.environ.update(
        DATABASE_URL=urllib.parse.urlunsplit(parts._replace(path="/" + DB_NAME)),
        DJANGO_SETTINGS_MODULE="sapat.settings",
        SAPAT_SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnop",
        SAPAT_TESTING="1",
        SAPAT_ALLOWED_HOSTS="testserver,127.0.0.1",
    )
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")


def run():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.utils import timezone

    from sapat.org.choices import Role
    from sapat.org.models import StudentGroup
    from sapat.org.tests import factories
    from sapat.surveys import selectors
    from sapat.surveys.choices import CampaignStatus, QuestionKind, Stakeholder
    from sapat.surveys.models import Answer, Campaign, Question, Questionnaire, Response, Section, Slot

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    inst = factories.institution("bench")
    root = factories.root_of(inst)
    faculties = [factories.unit(root, f"F{i}") for i in range(FACULTIES)]
    departments = [factories.unit(f, f"{f.code}-D{j}", unit_type="department") for f in faculties for j in range(5)]
    teachers = [factories.person(departments[i % len(departments)], f"Окутуучу{i}") for i in range(TEACHERS)]
    programmes = [factories.programme(d, code=f"P{i}") for i, d in enumerate(departments)]
    groups = StudentGroup.objects.bulk_create(
        StudentGroup(programme=programmes[i % len(programmes)], name=f"G{i}", admission_year=2024, student_count=30)
        for i in range(GROUPS)
    )
    q = Questionnaire.objects.create(institution=inst, key="bench", name_ky="Баалоо", stakeholder="students")
    section = Section.objects.create(questionnaire=q, title={"ky": "Бөлүм"})
    kinds = [QuestionKind.LIKERT] * (QUESTIONS - 2) + [QuestionKind.SINGLE, QuestionKind.LONG_TEXT]
    questions = [
        Question.objects.create(
            questionnaire=q,
            section=section,
            order=i,
            code=f"q{i}",
            kind=kind,
            text={"ky": f"Суроо {i}"},
            options=[{"ky": "a"}, {"ky": "b"}, {"ky": "c"}] if kind == QuestionKind.SINGLE else [],
        )
        for i, kind in enumerate(kinds, start=1)
    ]
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        institution=inst,
        unit=root,
        questionnaire=q,
        title="Bench",
        starts_on=today,
        ends_on=today,
        audience=Stakeholder.STUDENTS,
        status=CampaignStatus.CLOSED,
    )
    slots = []
    for g in groups:
        programme = programmes[(g.pk) % len(programmes)]
        for k in range(SLOTS_PER_GROUP):
            teacher = teachers[(g.pk * 7 + k) % len(teachers)]
            dept = teacher.unit
            slots.append(
                Slot(
                    campaign=campaign,
                    group=g,
                    programme=programme,
                    discipline=f"Сабак {k}",
                    teacher=teacher,
                    unit=dept,
                    faculty_id=dept.parent_id,
                    expected=30,
                )
            )
    Slot.objects.bulk_create(slots)
    slot_ids = list(Slot.objects.filter(campaign=campaign).values_list("pk", flat=True))
    first_q = questions[0].pk
    with connection.cursor() as c:
        c.execute(
            f"""INSERT INTO {Response._meta.db_table} (campaign_id, slot_id, submitted_on, language)
                SELECT %s, (%s::bigint[])[1 + (i %% %s)], %s, 'ky' FROM generate_series(0, %s - 1) i""",
            [campaign.pk, slot_ids, len(slot_ids), today, RESPONSES],
        )
        c.execute(
            f"""INSERT INTO {Answer._meta.db_table}
                  (response_id, campaign_id, slot_id, question_id, item, value, text)
                SELECT r.id, r.campaign_id, r.slot_id, %s + k, 0,
                       CASE WHEN k = %s THEN NULL WHEN k = %s THEN 1 + (r.id + k) %% 3
                            ELSE 1 + ((r.id * 7 + k * 13 + r.slot_id) %% 5) END,
                       CASE WHEN k = %s AND r.id %% 10 = 0 THEN 'Жакшы' ELSE '' END
                FROM {Response._meta.db_table} r CROSS JOIN generate_series(0, %s - 1) k
                WHERE k <> %s OR r.id %% 10 = 0""",
            [first_q, QUESTIONS - 1, QUESTIONS - 2, QUESTIONS - 1, QUESTIONS, QUESTIONS - 1],
        )
        c.execute("ANALYZE")
    answers = Answer.objects.count()
    print(f"built in {time.perf_counter() - started:.0f} s: {Response.objects.count()} responses, {answers} answers")

    faculty = faculties[3]
    times = []
    for _i in range(RUNS):
        t = time.perf_counter()
        results = selectors.results(campaign, Q(faculty=faculty), by="teacher")
        times.append(time.perf_counter() - t)
    print(
        f"faculty results by teacher ({results.overall.respondents} respondents, {len(results.groups)} teachers): "
        f"median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms "
        f"(budget {BUDGET_S * 1000:.0f} ms)"
    )
    quality = factories.user_with_role(Role.QUALITY_DEPARTMENT, root, username="quality")
    client = Client()
    client.force_login(quality)
    url = f"/surveys/campaigns/{campaign.pk}/results/?by=faculty"
    client.get(url)
    times = []
    for _i in range(RUNS):
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
    assert response.status_code == 200
    print(
        f"results page, whole campaign by faculty: median {statistics.median(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
