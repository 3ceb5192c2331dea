-- ALTER INDEX ... RENAME renames a table too (PostgreSQL accepts it on a
-- table): the mapping records the new name, so two tables swapping names
-- this way keep their own histories.  Recording a name never fails the
-- DBA's DDL: a name another mapping still holds leaves this one as it was,
-- with a warning, for tracking_status to report.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;
CREATE SCHEMA ri;
CREATE TABLE ri.a (id integer PRIMARY KEY, body text, created timestamptz, sent timestamptz);
CREATE TABLE ri.b (LIKE ri.a INCLUDING ALL);
SELECT letters_triage.watch('ri.a', 'body', 'created', 'sent'), letters_triage.watch('ri.b', 'body', 'created', 'sent');
INSERT INTO ri.a VALUES (1, 'Letter one of a.', '2026-11-24 10:00+00', NULL), (2, 'Letter two of a.', '2026-11-24 10:00+00', NULL);
INSERT INTO ri.b VALUES (1, 'Letter one of b.', '2026-11-24 10:00+00', NULL);
ALTER INDEX ri.a RENAME TO tmp;
ALTER INDEX ri.b RENAME TO a;
ALTER INDEX ri.tmp RENAME TO b;
SELECT id, name FROM letters_triage.watched ORDER BY id;
SELECT tbl, status FROM letters_triage.tracking_status ORDER BY table_id;
-- each table's letters are still its own
UPDATE ri.b SET sent = '2026-11-24 11:00+00' WHERE id = 2;
SELECT w.name, s.key, s.status FROM letters_triage.letter_state s JOIN letters_triage.watched w ON w.id = s.table_id
 ORDER BY w.id, s.key;
-- a mapping whose recorded name another table took without an event
-- trigger seeing it: the DDL goes through, with a warning
ALTER EVENT TRIGGER letters_triage_names_changed DISABLE;
ALTER TABLE ri.a RENAME TO c;
ALTER EVENT TRIGGER letters_triage_names_changed ENABLE ALWAYS;
ALTER TABLE ri.b RENAME TO c2;
ALTER TABLE ri.c2 RENAME TO a;
SELECT count(*) AS tables FROM pg_class WHERE relnamespace = 'ri'::regnamespace AND relkind = 'r';

SET client_min_messages = warning;
SELECT letters_triage.unwatch(t, false) FROM (VALUES ('ri.a'::regclass), ('ri.c')) v(t);
DROP SCHEMA ri CASCADE;
RESET client_min_messages;
