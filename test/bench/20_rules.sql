-- test/bench/20_rules.sql — 2. scaling with the number of rules: 100, 1,000 and
-- 10,000 generated rules of realistic shape (a request verb and a clinical
-- object), the shipped rules disabled meanwhile and restored afterwards.
\ir common.sql
\ir 10_cpu.sql
\if :have_classify
\if :have_rules
\echo 'bench 2: scaling with rules'
CREATE TABLE bench.gen_rule AS
SELECT row_number() OVER (ORDER BY md5(v || ' ' || m || ' ' || o)) AS n,
       v || ' ' || m || ' ' || o AS pattern,
       (ARRAY['medication','review','referral','test'])[1 + abs(hashtext(o)) % 4] AS action,
       (ARRAY['routine','soon','urgent','immediate'])[1 + abs(hashtext(v || m)) % 4] AS urgency
  FROM unnest(ARRAY['please arrange', 'please repeat', 'kindly organise', 'please start', 'please stop',
                    'please refer for', 'please book', 'we recommend', 'please check', 'please chase',
                    'could you arrange', 'please consider']) v,
       unnest(ARRAY['fasting', 'repeat', 'annual', 'urgent', 'community', 'specialist', 'paediatric', 'home',
                    'weekly', 'baseline', 'follow-up', 'nurse-led', 'virtual', 'telephone', 'routine', 'early',
                    'combined', 'targeted', 'formal', 'interim']) m,
       unnest(ARRAY['lipid profile', 'bone scan', 'spirometry', 'echo', 'holter monitor', 'dexa scan',
                    'retinal screening', 'foot check', 'ankle brachial index', 'audiology', 'memory assessment',
                    'falls assessment', 'dietetic review', 'smoking cessation', 'weight management',
                    'continence assessment', 'pessary change', 'b12 injection', 'depot injection',
                    'vitamin d level', 'ferritin', 'psa', 'ca125', 'faecal immunochemical test', 'urine acr',
                    'coeliac screen', 'hepatitis serology', 'hiv test', 'swab', 'wound review',
                    'compression bandaging', 'blood pressure review', 'inhaler technique check', 'insulin review',
                    'lithium level', 'drug monitoring', 'anticoagulation review', 'pain review',
                    'physiotherapy', 'occupational therapy', 'speech therapy', 'mental health review']) o;
SELECT count(*) AS ngen FROM bench.gen_rule \gset
-- the shipped rules, to restore
CREATE TABLE bench.shipped_enabled AS SELECT id FROM letters_triage.rule WHERE enabled;
UPDATE letters_triage.rule SET enabled = false WHERE enabled;
CREATE TEMP TABLE t_rules (nrules int, t_first double precision, t_cls double precision);
-- 100, 1,000 and as many as the limit of 10,000 enabled patterns leaves beside
-- the modifiers and sections (about 9,000)
DO $$
DECLARE
	nr int;
	have int := 0;
	room int := (SELECT maximum - used FROM letters_triage.rule_limits() WHERE name = 'patterns');
BEGIN
	FOREACH nr IN ARRAY ARRAY[100, 1000, least(10000, room)] LOOP
		INSERT INTO letters_triage.rule (pattern, action, urgency)
		SELECT pattern, action, urgency::letters_triage.urgency FROM bench.gen_rule WHERE bench.gen_rule.n > have AND bench.gen_rule.n <= nr;
		have := nr;
		INSERT INTO t_rules VALUES (nr,
			bench.secs('SELECT letters_triage.classify(''please arrange a blood test'')', 1),
			bench.cpu_secs('SELECT count((letters_triage.classify(letter)).urgency) FROM bench.letters', 3));
	END LOOP;
END $$;
DELETE FROM letters_triage.rule r USING bench.gen_rule g WHERE r.pattern = g.pattern;
UPDATE letters_triage.rule SET enabled = true WHERE id IN (SELECT id FROM bench.shipped_enabled);
SELECT sum(octet_length(letter)) / 1e6 AS mb FROM bench.letters \gset
SELECT bench.record('2 rules', format('classify(), %s generated rules', r.nrules), :mb / r.t_cls, 'MB/s',
                    CASE WHEN p.nrules IS NOT NULL THEN format('%s rules', p.nrules) END,
                    r.t_cls / p.t_cls, CASE WHEN p.nrules IS NOT NULL THEN 'about 10x the rules <= 1.2x the time' END,
                    CASE WHEN p.nrules IS NOT NULL THEN r.t_cls / p.t_cls <= 1.2 END)
  FROM t_rules r LEFT JOIN LATERAL (SELECT * FROM t_rules q WHERE q.nrules < r.nrules ORDER BY q.nrules DESC LIMIT 1) p
       ON true ORDER BY r.nrules;
SELECT bench.record('2 rules', format('first call after the rule change (compile), %s rules', nrules),
                    t_first * 1000, 'ms') FROM t_rules ORDER BY nrules;
\else
\echo 'bench 2: no rule table in this build'
\endif
\else
\echo 'bench 2: classify() is not in this build'
\endif
