/*
 * analyse.c — the analysis of a text: the automaton's matches in their
 * sentences and sections (segment.c), each rule match judged in its context
 * (context.c) and the recognisers' hits (recognise.c), then the urgency of
 * each counted action (its rule's urgency raised by a time frame or urgency
 * word near it, frame_index.c).
 *
 * A rule match counts when it is affirmed (not negated, hypothetical,
 * historical, nor about another person — safeguarding excepted, as a concern
 * about a child or carer is a concern), is not advice or a request made of the
 * patient, and — for review, referral and test — is not something the sender
 * has done or will do.  Rules marked needs_request count only when asked of
 * the GP (a request modifier in scope, or in an "actions for GP" section).
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include "core.h"

static LtHit *
clear_hit(LtHit *h)
{
	memset(h, 0, sizeof(*h));
	h->entry = -1;
	h->action = -1;
	h->urgency = -1;
	h->agent = -1;
	return h;
}

static LtHit *
new_hit(LtAnalysis *an, int *cap)
{
	if (an->nhits >= *cap)
	{
		*cap *= 2;
		an->hits = repalloc(an->hits, sizeof(LtHit) * *cap);
	}
	return clear_hit(&an->hits[an->nhits++]);
}

/*
 * A threshold: "above 3.0", "greater than 300", "more than 30%", "> 5.5" at
 * [p, ...) followed by a number.  Sets *tend to the end of the number.  Not
 * after a verb that makes it a finding ("is above 3.0", "rose above 300").
 */
static bool
threshold_at(const char *s, int len, int lo, int p, int *tend)
{
	static const char *const words[] = {
		"above", "below", "over", "under", "exceeds", "exceeding", "greater than",
		"less than", "more than", "higher than", "lower than", NULL
	};
	static const char *const findings[] = {
		"is", "was", "are", "were", "be", "been", "remains", "remained", "now", "still",
		"fell", "rose", "dropped", "risen", "fallen", "increased", "decreased", "has", "had",
		"persistently", "consistently", "already", "currently", "being", NULL
	};
	int			q = p;
	int			a,
				b;

	if (s[p] == '>' || s[p] == '<')
	{
		q = p + 1;
		if (q < len && s[q] == '=')
			q++;
	}
	else
	{
		int			k;
		unsigned char c0 = lt_lower((unsigned char) s[p]);

		/* the first letters of the words: most words are none of them */
		if (c0 != 'a' && c0 != 'b' && c0 != 'o' && c0 != 'u' && c0 != 'e' && c0 != 'g' &&
			c0 != 'l' && c0 != 'm' && c0 != 'h')
			return false;
		if (p > 0 && lt_is_word_byte((unsigned char) s[p - 1]))
			return false;
		for (k = 0; words[k]; k++)
		{
			const char *w = words[k];
			int			n = 0;

			/* the first letter first: strlen and a compare for every word cost */
			if ((unsigned char) w[0] != c0)
				continue;
			while (w[n] != '\0' && p + n < len && lt_lower((unsigned char) s[p + n]) == (unsigned char) w[n])
				n++;
			if (w[n] == '\0' && (p + n == len || !lt_is_word_byte((unsigned char) s[p + n])))
			{
				q = p + n;
				break;
			}
		}
		if (!words[k])
			return false;
	}
	while (q < len && lt_is_blank((unsigned char) s[q]))
		q++;
	if (q >= len || !lt_is_digit((unsigned char) s[q]))
		return false;
	while (q < len && (lt_is_digit((unsigned char) s[q]) || s[q] == '.'))
		q++;
	*tend = q;
	if (lt_word_before(s, p, &a, &b) && a >= lo)
		for (int k = 0; findings[k]; k++)
			if (lt_word_is(s, a, b, findings[k]))
				return false;
	return true;
}

/*
 * Is the phrase [start, end) in sentence st under a threshold, so only
 * conditional: a measurement right before one ("an adjusted calcium above
 * 3.0 should be repeated"), or, for a time frame or urgency word (frame),
 * one before it in the same clause ("... above 3.0 should be discussed the
 * same day")?  "Above 3.0" is not a result: the condition of an action.
 */
static bool
under_threshold(const char *s, const LtSentence *st, int start, int end, bool frame)
{
	int			lo = Max(st->start, start - 200);
	int			words = 0;
	int			te;

	/* the measurement: at most two words, then the threshold */
	for (int p = end; p < st->end && p < end + 40; p++)
	{
		if (s[p] == ';' || s[p] == ',' || s[p] == '(' || s[p] == ')')
			break;
		if (lt_is_word_byte((unsigned char) s[p]) && !lt_is_word_byte((unsigned char) s[p - 1]))
		{
			if (threshold_at(s, st->end, st->start, p, &te))
				return true;
			if (++words > 2)
				break;
		}
		else if ((s[p] == '>' || s[p] == '<') && threshold_at(s, st->end, st->start, p, &te))
			return true;
	}
	if (!frame)
		return false;
	for (int p = start - 1; p >= lo; p--)
	{
		if (s[p] == ';')
			break;
		if ((s[p] == '>' || s[p] == '<' ||
			 (lt_is_word_byte((unsigned char) s[p]) && (p == 0 || !lt_is_word_byte((unsigned char) s[p - 1])))) &&
			threshold_at(s, st->end, st->start, p, &te) && te <= start)
			return true;
	}
	return false;
}

