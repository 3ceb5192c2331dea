/*
 * harness_classify.c — libFuzzer targets for the classifier's text core (the
 * files test/fuzz/core-files lists), built outside the server on
 * test/fuzz/harness_shim.c.  The rule sets are compiled through the core's
 * own interface (triage.h), from rows as the SQL layer hands them over.  See
 * test/fuzz/libfuzzer.
 *
 * Target "classify" (default): the shipped rule set (read at start-up from
 * the file LT_FUZZ_RULES, made by harness_rules.pl from the install script)
 * and a fuzzed letter.  Input: one flag byte, then the text; a NUL byte ends
 * the text and starts the concept given to assertion().
 *   flag bit 0: database encoding SQL_ASCII (any bytes), else UTF8 (the text
 *               must then be valid UTF-8, as in such a database; if it is
 *               not, SQL_ASCII is used)
 *   flag bits 1-3: the Kind header value given to the verdict (or none)
 *   flag bit 4: a Subject header (the first line of the text)
 *
 * Target "rules" (built with -DLT_FUZZ_RULESET): the rule set itself is
 * fuzzed, as a DBA may write any pattern into letters_triage.rule, .modifier
 * and .section.  Input: one flag byte as above, then pattern lines up to a
 * NUL, then the text.  Each line: a type byte (rule/modifier/section and its
 * action/category/meaning, urgency, direction and scope from its bits),
 * then the pattern.  The core adds the built-in recognisers' words as in the
 * server, compiles the automaton, and the text is classified.
 *
 * Checks on every input (abort, so a crash for libFuzzer, when broken):
 * no error raised (any ereport(ERROR) aborts in the shim), no sanitizer
 * report, and the results are well formed: hits inside the text and in
 * order, character offsets inside the text, enum values in range, the
 * evidence text of a hit valid in the database encoding (valid UTF-8 in a
 * UTF8 database), a reason for every needs_review verdict, the same verdict
 * when analysed twice, and no memory left in the per-input context beyond
 * what the caller frees with it.
 */
#include "postgres.h"

#include <stdio.h>
#include <stdlib.h>

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "core.h"
#include "harness_shim.h"

#ifndef LT_FUZZ_RULESET
static LtRuleSet *shipped;
#endif
static MemoryContext percall;

