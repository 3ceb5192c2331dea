/*
 * context.c — sentences, sections and context modifiers.
 *
 * Sentences are cut in one pass over the scanned text: at '.', '!' or '?'
 * followed by a blank (not after an abbreviation such as "Dr.", an initial,
 * "b.d." or a list number), at blank lines, and at single line breaks that
 * end a heading, a short line or punctuated line, or precede a bullet or a
 * numbered item (a line break inside a wrapped sentence is not a cut).
 * Section headings (letters_triage.section) count at the start of a line and
 * followed by ':' or the end of the line; they hold until the next heading,
 * or until the end of the paragraph when text follows the heading on its line.
 *
 * Context follows NegEx/ConText: a modifier (letters_triage.modifier) acts on
 * a phrase after it (forward), before it (backward) or both, within its scope
 * in words (0: to the end of the sentence), unless a termination term or ';'
 * lies between.  Pseudo-modifiers and ignore-rules cancel what they overlap.
 */
#include "postgres.h"

#include "core.h"

static inline bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool
is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
is_lower(unsigned char c)
{
	return (c >= 'a' && c <= 'z');
}

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Words after which a full stop does not end a sentence. */
static bool
is_abbreviation(const char *w, int n)
{
	static const char *const abbr[] = {
		"dr", "mr", "mrs", "ms", "mx", "prof", "st", "no", "nos", "vs", "approx",
		"e.g", "i.e", "eg", "ie", "ref", "tel", "dob", "fig", "sr", "jr", "rev",
		"b.d", "t.d.s", "q.d.s", "o.d", "o.n", "p.r.n", "b.i.d", "t.i.d", "q.i.d",
		"p.o", "i.v", "i.m", "s.c", "a.m", "p.m", "cf", "inc", "dept", "hosp",
		"max", "min", "wk", "wks", "hr", "hrs", "mg", "ml", "mins", "yrs", "dx",
		"hx", "rx", "sx", "tx", "pt", "pts", "resp", "temp", "vol", "etc.",
		NULL
	};
	unsigned char c0;

	if (n == 1)
		return true;			/* an initial: "P. Haverstock" */
	if (n > 6)
		return false;			/* longer than any of them */
	c0 = is_upper((unsigned char) w[0]) ? w[0] + ('a' - 'A') : (unsigned char) w[0];
	for (int i = 0; abbr[i]; i++)
	{
		const char *a = abbr[i];
		int			k = 0;

		if ((unsigned char) a[0] != c0)
			continue;			/* the common case: the first letter differs */

		/* ASCII case-insensitive, a ending where w does */
		while (k < n && a[k] != '\0' &&
			   (unsigned char) a[k] == (is_upper((unsigned char) w[k]) ? w[k] + ('a' - 'A') : w[k]))
			k++;
		if (k == n && a[k] == '\0')
			return true;
	}
	return false;
}

/* Does a bullet or numbered item start at p? */
static bool
starts_item(const char *s, int len, int p)
{
	int			q = p;

	if (p >= len)
		return false;
	if (s[p] == '*' || s[p] == '-' || s[p] == '+' || s[p] == '>' || s[p] == '#' || s[p] == 'o')
		return (p + 1 < len && is_blank((unsigned char) s[p + 1]));
	while (q < len && is_digit((unsigned char) s[q]))
		q++;
	if (q == p && q < len && (is_lower((unsigned char) s[q]) || is_upper((unsigned char) s[q])))
		q++;					/* "a)" */
	if (q > p && q < len && (s[q] == '.' || s[q] == ')') && q + 1 < len &&
		is_blank((unsigned char) s[q + 1]))
		return q - p <= 3;
	if (s[p] == '(' )
		return true;
	return false;
}

/*
 * Can sentence st be an item of a list: not at the start of a line, or
 * starting a bulleted or numbered one?
 */
static bool
list_item(const char *s, int len, const LtSentence *st)
{
	int			a = st->start;
	int			b = st->start;

	while (a < st->end && is_blank((unsigned char) s[a]))
		a++;
	while (b > 0 && is_blank((unsigned char) s[b - 1]))
		b--;
	return !(b == 0 || s[b - 1] == '\n') || starts_item(s, len, a);
}

/* Does the line [a, b) contain no lower-case letter (an ALL-CAPS heading)? */
static bool
line_all_caps(const char *s, int a, int b)
{
	bool		upper = false;

	for (int i = a; i < b; i++)
	{
		if (is_lower((unsigned char) s[i]) || (unsigned char) s[i] >= 0x80)
			return false;
		if (is_upper((unsigned char) s[i]))
			upper = true;
	}
	return upper;
}

/*
 * Is the line [a, b) a labelled field, "Subject: ...", "Re: ...",
 * "Diagnosis: ...": a label of one to three words (a capital first, at most
 * 24 characters) and a colon, then its value, not broken off at a comma or a
 * joining word (a field hard-wrapped onto the next line goes on)?  A field is
 * its own sentence whatever its length: a past year or a negation in a long
 * subject line must not reach the instruction on the line below it.
 */