/* Is the rule a word for any treatment, naming no medicine ("treatment", "treat")? */
static bool
is_general_treatment(const LtEntry *e)
{
	return (e->nlen == 9 && memcmp(e->norm, "treatment", 9) == 0) ||
		(e->nlen == 5 && memcmp(e->norm, "treat", 5) == 0);
}

/* How far after "remove" the list it is removed from may be named ("remove the amlodipine from her repeat list"). */
#define LT_REMOVE_WORDS 8

/*
 * Is a list of medicines named in the words words after p, in its sentence
 * ("remove it from her repeats", "remove from the medication list")?  A
 * "remove the carer note from my record" removes no medicine.
 */
static bool
medicines_after(const char *s, int len, int p, int words)
{
	static const char *const lists[] = {
		"repeat", "repeats", "prescription", "prescriptions", "medication", "medications", "medicines",
		"drugs", "tablets", "eps", NULL
	};
	int			a,
				b;

	for (int w = 0; w < words && p < len && s[p] != '.' && s[p] != '\n'; w++)
	{
		while (p < len && lt_is_inline_blank((unsigned char) s[p]))
			p++;
		if (!lt_word_after(s, len, p, &a, &b))
			return false;	/* punctuation ends the clause */
		if (lt_word_among(s, a, b, lists))
			return true;
		p = b;
	}
	return false;
}


/* Bytes around a death that are looked at for its date (dated_years_back). */
#define LT_DEATH_DATE_WINDOW 300

/*
 * Is the death at [start, end) of sentence k dated years back: a past year
 * ("in 2019", segment.c) or "years ago" near it?  Looked at within
 * LT_DEATH_DATE_WINDOW bytes (the years found by binary search), so that an
 * endless sentence of deaths costs no more per death than a short one.
 */
static bool
dated_years_back(const LtAnalysis *an, int k, int start, int end)
{
	const LtSentence *st = &an->sentences[k];
	int			lo = Max(st->start, start - LT_DEATH_DATE_WINDOW);
	int			hi = Min(st->end, end + LT_DEATH_DATE_WINDOW);
	int			y = lt_year_from(an, lo);

	if (y < an->nyears && an->years[y * 2] < hi)
		return true;
	return lt_long_ago(an->doc.s, lo, hi);
}

/* Decide whether a rule hit counts; sets counted and why. */
static void
judge_rule(bool needs_request, LtHit *h, bool drug_named)
{
	int			a = h->action;
	bool		exempt = (a == LT_ACTION_DEATH || a == LT_ACTION_SAFEGUARDING);

	h->counted = false;
	if (h->context == LT_CTX_NEGATED)
		h->why = "negated";
	else if (h->context == LT_CTX_HYPOTHETICAL)
		h->why = "hypothetical or conditional";
	else if (h->context == LT_CTX_HISTORICAL)
		h->why = "past event";
	else if (h->context == LT_CTX_OTHER && (a != LT_ACTION_SAFEGUARDING || h->section == LT_SEC_FAMILY))
		h->why = "about another person";
	else if (((h->section == LT_SEC_PATIENT && !h->gp_named) || h->agent == LT_MOD_PATIENT) && !exempt)
		h->why = "advice or request to the patient";
	else if (h->agent == LT_MOD_COMPLETED &&
			 (a < 0 || a == LT_ACTION_REVIEW || a == LT_ACTION_REFERRAL || a == LT_ACTION_TEST))
		h->why = "done or to be done by the sender";
	else if (needs_request && h->agent != LT_MOD_REQUEST &&
			 h->section != LT_SEC_ACTIONS &&
			 !(a == LT_ACTION_MEDICATION && (h->section == LT_SEC_MEDICATION || drug_named)))
		h->why = "not asked of the GP";
	else
		h->counted = true;
}

/*
 * The section of sentence k as its hits take it: in a results report, the
 * "Advice:" of the laboratory or radiologist is advice to the clinician who
 * asked for the test ("Advice given: please review today"), not to the
 * patient; so is a specialist's answer to an Advice and Guidance request.
 */
static uint8
section_of(const LtRuleSet *rs, LtAnalysis *an, int k, bool report)
{
	static const char *const guidance[] = {"advice and guidance", "advice & guidance", NULL};
	const LtSentence *st = &an->sentences[k];

	if (st->section == LT_SEC_PATIENT && st->heading >= 0 &&
		(report || lt_said_once(&an->reads->guidance, an->doc.s, an->doc.len, guidance)) &&
		pg_strncasecmp(rs->entries[st->heading].norm, "advice", 6) == 0 &&
		strstr(rs->entries[st->heading].norm, "patient") == NULL)
		return LT_SEC_NONE;
	return st->section;
}

/*
 * A safeguarding heading ("Safeguarding: she was frightened to go home in
 * 2019; MARAC closed in 2020") says what its line is about: when the line
 * tells of the concern and none of it counts (past, negated, closed), the
 * heading raises nothing either.  Hits are in text order, so each line's
 * hits are read once.
 */
static void
headings_over_nothing(LtAnalysis *an)
{
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];
		int			eol;
		int			told = 0,
					counted = 0;

		if (!h->counted || h->action != LT_ACTION_SAFEGUARDING ||
			lt_field_label_value(an->doc.s, an->doc.len, h->start, h->end) < 0)
			continue;
		eol = h->end;
		while (eol < an->doc.len && an->doc.s[eol] != '\n' && an->doc.s[eol] != '\r')
			eol++;
		for (int j = i + 1; j < an->nhits && an->hits[j].start < eol; j++)
		{
			if (an->hits[j].action != LT_ACTION_SAFEGUARDING || an->hits[j].start < h->end)
				continue;
			told++;
			counted += an->hits[j].counted;
		}
		if (told > 0 && counted == 0)
		{
			h->counted = false;
			h->why = "a heading over what does not count";
		}
	}
}

