/*
 * deathword.c — whether the words of a death are said of one.
 *
 * Some death phrases are also ordinary words: "passed" ("passed urine",
 * "passed on to the team"), "we lost" ("we lost her notes"), and a death may
 * be a fetus's ("an intrauterine fetal death was confirmed"), and "my late
 * mother" is the patient's only in a notice of her death.  Read after
 * the phrase's context (analyse.c); other people's deaths are context.c's
 * and kin.c's.
 */
#include "postgres.h"

#include "core.h"

static bool passed_as_death(const char *s, int len, int start, int end);
static bool ago_follows(const char *s, int len, int end);
static bool clause_ends(const char *s, int len, int end);
static bool person_before(const char *s, int p, int lo);

/* How someone died, after "gone" or "left us": "peacefully", "in her sleep". */
static const char *const death_how[] = {"peacefully", "quietly", "suddenly", "overnight", "unexpectedly", NULL};

/* The longest aside in brackets after the one lost ("we sadly lost Mum (...) on Friday"). */
#define LT_DEATH_ASIDE 160

/* Words of when a death happened, after "passed" or "we lost Doris". */
static const char *const death_when[] = {
	"overnight", "yesterday", "today", "tonight", "peacefully", "quietly", "suddenly",
	"unexpectedly", "earlier", "last", "this", "early", NULL
};

/*
 * Is "we lost" [start, end) said of a death: someone lost, and when ("we
 * lost Doris overnight", "we lost him peacefully at 04:00", "sadly we lost
 * Mr Khan on Sunday")?  "we lost her notes", "we lost contact" are not.
 */
static bool
lost_as_death(const char *s, int len, int end)
{
	static const char *const titles[] = {"mr", "mrs", "ms", "miss", "dr", NULL};
	int			a,
				b,
				names = 0;

	if (!lt_word_after(s, len, end, &a, &b))
		return false;
	if (lt_word_is(s, a, b, "our") && lt_word_after(s, len, b, &a, &b) && !lt_kin_word(s, a, b))
		return false;
	if (lt_word_is(s, a, b, "her") || lt_word_is(s, a, b, "him") || lt_kin_word(s, a, b))
		end = b;				/* "we lost her", "we lost mum", "we lost our dad" */
	else
	{
		if (lt_word_among(s, a, b, titles) && lt_word_after(s, len, b, &a, &b))
			names++;
		while (names < 4 && b - a >= 2 && lt_is_upper((unsigned char) s[a]) &&
			   lt_is_lower((unsigned char) s[a + 1]))
		{
			end = b;
			names++;
			if (!lt_word_after(s, len, b, &a, &b))
				break;
		}
		if (end <= a && names == 0)
			return false;
	}
	/* then the end of the sentence, or when, after an aside in brackets ("Mum (Edna Farr, 14 Orchard Way)") */
	if (clause_ends(s, len, end))
		return true;
	while (end < len && s[end] == ' ')
		end++;
	if (end < len && s[end] == '(')
	{
		const char *close = memchr(s + end, ')', Min(len - end, LT_DEATH_ASIDE));

		if (close != NULL)
			end = (int) (close - s) + 1;
	}
	return lt_word_after(s, len, end, &a, &b) &&
		(lt_word_among(s, a, b, death_when) || lt_word_is(s, a, b, "on") || lt_word_is(s, a, b, "at") ||
		 lt_word_is(s, a, b, "in"));
}

/*
 * Does the death phrase [start, end) end in "passed" with an object after it
 * ("has passed urine", "had passed her driving assessment", "has passed the
 * swallow screen")?  Or is its subject a thing that passes ("the stone has
 * passed")?  Then something was passed, nobody died; "she has passed",
 * "had passed peacefully", "has passed, sadly" are deaths.
 */
