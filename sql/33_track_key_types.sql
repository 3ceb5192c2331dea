-- The key of a letter is the same text whatever the session's settings:
-- a row inserted in one session and sent, or deleted, from a session with
-- another TimeZone, DateStyle, IntervalStyle, bytea_output and
-- extra_float_digits is the same letter.  watch() refuses key types whose
-- text could depend on the session.
SET client_min_messages = warning; DROP EXTENSION IF EXISTS letters_triage CASCADE; CREATE EXTENSION letters_triage; RESET client_min_messages;

CREATE SCHEMA kt;
CREATE TYPE kt.mood AS ENUM ('sad', 'happy');
CREATE DOMAIN kt.stamp AS timestamptz;
CREATE TABLE kt.sample (type text PRIMARY KEY, v1 text NOT NULL, v2 text NOT NULL);
INSERT INTO kt.sample VALUES
    ('smallint', '1', '2'), ('integer', '1', '2'), ('bigint', '1', '2'), ('numeric', '1.50', '2.5e3'),
    ('oid', '1', '2'), ('boolean', 'true', 'false'), ('"char"', 'a', 'b'), ('name', 'one', 'two'),
    ('character(5)', 'one', 'two'), ('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12'),
    ('inet', '192.168.0.1', '::1'), ('cidr', '10.0.0.0/8', '2001:db8::/32'),
    ('macaddr', '08:00:2b:01:02:03', '08-00-2b-01-02-04'), ('macaddr8', '08:00:2b:01:02:03:04:05', '08002b0102030406'),
    ('text', 'one', 'two'), ('varchar(10)', 'one', 'two'), ('kt.mood', 'sad', 'happy'),
    ('timestamptz', '2026-11-24 10:00:00.25+00', 'infinity'), ('kt.stamp', '2026-06-24 23:30+00', '-infinity'),
    ('timestamp', '2026-11-24 10:00:00.5', '1999-01-08 04:05:06'),
    ('date', '2026-11-24', '0044-03-15 BC'), ('time', '10:00:00.123', '23:59:59'),
    ('timetz', '10:00:00+01', '04:05:06-08'), ('interval', '1 year 2 mons 3 days 04:05:06.5', '-1 day -00:00:01'),
    ('bytea', '\x00ff10', 'letter'), ('real', '1.2345679', '0.1'), ('double precision', '0.30000000000000004', '-0.1');

-- one table per key type, watched
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT type, row_number() OVER (ORDER BY type) AS n FROM kt.sample LOOP
        EXECUTE format('CREATE TABLE kt.t%s (id %s PRIMARY KEY, body text, created timestamptz NOT NULL, sent timestamptz)',
                       r.n, r.type);
        PERFORM letters_triage.watch(format('kt.t%s', r.n)::regclass, 'body', 'created', 'sent');
    END LOOP;
END
$$;
CREATE FUNCTION kt.each(stmt text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    FOR r IN SELECT s.*, row_number() OVER (ORDER BY type) AS n FROM kt.sample s LOOP
        EXECUTE format(stmt, format('kt.t%s', r.n), r.type, r.v1, r.v2);
    END LOOP;
END
$$;

-- inserted in one session's settings ...
SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';
SET bytea_output = 'hex'; SET extra_float_digits = 1;
SELECT kt.each($$INSERT INTO %1$s VALUES (%3$L::%2$s, 'Please stop warfarin today.', '2026-11-24 10:00+00'),
                                         (%4$L::%2$s, 'Please stop warfarin today.', '2026-11-24 10:00+00')$$);
-- ... sent and deleted in another's
SET TimeZone = 'America/New_York'; SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard';
SET bytea_output = 'escape'; SET extra_float_digits = -3;
SELECT kt.each($$UPDATE %1$s SET sent = '2026-11-24 11:00+00' WHERE id = %3$L::%2$s$$);
SELECT kt.each($$DELETE FROM %1$s WHERE id = %4$L::%2$s$$);
SET IntervalStyle = 'iso_8601'; SET DateStyle = 'German';
-- and seen by retriage() in a third
SELECT letters_triage.retriage() AS retriaged;
RESET TimeZone; RESET DateStyle; RESET IntervalStyle; RESET bytea_output; RESET extra_float_digits;

-- one letter sent and one withdrawn per table, under the keys of the first session
SELECT s.type, count(*) AS states, string_agg(st.status, ',' ORDER BY st.status) AS statuses,
       string_agg(st.key, ' | ' ORDER BY st.status) AS keys
  FROM kt.sample s
  JOIN (SELECT type, row_number() OVER (ORDER BY type) AS n FROM kt.sample) o USING (type)
  LEFT JOIN letters_triage.letter_state st ON st.table_id = letters_triage.table_id(format('kt.t%s', o.n)::regclass)
 GROUP BY s.type ORDER BY s.type;

-- key types whose text follows the session are refused
CREATE TABLE kt.money (id money PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('kt.money', 'body', 'created', 'sent');
CREATE TABLE kt.arr (id timestamptz[] PRIMARY KEY, body text, created timestamptz, sent timestamptz);
SELECT letters_triage.watch('kt.arr', 'body', 'created', 'sent');
SELECT count(*) AS watched FROM letters_triage.watched WHERE name IN ('kt.money', 'kt.arr');

SET client_min_messages = warning;
DROP SCHEMA kt CASCADE;