/*
 * One request asks for the whole of an action in its sentence: in "the
 * referring clinician is advised to refer the patient on the suspected cancer
 * (2 week wait) pathway", the two-week-wait referral is the referral asked
 * for, though the parenthesis keeps the request from reaching it.
 */
static void
shared_requests(LtAnalysis *an)
{
	uint8	   *asked = palloc0(an->nsentences + 1);

	for (int i = 0; i < an->nhits; i++)
	{
		const LtHit *h = &an->hits[i];

		if (h->counted && h->action >= 0 && h->agent == LT_MOD_REQUEST)
			asked[h->sentence] |= LT_ACTION_BIT(h->action);
	}
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (!h->counted && h->action >= 0 && h->why != NULL &&
			strcmp(h->why, "not asked of the GP") == 0 &&
			(asked[h->sentence] & LT_ACTION_BIT(h->action)))
		{
			h->counted = true;
			h->why = NULL;
			h->agent = LT_MOD_REQUEST;
		}
	}
	pfree(asked);
}

/*
 * An hour written bare at [d, q) after "before", "before 12", "before 5
 * please": a clock time
 * when it is 1 to 12 and what follows ends the phrase (a mark, the end, or a
 * word of the ask), not a unit ("before 12 weeks") or a date ("by 12 June").
 * The end of what it reads, or -1.
 */
static int
bare_hour_end(const char *s, int len, int d, int q)
{
	static const char *const after[] = {
		"please", "pls", "plz", "today", "tomorrow", "if", "thanks", "thank", "noon", "midday",
		"o'clock", "oclock", "as", "because", "so", "x", NULL
	};
	int			h = 0,
				a,
				b;

	for (int p = d; p < q; p++)
		h = h * 10 + (s[p] - '0');
	if (h < 1 || h > 12 || (q < len && lt_is_word_byte((unsigned char) s[q])) ||
		!lt_word_before(s, d, &a, &b) || !lt_word_is(s, a, b, "before"))
		return -1;				/* "reduce by 5.": only "before" takes a bare hour */
	if (q == len || s[q] == '.' || s[q] == ',' || s[q] == '!' || s[q] == '?' || s[q] == '\n' ||
		s[q] == ')')
		return q;
	if (lt_word_after(s, len, q, &a, &b) && a == q + 1 && lt_word_among(s, a, b, after))
		return (lt_word_is(s, a, b, "noon") || lt_word_is(s, a, b, "midday")) ? b : q;
	return -1;
}

/*
 * The end of a clock time after "by" ending at p ("by 12:00", "by 9am", "by
 * 13.30", "before 6.30pm"), or -1 when none follows.  *afternoon says it is
 * after noon (13:00 to 23:59, 1pm to 11pm): a deadline later in the day it
 * was written, with its day unsaid, is that day's, where a morning's or
 * noon's may be the next day's.
 */
static int
clock_end(const char *s, int len, int p, bool *afternoon)
{
	int			q = p;
	int			d;
	int			h = 0;

	*afternoon = false;
	while (q < len && s[q] == ' ')
		q++;
	d = q;
	while (q < len && lt_is_digit((unsigned char) s[q]))
		h = h * 10 + (s[q++] - '0');
	if (q == d || q - d > 2)
		return -1;
	if (q + 2 < len && (s[q] == ':' || s[q] == '.') &&
		lt_is_digit((unsigned char) s[q + 1]) && lt_is_digit((unsigned char) s[q + 2]))
	{
		q += 3;
		if (q + 1 >= len || (lt_lower((unsigned char) s[q]) != 'a' && lt_lower((unsigned char) s[q]) != 'p') ||
			lt_lower((unsigned char) s[q + 1]) != 'm')
		{
			*afternoon = h >= 13 && h <= 23;
			return q;
		}
	}
	if (q + 1 < len && (lt_lower((unsigned char) s[q]) == 'a' || lt_lower((unsigned char) s[q]) == 'p') &&
		lt_lower((unsigned char) s[q + 1]) == 'm')
	{
		*afternoon = lt_lower((unsigned char) s[q]) == 'p' && h >= 1 && h <= 11;
		return q + 2;
	}
	return bare_hour_end(s, len, d, q);
}

/*
 * Does the clause end after a clock time ending at p, with no day said after
 * it ("by 5pm.", "before 18:30 please", not "by 17:00 on Tuesday", "by 5pm
 * Friday 17/01")?
 */
static bool
day_unsaid(const char *s, int len, int p)
{
	static const char *const after[] = {
		"please", "pls", "today", "if", "thanks", "thank", "as", "because", "so", "and", "or", "x", NULL
	};
	int			a,
				b;

	if (p >= len || s[p] == '.' || s[p] == ',' || s[p] == ';' || s[p] == '!' || s[p] == '?' ||
		s[p] == '\n' || s[p] == ')')
		return true;
	return lt_word_after(s, len, p, &a, &b) && a == p + 1 && lt_word_among(s, a, b, after);
}

/* dated_deadline's answer when no date follows, or the letter has none */
#define LT_NO_DATE (-2)

