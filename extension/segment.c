/*
 * segment.c — a scanned text cut into sentences, paragraphs and sections,
 * with each match given its sentence and the matches that do not stand
 * cancelled.
 *
 * Sentences are cut in one pass over the scanned text: at '.', '!' or '?'
 * followed by a blank (not after an abbreviation such as "Dr.", an initial,
 * "b.d." or a list number), at blank lines, and at single line breaks that
 * end a heading, a short line or punctuated line, or precede a bullet or a
 * numbered item (a line break inside a wrapped sentence is not a cut).
 * Section headings (letters_triage.section) count at the start of a line and
 * followed by ':' or the end of the line; they hold until the next heading,
 * or until the end of the paragraph when text follows the heading on its line.
 * Pseudo-modifiers and ignore-rules cancel what they overlap.  The lead-ins
 * of lists and the past years of the text are found here too, once, for
 * context.c.
 */
#include "postgres.h"

#include "core.h"

/*
 * Words after which a full stop does not end a sentence, in alphabetical
 * order: is_abbreviation() looks only at those with the word's first letter.
 */
static const char *const abbr[] = {
	"a.m", "approx", "b.d", "b.i.d", "cf", "dept", "dob", "dr", "dx", "e.g", "eg", "etc.",
	"fig", "hosp", "hr", "hrs", "hx", "i.e", "i.m", "i.v", "ie", "inc", "jr", "max", "mg",
	"min", "mins", "ml", "mr", "mrs", "ms", "mx", "no", "nos", "o.d", "o.n", "p.m", "p.o",
	"p.r.n", "prof", "pt", "pts", "q.d.s", "q.i.d", "ref", "resp", "rev", "rx", "s.c", "sr",
	"st", "sx", "t.d.s", "t.i.d", "tel", "temp", "tx", "vol", "vs", "wk", "wks", "yrs",
	NULL
};

/* abbr[abbr_from[c - 'a'] .. abbr_from[c - 'a' + 1]): those beginning with c */
static int	abbr_from[27];
static bool abbr_ready = false;

static void
abbr_index(void)
{
	int			i = 0;

	for (int c = 0; c < 26; c++)
	{
		abbr_from[c] = i;
		while (abbr[i] && (unsigned char) abbr[i][0] == 'a' + c)
			i++;
	}
	abbr_from[26] = i;
	Assert(abbr[i] == NULL);
	abbr_ready = true;
}

