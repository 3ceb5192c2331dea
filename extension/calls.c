/*
 * calls.c — whether a call is asked of the GP.
 *
 * A call is a review when the GP is asked to make it: to the patient's
 * people ("please telephone her father today", "contact the family"), or
 * to the writer, asked in a question to the practice ("could a doctor
 * please ring me?").  A clinician's "call me if you have any questions"
 * and calls to teams ("contact the ward") are not.  Read for analyse.c.
 */
#include "postgres.h"

#include "core.h"

/* The source of a review read from a call to a relative, raised as a rule's is. */
const char	lt_call_source[] = "call about the patient";

/* Verbs of a call the GP may be asked to make. */
/* How many words before a call "please" may stand ("please can Dr Patel give me a ring"). */
#define LT_CALL_ASK_WORDS 5

/*
 * The longest message (bytes) in which a call asked outright needs no time
 * said: a few lines from a patient or relative, not a clinician's letter
 * that ends "please ring me on 01632 960123".
 */
#define LT_CALL_SHORT_BYTES 400

static const char *const call_verbs[] = {"contact", "call", "telephone", "phone", "ring", NULL};

/*
 * Is the verb before p, in the sentence from lo, one of a call ("call",
 * "ring", "speak to", "speak with")?  Sets *vstart to it.
 */
static bool
call_verb_before(const char *s, int p, int lo, int *vstart)
{
	int			a,
				b;

	if (!lt_word_before(s, p, &a, &b) || a < lo)
		return false;
	if (lt_word_is(s, a, b, "to") || lt_word_is(s, a, b, "with"))
	{
		if (!lt_word_before(s, a, &a, &b) || a < lo || !lt_word_is(s, a, b, "speak"))
			return false;
	}
	else if (!lt_word_among(s, a, b, call_verbs))
		return false;
	*vstart = a;
	return true;
}

/*
 * Is the relation word of mt, an other-person modifier, the one the GP is
 * asked to call ("please telephone the father today", "ring his wife back",
 * "speak to her daughter")?  The call is about the patient, so it is a
 * review asked of the GP, not another person's business.  Sets *vstart to
 * the verb.
 */
bool
lt_call_to_relative(const LtAnalysis *an, const LtMatch *mt, int *vstart)
{
	static const char *const whose[] = {"the", "her", "his", "their", "my", "our", NULL};
	const char *s = an->doc.s;
	int			lo,
				a,
				b;

	if (mt->sentence < 0)
		return false;
	lo = an->sentences[mt->sentence].start;
	return lt_word_before(s, mt->start, &a, &b) && a >= lo && lt_word_among(s, a, b, whose) &&
		call_verb_before(s, a, lo, vstart);
}

/*
 * Is the ignore-phrase of mt, a call to "the" someone ("call the", "contact
 * the"), a call to the patient's people who are no relation word ("contact
 * the family", "telephone the next of kin", "ring the foster carers")?
 * Calls to teams and services stay ignored.
 */
bool
lt_call_to_family(const LtAnalysis *an, const LtMatch *mt)
{
	static const char *const people[] = {
		"family", "next", "guardian", "guardians", "carers", "parent", "foster", NULL
	};
	const char *s = an->doc.s;
	int			a,
				b,
				v;

	return mt->end - mt->start >= 4 && lt_word_is(s, mt->end - 3, mt->end, "the") &&
		call_verb_before(s, mt->end - 3, mt->start, &v) && v == mt->start &&
		lt_word_after(s, an->doc.len, mt->end, &a, &b) && lt_word_among(s, a, b, people);
}

/* Bytes either side of a call that call_said_when() reads. */
#define LT_CALL_WINDOW 200

/* Is the word before p, from lo, a subject pronoun ("she should", "I should")? */
static bool
subject_before(const char *s, int p, int lo)
{
	static const char *const subjects[] = {"i", "we", "she", "he", "they", "it", NULL};
	int			a,
				b;

	return lt_word_before(s, p, &a, &b) && a >= lo && lt_word_among(s, a, b, subjects);
}

/* Is the word [a, b) a clock time, "4pm", "10am", "6.30pm" (the "by" or "before" it follows gives the deadline)? */
static bool
clock_word(const char *s, int a, int b)
{
	return b - a >= 3 && lt_is_digit((unsigned char) s[a]) &&
		(lt_word_is(s, b - 2, b, "am") || lt_word_is(s, b - 2, b, "pm"));
}

/*
 * Is a call at mt asked outright, "please ring me today", "PLS call us back
 * asap": a word of when near it (unless !need_when), and no condition ("if",
 * "should", "any questions", "further information": the marks of a
 * clinician's offer to be called)?  A bounded look, as this runs for each
 * call of a sentence.
 */
static bool
call_said_when(const LtAnalysis *an, const LtMatch *mt, bool need_when)
{
	static const char *const marks[] = {
		"if", "should", "questions", "query", "queries", "further", "concerns", "discuss", "unless",
		"problems", "case", "event", "needed", NULL
	};
	static const char *const when[] = {
		"today", "tonight", "asap", "now", "urgently", "immediately", "tomorrow", "morning", "afternoon",
		"evening", "lunchtime", "week", NULL
	};
	const char *s = an->doc.s;
	int			p = Max(an->sentences[mt->sentence].start, mt->start - LT_CALL_WINDOW),
				hi = Min(an->sentences[mt->sentence].end, mt->end + LT_CALL_WINDOW),
				a,
				b;
	bool		said = false;

	while (p > 0 && lt_is_word_byte((unsigned char) s[p - 1]) && p < mt->start)
		p++;					/* from a word's start */
	while (p < hi)
	{
		while (p < hi && !lt_is_word_byte((unsigned char) s[p]))
			p++;
		if (!lt_word_after(s, hi, p, &a, &b))
			break;
		/* (not "whether she should keep taking them": a subject's modal, not "should you need") */
		if (lt_word_among(s, a, b, marks) &&
			!(lt_word_is(s, a, b, "should") && subject_before(s, a, an->sentences[mt->sentence].start)))
			return false;
		said = said || lt_word_among(s, a, b, when) || clock_word(s, a, b);
		p = b;
	}
	return said || !need_when;
}