/*
 * The urgency of a date written at p as a deadline, from the letter's own
 * date, or else the day the patient was seen (lt_date_urgency: -1 for a day
 * before it), the deadline `earlier` days before the date (not before the
 * letter's); LT_NO_DATE when no date is written there or the letter gives
 * neither.  *end moves past the date.
 */
static int
dated_deadline_less(LtAnalysis *an, int p, int *end, int earlier)
{
	int			due;
	int			e;

	if (!an->dated_read)
	{
		an->dated = lt_letter_date(an->doc.s, an->doc.len);
		if (an->dated < 0)
			an->dated = lt_seen_date(an->doc.s, an->doc.len);
		an->dated_read = true;
	}
	if (an->dated < 0)
		return LT_NO_DATE;
	due = lt_parse_date(an->doc.s, an->doc.len, p, lt_year_of_day(an->dated), &e);
	if (due < 0)
		return LT_NO_DATE;
	*end = e;
	if (due >= an->dated)
		due = Max(due - earlier, an->dated);
	return lt_date_urgency(an->dated, due);
}

/* dated_deadline_less, for a deadline on the date itself. */
static int
dated_deadline(LtAnalysis *an, int p, int *end)
{
	return dated_deadline_less(an, p, end, 0);
}

/*
 * A supply that "runs out on 21/03/2025": the urgency of the day before that
 * date (the next prescription is due before the last dose), or -1.
 */
static int
supply_runs_out_on(LtAnalysis *an, int *end)
{
	int			a,
				b;

	if (!lt_word_after(an->doc.s, an->doc.len, *end, &a, &b) || !lt_word_is(an->doc.s, a, b, "on"))
		return -1;
	return Max(dated_deadline_less(an, b, end, 1), -1);
}

/*
 * Is the relation word of mt, written "my mum" or bare ("dad passed"), the
 * patient, by what the writer says they are to the patient
 * (lt_kin_writers_own)?  *writer caches
 * lt_kin_writer() for the letter (-2: not read yet), or by a notice of the
 * relative to the practice from a writer who is not the patient.
 */
static bool
writes_of_own(LtAnalysis *an, const LtMatch *mt, const LtSentence *st, int *writer)
{
	static const char *const owners[] = {"her", "his", "their", "your", "the", "a", NULL};
	static const char *const family_names[] = {
		"mum", "mam", "mom", "dad", "nan", "nana", "nanna", "gran", "grandad", "granddad", "grandma",
		"grandpa", NULL
	};
	const char *s = an->doc.s;
	int			a,
				b,
				called;
	bool		my,
				bare;

	my = lt_word_before(s, mt->start, &a, &b) && a >= st->start &&
		(lt_word_is(s, a, b, "my") || lt_word_is(s, a, b, "our"));
	/* a family's own name for a parent, unowned: "dad passed" */
	bare = !my && lt_word_among(s, mt->start, mt->end, family_names) &&
		!(lt_word_before(s, mt->start, &a, &b) && a >= st->start &&
		  (lt_word_among(s, a, b, owners) || (b - a > 2 && s[b - 2] == '\'')));
	if (*writer == -2 && (my || bare || (lt_word_before(s, mt->start, &a, &b) && a >= st->start &&
										 (lt_word_is(s, a, b, "her") || lt_word_is(s, a, b, "his")))))
		*writer = lt_kin_writer(s, an->doc.len);
	/* "Caller: daughter. Caller says her dad passed away" */
	if (!my && !bare)
		return *writer >= 0 && (*writer & LT_KIN_CALLER) &&
			lt_kin_writers_own(s, mt->start, mt->end, st->start, st->end, *writer);
	if (lt_kin_writers_own(s, mt->start, mt->end, st->start, st->end, *writer))
		return true;
	if (!my)
		return false;
	/*
	 * a notice of "my father" to the practice, a GP action asked for him,
	 * or news of him from the last day (not a call asked to him: "ring my
	 * dad this afternoon" stays a call), unless the writer is the patient
	 */
	return *writer < 0 &&
		(lt_kin_notified(s, mt->start, mt->end, st->start, st->end) ||
		 lt_kin_asked_for(s, mt->start, mt->end, st->start, st->end) ||
		 (lt_kin_told_lately(s, mt->start, mt->end, st->start, st->end) &&
		  !lt_call_to_relative(an, mt, &called))) &&
		!lt_kin_writer_is_patient(an);
}

/*
 * A relation word that names the patient ("Dad" as a name; a relative
 * telling of their own parent, child or spouse: see kin.c) is no other
 * person's: the match is set aside, once, before any phrase looks at its
 * modifiers, and so is the teller's.  The teller may be in the previous
 * sentence of the paragraph ("Her son rang the ward. He said that his
 * mother had died").
 */
