/*
 * report.c — results reports: letters whose title says they report a test
 * (a pathology, radiology or microbiology report, "INR result and dosing
 * advice", "XR CHEST PA"), and how such a letter is read differently:
 *
 * - acting on its result is a test action: a report that asks the GP to
 *   refer, prescribe or review also asks for the result to be acted on (the
 *   labelling convention of the corpora: "test — ... or act on a result");
 * - its "Advice:" is advice to the clinician who asked for the test, not to
 *   the patient (a telephoned result's "Advice given: please review today");
 * - its table of values (an analyte, a value, a unit, a range, a flag on each
 *   line) is not prose: the readability check of the verdict leaves such
 *   lines out, and reads the comment under them.
 */
#include "postgres.h"

#include "core.h"

/* Bytes of a header's value looked at, and the longest title line: a title is short. */
#define LT_TITLE_BYTES 160
#define LT_TITLE_LINE 80

/* Words that name a report in a title (besides the test names of the rules). */
static bool
report_word(const char *s, int a, int b)
{
	static const char *const words[] = {
		"pathology", "radiology", "laboratory", "microbiology", "biochemistry",
		"histopathology", "histology", "cytology", "imaging", "virology", "xr", NULL
	};

	for (int k = 0; words[k]; k++)
		if (lt_word_is(s, a, b, words[k]))
			return true;
	return false;
}

/*
 * Is [a, b) a header line "Name: value" whose name is one of the header
 * block's (letters and hyphens, at most 20 of them, then ':')?  Sets *colon.
 */
static bool
header_line(const char *s, int a, int b, int *colon)
{
	int			p = a;

	while (p < b && p - a <= 20 && (lt_is_upper((unsigned char) s[p]) ||
									lt_is_lower((unsigned char) s[p]) || s[p] == '-'))
		p++;
	if (p == a || p >= b || s[p] != ':')
		return false;
	*colon = p;
	return true;
}

/* Is the line [a, b) a sentence (a full stop after a word in lower case), not a title? */
static bool
prose_line(const char *s, int a, int b)
{
	while (b > a && lt_is_blank((unsigned char) s[b - 1]))
		b--;
	for (int p = a + 1; p < b; p++)
		if (s[p] == '.' && (p + 1 == b || s[p + 1] == ' ') && lt_is_lower((unsigned char) s[p - 1]))
			return true;
	return false;
}

/* Does [a, b) hold a report word or the match of a test rule? */
static bool
title_names_report(const LtRuleSet *rs, const LtAnalysis *an, int a, int b)
{
	const char *s = an->doc.s;
	int			m;

	b = Min(b, a + LT_TITLE_BYTES);
	for (int p = a; p < b;)
	{
		int			q = p;

		while (q < b && lt_is_word_byte((unsigned char) s[q]))
			q++;
		if (q > p && report_word(s, p, q))
			return true;
		p = Max(q, p + 1);
	}
	for (m = lt_matches_from(an->matches, 0, an->nmatches, a);
		 m < an->nmatches && an->matches[m].start < b; m++)
	{
		const LtEntry *e = &rs->entries[an->matches[m].entry];

		/* a test named, not a verb ("please amend repeat") */
		if (!an->matches[m].dead && e->kind == LT_ENTRY_RULE && e->sub == LT_ACTION_TEST &&
			!(e->nlen == 6 && memcmp(e->norm, "repeat", 6) == 0) &&
			!(e->nlen == 5 && memcmp(e->norm, "chase", 5) == 0))
			return true;
	}
	return false;
}

/*
 * Is the letter a results report?  Its title says so: the From, Subject or
 * Kind line of a header block, or the first two lines of text after it.
 */
bool
lt_is_report(const LtRuleSet *rs, const LtAnalysis *an)
{
	const char *s = an->doc.s;
	int			len = an->doc.len;
	int			p = 0;
	int			lines = 0;
	bool		in_header = true;

	while (p < len && lines < 2)
	{
		int			e = lt_line_end(s, len, p);
		int			a = p;
		int			colon;

		LT_CHECK_INTERRUPTS();
		while (a < e && lt_is_blank((unsigned char) s[a]))
			a++;
		if (a == e)
		{
			in_header = false;	/* a blank line ends the header block */
			p = e + 1;
			continue;
		}
		if (in_header && header_line(s, a, e, &colon))
		{
			if ((lt_word_is(s, a, colon, "from") || lt_word_is(s, a, colon, "subject") ||
				 lt_word_is(s, a, colon, "kind")) &&
				title_names_report(rs, an, colon + 1, e))
				return true;
			p = e + 1;
			continue;
		}
		in_header = false;
		if (e - a >= 4 && lt_word_is(s, a, a + 4, "dear") &&
			(e == a + 4 || !lt_is_word_byte((unsigned char) s[a + 4])))
			break;				/* the letter has begun */
		if (e - a <= LT_TITLE_LINE && !prose_line(s, a, e) && title_names_report(rs, an, a, e))
			return true;
		lines++;
		p = e + 1;
	}
	return false;
}

