
-- ---------------------------------------------------------------------------
-- Alerts: the alert table, delivery, acknowledge(), the checks and the views
-- for reports.  The checks read letters_triage.letter_state (tracking) and
-- mark letters past their deadline 'overdue'.  Nothing here ever deletes a row.
-- ---------------------------------------------------------------------------

-- Settings of the checks that a DBA may change.  The table holds only the
-- DBA's overrides (it ships empty, so all of it is dumped); the defaults live
-- in @extschema@.alert_setting().
CREATE TABLE @extschema@.alert_config (
    name  text PRIMARY KEY
          CHECK (name IN ('escalate_after', 'escalate_backoff', 'escalate_max', 'stall_after_working_hours',
                          'backlog_factor', 'backlog_min_letters', 'history_weeks')),
    value text NOT NULL,
    CHECK (CASE name
             WHEN 'escalate_after' THEN value::interval > interval '0'
             WHEN 'escalate_backoff' THEN value::double precision BETWEEN 1 AND 10
             WHEN 'escalate_max' THEN value::interval > interval '0'
             WHEN 'stall_after_working_hours' THEN value::double precision > 0
             WHEN 'backlog_factor' THEN value::double precision >= 1
             WHEN 'backlog_min_letters' THEN value::integer >= 0
             WHEN 'history_weeks' THEN value::integer BETWEEN 1 AND 52
           END)
);
COMMENT ON TABLE @extschema@.alert_config IS
    'overrides of the alert checks'' settings (name, value); see alert_setting() for the names and defaults';
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert_config);

CREATE FUNCTION @extschema@.alert_setting(name text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT coalesce((SELECT c.value FROM @extschema@.alert_config c WHERE c.name = $1),
                    CASE $1
                        WHEN 'escalate_after' THEN '4 hours'
                        WHEN 'escalate_backoff' THEN '2'
                        WHEN 'escalate_max' THEN '1 day'
                        WHEN 'stall_after_working_hours' THEN '2'
                        WHEN 'backlog_factor' THEN '3'
                        WHEN 'backlog_min_letters' THEN '20'
                        WHEN 'history_weeks' THEN '4'
                    END)
$$;
COMMENT ON FUNCTION @extschema@.alert_setting(text) IS
    'current value of an alert setting: the override in alert_config, else the default (escalate_after 4 hours, escalate_backoff 2, escalate_max 1 day, stall_after_working_hours 2, backlog_factor 3, backlog_min_letters 20, history_weeks 4); NULL for an unknown name';

CREATE TABLE @extschema@.alert (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    raised_at       timestamptz NOT NULL,     -- first raised (the check's "at")
    kind            text        NOT NULL
                    CHECK (kind IN ('overdue', 'stalled_flow', 'sent_late', 'needs_review', 'tracking_error')),
    severity        @extschema@.urgency NOT NULL,
    table_id        integer,                  -- the watched table concerned (watched.id)
    table_name      text,                     -- its schema-qualified name when raised
    recipient       text,                     -- the GP practice concerned, if one
    -- What one alert stands for, with kind and table_id: one letter
    -- (letter_key), one practice's letters of the table (recipient), the
    -- table, or the table's tracking being off (a table with tracking
    -- triggers but no mapping, so no identity: by its name).  At most one
    -- unresolved alert per identity (alert_open_identity); no OID in it, so
    -- it survives pg_dump.
    scope           text        NOT NULL CHECK (scope IN ('letter', 'practice', 'table', 'tracking_off')),
    letter_key      text        CHECK ((scope = 'letter') = (letter_key IS NOT NULL)),
    subject         text        GENERATED ALWAYS AS (CASE scope WHEN 'letter' THEN letter_key
                                                               WHEN 'practice' THEN coalesce(recipient, '')
                                                               WHEN 'tracking_off' THEN CASE WHEN table_id IS NULL
                                                                                             THEN coalesce(table_name, '') ELSE '' END
                                                               ELSE '' END) STORED,
    letters         integer     NOT NULL DEFAULT 0 CHECK (letters >= 0),
    urgent_letters  integer     NOT NULL DEFAULT 0 CHECK (urgent_letters >= 0),
    summary         text        NOT NULL,
    last_raised_at  timestamptz NOT NULL,     -- last delivery (raise or escalation)
    raise_count     integer     NOT NULL DEFAULT 1 CHECK (raise_count >= 1),
    letters_notified integer,                 -- letters at the last notification (growth since is told next)
    notice_silenced boolean     NOT NULL DEFAULT false,  -- the last notification was held back by a silence
    acknowledged_at timestamptz,
    acknowledged_by name,
    ack_note        text,
    letters_at_ack  integer,
    resolved_at     timestamptz,
    logged_at       timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()  -- real time of the insert
);
COMMENT ON TABLE @extschema@.alert IS
    'delay alerts raised by the checks (overdue letters, stalled flow, late-sent letters, letters needing review, tracking errors); rows are never deleted';
CREATE UNIQUE INDEX alert_open_identity ON @extschema@.alert (kind, scope, table_id, subject) NULLS NOT DISTINCT WHERE resolved_at IS NULL;
CREATE INDEX alert_kind_open ON @extschema@.alert (kind) WHERE resolved_at IS NULL;
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert);
-- and the sequence of its identity column
SELECT pg_catalog.pg_extension_config_dump(d.objid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_depend d ON d.refobjid = t.typrelid
       AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'i'
  JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
 WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert);

CREATE TABLE @extschema@.alert_letter (
    alert_id  bigint      NOT NULL REFERENCES @extschema@.alert (id),
    table_id  integer     NOT NULL,   -- the watched table (watched.id)
    key       text        NOT NULL,
    urgency   @extschema@.urgency NOT NULL,
    added_at  timestamptz NOT NULL,
    left_at   timestamptz,    -- moved to an alert of its own (a practice's letter become urgent)
    PRIMARY KEY (alert_id, table_id, key)
);
COMMENT ON TABLE @extschema@.alert_letter IS
    'the letters (watched table and key) that each alert concerns, with their urgency when added, and when a letter left a practice''s alert for one of its own';
CREATE INDEX alert_letter_letter ON @extschema@.alert_letter (table_id, key);
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert_letter);

-- Is this letter in an open alert?  Every listing of a letter in an alert,
-- with the alert's identity and whether the listing is open (the alert
-- unresolved and the letter not moved out of it).  The checks ask it of one
-- letter at a time (table_id and key: alert_letter_letter), then of its alert by
-- id: a probe per letter, never a read of every open alert's letters per
-- letter (the subquery is kept apart from the join for that).
CREATE VIEW @extschema@.letter_alert AS
SELECT l.table_id, l.key, l.alert_id, a.kind, a.scope, a.recipient, a.acknowledged_at, a.resolved_at, l.left_at,
       a.resolved_at IS NULL AND l.left_at IS NULL AS open
  FROM @extschema@.alert_letter l
 CROSS JOIN LATERAL (SELECT x.kind, x.scope, x.recipient, x.acknowledged_at, x.resolved_at
                       FROM @extschema@.alert x WHERE x.id = l.alert_id OFFSET 0) a;
COMMENT ON VIEW @extschema@.letter_alert IS
    'every listing of a letter (table_id, key) in an alert: the alert''s id, kind, scope, practice, acknowledgement and resolution, and open (the alert unresolved and the letter still in it)';

-- What the checks return: one row per delivery (raised, escalated, resolved,
-- grown: letters added to an alert still open).
CREATE TYPE @extschema@.alert_event AS (
    alert_id bigint,
    event    text,
    kind     text,
    severity @extschema@.urgency,
    letters  integer,
    summary  text
);
COMMENT ON TYPE @extschema@.alert_event IS
    'one event of a check: alert id, event (raised, escalated, grown, resolved), kind, severity, letters, summary';

CREATE FUNCTION @extschema@.log_alert(warning boolean, message text) RETURNS void
    AS 'MODULE_PATHNAME', 'lt_log_alert'
    LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION @extschema@.log_alert(boolean, text) IS
    'internal: write an alert line to the server log (WARNING, or LOG when warning is false) without statement or context; at most 1000 bytes';
REVOKE ALL ON FUNCTION @extschema@.log_alert(boolean, text) FROM PUBLIC;

-- Silences: a DBA holds back the notifications of a table's or a practice's
-- alerts for a stated time (planned maintenance, a practice that has been
-- told).  The alerts are still raised, recorded, listed and escalated on
-- schedule; only their notification is withheld, and recorded as such in
-- alert_notice.  A silence always ends (at most 30 days); lifting it early is
-- recorded, never deleted.
CREATE TABLE @extschema@.alert_silence (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_id    integer,                  -- the watched table silenced (watched.id; NULL: every table)
    recipient   text,                     -- the practice silenced (NULL: every practice)
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    reason      text        NOT NULL CHECK (reason <> '' AND pg_catalog.octet_length(reason) <= 1000),
    created_by  name        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    lifted_at   timestamptz,
    lifted_by   name,
    CHECK (table_id IS NOT NULL OR recipient IS NOT NULL),
    CHECK (ends_at > starts_at AND ends_at <= starts_at + interval '30 days')
);
COMMENT ON TABLE @extschema@.alert_silence IS
    'silences of alert notifications for a watched table, a practice, or a practice''s letters of one table, each for a stated period with a reason and who set (and lifted) it; rows are never deleted';
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert_silence);
SELECT pg_catalog.pg_extension_config_dump(d.objid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_depend d ON d.refobjid = t.typrelid
       AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'i'
  JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
 WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert_silence);

-- Every notification sent, and every one held back by a silence: what an
-- auditor (or the demo) counts.  One row per NOTIFY (and WARNING line), or
-- per group of alerts a silence held back.
CREATE TABLE @extschema@.alert_notice (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,     -- the check's "at"
    event       text        NOT NULL CHECK (event IN ('raised', 'escalated')),
    kind        text        NOT NULL,
    table_id    integer,                  -- the watched table (watched.id)
    alerts      bigint[]    NOT NULL,     -- the alerts it stands for
    letters     integer     NOT NULL,
    silence_id  bigint      REFERENCES @extschema@.alert_silence (id),  -- held back by this silence
    logged_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
COMMENT ON TABLE @extschema@.alert_notice IS
    'every notification of alerts (one NOTIFY letters_triage and one server log WARNING each), and those held back by a silence (silence_id set); rows are never deleted';
CREATE INDEX alert_notice_at ON @extschema@.alert_notice (at);
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert_notice);
SELECT pg_catalog.pg_extension_config_dump(d.objid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_depend d ON d.refobjid = t.typrelid
       AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'i'
  JOIN pg_catalog.pg_class c ON c.oid = d.objid AND c.relkind = 'S'
 WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert_notice);

-- The silence in force for an alert of a table and practice at a time (the
-- first set, if several), or NULL.
CREATE FUNCTION @extschema@.silence_for_id(table_id integer, recipient text, at timestamptz) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT min(s.id) FROM @extschema@.alert_silence s
     WHERE s.lifted_at IS NULL AND s.starts_at <= $3 AND s.ends_at > $3
       AND (s.table_id IS NULL OR s.table_id = $1) AND (s.recipient IS NULL OR s.recipient = $2)
$$;
COMMENT ON FUNCTION @extschema@.silence_for_id(integer, text, timestamptz) IS
    'the silence (id) holding back the notifications of an alert of that table and practice at that time, or NULL';