/*
 * Is a call whose phrase starts at p, in the sentence from lo, asked in so
 * many words: "please" just before it ("please ring me"), or "please" or a
 * question's opening word starting the sentence, then the one asked to call
 * ("please can you ring me", "please can Dr Patel give me a ring", "can
 * you ring me today please", written without its question mark), or a
 * hedge before them ("any chance a doctor could ring me back today")?  Someone
 * else asked to call ("please could a prescriber ring us back") is a
 * colleague's request, read by the rest of the letter.
 */
static bool
asked_outright(const char *s, int lo, int p, const char *const *please)
{
	static const char *const openers[] = {"can", "could", "would", "will", NULL};
	static const char *const asked[] = {
		"you", "someone", "somebody", "anyone", "doctor", "gp", "dr", "he", "she", NULL
	};
	/* "any chance a doctor cud ring me back today", "wondering if someone could call me" */
	static const char *const hedges[] = {"chance", "wondering", "possible", NULL};
	bool		named = false;
	int			a,
				b,
				q = p;

	for (int w = 0; w < LT_CALL_ASK_WORDS && lt_word_before(s, q, &a, &b) && a >= lo; w++)
	{
		if (lt_word_among(s, a, b, please))
			return w == 0 || named;
		if (lt_word_among(s, a, b, hedges))
			return named;
		named = named || lt_word_among(s, a, b, asked);
		q = a;
	}
	return named && lt_word_after(s, p, lo, &a, &b) && lt_word_among(s, a, b, openers);
}

/*
 * Is the ignore-phrase of mt a call asked for in a question to the practice
 * ("Could a doctor please ring me this morning?", "Can someone call me back
 * today?", "Could Dr Jones give me a ring at lunchtime?")?  A clinician's
 * "please call me if you have any questions" is no request for a review; a
 * patient's or carer's question asking someone to call them is.
 */
bool
lt_call_asked(LtAnalysis *an, const LtMatch *mt)
{
	static const char *const calls[] = {
		"call me", "phone me", "ring me", "telephone me", "give me a ring", "give me a call",
		"give us a call", "give us a ring", "call us", "ring us", "phone us", "telephone us", NULL
	};
	static const char *const please[] = {"please", "pls", "plz", NULL};
	static const char *const callers[] = {"doctor", "gp", "someone", "somebody", "anyone", NULL};
	const char *s = an->doc.s;
	int			lo,
				a,
				b,
				c,
				d;

	if (mt->sentence < 0 || !lt_word_among(s, mt->start, mt->end, calls) ||
		!lt_word_before(s, mt->start, &a, &b))
		return false;
	lo = an->sentences[mt->sentence].start;
	/*
	 * "Please ring me today", "Please can Dr Patel give me a ring this
	 * morning": asked outright, with no condition; in a short message, a
	 * patient's or relative's, with no time said ("please ring me about my
	 * son").
	 */
	if (a >= lo && asked_outright(s, lo, mt->start, please) &&
		call_said_when(an, mt, an->doc.len > LT_CALL_SHORT_BYTES))
		return true;
	if (!lt_sentence_asks(an, mt->sentence))
		return false;
	if (lt_word_is(s, a, b, "please") && !lt_word_before(s, a, &a, &b))
		return false;
	if (a < lo)
		return false;
	if (lt_word_among(s, a, b, callers))
		return true;
	/* a doctor by name: "Dr Jones" */
	return lt_is_upper((unsigned char) s[a]) && lt_word_before(s, a, &c, &d) && c >= lo &&
		(lt_word_is(s, c, d, "dr") || lt_word_is(s, c, d, "doctor"));
}

/*
 * Is the call at mt one the writer asks to have, in so many words, with a
 * time and no condition: "I need a call from the GP before 6pm today",
 * "could I have a ring back this morning", "I would like a phone call
 * today", "he is asking for a call this week"?  (Said of the writer: "a"
 * and a verb of wanting before it.)
 */
bool
lt_call_wanted(const LtAnalysis *an, const LtMatch *mt)
{
	static const char *const calls[] = {"call", "ring", "phone", "callback", NULL};
	static const char *const wants[] = {"need", "needs", "want", "like", "have", "get", "request", NULL};
	static const char *const asking[] = {
		"asking", "asks", "asked", "requesting", "requests", "requested", "wants", "hoping", NULL
	};
	const char *s = an->doc.s;
	int			lo,
				a,
				b;

	if (mt->sentence < 0)
		return false;
	lo = an->sentences[mt->sentence].start;
	if (!lt_word_among(s, mt->start, mt->end, calls) || !lt_word_before(s, mt->start, &a, &b) || a < lo)
		return false;
	if ((lt_word_is(s, a, b, "phone") || lt_word_is(s, a, b, "telephone")) && !lt_word_before(s, a, &a, &b))
		return false;			/* "a phone call" */
	if (!lt_word_is(s, a, b, "a") || !lt_word_before(s, a, &a, &b) || a < lo)
		return false;
	/* "he is asking for a telephone call from Dr Lennox this week" */
	if (lt_word_is(s, a, b, "for") && lt_word_before(s, a, &a, &b) && a >= lo &&
		lt_word_among(s, a, b, asking))
		return call_said_when(an, mt, true);
	return lt_word_among(s, a, b, wants) && call_said_when(an, mt, true);
}