static void
mark_kin_of_patient(const LtRuleSet *rs, LtAnalysis *an)
{
	const char *s = an->doc.s;
	int			writer = -2;	/* lt_kin_writer(), read when first needed */

	for (int m = 0; m < an->nmatches; m++)
	{
		LtMatch    *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];
		const LtSentence *st;
		int			lo;
		int			teller;

		if ((m & 1023) == 0)
			LT_CHECK_INTERRUPTS();
		if (mt->dead || e->kind != LT_ENTRY_MODIFIER || e->sub != LT_MOD_OTHER || mt->sentence < 0)
			continue;
		st = &an->sentences[mt->sentence];
		lo = (mt->sentence > 0 && an->sentences[mt->sentence - 1].para == st->para) ?
			an->sentences[mt->sentence - 1].start : st->start;
		if (lt_kin_told_of_patient(s, mt->start, mt->end, lo, st->end, &teller))
		{
			mt->dead = true;
			/*
			 * and the teller's own scope does not reach what it tells
			 * ("message from Mrs Kaur's son - his mum passed away", "Email
			 * from her son: Mum passed last night")
			 */
			for (int k = m - 1; k >= 0 && an->matches[k].start >= teller; k--)
				if (an->matches[k].start == teller &&
					rs->entries[an->matches[k].entry].kind == LT_ENTRY_MODIFIER &&
					rs->entries[an->matches[k].entry].sub == LT_MOD_OTHER)
					an->matches[k].dead = true;
		}
		else if (lt_kin_as_name(s, mt->start, mt->end, st->start) ||
				 lt_kin_named_patient(s, mt->start, mt->end, st->start, st->end) ||
				 lt_kin_is_writer(s, mt->start, mt->end, st->start, st->end))
			mt->dead = true;
		else if (writes_of_own(an, mt, st, &writer))
			mt->dead = true;
	}
}

/*
 * The context bits of a death at start, but not another person's when it is
 * said of someone named with a title ("The neighbour told our carer that Mrs
 * Lee had died": lt_kin_named_subject).
 */
/* Bytes before a death looked at for the one who died named as "your patient". */
#define LT_YOURS_WINDOW 120

static uint32
named_subject(const LtAnalysis *an, int sentence, int start, int action, uint32 bits)
{
	static const char *const yours[] = {"your patient", "a patient of yours", "one of your patients", NULL};

	if (action == LT_ACTION_DEATH && (bits & (1 << LT_CTX_OTHER)) &&
		lt_kin_named_subject(an->doc.s, start, an->sentences[sentence].start))
		bits &= ~(1 << LT_CTX_OTHER);
	/* "Her husband Ron (your patient) died", "his wife Lorraine, your patient, lost her battle" */
	if (action == LT_ACTION_DEATH && (bits & (1 << LT_CTX_OTHER)))
	{
		int			lo = Max(an->sentences[sentence].start, start - LT_YOURS_WINDOW);

		if (lt_says_any(an->doc.s + lo, start - lo, yours))
			bits &= ~(1 << LT_CTX_OTHER);
	}
	return bits;
}

/*
 * A time word, a weekday or a clock: is the match mt of entry e a time
 * frame, and of what urgency (*urg, set already to the entry's)?  *end moves
 * past what it reads with it (a clock time, a date).
 */
static bool
read_time_word(LtAnalysis *an, const LtMatch *mt, const LtEntry *e, int *end, int *urg)
{
	const char *s = an->doc.s;
	int			u;

	if (e->sub == LT_BI_CLOCK)
	{
		int			a,
					b;

		/* "by 12/06/2025", "before 21 March", "by 12:00", "no later than Friday 15/11" */
		if (lt_word_after(s, an->doc.len, *end, &a, &b) && lt_weekday_at(s, a, b))
		{
			int			e2 = b;

			if ((u = dated_deadline(an, b, &e2)) != LT_NO_DATE)
				*end = e2;
		}
		else
			u = dated_deadline(an, *end, end);
		if (u >= 0)
			*urg = u;
		else
		{
			bool		afternoon;

			if (u != LT_NO_DATE || e->aux == LT_CLOCK_DATE_ONLY ||
				(*end = clock_end(s, an->doc.len, *end, &afternoon)) < 0)
				return false;
			if (afternoon && day_unsaid(s, an->doc.len, *end))
				*urg = LT_URGENCY_IMMEDIATE;
		}
		return true;
	}
	if (e->sub == LT_BI_TIME && e->aux == LT_TIME_SUPPLY &&
		(*urg = lt_supply_urgency(s, an->sentences[mt->sentence].start, mt->start)) < 0 &&
		(*urg = supply_runs_out_on(an, end)) < 0)
		return false;
	if (e->sub == LT_BI_TIME && e->aux == LT_TIME_SUPPLY_LEFT)
	{
		/* "only 2 days left": the days are the phrase's first word */
		int			w = mt->start;

		while (w < *end && (lt_is_word_byte((unsigned char) s[w]) || s[w] == '\''))
			w++;
		if ((*urg = lt_supply_urgency(s, an->sentences[mt->sentence].start, w)) < 0)
			return false;
	}
	/* "on Monday 17/03/2025": the date says how soon */
	if (e->sub == LT_BI_WEEKDAY && (u = dated_deadline(an, *end, end)) != LT_NO_DATE)
	{
		if (u < 0)
			return false;		/* a day before the letter's: not a deadline */
		*urg = u;
	}
	return true;
}

/*
 * A counted rule hit looked at once more, for what its words alone do not
 * say: why it does not count after all, or NULL.  "treatment", "treat"
 * alone name no medicine ("decide on treatment", "attend the clinic for
 * treatment" ask for a review or say what a service does; "antihypertensive
 * treatment", "treat with doxycycline" name what changes); a death's words
 * may be said of something else (lt_death_not_said); a heading or a copy
 * list asks for nothing.
 */