CREATE FUNCTION @extschema@.silence(tbl regclass, recipient text, duration interval, reason text,
                                    starts timestamptz DEFAULT pg_catalog.now())
    RETURNS @extschema@.alert_silence
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    s @extschema@.alert_silence;
    v_tid integer := @extschema@.table_id(tbl);
    run_start timestamptz;
    run_end timestamptz;
BEGIN
    PERFORM @extschema@.require_primary('silence');
    IF tbl IS NULL AND recipient IS NULL THEN
        RAISE EXCEPTION 'a silence needs a table or a practice'
            USING ERRCODE = 'null_value_not_allowed',
                  HINT = 'Silencing every alert is not possible: name the table or the practice.';
    END IF;
    IF tbl IS NOT NULL AND v_tid IS NULL THEN
        RAISE EXCEPTION 'table % is not watched', tbl
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only the alerts of a watched table can be silenced.';
    END IF;
    IF duration IS NULL OR reason IS NULL OR starts IS NULL OR NOT isfinite(starts) THEN
        RAISE EXCEPTION 'a silence needs a duration, a reason and a finite start'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF duration <= interval '0' OR starts + duration > starts + interval '30 days' THEN
        RAISE EXCEPTION 'a silence lasts more than 0 and at most 30 days, not %', duration
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- one silence cannot be set years ahead: it starts within 30 days
    IF starts > pg_catalog.now() + interval '30 days' THEN
        RAISE EXCEPTION 'a silence starts at most 30 days from now'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF recipient IS NOT NULL AND btrim(recipient) = '' THEN
        RAISE EXCEPTION 'a practice code to silence must not be empty'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF btrim(reason) = '' OR octet_length(reason) > 1000 THEN
        RAISE EXCEPTION 'the reason of a silence must be given, in at most 1000 bytes'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- nor renewed one after another: with the silences whose scope meets
    -- this one's (the same table or practice, or a table's silence and a
    -- practice's, which meet on that practice's letters of the table), joined
    -- where they overlap or lie within a day of each other, the run it
    -- makes lasts at most 30 days
    LOCK TABLE @extschema@.alert_silence IN SHARE ROW EXCLUSIVE MODE;
    WITH RECURSIVE other AS (
        SELECT x.starts_at AS s, LEAST(x.ends_at, coalesce(x.lifted_at, x.ends_at)) AS e
          FROM @extschema@.alert_silence x
         WHERE (x.table_id IS NULL OR v_tid IS NULL OR x.table_id = v_tid)
           AND (x.recipient IS NULL OR silence.recipient IS NULL OR x.recipient = silence.recipient)
           AND LEAST(x.ends_at, coalesce(x.lifted_at, x.ends_at)) > x.starts_at),
    run(s, e) AS (
        SELECT starts, starts + duration
        UNION
        SELECT LEAST(r.s, o.s), GREATEST(r.e, o.e)
          FROM run r JOIN other o ON o.s <= r.e + interval '1 day' AND o.e >= r.s - interval '1 day')
    SELECT min(r.s), max(r.e) INTO run_start, run_end FROM run r;
    IF run_end > run_start + interval '30 days' THEN
        RAISE EXCEPTION 'with the silences before and after it, this silence would hold back alerts from % to %, more than 30 days in a row',
                        @extschema@.london(run_start), @extschema@.london(run_end)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Alerts silenced for longer than 30 days need their cause mended, not another silence.';
    END IF;
    INSERT INTO @extschema@.alert_silence AS x (table_id, recipient, starts_at, ends_at, reason, created_by)
    VALUES (v_tid, recipient, starts, starts + duration, reason, @extschema@.acting_role())
    RETURNING * INTO s;
    PERFORM @extschema@.log_alert(false, format('letters_triage silence %s set by %s for %s until %s: %s',
                                                s.id, s.created_by,
                                                concat_ws(', ', 'table ' || @extschema@.table_name(tbl), 'practice ' || recipient),
                                                @extschema@.london(s.ends_at), reason));
    RETURN s;
END
$$;
COMMENT ON FUNCTION @extschema@.silence(regclass, text, interval, text, timestamptz) IS
    'hold back the notifications of the alerts of a table, a practice, or both (at most 30 days, with a reason; the acting role is recorded); the alerts are still raised and listed';
REVOKE ALL ON FUNCTION @extschema@.silence(regclass, text, interval, text, timestamptz) FROM PUBLIC;

CREATE FUNCTION @extschema@.unsilence(silence_id bigint) RETURNS @extschema@.alert_silence
    LANGUAGE plpgsql VOLATILE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    s @extschema@.alert_silence;
BEGIN
    PERFORM @extschema@.require_primary('unsilence');
    UPDATE @extschema@.alert_silence x
       SET lifted_at = pg_catalog.now(), lifted_by = @extschema@.acting_role()
     WHERE x.id = silence_id AND x.lifted_at IS NULL
    RETURNING * INTO s;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'silence % does not exist or was lifted already', silence_id
            USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM @extschema@.log_alert(false, format('letters_triage silence %s lifted by %s', s.id, s.lifted_by));
    RETURN s;
END
$$;
COMMENT ON FUNCTION @extschema@.unsilence(bigint) IS
    'lift a silence before its end (the time and acting role are recorded); alerts it held back are notified at the next check';
REVOKE ALL ON FUNCTION @extschema@.unsilence(bigint) FROM PUBLIC;

-- The event row of an alert, as the checks return it.
CREATE FUNCTION @extschema@.alert_event_of(alert_id bigint, event text) RETURNS @extschema@.alert_event
    LANGUAGE sql STABLE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT ROW(a.id, $2, a.kind, a.severity, a.letters, a.summary)::@extschema@.alert_event
      FROM @extschema@.alert a WHERE a.id = $1
$$;
COMMENT ON FUNCTION @extschema@.alert_event_of(bigint, text) IS
    'internal: the alert_event row of an alert for an event';
REVOKE ALL ON FUNCTION @extschema@.alert_event_of(bigint, text) FROM PUBLIC;

-- Notify alerts raised or escalated by one check: one notification per kind
-- and table (an on-call person gets one message for a batch, as an
-- Alertmanager group), or per alert when it is alone.  A notification is
-- NOTIFY letters_triage with a small JSON payload (ids, kind, severity and
-- counts only: never a key, name or letter text), a WARNING line in the
-- server log, and a row of alert_notice.  Alerts under a silence are recorded
-- in alert_notice and written to the log as LOG, not notified.  Growth since
-- an alert's last notification is told in this one.  Returns the number of
-- notifications sent.
CREATE FUNCTION @extschema@.notify_alerts(event text, ids bigint[], at timestamptz) RETURNS integer
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    g       record;
    v_sent  integer := 0;
    v_grown text;
    v_more  text;
BEGIN
    IF event NOT IN ('raised', 'escalated') THEN
        RAISE EXCEPTION 'invalid notification event: "%"', event USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR g IN
        SELECT a.kind, a.table_id, x.silence, array_agg(a.id ORDER BY a.id) AS ids, count(*) AS n,
               max(a.severity) AS severity, sum(a.letters)::integer AS letters,
               sum(a.urgent_letters)::integer AS urgent,
               sum(greatest(a.letters - a.letters_notified, 0))::integer AS grown,
               (array_agg(a.summary ORDER BY a.id))[1] AS summary,
               (array_agg(a.raise_count ORDER BY a.id))[1] AS raise_count,
               (SELECT count(*) FROM @extschema@.alert_letter l
                 WHERE l.alert_id = (array_agg(a.id ORDER BY a.id))[1] AND l.left_at IS NULL) AS listed
          FROM @extschema@.alert a
          CROSS JOIN LATERAL (SELECT @extschema@.silence_for_id(a.table_id, a.recipient, notify_alerts.at) AS silence) x
         WHERE a.id = ANY (ids)
         GROUP BY a.kind, a.table_id, x.silence
         ORDER BY a.kind, a.table_id NULLS FIRST, x.silence NULLS FIRST
    LOOP
        INSERT INTO @extschema@.alert_notice (at, event, kind, table_id, alerts, letters, silence_id)
        VALUES (notify_alerts.at, event, g.kind, g.table_id, g.ids, g.letters, g.silence);
        UPDATE @extschema@.alert a SET letters_notified = a.letters, notice_silenced = g.silence IS NOT NULL
         WHERE a.id = ANY (g.ids);
        v_grown := CASE WHEN event = 'escalated' AND g.grown > 0
                        THEN format(' (%s more %s since the last notice)', g.grown,
                                    CASE WHEN g.grown = 1 THEN 'letter' ELSE 'letters' END)
                        ELSE '' END;
        IF g.silence IS NOT NULL THEN
            PERFORM @extschema@.log_alert(false,
                format('letters_triage %s %s %s %s held back by silence %s',
                       CASE WHEN g.n = 1 THEN 'alert' ELSE 'alerts' END,
                       array_to_string(g.ids[1:20], ', ') || CASE WHEN g.n > 20 THEN format(' and %s more', g.n - 20) ELSE '' END,
                       event, v_grown, g.silence));
            CONTINUE;
        END IF;
        IF g.n = 1 THEN
            PERFORM pg_notify('letters_triage',
                              json_build_object('alert', g.ids[1], 'event', event, 'kind', g.kind,
                                                'severity', g.severity, 'letters', g.letters,
                                                'urgent_letters', g.urgent, 'raise_count', g.raise_count)::text);
            -- an incident (stalled flow, tracking error) says how many overdue
            -- letters it holds instead of alerts of their own
            v_more := CASE WHEN g.kind IN ('stalled_flow', 'tracking_error') AND g.listed > 0
                           THEN format('; %s overdue %s in this incident (see letters_triage.worklist)', g.listed,
                                       CASE WHEN g.listed = 1 THEN 'letter' ELSE 'letters' END)
                           ELSE '' END;
            PERFORM @extschema@.log_alert(true, format('letters_triage alert %s %s%s: %s%s',
                                                       g.ids[1], event, v_grown, g.summary, v_more));
        ELSE
            PERFORM pg_notify('letters_triage',
                              json_build_object('alerts', g.ids[1:100], 'count', g.n, 'event', event,
                                                'kind', g.kind, 'severity', g.severity, 'letters', g.letters,
                                                'urgent_letters', g.urgent)::text);
            PERFORM @extschema@.log_alert(true,
                format('letters_triage alerts %s %s%s: %s %s alerts%s, most severe %s, %s %s (%s urgent or immediate) - see letters_triage.alert and letters_triage.worklist',
                       array_to_string(g.ids[1:20], ', ') || CASE WHEN g.n > 20 THEN format(' and %s more', g.n - 20) ELSE '' END,
                       event, v_grown, g.n, g.kind, coalesce(' for ' || @extschema@.table_label(g.table_id), ''), g.severity,
                       g.letters, CASE WHEN g.letters = 1 THEN 'letter' ELSE 'letters' END, g.urgent));
        END IF;
        v_sent := v_sent + 1;
    END LOOP;
    RETURN v_sent;
END
$$;
COMMENT ON FUNCTION @extschema@.notify_alerts(text, bigint[], timestamptz) IS
    'internal: notify alerts raised or escalated by a check, one notification per kind and table (NOTIFY letters_triage with ids and counts, a server log WARNING, a row of alert_notice); alerts under a silence are recorded, not notified';
REVOKE ALL ON FUNCTION @extschema@.notify_alerts(text, bigint[], timestamptz) FROM PUBLIC;

-- Deliver one event of one alert: raised and escalated are notified
-- (notify_alerts); grown and resolved are written to the server log (LOG)
-- only: growth is told with the next notification.
CREATE FUNCTION @extschema@.deliver_alert(alert_id bigint, event text)
    RETURNS @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    a @extschema@.alert;
