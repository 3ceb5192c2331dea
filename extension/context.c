/*
 * context.c — the context of a phrase: which modifiers act on it, in the
 * sentences segment.c cut.
 *
 * Context follows NegEx/ConText: a modifier (letters_triage.modifier) acts on
 * a phrase after it (forward), before it (backward) or both, within its scope
 * in words (0: to the end of the sentence), unless a termination term or ';'
 * lies between.  Pseudo-modifiers and ignore-rules cancel what they overlap.
 */
#include "postgres.h"

#include "core.h"

/* Words after a time frame within which a condition governs it (see when_phrase). */
#define LT_WHEN_CONDITION_WORDS 3

/* Words between a past year ("in 2019") and the phrase it makes historical. */
#define LT_YEAR_SCOPE 5

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
 * A clause set off by commas after a person ("her sister Joan, who was a
 * resident here until she went into hospital, sadly passed away", "the
 * patient's brother, also registered with you, died"): from the comma at
 * i, where the clause's closing comma is (within 300 bytes and before b),
 * so that its words count as none; i itself when it is no such clause.
 */
static int
apposition_end(const char *s, int i, int b)
{
	static const char *const opens[] = {"who", "also", "aged", "whom", "whose", NULL};
	int			p,
				w;

	if (!lt_word_after(s, b, i + 1, &p, &w) || !lt_word_among(s, p, w, opens))
		return i;
	for (int q = w; q < b && q < i + 300; q++)
		if (s[q] == ',')
			return q;
	return i;
}

/* Does the word at p open a clause set off by commas (", who ..., ") that closes before b? */
static bool
in_apposition(const char *s, int p, int b)
{
	int			c = p;

	while (c > 0 && s[c - 1] == ' ')
		c--;
	return c > 0 && s[c - 1] == ',' && apposition_end(s, c - 1, b) > c - 1;
}

/*
 * Is the phrase at b inside a relative clause opened at p by ", who", not
 * closed before it ("misses her late sister, who died last autumn")?  The
 * clause tells of that person.
 */
static bool
in_relative_clause(const char *s, int p, int b)
{
	static const char *const rel[] = {"who", "whom", "whose", NULL};
	int			c = p,
				w = p;

	while (c > 0 && s[c - 1] == ' ')
		c--;
	if (c == 0 || s[c - 1] != ',')
		return false;
	while (w < b && lt_is_word_byte((unsigned char) s[w]))
		w++;
	if (!lt_word_among(s, p, w, rel))
		return false;
	for (int q = w; q < b; q++)
		if (s[q] == ',' || s[q] == ';' || s[q] == '.' || s[q] == ':')
			return false;
	return true;
}

/*
 * words_within for another person's scope: a name or title in apposition
 * ("her husband, Mr Arnold Hale, had died") is the same person, so words
 * written with a capital and then lower case do not count; and a subject
 * pronoun ("her son telephoned to say she had died") starts a clause about
 * someone else, the patient, which ends that person's scope, as does a verb
 * of telling ("her son informed us of Mr Hale's death"); a relative clause
 * set off by commas (apposition_end) is the same person and counts nothing.
 */
static bool
person_words_within(const char *s, int a, int b, int limit)
{
	int			n = 0;
	bool		in = (a > 0 && lt_is_word_byte((unsigned char) s[a - 1]));

	for (int i = a; i < b; i++)
	{
		bool		wb;

		if (s[i] == ',')
			i = apposition_end(s, i, b);	/* (its closing comma) */
		wb = lt_is_word_byte((unsigned char) s[i]);
		if (wb && !in)
		{
			int			w = i;

			while (w < b && lt_is_word_byte((unsigned char) s[w]))
				w++;
			if ((w - i == 3 && pg_strncasecmp(s + i, "she", 3) == 0) ||
				(w - i == 2 && pg_strncasecmp(s + i, "he", 2) == 0))
				return false;
			/* what a relative tells of has its own subject: "her son informed us of ..." */
			if (lt_kin_telling(s, i, w))
				return false;
			if (!(lt_is_upper((unsigned char) s[i]) && (w - i == 1 || lt_is_lower((unsigned char) s[i + 1]))) &&
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

	while (w > 0 && i - w < 3 && (lt_is_digit((unsigned char) s[w - 1]) ||
								  lt_is_lower((unsigned char) s[w - 1])))
		w--;
	return w < i && (w == 0 || lt_is_inline_blank((unsigned char) s[w - 1]) || s[w - 1] == '\n');
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
 * Does a clause giving a reason start at i, before b: "because ...", or "as"
 * then its subject ("check U&E within 48 hours as her creatinine was 132
 * last month")?  Not "as before", "as planned", "such as".
 */
static bool
reason_clause(const char *s, int i, int b)
{
	static const char *const subjects[] = {
		"her", "his", "the", "our", "she", "he", "we", "they", "it", "their", "this", NULL
	};
	int			e = i;
	int			f;

	while (e < b && lt_is_word_byte((unsigned char) s[e]))
		e++;
	if (lt_word_is(s, i, e, "because"))
		return true;
	if (!lt_word_is(s, i, e, "as") || e >= b || s[e] != ' ')
		return false;
	f = ++e;
	while (f < b && lt_is_word_byte((unsigned char) s[f]))
		f++;
	for (int k = 0; subjects[k]; k++)
		if (lt_word_is(s, e, f, subjects[k]))
			return true;
	return false;
}

/*
 * Does a new clause start in [a, b) that ends a negation: ", and", ", but",
 * ", so", ", then" followed by more words ("so it is not re-issued, and
 * repeat her LFTs")?  Not ", or": it ends lists ("no fever, chills, or
 * sweats"; on the NegEx set, negation F fell from 0.968 to 0.940 with it).
 * With `reason`, the clauses that give a reason instead: ", as", ", because".
 */
static bool
clause_between(const char *s, int a, int b, bool reason)
{
	static const char *const conj[] = {"and ", "but ", "so ", "then ", NULL};
	static const char *const reasons[] = {"as ", "because ", NULL};
	const char *const *cs = reason ? reasons : conj;

	for (int i = a; i < b; i++)
	{
		int			j = i + 1;

		if (reason && i > a && s[i - 1] == ' ' && lt_is_word_byte((unsigned char) s[i]) &&
			reason_clause(s, i, b))
			return true;
		if (s[i] != ',')
			continue;
		while (j < b && lt_is_inline_blank((unsigned char) s[j]))
			j++;
		for (int c = 0; cs[c]; c++)
		{
			int			n = strlen(cs[c]);

			if (j + n <= b && pg_strncasecmp(s + j, cs[c], n) == 0)
				return true;
		}
	}
	return false;
}

/*
 * Does a clause with its own subject or a request start after a dash in
 * [a, b) ("never really recovered - he died ten days ago", "cannot be
 * dispensed - needs reissue today")?  It ends a negation as ", and" does.
 */
static bool
dash_clause(const char *s, int a, int b)
{
	static const char *const subjects[] = {
		"he", "she", "they", "we", "i", "please", "needs", "need", "kindly", "could", "can", NULL
	};

	for (int i = a + 1; i + 2 < b; i++)
	{
		int			c,
					d;

		if (s[i] != '-' || s[i - 1] != ' ' || s[i + 1] != ' ')
			continue;
		if (lt_word_after(s, b, i + 1, &c, &d) && lt_word_among(s, c, d, subjects))
			return true;
	}
	return false;
}

/* Is the word after a negation ending at p a verb in -ing after "not" ("not going", "isn't settling")? */
static bool
negated_verb(const char *s, int len, int p)
{
	int			a,
				b,
				c,
				d;

	if (!lt_word_before(s, p, &c, &d) || !(lt_word_is(s, c, d, "not") || (d - c > 3 && s[d - 2] == '\'' &&
																		   lt_lower((unsigned char) s[d - 1]) == 't')))
		return false;
	return lt_word_after(s, len, p, &a, &b) && b - a > 4 && pg_strncasecmp(s + b - 3, "ing", 3) == 0;
}

/* Does a subject pronoun start at p ("I have had", "we have")? */
static bool
subject_at(const char *s, int len, int p)
{
	static const char *const subjects[] = {"i", "we", "he", "she", "they", NULL};
	int			a,
				b;

	return lt_word_after(s, len, p, &a, &b) && a == p && lt_word_among(s, a, b, subjects);
}

/* Does a comma in [a, b) open a clause with its own subject pronoun (", she went in her sleep")? */
static bool
clause_subject_after(const char *s, int len, int a, int b)
{
	for (const char *c = memchr(s + a, ',', b - a); c != NULL; c = memchr(c + 1, ',', s + b - (c + 1)))
	{
		int			q = (int) (c - s) + 1;

		while (q < b && s[q] == ' ')
			q++;
		if (q < b && subject_at(s, len, q))
			return true;
	}
	return false;
}

/*
 * Is the span [a, b) between a modifier of category cat and its phrase free
 * of what ends a modifier's scope: ';', a parenthesis (see paren_between),
 * termination terms (not for requests), for negations a new clause, and for
 * negations, other people and past events a request after a comma ("..., so
 * could you please refer her", "my mum passed away, please ring me today",
 * "he died last month, please can the doctor ring me today": the GP is asked
 * now, not the one named before)?
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
	/* "Email from a relative: Mum passed last night": a label's person is not what follows it */
	if (cat == LT_MOD_OTHER && memchr(s + a, ':', b - a) != NULL)
		return false;
	if (cat != LT_MOD_OTHER && paren_between(s, a, b, forward))
		return false;			/* not "his father (her husband) died" */
	if (cat == LT_MOD_REQUEST)
		return true;
	/*
	 * a new clause also ends what the sender did: in "review him on Monday
	 * with an FBC, and if there has been no bleeding ...", "has been" is not
	 * about the FBC; and a clause giving a reason ends a past event's reach
	 * ("change the dressing on Monday, as our department is closed")
	 */
	comma = (cat == LT_MOD_NEGATED || cat == LT_MOD_COMPLETED || cat == LT_MOD_OTHER ||
			 cat == LT_MOD_HISTORICAL) ? memchr(s + a, ',', b - a) : NULL;
	if (comma != NULL && cat != LT_MOD_OTHER && cat != LT_MOD_HISTORICAL && clause_between(s, a, b, false))
		return false;
	/*
	 * nor does a modifier after a comma that opens a clause with its own
	 * subject reach back ("I would like an appointment, I have had a
	 * cough for 2 weeks")
	 */
	if (!forward && (comma != NULL || (a < an->doc.len && s[a] == ',')) &&
		(cat == LT_MOD_COMPLETED || cat == LT_MOD_HISTORICAL) && subject_at(s, an->doc.len, b))
		return false;
	if (cat == LT_MOD_NEGATED && memchr(s + a, '-', b - a) != NULL && dash_clause(s, a, b))
		return false;
	/*
	 * a verb negated ends at a comma: "not going with paracetamol, seeing
	 * flashing lights this morning" ("no fever, cough or rash" goes on)
	 */
	if (cat == LT_MOD_NEGATED && forward && comma != NULL && negated_verb(s, an->doc.len, a))
		return false;
	/* nor past a comma opening a clause of its own: "Mum won't need her tablets any more, she died on Tuesday" */
	if (cat == LT_MOD_NEGATED && forward && comma != NULL && clause_subject_after(s, an->doc.len, a, b))
		return false;
	if (cat == LT_MOD_HISTORICAL && clause_between(s, a, b, true))
		return false;
	/* the matches are sorted by start: only those starting in [a, b) */
	first = lt_matches_from(an->matches, first, last, a);
	for (int m = first; m < last && an->matches[m].start < b; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];

		if (mt->dead || e->kind != LT_ENTRY_MODIFIER || mt->start < a || mt->end > b)
			continue;
		if (e->sub == LT_MOD_TERMINATION &&
			!(cat == LT_MOD_OTHER &&
			  (in_apposition(s, mt->start, b) || in_relative_clause(s, mt->start, b))))
			return false;
		if (comma != NULL && e->sub == LT_MOD_REQUEST && (e->dir & LT_DIR_FORWARD) &&
			s + mt->start > comma)
			return false;
	}
	return true;
}

/*
 * Is there a past year ("in 2019") within `scope` words before [start, end)
 * or after it, in the same clause and sentence?  Such a phrase is historical
 * ("a safeguarding referral in 2020 concerning financial abuse", "his wife
 * ... died in 2022").  The years are looked at outwards from the phrase,
 * nearest first, and only while within `scope` words: a farther year has
 * more words between, and comparing every year of a long sentence with every
 * phrase of it would be quadratic.
 */
static bool
year_near(const LtRuleSet *rs, const LtAnalysis *an, const LtSentence *st, int start, int end,
		  int first, int last, int scope)
{
	const char *s = an->doc.s;
	int			after;

	if (an->nyears == 0)
		return false;
	/* the first year starting at or after the phrase's end */
	after = lt_year_from(an, end);
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
	return lt_matches_from(m, lo, hi, key);
}

/*
 * The first word of a sentence [*a, *b), after a bullet, a number or a label
 * of up to three words before a colon on the same line ("Recommendation:
 * Refer ...", "- Arrange ...", "Plan: Could you ...").
 */
static void
first_word(const char *s, const LtSentence *st, int *a, int *b)
{
	int			p = st->start;
	int			e = st->end;

	while (p < e && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r' ||
					 s[p] == '-' || s[p] == '*' || s[p] == '>' || s[p] == '.' || s[p] == ')' ||
					 (s[p] >= '0' && s[p] <= '9')))
		p++;
	for (int q = p, words = 0; q < e && s[q] != '\n' && words <= 3; q++)
	{
		if (s[q] == ':')
		{
			p = q + 1;
			while (p < e && (s[p] == ' ' || s[p] == '\t'))
				p++;
			break;
		}
		if (s[q] == ' ')
			words++;
		else if (!lt_is_word_byte((unsigned char) s[q]) && s[q] != '-' && s[q] != '&')
			break;
	}
	*a = p;
	while (p < e && lt_is_word_byte((unsigned char) s[p]))
		p++;
	*b = p;
}

/*
 * Is the sentence a question put to the practice, "Could the doctor phone me
 * in the next day or two?", "Can someone ring me back today?", "Would it be
 * possible to have a home visit?": a modal first and a question mark last.
 * Its time frame is the deadline of what it asks.
 */
bool
lt_asks_question(const char *s, const LtSentence *st)
{
	static const char *const modals[] = {"could", "can", "would", "will", "please", NULL};
	int			a,
				b,
				e = st->end;

	while (e > st->start && (lt_is_blank((unsigned char) s[e - 1]) || s[e - 1] == '"' || s[e - 1] == ')'))
		e--;
	if (e <= st->start || s[e - 1] != '?')
		return false;
	first_word(s, st, &a, &b);
	return lt_word_among(s, a, b, modals);
}

/*
 * lt_asks_question for sentence k of an, read once per sentence: each call
 * asked in it looks (its scan of the sentence's ends is not bounded).
 */
bool
lt_sentence_asks(LtAnalysis *an, int k)
{
	LtSentence *st = &an->sentences[k];

	if (st->asks == 0)
		st->asks = lt_asks_question(an->doc.s, st) ? 2 : 1;
	return st->asks == 2;
}

/*
 * Does the sentence open with a verb of a GP action in the imperative, after
 * a bullet, a number or a label ("Recommendation: Refer via the 2WW
 * pathway", "- Arrange an ultrasound", "Subject: Call the patient today";
 * a call only with the one to call after it, as "Call from son" is none)?  A report addressed to the requester
 * asks as "please" does.  The sender's own doings are past ("Referred to
 * ..."), so only the bare verb counts.
 */
static bool
opens_imperative(const char *s, const LtSentence *st, bool report)
{
	static const char *const verbs[] = {"refer", "arrange", "prescribe", NULL};
	/* a laboratory's comment gives its advice as bare verbs: "Treat with ..." */
	static const char *const report_verbs[] = {
		"refer", "arrange", "prescribe", "check", "recheck", "repeat", "treat", "start",
		"stop", "withhold", "review", "commence", "contact", NULL
	};
	/* and a call or a visit with the one to be called after it: "Call the patient today" */
	static const char *const call_verbs[] = {
		"call", "ring", "phone", "telephone", "contact", "see", "visit", NULL
	};
	static const char *const objects[] = {
		"the", "him", "her", "them", "patient", "pt", "mr", "mrs", "ms", "miss", "mum", "dad", NULL
	};
	const char *const *vs = report ? report_verbs : verbs;
	int			e = st->end;
	int			a,
				p,
				oa,
				ob;

	first_word(s, st, &a, &p);
	if (lt_word_among(s, a, p, call_verbs) && lt_word_after(s, e, p, &oa, &ob) &&
		lt_word_among(s, oa, ob, objects))
		vs = call_verbs;
	for (int k = 0; vs[k]; k++)
		if (p - a == (int) strlen(vs[k]) && pg_strncasecmp(s + a, vs[k], p - a) == 0)
		{
			/*
			 * "Refer to haematology if the count falls" is a condition: the
			 * words "if" and "unless" close by (a bounded look, as this runs
			 * for every match of the sentence) leave it to the modifiers
			 */
			for (int q = p; q + 2 < e && q < p + 200; q++)
				if (!lt_is_word_byte((unsigned char) s[q]) &&
					((pg_strncasecmp(s + q + 1, "if", 2) == 0 &&
					  (q + 3 >= e || !lt_is_word_byte((unsigned char) s[q + 3]))) ||
					 (q + 7 < e && pg_strncasecmp(s + q + 1, "unless", 6) == 0 &&
					  !lt_is_word_byte((unsigned char) s[q + 7]))))
					return false;
			return true;
		}
	return false;
}

/*
 * opens_imperative for sentence k, read once per sentence (each phrase of the
 * sentence asks, and its first word may be reached over a long run of
 * bullets and digits).
 */
static bool
imperative_of(const LtAnalysis *an, int k)
{
	LtSentence *st = &an->sentences[k];

	if (st->imperative == 0)
		st->imperative = opens_imperative(an->doc.s, st, an->report) ? 2 : 1;
	return st->imperative == 2;
}

/*
 * Is the phrase of match `hint` a time frame ("within 24 hours", "by
 * Friday")?  A condition after a time frame governs it only when it follows
 * closely ("within 24 hours if needed"); further on it governs the nearer
 * ask ("see him within 24 hours to assess and start antibiotics if
 * appropriate": the antibiotics are conditional, the visit is not).
 */
static bool
when_phrase(const LtRuleSet *rs, const LtAnalysis *an, int hint)
{
	const LtEntry *e;

	if (hint < 0 || hint >= an->nmatches)
		return false;
	e = &rs->entries[an->matches[hint].entry];
	return e->kind == LT_ENTRY_BUILTIN &&
		(e->sub == LT_BI_TIME || e->sub == LT_BI_UNIT || e->sub == LT_BI_WEEKDAY || e->sub == LT_BI_CLOCK);
}

/* lt_context_of, for a phrase near match `hint` (see first_match_from). */
uint32
lt_context_near(const LtRuleSet *rs, const LtAnalysis *an, int start, int end,
				int sentence, int hint, int *agent)
{
	/* participles of what is wanted done: "needs her bloods done", "needs a script sent" */
	static const char *const wanted_done[] = {"done", "sent", "taken", "issued", "checked", "repeated", NULL};
	uint32		bits = 0;
	int			first = 0;
	int			last;
	int			best = PG_INT32_MAX;
	bool		asked_before = false;	/* a request before the phrase applies */
	bool		done_after = false; /* the nearest agent is a "done" after it */
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
				asked_before = asked_before || e->sub == LT_MOD_REQUEST;
			}
		}
		if (!applies && (e->dir & LT_DIR_BACKWARD) && mt->start >= end)
		{
			int			scope = e->scope;

			if (e->sub == LT_MOD_HYPOTHETICAL && when_phrase(rs, an, hint))
				scope = scope == 0 ? LT_WHEN_CONDITION_WORDS : Min(scope, LT_WHEN_CONDITION_WORDS);
			if ((scope == 0 || words_within(an->doc.s, end, mt->start, scope)) &&
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
				/*
				 * a tie with a passive's agent after the phrase goes to it:
				 * "arrange for the patient to be seen by the practice"
				 */
				if (dist < best ||
					(dist == best && e->sub == LT_MOD_REQUEST && *agent == LT_MOD_PATIENT &&
					 mt->start >= end && lt_word_is(an->doc.s, mt->start, mt->start + 2, "by")))
				{
					best = dist;
					*agent = e->sub;
					done_after = e->sub == LT_MOD_COMPLETED && mt->start >= end &&
						lt_word_among(an->doc.s, mt->start, mt->end, wanted_done);
				}
				break;
			default:
				break;
		}
	}
	/* "needs her bloods done this week", "needs a new prescription sent to Boots": what is asked to be done, not what was */
	if (done_after && asked_before)
		*agent = LT_MOD_REQUEST;
	/* a table's row: who acts, as its "Who" column says */
	if (*agent < 0 && an->has_bars)
		*agent = lt_table_who(an->doc.s, an->doc.len, start, an->tables);
	/* an item of a list: who acts, as its lead-in says */
	if (*agent < 0 && st->lead_agent >= 0)
		*agent = st->lead_agent;
	else if (*agent < 0 && imperative_of(an, sentence))
		*agent = LT_MOD_REQUEST;
	if (!(bits & (1 << LT_CTX_HISTORICAL)) &&
		year_near(rs, an, st, start, end, first, last, LT_YEAR_SCOPE))
		bits |= 1 << LT_CTX_HISTORICAL;
	if (st->section == LT_SEC_HISTORY)
		bits |= 1 << LT_CTX_HISTORICAL;
	else if (st->section == LT_SEC_FAMILY)
		bits |= 1 << LT_CTX_OTHER;
	return bits;
}

/* Bytes before a phrase that lt_gp_asked looks at. */
#define LT_GP_WINDOW 120

/*
 * Is the phrase at `start` asked of the GP by a clause whose subject is the
 * practice: "could her GP see her tomorrow", "asked if their GP could visit",
 * "the referring clinician is advised to refer", "the GP will need to", "if
 * the doctor could see her" (a doctor with "could", "can" or "would" only:
 * "the doctor will see her in clinic" is the sender's)?
 * Looked for among the ten words before the phrase, within its clause (no
 * punctuation between) and LT_GP_WINDOW bytes.  The practice named with
 * "your" is the patient's ("please ask your GP to review"), not a request.
 */
bool
lt_gp_asked(const char *s, const LtSentence *st, int start)
{
	static const char *const modal_after[] = {
		"could", "can", "would", "will", "to", "please", "should", "must", "needs", "need", NULL
	};
	static const char *const modal_before[] = {"could", "can", "would", "will", NULL};
	int			wa[10],
				wb[10];
	int			n = 0;
	int			p = start;
	int			lo = Max(st->start, start - LT_GP_WINDOW);

	/* the words before the phrase, nearest first */
	while (n < 10)
	{
		int			b,
					a;

		while (p > lo && lt_is_blank((unsigned char) s[p - 1]))
			p--;
		b = p;
		while (p > lo && lt_is_word_byte((unsigned char) s[p - 1]))
			p--;
		a = p;
		if (a == b || (a == lo && lo > st->start))
			break;
		wa[n] = a;
		wb[n] = b;
		n++;
		if (a > lo && !lt_is_blank((unsigned char) s[a - 1]))
			break;				/* punctuation: the clause begins here */
	}
	for (int i = 0; i < n; i++)
	{
		int			j = i + 1;	/* the word before it */
		int			k = i - 1;	/* the word after it */

		if (lt_word_is(s, wa[i], wb[i], "doctor") && j < n && k >= 0 &&
			(lt_word_is(s, wa[j], wb[j], "the") || lt_word_is(s, wa[j], wb[j], "a")) &&
			lt_word_among(s, wa[k], wb[k], modal_before))
			return true;		/* "if the doctor could see her" */
		if (!(lt_word_is(s, wa[i], wb[i], "gp") || lt_word_is(s, wa[i], wb[i], "gps") ||
			  lt_word_is(s, wa[i], wb[i], "practice") || lt_word_is(s, wa[i], wb[i], "surgery") ||
			  ((lt_word_is(s, wa[i], wb[i], "clinician") || lt_word_is(s, wa[i], wb[i], "doctor")) &&
			   j < n && (lt_word_is(s, wa[j], wb[j], "referring") ||
						 lt_word_is(s, wa[j], wb[j], "requesting")))))
			continue;
		if (j < n && lt_word_is(s, wa[j], wb[j], "your"))
			continue;
		/* "the GP practice could", "the practice nurse could" */
		if (k >= 0 && (lt_word_is(s, wa[k], wb[k], "practice") || lt_word_is(s, wa[k], wb[k], "team") ||
					   lt_word_is(s, wa[k], wb[k], "nurse")))
			k--;
		if (k >= 0)
		{
			for (int m = 0; modal_after[m]; m++)
				if (lt_word_is(s, wa[k], wb[k], modal_after[m]))
					return true;
			/* "is asked to", "are advised to", "is requested to" */
			if (k >= 1 && (lt_word_is(s, wa[k], wb[k], "is") || lt_word_is(s, wa[k], wb[k], "are")) &&
				(lt_word_is(s, wa[k - 1], wb[k - 1], "asked") ||
				 lt_word_is(s, wa[k - 1], wb[k - 1], "advised") ||
				 lt_word_is(s, wa[k - 1], wb[k - 1], "requested")))
				return true;
		}
		/* "could her GP see her": the modal first, a determiner between */
		if (j < n && (lt_word_is(s, wa[j], wb[j], "her") || lt_word_is(s, wa[j], wb[j], "his") ||
					  lt_word_is(s, wa[j], wb[j], "their") || lt_word_is(s, wa[j], wb[j], "the") ||
					  lt_word_is(s, wa[j], wb[j], "a")))
			j++;
		if (j < n)
			for (int m = 0; modal_before[m]; m++)
				if (lt_word_is(s, wa[j], wb[j], modal_before[m]))
					return true;
	}
	return false;
}

/* Is the negation mt a prohibition: "do not", "don't", "never", "please not"? */
static bool
forbids(const char *s, const LtMatch *mt)
{
	static const char *const opening[] = {"do", "don't", "dont", "never", NULL};
	int			a,
				b;

	if (lt_word_after(s, mt->end, mt->start, &a, &b) && lt_word_among(s, a, b, opening))
		return true;
	return lt_word_before(s, mt->start, &a, &b) && (lt_word_is(s, a, b, "do") || lt_word_is(s, a, b, "please"));
}

/* Is the negation match mt "No" as the number sign ("Bed No 5", "Ward No. 12")? */
static bool
number_sign(const char *s, int len, const LtMatch *mt)
{
	int			p = mt->end;

	if (mt->end - mt->start != 2)
		return false;
	if (p < len && s[p] == '.')
		p++;
	while (p < len && lt_is_inline_blank((unsigned char) s[p]))
		p++;
	return p < len && lt_is_digit((unsigned char) s[p]);
}

/*
 * A negation, hypothesis or time written inside a rule's phrase is the
 * phrase's own ("address is not disclosed", "did not wake up", "as soon as
 * possible"): it says what the phrase means, and modifies nothing around it
 * ("please make sure her address is not disclosed and flag her record
 * today", "can the doctor ring us back as soon as possible").  Such
 * modifiers are set aside once, before any phrase looks at its modifiers
 * (a request inside a phrase, "please stop", still asks for it; a
 * prohibition, "please do not restart her ramipril or refer her", still
 * forbids what is joined to it: forbids()).  Only the
 * matches starting inside a rule's phrase are looked at, a few per rule.
 * And "No" as the number sign ("Bed No 5") negates nothing.
 */
void
lt_context_own_modifiers(const LtRuleSet *rs, LtAnalysis *an)
{
	for (int m = 0; m < an->nmatches; m++)
	{
		LtMatch    *mt = &an->matches[m];
		const LtEntry *me = &rs->entries[mt->entry];

		if (me->kind == LT_ENTRY_MODIFIER && me->sub == LT_MOD_NEGATED &&
			number_sign(an->doc.s, an->doc.len, mt))
			mt->dead = true;
	}
	for (int m = 0; m < an->nmatches; m++)
	{
		const LtMatch *rule = &an->matches[m];
		const LtEntry *re = &rs->entries[rule->entry];

		bool		ignore = re->sub < 0 && re->urgency < 0;

		if (rule->dead || re->kind != LT_ENTRY_RULE)
			continue;
		for (int k = m + 1; k < an->nmatches && k <= m + 16 && an->matches[k].start < rule->end; k++)
		{
			LtMatch    *mt = &an->matches[k];
			const LtEntry *me = &rs->entries[mt->entry];

			/*
			 * an ignore-phrase keeps its time: "previously seen by
			 * cardiology and started on bisoprolol"; but "not urgent" negates
			 * nothing
			 */
			if (me->kind == LT_ENTRY_MODIFIER && mt->end <= rule->end &&
				(((me->sub == LT_MOD_HYPOTHETICAL || me->sub == LT_MOD_HISTORICAL) && !ignore) ||
				 (me->sub == LT_MOD_NEGATED && !forbids(an->doc.s, mt))))
				mt->dead = true;
		}
	}
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
