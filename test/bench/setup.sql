-- test/bench/setup.sql — the benchmark database: results table, timing
-- helper, the letters (from test/gen/letters.pl) and the baselines.
-- psql variables: letters (the generator's CSV).
\ir common.sql
CREATE EXTENSION letters_triage;
\ir common.sql
CREATE SCHEMA bench;

-- One row per figure.  ratio = value / baseline (of the same unit) as measured
-- in the same run; target says which way is good.
CREATE TABLE bench.result (
	n        serial PRIMARY KEY,
	section  text NOT NULL,
	measure  text NOT NULL,
	value    double precision,
	unit     text,
	baseline text,
	ratio    double precision,
	target   text,
	met      boolean
);
CREATE FUNCTION bench.record(section text, measure text, value double precision, unit text,
                             baseline text DEFAULT NULL, ratio double precision DEFAULT NULL,
                             target text DEFAULT NULL, met boolean DEFAULT NULL)
RETURNS void LANGUAGE sql AS
$$ INSERT INTO bench.result (section, measure, value, unit, baseline, ratio, target, met)
   VALUES (section, measure, value, unit, baseline, ratio, target, met) $$;

-- Seconds one statement takes: the best of reps runs (a noisy machine only ever adds time).
CREATE FUNCTION bench.secs(q text, reps int DEFAULT 3) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
	best double precision;
	t0 timestamptz;
	d double precision;
BEGIN
	FOR i IN 1 .. reps LOOP
		t0 := clock_timestamp();
		EXECUTE q;
		d := extract(epoch FROM clock_timestamp() - t0);
		IF best IS NULL OR d < best THEN best := d; END IF;
	END LOOP;
	RETURN best;
END $$;

-- The letters: realistic bodies with header blocks on some, as the generator writes them.
CREATE TABLE bench.letters (
	id bigint PRIMARY KEY, created timestamptz NOT NULL, sent timestamptz NOT NULL, practice text NOT NULL,
	nhs_number text NOT NULL, kind text NOT NULL, urgency text NOT NULL, actions text, letter text NOT NULL
);
COPY bench.letters FROM :'letters' WITH (FORMAT csv, HEADER true);
-- a sample for the slow baselines (regular expressions, PL/pgSQL): one letter in eight
CREATE TABLE bench.sample AS SELECT * FROM bench.letters WHERE id % 8 = 0;
ANALYZE bench.letters, bench.sample;

-- The rule phrases the baselines use: the extension's own rules when it has
-- them (pattern text as written; a trailing '*' means "any word ending").
CREATE TABLE bench.rules (pattern text NOT NULL, action text, urgency text);
\if :have_rules
INSERT INTO bench.rules
SELECT lower(rtrim(r.pattern, '*')), r.action::text, r.urgency::text
  FROM letters_triage.rule r WHERE r.enabled;
\endif

-- Baseline: one case-insensitive regular expression per action, of all its phrases.
CREATE TABLE bench.regex AS
SELECT action, '(' || string_agg(regexp_replace(pattern, '([.^$*+?()\[\]{}|\\])', '\\\1', 'g'), '|' ORDER BY pattern)
               || ')' AS re,
       max(urgency) AS urgency
  FROM bench.rules GROUP BY action;

-- Baseline: a straightforward PL/pgSQL implementation of the same rules:
-- lower-case the letter, look for each phrase, skip it when a negation,
-- condition or other-person word comes shortly before it in the sentence,
-- keep the highest urgency and the set of actions.
CREATE FUNCTION bench.triage_plpgsql(body text, OUT urgency text, OUT actions text[])
LANGUAGE plpgsql STABLE AS $$
DECLARE
	b text := lower(body);
	r record;
	p int;
	pre text;
	rank int := 0;
	ranks constant text[] := ARRAY['routine', 'soon', 'urgent', 'immediate'];
BEGIN
	actions := '{}';
	FOR r IN SELECT pattern, action, bench.rules.urgency AS u FROM bench.rules LOOP
		p := strpos(b, r.pattern);
		CONTINUE WHEN p = 0;
		pre := substr(b, greatest(1, p - 60), least(p - 1, 60));
		pre := regexp_replace(pre, '^.*[.!?\n]', '');
		CONTINUE WHEN pre ~ '\m(no|not|denies|without|if|should|history|father|mother|brother|sister|previous|we have)\M';
		IF r.action IS NOT NULL AND NOT r.action = ANY (actions) THEN
			actions := actions || r.action;
		END IF;
		IF r.u IS NOT NULL AND array_position(ranks, r.u) - 1 > rank THEN
			rank := array_position(ranks, r.u) - 1;
		END IF;
	END LOOP;
	urgency := ranks[rank + 1];
END $$;
SELECT count(*) AS nrules FROM bench.rules \gset
\echo 'bench: letters loaded; rule phrases for the baselines:' :nrules