static const char *
not_what_it_says(LtAnalysis *an, const LtEntry *e, const LtHit *h, int start, int end)
{
	const char *s = an->doc.s;
	int			len = an->doc.len;

	/*
	 * a referral to consider is the GP's option, not an ask (a suspected
	 * cancer referral "to consider" is asked all the same)
	 */
	if (h->action == LT_ACTION_REFERRAL && e->urgency < LT_URGENCY_URGENT &&
		lt_to_consider(s, start, an->sentences[h->sentence].start))
		return "a referral for the GP to consider";

	if (h->action == LT_ACTION_MEDICATION && is_general_treatment(e) &&
		!lt_drug_near(s, len, start, end, 6))
		return "no medicine named";
	if (h->action == LT_ACTION_MEDICATION && e->nlen == 6 && memcmp(e->norm, "remove", 6) == 0 &&
		!lt_drug_near(s, len, start, end, 6) && !medicines_after(s, len, end, LT_REMOVE_WORDS))
		return "no medicine named";
	if (h->action == LT_ACTION_DEATH)
		return lt_death_not_said(an, start, end, an->sentences[h->sentence].start,
								 an->sentences[h->sentence].end);
	if (lt_label_says_none(s, len, start, end) || lt_in_copy_list(s, start))
		return "a heading or a copy list, not a request";
	if (h->action == LT_ACTION_REVIEW && lt_number_to_call(s, len, end))
		return "a number to call, not a call to the patient";
	if (h->action == LT_ACTION_REVIEW && e->nlen > 11 && memcmp(e->norm, "advised to ", 11) == 0 &&
		lt_condition_after(s, end, an->sentences[h->sentence].end))
		return "safety-netting: a condition follows";
	if (h->action == LT_ACTION_REVIEW && e->nlen == 9 && memcmp(e->norm, "follow up", 9) == 0 &&
		lt_test_follows(s, len, end))
		return "a follow-up test, not a review";
	return NULL;
}

static void after_death(const LtRuleSet *rs, LtAnalysis *an);


/*
 * The hit of the call verb at start ("telephone" in "telephone her
 * father"), if its rule made one: the call to the relative takes its place,
 * so the call is counted once.
 */
static LtHit *
verb_hit(LtAnalysis *an, int start)
{
	for (int k = an->nhits - 1; k >= 0 && an->hits[k].start >= start; k--)
	{
		LtHit	   *h = &an->hits[k];

		if (h->start == start && h->action == LT_ACTION_REVIEW && strcmp(h->source, "rule") == 0)
			return clear_hit(h);
	}
	return NULL;
}

/* Is sentence k under a report's "Comment:" or "Recommendation:" heading? */
static bool
reporters_advice(const LtRuleSet *rs, const LtAnalysis *an, int k)
{
	const LtSentence *st = &an->sentences[k];
	const char *h;

	if (st->heading < 0)
		return false;
	h = rs->entries[st->heading].norm;
	return pg_strncasecmp(h, "comment", 7) == 0 || pg_strncasecmp(h, "recommend", 9) == 0;
}

/*
 * Decide whether the hit h of a phrase (a rule, a death, a call to a
 * relative) counts.  "please review her indapamide" is a medication review,
 * which counts when asked for ("to review his insulin" is the sender's
 * purpose).
 */
static void
judge_phrase(const LtRuleSet *rs, LtAnalysis *an, const LtEntry *e, LtHit *h, bool needs_request)
{
	const char *s = an->doc.s;
	const char *why;
	bool		drug = (h->action == LT_ACTION_REVIEW) ?
		lt_drug_follows(s, an->doc.len, h->end, 4) :
		(h->action == LT_ACTION_MEDICATION && needs_request &&
		 lt_drug_near(s, an->doc.len, h->start, h->end, 3));

	if (h->action == LT_ACTION_REVIEW && drug)
	{
		h->action = LT_ACTION_MEDICATION;
		drug = false;
	}
	/*
	 * a report's suspected-cancer referral, said by nobody under its
	 * comment or recommendation, is the reporter's advice to the requester
	 * ("Recommendation: urgent referral via the suspected lung cancer (2WW)
	 * pathway")
	 */
	if (an->report && h->action == LT_ACTION_REFERRAL && e->urgency >= LT_URGENCY_URGENT && h->agent < 0 &&
		reporters_advice(rs, an, h->sentence))
		h->agent = LT_MOD_REQUEST;
	judge_rule(needs_request, h, drug);
	if (h->counted && (why = not_what_it_says(an, e, h, h->start, h->end)) != NULL)
	{
		h->counted = false;
		h->why = why;
	}
}

/*
 * Who acts on the phrase of mt (from start), when its modifiers name nobody or the
 * patient: the GP when named as asked ("could her GP see her tomorrow"), or
 * when a question to the practice or a call wanted asks it.  May clear the
 * other-person bit of *bits (a call a relative wants is about the patient).
 */
static int
asked_agent(LtAnalysis *an, const LtMatch *mt, int start, LtHit *h, int action, const char *source,
			int agent, uint32 *bits)
{
	if ((agent < 0 || agent == LT_MOD_PATIENT || agent == LT_MOD_REQUEST) &&
		lt_gp_asked(an->doc.s, &an->sentences[mt->sentence], start))
	{
		/* also under "please": "Advice: please could her GP see her tomorrow" */
		h->gp_named = true;
		return LT_MOD_REQUEST;
	}
	/* "Could the doctor phone me in the next day or two?", "... ring my dad today?" */
	if (agent < 0 && (action < 0 || source == lt_call_source) && lt_sentence_asks(an, mt->sentence))
		return LT_MOD_REQUEST;
	/*
	 * "I need a call from the GP before 6pm today"; a relative who wants it
	 * ("his daughter would like a call back today") wants it about the
	 * patient
	 */
	if (agent < 0 && action == LT_ACTION_REVIEW && lt_call_wanted(an, mt))
	{
		*bits &= ~(1 << LT_CTX_OTHER);
		return LT_MOD_REQUEST;
	}
	return agent;
}