BEGIN
    IF event NOT IN ('raised', 'escalated', 'grown', 'resolved') THEN
        RAISE EXCEPTION 'invalid alert event: "%"', event USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO a FROM @extschema@.alert x WHERE x.id = alert_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % does not exist', alert_id USING ERRCODE = 'no_data_found';
    END IF;
    IF event IN ('raised', 'escalated') THEN
        PERFORM @extschema@.notify_alerts(event, ARRAY[a.id], a.last_raised_at);
    ELSE
        PERFORM @extschema@.log_alert(false, format('letters_triage alert %s %s: %s', a.id, event, a.summary));
    END IF;
    RETURN @extschema@.alert_event_of(a.id, event);
END
$$;
COMMENT ON FUNCTION @extschema@.deliver_alert(bigint, text) IS
    'internal: deliver an alert event (raised, escalated: notified by notify_alerts; grown, resolved: a server log line only)';
REVOKE ALL ON FUNCTION @extschema@.deliver_alert(bigint, text) FROM PUBLIC;

-- Count an alert's letters again from the letters it lists now (not those
-- that left it), and raise its severity to the most urgent of them (and at
-- least to severity, when given); a summary given replaces the alert's.
CREATE FUNCTION @extschema@.alert_recount(alert_id bigint, severity @extschema@.urgency DEFAULT NULL,
                                          summary text DEFAULT NULL) RETURNS void
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
    UPDATE @extschema@.alert a
       SET letters = c.n, urgent_letters = c.urgent,
           severity = greatest(a.severity, $2, c.severity), summary = coalesce($3, a.summary)
      FROM (SELECT count(*)::integer AS n, (count(*) FILTER (WHERE l.urgency >= 'urgent'))::integer AS urgent,
                   max(l.urgency) AS severity
              FROM @extschema@.alert_letter l WHERE l.alert_id = $1 AND l.left_at IS NULL) c
     WHERE a.id = $1
$$;
COMMENT ON FUNCTION @extschema@.alert_recount(bigint, @extschema@.urgency, text) IS
    'internal: count an alert''s letters (and urgent ones) from those it lists now, raise its severity to theirs, and replace its summary when one is given';
REVOKE ALL ON FUNCTION @extschema@.alert_recount(bigint, @extschema@.urgency, text) FROM PUBLIC;

-- Raise an alert, or add letters to the unresolved alert of the same
-- identity (kind, table, scope and, for scope letter, the letter: keys[1];
-- for scope practice, the recipient).
-- keys: every letter (of table table_id) the alert concerns now; the ones not yet
-- listed are added.  letters/urgent_letters: counts when keys is NULL.
-- notify false: a raise is recorded and returned but not notified (the
-- caller notifies its raises together, notify_alerts).
-- Returns the event, or nothing when nothing new happened (the summary and
-- counts of an unchanged alert are still refreshed).
CREATE FUNCTION @extschema@.raise_alert(
        kind text, severity @extschema@.urgency, table_id integer, recipient text,
        scope text, summary text, at timestamptz,
        keys text[] DEFAULT NULL, urgencies @extschema@.urgency[] DEFAULT NULL,
        letters integer DEFAULT NULL, urgent_letters integer DEFAULT NULL,
        notify boolean DEFAULT true, table_name text DEFAULT NULL)
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
#variable_conflict use_column
DECLARE
    v_id      bigint;
    v_raised  boolean := false;
    v_added   integer := 0;
    v_letter  text;
    v_subject text;
    v_name    text;
BEGIN
    IF raise_alert.kind IS NULL OR raise_alert.severity IS NULL
       OR (raise_alert.table_id IS NULL AND (raise_alert.scope <> 'tracking_off' OR raise_alert.table_name IS NULL))
       OR raise_alert.scope IS NULL OR raise_alert.summary IS NULL OR raise_alert.at IS NULL THEN
        RAISE EXCEPTION 'kind, severity, table_id (or, for tracking off, table_name), scope, summary and at must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF raise_alert.kind NOT IN ('overdue', 'stalled_flow', 'sent_late', 'needs_review', 'tracking_error') THEN
        RAISE EXCEPTION 'invalid alert kind: "%"', raise_alert.kind USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF raise_alert.scope NOT IN ('letter', 'practice', 'table', 'tracking_off') THEN
        RAISE EXCEPTION 'invalid alert scope: "%"', raise_alert.scope USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF raise_alert.keys IS NOT NULL AND raise_alert.urgencies IS NOT NULL
       AND cardinality(raise_alert.keys) <> cardinality(raise_alert.urgencies) THEN
        RAISE EXCEPTION 'keys and urgencies differ in length' USING ERRCODE = 'array_subscript_error';
    END IF;
    IF raise_alert.scope = 'letter' THEN
        IF cardinality(raise_alert.keys) IS DISTINCT FROM 1 OR raise_alert.keys[1] IS NULL THEN
            RAISE EXCEPTION 'an alert of one letter needs exactly one key' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        v_letter := raise_alert.keys[1];
    END IF;
    -- (as the generated column alert.subject computes it)
    v_subject := CASE raise_alert.scope WHEN 'letter' THEN v_letter
                                        WHEN 'practice' THEN coalesce(raise_alert.recipient, '')
                                        WHEN 'tracking_off' THEN CASE WHEN raise_alert.table_id IS NULL
                                                                      THEN coalesce(raise_alert.table_name, '') ELSE '' END
                                        ELSE '' END;
    v_name := coalesce(@extschema@.table_label(raise_alert.table_id), raise_alert.table_name);

    SELECT a.id INTO v_id FROM @extschema@.alert a
     WHERE a.kind = raise_alert.kind AND a.scope = raise_alert.scope AND a.table_id IS NOT DISTINCT FROM raise_alert.table_id
       AND a.subject = v_subject AND a.resolved_at IS NULL
       FOR UPDATE;
    IF v_id IS NULL THEN
        INSERT INTO @extschema@.alert AS a
               (raised_at, kind, severity, table_id, table_name, recipient, scope, letter_key, summary, last_raised_at)
        VALUES (raise_alert.at, raise_alert.kind, raise_alert.severity, raise_alert.table_id, v_name,
                raise_alert.recipient, raise_alert.scope, v_letter, raise_alert.summary, raise_alert.at)
        ON CONFLICT (kind, scope, table_id, subject) WHERE resolved_at IS NULL DO NOTHING
        RETURNING a.id INTO v_id;
        IF v_id IS NULL THEN        -- raised concurrently: treat as existing
            SELECT a.id INTO v_id FROM @extschema@.alert a
             WHERE a.kind = raise_alert.kind AND a.scope = raise_alert.scope AND a.table_id IS NOT DISTINCT FROM raise_alert.table_id
               AND a.subject = v_subject AND a.resolved_at IS NULL
               FOR UPDATE;
        ELSE
            v_raised := true;
        END IF;
    END IF;

    IF raise_alert.keys IS NOT NULL THEN
        -- (a letter that had left this alert and is listed again comes back)
        WITH ins AS (
            INSERT INTO @extschema@.alert_letter AS l (alert_id, table_id, key, urgency, added_at)
            SELECT v_id, raise_alert.table_id, k.k, coalesce(k.u, raise_alert.severity), raise_alert.at
              FROM unnest(raise_alert.keys, raise_alert.urgencies) AS k(k, u)
             WHERE k.k IS NOT NULL
            ON CONFLICT (alert_id, table_id, key) DO UPDATE SET left_at = NULL, urgency = EXCLUDED.urgency
                WHERE l.left_at IS NOT NULL
            RETURNING 1)
        SELECT count(*) INTO v_added FROM ins;
        PERFORM @extschema@.alert_recount(v_id, raise_alert.severity, raise_alert.summary);
    ELSE
        UPDATE @extschema@.alert a
           SET letters = coalesce(raise_alert.letters, 0), urgent_letters = coalesce(raise_alert.urgent_letters, 0),
               severity = greatest(a.severity, raise_alert.severity), summary = raise_alert.summary
         WHERE a.id = v_id;
    END IF;

    IF v_raised AND coalesce(raise_alert.notify, true) THEN
        RETURN NEXT @extschema@.deliver_alert(v_id, 'raised');
    ELSIF v_raised THEN
        RETURN NEXT @extschema@.alert_event_of(v_id, 'raised');
    ELSIF v_added > 0 THEN
        RETURN NEXT @extschema@.deliver_alert(v_id, 'grown');
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.raise_alert(text, @extschema@.urgency, integer, text, text, text, timestamptz, text[], @extschema@.urgency[], integer, integer, boolean, text) IS
    'internal, used by every check: raise an alert (row, and unless notify is false its notification) or add letters to the unresolved alert of the same identity (kind, table, scope, and the letter or practice)';
REVOKE ALL ON FUNCTION @extschema@.raise_alert(text, @extschema@.urgency, integer, text, text, text, timestamptz, text[], @extschema@.urgency[], integer, integer, boolean, text) FROM PUBLIC;

-- Whether an alert's table has an incident open: an unresolved stalled_flow
-- or tracking_error alert (the cause; the first raised when there are two).
-- Its overdue letters join it, and the table's overdue and late-sent alerts
-- are not escalated meanwhile: they are symptoms of it.
CREATE FUNCTION @extschema@.incident_of(table_id integer) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT min(a.id) FROM @extschema@.alert a
     WHERE a.kind IN ('stalled_flow', 'tracking_error') AND a.resolved_at IS NULL AND a.table_id = $1
$$;
COMMENT ON FUNCTION @extschema@.incident_of(integer) IS
    'the open incident of a watched table (its first unresolved stalled_flow or tracking_error alert), or NULL';

-- Re-notify the unresolved alerts of one kind that have gone unanswered: not
-- acknowledged, or grown since they were acknowledged, for escalate_after
-- after the first notification, then backing off (times escalate_backoff
-- each time, at most escalate_max); at once when the silence that held back
-- the last notification has ended.  Overdue and late-sent alerts wait while
-- their table has an incident open.  One notification per kind and table.
CREATE FUNCTION @extschema@.escalate_alerts(kind text, at timestamptz)
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_after   interval := @extschema@.alert_setting('escalate_after')::interval;
    v_backoff double precision := @extschema@.alert_setting('escalate_backoff')::double precision;
    v_max     interval := @extschema@.alert_setting('escalate_max')::interval;
    v_ids     bigint[];
    v_inc     integer[];
BEGIN
    SELECT coalesce(array_agg(DISTINCT a.table_id), '{}') INTO v_inc FROM @extschema@.alert a
     WHERE a.kind IN ('stalled_flow', 'tracking_error') AND a.resolved_at IS NULL AND a.table_id IS NOT NULL;
    WITH due AS (
        UPDATE @extschema@.alert a
           SET raise_count = a.raise_count + 1, last_raised_at = at
         WHERE a.kind = escalate_alerts.kind AND a.resolved_at IS NULL
           AND (a.acknowledged_at IS NULL OR a.letters > a.letters_at_ack)
           AND (a.last_raised_at <= at - least(v_after * power(v_backoff, least(a.raise_count - 1, 30)), v_max)
                OR (a.notice_silenced AND a.last_raised_at < at
                    AND @extschema@.silence_for_id(a.table_id, a.recipient, at) IS NULL))
           AND NOT coalesce(a.kind IN ('overdue', 'sent_late') AND a.table_id = ANY (v_inc), false)
        RETURNING a.id)
    SELECT array_agg(due.id ORDER BY due.id) INTO v_ids FROM due;
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    PERFORM @extschema@.notify_alerts('escalated', v_ids, at);
    RETURN QUERY SELECT e.* FROM unnest(v_ids) i, LATERAL @extschema@.alert_event_of(i, 'escalated') e;