#define CHECK(cond, what) \
	do { if (!(cond)) { fprintf(stderr, "check failed: %s (%s)\n", what, #cond); abort(); } } while (0)

#ifdef LT_FUZZ_RULESET
/* Names as in the rule tables, for the fuzzed rows' indexes (-1: none). */
static const char *const action_names[] = {
	"death", "medication", "review", "referral", "test", "safeguarding"
};
static const char *const urgency_names[] = {"routine", "soon", "urgent", "immediate"};
static const char *const modcat_names[] = {
	"negated", "hypothetical", "historical", "other_person", "termination",
	"pseudo", "completed", "patient", "request"
};
static const char *const section_names[] = {
	"none", "actions", "medication", "history", "family", "patient"
};
static const char *const direction_names[] = {"", "forward", "backward", "both"};
#endif

/* Add one row (table: 0 rule, 1 modifier, 2 section) as rules.c hands it over. */
static void
add_row(LtRuleRows *rows, int table, const char *pattern, const char *meaning,
		const char *urgency, bool req, const char *direction, int scope)
{
	LtRuleRow	row;
	static int64 id = 0;

	row.table = table == 0 ? LT_TABLE_RULE : table == 1 ? LT_TABLE_MODIFIER : LT_TABLE_SECTION;
	row.id = ++id;
	row.pattern = pattern;
	row.meaning = meaning;
	row.urgency = urgency;
	row.needs_request = req;
	row.direction = direction;
	row.scope = scope;
	lt_rule_rows_add(rows, &row);
}

#ifndef LT_FUZZ_RULESET
/* The shipped rule set, from the file harness_rules.pl wrote. */
static LtRuleSet *
load_shipped(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[4096];
	int			n = 0;
	LtRuleRows *rows;
	LtRuleUsage usage;

	if (f == NULL)
	{
		fprintf(stderr, "cannot read the rule file %s (set LT_FUZZ_RULES)\n", path);
		exit(2);
	}
	rows = lt_rule_rows_new();
	while (fgets(line, sizeof(line), f))
	{
		char	   *fld[7];
		int			k = 0;
		char	   *p = line;

		line[strcspn(line, "\n")] = '\0';
		while (k < 7)
		{
			fld[k++] = p;
			p = strchr(p, '\t');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		if (k < 7)
			continue;
		add_row(rows, atoi(fld[0]), fld[1], fld[2], fld[3], fld[4][0] == 't', fld[5],
				strcmp(fld[6], "\\N") == 0 ? 0 : atoi(fld[6]));
		n++;
	}
	fclose(f);
	lt_rule_rows_usage(rows, &usage);
	if (n < 100 || usage.patterns < 100)
	{
		fprintf(stderr, "the rule file %s has only %d rows\n", path, n);
		exit(2);
	}
	return lt_ruleset_compile(rows, 1);
}
#endif

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	MemoryContext top = shim_context("TopMemoryContext");

	(void) argc;
	(void) argv;
	TopMemoryContext = top;
	CacheMemoryContext = shim_context("CacheMemoryContext");
	percall = shim_context("per input");
	CurrentMemoryContext = CacheMemoryContext;
#ifndef LT_FUZZ_RULESET
	{
		const char *path = getenv("LT_FUZZ_RULES");

		shipped = load_shipped(path ? path : "rules.tsv");
	}
#endif
	CurrentMemoryContext = top;
	return 0;
}

static const char *const kinds[] = {
	NULL, "discharge", "outpatient", "community", "death", "result", "other", "unknown kind"
};

/* Is s[0..len) valid text of the current database encoding? */
static bool
valid_text(const char *s, size_t len)
{
	if (shim_encoding == PG_UTF8)
		return shim_valid_utf8(s, len);
	return memchr(s, '\0', len) == NULL;
}

static void
verdict_ok(const LtTriageResult *r)
{
	CHECK(r->urgency >= LT_URGENCY_ROUTINE && r->urgency <= LT_URGENCY_IMMEDIATE, "urgency in range");
	CHECK((r->actions & ~((1u << LT_NUM_ACTIONS) - 1)) == 0, "actions in range");
	CHECK(r->reason != NULL, "reason");
	CHECK(valid_text(r->reason, strlen(r->reason)), "reason is valid text");
	if (r->needs_review)
		CHECK(r->urgency >= LT_URGENCY_URGENT, "needs_review letters are at least urgent");
}

static void
run(const LtRuleSet *rs, uint8 flags, const char *text, int len,
	const char *concept, int clen)
{
	LtAnalysis	an;
	LtTriageResult r1,
				r2;
	const char *kind = kinds[(flags >> 1) & 7];
	char	   *subject = NULL;
	int			prev_start = -1;
	char	   *a;

	if (flags & 0x10)
	{
		const char *nl = memchr(text, '\n', len);

		subject = pnstrdup(text, nl ? nl - text : len);
	}

	lt_analyse(rs, text, len, true, &an);
	CHECK(an.doc.len >= 0 && an.doc.orig_len == len, "doc lengths");
	CHECK(an.nmatches >= 0 && an.nsentences >= 0 && an.nhits >= 0, "counts");
	for (int i = 0; i < an.nsentences; i++)
	{
		CHECK(an.sentences[i].start >= 0 && an.sentences[i].start <= an.sentences[i].end &&
			  an.sentences[i].end <= an.doc.len, "sentence inside the text");
		CHECK(an.sentences[i].section < LT_NUM_SEC, "sentence section");
		CHECK(i == 0 || an.sentences[i - 1].start <= an.sentences[i].start, "sentences in order");
	}
	for (int i = 0; i < an.nmatches; i++)
		CHECK(an.matches[i].start >= 0 && an.matches[i].start <= an.matches[i].end &&
			  an.matches[i].end <= an.doc.len && an.matches[i].entry >= 0 &&
			  an.matches[i].entry < rs->nentries, "match inside the text");
	for (int i = 0; i < an.nhits; i++)
	{
		const LtHit *h = &an.hits[i];
		int			c1,
					c2;
		char	   *t,
				   *t3;

		CHECK(h->start >= 0 && h->start <= h->end && h->end <= an.doc.len, "hit inside the text");
		CHECK(h->entry >= -1 && h->entry < rs->nentries, "hit entry");
		CHECK(h->action >= -1 && h->action < LT_NUM_ACTIONS, "hit action");
		CHECK(h->urgency >= -1 && h->urgency <= LT_URGENCY_IMMEDIATE, "hit urgency");
		CHECK(h->context < LT_NUM_CTX && h->section < LT_NUM_SEC, "hit context, section");
		CHECK(h->source != NULL && h->label != NULL, "hit source, label");
		CHECK(lt_context_name(h->context) != NULL, "context name");
		(void) prev_start;
		c1 = lt_doc_char_offset(&an.doc, h->start);
		c2 = lt_doc_char_offset(&an.doc, h->end);
		CHECK(c1 >= 0 && c1 <= c2 && c2 <= an.doc.nchars, "character offsets");
		t = lt_hit_text(&an, h, 1000);
		CHECK(t != NULL && strlen(t) <= 1000 + 3 && valid_text(t, strlen(t)), "hit text");
		t3 = lt_hit_text(&an, h, 3);
		CHECK(t3 != NULL && valid_text(t3, strlen(t3)), "clipped hit text");
	}
	lt_verdict(rs, &an, kind, subject, &r1);
	verdict_ok(&r1);

	/* the same again: no state carried between calls */
	lt_analyse(rs, text, len, true, &an);
	lt_verdict(rs, &an, kind, subject, &r2);
	CHECK(r1.urgency == r2.urgency && r1.actions == r2.actions &&
		  r1.needs_review == r2.needs_review && strcmp(r1.reason, r2.reason) == 0,
		  "deterministic verdict");

	if (concept != NULL)
	{
		a = lt_assertion_text(rs, text, len, concept, clen);
		CHECK(a == NULL || strcmp(a, "affirmed") == 0 || strcmp(a, "negated") == 0 ||
			  strcmp(a, "hypothetical") == 0 || strcmp(a, "historical") == 0 ||
			  strcmp(a, "other_person") == 0 || strcmp(a, "other") == 0, "assertion value");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8		flags;
	const char *rest;
	size_t		rlen;
	const char *nul;
	char	   *text,
			   *concept = NULL;
	size_t		tlen,
				clen = 0;
	const LtRuleSet *rs;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	flags = data[0];
	rest = (const char *) data + 1;
	rlen = size - 1;
	shim_encoding = (flags & 1) ? PG_SQL_ASCII : PG_UTF8;

	MemoryContextReset(percall);
	CurrentMemoryContext = percall;

#ifdef LT_FUZZ_RULESET
	{
		/* pattern lines up to the first NUL, then the text */
		LtRuleRows *rows;
		int			lines = 0;
		const char *end;

		nul = memchr(rest, '\0', rlen);
		if (nul == NULL)
			return 0;
		end = nul;
		if (shim_encoding == PG_UTF8 && !shim_valid_utf8(rest, end - rest))
			shim_encoding = PG_SQL_ASCII;
		rows = lt_rule_rows_new();
		for (const char *p = rest; p < end && lines < 64; lines++)
		{
			const char *nl = memchr(p, '\n', end - p);
			const char *le = nl ? nl : end;

			if (le - p >= 1)
			{
				uint8		t = (uint8) p[0];
				char	   *pat = pnstrdup(p + 1, le - p - 1);
				int			kind = t % 3;
				int			sub = kind == 1 ? (int) ((t >> 2) % 10) - 1 : (int) ((t >> 2) % 7) - 1;
				int			urg = (int) ((t >> 5) % 5) - 1;

				add_row(rows, kind, pat,
						sub < 0 ? NULL : kind == 0 ? action_names[sub] :
						kind == 1 ? modcat_names[sub] : section_names[sub],
						urg < 0 ? NULL : urgency_names[urg], (t & 0x80) != 0,
						direction_names[1 + (t >> 2) % 3], (t >> 4) % 12);
			}
			p = le + 1;
		}
		rs = lt_ruleset_compile(rows, 1);
		rlen -= (nul - rest) + 1;
		rest = nul + 1;
		text = malloc(rlen ? rlen : 1);
		memcpy(text, rest, rlen);
		tlen = rlen;
		if (memchr(text, '\0', tlen))
			tlen = (const char *) memchr(text, '\0', tlen) - text;
		/* a concept for assertion(): the first line of the text */
		{
			const char *nl2 = memchr(text, '\n', tlen);

			clen = Min(nl2 ? (size_t) (nl2 - text) : tlen, 60);
			concept = malloc(clen + 1);
			memcpy(concept, text, clen);
			concept[clen] = '\0';
		}
	}
#else
	rs = shipped;
	nul = memchr(rest, '\0', rlen);
	tlen = nul ? (size_t) (nul - rest) : rlen;
	/* exactly sized copies, so that reading past the end is caught */
	text = malloc(tlen ? tlen : 1);
	memcpy(text, rest, tlen);
	if (nul)
	{
		const char *c = nul + 1;
		const char *cend = memchr(c, '\0', rlen - tlen - 1);

		clen = cend ? (size_t) (cend - c) : rlen - tlen - 1;
		concept = malloc(clen + 1);
		memcpy(concept, c, clen);
		concept[clen] = '\0';
	}
#endif
	if (shim_encoding == PG_UTF8 &&
		(!shim_valid_utf8(text, tlen) || (concept && !shim_valid_utf8(concept, clen))))
		shim_encoding = PG_SQL_ASCII;

	run(rs, flags, text, (int) tlen, concept, (int) clen);

	free(text);
	free(concept);
	MemoryContextReset(percall);
	return 0;
}

#if defined(LT_FUZZ_ADVERSARIAL) && !defined(LT_FUZZ_RULESET)
/*
 * The adversarial driver (test/fuzz/adversarial): every family of
 * test/fuzz/adversarial.h at each size given (bytes), through the checks of
 * run() when checking, and timed (CPU time of one analysis and verdict).
 * Prints ns/byte per family and size; exits 1 when a family's time per byte
 * at the largest size is more than twice that at the smallest.
 *   adversarial [-c] SIZE...    (-c: run the checks too, at sizes <= 1 MB)
 * (LT_ADV_FAMILIES, if set, names the families to run: "request,lines".)
 *   adversarial -s DIR SIZE     write each family at SIZE bytes as a seed of
 *                               the libFuzzer targets (DIR/adv-FAMILY)
 */
#include <time.h>

#include "adversarial.h"

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The least CPU time of a few analyses of text (fewer for big texts). */
static double
time_one(const char *text, size_t len)
{
	double		best = 1e9;
	int			reps = len <= 200000 ? 5 : 2;

	for (int r = 0; r < reps; r++)
	{
		LtAnalysis	an;
		LtTriageResult res;
		double		t0;

		MemoryContextReset(percall);
		CurrentMemoryContext = percall;
		t0 = cpu_now();
		lt_analyse(shipped, text, (int) len, true, &an);
		lt_verdict(shipped, &an, NULL, NULL, &res);
		best = Min(best, cpu_now() - t0);
	}
	MemoryContextReset(percall);
	return best;
}

int
main(int argc, char **argv)
{
	bool		check = false;
	int			first = 1;
	int			bad = 0;

	if (argc == 4 && strcmp(argv[1], "-s") == 0)
	{
		size_t		size = (size_t) atol(argv[3]);
		char	   *text = malloc(size + 1);

		for (const LtAdvFamily *f = lt_adv_families; f->name; f++)
		{
			char		path[4096];
			FILE	   *out;

			snprintf(path, sizeof(path), "%s/adv-%s", argv[2], f->name);
			text[0] = 0;		/* the flag byte: UTF8, no headers */
			lt_adv_generate(f, text + 1, size, 20261201);
			if ((out = fopen(path, "wb")) == NULL || fwrite(text, 1, size + 1, out) != size + 1 ||
				fclose(out) != 0)
			{
				fprintf(stderr, "cannot write %s\n", path);
				return 2;
			}
		}
		free(text);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "-c") == 0)
	{
		check = true;
		first = 2;
	}
	if (argc <= first)
	{
		fprintf(stderr, "usage: %s [-c] SIZE...\n", argv[0]);
		return 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	shim_encoding = PG_UTF8;
	printf("%-14s", "family");
	for (int a = first; a < argc; a++)
		printf(" %10s B", argv[a]);
	printf("   ratio (ns/byte, largest / smallest)\n");
	for (const LtAdvFamily *f = lt_adv_families; f->name; f++)
	{
		double		lo = 0,
					hi = 0;
		const char *only = getenv("LT_ADV_FAMILIES");

		if (only != NULL && strstr(only, f->name) == NULL)
			continue;

		printf("%-14s", f->name);
		for (int a = first; a < argc; a++)
		{
			size_t		size = (size_t) atol(argv[a]);
			char	   *text = malloc(size + 1);
			double		nspb;

			lt_adv_generate(f, text, size, 20261201);
			if (check && size <= 1024 * 1024)
			{
				MemoryContextReset(percall);
				CurrentMemoryContext = percall;
				run(shipped, 0, text, (int) size, "refer", 5);
			}
			nspb = time_one(text, size) / size * 1e9;
			if (a == first)
				lo = nspb;
			hi = nspb;
			printf(" %10.1f ns", nspb);
			fflush(stdout);
			free(text);
		}
		printf("   %5.2f%s\n", hi / Max(lo, 1e-3), hi > 2 * lo ? "  TOO SLOW" : "");
		if (hi > 2 * lo)
			bad++;
	}
	return bad ? 1 : 0;
}
#endif
