#!/usr/bin/env python3
"""An ordinary application on psycopg2: it stores and reads letters as text.

It knows nothing of letters_triage.  It prints one JSON line per statement:
rows, row count, status, error (SQLSTATE and message) and notices received,
so that test/apps/run can compare its runs against different set-ups of the
same table.  Connection from PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD;
table name from APP_TABLE; letters from letters.json beside this file.
"""
import datetime
import hashlib
import io
import json
import os
import sys

import psycopg2

TABLE = os.environ["APP_TABLE"]
LETTERS = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "letters.json")))

conn = psycopg2.connect("")
conn.autocommit = True


def plain(v):
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()
    return v


def step(name, sql, params=None):
    """Run one statement and print what the application saw."""
    out = {"step": name}
    cur = conn.cursor()
    del conn.notices[:]
    try:
        cur.execute(sql.replace("letters", TABLE), params)
        out["status"] = cur.statusmessage
        out["rowcount"] = cur.rowcount
        if cur.description is not None:
            out["columns"] = [d.name for d in cur.description]
            out["rows"] = [[plain(v) for v in r] for r in cur.fetchall()]
    except psycopg2.Error as e:
        out["error"] = [e.pgcode, (e.pgerror or "").split("\n")[0]]
        if not conn.autocommit:
            conn.rollback()
    out["notices"] = [n.strip() for n in conn.notices]
    print(json.dumps(out, sort_keys=True))
    cur.close()


for i, l in enumerate(LETTERS):
    step("insert %d" % i,
         "INSERT INTO letters (recipient, nhs_number, kind, created, body) VALUES (%s, %s, %s, %s, %s) "
         "RETURNING id, body",
         (l["recipient"], l["nhs_number"], l["kind"], l["created"], l["body"]))
step("select all", "SELECT id, recipient, nhs_number, kind, created, sent, body FROM letters ORDER BY id")
step("equal", "SELECT id FROM letters WHERE body = %s ORDER BY id", (LETTERS[1]["body"],))
step("equal any", "SELECT id FROM letters WHERE body = ANY(%s) ORDER BY id",
     ([LETTERS[3]["body"], LETTERS[5]["body"]],))
step("in", "SELECT id FROM letters WHERE body IN %s ORDER BY id", ((LETTERS[6]["body"], LETTERS[9]["body"]),))
step("like", "SELECT id FROM letters WHERE body LIKE %s ORDER BY id", ("Kind:%",))
step("ilike", "SELECT id FROM letters WHERE body ILIKE %s ORDER BY id", ("%urgent%",))
step("regex", "SELECT id FROM letters WHERE body ~* %s ORDER BY id", ("^subject",))
step("functions", "SELECT id, length(body), lower(body), upper(left(body, 12)), position('Kind' in body), "
     "md5(body), body || %s FROM letters ORDER BY id", ("|end",))
step("full text", "SELECT id FROM letters WHERE to_tsvector('english', body) @@ plainto_tsquery('english', %s) "
     "ORDER BY id", ("review",))
step("order by body", "SELECT id FROM letters ORDER BY body, id")
step("group by body", "SELECT body, count(*) FROM letters GROUP BY body HAVING count(*) > 0 ORDER BY 1")
step("update append", "UPDATE letters SET body = body || %s WHERE id = %s RETURNING id, body", ("\nP.S. seen", 1))
step("update kind", "UPDATE letters SET kind = 'other' WHERE body ~ %s", ("no header",))
step("update sent", "UPDATE letters SET sent = %s WHERE id <= %s", ("2026-11-30 12:00:00", 4))
step("update body", "UPDATE letters SET body = %s WHERE body = %s RETURNING id",
     ("Kind: outpatient\r\n\r\nrewritten", LETTERS[9]["body"]))
step("delete", "DELETE FROM letters WHERE body = %s", (LETTERS[5]["body"],))
step("not null", "INSERT INTO letters (recipient, created, body) VALUES (%s, %s, %s)",
     ("G82001", "2026-11-30 10:00:00", None))
step("bad parameter", "SELECT id FROM letters WHERE id = %s", ("not a number",))
step("notice", "DROP TABLE IF EXISTS no_such_table_here")

conn.autocommit = False
step("transaction insert", "INSERT INTO letters (recipient, created, body) VALUES (%s, %s, %s) RETURNING id",
     ("G82001", "2026-11-30 10:05:00", "rolled back"))
conn.rollback()
step("transaction insert 2", "INSERT INTO letters (recipient, created, body) VALUES (%s, %s, %s) RETURNING id",
     ("G82001", "2026-11-30 10:06:00", "Subject: committed\n\nkept"))
conn.commit()
conn.autocommit = True

cur = conn.cursor()
data = "G82001\t2026-11-30 11:00:00\tKind: death\\r\\nsubject:  copied\\n\\nbody\nA81001\t2026-11-30 11:01:00\tplain\n"
out = {"step": "copy"}
del conn.notices[:]
try:
    cur.copy_expert("COPY %s (recipient, created, body) FROM STDIN" % TABLE, io.StringIO(data))
    out["rowcount"] = cur.rowcount
except psycopg2.Error as e:
    out["error"] = [e.pgcode, (e.pgerror or "").split("\n")[0]]
out["notices"] = [n.strip() for n in conn.notices]
print(json.dumps(out, sort_keys=True))
# A backup of some rows with binary COPY, deleted and restored from it: the
# bytes are compared too (as a checksum), they are text's binary format.
cur = conn.cursor()
backup = io.BytesIO()
out = {"step": "copy binary out"}
cols = "recipient, nhs_number, kind, created, sent, body"
try:
    cur.copy_expert("COPY (SELECT %s FROM %s WHERE id <= 4 ORDER BY id) TO STDOUT (FORMAT binary)" % (cols, TABLE),
                    backup)
    out["rowcount"] = cur.rowcount
    out["md5"] = hashlib.md5(backup.getvalue()).hexdigest()
except psycopg2.Error as e:
    out["error"] = [e.pgcode, (e.pgerror or "").split("\n")[0]]
print(json.dumps(out, sort_keys=True))
step("delete backed up", "DELETE FROM letters WHERE id <= 4")
out = {"step": "copy binary in"}
try:
    backup.seek(0)
    cur.copy_expert("COPY %s (%s) FROM STDIN (FORMAT binary)" % (TABLE, cols), backup)
    out["rowcount"] = cur.rowcount
except psycopg2.Error as e:
    out["error"] = [e.pgcode, (e.pgerror or "").split("\n")[0]]
print(json.dumps(out, sort_keys=True))
step("select final", "SELECT id, recipient, nhs_number, kind, created, sent, body FROM letters ORDER BY id")
conn.close()