/*
 * The act-on-a-result convention: in a report that asks the GP to prescribe
 * or review (a counted action), the result it reports is to be acted on, a
 * test action.  Not for a referral alone: the corpora's writers disagree
 * there (a radiologist's "refer on the 2WW pathway" is referral;test to
 * some, referral to others, who see the test as done).  The first test the report names and asks nothing
 * about ("PSA 18.4", "CT colonography") counts, with the urgency of the most
 * urgent of those actions.
 */
void
lt_act_on_result(LtAnalysis *an, bool report)
{
	int			urg = -1;
	LtHit	   *named = NULL;

	if (!report)
		return;
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (h->action == LT_ACTION_TEST && h->counted)
			return;				/* it asks for a test itself */
		if (h->counted && (h->action == LT_ACTION_MEDICATION || h->action == LT_ACTION_REVIEW))
			urg = Max(urg, h->urgency);
		if (named == NULL && !h->counted && h->action == LT_ACTION_TEST && h->entry >= 0 &&
			strcmp(h->source, "rule") == 0 && h->why != NULL &&
			strcmp(h->why, "not asked of the GP") == 0)
			named = h;
	}
	if (urg < 0 || named == NULL)
		return;
	named->counted = true;
	named->why = NULL;
	named->urgency = urg;
}

/* The number at p ("3.12", "118"); *end after it. */
static double
number_at(const char *s, int b, int p, int *end)
{
	double		v = 0;
	double		scale = 0.1;

	while (p < b && lt_is_digit((unsigned char) s[p]) && v < 1e9)
		v = v * 10 + (s[p++] - '0');
	while (p < b && lt_is_digit((unsigned char) s[p]))
		p++;
	if (p + 1 < b && s[p] == '.' && lt_is_digit((unsigned char) s[p + 1]))
		for (p++; p < b && lt_is_digit((unsigned char) s[p]); p++, scale /= 10)
			v += (s[p] - '0') * scale;
	*end = p;
	return v;
}

/*
 * The flag of an abnormal value the word [a, b) is: LT_RESULT_OUT for H, L,
 * high, low; LT_RESULT_FAR for the critical flags HH and LL; else
 * LT_RESULT_NORMAL.
 */
static int
flag_word(const char *s, int a, int b)
{
	static const char *const flags[] = {"h", "l", "high", "low", "hi", "lo", NULL};

	/* "mmol/L" and "g/L" are units */
	if (a > 0 && s[a - 1] == '/')
		return LT_RESULT_NORMAL;
	if (lt_word_is(s, a, b, "hh") || lt_word_is(s, a, b, "ll"))
		return LT_RESULT_FAR;
	for (int k = 0; flags[k]; k++)
		if (lt_word_is(s, a, b, flags[k]))
			return LT_RESULT_OUT;
	return LT_RESULT_NORMAL;
}

/*
 * How far value v lies outside the range [lo, hi] printed beside it (lo or
 * hi negative when the range gives one bound only, "<6.5"): LT_RESULT_FAR
 * at three times its upper bound or a third of its lower, which no
 * laboratory reports without someone acting on it ("PSA 48.6 (<6.5)").
 */
static int
range_level(double v, double lo, double hi)
{
	if ((hi > 0 && v >= 3 * hi) || (lo > 0 && v * 3 <= lo))
		return LT_RESULT_FAR;
	if ((hi >= 0 && v > hi) || (lo >= 0 && v < lo))
		return LT_RESULT_OUT;
	return LT_RESULT_NORMAL;
}

/*
 * The change from a previous value printed beside a value ("Hb 61 g/L
 * (previous 124)", "eGFR 24, previously 52"): a value halved or doubled
 * is a change someone must act on, whatever its range.
 */
static int
delta_level(double v, double previous)
{
	if (previous > 0 && v >= 0 && (v * 2 <= previous || v >= 2 * previous))
		return LT_RESULT_FAR;
	return LT_RESULT_NORMAL;
}

/* Is the word [a, b) one that introduces an earlier value ("previous 124")? */
static bool
previous_word(const char *s, int a, int b)
{
	static const char *const words[] = {"previous", "previously", "prev", "last", "baseline", NULL};

	return lt_word_among(s, a, b, words);
}

