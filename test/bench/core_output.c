/*
 * core_output.c — the classifier's text core outside the server, on letters
 * read from a file, for test/bench/same_output.sh (is the output of a faster
 * core the same as before?) and for profiling the core alone (callgrind,
 * perf).  Built like the fuzzing harnesses: the core's C files on
 * test/fuzz/harness_shim.c, with the shipped rules read from the file that
 * test/fuzz/harness_rules.pl writes.
 *
 *   core_output RULES LETTERS [REPEAT]
 *
 * LETTERS holds records "kind\nlength\nbytes" (the kind may be empty).  For
 * each letter it prints the verdict of lt_triage_text() on the text alone and
 * with its kind as a header, the hits as evidence() lists them, and what the
 * analysis found on the way: the text's statistics (the longest run of
 * non-blank bytes when 16 or more, as the core reports it since it has
 * counted 16 bytes a step), sentences, matches and past years.  With REPEAT > 1 the letters are classified that many times
 * more, silently; with REPEAT < 0, -REPEAT times and nothing printed (for
 * profiles: callgrind --toggle-collect=lt_triage_text).
 */
#include "postgres.h"

#include <stdio.h>
#include <stdlib.h>

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "core.h"
#include "harness_shim.h"

static LtRuleSet *
load_rules(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[4096];
	LtRuleRows *rows;
	int64		id = 0;

	if (f == NULL)
	{
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	rows = lt_rule_rows_new();
	while (fgets(line, sizeof(line), f))
	{
		char	   *fld[7];
		int			k = 0;
		char	   *p = line;
		LtRuleRow	row;
		int			t;

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
		t = atoi(fld[0]);
		row.table = t == 0 ? LT_TABLE_RULE : t == 1 ? LT_TABLE_MODIFIER : LT_TABLE_SECTION;
		row.id = ++id;
		row.pattern = strdup(fld[1]);
		row.meaning = strdup(fld[2]);
		row.urgency = strcmp(fld[3], "\\N") == 0 ? NULL : strdup(fld[3]);
		row.needs_request = fld[4][0] == 't';
		row.direction = strcmp(fld[5], "\\N") == 0 ? NULL : strdup(fld[5]);
		row.scope = strcmp(fld[6], "\\N") == 0 ? 0 : atoi(fld[6]);
		lt_rule_rows_add(rows, &row);
	}
	fclose(f);
	return lt_ruleset_compile(rows, 1);
}

static void
print_verdict(const char *what, const LtTriageResult *r)
{
	printf("%s: %s actions=%x review=%d reason=%s\n", what, lt_urgency_name(r->urgency),
		   r->actions, r->needs_review, r->reason);
}

static void
print_letter(const LtRuleSet *rs, int n, const char *kind, const char *text, int len)
{
	LtTriageResult r;
	LtEvidence *ev;
	LtAnalysis	an;
	int			nev;

	printf("== letter %d (%s, %d bytes)\n", n, kind[0] ? kind : "-", len);
	lt_triage_text(rs, text, len, NULL, NULL, NULL, &r);
	print_verdict("text", &r);
	lt_triage_text(rs, text, len, kind[0] ? kind : NULL, NULL, NULL, &r);
	print_verdict("with kind", &r);
	nev = lt_evidence_text(rs, text, len, &ev);
	for (int i = 0; i < nev; i++)
		printf("hit %d-%d %s %lld [%s] %s a=%d u=%d %s sec=%s counted=%d why=%s: %s\n",
			   ev[i].char_offset, ev[i].char_end, ev[i].is_rule ? "rule" : "-",
			   (long long) ev[i].rule, ev[i].pattern, ev[i].source, ev[i].action, ev[i].urgency,
			   ev[i].context, ev[i].section ? ev[i].section : "-", ev[i].counted,
			   ev[i].why ? ev[i].why : "-", ev[i].matched);
	lt_analyse(rs, text, len, true, &an);
	printf("stats stop=%d words=%d alpha=%d nonblank=%d longest=%d bad=%d docbad=%d chars=%d len=%d\n",
		   an.stats.nstop, an.stats.nwords, an.stats.nalpha, an.stats.nnonblank,
		   an.stats.longest >= 16 ? an.stats.longest : 0, an.stats.nbad, an.doc.nbad, an.doc.nchars, an.doc.len);
	for (int i = 0; i < an.nsentences; i++)
		printf("sentence %d-%d para=%d sec=%d head=%d lead=%d\n", an.sentences[i].start,
			   an.sentences[i].end, an.sentences[i].para, an.sentences[i].section,
			   an.sentences[i].heading, an.sentences[i].lead_agent);
	for (int i = 0; i < an.nmatches; i++)
		printf("match %d-%d e=%d s=%d dead=%d\n", an.matches[i].start, an.matches[i].end,
			   an.matches[i].entry, an.matches[i].sentence, an.matches[i].dead);
	for (int i = 0; i < an.nyears; i++)
		printf("year %d-%d\n", an.years[2 * i], an.years[2 * i + 1]);
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	char	   *buf;
	long		size;
	long		pos = 0;
	int			repeat = argc > 3 ? atoi(argv[3]) : 1;
	MemoryContext percall;
	LtRuleSet  *rs;
	int			nletters = 0;
	char	  **texts = NULL;
	int		   *lens = NULL;

	if (argc < 3)
	{
		fprintf(stderr, "usage: core_output RULES LETTERS [REPEAT]\n");
		return 2;
	}
	TopMemoryContext = shim_context("TopMemoryContext");
	CacheMemoryContext = shim_context("CacheMemoryContext");
	percall = shim_context("per letter");
	shim_encoding = PG_UTF8;
	CurrentMemoryContext = CacheMemoryContext;
	rs = load_rules(argv[1]);
	CurrentMemoryContext = TopMemoryContext;

	f = fopen(argv[2], "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
	{
		fprintf(stderr, "cannot read %s\n", argv[2]);
		return 2;
	}
	buf = malloc(size + 1);
	if (fread(buf, 1, size, f) != (size_t) size)
		return 2;
	fclose(f);
	texts = malloc(sizeof(char *) * (size / 2 + 1));
	lens = malloc(sizeof(int) * (size / 2 + 1));
	while (pos < size)
	{
		char	   *kind = buf + pos;
		char	   *nl = memchr(kind, '\n', size - pos);
		char	   *nl2;
		int			len;

		if (nl == NULL)
			break;
		*nl = '\0';
		nl2 = memchr(nl + 1, '\n', size - (nl + 1 - buf));
		if (nl2 == NULL)
			break;
		len = atoi(nl + 1);
		pos = nl2 + 1 - buf + len;
		nletters++;
		texts[nletters - 1] = nl2 + 1;
		lens[nletters - 1] = len;
		if (repeat < 0)
			continue;
		CurrentMemoryContext = percall;
		print_letter(rs, nletters, kind, nl2 + 1, len);
		MemoryContextReset(percall);
	}
	for (int r = repeat < 0 ? 0 : 1; r < abs(repeat); r++)
		for (int i = 0; i < nletters; i++)
		{
			LtTriageResult res;

			CurrentMemoryContext = percall;
			lt_triage_text(rs, texts[i], lens[i], NULL, NULL, NULL, &res);
			MemoryContextReset(percall);
		}
	return 0;
}