static bool
line_labelled(const char *s, int a, int b)
{
	static const char *const joining[] = {
		"and", "or", "with", "of", "to", "the", "a", "an", "for", "in", "on", "at", "by", "from", "but", NULL
	};
	int			p = a;
	int			words = 1;
	int			w;

	while (p < b && is_blank((unsigned char) s[p]))
		p++;
	if (p >= b || !is_upper((unsigned char) s[p]))
		return false;
	for (w = p; p < b && s[p] != ':'; p++)
	{
		unsigned char c = (unsigned char) s[p];

		if (c == ' ')
		{
			if (p > w && s[p - 1] == ' ')
				return false;
			words++;
		}
		else if (!is_upper(c) && !is_lower(c) && c != '-' && c != '/' && c != '&')
			return false;
		if (p - w >= 24 || words > 3)
			return false;
	}
	if (p >= b || p - w < 2)
		return false;
	/* a value after the colon */
	for (p++; p < b && is_blank((unsigned char) s[p]); p++)
		;
	if (p >= b)
		return false;
	/* not broken off: no comma, no joining word at the end */
	if (s[b - 1] == ',' || s[b - 1] == '-' || s[b - 1] == '(')
		return false;
	for (w = b; w > p && (is_lower((unsigned char) s[w - 1]) || is_upper((unsigned char) s[w - 1])); w--)
		;
	for (int i = 0; joining[i]; i++)
	{
		int			n = (int) strlen(joining[i]);

		if (b - w == n && pg_strncasecmp(s + w, joining[i], n) == 0)
			return false;
	}
	return true;
}

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

/* Merge three ordered runs of positions into out; returns how many. */
static int
merge_runs(const int *a, int na, const int *b, int nb, const int *c, int nc, int *out)
{
	int			i = 0,
				j = 0,
				k = 0,
				n = 0;

	while (i < na || j < nb || k < nc)
	{
		int			x = (i < na) ? a[i] : PG_INT32_MAX;
		int			y = (j < nb) ? b[j] : PG_INT32_MAX;
		int			z = (k < nc) ? c[k] : PG_INT32_MAX;

		if (x <= y && x <= z && i < na)
			out[n++] = a[i++];
		else if (y <= z && j < nb)
			out[n++] = b[j++];
		else
			out[n++] = c[k++];
	}
	return n;
}

typedef struct Heading
{
	int			start;
	int			end;			/* after the heading (and ':') */
	int			entry;
	bool		inline_text;	/* text follows on the same line */
} Heading;

/* Is this entry an ignore-rule (no action, no urgency)? */
static inline bool
is_ignore(const LtEntry *e)
{
	return e->kind == LT_ENTRY_RULE && e->sub < 0 && e->urgency < 0;
}

static void mark_lead_ins(const LtRuleSet *rs, LtAnalysis *an);
static void find_years(LtAnalysis *an);
static bool is_month_may(const char *s, int len, int start, int end);

/* Words between a past year ("in 2019") and the phrase it makes historical. */
#define LT_YEAR_SCOPE 5

/* The bytes where a sentence may end: '.', '!', '?' and line breaks. */
static const bool cut_byte[256] = {['.'] = 1,['!'] = 1,['?'] = 1,['\n'] = 1};

/*
 * Cut an->doc into sentences, find sections, give each match (the scan
 * returns them by position) its sentence and kill what ignore-rules and pseudo-modifiers
 * cover.
 */
