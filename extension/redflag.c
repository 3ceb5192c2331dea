/*
 * redflag.c — symptoms that need a clinician the same day, told by the
 * patient, a relative or a carer who asks the practice for help.
 *
 * "My dad's face looks droopy on one side and his speech is slurred. Do I
 * need to bring him in?", "my chest is really tight and my blue inhaler isn't
 * helping, can a doctor ring me back": the ask names no time, yet a careful
 * GP acts on it the same day.  The symptom, affirmed and present (not "no
 * chest pain", not "if he becomes drowsy", not "in 2019"), is read as a
 * review of the patient asked for today, but only in a short message that
 * asks for help: a question to the practice or "please help".  A clinical
 * letter telling of the same symptom in its history ("admitted with slurred
 * speech") asks nothing of the GP by it, and its own requests say how soon.
 * The phrases are the lay and clinical wordings of the NHS's emergency
 * signs (stroke, breathing, sepsis and meningitis in children, bleeding,
 * overdose and self-harm, urinary retention); each stays explainable by
 * evidence() as a "red flag".
 */
#include "postgres.h"

#include "core.h"

const char	lt_red_flag_source[] = "red flag";

/* The longest message read as the writer's own news, asking without saying so (bytes). */
#define LT_RED_FLAG_OWN_BYTES 300

/* How far around a red flag a condition is looked for (bytes). */
#define LT_RED_FLAG_LOOK 160

/* The longest message read as one person asking for help (bytes). */
#define LT_RED_FLAG_MAX_BYTES 1600

static const char *const red_flags[] = {
	/* stroke */
	"face drooping", "face is drooping", "face has dropped", "face looks droopy", "droopy on one side",
	"drooping on one side", "slurred speech", "speech is slurred", "speech was slurred", "slurring her words",
	"slurring his words", "slurring my words", "can't lift her arm", "can't lift his arm", "cannot lift her arm",
	"cannot lift his arm", "weakness down one side", "weak down one side", "numb down one side",
	"facial droop", "droop on the left", "droop on the right", "face is droopy",
	/* a sudden severe headache */
	"worst headache of my life", "worst headache of her life", "worst headache of his life",
	"worst headache ever", "thunderclap headache", "sudden severe headache",
	/* breathing */
	"can't breathe", "cannot breathe", "can't catch her breath", "can't catch his breath",
	"can't catch my breath", "struggling to breathe", "struggling for breath", "fighting for breath",
	"lips are blue", "lips look blue", "lips have gone blue", "turning blue", "chest is really tight",
	"chest is very tight", "inhaler isn't helping", "inhaler isnt helping", "inhaler is not helping",
	"inhaler not helping", "inhaler isn't working", "inhaler isnt working",
	/* chest pain now */
	"crushing chest pain", "chest pain going down", "pain going down my arm", "pain going down his arm",
	"pain going down her arm", "pain spreading to my jaw", "pain spreading to his jaw",
	/* a child or adult with sepsis or meningitis */
	"very floppy", "is floppy", "gone floppy", "and floppy", "floppy and", "don't go when i press",
	"dont go when i press", "doesn't go when i press", "press a glass", "rash doesn't go away when", "rash doesn't fade", "rash that doesn't fade",
	"rash does not fade", "doesn't fade under a glass", "non-blanching", "stiff neck", "hard to wake",
	"won't wake up", "can't wake her", "can't wake him", "not responding", "not making sense",
	"new confusion", "suddenly confused", "having a fit", "had a fit", "fitting",
	/* bleeding */
	"vomiting blood", "being sick blood", "sick with blood", "coughing up blood", "black tarry",
	"blood in his vomit", "blood in her vomit", "blood in my vomit",
	/* overdose and self-harm */
	"taken an overdose", "took an overdose", "has overdosed", "ate some of my tablets",
	"swallowed some tablets", "swallowed some of", "taken too many tablets", "took too many tablets",
	"wants to end his life", "wants to end her life", "want to end my life", "going to kill myself",
	"going to kill himself", "going to kill herself", "feeling suicidal", "feels suicidal",
	"don't want to be here anymore", "dont want to be here anymore", "don't want to be here any more",
	"dont want to be here any more", "doesn't want to be here anymore", "doesnt want to be here anymore",
	"doesn't want to be here any more", "doesnt want to be here any more", "saving my tablets",
	"saving up my tablets", "saving his tablets", "saving her tablets", "end it all",
	"kill myself",
	/* urinary retention */
	"hasn't passed urine", "hasnt passed urine", "has not passed urine", "can't pass urine",
	"cannot pass urine", "can't pass water", "unable to pass urine",
	NULL
};

/*
 * Is a red flag at [start, end), in the sentence from lo, read as
 * hypothetical only for a hedge of doubt ("I think he might have had a
 * stroke, his face looks droopy"), not for a condition ("if his speech
 * becomes slurred, call 999")?  Doubt does not make a symptom wait.  A
 * bounded look: the words of the sentence within LT_RED_FLAG_LOOK bytes.
 */
static bool
red_flag_doubted(const char *s, int lo, int start, int end, int hi)
{
	static const char *const conditions[] = {
		"if", "should", "unless", "case", "when", "whenever", "becomes", "become", "develops", "develop",
		"worsens", "gets", "signs", "symptoms", "watch", NULL
	};
	int			p = Max(lo, start - LT_RED_FLAG_LOOK);

	while (p > lo && lt_is_word_byte((unsigned char) s[p - 1]) && p < start)
		p++;					/* from a word's start */
	return !lt_any_word_among(s, p, Min(hi, end + LT_RED_FLAG_LOOK), conditions);
}