static bool
passed_something(const char *s, int len, int start, int end)
{
	static const char *const objects[] = {
		"urine", "stool", "stools", "flatus", "wind", "blood", "clots", "meconium", "motion",
		"motions", "faeces", "water", "stones", "stone", "the", "a", "an", "his", "her", "their",
		"its", "this", "that", "these", "those", "all", "both", "it", "them", "him", "through",
		"without", "with", "within", "to", "into", "onto", "over", "back", "out", "fit", NULL
	};
	/* what passes without dying: "once the stone has passed", "the worst has passed" */
	static const char *const subjects[] = {
		"stone", "stones", "clot", "clots", "deadline", "date", "time", "episode", "pain", "crisis",
		"attack", "danger", "risk", "worst", "storm", "fever", "it", "this", "that", NULL
	};
	int			a,
				b;

	if (end - start < 6 || !lt_word_is(s, end - 6, end, "passed"))
		return false;
	if (lt_word_before(s, start, &a, &b) && lt_word_among(s, a, b, subjects))
		return true;
	if (end - start == 6)
		return !passed_as_death(s, len, start, end);
	if (ago_follows(s, len, end))
		return false;			/* "had passed a fortnight ago" */
	return lt_word_after(s, len, end, &a, &b) && lt_word_among(s, a, b, objects);
}

static const char *const death_where[] = {"home", "hospital", "hospice", "infirmary", NULL};
static const char *const death_days[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL
};

/*
 * Does what follows end say when or where a death happened: a word of when
 * ("overnight", "peacefully"), "at 21:30", "on 14/03", "on Tuesday", "at
 * home", "in hospital", "in her sleep"?
 */
static bool
says_when(const char *s, int len, int end)
{
	static const char *const whose[] = {"her", "his", "their", NULL};
	int			a,
				b,
				c,
				d;

	if (!lt_word_after(s, len, end, &a, &b))
		return false;
	if (lt_word_among(s, a, b, death_when))
		return true;
	if (!lt_word_after(s, len, b, &c, &d))
		return false;
	if ((lt_word_is(s, a, b, "at") || lt_word_is(s, a, b, "on")) && lt_is_digit((unsigned char) s[c]))
		return true;
	if (lt_word_is(s, a, b, "on") && lt_word_among(s, c, d, death_days))
		return true;
	/* "passed Tuesday night" */
	if (lt_word_among(s, a, b, death_days))
		return true;
	if (!lt_word_is(s, a, b, "at") && !lt_word_is(s, a, b, "in"))
		return false;
	if (lt_word_is(s, a, b, "in") && lt_word_among(s, c, d, whose) &&
		lt_word_after(s, len, d, &c, &d) && lt_word_is(s, c, d, "sleep"))
		return true;
	/* "at home", "at the hospice", "at St Columba's Hospice": a place of death within four words */
	for (int n = 0; n < 4; n++)
	{
		if (lt_word_among(s, c, d, death_where))
			return true;
		while (d < len && (s[d] == '\'' || lt_is_word_byte((unsigned char) s[d])))
			d++;				/* a possessive: "St Columba's" */
		if (!lt_word_after(s, len, d, &c, &d))
			break;
	}
	return false;
}

/*
 * Is "passed" alone [start, end) said of a death: when or where it happened
 * follows ("Mr Price passed at 21:30", "she passed overnight", "passed on
 * Tuesday", "passed at home", "passed on in her sleep"), and it is not
 * passive ("was passed to the team")?  "passed on to the GP", "passed the
 * test", "passed at the first attempt" are no deaths.
 */
static bool
passed_as_death(const char *s, int len, int start, int end)
{
	static const char *const passive[] = {
		"was", "were", "been", "being", "is", "are", "be", "get", "got", "not", NULL
	};
	int			a,
				b;

	if (lt_word_before(s, start, &a, &b) && lt_word_among(s, a, b, passive))
		return false;
	if (says_when(s, len, end) || ago_follows(s, len, end))
		return true;
	/* "mum's passed.": a person has passed, and the clause ends */
	if (lt_word_before(s, start, &a, &b) && b - a > 2 && s[b - 2] == '\'' && person_before(s, b, 0) &&
		clause_ends(s, len, end))
		return true;
	return lt_word_after(s, len, end, &a, &b) && lt_word_is(s, a, b, "on") && says_when(s, len, b);
}