/*
 * Is the line [a, b) a row of a table of values: a number in it, and at
 * most six words that are not numbers outside brackets ("Sodium  118  LL
 * mmol/L  (133-146)", "Total PSA 22.4 ug/L (age-specific reference <4.0) H")?  Sets *nwords to those
 * words, and *level to how abnormal the row's value is (LT_RESULT_*): out
 * of range when the row flags it (H, L, '*') or prints a range ("(2.20-2.60)",
 * "(<42)") it lies outside; far when flagged HH or LL, far outside its
 * range (range_level), or halved or doubled since a previous value printed
 * beside it (delta_level).
 */
static bool
value_row(const char *s, int a, int b, int *nwords, int *level)
{
	int			nonnum = 0;
	bool		number = false;
	bool		previous = false;	/* the last word introduces an earlier value */
	int			depth = 0;		/* inside brackets: a range and its words */
	double		value = 0;

	*level = LT_RESULT_NORMAL;
	for (int p = a; p < b;)
	{
		int			q = p;

		if (lt_is_digit((unsigned char) s[p]) && (p == a || !lt_is_word_byte((unsigned char) s[p - 1])))
		{
			double		v = number_at(s, b, p, &q);

			if (q < b && lt_is_word_byte((unsigned char) s[q]))
			{
				/* "x10", "9L", "25-OH": part of a word */
				while (q < b && lt_is_word_byte((unsigned char) s[q]))
					q++;
				if (++nonnum > 6)
					return false;
			}
			else if (q + 1 < b && (s[q] == '-' || s[q] == '/' || s[q] == ':' || s[q] == '.') &&
					 lt_is_digit((unsigned char) s[q + 1]))
			{
				/* a date, a time or a range that no value precedes: "2024-10-08" */
				if (number && s[q] == '-' && p > a && (s[p - 1] == '(' || s[p - 1] == ' '))
				{
					/* a range lo-hi after the value: "(133-146)" */
					int			r;
					double		hi = number_at(s, b, q + 1, &r);

					*level = Max(*level, range_level(value, v, hi));
					q = r;
				}
				else
					while (q < b && (lt_is_digit((unsigned char) s[q]) || s[q] == '-' ||
									 s[q] == '/' || s[q] == ':' || s[q] == '.'))
						q++;
			}
			else if (!number)
			{
				number = true;
				value = v;
			}
			else if (p > a && (s[p - 1] == '<' || s[p - 1] == '>'))
				*level = Max(*level, s[p - 1] == '<' ? range_level(value, -1, v) : range_level(value, v, -1));
			else if (previous)
				*level = Max(*level, delta_level(value, v));
			previous = false;
			p = q;
			continue;
		}
		if (!lt_is_word_byte((unsigned char) s[p]))
		{
			if (s[p] == '*' && number)
				*level = Max(*level, LT_RESULT_OUT);
			/* the row's sentence ends: "PSA 48.6 (<6.5). No previous PSA." */
			if (s[p] == '.' && number && (p + 1 == b || s[p + 1] == ' '))
				break;
			depth += (s[p] == '(' || s[p] == '[') - (depth > 0 && (s[p] == ')' || s[p] == ']'));
			p++;
			continue;
		}
		while (q < b && lt_is_word_byte((unsigned char) s[q]))
			q++;
		if (number)
			*level = Max(*level, flag_word(s, p, q));
		previous = number && previous_word(s, p, q);
		if (depth == 0 && ++nonnum > 6)
			return false;
		p = q;
	}
	*nwords = nonnum;
	return number;
}

/*
 * The words that are not numbers in the rows of a table of values (see
 * value_row), when three rows or more make one: what the readability check
 * leaves out, as a table of results is not prose in a foreign language.
 * (Rows of values hold next to no common English words.)  Sets *abnormal to
 * LT_RESULT_OUT when a row of such a table shows a value out of its range,
 * and to LT_RESULT_FAR when any row, of a table or alone, shows one far out
 * of it.
 */
int
lt_table_words(const LtAnalysis *an, int *abnormal)
{
	const char *s = an->doc.s;
	int			len = an->doc.len;
	int			rows = 0;
	int			w = 0;
	int			lines = 0;
	int			out = LT_RESULT_NORMAL;

	for (int p = 0; p < len;)
	{
		int			e = lt_line_end(s, len, p);
		int			nw;
		int			lv;

		if ((++lines & 1023) == 0)
			LT_CHECK_INTERRUPTS();
		if (value_row(s, p, e, &nw, &lv))
		{
			rows++;
			w += nw;
			out = Max(out, lv);
		}
		p = e + 1;
	}
	*abnormal = (out == LT_RESULT_FAR || rows >= 3) ? out : LT_RESULT_NORMAL;
	return rows >= 3 ? w : 0;
}