void
lt_segment(const LtRuleSet *rs, LtAnalysis *an)
{
	const char *s = an->doc.s;
	int			len = an->doc.len;
	int		   *cuts;
	int			ncuts = 0;
	int			ntextcuts;
	int			nheadcuts;
	int			capcuts = 64;
	int		   *paracut;		/* positions where paragraphs start */
	int			npara = 0;
	int			cappara = 16;
	Heading    *heads;
	int			nheads = 0;
	int			capheads = 16;
	int			line_start = 0;

	cuts = palloc(sizeof(int) * capcuts);
	paracut = palloc(sizeof(int) * cappara);
#define ADDCUT(p) do { if (ncuts >= capcuts) { capcuts *= 2; cuts = repalloc(cuts, sizeof(int) * capcuts); } cuts[ncuts++] = (p); } while (0)
#define ADDPARA(p) do { if (npara >= cappara) { cappara *= 2; paracut = repalloc(paracut, sizeof(int) * cappara); } paracut[npara++] = (p); } while (0)

	for (int i = 0, next_check = 0; i < len; i++)
	{
		unsigned char c;

		if (i >= next_check)
		{
			LT_CHECK_INTERRUPTS();
			next_check = i + LT_INTERRUPT_STRIDE;
		}
		/* most bytes cut nothing: skip them in a tight loop */
		while (i < len && !cut_byte[(unsigned char) s[i]])
			i++;
		if (i >= len)
			break;
		c = (unsigned char) s[i];
		if (c == '.' || c == '!' || c == '?')
		{
			int			j = i + 1;

			while (j < len && (s[j] == '"' || s[j] == '\'' || s[j] == ')'))
				j++;
			if (j < len && !is_blank((unsigned char) s[j]) && s[j] != '\n')
				continue;
			if (c == '.')
			{
				int			w = i;
				bool		digits = true;

				while (w > 0 && (lt_is_word_byte((unsigned char) s[w - 1]) || s[w - 1] == '.'))
					w--;
				for (int k = w; k < i; k++)
					if (!is_digit((unsigned char) s[k]))
						digits = false;
				if (i > w && is_abbreviation(s + w, i - w))
				{
					/* "Dr. Smith" but "... seen by Dr.\n\n" still ends */
					continue;
				}
				if (digits && i > w)
				{
					/* "1." opening a numbered line is not a sentence */
					int			k = w;

					while (k > line_start && is_blank((unsigned char) s[k - 1]))
						k--;
					if (k == line_start)
						continue;
				}
			}
			ADDCUT(j);
		}
		else if (c == '\n')
		{
			int			j = i;
			int			nl = 0;
			int			prev = i;

			while (j < len && (s[j] == '\n' || is_blank((unsigned char) s[j])))
			{
				if (s[j] == '\n')
					nl++;
				j++;
			}
			while (prev > line_start && is_blank((unsigned char) s[prev - 1]))
				prev--;
			if (nl >= 2)
			{
				ADDCUT(j);
				ADDPARA(j);
			}
			else if (prev > line_start)
			{
				unsigned char last = (unsigned char) s[prev - 1];
				bool		cut = false;

				if (last == '.' || last == ':' || last == ';' || last == '!' || last == '?')
					cut = true;
				if (!cut && j < len && starts_item(s, len, j))
					cut = true;
				if (!cut && line_all_caps(s, line_start, prev))
					cut = true;
				if (!cut && j < len &&
					(is_upper((unsigned char) s[j]) || is_digit((unsigned char) s[j])) &&
					(prev - line_start < 50 || line_labelled(s, line_start, prev)))
					cut = true;
				if (cut)
					ADDCUT(j);
			}
			line_start = j;
			i = j - 1;
		}
	}

	ntextcuts = ncuts;

	/* section headings: at a line start, followed by ':' or the line's end */
	heads = palloc(sizeof(Heading) * capheads);
	for (int m = 0; m < an->nmatches; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];
		int			p = mt->start;
		int			q = mt->end;

		if ((m & 4095) == 0)
			LT_CHECK_INTERRUPTS();

		if (e->kind != LT_ENTRY_SECTION)
			continue;
		while (p > 0 && (is_blank((unsigned char) s[p - 1]) || s[p - 1] == '*' ||
						 s[p - 1] == '#' || s[p - 1] == '>' ||
						 is_digit((unsigned char) s[p - 1]) || s[p - 1] == '.' || s[p - 1] == ')'))
			p--;
		if (p > 0 && s[p - 1] != '\n')
			continue;
		if (nheads >= capheads)
		{
			capheads *= 2;
			heads = repalloc(heads, sizeof(Heading) * capheads);
		}
		while (q < len && is_blank((unsigned char) s[q]))
			q++;
		if (q < len && (s[q] == ':' || s[q] == '-' || s[q] == ','))
		{
			q++;
			while (q < len && is_blank((unsigned char) s[q]))
				q++;
			heads[nheads].inline_text = (q < len && s[q] != '\n');
		}
		else if (q >= len || s[q] == '\n')
			heads[nheads].inline_text = false;
		else
			continue;
		if (nheads > 0 && heads[nheads - 1].start == mt->start)
		{
			/* longest heading at this place wins (matches sorted longest first) */
			continue;
		}
		heads[nheads].start = mt->start;
		heads[nheads].end = q;
		heads[nheads].entry = mt->entry;
		nheads++;
		ADDCUT(mt->start);
		ADDCUT(q);
	}

	nheadcuts = ncuts;

	/*
	 * Under a medication heading on a line of its own ("TTO:", "Meds:"),
	 * each line is one item of a list ("metformin reduced ... pls update
	 * repeat" / "paracetamol 1 g qds PRN"): a line break there ends a
	 * sentence, up to the next heading or blank line.
	 */
	for (int h = 0; h < nheads; h++)
	{
		int			stop = (h + 1 < nheads) ? heads[h + 1].start : len;

		if (heads[h].inline_text || rs->entries[heads[h].entry].sub != LT_SEC_MEDICATION)
			continue;
		LT_CHECK_INTERRUPTS();
		for (int i = heads[h].end; i < stop; i++)
		{
			int			j;

			if (s[i] != '\n')
				continue;
			j = i + 1;
			while (j < stop && is_blank((unsigned char) s[j]))
				j++;
			if (j >= stop || s[j] == '\n')
				break;			/* a blank line ends the list */
			ADDCUT(j);
		}
	}

	/* sentences between the cuts */
	{
		/*
		 * The cuts come in three runs, each in order (checked): those found
		 * in the text, the headings', the medication lists'.  Merged, not
		 * sorted.
		 */
		int		   *all = palloc(sizeof(int) * (ncuts + 2));
		int			n = 0;
		bool		sorted = true;

		for (int k = 1; k < ncuts; k++)
			if (k != ntextcuts && k != nheadcuts && cuts[k - 1] > cuts[k])
				sorted = false;
		if (!sorted)
		{
			qsort(cuts, ncuts, sizeof(int), cmp_int);
			ntextcuts = nheadcuts = ncuts;	/* one run */
		}
		all[n++] = 0;
		n += merge_runs(cuts, ntextcuts, cuts + ntextcuts, nheadcuts - ntextcuts,
						cuts + nheadcuts, ncuts - nheadcuts, all + n);
		all[n++] = len;
		pfree(cuts);
		cuts = all;
		ncuts = n;
	}
	an->sentences = palloc(sizeof(LtSentence) * (ncuts + 1));
	an->nsentences = 0;
	{
		int			h = 0;
		int			para = 0;
		int			pi = 0;
		int			cursec = LT_SEC_NONE;
		int			curhead = -1;
		int			secpara = -1;	/* the section ends with this paragraph, or -1 */

		for (int k = 0; k + 1 < ncuts; k++)
		{
			int			a = cuts[k];
			int			b = cuts[k + 1];
			LtSentence *st;

			if ((k & 4095) == 0)
				LT_CHECK_INTERRUPTS();

			if (a >= b)
				continue;
			while (pi < npara && paracut[pi] <= a)
			{
				pi++;
				para++;
			}
			if (secpara >= 0 && para > secpara)
			{
				cursec = LT_SEC_NONE;
				curhead = -1;
				secpara = -1;
			}
			while (h < nheads && heads[h].start <= a)
			{
				cursec = rs->entries[heads[h].entry].sub;
				curhead = heads[h].entry;
				secpara = heads[h].inline_text ? para : -1;
				h++;
			}
			st = &an->sentences[an->nsentences++];
			st->start = a;
			st->end = b;
			st->para = para;
			st->section = cursec;
			st->heading = curhead;
			st->lead_agent = -1;
		}
	}

	/* each match's sentence (both lists are in text order) */
	{
		int			k = 0;

		for (int m = 0; m < an->nmatches; m++)
		{
			LtMatch    *mt = &an->matches[m];

			while (k + 1 < an->nsentences && an->sentences[k + 1].start <= mt->start)
				k++;
			mt->sentence = k;
		}
	}

	/* ignore-rules and pseudo-modifiers cancel what they cover */
	for (int m = 0; m < an->nmatches; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];
		bool		ign = is_ignore(e);
		bool		pseudo = (e->kind == LT_ENTRY_MODIFIER && e->sub == LT_MOD_PSEUDO);
		bool		rule = (e->kind == LT_ENTRY_RULE && !ign);
		int			o_first;

		if ((m & 4095) == 0)
			LT_CHECK_INTERRUPTS();
		if (rule && !mt->dead)
		{
			/* the longest rule wins: a rule inside a longer one is cancelled */
			for (int o = m + 1; o < an->nmatches && an->matches[o].start < mt->end; o++)
			{
				LtMatch    *ot = &an->matches[o];
				const LtEntry *oe = &rs->entries[ot->entry];

				if (oe->kind == LT_ENTRY_RULE && !is_ignore(oe) && ot->end <= mt->end &&
					ot->end - ot->start < mt->end - mt->start)
					ot->dead = true;
			}
			continue;
		}
		/* "on 14 May": the month, not the modal "may" of a hypothesis */
		if (e->kind == LT_ENTRY_MODIFIER && e->sub == LT_MOD_HYPOTHETICAL &&
			is_month_may(s, len, mt->start, mt->end))
		{
			an->matches[m].dead = true;
			continue;
		}
		if (!ign && !pseudo)
			continue;

		/*
		 * Only matches starting inside this one can be covered: they follow
		 * it in the sorted array, after the others of the same start.
		 * Starting from 0 made many ignore/pseudo matches quadratic.
		 */
		o_first = m;
		while (o_first > 0 && an->matches[o_first - 1].start >= mt->start)
			o_first--;
		for (int o = o_first; o < an->nmatches; o++)
		{
			LtMatch    *ot = &an->matches[o];
			const LtEntry *oe = &rs->entries[ot->entry];

			if (ot->start >= mt->end)
				break;
			if (o == m || ot->end <= mt->start)
				continue;
			if (ot->start < mt->start || ot->end > mt->end)
				continue;		/* only what lies inside */
			if (ign && oe->kind == LT_ENTRY_RULE && !is_ignore(oe))
				ot->dead = true;
			if (ign && oe->kind == LT_ENTRY_BUILTIN && oe->sub != LT_BI_STOP)
				ot->dead = true;
			/* a pseudo-modifier cancels the shorter modifiers inside it */
			if (pseudo && oe->kind == LT_ENTRY_MODIFIER && oe->sub != LT_MOD_PSEUDO &&
				ot->end - ot->start < mt->end - mt->start)
				ot->dead = true;
		}
	}

	mark_lead_ins(rs, an);
	find_years(an);
