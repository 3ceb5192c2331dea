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

#include "classify.h"

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

static int
cmp_int(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
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
	int			capcuts = 64;
	int		   *paracut;		/* positions where paragraphs start */
	int			npara = 0;
	int			cappara = 16;
	Heading    *heads;
	int			nheads = 0;
	int			line_start = 0;

	cuts = palloc(sizeof(int) * capcuts);
	paracut = palloc(sizeof(int) * cappara);
#define ADDCUT(p) do { if (ncuts >= capcuts) { capcuts *= 2; cuts = repalloc(cuts, sizeof(int) * capcuts); } cuts[ncuts++] = (p); } while (0)
#define ADDPARA(p) do { if (npara >= cappara) { cappara *= 2; paracut = repalloc(paracut, sizeof(int) * cappara); } paracut[npara++] = (p); } while (0)

	for (int i = 0; i < len; i++)
	{
		unsigned char c;

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
				if (!cut && prev - line_start < 50 && j < len &&
					(is_upper((unsigned char) s[j]) || is_digit((unsigned char) s[j])))
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
	heads = palloc(sizeof(Heading) * (an->nmatches + 1));
	for (int m = 0; m < an->nmatches; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];
		int			p = mt->start;
		int			q = mt->end;

		if (e->kind != LT_ENTRY_SECTION)
			continue;
		while (p > 0 && (is_blank((unsigned char) s[p - 1]) || s[p - 1] == '*' ||
						 s[p - 1] == '#' || s[p - 1] == '>' ||
						 is_digit((unsigned char) s[p - 1]) || s[p - 1] == '.' || s[p - 1] == ')'))
			p--;
		if (p > 0 && s[p - 1] != '\n')
			continue;
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

	/* sentences between the cuts */
	{
		/*
		 * The cuts found in the text come in order, and so do the headings'
		 * (checked): merge the two runs rather than sort them.
		 */
		int		   *all = palloc(sizeof(int) * (ncuts + 2));
		int			a = 0,
					b = ntextcuts,
					n = 0;
		bool		sorted = true;

		for (int k = 1; k < ncuts; k++)
			if (k != ntextcuts && cuts[k - 1] > cuts[k])
				sorted = false;
		if (!sorted)
		{
			qsort(cuts, ncuts, sizeof(int), cmp_int);
			ntextcuts = ncuts;	/* one run */
			b = ncuts;
		}
		all[n++] = 0;
		while (a < ntextcuts || b < ncuts)
		{
			if (b >= ncuts || (a < ntextcuts && cuts[a] <= cuts[b]))
				all[n++] = cuts[a++];
			else
				all[n++] = cuts[b++];
		}
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
#undef ADDCUT
#undef ADDPARA
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

/* Is the span [a, b) free of terminations (terms, ';')? */
static bool
open_between(const LtRuleSet *rs, const LtAnalysis *an, int a, int b, int first, int last,
			 bool terms)
{
	if (b > a && memchr(an->doc.s + a, ';', b - a) != NULL)
		return false;
	if (!terms)
		return true;
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

		if (mt->dead || e->kind != LT_ENTRY_MODIFIER || e->sub != LT_MOD_TERMINATION)
			continue;
		if (mt->start >= a && mt->end <= b)
			return false;
	}
	return true;
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
	{
		int			lo = 0,
					hi = an->nmatches;

		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (an->matches[mid].start < Max(st->start, start - LT_CONTEXT_WINDOW))
				lo = mid + 1;
			else
				hi = mid;
		}
		first = lo;
	}
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
			continue;			/* overlaps the phrase itself */
		if ((e->dir & LT_DIR_FORWARD) && mt->end <= start)
		{
			if ((e->scope == 0 || words_within(an->doc.s, mt->end, start, e->scope)) &&
				open_between(rs, an, mt->end, start, first, last, e->sub != LT_MOD_REQUEST))
			{
				applies = true;
				dist = start - mt->end;
			}
		}
		if (!applies && (e->dir & LT_DIR_BACKWARD) && mt->start >= end)
		{
			if ((e->scope == 0 || words_within(an->doc.s, end, mt->start, e->scope)) &&
				open_between(rs, an, end, mt->start, first, last, e->sub != LT_MOD_REQUEST))
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