static bool
is_abbreviation(const char *w, int n)
{
	unsigned char c0;

	if (n == 1)
		return true;			/* an initial: "P. Haverstock" */
	if (n > 6)
		return false;			/* longer than any of them */
	c0 = lt_lower((unsigned char) w[0]);
	if (c0 < 'a' || c0 > 'z')
		return false;
	if (!abbr_ready)
		abbr_index();
	for (int i = abbr_from[c0 - 'a']; i < abbr_from[c0 - 'a' + 1]; i++)
	{
		const char *a = abbr[i];
		int			k = 1;

		/* ASCII case-insensitive, a ending where w does */
		while (k < n && a[k] != '\0' && (unsigned char) a[k] == lt_lower((unsigned char) w[k]))
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
		return (p + 1 < len && lt_is_inline_blank((unsigned char) s[p + 1]));
	while (q < len && lt_is_digit((unsigned char) s[q]))
		q++;
	if (q == p && q < len && (lt_is_lower((unsigned char) s[q]) || lt_is_upper((unsigned char) s[q])))
		q++;					/* "a)" */
	if (q > p && q < len && (s[q] == '.' || s[q] == ')') && q + 1 < len &&
		lt_is_inline_blank((unsigned char) s[q + 1]))
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

	while (a < st->end && lt_is_inline_blank((unsigned char) s[a]))
		a++;
	while (b > 0 && lt_is_inline_blank((unsigned char) s[b - 1]))
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
		if (lt_is_lower((unsigned char) s[i]) || (unsigned char) s[i] >= 0x80)
			return false;
		if (lt_is_upper((unsigned char) s[i]))
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

	while (p < b && lt_is_inline_blank((unsigned char) s[p]))
		p++;
	if (p >= b || !lt_is_upper((unsigned char) s[p]))
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
		else if (!lt_is_upper(c) && !lt_is_lower(c) && c != '-' && c != '/' && c != '&')
			return false;
		if (p - w >= 24 || words > 3)
			return false;
	}
	if (p >= b || p - w < 2)
		return false;
	/* a value after the colon */
	for (p++; p < b && lt_is_inline_blank((unsigned char) s[p]); p++)
		;
	if (p >= b)
		return false;
	/* not broken off: no comma, no joining word at the end */
	if (s[b - 1] == ',' || s[b - 1] == '-' || s[b - 1] == '(')
		return false;
	for (w = b; w > p && (lt_is_lower((unsigned char) s[w - 1]) || lt_is_upper((unsigned char) s[w - 1])); w--)
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

/* A section heading found at the start of a line. */
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

/* A growing array of positions. */
typedef struct PosList
{
	int		   *v;
	int			n;
	int			cap;
} PosList;

static void
pos_init(PosList *l, int cap)
{
	l->v = palloc(sizeof(int) * cap);
	l->n = 0;
	l->cap = cap;
}

static void
pos_add(PosList *l, int p)
{
	if (l->n >= l->cap)
	{
		l->cap *= 2;
		l->v = repalloc(l->v, sizeof(int) * l->cap);
	}
	l->v[l->n++] = p;
}

/* What lt_segment builds before the sentences. */
typedef struct Segmenter
{
	const LtRuleSet *rs;
	LtAnalysis *an;
	const char *s;
	int			len;
	PosList		cuts;			/* where sentences start: three ordered runs */
	int			ntextcuts;		/* cuts[0, ntextcuts): found in the text */
	int			nheadcuts;		/* [ntextcuts, nheadcuts): the headings' */
	PosList		paras;			/* positions where paragraphs start */
	Heading    *heads;
	int			nheads;
	int			capheads;
} Segmenter;

/*
 * Is "No." at [w, i) the answer "no" ("Chest pain? No. Please see her"), not
 * the number sign ("No. 5", "Ward No. 12")?  j: the blank after it.
 */
static bool
answer_no(const char *s, int len, int w, int i, int j)
{
	if (i - w != 2 || pg_strncasecmp(s + w, "no", 2) != 0)
		return false;
	while (j < len && lt_is_inline_blank((unsigned char) s[j]))
		j++;
	return j >= len || !lt_is_digit((unsigned char) s[j]);
}

/*
 * Is the word at w, ending at i, a unit of time after a number ("over the
 * next 24 h. Please contact ...") whose full stop, the next word starting at
 * or after j with a capital, ends its sentence?  (A dose's "mg." does not:
 * "increasing after 2 weeks to 10 mg. Please continue" is one ask.)
 */
static bool
unit_ends(const char *s, int len, int w, int i, int j)
{
	static const char *const units[] = {"h", "hr", "hrs", "min", "mins", "wk", "wks", "yrs", NULL};

	if (w < 2 || s[w - 1] != ' ' || !lt_is_digit((unsigned char) s[w - 2]) || !lt_word_among(s, w, i, units))
		return false;
	while (j < len && lt_is_inline_blank((unsigned char) s[j]))
		j++;
	return j < len && lt_is_upper((unsigned char) s[j]);
}

/*
 * The sentence ending with '.', '!' or '?' at i: where the next one starts,
 * or -1 when it does not end there (inside a word or number, after an
 * abbreviation, a list number opening a line).
 */
static int
sentence_end(const char *s, int len, int i, int line_start)
{
	unsigned char c = (unsigned char) s[i];
	int			j = i + 1;

	while (j < len && (s[j] == '"' || s[j] == '\'' || s[j] == ')'))
		j++;
	if (j < len && !lt_is_inline_blank((unsigned char) s[j]) && s[j] != '\n')
		return -1;
	if (c == '.')
	{
		int			w = i;
		bool		digits = true;

		while (w > 0 && (lt_is_word_byte((unsigned char) s[w - 1]) || s[w - 1] == '.'))
			w--;
		for (int k = w; k < i; k++)
			if (!lt_is_digit((unsigned char) s[k]))
				digits = false;
		/*
		 * "mmol/L." is a unit, not an initial; so is a word after a number
		 * before a capital: "over the next 24 h. Please contact ..."
		 */
		if (i > w && !(i - w == 1 && w > 0 && s[w - 1] == '/') && is_abbreviation(s + w, i - w) &&
			!answer_no(s, len, w, i, j) && !unit_ends(s, len, w, i, j))
		{
			/* "Dr. Smith" but "... seen by Dr.\n\n" still ends */
			return -1;
		}
		if (digits && i > w)
		{
			/* "1." opening a numbered line is not a sentence */
			int			k = w;

			while (k > line_start && lt_is_inline_blank((unsigned char) s[k - 1]))
				k--;
			if (k == line_start)
				return -1;
		}
	}
	return j;
}

/*
 * The line break at i, ending the line begun at line_start: a cut at a blank
 * line (a paragraph too), or at a single break after a heading, a short or
 * punctuated line, or before a bulleted or numbered item.  Returns where the
 * next line starts.
 */
static int
line_break(Segmenter *sg, int i, int line_start)
{
	const char *s = sg->s;
	int			len = sg->len;
	int			j = i;
	int			nl = 0;
	int			prev = i;

	while (j < len && (s[j] == '\n' || lt_is_inline_blank((unsigned char) s[j])))
	{
		if (s[j] == '\n')
			nl++;
		j++;
	}
	while (prev > line_start && lt_is_inline_blank((unsigned char) s[prev - 1]))
		prev--;
	if (nl >= 2)
	{
		pos_add(&sg->cuts, j);
		pos_add(&sg->paras, j);
	}
	else if (prev > line_start)
	{
		unsigned char last = (unsigned char) s[prev - 1];
		bool		cut = false;

		/* a table's row ("| Repeat U&E | 2 weeks |") ends at its line's end */
		if (last == '.' || last == ':' || last == ';' || last == '!' || last == '?' || last == '|')
			cut = true;
		if (!cut && j < len && starts_item(s, len, j))
			cut = true;
		if (!cut && line_all_caps(s, line_start, prev))
			cut = true;
		if (!cut && j < len &&
			(lt_is_upper((unsigned char) s[j]) || lt_is_digit((unsigned char) s[j])) &&
			(prev - line_start < 50 || line_labelled(s, line_start, prev)))
			cut = true;
		if (cut)
			pos_add(&sg->cuts, j);
	}
	return j;
}

/* The cuts the text's punctuation and line breaks make, in order. */
static void
cut_text(Segmenter *sg)
{
	const char *s = sg->s;
	int			len = sg->len;
	int			line_start = 0;

	for (int i = 0, next_check = 0; i < len; i++)
	{
		unsigned char c;

		if (i >= next_check)
		{
			LT_CHECK_INTERRUPTS();
			next_check = i + LT_INTERRUPT_STRIDE;
		}
		/* most bytes cut nothing: skip them, many at a time */
		i = lt_next_of(s, i, len, '.', '!', '?', '\n');
		if (i >= len)
			break;
		c = (unsigned char) s[i];
		if (c == '.' || c == '!' || c == '?')
		{
			int			j = sentence_end(s, len, i, line_start);

			if (j >= 0)
				pos_add(&sg->cuts, j);
		}
		else if (c == '\n')
		{
			int			j = line_break(sg, i, line_start);

			line_start = j;
			i = j - 1;
		}
	}
	sg->ntextcuts = sg->cuts.n;
}

/*
 * Section headings: a section entry at a line start (after any bullet or
 * number), followed by ':' or the line's end; each cuts before and after.
 */
static void
find_headings(Segmenter *sg)
{
	const char *s = sg->s;
	int			len = sg->len;
	LtAnalysis *an = sg->an;

	sg->capheads = 16;
	sg->nheads = 0;
	sg->heads = palloc(sizeof(Heading) * sg->capheads);
	for (int m = 0; m < an->nmatches; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &sg->rs->entries[mt->entry];
		Heading    *hd;
		int			p = mt->start;
		int			q = mt->end;

		if ((m & 4095) == 0)
			LT_CHECK_INTERRUPTS();

		if (e->kind != LT_ENTRY_SECTION)
			continue;
		while (p > 0 && (lt_is_inline_blank((unsigned char) s[p - 1]) || s[p - 1] == '*' ||
						 s[p - 1] == '#' || s[p - 1] == '>' ||
						 lt_is_digit((unsigned char) s[p - 1]) || s[p - 1] == '.' || s[p - 1] == ')'))
			p--;
		if (p > 0 && s[p - 1] != '\n')
			continue;
		if (sg->nheads >= sg->capheads)
		{
			sg->capheads *= 2;
			sg->heads = repalloc(sg->heads, sizeof(Heading) * sg->capheads);
		}
		hd = &sg->heads[sg->nheads];
		while (q < len && lt_is_inline_blank((unsigned char) s[q]))
			q++;
		if (q < len && (s[q] == ':' || s[q] == '-' || s[q] == ','))
		{
			q++;
			while (q < len && lt_is_inline_blank((unsigned char) s[q]))
				q++;
			hd->inline_text = (q < len && s[q] != '\n');
		}
		else if (q >= len || s[q] == '\n')
			hd->inline_text = false;
		else
			continue;
		if (sg->nheads > 0 && sg->heads[sg->nheads - 1].start == mt->start)
		{
			/* longest heading at this place wins (matches sorted longest first) */
			continue;
		}
		hd->start = mt->start;
		hd->end = q;
		hd->entry = mt->entry;
		sg->nheads++;
		pos_add(&sg->cuts, mt->start);
		pos_add(&sg->cuts, q);
	}
	sg->nheadcuts = sg->cuts.n;
}

/*
 * Under a medication heading on a line of its own ("TTO:", "Meds:"), each
 * line is one item of a list ("metformin reduced ... pls update repeat" /
 * "paracetamol 1 g qds PRN"): a line break there ends a sentence, up to the
 * next heading or blank line.
 */
static void
cut_medication_lists(Segmenter *sg)
{
	const char *s = sg->s;

	for (int h = 0; h < sg->nheads; h++)
	{
		const Heading *hd = &sg->heads[h];
		int			stop = (h + 1 < sg->nheads) ? sg->heads[h + 1].start : sg->len;

		if (hd->inline_text || sg->rs->entries[hd->entry].sub != LT_SEC_MEDICATION)
			continue;
		LT_CHECK_INTERRUPTS();
		for (int i = hd->end; i < stop; i++)
		{
			int			j;

			if (s[i] != '\n')
				continue;
			j = i + 1;
			while (j < stop && lt_is_inline_blank((unsigned char) s[j]))
				j++;
			if (j >= stop || s[j] == '\n')
				break;			/* a blank line ends the list */
			pos_add(&sg->cuts, j);
		}
	}
}

/*
 * All the cuts in order, with 0 and the text's end.  They come in three
 * runs, each in order (checked): those found in the text, the headings',
 * the medication lists'.  Merged, not sorted.
 */
static void
merge_cuts(Segmenter *sg)
{
	PosList    *c = &sg->cuts;
	int		   *all = palloc(sizeof(int) * (c->n + 2));
	int			n = 0;
	bool		sorted = true;

	for (int k = 1; k < c->n; k++)
		if (k != sg->ntextcuts && k != sg->nheadcuts && c->v[k - 1] > c->v[k])
			sorted = false;
	if (!sorted)
	{
		qsort(c->v, c->n, sizeof(int), cmp_int);
		sg->ntextcuts = sg->nheadcuts = c->n;	/* one run */
	}
	all[n++] = 0;
	n += merge_runs(c->v, sg->ntextcuts, c->v + sg->ntextcuts, sg->nheadcuts - sg->ntextcuts,
					c->v + sg->nheadcuts, c->n - sg->nheadcuts, all + n);
	all[n++] = sg->len;
	pfree(c->v);
	c->v = all;
	c->n = n;
	c->cap = n;
}

/*
 * The sentences between the cuts, each with its paragraph and the section
 * in force: a heading holds until the next one, or to the end of its
 * paragraph when text follows it on its line.
 */
static void
make_sentences(Segmenter *sg)
{
	LtAnalysis *an = sg->an;
	const int  *cuts = sg->cuts.v;
	int			ncuts = sg->cuts.n;
	int			h = 0;
	int			para = 0;
	int			pi = 0;
	int			cursec = LT_SEC_NONE;
	int			curhead = -1;
	int			secpara = -1;	/* the section ends with this paragraph, or -1 */

	an->sentences = palloc(sizeof(LtSentence) * (ncuts + 1));
	an->nsentences = 0;
	for (int k = 0; k + 1 < ncuts; k++)
	{
		int			a = cuts[k];
		int			b = cuts[k + 1];
		LtSentence *st;

		if ((k & 4095) == 0)
			LT_CHECK_INTERRUPTS();

		if (a >= b)
			continue;
		while (pi < sg->paras.n && sg->paras.v[pi] <= a)
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
		while (h < sg->nheads && sg->heads[h].start <= a)
		{
			cursec = sg->rs->entries[sg->heads[h].entry].sub;
			curhead = sg->heads[h].entry;
			secpara = sg->heads[h].inline_text ? para : -1;
			h++;
		}
		st = &an->sentences[an->nsentences++];
		st->start = a;
		st->end = b;
		st->para = para;
		st->section = cursec;
		st->heading = curhead;
		st->lead_agent = -1;
		st->lead = -1;
		st->asks = st->imperative = st->supply = 0;
	}
}

/* Each match's sentence (both lists are in text order). */
static void
assign_sentences(LtAnalysis *an)
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

/*
 * What an ignore-rule, a pseudo-modifier or a request at m covers,
 * cancelled: rules and recognisers' words inside an ignore-rule, the shorter
 * modifiers inside a pseudo-modifier, a condition or a doer inside a
 * request.  Only
 * matches starting inside it can be covered: they
 * follow it in the sorted array, after the others of the same start, so the
 * search starts there (from 0, many ignore/pseudo matches would be
 * quadratic).
 */
static void
cancel_inside(const LtRuleSet *rs, LtAnalysis *an, int m, bool ign, bool pseudo, bool req)
{
	const LtMatch *mt = &an->matches[m];
	int			o_first = m;

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
			continue;			/* only what lies inside */
		if (ign && oe->kind == LT_ENTRY_RULE && !is_ignore(oe))
			ot->dead = true;
		if (ign && oe->kind == LT_ENTRY_BUILTIN && oe->sub != LT_BI_STOP)
			ot->dead = true;
		/*
		 * a pseudo-modifier cancels the shorter modifiers inside it, and a
		 * request the condition, doubt or doer inside it ("if you could",
		 * "might be able to", "we would be grateful" ask; they do not
		 * suppose, nor tell what the sender did)
		 */
		if (pseudo && oe->kind == LT_ENTRY_MODIFIER && oe->sub != LT_MOD_PSEUDO &&
			ot->end - ot->start < mt->end - mt->start)
			ot->dead = true;
		if (req && oe->kind == LT_ENTRY_MODIFIER &&
			(oe->sub == LT_MOD_HYPOTHETICAL || oe->sub == LT_MOD_COMPLETED) &&
			ot->end - ot->start < mt->end - mt->start)
			ot->dead = true;
	}
}