END
$$;
COMMENT ON FUNCTION @extschema@.escalate_alerts(text, timestamptz) IS
    'internal: re-notify unresolved alerts of a kind not acknowledged, or grown since acknowledged: escalate_after after the last notification, backing off by escalate_backoff up to escalate_max; overdue and late-sent alerts wait while their table has an incident; one notification per kind and table';
REVOKE ALL ON FUNCTION @extschema@.escalate_alerts(text, timestamptz) FROM PUBLIC;

CREATE FUNCTION @extschema@.resolve_alert(alert_id bigint, at timestamptz)
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    UPDATE @extschema@.alert a SET resolved_at = at
     WHERE a.id = alert_id AND a.resolved_at IS NULL;
    IF FOUND THEN
        RETURN NEXT @extschema@.deliver_alert(alert_id, 'resolved');
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.resolve_alert(bigint, timestamptz) IS
    'internal: mark an alert resolved at the given time and deliver the event';
REVOKE ALL ON FUNCTION @extschema@.resolve_alert(bigint, timestamptz) FROM PUBLIC;

-- Resolve alerts in the order given (a check's alerts whose cause is gone).
CREATE FUNCTION @extschema@.resolve_alerts(alert_ids bigint[], at timestamptz)
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_id bigint;
BEGIN
    FOREACH v_id IN ARRAY alert_ids LOOP
        RETURN QUERY SELECT * FROM @extschema@.resolve_alert(v_id, at);
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.resolve_alerts(bigint[], timestamptz) IS
    'internal: resolve_alert() each of these alerts, in the order given, and return the events';
REVOKE ALL ON FUNCTION @extschema@.resolve_alerts(bigint[], timestamptz) FROM PUBLIC;

-- The role acknowledging: the current role as set by the session (SET ROLE
-- included), not the owner of the SECURITY DEFINER function calling it.
CREATE FUNCTION @extschema@.acting_role() RETURNS name
    AS 'MODULE_PATHNAME', 'lt_acting_role'
    LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.acting_role() IS
    'the role of the session (as SET ROLE sets it), also inside SECURITY DEFINER functions; recorded by acknowledge()';

-- What acknowledge() gives back: enough to confirm the acknowledgement, no
-- more (the alert itself, its group key and letters, stay with those granted
-- SELECT on alert).
CREATE TYPE @extschema@.acknowledgement AS (
    id              bigint,
    kind            text,
    acknowledged_at timestamptz,
    acknowledged_by name
);
COMMENT ON TYPE @extschema@.acknowledgement IS
    'what acknowledge() returns: the alert id, its kind, when and by whom it was acknowledged';

CREATE FUNCTION @extschema@.acknowledge(alert_id bigint, note text DEFAULT NULL)
    RETURNS @extschema@.acknowledgement
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    a      @extschema@.acknowledgement;
    v_tbl  integer;
    v_ends boolean;
BEGIN
    PERFORM @extschema@.require_primary('acknowledge');
    IF alert_id IS NULL THEN
        RAISE EXCEPTION 'alert id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF pg_catalog.octet_length(note) > 10000 THEN
        RAISE EXCEPTION 'acknowledgement note too long'
            USING ERRCODE = 'string_data_right_truncation',
                  DETAIL = 'A note may have at most 10000 bytes.';
    END IF;
    -- Acknowledging a tracking error ends its incident: the letters it held
    -- go to their ordinary alerts now (hand_back), under check_overdue's
    -- lock, taken before the alert's row as the checks take it.
    SELECT x.table_id, x.kind = 'tracking_error' AND x.resolved_at IS NULL INTO v_tbl, v_ends
      FROM @extschema@.alert x WHERE x.id = alert_id;
    IF v_ends THEN
        PERFORM @extschema@.check_lock('check_overdue');
    END IF;
    UPDATE @extschema@.alert x
       SET acknowledged_at = pg_catalog.now(),
           acknowledged_by = @extschema@.acting_role(),
           ack_note = nullif(note, ''),
           letters_at_ack = x.letters,
           -- a late-sent summary is done once the practice has been told, a
           -- tracking error once someone has looked at it
           resolved_at = CASE WHEN x.kind IN ('sent_late', 'tracking_error')
                              THEN coalesce(x.resolved_at, pg_catalog.now())
                              ELSE x.resolved_at END
     WHERE x.id = alert_id
    RETURNING x.id, x.kind, x.acknowledged_at, x.acknowledged_by INTO a;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % does not exist', alert_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_ends THEN
        PERFORM FROM @extschema@.hand_back(pg_catalog.now(), ARRAY[v_tbl]);
    END IF;
    RETURN a;
END
$$;
COMMENT ON FUNCTION @extschema@.acknowledge(bigint, text) IS
    'acknowledge an alert: records the time, the acting role and a note; stops its escalation unless it grows; sent_late and tracking_error alerts are resolved by it (the overdue letters a tracking error held get their ordinary alerts); returns only the id, kind, time and role';
REVOKE ALL ON FUNCTION @extschema@.acknowledge(bigint, text) FROM PUBLIC;

-- The checks, in the order they run: the flow first, so that a stall found
-- now already takes in the letters that check_overdue finds overdue.  The
-- one list: check_all() runs it in one transaction, the background worker
-- each check in its own transaction, and check_serial has a row for each.
CREATE FUNCTION @extschema@.checks() RETURNS TABLE (run_order integer, name name)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    VALUES (1, 'check_flow'::name), (2, 'check_overdue'), (3, 'check_sent_late'), (4, 'check_review'),
           (5, 'check_tracking')
$$;
COMMENT ON FUNCTION @extschema@.checks() IS
    'the checks that check_all() and the background worker run, in their order (each a function of the same name taking the time to check at)';

-- Serialises the checks of one kind in a database: the lock on the check's
-- row of check_serial, held until the check's transaction ends.  Not an
-- advisory lock: any role that can connect could take one of those and hold
-- it, and the checks would wait for ever without an alert; locking a row of
-- check_serial needs UPDATE on it, which only the extension's owner has.
CREATE TABLE @extschema@.check_serial (name name PRIMARY KEY);
INSERT INTO @extschema@.check_serial SELECT c.name FROM @extschema@.checks() c;
COMMENT ON TABLE @extschema@.check_serial IS
    'internal: one row per check (checks()), locked by the check while it runs (serialises concurrent runs of one check)';
CREATE FUNCTION @extschema@.check_lock(check_name name) RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    PERFORM FROM @extschema@.check_serial s WHERE s.name = check_lock.check_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown check: "%"', check_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.check_lock(name) IS
    'internal: lock the row of check_serial that serialises one check until the end of the transaction';
REVOKE ALL ON FUNCTION @extschema@.check_lock(name) FROM PUBLIC;

-- The checks and acknowledge() write; on a hot standby (or in a read-only
-- transaction) they would fail deep inside with "cannot execute UPDATE in a
-- read-only transaction".  Say at once what to do instead.
CREATE FUNCTION @extschema@.require_primary(what text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF pg_catalog.pg_is_in_recovery() THEN
        RAISE EXCEPTION '%() cannot run on a hot standby', what
            USING ERRCODE = 'read_only_sql_transaction',
                  DETAIL = 'It records alerts, acknowledgements or silences, and a standby is read-only.',
                  HINT = 'Run the checks and acknowledge() on the primary (the background worker runs the checks there); the report views overdue, worklist, practice_digest and late_letters can be read on the standby.';
    ELSIF pg_catalog.current_setting('transaction_read_only')::boolean THEN
        RAISE EXCEPTION '%() cannot run in a read-only transaction', what
            USING ERRCODE = 'read_only_sql_transaction',
                  DETAIL = 'It records alerts, acknowledgements or silences.',
                  HINT = 'Run it in a read-write transaction on the primary.';
    END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.require_primary(text) IS
    'internal: refuse (SQLSTATE 25006) a function that writes alerts on a hot standby or in a read-only transaction, naming it and saying to run it on the primary';

-- What every check does first: refuse to run on a hot standby
-- (require_primary), refuse a time that is NULL or not finite (the checks
-- take the time to check at, so that a test or a replay can simulate any
-- moment), take the check's lock (check_lock; none for check_name NULL) and
-- read the settings, in force for the whole check.  A check that can end an
-- incident (hands_back: check_flow, check_tracking) hands the incident's
-- letters back (check_end, hand_back), so it also takes check_overdue's lock
-- here, before its own and before it locks any alert row, as check_overdue
-- and check_all take it: else two checks could each wait for the other.
CREATE TYPE @extschema@.alert_settings AS (
    escalate_after            interval,
    escalate_backoff          double precision,
    escalate_max              interval,
    stall_after_working_hours double precision,
    backlog_factor            double precision,
    backlog_min_letters       integer,
    history_weeks             integer
);
COMMENT ON TYPE @extschema@.alert_settings IS
    'the settings of the checks in force (alert_setting() of each name), as check_begin() returns them';

CREATE FUNCTION @extschema@.check_begin(at timestamptz, check_name name, hands_back boolean DEFAULT false)
    RETURNS @extschema@.alert_settings
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_cfg @extschema@.alert_settings;
BEGIN
    PERFORM @extschema@.require_primary(coalesce(check_name, 'check_all'));
    IF at IS NULL THEN
        RAISE EXCEPTION 'at must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF NOT pg_catalog.isfinite(at) THEN
        RAISE EXCEPTION 'at must be a finite time, not %', at USING ERRCODE = 'datetime_field_overflow';
    ELSIF at > pg_catalog.clock_timestamp() + interval '5 minutes' THEN
        -- A check records what has happened (overdue marks, alerts): run for
        -- a time still to come, it would mark letters late that may yet be
        -- sent in time.  Five minutes allow for a scheduler's clock.
        RAISE EXCEPTION 'a check cannot run for a time that has not yet come (%)', at
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'To see what falls due by then, query letters_triage.letter_state (due) or letters_triage.worklist.';
    END IF;
    -- check_overdue's lock first, whatever the check: check_all holds it when
    -- it reaches check_tracking, so a check that took its own lock first
    -- would wait for check_all while check_all waited for it
    IF hands_back THEN
        PERFORM @extschema@.check_lock('check_overdue');
    END IF;
    IF check_name IS NOT NULL THEN
        PERFORM @extschema@.check_lock(check_name);
    END IF;
    v_cfg := ROW(@extschema@.alert_setting('escalate_after')::interval,
                 @extschema@.alert_setting('escalate_backoff')::double precision,
                 @extschema@.alert_setting('escalate_max')::interval,
                 @extschema@.alert_setting('stall_after_working_hours')::double precision,
                 @extschema@.alert_setting('backlog_factor')::double precision,
                 @extschema@.alert_setting('backlog_min_letters')::integer,
                 @extschema@.alert_setting('history_weeks')::integer)::@extschema@.alert_settings;
    RETURN v_cfg;
END
$$;
COMMENT ON FUNCTION @extschema@.check_begin(timestamptz, name, boolean) IS
    'internal, first step of every check: refuse a hot standby, a NULL, infinite or future time, take the check''s lock (unless check_name is NULL: check_all), and check_overdue''s too for a check that hands letters back, and return the settings in force';
REVOKE ALL ON FUNCTION @extschema@.check_begin(timestamptz, name, boolean) FROM PUBLIC;

CREATE FUNCTION @extschema@.london(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT to_char(t AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') $$;
COMMENT ON FUNCTION @extschema@.london(timestamptz) IS
    'a time as the UK reads it (Europe/London, YYYY-MM-DD HH24:MI), as used in alert summaries';

-- A step that raises many alerts raises them with notify false and keeps
-- their events (raise_alert returns one or none); at its end this notifies
-- the alerts raised, together (one notification per kind and table, not one
-- per alert), and returns the events in the order they happened.
CREATE FUNCTION @extschema@.notify_raised(events @extschema@.alert_event[], at timestamptz)
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    RETURN QUERY SELECT e.alert_id, e.event, e.kind, e.severity, e.letters, e.summary
                   FROM unnest(events) WITH ORDINALITY e ORDER BY e.ordinality;
    PERFORM @extschema@.notify_alerts('raised',
                                      ARRAY(SELECT e.alert_id FROM unnest(events) e WHERE e.event = 'raised'),
                                      at);
END
$$;
COMMENT ON FUNCTION @extschema@.notify_raised(@extschema@.alert_event[], timestamptz) IS
    'internal: notify together the alerts that these events (of raise_alert with notify false) raised, one notification per kind and table, and return the events';
REVOKE ALL ON FUNCTION @extschema@.notify_raised(@extschema@.alert_event[], timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- check_overdue
-- ---------------------------------------------------------------------------
-- Give every overdue letter (marked by check_overdue) that no open alert
-- lists its place, for every table or for one table (only_tbl): the
-- table's incident while one is open, else an alert of its own for an
-- immediate or urgent letter, else its practice's alert.  Called by
-- check_overdue, and by the checks that end an incident (check_flow,
-- check_tracking), so that the letters the incident held return to their
-- ordinary alerts in the same step, once.  The caller holds check_overdue's
-- lock.
CREATE FUNCTION @extschema@.place_overdue(at timestamptz, only_tbl integer DEFAULT NULL)
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r        record;
    v_events @extschema@.alert_event[] := '{}';    -- of the raises, notified at the end
    v_inc    integer[]; -- the tables with an incident open
BEGIN
    -- (read once: a test per letter would cost a probe per letter)
    SELECT coalesce(array_agg(DISTINCT a.table_id), '{}') INTO v_inc FROM @extschema@.alert a
     WHERE a.kind IN ('stalled_flow', 'tracking_error') AND a.resolved_at IS NULL AND a.table_id IS NOT NULL
       AND (only_tbl IS NULL OR a.table_id = only_tbl);

    -- A table with an incident open (stalled flow, tracking error): its
    -- overdue letters not listed in an open alert join the incident, which
    -- grows (told with its next notification), instead of raising alerts of
    -- their own.
    FOR r IN
        SELECT i.id, s.table_id, array_agg(s.key ORDER BY s.key) AS keys,
               array_agg(s.urgency ORDER BY s.key) AS urgencies, max(s.urgency) AS severity
          FROM (SELECT t.table_id, @extschema@.incident_of(t.table_id) AS id
                  FROM unnest(v_inc) t(table_id)) i
          JOIN @extschema@.letter_state s ON s.table_id = i.table_id
         WHERE s.status = 'overdue' AND s.sent IS NULL AND s.due < at
           AND NOT EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                            WHERE x.table_id = s.table_id AND x.key = s.key AND x.open
                              AND x.kind IN ('overdue', 'stalled_flow', 'tracking_error'))
         GROUP BY i.id, s.table_id
         ORDER BY i.id
    LOOP
        INSERT INTO @extschema@.alert_letter AS l (alert_id, table_id, key, urgency, added_at)
        SELECT r.id, r.table_id, k.k, k.u, at FROM unnest(r.keys, r.urgencies) AS k(k, u)
        ON CONFLICT DO NOTHING;
        UPDATE @extschema@.alert a SET severity = greatest(a.severity, r.severity) WHERE a.id = r.id;
        RETURN NEXT @extschema@.deliver_alert(r.id, 'grown');
    END LOOP;

    -- Immediate and urgent letters (of a table with no incident): one alert
    -- each.  One listed in its practice's alert (it became urgent there,
    -- retriage() or an edit) leaves that alert for its own: an immediate
    -- letter is never only a line of a summary.
    FOR r IN
        SELECT s.table_id, s.key, s.urgency, s.recipient, s.due, s.kind,
               (SELECT x.alert_id FROM @extschema@.letter_alert x
                 WHERE x.table_id = s.table_id AND x.key = s.key AND x.open AND x.kind = 'overdue'
                   AND x.scope = 'practice') AS practice_alert
          FROM @extschema@.letter_state s
         WHERE s.status = 'overdue' AND s.sent IS NULL AND s.due < at
           AND s.urgency >= 'urgent'
           AND (only_tbl IS NULL OR s.table_id = only_tbl)
           AND NOT EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                            WHERE x.table_id = s.table_id AND x.key = s.key AND x.open
                              AND x.kind IN ('overdue', 'stalled_flow', 'tracking_error')
                              AND x.scope <> 'practice')
           AND s.table_id <> ALL (v_inc)
         ORDER BY s.urgency DESC, s.due, s.table_id, s.key
    LOOP
        v_events := v_events || ARRAY(SELECT e FROM @extschema@.raise_alert(
            'overdue', r.urgency, r.table_id, r.recipient, 'letter',
            format('%s letter%s to %s from %s was due at %s and has not been sent',
                   initcap(r.urgency::text), coalesce(' (' || r.kind || ')', ''),
                   coalesce('practice ' || r.recipient, 'an unknown practice'), @extschema@.table_label(r.table_id),
                   @extschema@.london(r.due)),
            at, ARRAY[r.key], ARRAY[r.urgency], notify => false) e);
        IF r.practice_alert IS NOT NULL THEN
            UPDATE @extschema@.alert_letter l SET left_at = at
             WHERE l.alert_id = r.practice_alert AND l.table_id = r.table_id AND l.key = r.key;
            PERFORM @extschema@.alert_recount(r.practice_alert);
        END IF;
    END LOOP;

    -- Soon and routine letters (of a table with no incident): one alert per
    -- practice and table.
    FOR r IN
        SELECT s.table_id, s.recipient, max(s.urgency) AS severity, min(s.due) AS oldest,
               count(*) AS n, array_agg(s.key ORDER BY s.key) AS keys,
               array_agg(s.urgency ORDER BY s.key) AS urgencies,
               bool_or(NOT EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                                    WHERE x.table_id = s.table_id AND x.key = s.key AND x.open
                                      AND x.kind = 'overdue')) AS anything_new
          FROM @extschema@.letter_state s
         WHERE s.status = 'overdue' AND s.sent IS NULL AND s.due < at
           AND s.urgency < 'urgent'
           AND (only_tbl IS NULL OR s.table_id = only_tbl)
           -- not a letter still listed in its own alert from when it was urgent
           -- (its urgency dropped, e.g. after an edit or retriage), nor one in
           -- an open incident: no letter is in two open alerts
           AND NOT EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                            WHERE x.table_id = s.table_id AND x.key = s.key AND x.open
                              AND x.kind IN ('overdue', 'stalled_flow', 'tracking_error')
                              AND NOT (x.kind = 'overdue' AND x.scope = 'practice'
                                       AND coalesce(x.recipient, '') = coalesce(s.recipient, '')))
           AND s.table_id <> ALL (v_inc)
         GROUP BY s.table_id, s.recipient
         ORDER BY s.table_id, s.recipient
    LOOP
        CONTINUE WHEN NOT r.anything_new;
        v_events := v_events || ARRAY(SELECT e FROM @extschema@.raise_alert(
            'overdue', r.severity, r.table_id, r.recipient, 'practice',
            format('%s %s to %s from %s %s overdue; the oldest was due at %s',
                   r.n, CASE WHEN r.n = 1 THEN 'letter' ELSE 'letters' END,
                   coalesce('practice ' || r.recipient, 'an unknown practice'), @extschema@.table_label(r.table_id),
                   CASE WHEN r.n = 1 THEN 'is' ELSE 'are' END, @extschema@.london(r.oldest)),
            at, r.keys, r.urgencies, notify => false) e);
    END LOOP;
    RETURN QUERY SELECT * FROM @extschema@.notify_raised(v_events, at);
