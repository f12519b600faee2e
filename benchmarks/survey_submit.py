"""Answer submission under load: the hottest path in Sapat.

    .venv/bin/python benchmarks/survey_submit.py [--seconds 60] [--workers 2] [--threads 4] [--clients 8] [--cpu 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sapat_bench .venv/bin/python benchmarks/survey_submit.py

Creates a throwaway PostgreSQL database (`<name>_surveys`, dropped at the end), an open
campaign of a 20-question questionnaire (16 Likert, a single choice, a matrix of 3 items, a
number and a comment) and one token per response to be sent. Starts gunicorn (production
settings, no debug) and fires complete responses from load-generating processes on the same
machine for the given time, each client waiting for its answer before sending the next
(gunicorn: gthread workers with keep-alive, the application preloaded — as README's deployment).
Prints responses per second, p50/p99 latency, and responses stored against responses sent
(every 302 must be exactly one stored response; every token used once).
With --cpu N it first stores N answers in-process through the WSGI application and prints the
CPU time per answer of the application and of its PostgreSQL server process: a figure that,
unlike responses/s, does not depend on what else the machine is doing.
Budget on 2 cores: ≥ 400 responses/s, p99 ≤ 200 ms, nothing lost, nothing stored twice."""

import argparse
import http.client
import multiprocessing
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
DB_NAME = parts.path.lstrip("/") + "_surveys"
DB_URL = urllib.parse.urlunsplit(parts._replace(path="/" + DB_NAME))
ADMIN_URL = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
PORT = 8765
BUDGET_RPS, BUDGET_P99_MS = 400, 200


def psql(sql):
    subprocess.run(["psql", ADMIN_URL, "-q", "-c", sql], check=True, capture_output=True)


def env():
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DJANGO_SETTINGS_MODULE": "sapat.settings",
        "SAPAT_SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnop",
        "SAPAT_DEBUG": "0",
        "SAPAT_SECURE_COOKIES": "0",
        "SAPAT_DB_CONN_MAX_AGE": "600",
    }


def build(tokens_needed):
    """Run in a child process with the benchmark database's settings."""
    os.environ.update(env())
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from sapat.org.tests import factories
    from sapat.surveys import services
    from sapat.surveys.choices import QuestionKind, Stakeholder
    from sapat.surveys.models import Campaign, Question, Questionnaire, Section, Slot, Token

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    inst = factories.institution("bench")
    root = factories.root_of(inst)
    q = Questionnaire.objects.create(institution=inst, key="bench", name_ky="Сурамжылоо", stakeholder="students")
    section = Section.objects.create(questionnaire=q, title={"ky": "Бөлүм"})
    kinds = [QuestionKind.LIKERT] * 16 + [QuestionKind.SINGLE, QuestionKind.MATRIX, QuestionKind.NUMBER]
    kinds += [QuestionKind.LONG_TEXT]
    for i, kind in enumerate(kinds, start=1):
        Question.objects.create(
            questionnaire=q,
            section=section,
            order=i,
            code=f"q{i}",
            kind=kind,
            text={"ky": f"Суроо {i}"},
            required=kind != QuestionKind.LONG_TEXT,
            options=[{"ky": "бир"}, {"ky": "эки"}, {"ky": "үч"}] if kind == QuestionKind.SINGLE else [],
            items=[{"ky": "а"}, {"ky": "б"}, {"ky": "в"}] if kind == QuestionKind.MATRIX else [],
            min_value=0 if kind == QuestionKind.NUMBER else None,
            max_value=100 if kind == QuestionKind.NUMBER else None,
        )
    today = timezone.localdate()
    campaign = Campaign(
        institution=inst,
        unit=root,
        questionnaire=q,
        title="Bench",
        starts_on=today,
        ends_on=today,
        audience=Stakeholder.STAFF,
    )
    services.campaign_create(actor=None, campaign=campaign)
    slot = Slot.objects.get(campaign=campaign)
    services.tokens_generate(actor=None, campaign=campaign, slot=slot, count=min(tokens_needed, 2000))
    while Token.objects.filter(campaign=campaign).count() < tokens_needed:
        services.tokens_generate(actor=None, campaign=campaign, slot=slot, count=2000)
    services.campaign_open(actor=None, campaign=campaign)
    codes = list(Token.objects.filter(campaign=campaign).values_list("code", flat=True))
    body = {"v": str(q.pk), "lang": "ky"}
    for i, kind in enumerate(kinds, start=1):
        if kind == QuestionKind.MATRIX:
            body.update({f"q-q{i}-{j}": str(1 + (i + j) % 5) for j in (1, 2, 3)})
        elif kind == QuestionKind.NUMBER:
            body[f"q-q{i}"] = "42"
        elif kind == QuestionKind.LONG_TEXT:
            body[f"q-q{i}"] = "Сабактар жакшы өттү, практика көбүрөөк болсо жакшы болмок."
        else:
            body[f"q-q{i}"] = str(1 + i % 3)
    return codes, urllib.parse.urlencode(body)