#undef ADDCUT
#undef ADDPARA
}

/*
 * Is [start, end) the word "may" written as the month: next to a number ("14
 * May", "May 2024", "14th May"), or with a capital M inside a sentence ("in
 * early May")?  The modal "may" starts a sentence with a capital, or is
 * written in lower case; in capitals ("MAY") only a number tells them apart.
 */
static bool
is_month_may(const char *s, int len, int start, int end)
{
	int			p = start;
	int			q = end;

	if (end - start != 3 || pg_strncasecmp(s + start, "may", 3) != 0)
		return false;
	while (p > 0 && is_blank((unsigned char) s[p - 1]))
		p--;
	while (q < len && is_blank((unsigned char) s[q]))
		q++;
	/* a number before ("14 May", "14th May") or after ("May 2024", "May 14") */
	if (q < len && is_digit((unsigned char) s[q]))
		return true;
	{
		int			w = p;

		while (w > 0 && lt_is_word_byte((unsigned char) s[w - 1]))
			w--;
		if (w < p && is_digit((unsigned char) s[w]))
			return true;
		if (p - w == 2 && pg_strncasecmp(s + w, "of", 2) == 0)
			return true;		/* "the end of May" */
	}
	if (s[start] != 'M' || is_upper((unsigned char) s[start + 1]))
		return false;
	/* "May": the month unless it starts a sentence or line */
	return !(p == 0 || s[p - 1] == '.' || s[p - 1] == '!' || s[p - 1] == '?' ||
			 s[p - 1] == '\n' || s[p - 1] == ':' || s[p - 1] == '-' || s[p - 1] == '*' ||
			 s[p - 1] == '"' || s[p - 1] == '(');
}