/* Is "ago" among the three words after end ("a fortnight ago", "two days ago")? */
static bool
ago_follows(const char *s, int len, int end)
{
	int			a,
				b;

	for (int n = 0; n < 3 && lt_word_after(s, len, end, &a, &b); n++, end = b)
		if (lt_word_is(s, a, b, "ago"))
			return true;
	return false;
}

/* Does a clause end at end (after blanks): the text, or a full stop, comma or semicolon? */
static bool
clause_ends(const char *s, int len, int end)
{
	while (end < len && s[end] == ' ')
		end++;
	return end >= len || s[end] == '.' || s[end] == ',' || s[end] == ';' || s[end] == '\n';
}

/*
 * Is the word before p, in the sentence from lo, a person: "she", "he",
 * "the patient", a relation ("Mum's", "my brother"), or a name written with
 * a capital that is not the sentence's first word ("Albert had gone",
 * "Kevin Shaw is dead")?  "The line was dead", "the pain has gone" are not.
 */
static bool
person_before(const char *s, int p, int lo)
{
	static const char *const people[] = {"she", "he", "patient", NULL};
	static const char *const things[] = {
		"it", "that", "this", "what", "which", "there", "here", "who", "everything", "nothing",
		"something", NULL
	};
	/* roles written with a capital, who come and go: "The District Nurse has gone." */
	static const char *const roles[] = {
		"nurse", "nurses", "doctor", "doctors", "gp", "team", "carer", "carers", "paramedic", "paramedics",
		"ambulance", "service", "pharmacist", "manager", "consultant", "registrar", "officer", "police",
		"warden", "visitor", "staff", "district", "crew", NULL
	};
	int			a,
				b,
				q;

	if (!lt_word_before(s, p, &a, &b) || a < lo)
		return false;
	if (b - a > 2 && s[b - 2] == '\'' &&
		(lt_lower((unsigned char) s[b - 1]) == 's' || lt_lower((unsigned char) s[b - 1]) == 'd'))
		b -= 2;					/* "she's", "Mum's", "she'd" */
	if (lt_word_among(s, a, b, people) || lt_kin_word(s, a, b))
		return true;
	if (lt_word_among(s, a, b, things) || lt_word_among(s, a, b, roles))
		return false;
	for (q = a; q > lo && lt_is_blank((unsigned char) s[q - 1]); q--)
		;
	return q > lo && b - a >= 2 && lt_is_upper((unsigned char) s[a]) && lt_is_lower((unsigned char) s[a + 1]);
}

/*
 * Is "gone" [start, end) said of a death: a person has gone, and nothing
 * says where ("she's gone, she went about three", "he had gone in his
 * sleep", "Mum has gone peacefully")?  "she has gone home", "the pain has
 * gone", "he had gone downhill" are not.
 */
static bool
gone_as_death(const char *s, int len, int start, int end, int lo)
{
	static const char *const aux[] = {"has", "had", "is", "have", NULL};
	int			a,
				b;

	if (!lt_word_before(s, start, &a, &b) || a < lo)
		return false;
	if (lt_word_among(s, a, b, aux))
	{
		if (!person_before(s, a, lo))
			return false;
	}
	else if (!(b - a > 2 && s[b - 2] == '\'' && person_before(s, b, lo)))
		return false;			/* "she's gone", "she'd gone" */
	if (clause_ends(s, len, end))
		return true;
	if (lt_word_after(s, len, end, &a, &b) && lt_word_among(s, a, b, death_how))
		return true;
	return lt_word_after(s, len, end, &a, &b) && lt_word_is(s, a, b, "in") && says_when(s, len, end);
}

/*
 * Is the death at start a fetus's ("an intrauterine fetal death was
 * confirmed", "foetal death")?  It is the pregnancy's loss, told in a letter
 * about the mother: never the death of a registered patient.
 */
static bool
fetal_death(const char *s, int start)
{
	static const char *const fetal[] = {"fetal", "foetal", "intrauterine", "intra-uterine", NULL};
	int			a,
				b;

	return lt_word_before(s, start, &a, &b) && lt_word_among(s, a, b, fetal);
}