END
$$;
COMMENT ON FUNCTION @extschema@.place_overdue(timestamptz, integer) IS
    'internal: put every overdue letter no open alert lists (of every table, or of one) in its table''s open incident, an alert of its own (immediate, urgent; leaving its practice''s alert) or its practice''s alert, and notify the raises';
REVOKE ALL ON FUNCTION @extschema@.place_overdue(timestamptz, integer) FROM PUBLIC;

-- The same when an incident has just ended (check_flow, check_tracking): the
-- letters its table's incident held go to their ordinary alerts now.  The
-- caller has taken check_overdue's lock before locking any alert row (as
-- check_overdue does), else two checks could each wait for the other.
CREATE FUNCTION @extschema@.hand_back(at timestamptz, tbls integer[])
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t integer;
BEGIN
    IF cardinality(tbls) = 0 THEN
        RETURN;
    END IF;
    FOR t IN SELECT DISTINCT u.t FROM unnest(tbls) u(t) ORDER BY 1 LOOP
        RETURN QUERY SELECT * FROM @extschema@.place_overdue(at, t);
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.hand_back(timestamptz, integer[]) IS
    'internal: after incidents of these tables ended, give their overdue letters their ordinary alerts at once (place_overdue; the caller holds check_overdue''s lock)';
REVOKE ALL ON FUNCTION @extschema@.hand_back(timestamptz, integer[]) FROM PUBLIC;

-- What every check does last, after its own logic: notify together the
-- alerts it raised with notify false (raised: their events, notify_raised),
-- give the overdue letters of the incidents it ended (ended: the alerts it
-- resolved, of a check begun with hands_back) their ordinary alerts
-- (hand_back), and escalate the unanswered alerts of its kind
-- (escalate_alerts).
CREATE FUNCTION @extschema@.check_end(at timestamptz, kind text,
                                      raised @extschema@.alert_event[] DEFAULT '{}',
                                      ended bigint[] DEFAULT '{}')
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF cardinality(raised) > 0 THEN
        RETURN QUERY SELECT * FROM @extschema@.notify_raised(raised, at);
    END IF;
    IF cardinality(ended) > 0 THEN
        RETURN QUERY SELECT * FROM @extschema@.hand_back(
            at, ARRAY(SELECT a.table_id FROM @extschema@.alert a WHERE a.id = ANY (ended) AND a.table_id IS NOT NULL));
    END IF;
    RETURN QUERY SELECT * FROM @extschema@.escalate_alerts(kind, at);
END
$$;
COMMENT ON FUNCTION @extschema@.check_end(timestamptz, text, @extschema@.alert_event[], bigint[]) IS
    'internal, last step of every check: notify the alerts it raised quietly (notify_raised), hand back the letters of the incidents it ended (hand_back) and escalate the unanswered alerts of its kind';
REVOKE ALL ON FUNCTION @extschema@.check_end(timestamptz, text, @extschema@.alert_event[], bigint[]) FROM PUBLIC;