/*
 * A lead-in that asks, or says who acts, speaks for each item of the list it
 * introduces: "We would be grateful if the practice could:", "Please:", "We
 * request that the practice:" ask the GP; "We have asked him to:" gives the
 * patient tasks; "During the admission we:" lists what the sender did.  The
 * items are the sentences after it in its paragraph that start a bulleted or
 * numbered line (and the rest of those lines); each gets the lead-in's agent
 * (its last who-acts modifier reaching forward) as lead_agent, the nearest
 * lead-in before it winning.  One pass: the lead-in in force is carried
 * forward until its paragraph or its list ends (a lead-in per line of a long
 * list was quadratic when each one walked the rest of the list).
 */
static void
mark_lead_ins(const LtRuleSet *rs, LtAnalysis *an)
{
	const char *s = an->doc.s;
	int			m = 0;
	int			agent = -1;		/* of the lead-in in force, or -1 */
	int			para = -1;		/* and its paragraph */

	for (int k = 0; k < an->nsentences; k++)
	{
		LtSentence *st = &an->sentences[k];
		int			p = st->end;
		int			own = -1;

		if ((k & 1023) == 0)
			LT_CHECK_INTERRUPTS();
		if (agent >= 0 && (st->para != para || !list_item(s, an->doc.len, st)))
			agent = -1;
		st->lead_agent = agent;

		while (p > st->start && (is_blank((unsigned char) s[p - 1]) || s[p - 1] == '\n'))
			p--;
		while (m < an->nmatches && an->matches[m].start < st->start)
			m++;
		if (p == st->start || s[p - 1] != ':')
			continue;
		for (int i = m; i < an->nmatches && an->matches[i].start < p; i++)
		{
			const LtMatch *mt = &an->matches[i];
			const LtEntry *e = &rs->entries[mt->entry];

			if (!mt->dead && e->kind == LT_ENTRY_MODIFIER && (e->dir & LT_DIR_FORWARD) &&
				(e->sub == LT_MOD_REQUEST || e->sub == LT_MOD_PATIENT || e->sub == LT_MOD_COMPLETED))
				own = e->sub;
		}
		if (own >= 0)
		{
			agent = own;
			para = st->para;
		}
	}
}

/*
 * Do at most `limit` words (runs of word bytes) start in [a, b)?  Counted
 * where asked, and only up to the limit, rather than for the whole text.
 */
static bool
words_within(const char *s, int a, int b, int limit)
{
	int			n = 0;
	bool		in = (a > 0 && lt_is_word_byte((unsigned char) s[a - 1]));

	for (int i = a; i < b; i++)
	{
		bool		wb = lt_is_word_byte((unsigned char) s[i]);

		if (wb && !in && ++n > limit)
			return false;
		in = wb;
	}
	return true;
}

/*
 * words_within for another person's scope: a name or title in apposition
 * ("her husband, Mr Arnold Hale, had died") is the same person, so words
 * written with a capital and then lower case do not count; and a subject
 * pronoun ("her son telephoned to say she had died") starts a clause about
 * someone else, the patient, which ends that person's scope.
 */