/*
 * Is "my late" [start, end) said of the patient: a relation word after it,
 * of whom the writer gives the practice notice ("I am writing on behalf of
 * my late mother, Mary Evans, ..."), the writer not being the patient
 * (lt_kin_notified, lt_kin_writer_is_patient)?  A bereaved patient's "my
 * late husband used to ..." is someone else's death.  lo, hi: the sentence.
 */
static bool
late_relative(LtAnalysis *an, int end, int lo, int hi)
{
	const char *s = an->doc.s;
	int			a,
				b;

	return lt_word_after(s, an->doc.len, end, &a, &b) && b <= hi && lt_kin_word(s, a, b) &&
		lt_kin_notified(s, a, b, lo, hi) && !lt_kin_writer_is_patient(an);
}

/*
 * Why the death phrase [start, end) is not said of a death, or NULL if it
 * is.  lo, hi: its sentence.
 */
/*
 * Is "left us" ending at end said of a death: how it happened follows ("she
 * left us peacefully", "he left us in his sleep")?  "when she left us on
 * 26/02" is a discharge; a date alone does not tell which.
 */
static bool
left_as_death(const char *s, int len, int end)
{
	int			a,
				b;

	if (!lt_word_after(s, len, end, &a, &b))
		return false;
	return lt_word_among(s, a, b, death_how) || (lt_word_is(s, a, b, "in") && says_when(s, len, end));
}

/*
 * Is "is dead", "was dead" [start, end) said of a person's death: a person
 * before it ("he was dead", "Kevin Shaw is dead"), and no idiom after it
 * ("her husband is dead set against the jab")?  "the line was dead" is not.
 */
static bool
dead_as_death(const char *s, int len, int start, int end, int lo)
{
	static const char *const idioms[] = {
		"set", "against", "tired", "keen", "serious", "right", "sure", "certain", "worried", "easy",
		"slow", "quiet", "bored", "nervous", "lucky", "good", "last", "drunk", "scared", "beat", "ahead",
		"centre", "center", "end", "heat", "ringer", "weight", NULL
	};
	int			a,
				b;

	if (!person_before(s, start, lo))
		return false;
	return !lt_word_after(s, len, end, &a, &b) || !lt_word_among(s, a, b, idioms);
}

/*
 * Is "died" [start, end) said of a thing ("my phone died", "the battery has
 * died"), or in a phrasal verb of what is not a person ("the wart has died
 * off", "the swelling died down"; but "she died back in March", "Albert died
 * down the road", "the resident died out of hours" are deaths)?
 */
static bool
died_not_death(const char *s, int len, int start, int end, int lo)
{
	static const char *const particles[] = {"off", "down", "out", "back", "away", NULL};
	static const char *const things[] = {
		"phone", "mobile", "battery", "batteries", "car", "laptop", "computer", "signal", "line",
		"connection", "plant", "plants", "wart", "warts", "verruca", "engine", "printer", "wifi",
		"internet", "tv", "radio", "torch", "pager", "ipad", "charger", "conversation", "aid", "aids",
		"monitor", "pump", "meter", "device", "machine", "alarm", "watch", "app", "sensor", NULL
	};
	static const char *const symptoms[] = {
		"swelling", "rash", "pain", "redness", "itch", "itching", "cough", "noise", "infection",
		"inflammation", "skin", "tissue", "lesion", "flare", "symptoms", "tremor", "ache", "aches",
		"headache", "bruising", "bruise", "discomfort", "numbness", "tingling", NULL
	};
	int			a,
				b,
				c,
				d;

	if (end - start < 4 || !lt_word_is(s, end - 4, end, "died") || !lt_word_before(s, start, &c, &d))
		return false;
	if (lt_word_among(s, c, d, things))
		return true;
	return lt_word_among(s, c, d, symptoms) && !person_before(s, start, lo) &&
		lt_word_after(s, len, end, &a, &b) && lt_word_among(s, a, b, particles);
}