CREATE FUNCTION @extschema@.check_overdue(at timestamptz DEFAULT pg_catalog.now())
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    PERFORM @extschema@.check_begin(at, 'check_overdue');

    -- Letters being changed right now by another transaction (the tracking
    -- trigger, retriage()) are skipped, not waited for: the next run marks
    -- them.  Waiting would deadlock with a writer locking them in another order.
    -- Only a deadline that has passed by the clock too: a check run for a
    -- time a few minutes ahead (check_begin allows a scheduler's clock that)
    -- marks no letter that may yet be sent in time, as overdue is for good.
    UPDATE @extschema@.letter_state s SET status = 'overdue'
     WHERE (s.table_id, s.key) IN (SELECT w.table_id, w.key FROM @extschema@.letter_state w
                               WHERE w.status = 'waiting' AND w.sent IS NULL
                                 AND w.due < least(at, pg_catalog.clock_timestamp())
                                 FOR UPDATE SKIP LOCKED)
       AND s.status = 'waiting' AND s.sent IS NULL AND s.due < least(at, pg_catalog.clock_timestamp());

    RETURN QUERY SELECT * FROM @extschema@.place_overdue(at);

    -- Resolved: none of the letters the alert lists is still overdue.
    RETURN QUERY SELECT * FROM @extschema@.resolve_alerts(ARRAY(
        SELECT a.id FROM @extschema@.alert a
         WHERE a.kind = 'overdue' AND a.resolved_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM @extschema@.alert_letter l
                             JOIN @extschema@.letter_state s ON s.table_id = l.table_id AND s.key = l.key
                            WHERE l.alert_id = a.id AND l.left_at IS NULL
                              AND s.status = 'overdue' AND s.sent IS NULL)
         ORDER BY a.id), at);

    RETURN QUERY SELECT * FROM @extschema@.check_end(at, 'overdue');
END
$$;
COMMENT ON FUNCTION @extschema@.check_overdue(timestamptz) IS
    'mark letters past their deadline and not sent as overdue and raise alerts: one per immediate or urgent letter, one per practice and table for soon and routine letters, or, while the table has an incident open (stalled_flow, tracking_error), add them to it; resolves alerts whose letters were sent; escalates unanswered ones';
REVOKE ALL ON FUNCTION @extschema@.check_overdue(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- check_flow
-- ---------------------------------------------------------------------------
-- The letters of a table waiting at a time: created by then, not sent by then
-- and not withdrawn by then.  Three index look-ups, one per way of being
-- waiting then: still unsent now (status waiting or overdue), sent after the
-- time, withdrawn unsent after the time.  (Tracking keeps sent and withdrawn
-- NULL exactly while a letter is waiting or overdue; a row edited by hand into
-- another status with neither set is not counted.)
CREATE FUNCTION @extschema@.waiting_letters_id(table_id integer, at timestamptz)
    RETURNS TABLE (key text, urgency @extschema@.urgency, created timestamptz)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    -- (a few index probes, planned without the values of $1 and $2: starting
    -- parallel workers or compiling with JIT would cost far more)
    SET max_parallel_workers_per_gather = 0
    SET jit = off
    AS $$
    SELECT s.key, s.urgency, s.created FROM @extschema@.letter_state s
     WHERE s.status IN ('waiting', 'overdue') AND s.table_id = $1 AND s.created <= $2
       AND (s.sent IS NULL OR s.sent > $2) AND (s.withdrawn IS NULL OR s.withdrawn > $2)
    UNION ALL
    SELECT s.key, s.urgency, s.created FROM @extschema@.letter_state s
     WHERE tstzrange(LEAST(s.created, s.sent), s.sent) @> $2 AND s.sent IS NOT NULL
       AND s.table_id = $1 AND s.status NOT IN ('waiting', 'overdue')
       AND (s.withdrawn IS NULL OR s.withdrawn > $2)
    UNION ALL
    SELECT s.key, s.urgency, s.created FROM @extschema@.letter_state s
     WHERE s.table_id = $1 AND s.withdrawn > $2 AND s.withdrawn IS NOT NULL AND s.sent IS NULL
       AND s.status NOT IN ('waiting', 'overdue') AND s.created <= $2
$$;
COMMENT ON FUNCTION @extschema@.waiting_letters_id(integer, timestamptz) IS
    'the letters of a watched table waiting at a time (created by then, not sent by then, not withdrawn by then): key, urgency, created; costs what the letters waiting then cost, not the history';

-- The waiting backlog of a table at a time.
CREATE FUNCTION @extschema@.backlog_at_id(table_id integer, at timestamptz) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT count(*) FROM @extschema@.waiting_letters_id($1, $2) $$;
COMMENT ON FUNCTION @extschema@.backlog_at_id(integer, timestamptz) IS
    'number of letters of a watched table waiting at a time (created by then, not sent by then, not withdrawn)';

-- The usual backlog of a table at the same weekday and hour: the mean of the
-- backlog at the same time in each of the previous history_weeks weeks that
-- the table has history for (a letter created by then: one waiting then, or
-- the first sent or withdrawn, found by index); NULL with fewer than two such
-- weeks.
CREATE FUNCTION @extschema@.usual_backlog_id(table_id integer, at timestamptz) RETURNS double precision
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    -- (planned without the values of $1 and $2, see waiting_letters())
    SET max_parallel_workers_per_gather = 0
    SET jit = off
    AS $$
    WITH first AS (
        SELECT (SELECT min(s.sent) FROM @extschema@.letter_state s
                 WHERE s.table_id = $1 AND s.sent IS NOT NULL AND s.created <= s.sent) AS sent,
               (SELECT min(s.withdrawn) FROM @extschema@.letter_state s
                 WHERE s.table_id = $1 AND s.withdrawn IS NOT NULL AND s.created <= s.withdrawn) AS withdrawn),
    weeks AS (
        SELECT t.t, @extschema@.backlog_at_id($1, t.t) AS n
          FROM generate_series(1, @extschema@.alert_setting('history_weeks')::integer) w,
               LATERAL (SELECT $2 - make_interval(weeks => w) AS t) t)
    SELECT CASE WHEN count(*) >= 2 THEN avg(weeks.n) END
      FROM weeks, first
     WHERE weeks.n > 0 OR first.sent <= weeks.t OR first.withdrawn <= weeks.t
$$;
COMMENT ON FUNCTION @extschema@.usual_backlog_id(integer, timestamptz) IS
    'usual waiting backlog of a watched table at that weekday and hour: mean over the previous history_weeks weeks with history (NULL with fewer than two)';

CREATE FUNCTION @extschema@.check_flow(at timestamptz DEFAULT pg_catalog.now())
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_cfg    @extschema@.alert_settings;
    r        record;
    v_quiet  double precision;
    v_usual  double precision;
    v_before bigint;
    v_open   bigint;
    v_summary text;
    v_stalled boolean;
    v_ended  bigint[] := '{}';      -- the stalls that ended
BEGIN
    v_cfg := @extschema@.check_begin(at, 'check_flow', hands_back => true);
    -- Every table with letters (a skip scan of the primary key: one probe a
    -- table), what waits there now, and its last send (one probe).
    FOR r IN
        WITH RECURSIVE tabs(table_id) AS (
            (SELECT s.table_id FROM @extschema@.letter_state s ORDER BY s.table_id LIMIT 1)
            UNION ALL
            SELECT (SELECT s.table_id FROM @extschema@.letter_state s WHERE s.table_id > t.table_id ORDER BY s.table_id LIMIT 1)
              FROM tabs t WHERE t.table_id IS NOT NULL)
        SELECT t.table_id,
               (SELECT max(s.sent) FROM @extschema@.letter_state s
                 WHERE s.table_id = t.table_id AND s.sent <= at AND s.sent IS NOT NULL) AS last_sent,
               w.n AS waiting, w.urgent, w.oldest, w.severity
          FROM tabs t
          CROSS JOIN LATERAL (
               SELECT count(*) AS n, count(*) FILTER (WHERE l.urgency >= 'urgent') AS urgent,
                      min(l.created) AS oldest, max(l.urgency) AS severity
                 FROM @extschema@.waiting_letters_id(t.table_id, at) l) w
         WHERE t.table_id IS NOT NULL
         ORDER BY t.table_id
    LOOP
        v_stalled := false;
        v_summary := NULL;
        IF r.waiting > 0 THEN
            -- (counted over ten years at most)
            v_quiet := @extschema@.working_hours_between(
                           greatest(r.last_sent, r.oldest, at - interval '3650 days'), at);
            IF v_quiet >= v_cfg.stall_after_working_hours THEN
                v_stalled := true;
                v_summary := format('No letter has been sent from %s for %s working hours (%s) while %s %s, %s of them urgent or immediate',
                                    @extschema@.table_label(r.table_id), round(v_quiet::numeric, 1),
                                    CASE WHEN r.last_sent IS NULL THEN 'none ever sent'
                                         ELSE 'last sent at ' || @extschema@.london(r.last_sent) END,
                                    r.waiting, CASE WHEN r.waiting = 1 THEN 'letter waits' ELSE 'letters wait' END,
                                    r.urgent);
            ELSIF r.waiting >= v_cfg.backlog_min_letters THEN
                -- (the backlog test needs waiting - usual >= backlog_min_letters)
                v_usual := @extschema@.usual_backlog_id(r.table_id, at);
                IF v_usual IS NOT NULL AND r.waiting >= v_cfg.backlog_factor * greatest(v_usual, 1)
                   AND r.waiting - v_usual >= v_cfg.backlog_min_letters THEN
                    -- far above usual and not draining (no smaller than an hour ago)
                    v_before := @extschema@.backlog_at_id(r.table_id, at - interval '1 hour');
                    IF r.waiting >= v_before THEN
                        v_stalled := true;
                        v_summary := format('%s letters wait to be sent from %s, usually about %s at this time on a %s; %s of them urgent or immediate',
                                            r.waiting, @extschema@.table_label(r.table_id), round(v_usual::numeric),
                                            trim(to_char(at AT TIME ZONE 'Europe/London', 'Day')), r.urgent);
                    END IF;
                END IF;
            END IF;
        END IF;

        SELECT a.id INTO v_open FROM @extschema@.alert a
         WHERE a.kind = 'stalled_flow' AND a.scope = 'table' AND a.table_id = r.table_id AND a.subject = ''
           AND a.resolved_at IS NULL;
        IF v_stalled THEN
            RETURN QUERY SELECT * FROM @extschema@.raise_alert(
                'stalled_flow', coalesce(r.severity, 'routine'), r.table_id, NULL, 'table', v_summary, at,
                letters => r.waiting::integer, urgent_letters => r.urgent::integer);
        ELSIF v_open IS NOT NULL THEN
            RETURN QUERY SELECT * FROM @extschema@.resolve_alert(v_open, at);
            v_ended := v_ended || v_open;
        END IF;
    END LOOP;

    RETURN QUERY SELECT * FROM @extschema@.check_end(at, 'stalled_flow', ended => v_ended);
END
$$;
COMMENT ON FUNCTION @extschema@.check_flow(timestamptz) IS
    'raise one alert per watched table whose outbound flow has stalled (letters wait and none sent for stall_after_working_hours, or the backlog is backlog_factor times its usual size for the weekday and hour, and no smaller than an hour before); resolves it when sending resumes';
REVOKE ALL ON FUNCTION @extschema@.check_flow(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- check_sent_late
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@.check_sent_late(at timestamptz DEFAULT pg_catalog.now())
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r        record;
    v_events @extschema@.alert_event[] := '{}';    -- of the raises, notified at the end
    v_moved  bigint;
    v_emptied bigint[] := '{}';  -- alerts whose letters all moved to another practice's
BEGIN
    PERFORM @extschema@.check_begin(at, 'check_sent_late');

    -- Letters sent past their deadline that no late-sent alert of their
    -- practice lists yet, grouped with those of the practice's unresolved
    -- alert.  A letter listed for another practice (its practice column
    -- amended, or its key given to another letter) counts as new for this
    -- one: it moves to this practice's alert below.
    FOR r IN
        WITH fresh AS (
            SELECT s.table_id, s.recipient
              FROM @extschema@.letter_state s
             WHERE s.status = 'sent_late' AND s.sent <= at
               AND NOT EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                                WHERE x.table_id = s.table_id AND x.key = s.key AND x.kind = 'sent_late'
                                  AND x.left_at IS NULL
                                  AND coalesce(x.recipient, '') = coalesce(s.recipient, ''))
             GROUP BY s.table_id, s.recipient)
        SELECT f.table_id, f.recipient, max(s.urgency) AS severity, count(*) AS n,
               count(*) FILTER (WHERE s.urgency >= 'urgent') AS urgent,
               min(s.due) AS first_due, max(s.sent) AS last_sent,
               array_agg(s.key ORDER BY s.key) AS keys, array_agg(s.urgency ORDER BY s.key) AS urgencies
          FROM fresh f
          JOIN @extschema@.letter_state s ON s.table_id = f.table_id AND s.recipient IS NOT DISTINCT FROM f.recipient
         WHERE s.status = 'sent_late' AND s.sent <= at
           AND NOT EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                            WHERE x.table_id = s.table_id AND x.key = s.key AND x.kind = 'sent_late'
                              AND x.resolved_at IS NOT NULL AND x.left_at IS NULL
                              AND coalesce(x.recipient, '') = coalesce(s.recipient, ''))
         GROUP BY f.table_id, f.recipient
         ORDER BY f.table_id, f.recipient
    LOOP
        v_events := v_events || ARRAY(SELECT e FROM @extschema@.raise_alert(
            'sent_late', r.severity, r.table_id, r.recipient, 'practice',
            format('%s %s from %s reached %s late (due from %s, last sent at %s); %s'
                   ' - see practice_digest for the letters to check',
                   r.n, CASE WHEN r.n = 1 THEN 'letter' ELSE 'letters' END, @extschema@.table_label(r.table_id),
                   coalesce('practice ' || r.recipient, 'an unknown practice'),
                   @extschema@.london(r.first_due), @extschema@.london(r.last_sent),
                   CASE WHEN r.urgent = 0 THEN 'none of them urgent'
                        WHEN r.urgent = 1 THEN '1 of them urgent or immediate'
                        ELSE r.urgent || ' of them urgent or immediate' END),
            at, r.keys, r.urgencies, notify => false) e);
    END LOOP;

    -- A letter in the open alert of a practice it no longer goes to leaves
    -- it once its own practice's alert lists it (open or acknowledged), or
    -- when it is no longer sent late there (its sent time cleared: it is
    -- overdue, and alerted as such): no letter is in two open late-sent
    -- alerts, nor told to a practice it is not for.  An alert left with no
    -- letters is resolved.  (A practice changed again while this check ran
    -- is settled by the next.)
    FOR v_moved IN
        WITH moved AS (
            UPDATE @extschema@.alert_letter l SET left_at = at
              FROM @extschema@.alert a, @extschema@.letter_state s
             WHERE a.kind = 'sent_late' AND a.resolved_at IS NULL AND l.alert_id = a.id AND l.left_at IS NULL
               AND s.table_id = l.table_id AND s.key = l.key AND a.subject <> coalesce(s.recipient, '')
               AND (s.status <> 'sent_late'
                    OR EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                                WHERE x.table_id = l.table_id AND x.key = l.key AND x.kind = 'sent_late'
                                  AND x.left_at IS NULL AND coalesce(x.recipient, '') = coalesce(s.recipient, '')))
            RETURNING l.alert_id)
        SELECT DISTINCT m.alert_id FROM moved m
    LOOP
        PERFORM @extschema@.alert_recount(v_moved);
        v_emptied := v_emptied || ARRAY(SELECT a.id FROM @extschema@.alert a
                                         WHERE a.id = v_moved AND a.letters = 0);
    END LOOP;
    IF cardinality(v_emptied) > 0 THEN
        RETURN QUERY SELECT * FROM @extschema@.resolve_alerts(v_emptied, at);
    END IF;

    RETURN QUERY SELECT * FROM @extschema@.check_end(at, 'sent_late', raised => v_events);