static bool
person_words_within(const char *s, int a, int b, int limit)
{
	int			n = 0;
	bool		in = (a > 0 && lt_is_word_byte((unsigned char) s[a - 1]));

	for (int i = a; i < b; i++)
	{
		bool		wb = lt_is_word_byte((unsigned char) s[i]);

		if (wb && !in)
		{
			int			w = i;

			while (w < b && lt_is_word_byte((unsigned char) s[w]))
				w++;
			if ((w - i == 3 && pg_strncasecmp(s + i, "she", 3) == 0) ||
				(w - i == 2 && pg_strncasecmp(s + i, "he", 2) == 0))
				return false;
			if (!(is_upper((unsigned char) s[i]) && (w - i == 1 || is_lower((unsigned char) s[i + 1]))) &&
				++n > limit)
				return false;
		}
		in = wb;
	}
	return true;
}

/* Is the ')' at i the end of a list marker ("1)", "a)", "ii)"), not of a parenthesis? */
static bool
item_paren(const char *s, int i)
{
	int			w = i;

	while (w > 0 && i - w < 3 && (is_digit((unsigned char) s[w - 1]) ||
								  is_lower((unsigned char) s[w - 1])))
		w--;
	return w < i && (w == 0 || is_blank((unsigned char) s[w - 1]) || s[w - 1] == '\n');
}

/*
 * Does a parenthesis separate a modifier from its phrase?  Forward (the
 * modifier before the phrase, span [a, b) between them): a ')' closing a
 * parenthesis the modifier is in ("(no fever) please refer").  Backward (the
 * modifier after): a '(' opened after the phrase and still open at the
 * modifier ("repeat her U+E (her creatinine was 72)").  A whole parenthesis
 * between them separates nothing.
 */
static bool
paren_between(const char *s, int a, int b, bool forward)
{
	int			depth = 0;

	if (memchr(s + a, '(', b - a) == NULL && memchr(s + a, ')', b - a) == NULL)
		return false;			/* the common case */
	for (int i = a; i < b; i++)
	{
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && !item_paren(s, i))
		{
			if (--depth < 0 && forward)
				return true;
			depth = Max(depth, 0);
		}
	}
	return !forward && depth > 0;
}

/*
 * Does a new clause start in [a, b) that ends a negation: ", and", ", but",
 * ", so", ", then" followed by more words ("so it is not re-issued, and
 * repeat her LFTs")?  Not ", or": it ends lists ("no fever, chills, or
 * sweats"; on the NegEx set, negation F fell from 0.968 to 0.940 with it).
 */
static bool
clause_between(const char *s, int a, int b)
{
	static const char *const conj[] = {"and ", "but ", "so ", "then ", NULL};

	for (int i = a; i < b; i++)
	{
		int			j = i + 1;

		if (s[i] != ',')
			continue;
		while (j < b && is_blank((unsigned char) s[j]))
			j++;
		for (int c = 0; conj[c]; c++)
		{
			int			n = strlen(conj[c]);

			if (j + n <= b && pg_strncasecmp(s + j, conj[c], n) == 0)
				return true;
		}
	}
	return false;
}

/*
 * Is the span [a, b) between a modifier of category cat and its phrase free
 * of what ends a modifier's scope: ';', a parenthesis (see paren_between),
 * termination terms (not for requests), and for negations a new clause or a
 * request after a comma ("..., so could you please refer her")?
 */
static bool
open_between(const LtRuleSet *rs, const LtAnalysis *an, int a, int b, int first, int last,
			 int cat, bool forward)
{
	const char *s = an->doc.s;
	const char *comma;

	if (b <= a)
		return true;
	if (memchr(s + a, ';', b - a) != NULL)
		return false;
	if (cat != LT_MOD_OTHER && paren_between(s, a, b, forward))
		return false;			/* not "his father (her husband) died" */
	if (cat == LT_MOD_REQUEST)
		return true;
	/*
	 * a new clause also ends what the sender did: in "review him on Monday
	 * with an FBC, and if there has been no bleeding ...", "has been" is not
	 * about the FBC
	 */
	comma = (cat == LT_MOD_NEGATED || cat == LT_MOD_COMPLETED) ? memchr(s + a, ',', b - a) : NULL;
	if (comma != NULL && clause_between(s, a, b))
		return false;
	/* the matches are sorted by start: only those starting in [a, b) */
	{
		int			lo = first,
					hi = last;

		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (an->matches[mid].start < a)
				lo = mid + 1;
			else
				hi = mid;
		}
		first = lo;
	}
	for (int m = first; m < last && an->matches[m].start < b; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];

		if (mt->dead || e->kind != LT_ENTRY_MODIFIER || mt->start < a || mt->end > b)
			continue;
		if (e->sub == LT_MOD_TERMINATION)
			return false;
		if (comma != NULL && e->sub == LT_MOD_REQUEST && (e->dir & LT_DIR_FORWARD) &&
			s + mt->start > comma)
			return false;
	}
	return true;
}

/*
 * Find the past years of the text: "in 2019", "in March 2020" (a year 1900-2099
 * not followed by a word character, '/' or ':').  One pass, at segmentation;
 * stored as pairs (start of "in", end of the year) in text order.
 */