/*
 * Is the "dead" at start said of a person someone found so: "found" and then
 * a relation or a name just before it ("we found Grandad dead in his chair",
 * "I found my husband dead this morning", "carers found Mr Odell dead")?
 * ("found him dead", "found dead" are rules of their own.)  lo: where the
 * sentence starts.
 */
bool
lt_found_dead(const char *s, int start, int lo)
{
	static const char *const between[] = {
		"my", "our", "his", "her", "their", "the", "poor", "mr", "mrs", "ms", "miss", NULL
	};
	int			a,
				b,
				p;

	if (!person_before(s, start, lo) || !lt_word_before(s, start, &a, &b))
		return false;
	p = a;
	for (int w = 0; w < 3 && lt_word_before(s, p, &a, &b) && a >= lo; w++)
	{
		if (lt_word_is(s, a, b, "found"))
			return true;
		if (!lt_word_among(s, a, b, between) && !lt_is_upper((unsigned char) s[a]))
			return false;
		p = a;
	}
	return false;
}

const char *
lt_death_not_said(LtAnalysis *an, int start, int end, int lo, int hi)
{
	static const char *const verify[] = {"verify", "confirm", NULL};
	static const char *const modals[] = {
		"can", "could", "may", "might", "will", "would", "able", "shall", NULL
	};
	static const char *const screening[] = {"risk", "assessment", "screen", "screening", NULL};
	const char *s = an->doc.s;
	int			len = an->doc.len;
	int			n = end - start;
	int			a,
				b;

	if (passed_something(s, len, start, end))
		return "something passed, not a death";
	if (died_not_death(s, len, start, end, lo))
		return "something died away, not a person";
	if (n >= 7 && lt_word_is(s, end - 4, end, "lost") && !lost_as_death(s, len, end))
		return "something lost, not a death";
	if (fetal_death(s, start))
		return "about another person";
	if (n == 7 && lt_word_is(s, start, start + 2, "my") && !late_relative(an, end, lo, hi))
		return "about another person";
	if (n == 4 && lt_word_is(s, start, end, "gone") && !gone_as_death(s, len, start, end, lo))
		return "gone, not a death";
	if (n == 7 && lt_word_is(s, start, start + 4, "left") && !left_as_death(s, len, end))
		return "left, not a death";
	if ((n == 7 || n == 8) && lt_word_is(s, end - 4, end, "dead") &&
		(lt_word_is(s, start, start + 2, "is") || lt_word_is(s, start, start + 3, "was")) &&
		!dead_as_death(s, len, start, end, lo))
		return "not said of a person's death";
	if (n == 9 && lt_word_is(s, start, start + 4, "been") && !dead_as_death(s, len, start, end, lo))
		return "not said of a person's death";	/* "she'd been dead a while", not "her arm has been dead" */
	/* "she's at peace now." ends its clause; "at peace with the decision", "at peace now that ..." do not */
	if (n >= 5 && lt_word_is(s, end - 5, end, "peace") && !clause_ends(s, len, end) &&
		!(lt_word_after(s, len, end, &a, &b) && lt_word_is(s, a, b, "now") && clause_ends(s, len, b)))
		return "not a death";
	/* "hasn't woken up this morning", not "has not woken up at night short of breath" */
	if (n >= 2 && lt_word_is(s, end - 2, end, "up") && pg_strncasecmp(s + start, "has", 3) == 0 &&
		!clause_ends(s, len, end) &&
		!(lt_word_after(s, len, end, &a, &b) && lt_word_among(s, a, b, death_when)))
		return "not a death";
	if (lt_word_after(s, len, start, &a, &b) && lt_word_among(s, a, b, verify) &&
		lt_word_before(s, start, &a, &b) && a >= lo &&
		lt_word_among(s, a, b, modals))
		return "a plan, not a death";	/* "the nurses can verify death when the time comes" */
	if (n == 17 && lt_word_is(s, start, start + 9, "completed") && lt_word_after(s, len, end, &a, &b) &&
		lt_word_among(s, a, b, screening))
		return "a risk assessment, not a death";
	return NULL;
}
