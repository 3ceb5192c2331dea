-- test/bench/more_rules.sql — included by the parts that compare the default
-- rules with many more (15, 45): bench.more_rules() adds variants of the
-- shipped rules that rarely match (each enabled rule without a trailing '*'
-- followed by one of the words alpha ... india, at most nine variants each,
-- as many as the limit on enabled patterns leaves); bench.fewer_rules() takes
-- them away again, by the ids they were given (so the variants of urgency
-- words and ignore-phrases, whose action is NULL, go too).  Both return the
-- number of enabled rules afterwards.
CREATE TABLE IF NOT EXISTS bench.variant_rule (id bigint PRIMARY KEY);
CREATE OR REPLACE FUNCTION bench.more_rules() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	variants int;
BEGIN
	IF EXISTS (SELECT FROM bench.variant_rule) THEN
		RAISE EXCEPTION 'bench.more_rules(): the variants are in already';
	END IF;
	SELECT least(9, (l.maximum - l.used)
	                / (SELECT count(*) FROM letters_triage.rule WHERE enabled AND pattern NOT LIKE '%*'))
	  INTO variants FROM letters_triage.rule_limits() l WHERE l.name = 'patterns';
	WITH added AS (
		INSERT INTO letters_triage.rule (pattern, action, urgency, needs_request)
		SELECT r.pattern || ' ' || w, r.action, r.urgency, r.needs_request
		  FROM letters_triage.rule r,
		       unnest((ARRAY['alpha','bravo','charlie','delta','echo','foxtrot','golf','hotel','india'])[1:variants]) w
		 WHERE r.enabled AND r.pattern NOT LIKE '%*'
		RETURNING id)
	INSERT INTO bench.variant_rule SELECT id FROM added;
	RETURN (SELECT count(*) FROM letters_triage.rule WHERE enabled);
END $$;
CREATE OR REPLACE FUNCTION bench.fewer_rules() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM letters_triage.rule WHERE id IN (SELECT id FROM bench.variant_rule);
	DELETE FROM bench.variant_rule;
	RETURN (SELECT count(*) FROM letters_triage.rule WHERE enabled);
END $$;
