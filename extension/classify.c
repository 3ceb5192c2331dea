/*
 * classify.c — the entry points of the text core (triage.h): a letter
 * classified, its evidence listed, the context of a phrase (assertion),
 * each on a compiled rule set it is handed.
 *
 *   text -> lt_doc_prepare (normalise.c) -> automaton scan (match.c)
 *        -> sentences, sections, cancelled matches (segment.c)
 *        -> hits with their context and agent (analyse.c, context.c,
 *           recognise.c)
 *        -> verdict: actions, urgency, needs_review, reason (verdict.c).
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "core.h"

static MemoryContext triage_cxt = NULL;

/*
 * Classify one letter (see triage.h).  The header values of a letter, when
 * given, are read as two lines before the body.
 */
void
lt_triage_text(const LtRuleSet *rs, const char *body, int len, const char *kind,
			   const char *subject, const char *dated, LtTriageResult *out)
{
	LtAnalysis	an;
	MemoryContext old;
	const char *text = body;
	int			tlen = len;
	int			prefix;
	LtTriageResult res;

	/*
	 * The analysis lives in a context of its own, kept for the session and
	 * emptied after each letter (and before, should the last one have been
	 * interrupted by an error): cheaper than a context per letter.
	 */
	if (triage_cxt == NULL)
		triage_cxt = AllocSetContextCreate(TopMemoryContext, "letters_triage classify",
										   ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(triage_cxt);
	old = MemoryContextSwitchTo(triage_cxt);
	if (kind != NULL || subject != NULL || dated != NULL)
		text = lt_header_text(kind, subject, dated, body, len, &tlen, &prefix);
	lt_analyse(rs, text, tlen, true, &an);
	lt_verdict(rs, &an, kind, subject, &res);
	MemoryContextSwitchTo(old);
	*out = res;
	out->reason = pstrdup(res.reason);
	MemoryContextReset(triage_cxt);
}

/* The text classified for a letter (see triage.h). */
char *
lt_header_text(const char *kind, const char *subject, const char *dated, const char *body,
			   int len, int *outlen, int *prefix_chars)
{
	StringInfoData b;

	initStringInfo(&b);
	if (dated)
		appendStringInfo(&b, "Dated: %s\n", dated);
	if (kind)
		appendStringInfo(&b, "Kind: %s\n", kind);
	if (subject)
		appendStringInfo(&b, "Subject: %s\n", subject);
	appendStringInfoChar(&b, '\n');
	*prefix_chars = pg_mbstrlen_with_len(b.data, b.len);
	appendBinaryStringInfo(&b, body, len);
	*outlen = b.len;
	return b.data;
}

/*
 * Find phrase p (normalised, plen bytes) in s, case- and blank-insensitive,
 * at word boundaries where p begins or ends with a word byte; its start, or
 * -1, and its end in *mend.  Knuth-Morris-Pratt over the text read as the
 * pattern is normalised (ASCII lower case, each run of blanks, '-' and '_'
 * one space): linear in the text and the phrase, however alike they are.
 */
static int
find_phrase(const char *s, int len, const char *p, int plen, int *mend)
{
	int		   *fail = palloc(sizeof(int) * plen);
	int		   *starts = palloc(sizeof(int) * plen);	/* where the last plen characters began */
	int			q = 0;
	int64		nread = 0;

	fail[0] = 0;
	for (int i = 1, k = 0; i < plen; i++)
	{
		while (k > 0 && p[i] != p[k])
			k = fail[k - 1];
		if (p[i] == p[k])
			k++;
		fail[i] = k;
	}
	for (int i = 0; i < len;)
	{
		int			at = i;
		unsigned char c = (unsigned char) s[i];

		if ((nread & (LT_INTERRUPT_STRIDE - 1)) == 0)
			LT_CHECK_INTERRUPTS();
		if (lt_is_blank(c) || c == '-' || c == '_')
		{
			while (i < len && (lt_is_blank((unsigned char) s[i]) || s[i] == '-' || s[i] == '_'))
				i++;
			c = ' ';
		}
		else
		{
			c = lt_lower(c);
			i++;
		}
		starts[nread % plen] = at;
		nread++;
		while (q > 0 && (unsigned char) p[q] != c)
			q = fail[q - 1];
		if ((unsigned char) p[q] == c)
			q++;
		if (q == plen)
		{
			int			st = starts[(nread - plen) % plen];

			q = fail[q - 1];
			if (st > 0 && lt_is_word_byte((unsigned char) s[st - 1]) && lt_is_word_byte((unsigned char) p[0]))
				continue;
			if (i < len && lt_is_word_byte((unsigned char) s[i]) &&
				lt_is_word_byte((unsigned char) p[plen - 1]))
				continue;
			*mend = i;
			return st;
		}
	}
	return -1;
}

/*
 * The analysis of text with its hits as evidence() reports them: the rule
 * matched, the span in characters, the context and section, whether it
 * counted and why not.
 */
int
lt_evidence_text(const LtRuleSet *rs, const char *text, int len, LtEvidence **out)
{
	LtAnalysis	an;
	LtEvidence *ev;

	lt_analyse(rs, text, len, true, &an);
	ev = palloc0(sizeof(LtEvidence) * Max(an.nhits, 1));
	for (int i = 0; i < an.nhits; i++)
	{
		const LtHit *h = &an.hits[i];
		const LtEntry *e = h->entry >= 0 ? &rs->entries[h->entry] : NULL;
		int			sec = an.sentences[h->sentence].heading;
		LtEvidence *v = &ev[i];

		v->is_rule = (e && e->kind == LT_ENTRY_RULE);
		v->rule = v->is_rule ? e->id : 0;
		v->pattern = h->label ? h->label : "";
		v->source = h->source;
		v->action = h->action;
		v->urgency = h->urgency;
		v->char_offset = lt_doc_char_offset(&an.doc, h->start);
		v->char_end = lt_doc_char_offset(&an.doc, h->end);
		v->matched = lt_hit_text(&an, h, 1000);
		v->context = lt_context_name(h->context);
		v->section = sec >= 0 ? rs->entries[sec].text : NULL;
		v->counted = h->counted;
		v->why = h->why;
	}
	*out = ev;
	return an.nhits;
}

/* The context of concept in text, as assertion() reports it; NULL if absent. */
char *
lt_assertion_text(const LtRuleSet *rs, const char *text, int len, const char *concept, int clen)
{
	LtAnalysis	an;
	char	   *cz = pnstrdup(concept, clen);
	int			plen;
	char	   *p = lt_normalise_pattern(cz, &plen);
	int			start,
				end;
	int			k = 0;
	int			agent;
	uint32		bits;

	if (plen == 0)
		return NULL;
	memset(&an, 0, sizeof(an));
	if (len > LT_MAX_TEXT)
		len = pg_mbcliplen(text, len, LT_MAX_TEXT);
	lt_doc_prepare(&an.doc, text, len, true);
	start = find_phrase(an.doc.s, an.doc.len, p, plen, &end);
	if (start < 0)
		return NULL;
	an.nmatches = lt_automaton_scan(rs, an.doc.s, an.doc.len, &an.matches, &an.stats);
	lt_segment(rs, &an);
	while (k + 1 < an.nsentences && an.sentences[k + 1].start <= start)
		k++;
	bits = lt_context_of(rs, &an, start, end, k, &agent);
	return pstrdup(lt_context_name(lt_context_pick(bits)));
}
