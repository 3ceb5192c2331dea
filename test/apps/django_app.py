#!/usr/bin/env python3
"""An ordinary Django application: a Letter model on an existing table.

It knows nothing of letters_triage.  Settings are minimal (no project
scaffolding): the database from PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD,
the table from APP_TABLE.  Prints one JSON line per ORM operation: its
result, or the error (SQLSTATE and message), and the notices received.
"""
import datetime
import json
import os

import django
from django.conf import settings

settings.configure(
    DATABASES={"default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ["PGHOST"], "PORT": os.environ["PGPORT"], "NAME": os.environ["PGDATABASE"],
        "USER": os.environ["PGUSER"], "PASSWORD": os.environ["PGPASSWORD"],
    }},
    INSTALLED_APPS=[], USE_TZ=False, TIME_ZONE="UTC",
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.db import IntegrityError, DatabaseError, connection, models, transaction  # noqa: E402

LETTERS = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "letters.json")))


class Letter(models.Model):
    recipient = models.TextField(null=True)
    nhs_number = models.TextField(null=True)
    kind = models.TextField(null=True)
    created = models.DateTimeField()
    sent = models.DateTimeField(null=True)
    body = models.TextField()

    class Meta:
        app_label = "clinic"
        db_table = os.environ["APP_TABLE"]
        managed = False


def plain(v):
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()
    return v


def row(l):
    return [l.id, l.recipient, l.nhs_number, l.kind, plain(l.created), plain(l.sent), l.body]


def step(name, fn):
    out = {"step": name}
    connection.ensure_connection()
    notices = connection.connection.notices
    del notices[:]
    try:
        out["result"] = fn()
    except (IntegrityError, DatabaseError) as e:
        cause = e.__cause__
        out["error"] = [getattr(cause, "pgcode", None), str(e).split("\n")[0]]
    except Exception as e:  # what the application would see, e.g. DoesNotExist
        out["error"] = [type(e).__name__, str(e).split("\n")[0]]
    out["notices"] = [n.strip() for n in notices]
    print(json.dumps(out, sort_keys=True))


def when(s):
    return datetime.datetime.fromisoformat(s)


for i, l in enumerate(LETTERS[:6]):
    step("create %d" % i, lambda l=l: row(Letter.objects.create(
        recipient=l["recipient"], nhs_number=l["nhs_number"], kind=l["kind"], created=when(l["created"]),
        body=l["body"])))
step("bulk_create", lambda: [row(x) for x in Letter.objects.bulk_create([
    Letter(recipient=l["recipient"], nhs_number=l["nhs_number"], kind=l["kind"], created=when(l["created"]),
           body=l["body"]) for l in LETTERS[6:]])])
step("all", lambda: [row(x) for x in Letter.objects.order_by("id")])
step("get by body", lambda: row(Letter.objects.get(body=LETTERS[1]["body"])))
step("filter exact", lambda: list(Letter.objects.filter(body=LETTERS[3]["body"]).values_list("id", flat=True)))
step("filter in", lambda: list(Letter.objects.filter(body__in=[LETTERS[5]["body"], LETTERS[6]["body"]])
                                .order_by("id").values_list("id", flat=True)))
step("icontains", lambda: list(Letter.objects.filter(body__icontains="URGENT").order_by("id")
                               .values_list("id", flat=True)))
step("contains", lambda: list(Letter.objects.filter(body__contains="Kind").order_by("id")
                              .values_list("id", flat=True)))
step("startswith", lambda: list(Letter.objects.filter(body__startswith="Kind:").order_by("id")
                                .values_list("id", flat=True)))
step("istartswith", lambda: list(Letter.objects.filter(body__istartswith="subject").order_by("id")
                                 .values_list("id", flat=True)))
step("endswith", lambda: list(Letter.objects.filter(body__endswith="\r\n").order_by("id")
                              .values_list("id", flat=True)))
step("iexact", lambda: list(Letter.objects.filter(body__iexact="NO HEADERS AT ALL").values_list("id", flat=True)))
step("regex", lambda: list(Letter.objects.filter(body__regex=r"^(Kind|kind):").order_by("id")
                           .values_list("id", flat=True)))
step("isnull", lambda: Letter.objects.filter(nhs_number__isnull=True).count())
step("exclude", lambda: list(Letter.objects.exclude(body="").order_by("id").values_list("id", flat=True)))
step("order by body", lambda: list(Letter.objects.order_by("body", "id").values_list("id", flat=True)))
step("distinct bodies", lambda: Letter.objects.values("body").distinct().count())


def save_one():
    l = Letter.objects.get(id=2)
    l.body = l.body + "\nP.S. saved"
    l.save()
    return row(Letter.objects.get(id=2))


step("save", save_one)
step("update", lambda: Letter.objects.filter(body__contains="header").update(kind="other"))
step("update sent", lambda: Letter.objects.filter(id__lte=4).update(sent=when("2026-11-30T12:00:00")))
step("delete", lambda: Letter.objects.filter(body=LETTERS[5]["body"]).delete())
step("not null", lambda: row(Letter.objects.create(recipient="G82001", created=when("2026-11-30T10:00:00"),
                                                   body=None)))


def atomic_rollback():
    try:
        with transaction.atomic():
            Letter.objects.create(recipient="G82001", created=when("2026-11-30T10:05:00"), body="rolled back")
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    return Letter.objects.filter(body="rolled back").count()


step("atomic rollback", atomic_rollback)
step("raw", lambda: [[x.id, x.body] for x in Letter.objects.raw(
    "SELECT id, body FROM %s WHERE body = %%s" % Letter._meta.db_table, [LETTERS[0]["body"]])])
step("final", lambda: [row(x) for x in Letter.objects.order_by("id")])