/* Analyse a text: matches, sentences, hits with context, urgencies. */
void
lt_analyse(const LtRuleSet *rs, const char *text, int len, bool db_encoding,
		   LtAnalysis *an)
{
	int			cap = 32;
	const char *s;
	bool		report;

	memset(an, 0, sizeof(*an));
	if (len > LT_MAX_TEXT)
	{
		len = db_encoding ? pg_mbcliplen(text, len, LT_MAX_TEXT) : LT_MAX_TEXT;
		an->clipped = true;
	}
	lt_doc_prepare(&an->doc, text, len, db_encoding);
	s = an->doc.s;
	an->nmatches = lt_automaton_scan(rs, s, an->doc.len, &an->matches, &an->stats);
	lt_segment(rs, an);
	report = an->report = lt_is_report(rs, an);
	an->has_bars = memchr(s, '|', an->doc.len) != NULL;
	an->reads = palloc0(sizeof(LtReadMemo));
	an->tables = palloc(sizeof(LtTableMemo));
	an->tables->line = an->tables->head = -1;
	mark_kin_of_patient(rs, an);
	lt_context_own_modifiers(rs, an);
	an->hits = palloc(sizeof(LtHit) * cap);

	for (int m = 0; m < an->nmatches; m++)
	{
		const LtMatch *mt = &an->matches[m];
		const LtEntry *e = &rs->entries[mt->entry];
		LtHit	   *h;
		uint32		bits;
		int			agent;
		int			start = mt->start;
		int			end = mt->end;
		int			urg = e->urgency;
		const char *source = "rule";
		int			action = -1;
		bool		needs_request = e->needs_request;

		LT_CHECK_INTERRUPTS();
		if (mt->dead)
			continue;
		if (e->kind == LT_ENTRY_BUILTIN && e->sub == LT_BI_STOP)
		{
			an->stats.nstop++;
			continue;
		}
		if (e->kind == LT_ENTRY_MODIFIER && e->sub == LT_MOD_OTHER && lt_call_to_relative(an, mt, &start))
		{
			action = LT_ACTION_REVIEW;
			urg = LT_URGENCY_ROUTINE;
			needs_request = true;
			source = lt_call_source;
		}
		else if (e->kind == LT_ENTRY_MODIFIER || e->kind == LT_ENTRY_SECTION)
			continue;
		else if (e->kind == LT_ENTRY_RULE)
		{
			action = e->sub;
			if (e->sub < 0 && e->urgency < 0)
			{
				if (lt_call_to_family(an, mt))
				{
					needs_request = true;
					urg = LT_URGENCY_ROUTINE;
				}
				else if (!lt_call_asked(an, mt))
					continue;	/* ignore-rule */
				action = LT_ACTION_REVIEW;
			}
		}
		else if (e->sub == LT_BI_UNIT)
		{
			int			fs;

			urg = lt_parse_timeframe(s, an->doc.len, start, end, e->aux, &fs, an->tables);
			if (urg < 0)
				continue;
			start = fs;
			source = "time frame";
		}
		else if (e->sub == LT_BI_TIME || e->sub == LT_BI_WEEKDAY || e->sub == LT_BI_CLOCK)
		{
			if (!read_time_word(an, mt, e, &end, &urg))
				continue;
			source = "time frame";
		}
		else if (e->sub == LT_BI_DEATH)
		{
			if (e->aux == LT_DEATH_FOUND ? !lt_found_dead(s, start, an->sentences[mt->sentence].start) :
				!lt_kin_named_death(s, start, an->sentences[mt->sentence].start))
				continue;
			action = LT_ACTION_DEATH;
			source = "named death";
		}
		else if (e->sub == LT_BI_REDFLAG)
		{
			if (!lt_red_flag_holds(an, mt->sentence, start, end, e->aux))
				continue;
			action = LT_ACTION_REVIEW;
			source = lt_red_flag_source;
		}
		else if (e->sub == LT_BI_LAB)
		{
			double		v;
			int			ve;

			if (!lt_lab_value_at(s, an->doc.len, start, end, &v, &ve) || !lt_lab_critical(e->aux, v, s, an->doc.len, ve))
				continue;
			end = ve;
			source = "lab value";
			action = LT_ACTION_TEST;
			urg = lt_lab_urgency(e->aux);
		}
		else
			continue;

		bits = named_subject(an, mt->sentence, start, action,
							 lt_context_near(rs, an, start, end, mt->sentence, m, &agent));
		/*
		 * A deadline is not someone's: "please telephone her father today"
		 * asks for a call today, whoever is called.
		 */
		if (action < 0 || e->kind == LT_ENTRY_MODIFIER || needs_request != e->needs_request)
			bits &= ~(1 << LT_CTX_OTHER);
		h = (source == lt_call_source) ? verb_hit(an, start) : NULL;
		if (h == NULL)
			h = new_hit(an, &cap);
		agent = asked_agent(an, mt, start, h, action, source, agent, &bits);
		h->start = start;
		h->end = end;
		h->entry = mt->entry;
		h->source = source;
		h->label = (e->sub == LT_BI_LAB && e->kind == LT_ENTRY_BUILTIN) ? lt_lab_name(e->aux) :
			(source == lt_call_source) ? pnstrdup(s + start, end - start) : e->text;
		h->action = action;
		h->urgency = urg;
		h->context = lt_context_pick(bits);
		if (source == lt_red_flag_source)
			h->context = lt_red_flag_context(an, mt->sentence, start, end, h->context);
		if (h->context == LT_CTX_AFFIRMED && lt_answered_no(s, an->doc.len, end))
			h->context = LT_CTX_NEGATED;
		/*
		 * a death is told of in the past tense, and is still to act on
		 * ("passed away at home last week"), unless dated years back ("in
		 * 2019", "ten years ago") or in a history section; so is a sign of
		 * a cancer that lasts ("I found a lump in my breast last week")
		 */
		if (h->context == LT_CTX_HISTORICAL &&
			(action == LT_ACTION_DEATH || (source == lt_red_flag_source && urg == LT_URGENCY_URGENT)) &&
			an->sentences[mt->sentence].section != LT_SEC_HISTORY &&
			!dated_years_back(an, mt->sentence, start, end))
			h->context = LT_CTX_AFFIRMED;
		if (h->context == LT_CTX_AFFIRMED &&
			under_threshold(s, &an->sentences[mt->sentence], start, end, action < 0))
			h->context = LT_CTX_HYPOTHETICAL;
		h->section = section_of(rs, an, mt->sentence, report);
		h->sentence = mt->sentence;
		h->agent = agent;
		if (e->kind == LT_ENTRY_RULE || e->kind == LT_ENTRY_MODIFIER || action == LT_ACTION_DEATH)
			judge_phrase(rs, an, e, h, needs_request);
		else if (h->context != LT_CTX_AFFIRMED)
			h->why = h->context == LT_CTX_NEGATED ? "negated" :
				h->context == LT_CTX_HYPOTHETICAL ? "hypothetical or conditional" :
				h->context == LT_CTX_HISTORICAL ? "past event" : "about another person";
		else if (h->section == LT_SEC_PATIENT && !h->gp_named)
			h->why = "advice to the patient";
		else if (e->kind == LT_ENTRY_BUILTIN && e->sub == LT_BI_WEEKDAY &&
				 agent == LT_MOD_COMPLETED)
			h->why = "when something was done";	/* "she was seen on Monday" */
		else
			h->counted = true;
	}

	/*
	 * Time frames and urgency words raise the urgency of the GP actions
	 * asked for (a request in scope, or an actions-for-GP section) in their
	 * sentence, or, when their sentence asks for nothing, in the one before
	 * in the same paragraph.  They do not act on what the sender has done or
	 * merely reports, nor on a death (always immediate).  Two more ways of
	 * asking: a time frame that is itself asked of the GP ("MASH have asked
	 * that the practice share today ...") raises the actions of its sentence
	 * that nobody is said to have done; and an urgency word written as a
	 * label ("Urgent: stop warfarin", a line "URGENT - SAFEGUARDING") raises
	 * those of its sentence, or of the next one in its paragraph when its own
	 * asks for nothing.
	 */
	shared_requests(an);
	headings_over_nothing(an);
	lt_red_flags_judge(an);
	lt_labs_judge(an);
	lt_raise_urgencies(rs, an);
	after_death(rs, an);
	lt_act_on_result(an, report);
}