END
$$;
COMMENT ON FUNCTION @extschema@.check_sent_late(timestamptz) IS
    'raise one alert per practice and table summarising the letters sent past their deadline (and how many are urgent); acknowledging it resolves it';
REVOKE ALL ON FUNCTION @extschema@.check_sent_late(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- check_review
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@.check_review(at timestamptz DEFAULT pg_catalog.now())
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r record;
BEGIN
    PERFORM @extschema@.check_begin(at, 'check_review');

    FOR r IN
        SELECT s.table_id, count(*) AS n, array_agg(s.key ORDER BY s.key) AS keys,
               array_agg(s.urgency ORDER BY s.key) AS urgencies,
               bool_or(NOT EXISTS (SELECT 1 FROM @extschema@.letter_alert x
                                    WHERE x.table_id = s.table_id AND x.key = s.key AND x.open
                                      AND x.kind = 'needs_review')) AS anything_new
          FROM @extschema@.letter_state s
         WHERE s.needs_review AND s.status IN ('waiting', 'overdue') AND s.created <= at
         GROUP BY s.table_id
         ORDER BY s.table_id
    LOOP
        CONTINUE WHEN NOT r.anything_new;
        RETURN QUERY SELECT * FROM @extschema@.raise_alert(
            'needs_review', 'urgent', r.table_id, NULL, 'table',
            format('%s %s from %s could not be triaged and %s a person to read %s before %s sent',
                   r.n, CASE WHEN r.n = 1 THEN 'letter' ELSE 'letters' END, @extschema@.table_label(r.table_id),
                   CASE WHEN r.n = 1 THEN 'needs' ELSE 'need' END,
                   CASE WHEN r.n = 1 THEN 'it' ELSE 'them' END,
                   CASE WHEN r.n = 1 THEN 'it is' ELSE 'they are' END),
            at, r.keys, r.urgencies);
    END LOOP;

    RETURN QUERY SELECT * FROM @extschema@.resolve_alerts(ARRAY(
        SELECT a.id FROM @extschema@.alert a
         WHERE a.kind = 'needs_review' AND a.resolved_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM @extschema@.alert_letter l
                             JOIN @extschema@.letter_state s ON s.table_id = l.table_id AND s.key = l.key
                            WHERE l.alert_id = a.id AND s.needs_review
                              AND s.status IN ('waiting', 'overdue'))
         ORDER BY a.id), at);

    RETURN QUERY SELECT * FROM @extschema@.check_end(at, 'needs_review');
END
$$;
COMMENT ON FUNCTION @extschema@.check_review(timestamptz) IS
    'raise one alert per watched table listing the unsent letters the classifier could not triage (needs_review); resolved when none is left';
REVOKE ALL ON FUNCTION @extschema@.check_review(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- check_tracking: problems logged by the tracking trigger
-- ---------------------------------------------------------------------------
CREATE TABLE @extschema@.alert_tracking_log (
    log_id   bigint NOT NULL PRIMARY KEY,   -- tracking_log.id (not a foreign key: tracking_log is not dumped)
    alert_id bigint NOT NULL REFERENCES @extschema@.alert (id)
);
COMMENT ON TABLE @extschema@.alert_tracking_log IS
    'which tracking_log entries (errors and truncates) each tracking_error alert reports';
SELECT pg_catalog.pg_extension_config_dump(t.typrelid::pg_catalog.regclass, '')
  FROM pg_catalog.pg_type t WHERE t.oid = pg_catalog.pg_typeof(NULL::@extschema@.alert_tracking_log);

CREATE FUNCTION @extschema@.check_tracking(at timestamptz DEFAULT pg_catalog.now())
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    r       record;
    v_open  bigint;
    v_id    bigint;
    v_ev    @extschema@.alert_event;
    v_ended bigint[];               -- the incidents that ended
BEGIN
    PERFORM @extschema@.check_begin(at, 'check_tracking', hands_back => true);

    -- Entries not reported yet, with those of the table's unresolved alert.
    FOR r IN
        SELECT g.table_id, array_agg(g.id ORDER BY g.id) FILTER (WHERE t.log_id IS NULL) AS ids,
               coalesce(sum(g.letters) FILTER (WHERE g.event = 'error'), 0) AS lost,
               coalesce(sum(g.letters) FILTER (WHERE g.event = 'truncate'), 0) AS truncated,
               count(*) FILTER (WHERE g.event = 'error') AS errors,
               count(*) FILTER (WHERE g.event = 'truncate') AS truncates,
               min(g.logged_at) AS since
          FROM @extschema@.tracking_log g
          LEFT JOIN @extschema@.alert_tracking_log t ON t.log_id = g.id
          LEFT JOIN @extschema@.alert a ON a.id = t.alert_id
         WHERE g.event IN ('error', 'truncate') AND g.logged_at <= at
           AND (t.log_id IS NULL OR a.resolved_at IS NULL)
         GROUP BY g.table_id
        HAVING bool_or(t.log_id IS NULL)
         ORDER BY g.table_id
    LOOP
        SELECT a.id INTO v_open FROM @extschema@.alert a
         WHERE a.kind = 'tracking_error' AND a.scope = 'table' AND a.table_id = r.table_id AND a.subject = ''
           AND a.resolved_at IS NULL;
        v_ev := NULL;
        SELECT * INTO v_ev FROM @extschema@.raise_alert(
            'tracking_error', CASE WHEN r.errors > 0 THEN 'urgent' ELSE 'soon' END::@extschema@.urgency,
            r.table_id, NULL, 'table',
            format('Tracking of %s met %s since %s%s%s: see letters_triage.tracking_log', @extschema@.table_label(r.table_id),
                   concat_ws(' and ',
                             CASE r.errors WHEN 0 THEN NULL WHEN 1 THEN '1 error' ELSE r.errors || ' errors' END,
                             CASE r.truncates WHEN 0 THEN NULL WHEN 1 THEN '1 truncate' ELSE r.truncates || ' truncates' END),
                   @extschema@.london(r.since),
                   CASE WHEN r.lost > 0 THEN format('; %s %s not recorded (run retriage())', r.lost,
                                                    CASE WHEN r.lost = 1 THEN 'letter was' ELSE 'letters were' END)
                        ELSE '' END,
                   CASE WHEN r.truncated > 0 THEN format('; %s %s withdrawn by TRUNCATE', r.truncated,
                                                         CASE WHEN r.truncated = 1 THEN 'letter was' ELSE 'letters were' END)
                        ELSE '' END),
            at, letters => (r.lost + r.truncated)::integer);
        v_id := coalesce(v_ev.alert_id, v_open);
        INSERT INTO @extschema@.alert_tracking_log (log_id, alert_id)
        SELECT unnest(r.ids), v_id;
        IF v_ev.alert_id IS NOT NULL THEN
            RETURN NEXT v_ev;
        ELSE
            RETURN NEXT @extschema@.deliver_alert(v_id, 'grown');
        END IF;
    END LOOP;

    -- Tracking switched off: one alert per table until tracking_status says ok.
    FOR r IN
        SELECT s.table_id, s.table_name, s.status, s.detail FROM @extschema@.tracking_status s
         WHERE s.status <> 'ok' ORDER BY s.table_id, s.table_name
    LOOP
        -- (a table missing is named by the name its mapping records; one
        -- with tracking triggers but no mapping, by its name)
        RETURN QUERY SELECT * FROM @extschema@.raise_alert(
            'tracking_error', 'urgent', r.table_id, NULL, 'tracking_off',
            format('Letters of %s are not being tracked (%s): %s', r.table_name, r.status, r.detail), at,
            table_name => r.table_name);
    END LOOP;
    v_ended := ARRAY(
        SELECT a.id FROM @extschema@.alert a
         WHERE a.kind = 'tracking_error' AND a.scope = 'tracking_off' AND a.resolved_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM @extschema@.tracking_status s
                            WHERE s.status <> 'ok'
                              AND (s.table_id = a.table_id
                                   OR (a.table_id IS NULL AND s.table_id IS NULL AND s.table_name = a.table_name)))
         ORDER BY a.id);
    RETURN QUERY SELECT * FROM @extschema@.resolve_alerts(v_ended, at);

    RETURN QUERY SELECT * FROM @extschema@.check_end(at, 'tracking_error', ended => v_ended);
