SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- The urgency type is ordered.
SELECT 'routine'::letters_triage.urgency < 'soon' AND 'soon'::letters_triage.urgency < 'urgent'
   AND 'urgent'::letters_triage.urgency < 'immediate' AS ordered;
SELECT pg_catalog.enum_range(NULL::letters_triage.urgency);

-- classify(), urgency(), actions() end to end.
SELECT * FROM letters_triage.classify('Dear Dr Patel, I would be grateful if you could arrange a repeat U&E within 48 hours. Kind regards');
SELECT letters_triage.urgency('Sadly Mr Jones died at home this morning; his death was verified by the district nurse.'::text);
SELECT letters_triage.actions('Sadly Mr Jones died at home this morning; his death was verified by the district nurse.');
SELECT letters_triage.actions('Seen in clinic. Information only, no action needed from the practice; we will see him again in six months.');
SELECT letters_triage.urgency('Seen in clinic. Information only, no action needed from the practice; we will see him again in six months.'::text);

-- urgency(text) needs a text argument: urgency('...') alone is a cast to the enum.
-- STRICT: NULL in, NULL out.
SELECT letters_triage.classify(NULL) IS NULL AS classify_null,
       letters_triage.urgency(NULL) IS NULL AS urgency_null,
       letters_triage.actions(NULL) IS NULL AS actions_null,
       letters_triage.assertion(NULL, 'x') IS NULL AS assertion_null,
       letters_triage.assertion('x', NULL) IS NULL AS assertion_null2;
SELECT count(*) FROM letters_triage.evidence(NULL);

-- Volatility and parallel labels.
SELECT proname, provolatile, proparallel, proisstrict
  FROM pg_proc WHERE pronamespace = 'letters_triage'::regnamespace
   AND proname IN ('classify', 'urgency', 'actions', 'evidence', 'assertion', 'ruleset_version')
 ORDER BY proname;

-- evidence(): one row per match, with the span in the original text.
SELECT pattern, source, action, urgency, char_offset, char_length, matched, context, counted, why_not
  FROM letters_triage.evidence('Please arrange repeat U&E within 48 hours. No safeguarding concerns. Her father died of an MI.');

-- assertion()
SELECT letters_triage.assertion('The patient denies chest pain.', 'chest pain') AS negated,
       letters_triage.assertion('She has chest pain.', 'chest pain') AS affirmed,
       letters_triage.assertion('Her father had a myocardial infarction.', 'myocardial infarction') AS other,
       letters_triage.assertion('History of asthma.', 'asthma') AS historical,
       letters_triage.assertion('Return if you develop a fever.', 'fever') AS hypothetical,
       letters_triage.assertion('Nothing relevant.', 'fever') AS absent;

-- A rule added by the DBA is seen at the next call.
SELECT letters_triage.actions('Please organise a dexa for her.') AS before_rule;
SELECT letters_triage.ruleset_version() AS v1 \gset
INSERT INTO letters_triage.rule (pattern, action, urgency) VALUES ('dexa', 'test', 'soon');
SELECT letters_triage.actions('Please organise a dexa for her.') AS after_rule,
       letters_triage.urgency('Please organise a dexa for her.'::text) AS urgency_after;
SELECT letters_triage.ruleset_version() <> :v1 AS version_changed;
DELETE FROM letters_triage.rule WHERE pattern = 'dexa';
SELECT letters_triage.actions('Please organise a dexa for her.') AS after_delete;
