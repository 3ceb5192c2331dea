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
	if (lt_word_is(s, a, b, "her") || lt_word_is(s, a, b, "him"))
		end = b;
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
	/* then the end of the sentence, or when */
	while (end < len && s[end] == ' ')
		end++;
	if (end >= len || s[end] == '.' || s[end] == ',' || s[end] == ';' || s[end] == '\n')
		return true;
	return lt_word_after(s, len, end, &a, &b) &&
		(lt_word_among(s, a, b, death_when) || lt_word_is(s, a, b, "on") || lt_word_is(s, a, b, "at") ||
		 lt_word_is(s, a, b, "in"));
}

/*
 * Does the death phrase [start, end) end in "passed" with an object after it
 * ("has passed urine", "had passed her driving assessment", "has passed the
 * swallow screen")?  Then something was passed, nobody died; "she has passed",
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
	int			a,
				b;

	if (end - start < 6 || !lt_word_is(s, end - 6, end, "passed"))
		return false;
	if (end - start == 6 && !passed_as_death(s, len, start, end))
		return true;
	return lt_word_after(s, len, end, &a, &b) && lt_word_among(s, a, b, objects);
}

/*
 * Is "passed" alone [start, end) said of a death: when or where it happened
 * follows ("Mr Price passed at 21:30", "she passed overnight", "passed on
 * Tuesday", "passed at home", "passed in hospital"), and it is not passive
 * ("was passed to the team")?  "passed on to the GP", "passed the test",
 * "passed at the first attempt" are no deaths.
 */
static bool
passed_as_death(const char *s, int len, int start, int end)
{
	static const char *const passive[] = {
		"was", "were", "been", "being", "is", "are", "be", "get", "got", "not", NULL
	};
	static const char *const where[] = {"home", "hospital", "hospice", NULL};
	static const char *const days[] = {
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL
	};
	int			a,
				b,
				c,
				d;

	if (lt_word_before(s, start, &a, &b) && lt_word_among(s, a, b, passive))
		return false;
	if (!lt_word_after(s, len, end, &a, &b))
		return false;
	if (lt_word_among(s, a, b, death_when))
		return true;
	if (!lt_word_after(s, len, b, &c, &d))
		return false;
	/* "at 21:30", "on 14/03", "on Tuesday", "at home", "in hospital" */
	if ((lt_word_is(s, a, b, "at") || lt_word_is(s, a, b, "on")) && lt_is_digit((unsigned char) s[c]))
		return true;
	if (lt_word_is(s, a, b, "on") && lt_word_among(s, c, d, days))
		return true;
	return (lt_word_is(s, a, b, "at") || lt_word_is(s, a, b, "in")) && lt_word_among(s, c, d, where);
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
const char *
lt_death_not_said(LtAnalysis *an, int start, int end, int lo, int hi)
{
	const char *s = an->doc.s;
	int			len = an->doc.len;

	if (passed_something(s, len, start, end))
		return "something passed, not a death";
	if (end - start >= 7 && lt_word_is(s, end - 4, end, "lost") && !lost_as_death(s, len, end))
		return "something lost, not a death";
	if (fetal_death(s, start))
		return "about another person";
	if (end - start == 7 && lt_word_is(s, start, start + 2, "my") && !late_relative(an, end, lo, hi))
		return "about another person";
	return NULL;
}