END
$$;
COMMENT ON FUNCTION @extschema@.check_tracking(timestamptz) IS
    'raise one alert per watched table for the errors and truncates the tracking trigger logged in tracking_log (problems that kept letters for review are reported by check_review), and one per table whose tracking is off (tracking_status not ok: triggers missing, disabled or for replica sessions only, replicated changes not tracked, triggers without a mapping), resolved when it is on again; acknowledge to stop escalation';
REVOKE ALL ON FUNCTION @extschema@.check_tracking(timestamptz) FROM PUBLIC;

CREATE FUNCTION @extschema@.check_all(at timestamptz DEFAULT pg_catalog.now())
    RETURNS SETOF @extschema@.alert_event
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    c name;
BEGIN
    PERFORM @extschema@.check_begin(at, NULL);
    FOR c IN SELECT x.name FROM @extschema@.checks() x ORDER BY x.run_order LOOP
        RETURN QUERY EXECUTE format('SELECT * FROM @extschema@.%I($1)', c) USING at;
    END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.check_all(timestamptz) IS
    'run every check of checks() (check_flow, check_overdue, check_sent_late, check_review, check_tracking) in its order, in one transaction, and return their events';
REVOKE ALL ON FUNCTION @extschema@.check_all(timestamptz) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- The same, for a DBA: by the table
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@.silence_for(tbl regclass, recipient text, at timestamptz) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN @extschema@.silence_for_id(@extschema@.table_id(tbl), recipient, at);
COMMENT ON FUNCTION @extschema@.silence_for(regclass, text, timestamptz) IS
    'the silence (id) holding back the notifications of an alert of that table and practice at that time, or NULL';

CREATE FUNCTION @extschema@.waiting_letters(tbl regclass, at timestamptz)
    RETURNS TABLE (key text, urgency @extschema@.urgency, created timestamptz)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM @extschema@.waiting_letters_id(@extschema@.table_id($1), $2) $$;
COMMENT ON FUNCTION @extschema@.waiting_letters(regclass, timestamptz) IS
    'the letters of a watched table waiting at a time (created by then, not sent by then, not withdrawn by then): key, urgency, created; costs what the letters waiting then cost, not the history';

CREATE FUNCTION @extschema@.backlog_at(tbl regclass, at timestamptz) RETURNS bigint
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN coalesce(@extschema@.backlog_at_id(@extschema@.table_id(tbl), at), 0);
COMMENT ON FUNCTION @extschema@.backlog_at(regclass, timestamptz) IS
    'number of letters of a watched table waiting at a time (created by then, not sent by then, not withdrawn)';

CREATE FUNCTION @extschema@.usual_backlog(tbl regclass, at timestamptz) RETURNS double precision
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN @extschema@.usual_backlog_id(@extschema@.table_id(tbl), at);
COMMENT ON FUNCTION @extschema@.usual_backlog(regclass, timestamptz) IS
    'usual waiting backlog of a watched table at that weekday and hour: mean over the previous history_weeks weeks with history (NULL with fewer than two)';

-- ---------------------------------------------------------------------------
-- Views for reports
-- ---------------------------------------------------------------------------
-- The report views are true when they are read, not as of the last check:
-- an unsent letter is overdue once check_overdue has marked it, or while it
-- waits past its deadline (the next check marks it).  So a report on a hot
-- standby, where no check runs, is right too.  (The same three-line test in
-- overdue, worklist and practice_digest.)
CREATE VIEW @extschema@.overdue AS
SELECT @extschema@.table_label(s.table_id) AS tbl, s.table_id, s.key, s.recipient, s.kind, s.urgency, s.actions, s.created, s.due,
       pg_catalog.now() - s.due AS overdue_by, la.alert_id, la.acknowledged_at
  FROM @extschema@.letter_state s
  LEFT JOIN LATERAL (
       SELECT x.alert_id, x.acknowledged_at FROM @extschema@.letter_alert x
        WHERE x.table_id = s.table_id AND x.key = s.key AND x.kind IN ('overdue', 'stalled_flow', 'tracking_error')
        ORDER BY x.open DESC, x.alert_id DESC LIMIT 1) la ON true
 WHERE s.sent IS NULL
   AND (s.status = 'overdue' OR (s.status = 'waiting' AND s.due < pg_catalog.now()))
 ORDER BY s.urgency DESC, s.due, s.table_id, s.key;
COMMENT ON VIEW @extschema@.overdue IS
    'letters past their deadline and not sent (marked by check_overdue, or waiting past their deadline and not yet marked), most urgent and oldest first, with the alert that lists them (an overdue alert, or the incident of their table; none yet for a letter no check has seen overdue)';

CREATE VIEW @extschema@.late_letters AS
SELECT @extschema@.table_label(s.table_id) AS tbl, s.table_id, s.key, s.recipient, s.kind, s.urgency, s.actions, s.created, s.due, s.sent,
       s.sent - s.due AS late_by, la.alert_id, la.acknowledged_at
  FROM @extschema@.letter_state s
  LEFT JOIN LATERAL (
       SELECT x.alert_id, x.acknowledged_at FROM @extschema@.letter_alert x
        WHERE x.table_id = s.table_id AND x.key = s.key AND x.kind = 'sent_late'
        ORDER BY x.alert_id DESC LIMIT 1) la ON true
 WHERE s.status = 'sent_late'
 ORDER BY s.urgency DESC, s.sent - s.due DESC, s.table_id, s.key;
COMMENT ON VIEW @extschema@.late_letters IS
    'letters sent past their deadline, most urgent and latest first, with the late-sent alert that lists them';

CREATE VIEW @extschema@.worklist AS
SELECT CASE WHEN s.needs_review AND s.sent IS NULL THEN 'needs review'
            WHEN s.sent IS NULL THEN 'overdue, not sent'
            ELSE 'sent late' END AS attention,
       @extschema@.table_label(s.table_id) AS tbl, s.table_id, s.key, s.recipient, s.kind, s.urgency, s.actions, s.reason, s.due, s.sent,
       coalesce(s.sent, pg_catalog.now()) - s.due AS late_by
  FROM @extschema@.letter_state s
 WHERE (s.sent IS NULL
        AND (s.status = 'overdue' OR (s.status = 'waiting' AND s.due < pg_catalog.now())))
    OR s.status = 'sent_late'
    OR (s.needs_review AND s.status = 'waiting')
 ORDER BY s.needs_review AND s.sent IS NULL DESC, s.urgency DESC,
          coalesce(s.sent, pg_catalog.now()) - s.due DESC, s.table_id, s.key;
COMMENT ON VIEW @extschema@.worklist IS
    'letters that need GP-facing attention (needing review, overdue whether or not a check has marked them yet, sent late), most urgent and most overdue first';

CREATE VIEW @extschema@.practice_digest AS
SELECT s.recipient,
       count(*) FILTER (WHERE s.sent IS NOT NULL) AS late_letters,
       count(*) FILTER (WHERE s.sent IS NOT NULL AND s.urgency >= 'urgent') AS urgent_late_letters,
       count(*) FILTER (WHERE s.sent IS NULL) AS overdue_letters,
       count(*) FILTER (WHERE s.sent IS NULL AND s.urgency >= 'urgent') AS urgent_overdue_letters,
       min(s.due) AS first_due,
       max(s.sent) AS last_sent,
       coalesce(jsonb_agg(jsonb_build_object('tbl', @extschema@.table_label(s.table_id), 'key', s.key, 'urgency', s.urgency,
                                             'actions', s.actions, 'due', s.due, 'sent', s.sent)
                          ORDER BY s.urgency DESC, s.due, s.key)
                FILTER (WHERE s.urgency >= 'urgent'), '[]'::jsonb) AS urgent_letters
  FROM @extschema@.letter_state s
 WHERE s.status = 'sent_late'
    OR (s.sent IS NULL
        AND (s.status = 'overdue' OR (s.status = 'waiting' AND s.due < pg_catalog.now())))
 GROUP BY s.recipient
 ORDER BY count(*) FILTER (WHERE s.urgency >= 'urgent') DESC, s.recipient;
COMMENT ON VIEW @extschema@.practice_digest IS
    'per GP practice: letters sent late and still overdue (whether or not a check has marked them yet), and the urgent or immediate ones among them (table, key, urgency, actions, due, sent) for the practice to check';

CREATE VIEW @extschema@.flow AS
WITH ev AS (
    SELECT s.table_id, (s.created AT TIME ZONE 'Europe/London')::date AS day,
           1 AS created, 0 AS sent, 0 AS late, 0 AS withdrawn
      FROM @extschema@.letter_state s
    UNION ALL
    SELECT s.table_id, (s.sent AT TIME ZONE 'Europe/London')::date, 0, 1, (s.status = 'sent_late')::integer, 0
      FROM @extschema@.letter_state s WHERE s.sent IS NOT NULL
    UNION ALL
    SELECT s.table_id, (s.withdrawn AT TIME ZONE 'Europe/London')::date, 0, 0, 0, 1
      FROM @extschema@.letter_state s WHERE s.withdrawn IS NOT NULL AND s.sent IS NULL),
days AS (
    -- (finite days only: a series up to infinity never ends; letter_state holds none, by its CHECK)
    SELECT ev.table_id, generate_series(min(ev.day), max(ev.day), interval '1 day')::date AS day
      FROM ev WHERE pg_catalog.isfinite(ev.day) GROUP BY ev.table_id),
per AS (
    SELECT d.table_id, d.day, coalesce(sum(ev.created), 0)::bigint AS created,
           coalesce(sum(ev.sent), 0)::bigint AS sent, coalesce(sum(ev.late), 0)::bigint AS sent_late,
           coalesce(sum(ev.withdrawn), 0)::bigint AS withdrawn
      FROM days d LEFT JOIN ev ON ev.table_id = d.table_id AND ev.day = d.day
     GROUP BY d.table_id, d.day)
SELECT per.day, @extschema@.table_label(per.table_id) AS tbl, per.table_id, per.created, per.sent, per.sent_late, per.withdrawn,
       (sum(per.created - per.sent - per.withdrawn)
            OVER (PARTITION BY per.table_id ORDER BY per.day))::bigint AS waiting
  FROM per
 ORDER BY 2, per.day;
COMMENT ON VIEW @extschema@.flow IS
    'per day (Europe/London) and watched table: letters created, sent, sent late, withdrawn unsent, and waiting at the end of the day (for charts)';