/*
 * Matches that do not stand: a rule inside a longer rule, the month "May"
 * taken for the modal, and what ignore-rules and pseudo-modifiers cover.
 */
static void
cancel_matches(const LtRuleSet *rs, LtAnalysis *an)
{
	const char *s = an->doc.s;

	for (int m = 0; m < an->nmatches; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];
		bool		ign = is_ignore(e);
		bool		pseudo = (e->kind == LT_ENTRY_MODIFIER && e->sub == LT_MOD_PSEUDO);
		bool		rule = (e->kind == LT_ENTRY_RULE && !ign);
		bool		req = (e->kind == LT_ENTRY_MODIFIER && e->sub == LT_MOD_REQUEST);

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
			is_month_may(s, an->doc.len, mt->start, mt->end))
		{
			an->matches[m].dead = true;
			continue;
		}
		if (ign || pseudo || req)
			cancel_inside(rs, an, m, ign, pseudo, req);
	}
}

/*
 * Cut an->doc into sentences, find sections, give each match (the scan
 * returns them by position) its sentence and kill what ignore-rules and
 * pseudo-modifiers cover; then the lead-ins of lists and the past years.
 */
void
lt_segment(const LtRuleSet *rs, LtAnalysis *an)
{
	Segmenter	sg;

	memset(&sg, 0, sizeof(sg));
	sg.rs = rs;
	sg.an = an;
	sg.s = an->doc.s;
	sg.len = an->doc.len;
	pos_init(&sg.cuts, 64);
	pos_init(&sg.paras, 16);
	cut_text(&sg);
	find_headings(&sg);
	cut_medication_lists(&sg);
	merge_cuts(&sg);
	make_sentences(&sg);
	assign_sentences(an);
	cancel_matches(rs, an);
	mark_lead_ins(rs, an);
	find_years(an);
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
	while (p > 0 && lt_is_inline_blank((unsigned char) s[p - 1]))
		p--;
	while (q < len && lt_is_inline_blank((unsigned char) s[q]))
		q++;
	/* a number before ("14 May", "14th May") or after ("May 2024", "May 14") */
	if (q < len && lt_is_digit((unsigned char) s[q]))
		return true;
	{
		int			w = p;

		while (w > 0 && lt_is_word_byte((unsigned char) s[w - 1]))
			w--;
		if (w < p && lt_is_digit((unsigned char) s[w]))
			return true;
		if (p - w == 2 && pg_strncasecmp(s + w, "of", 2) == 0)
			return true;		/* "the end of May" */
	}
	if (s[start] != 'M' || lt_is_upper((unsigned char) s[start + 1]))
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
 * (its last who-acts modifier reaching forward) as lead_agent, and the
 * lead-in's sentence as lead (its time frame is theirs: "Please could the
 * practice within the next 48 hours:"), the nearest lead-in before it
 * winning.  One pass: the lead-in in force is carried forward until its
 * paragraph or its list ends (with a lead-in per line of a
 * long list, each one walking the rest of the list would be quadratic).
 */
static void
mark_lead_ins(const LtRuleSet *rs, LtAnalysis *an)
{
	const char *s = an->doc.s;
	int			m = 0;
	int			agent = -1;		/* of the lead-in in force, or -1 */
	int			para = -1;		/* and its paragraph */
	int			lead = -1;		/* and its sentence */

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
		st->lead = agent >= 0 ? lead : -1;

		while (p > st->start && (lt_is_inline_blank((unsigned char) s[p - 1]) || s[p - 1] == '\n'))
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
			lead = k;
		}
	}
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
	for (int i = 0, next_check = 0; i + 4 <= len; i++)
	{
		int			p,
					w;
		bool		ok = false;

		if (i >= next_check)
		{
			LT_CHECK_INTERRUPTS();
			next_check = i + LT_INTERRUPT_STRIDE;
		}
		/* a year starts with 1 or 2: skip to the next, many bytes at a time */
		i = lt_next_of(s, i, len - 3, '1', '2', '1', '2');
		if (i + 4 > len)
			break;
		if (i > 0 && lt_is_word_byte((unsigned char) s[i - 1]))
			continue;
		if (!((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')) ||
			!lt_is_digit((unsigned char) s[i + 2]) || !lt_is_digit((unsigned char) s[i + 3]) ||
			(i + 4 < len && (lt_is_word_byte((unsigned char) s[i + 4]) ||
							 s[i + 4] == '/' || s[i + 4] == ':')))
			continue;
		/* "in" before it, maybe with a month between */
		p = i;
		for (int guard = 0; guard < 2; guard++)
		{
			bool		month = false;

			while (p > 0 && lt_is_inline_blank((unsigned char) s[p - 1]))
				p--;
			w = p;
			while (w > 0 && lt_is_word_byte((unsigned char) s[w - 1]))
				w--;
			if (p - w == 2 && pg_strncasecmp(s + w, "in", 2) == 0)
			{
				ok = true;
				break;
			}
			for (int k = 0; guard == 0 && p > w && months[k]; k++)
				if ((unsigned char) months[k][0] == lt_lower((unsigned char) s[w]) &&
					(int) strlen(months[k]) == p - w && pg_strncasecmp(s + w, months[k], p - w) == 0)
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

/* The first of an->years (in text order) that starts at or after pos; an->nyears if none. */
int
lt_year_from(const LtAnalysis *an, int pos)
{
	int			lo = 0,
				hi = an->nyears;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (an->years[mid * 2] < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
