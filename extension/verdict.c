/*
 * verdict.c — an analysis reduced to the verdict on a letter: its actions,
 * its urgency (the highest of its counted actions'), whether a human must
 * triage it (empty, garbled, not English, truncated) and the reason given;
 * and the text of a hit as evidence() shows it.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "core.h"

/* UTF-8 bytes [a, b) of the original as a string in the database encoding. */
static char *
to_server(const char *utf8, int n)
{
	int			enc = GetDatabaseEncoding();
	char	   *r;

	if (enc == PG_UTF8 || enc == PG_SQL_ASCII)
		return pnstrdup(utf8, n);
	r = pg_any_to_server(utf8, n, PG_UTF8);
	if (r == utf8)
		r = pnstrdup(utf8, n);
	return r;
}

/* The original text of a hit, in the database encoding, at most max bytes. */
char *
lt_hit_text(const LtAnalysis *an, const LtHit *h, int max)
{
	int			a = lt_doc_orig_byte(&an->doc, h->start);
	int			b = lt_doc_orig_byte(&an->doc, h->end);

	if (b - a > max)
	{
		b = a + max;
		while (b > a && (((unsigned char) an->doc.orig[b]) & 0xC0) == 0x80)
			b--;
	}
	return to_server(an->doc.orig + a, b - a);
}

/*
 * Is a paragraph of the text in another language: written in another
 * script (Cyrillic, Arabic, Hebrew, Greek: at least three of its words, and
 * half of them, made mostly of non-ASCII bytes), or in a language with
 * accents and none of English's commonest words (at least five words, two
 * with accents: "Hasta bu sabah öldü, lütfen bugün arayın")?  Names with an
 * accent in an English sentence ("José Núñez was seen") are neither; a
 * relative's message in Russian quoted under an English cover note is, however
 * short.  One pass; run only on letters that are not all ASCII.
 */
static bool
other_script(const char *s, int len)
{
	static const char *const english[] = {
		"the", "and", "of", "to", "in", "is", "was", "for", "with", "on", "he", "she", "a", "an", "be", "has",
		"have", "had", "at", "as", "this", "that", "by", "it", "not", "no", "are", "please", "from", "will",
		"i", "you", "my", "your", "we", "our", "his", "her", "dear", "re", "dr", "mr", "mrs", "ms", NULL
	};
	int			words = 0,
				foreign = 0,
				accented = 0,
				common = 0;

	for (int i = 0; i <= len;)
	{
		int			wide = 0,
					narrow = 0,
					a = i;

		/* a paragraph ends at a blank line, or at the end */
		if (i == len || (s[i] == '\n' && i + 1 < len && s[i + 1] == '\n'))
		{
			if ((foreign >= 3 && foreign * 2 >= words) || (words >= 5 && accented >= 2 && common == 0))
				return true;
			words = foreign = accented = common = 0;
			i++;
			continue;
		}
		if (!lt_is_word_byte((unsigned char) s[i]))
		{
			i++;
			continue;
		}
		while (i < len && lt_is_word_byte((unsigned char) s[i]))
		{
			if ((unsigned char) s[i] >= 0x80)
				wide++;
			else if (!lt_is_digit((unsigned char) s[i]))
				narrow++;
			i++;
		}
		if (wide + narrow == 0)
			continue;			/* a number */
		words++;
		foreign += wide > narrow;
		accented += wide > 0;
		common += wide == 0 && lt_word_among(s, a, i, english);
	}
	return false;
}

/* The most words of a letter read as a note that its content is elsewhere. */
#define LT_ELSEWHERE_WORDS 10

/*
 * Is a short letter a note that its content is elsewhere ("Please see
 * attached letter.", "Letter content could not be displayed.")?  What the
 * GP must do is in what did not come through: a human reads it.
 */
static bool
content_elsewhere(const char *s, int len, int nwords)
{
	static const char *const notes[] = {
		"see attached", "see attachment", "see the attached", "attached letter", "letter attached",
		"see enclosed", "see the enclosed", "could not be displayed", "cannot be displayed",
		"can't be displayed", "unable to display", "not be displayed", "content not available",
		"content unavailable", "no content", "document attached", "scanned document attached", NULL
	};

	/* a few words in a few lines: the search compares every note at every byte */
	return nwords <= LT_ELSEWHERE_WORDS && len <= 40 * LT_ELSEWHERE_WORDS && lt_says_any(s, len, notes);
}