/* Does a modifier of category cat lie inside [start, end)? */
static bool
modifier_inside(const LtRuleSet *rs, const LtAnalysis *an, int start, int end, int cat)
{
	int			lo = lt_matches_from(an->matches, 0, an->nmatches, start);

	for (int m = lo; m < an->nmatches && an->matches[m].start < end; m++)
	{
		const LtEntry *e = &rs->entries[an->matches[m].entry];

		if (an->matches[m].end <= end && e->kind == LT_ENTRY_MODIFIER && e->sub == cat)
			return true;
	}
	return false;
}

/*
 * A letter that reports the patient's death asks for no change to the
 * patient's medicines: those it says were stopped or removed ("repeat
 * prescriptions discontinued", "syringe driver removed") went with the death,
 * and the referral it asks for is the death's, to the medical examiner or the
 * coroner ("please complete the ME referral with the cause of death").  Nor
 * is a call to the family a review of the patient ("contact the family
 * when the certificate is ready", "she would appreciate a call from the
 * surgery"); a dependant left alone, named, in a letter that raises a
 * concern for them, still is.
 */
static void
after_death(const LtRuleSet *rs, LtAnalysis *an)
{
	bool		died = false;
	bool		at_risk = false;

	for (int i = 0; i < an->nhits; i++)
	{
		died |= (an->hits[i].counted && an->hits[i].action == LT_ACTION_DEATH);
		at_risk |= (an->hits[i].counted && an->hits[i].action == LT_ACTION_SAFEGUARDING);
	}
	for (int i = 0; died && i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		/*
		 * a review after the death is of someone else: the family, or a
		 * dependant left alone, who counts only as the concern the letter
		 * raises about them (safeguarding)
		 */
		if (h->counted && (h->action == LT_ACTION_MEDICATION || h->action == LT_ACTION_REFERRAL ||
						   (h->action == LT_ACTION_REVIEW &&
							(!at_risk || modifier_inside(rs, an, h->start, h->end, LT_MOD_OTHER)))))
		{
			h->counted = false;
			h->why = "the patient has died";
		}
	}
}