static void
find_years(LtAnalysis *an)
{
	static const char *const months[] = {
		"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december", "jan", "feb", "mar", "apr",
		"jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", NULL
	};
	const char *s = an->doc.s;
	int			len = an->doc.len;
	int			cap = 0;

	an->nyears = 0;
	an->years = NULL;
	for (int i = 0; i + 4 <= len; i++)
	{
		int			p,
					w;
		bool		ok = false;

		if ((i & (LT_INTERRUPT_STRIDE - 1)) == 0)
			LT_CHECK_INTERRUPTS();

		if ((s[i] != '1' && s[i] != '2') || (i > 0 && lt_is_word_byte((unsigned char) s[i - 1])))
			continue;
		if (!((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')) ||
			!is_digit((unsigned char) s[i + 2]) || !is_digit((unsigned char) s[i + 3]) ||
			(i + 4 < len && (lt_is_word_byte((unsigned char) s[i + 4]) ||
							 s[i + 4] == '/' || s[i + 4] == ':')))
			continue;
		/* "in" before it, maybe with a month between */
		p = i;
		for (int guard = 0; guard < 2; guard++)
		{
			bool		month = false;

			while (p > 0 && is_blank((unsigned char) s[p - 1]))
				p--;
			w = p;
			while (w > 0 && lt_is_word_byte((unsigned char) s[w - 1]))
				w--;
			if (p - w == 2 && pg_strncasecmp(s + w, "in", 2) == 0)
			{
				ok = true;
				break;
			}
			for (int k = 0; guard == 0 && months[k]; k++)
				if ((int) strlen(months[k]) == p - w && pg_strncasecmp(s + w, months[k], p - w) == 0)
					month = true;
			if (!month)
				break;
			p = w;
		}
		if (!ok)
			continue;
		if (an->nyears * 2 + 2 > cap)
		{
			cap = Max(16, cap * 2);
			an->years = an->years ? repalloc(an->years, sizeof(int32) * cap) :
				palloc(sizeof(int32) * cap);
		}
		an->years[an->nyears * 2] = w;
		an->years[an->nyears * 2 + 1] = i + 4;
		an->nyears++;
	}
}

/*
 * Is there a past year ("in 2019") within `scope` words before [start, end)
 * or after it, in the same clause and sentence?  Such a phrase is historical
 * ("a safeguarding referral in 2020 concerning financial abuse", "his wife
 * ... died in 2022").  The years are looked at outwards from the phrase,
 * nearest first, and only while within `scope` words: a farther year has
 * more words between (every year of a long sentence against every phrase of
 * it was quadratic).
 */
static bool
year_near(const LtRuleSet *rs, const LtAnalysis *an, const LtSentence *st, int start, int end,
		  int first, int last, int scope)
{
	const char *s = an->doc.s;
	int			lo = 0,
				hi = an->nyears;
	int			after;

	if (an->nyears == 0)
		return false;
	/* the first year starting at or after the phrase's end */
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (an->years[mid * 2] < end)
			lo = mid + 1;
		else
			hi = mid;
	}
	after = lo;
	for (int y = after; y < an->nyears; y++)
	{
		int			ys = an->years[y * 2];
		int			ye = an->years[y * 2 + 1];

		if (ye > st->end || !words_within(s, end, ys, scope))
			break;
		if (open_between(rs, an, end, ys, first, last, LT_MOD_HISTORICAL, false))
			return true;
	}
	for (int y = after - 1; y >= 0; y--)
	{
		int			ys = an->years[y * 2];
		int			ye = an->years[y * 2 + 1];

		if (ye > start)
			continue;			/* overlaps the phrase */
		if (ys < st->start || !words_within(s, ye, start, scope))
			break;
		if (open_between(rs, an, ye, start, first, last, LT_MOD_HISTORICAL, true))
			return true;
	}
	return false;
}

/*
 * The context of the span [start, end) in sentence `sentence`: a bit mask of
 * (1 << LtContext).  *agent is set to LT_MOD_REQUEST, LT_MOD_COMPLETED,
 * LT_MOD_PATIENT (the nearest such modifier in scope) or -1.
 */
uint32
lt_context_of(const LtRuleSet *rs, const LtAnalysis *an, int start, int end,
			  int sentence, int *agent)
{
	return lt_context_near(rs, an, start, end, sentence, -1, agent);
}

/*
 * The first match starting at or after key, searched for outwards from
 * match `hint` (galloping; any index, or -1 for none): a binary search over
 * all the matches of a long letter for every phrase spent its time in cache
 * misses.
 */
static int
first_match_from(const LtAnalysis *an, int key, int hint)
{
	const LtMatch *m = an->matches;
	int			n = an->nmatches;
	int			lo,
				hi;

	if (hint < 0 || hint >= n)
	{
		lo = 0;
		hi = n;
	}
	else if (m[hint].start >= key)
	{
		int			step = 1;

		hi = hint;
		while (hi - step >= 0 && m[hi - step].start >= key)
		{
			hi -= step;
			step *= 2;
		}
		lo = Max(0, hi - step);
	}
	else
	{
		int			step = 1;

		lo = hint + 1;
		while (lo + step - 1 < n && m[lo + step - 1].start < key)
		{
			lo += step;
			step *= 2;
		}
		hi = Min(n, lo + step - 1);
	}
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (m[mid].start < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* lt_context_of, for a phrase near match `hint` (see first_match_from). */
uint32
lt_context_near(const LtRuleSet *rs, const LtAnalysis *an, int start, int end,
				int sentence, int hint, int *agent)
{
	uint32		bits = 0;
	int			first = 0;
	int			last;
	int			best = PG_INT32_MAX;
	const LtSentence *st;

	*agent = -1;
	if (sentence < 0 || sentence >= an->nsentences)
		return 0;
	st = &an->sentences[sentence];
	/*
	 * The matches of this sentence within LT_CONTEXT_WINDOW bytes of the
	 * phrase (binary search on the first): in a huge unpunctuated "sentence"
	 * (garbled text, a repeated phrase) every phrase against every modifier
	 * of the sentence was cubic and ran for hours.
	 */
	first = first_match_from(an, Max(st->start, start - LT_CONTEXT_WINDOW), hint);
	last = first;
	while (last < an->nmatches && an->matches[last].start < st->end &&
		   an->matches[last].start < end + LT_CONTEXT_WINDOW)
		last++;

	for (int m = first; m < last; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];
		bool		applies = false;
		int			dist = 0;

		if (mt->dead || e->kind != LT_ENTRY_MODIFIER)
			continue;
		if (e->sub == LT_MOD_TERMINATION || e->sub == LT_MOD_PSEUDO)
			continue;
		if (mt->end > start && mt->start < end)
		{
			/* a request written into the phrase itself: "please stop" */
			if (e->sub == LT_MOD_REQUEST && mt->start >= start && mt->end <= end && best > 0)
			{
				best = 0;
				*agent = LT_MOD_REQUEST;
			}
			continue;			/* otherwise what overlaps the phrase does nothing */
		}
		if ((e->dir & LT_DIR_FORWARD) && mt->end <= start)
		{
			if ((e->scope == 0 ||
				 (e->sub == LT_MOD_OTHER ? person_words_within(an->doc.s, mt->end, start, e->scope) :
				  words_within(an->doc.s, mt->end, start, e->scope))) &&
				open_between(rs, an, mt->end, start, first, last, e->sub, true))
			{
				applies = true;
				dist = start - mt->end;
			}
		}
		if (!applies && (e->dir & LT_DIR_BACKWARD) && mt->start >= end)
		{
			if ((e->scope == 0 || words_within(an->doc.s, end, mt->start, e->scope)) &&
				open_between(rs, an, end, mt->start, first, last, e->sub, false))
			{
				applies = true;
				dist = mt->start - end;
			}
		}
		if (!applies)
			continue;
		switch (e->sub)
		{
			case LT_MOD_NEGATED:
				bits |= 1 << LT_CTX_NEGATED;
				break;
			case LT_MOD_HYPOTHETICAL:
				bits |= 1 << LT_CTX_HYPOTHETICAL;
				break;
			case LT_MOD_HISTORICAL:
				bits |= 1 << LT_CTX_HISTORICAL;
				break;
			case LT_MOD_OTHER:
				bits |= 1 << LT_CTX_OTHER;
				break;
			case LT_MOD_COMPLETED:
			case LT_MOD_PATIENT:
			case LT_MOD_REQUEST:
				if (dist < best)
				{
					best = dist;
					*agent = e->sub;
				}
				break;
			default:
				break;
		}
	}
	/* an item of a list: who acts, as its lead-in says */
	if (*agent < 0 && st->lead_agent >= 0)
		*agent = st->lead_agent;
	if (!(bits & (1 << LT_CTX_HISTORICAL)) &&
		year_near(rs, an, st, start, end, first, last, LT_YEAR_SCOPE))
		bits |= 1 << LT_CTX_HISTORICAL;
	if (st->section == LT_SEC_HISTORY)
		bits |= 1 << LT_CTX_HISTORICAL;
	else if (st->section == LT_SEC_FAMILY)
		bits |= 1 << LT_CTX_OTHER;
	return bits;
}

/* The one context reported for a bit mask, the strongest first. */
LtContext
lt_context_pick(uint32 bits)
{
	if (bits & (1 << LT_CTX_NEGATED))
		return LT_CTX_NEGATED;
	if (bits & (1 << LT_CTX_OTHER))
		return LT_CTX_OTHER;
	if (bits & (1 << LT_CTX_HYPOTHETICAL))
		return LT_CTX_HYPOTHETICAL;
	if (bits & (1 << LT_CTX_HISTORICAL))
		return LT_CTX_HISTORICAL;
	return LT_CTX_AFFIRMED;
}

/* Name of a context as evidence() and assertion() report it. */
const char *
lt_context_name(LtContext c)
{
	static const char *const names[LT_NUM_CTX] = {
		"affirmed", "negated", "hypothetical", "historical", "other_person"
	};

	if ((int) c < 0 || (int) c >= LT_NUM_CTX)
		return "affirmed";
	return names[c];
}