/*
 * Does the sentence [lo, hi) date what it tells within the last day ("an
 * hour ago", "since 10 mins ago", "since last night", "came on this
 * morning")?  A red flag that began so is still going on.  A bounded look.
 */
static bool
lately(const char *s, int lo, int hi)
{
	static const char *const recent[] = {
		"minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "yesterday", "tonight",
		"morning", "afternoon", "evening", "night", "today", NULL
	};

	return lt_any_word_among(s, lo, Min(hi, lo + 4 * LT_RED_FLAG_LOOK), recent);
}

/*
 * The context of a red flag: a relative or a carer tells of the patient's
 * symptom ("my dad's face looks droopy"), perhaps in doubt ("I think he
 * might have had a stroke"), or since a time of the last day ("worst
 * headache of my life came on an hour ago"); all are the patient's, now.
 */
LtContext
lt_red_flag_context(const LtAnalysis *an, int k, int start, int end, LtContext ctx)
{
	const LtSentence *st = &an->sentences[k];

	if (ctx == LT_CTX_OTHER ||
		(ctx == LT_CTX_HYPOTHETICAL && red_flag_doubted(an->doc.s, st->start, start, end, st->end)) ||
		(ctx == LT_CTX_HISTORICAL && lately(an->doc.s, st->start, st->end)))
		return LT_CTX_AFFIRMED;
	return ctx;
}

/* Register the red flags with the built-in recognisers (recognise.c). */
void
lt_red_flag_words(LtBuiltinSink sink, void *arg)
{
	for (int i = 0; red_flags[i]; i++)
		sink(arg, red_flags[i], LT_BI_REDFLAG, LT_URGENCY_IMMEDIATE, 0);
}

/* Does the message cry for help in so many words ("please help", "what should I do")? */
static bool
cries_for_help(const char *s, int len)
{
	static const char *const cries[] = {
		"please help", "pls help", "what should i do", "what do i do", "what shall i do", "need help",
		"need advice", NULL
	};

	for (int i = 0; cries[i]; i++)
	{
		int			n = strlen(cries[i]);

		for (int p = 0; p + n <= len; p++)
			if (pg_strncasecmp(s + p, cries[i], n) == 0)
				return true;
	}
	return false;
}

/*
 * Is the message a few lines of the writer's own news ("I've been vomiting
 * blood this morning", "my 2 year old has a rash that doesn't fade")?  Sent
 * to the practice, it asks for help without saying so.  A clinician's note
 * says "I saw", not "I've been" or "my".
 */
static bool
own_news(const char *s, int len)
{
	static const char *const own[] = {"my", "i've", "ive", "i'm", "im", "i’ve", "i’m", NULL};
	int			a,
				b,
				p = 0;

	if (len > LT_RED_FLAG_OWN_BYTES)
		return false;
	while (p < len)
	{
		while (p < len && !lt_is_word_byte((unsigned char) s[p]))
			p++;
		if (!lt_word_after(s, len, p, &a, &b))
			break;
		while (b < len && (s[b] == '\'' || lt_is_word_byte((unsigned char) s[b])))
			b++;				/* "I've" as one word */
		if (lt_word_among(s, a, b, own))
			return true;
		p = b;
	}
	return false;
}

/*
 * Is the message short, does it ask the practice something (an action
 * asked, a question, a cry for help, or a few lines of the writer's own
 * news), and give no later time?  A time frame the
 * writer gives ("could a GP visit her tomorrow") is the writer's judgement
 * of the symptoms they describe; a time of the same day ("since this
 * morning") agrees with the red flag.
 */
static bool
asks_for_help(LtAnalysis *an)
{
	bool		asks = false;

	if (an->doc.len > LT_RED_FLAG_MAX_BYTES)
		return false;
	for (int i = 0; i < an->nhits; i++)
		if (an->hits[i].counted && an->hits[i].action < 0 && an->hits[i].source != NULL &&
			an->hits[i].urgency < LT_URGENCY_IMMEDIATE && strcmp(an->hits[i].source, "time frame") == 0)
			return false;
	for (int i = 0; i < an->nhits && !asks; i++)
		asks = an->hits[i].counted && an->hits[i].action >= 0 && an->hits[i].source != lt_red_flag_source;
	for (int k = 0; k < an->nsentences && !asks; k++)
		asks = lt_sentence_asks(an, k);
	return asks || memchr(an->doc.s, '?', an->doc.len) != NULL || cries_for_help(an->doc.s, an->doc.len) ||
		own_news(an->doc.s, an->doc.len);
}

/*
 * After the hits are judged: a red flag counts only in a message that asks
 * for help; elsewhere it is told, not asked.
 */
void
lt_red_flags_judge(LtAnalysis *an)
{
	int			asks = -1;

	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (!h->counted || h->source != lt_red_flag_source)
			continue;
		if (asks < 0)
			asks = asks_for_help(an) ? 1 : 0;
		if (!asks)
		{
			h->counted = false;
			h->why = "a symptom told, no help asked, or a time given";
		}
	}
}