def counts():
    os.environ.update(env())
    import django

    django.setup()
    from sapat.surveys.models import Answer, Response, Token

    return Response.objects.count(), Answer.objects.count(), Token.objects.filter(used=True).count()


def client(codes, body, deadline, out):
    latencies, ok, bad = [], 0, 0
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Host": "127.0.0.1"}
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    for code in codes:
        if time.monotonic() >= deadline:
            break
        started = time.perf_counter()
        try:
            conn.request("POST", f"/s/{code}/?lang=ky", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            bad += 1
            continue
        latencies.append(time.perf_counter() - started)
        if response.status == 302:
            ok += 1
        else:
            bad += 1
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    out.put((latencies, ok, bad))


def cpu_per_answer(codes, body):
    """CPU per answer inside one process (no HTTP, no other load counted): the application's
    and its PostgreSQL server process's, each answer through the WSGI application."""
    os.environ.update(env())
    import io

    import django

    django.setup()
    from django.db import connection

    from sapat.wsgi import application

    data = body.encode()

    def post(code):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/s/{code}/",
            "QUERY_STRING": "lang=ky",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(PORT),
            "HTTP_HOST": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "REMOTE_ADDR": "127.0.0.1",
        }
        statuses = []
        result = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(result)
        result.close()
        assert statuses[0].startswith("302"), statuses

    warm, codes = codes[:20], codes[20:]
    for code in warm:
        post(code)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def server_cpu():
        with open(f"/proc/{pid}/stat") as stat:  # readable when the server runs on this machine
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    try:
        server_before = server_cpu()
    except OSError:
        server_before = None
    before = time.process_time()
    for code in codes:
        post(code)
    app_ms = (time.process_time() - before) / len(codes) * 1000
    db_ms = (server_cpu() - server_before) / len(codes) * 1000 if server_before is not None else None
    connection.close()
    return app_ms, db_ms


def in_child(fn, *args):
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load-generating clients")
    parser.add_argument("--cpu", type=int, default=0, help="first time this many answers in-process (CPU per answer)")
    args = parser.parse_args()
    tokens_needed = max(2000, args.seconds * 1500)
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    server = None
    try:
        codes, body = in_child(build, tokens_needed + args.cpu)
        if args.cpu:
            app_ms, db_ms = in_child(cpu_per_answer, codes[: args.cpu], body)
            codes = codes[args.cpu :]
            db = f"{db_ms:.2f} ms" if db_ms is not None else "not measured (server elsewhere)"
            print(f"CPU per answer in-process: application {app_ms:.2f} ms, PostgreSQL {db}")
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "sapat.wsgi",
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--preload",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env(),
        )
        for _i in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/s/done/")
                break
            except OSError:
                time.sleep(0.2)
        # Warm every worker (imports, connection, the cached questionnaire) with the first tokens.
        warm, codes = codes[: args.workers * args.threads * 5], codes[args.workers * args.threads * 5 :]
        queue = multiprocessing.Queue()
        client(warm, body, time.monotonic() + 30, queue)
        _w, warm_ok, _b = queue.get()
        shares = [codes[i :: args.clients] for i in range(args.clients)]
        load_before = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        procs = [multiprocessing.Process(target=client, args=(s, body, deadline, queue)) for s in shares]
        for p in procs:
            p.start()
        results = [queue.get() for _p in procs]
        elapsed = time.monotonic() - started
        for p in procs:
            p.join()
        latencies = sorted(x for r in results for x in r[0])
        sent_ok = sum(r[1] for r in results) + warm_ok
        refused = sum(r[2] for r in results)
        stored, answers, used = in_child(counts)
        rps = (sent_ok - warm_ok) / elapsed
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
        print("load average before: {}, after: {:.2f} {:.2f} {:.2f}".format(load_before, *os.getloadavg()))
        print(
            f"cores: {os.cpu_count()}, gunicorn gthread workers: {args.workers} × {args.threads} threads, "
            f"clients: {args.clients}, {elapsed:.1f} s"
        )
        print(f"responses/s: {rps:.0f} (budget ≥ {BUDGET_RPS})")
        print(f"latency p50: {p50:.1f} ms, p99: {p99:.1f} ms (budget p99 ≤ {BUDGET_P99_MS} ms)")
        print(f"accepted (302): {sent_ok} over HTTP + {args.cpu} in-process, refused or failed: {refused}")
        print(f"stored responses: {stored}, answers: {answers}, tokens used: {used}")
        print("nothing lost, nothing twice:", "yes" if stored == sent_ok + args.cpu == used else "NO")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
