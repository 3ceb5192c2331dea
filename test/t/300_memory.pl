# Memory (issue 9): classify(), evidence(), assertion(), the letter type's I/O
# and the tracking trigger do not leak per call.
#
# 1. In one backend and one transaction (a PL/pgSQL loop), each function is
#    called 100,000 times, and the trigger fired by 5,000 inserts, updates
#    and deletes (12,500 statements) on a watched table.  The sum of all the
#    backend's memory contexts (pg_backend_memory_contexts) after call 1,000
#    and after the last must not grow more than 256 kB over a baseline loop
#    without the extension (lower() on the same texts; the same statements
#    on an unwatched table): a leak of a few bytes a call would exceed it.
#    For the trigger, PostgreSQL's own per-transaction contexts ("Combo
#    CIDs", "AfterTriggerEvents", TopTransactionContext) are left out: they
#    grow with every row version and trigger event of a transaction (the
#    trigger updates letter_state rows twice in one transaction) and are
#    freed at commit.
# 2. In one session, across statements and transactions (plain tables, not
#    temporary ones: their local buffers grow up to temp_buffers): all contexts after
#    1,000 and after 100,000 more calls (classify, assertion, evidence, COPY
#    BINARY through letter_send/letter_recv, and the trigger: a twentieth as many
#    inserts, updates and deletes, each its own transaction).
# 3. 100 MB values through every function taking text or a letter, and the
#    trigger: a result or an error, and the server stays up.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use File::Spec;

my $calls = $ENV{LT_MEMORY_CALLS} // 100000;
my $first = 1000;
my $trig = $calls / 20;     # inserts (+ updates, deletes) for the trigger
my $bound = 256 * 1024;    # bytes of growth allowed over the baseline

my $node = PostgreSQL::Test::Cluster->new('memory');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'letters_triage'");
$node->start;

$node->safe_psql('postgres', <<'SQL');
SET client_min_messages = warning;
CREATE EXTENSION letters_triage;
CREATE TABLE mem (what text PRIMARY KEY, at_first bigint, at_last bigint);
CREATE FUNCTION backend_bytes() RETURNS bigint LANGUAGE sql
    AS $$ SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts $$;
-- the same without PostgreSQL's own per-transaction state, which grows with
-- the row versions and trigger events a transaction makes (combo command ids
-- of rows changed twice in one transaction, the after-trigger event lists)
-- and is freed at commit
CREATE FUNCTION backend_bytes_but_xact() RETURNS bigint LANGUAGE sql
    AS $$ SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts
           WHERE name NOT IN ('Combo CIDs', 'AfterTriggerEvents', 'TopTransactionContext') $$;