/* Why a human must read this letter, or NULL. */
static const char *
review_reason(const LtAnalysis *an)
{
	const char *s = an->doc.s;
	int			len = an->doc.len;
	const LtTextStats *st = &an->stats;
	int			nbad = an->doc.nbad + st->nbad;
	int			p;

	if (st->nwords == 0)
		return "empty letter";
	if (an->clipped)
		return "letter too long: only its first 8 MB were read";
	if (nbad * 20 > an->doc.nchars || nbad >= 50)
		return "garbled text (invalid or control characters)";
	if (st->nnonblank >= 20 && st->nalpha * 2 < st->nnonblank)
		return "garbled text (mostly symbols or digits)";
	if (st->longest > 200 && st->nnonblank > 0 && st->longest * 3 > st->nnonblank)
		return "garbled text (no word breaks)";
	if (st->nwords >= 12 && st->nstop * 100 < st->nwords * 8)
	{
		/*
		 * Few common English words: but numbers (dates, doses, results) are
		 * in no language, and a terse discharge summary is full of them.
		 * Counted here only, where the letter is in doubt.
		 */
		int			nnum = 0;
		int			words;
		int			abnormal;

		for (int i = 0; i < len;)
		{
			int			a = i;
			bool		digits = true;

			if (!lt_is_word_byte((unsigned char) s[i]))
			{
				i++;
				continue;
			}
			while (i < len && lt_is_word_byte((unsigned char) s[i]))
			{
				if (!lt_is_digit((unsigned char) s[i]))
					digits = false;
				i++;
			}
			if (digits && i > a)
				nnum++;
		}
		words = st->nwords - nnum - lt_table_words(an, &abnormal);
		if (words >= 12 && st->nstop * 100 < words * 8)
			return "not English, or not prose";
	}
	if (!an->doc.ascii && other_script(s, len))
		return "not English, or not prose";
	if (content_elsewhere(s, len, st->nwords))
		return "its content is not in the text: an attachment, or not displayed";
	if (st->nwords < 3)
		return "too short to classify";
	/* truncated: ends inside a sentence */
	p = len;
	while (p > 0 && lt_is_blank((unsigned char) s[p - 1]))
		p--;
	if (p > 0)
	{
		unsigned char c = (unsigned char) s[p - 1];
		int			a = p;

		/* trailing commas stand for lost line breaks in some exports */
		while (p > 0 && (s[p - 1] == ',' || lt_is_blank((unsigned char) s[p - 1])))
			p--;
		if (p == 0)
			return "garbled text (mostly symbols or digits)";
		c = (unsigned char) s[p - 1];
		if (c == '-' || c == '(' || c == '/' || c == '&' || c == ':')
			return "truncated letter";
		while (a > 0 && lt_is_word_byte((unsigned char) s[a - 1]))
			a--;
		if (a < p)
		{
			static const char *const tails[] = {
				"the", "and", "to", "of", "a", "an", "with", "for", "in", "on", "at",
				"or", "is", "was", "are", "be", "her", "his", "their", "that",
				"please", "by", "from", "but", "as", "we", "which", "who", NULL
			};

			for (int i = 0; tails[i]; i++)
				if (lt_word_is(s, a, p, tails[i]))
					return "truncated letter";
		}
	}
	return NULL;
}

/* Does the Kind header say the letter is a death notification? */
static bool
kind_is_death(const char *kind)
{
	int			n;

	if (kind == NULL)
		return false;
	n = strlen(kind);
	for (int i = 0; i + 5 <= n; i++)
	{
		if (pg_strncasecmp(kind + i, "death", 5) == 0 &&
			(i == 0 || !lt_is_word_byte((unsigned char) kind[i - 1])) &&
			(i + 5 == n || !lt_is_word_byte((unsigned char) kind[i + 5])))
			return true;
	}
	return false;
}

/* Reduce an analysis to a verdict. */
void
lt_verdict(const LtRuleSet *rs, const LtAnalysis *an, const char *kind,
		   const char *subject, LtTriageResult *out)
{
	uint32		actions = 0;
	int			urg = LT_URGENCY_ROUTINE;
	const char *rev;
	StringInfoData r;
	int			first[LT_NUM_ACTIONS];

	(void) subject;
	for (int a = 0; a < LT_NUM_ACTIONS; a++)
		first[a] = -1;
	for (int i = 0; i < an->nhits; i++)
	{
		const LtHit *h = &an->hits[i];

		if (!h->counted || h->action < 0)
			continue;
		actions |= LT_ACTION_BIT(h->action);
		if (h->urgency > urg)
			urg = h->urgency;
		if (first[(int) h->action] < 0 ||
			h->urgency > an->hits[first[(int) h->action]].urgency)
			first[(int) h->action] = i;
	}
	if (kind_is_death(kind))
	{
		/* "Kind: death" in a letter's header: a death notification */
		actions |= LT_ACTION_BIT(LT_ACTION_DEATH);
		urg = LT_URGENCY_IMMEDIATE;
	}
	rev = review_reason(an);
	if (rev == NULL && actions == 0 && lt_is_report(rs, an))
	{
		/*
		 * A report whose table shows values out of range and asks nothing:
		 * what the values mean for the patient is for a human to say (a
		 * haemoglobin fallen by half, a new diabetic HbA1c)
		 */
		int			abnormal;

		(void) lt_table_words(an, &abnormal);
		if (abnormal == LT_RESULT_FAR)
			rev = "a result far out of its range or much changed, with no instruction";
		else if (abnormal == LT_RESULT_OUT)
			rev = "results out of range in a table, with no instruction";
	}
	out->needs_review = (rev != NULL);
	if (rev != NULL && urg < LT_URGENCY_URGENT)
		urg = LT_URGENCY_URGENT;
	out->urgency = urg;
	out->actions = actions;

	initStringInfo(&r);
	appendStringInfoString(&r, lt_urgency_name(urg));
	if (rev)
		appendStringInfo(&r, ": needs review (%s)", rev);
	if (actions == 0)
		appendStringInfoString(&r, rev ? "; no GP action found" : ": information only, no GP action found");
	else
	{
		bool		firstone = true;

		appendStringInfoString(&r, rev ? "; " : ": ");
		for (int a = 0; a < LT_NUM_ACTIONS; a++)
		{
			char	   *t;

			if (first[a] < 0 && a == LT_ACTION_DEATH && (actions & LT_ACTION_BIT(a)))
			{
				appendStringInfo(&r, "%sdeath (Kind: %s) (immediate)", firstone ? "" : "; ", kind);
				firstone = false;
				continue;
			}
			if (first[a] < 0)
				continue;
			t = lt_hit_text(an, &an->hits[first[a]], 60);
			appendStringInfo(&r, "%s%s \"%s\" (%s)", firstone ? "" : "; ",
							 lt_action_name(a), t,
							 lt_urgency_name(an->hits[first[a]].urgency));
			firstone = false;
		}
	}
	out->reason = r.data;
}