-- letters, different on every call (the number is spelled into the text)
CREATE FUNCTION txt(i int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format(E'Kind: discharge\nSubject: Letter %s\n\nDear Dr %s,\nMr %s was discharged on day %s. '
                  'No evidence of infection. Please stop ramipril and repeat U&E within %s days. '
                  'Potassium 6.%s mmol/L. If he develops chest pain, refer urgently. '
                  'Caf\u00e9 \u2019 \ufb01nal %s.', i, i, i, i % 7, i % 10, i % 10, i) $$;
CREATE TABLE plain (id int PRIMARY KEY, body text, created timestamptz NOT NULL DEFAULT now(), sent timestamptz);
CREATE TABLE watched (LIKE plain INCLUDING ALL);
SELECT letters_triage.watch('watched', 'body', 'created', 'sent');
-- a loop of n calls of one operation; memory after call 1,000 and after call n
CREATE FUNCTION measure(what text, n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE m1 bigint; r text; l letters_triage.letter;
BEGIN
    FOR i IN 1 .. n LOOP
        CASE what
        WHEN 'baseline lower()' THEN r := lower(txt(i));
        WHEN 'classify()' THEN r := letters_triage.classify(txt(i))::text;
        WHEN 'urgency(), actions()' THEN
            r := letters_triage.urgency(txt(i))::text || letters_triage.actions(txt(i))::text;
        WHEN 'evidence()' THEN
            SELECT string_agg(matched || context, ',') INTO r FROM letters_triage.evidence(txt(i));
        WHEN 'assertion()' THEN r := letters_triage.assertion(txt(i), 'infection');
        WHEN 'letter input, output, accessors' THEN
            l := txt(i)::letters_triage.letter;
            r := l::text || letters_triage.kind(l) || letters_triage.subject(l) || letters_triage.body(l)
                 || letters_triage.problems(l)::text || letters_triage.letter_send(l)::text
                 || letters_triage.letter_to_jsonb(l)::text
                 || (letters_triage.letter_to_jsonb(l)::letters_triage.letter)::text;
        WHEN 'baseline insert, update, delete' THEN
            INSERT INTO plain (id, body) VALUES (i, txt(i));
            UPDATE plain SET sent = now() WHERE id = i;
            IF i % 2 = 0 THEN DELETE FROM plain WHERE id = i; END IF;
        WHEN 'trigger: insert, update, delete' THEN
            INSERT INTO watched (id, body) VALUES (i, txt(i));
            UPDATE watched SET sent = now() WHERE id = i;
            IF i % 2 = 0 THEN DELETE FROM watched WHERE id = i; END IF;
        END CASE;
        IF i = 1000 THEN
            m1 := CASE WHEN what LIKE '%insert%' THEN backend_bytes_but_xact() ELSE backend_bytes() END;
        END IF;
    END LOOP;
    INSERT INTO mem VALUES (what, m1,
        CASE WHEN what LIKE '%insert%' THEN backend_bytes_but_xact() ELSE backend_bytes() END);
END $$;
SQL

# Within one transaction (one statement, one loop).
my @ops = ('baseline lower()', 'classify()', 'urgency(), actions()', 'evidence()', 'assertion()',
	'letter input, output, accessors', 'baseline insert, update, delete', 'trigger: insert, update, delete');
for my $op (@ops)
{
	# the trigger loop runs up to three statements a call, each firing the trigger
	my $n = $op =~ /insert/ ? $trig : $calls;
	$node->safe_psql('postgres', "SELECT measure('$op', $n)");
}
my %g;
for my $row (split /\n/, $node->safe_psql('postgres', 'SELECT what, at_first, at_last - at_first FROM mem'))
{
	my ($what, $at, $growth) = split /\|/, $row;
	$g{$what} = $growth;
	diag(sprintf('%-34s backend memory %8d kB after %d calls, grew %+d bytes by call %d',
			$what, $at / 1024, $first, $growth, $calls));
}
for my $op (grep { !/^baseline|^trigger/ } @ops)
{
	cmp_ok($g{$op} - $g{'baseline lower()'}, '<=', $bound, "$op: no growth over $calls calls in one loop");
}
cmp_ok($g{'trigger: insert, update, delete'} - $g{'baseline insert, update, delete'},
	'<=', $bound, "trigger: no growth over $trig inserts, updates and deletes in one transaction");
is($node->safe_psql('postgres',
		"SELECT count(*) FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('watched')"),
	$trig, 'the trigger tracked every letter');

# Across statements: all the backend's contexts between statements (what
# outlives a statement: TopMemoryContext, CacheMemoryContext, ...).
# absolute: the server writes it (PostgreSQL 17's data_dir is relative to the test's directory)
my $copyfile = File::Spec->rel2abs($node->data_dir . '/mem_letters.bin');
sub statements
{
	my ($n, $tag, $off) = @_;
	# the trigger: inserts, updates and deletes, each its own transaction
	my $dml = join('', map {
		my $id = -($_ + $off);
		"INSERT INTO watched (id, body) VALUES ($id, txt($_));\n"
		  . "UPDATE watched SET sent = now() WHERE id = $id;\n"
		  . "DELETE FROM watched WHERE id = $id;\n"
	} 1 .. $n / 20);
	return <<"SQL";
SELECT count(letters_triage.classify(txt(i))) + count(letters_triage.assertion(txt(i), 'pain'))
  FROM generate_series(1, $n) i;
SELECT count(*) FROM (SELECT letters_triage.evidence(txt(i)) FROM generate_series(1, $n) i) s;
CREATE TABLE l AS SELECT txt(i)::letters_triage.letter AS l FROM generate_series(1, $n) i;
COPY l TO '$copyfile' (FORMAT binary);
CREATE TABLE l2 (l letters_triage.letter);
COPY l2 FROM '$copyfile' (FORMAT binary);
SELECT count(*) FROM l2 JOIN l ON l2.l OPERATOR(letters_triage.=) l.l;
DROP TABLE l, l2;
$dml
SELECT '$tag', backend_bytes();
SQL
}
# one session (one backend): a first pass warms the caches
my $out = $node->safe_psql('postgres',
	"SET client_min_messages = warning;\n" . statements($first, 'warm', 1000000) . statements($first, 'first', 2000000)
	  . statements($calls, 'last', 3000000));
my ($at_first) = $out =~ /^first\|(\d+)$/m;
my ($at_last) = $out =~ /^last\|(\d+)$/m;
diag("long-lived contexts across statements: $at_first bytes after $first calls, $at_last after $calls more");
cmp_ok($at_last - $at_first, '<=', $bound,
	"long-lived contexts do not grow with the calls made (classify, evidence, assertion, COPY BINARY send/recv, trigger)");

# 100 MB values (issue 9): every function taking text or a letter gives a
# result or a clear error, and the server stays up.
my %huge = (
	'text to letter and back, body kept' =>
	  "SELECT octet_length(letters_triage.body(h::letters_triage.letter)) = octet_length(h) FROM huge",
	'letter with a 100 MB header value' =>
	  "SELECT octet_length(letters_triage.subject(letters_triage.letter('b', subject => h))) FROM huge",
	'classify() reads 8 MB and asks for review' =>
	  "SELECT (letters_triage.classify(h)).needs_review FROM huge",
	'urgency(), actions()' => "SELECT letters_triage.urgency(h)::text || letters_triage.actions(h)::text FROM huge",
	'evidence()' => "SELECT count(*) > 0 FROM huge, letters_triage.evidence(h)",
	'assertion()' => "SELECT letters_triage.assertion(h, 'cancer') FROM huge",
	'assertion() with a 100 MB concept' => "SELECT letters_triage.assertion('no cancer', h) IS NULL FROM huge",
	'nhs_number_valid()' => "SELECT letters_triage.nhs_number_valid(h) FROM huge",
	'header() with a 100 MB name' => "SELECT letters_triage.header(E'Kind: death\n\nx', h) IS NULL FROM huge",
	'letter to jsonb' => "SELECT octet_length(letters_triage.letter_to_jsonb(h::letters_triage.letter)::text) > 100000000 FROM huge",
	'the trigger on a 100 MB letter' =>
	  "INSERT INTO watched (id, body) SELECT -1, h FROM huge",);
$node->safe_psql('postgres',
	"CREATE TABLE huge AS SELECT repeat(E'Please refer urgently. No evidence of cancer. Potassium 7.1.\n', 1700000) AS h");
for my $what (sort keys %huge)
{
	my ($ret, $out, $err) = $node->psql('postgres', $huge{$what});
	ok($ret == 0 || $err =~ /ERROR:  /, "100 MB: $what: a result or an error")
	  or diag("exit $ret: $err");
	diag("100 MB: $what: " . ($ret == 0 ? $out : $err =~ s/\n.*//sr));
}
is($node->safe_psql('postgres',
		"SELECT needs_review FROM letters_triage.letter_state WHERE table_id = letters_triage.table_id('watched') AND key = '-1'"),
	't', '100 MB letter tracked, for review');
is($node->safe_psql('postgres', 'SELECT 1'), '1', 'server still up after the 100 MB values');

$node->stop;
done_testing();
