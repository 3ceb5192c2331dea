/*
 * classify.c — the classification pipeline and the built-in recognisers.
 *
 *   text -> lt_doc_prepare (normalise.c) -> automaton scan (match.c)
 *        -> sentences, sections, cancelled matches (context.c)
 *        -> hits: rule matches with their context and agent, time frames,
 *           critical laboratory values
 *        -> urgency of each counted action (its rule's urgency raised by a
 *           time frame or urgency word in its sentence)
 *        -> verdict: actions, urgency, needs_review, reason.
 *
 * A rule match counts when it is affirmed (not negated, hypothetical,
 * historical, nor about another person — safeguarding excepted, as a concern
 * about a child or carer is a concern), is not advice or a request made of the
 * patient, and — for review, referral and test — is not something the sender
 * has done or will do.  Rules marked needs_request count only when asked of
 * the GP (a request modifier in scope, or in an "actions for GP" section).
 *
 * Critical laboratory values (immediate + test), our thresholds, in line with
 * the telephoned-result limits of UK laboratories (Royal College of
 * Pathologists, "The communication of critical and unexpected pathology
 * results", 2017): potassium >= 6.5 or <= 2.5 mmol/L; sodium <= 120 or
 * >= 160 mmol/L; INR >= 8; glucose <= 2.5 mmol/L; adjusted calcium >= 3.5 or
 * <= 1.8 mmol/L; haemoglobin <= 60 g/L; platelets <= 20 x10^9/L; neutrophils
 * <= 0.5 x10^9/L.  A value written after a comparison sign ("if K > 6.5") is a
 * threshold, not a result.
 *
 * Time frames: today/same day/within 12 hours = immediate; tomorrow, next
 * working day, up to 48 hours or 2 days = urgent; up to 3 weeks (this week,
 * next week, in 10 days, 2/52) = soon; later = routine.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "core.h"

/* ---------------------------------------------------------------- built-ins */

static const struct
{
	const char *p;
	int			u;
}			time_phrases[] =
{
	{"today", LT_URGENCY_IMMEDIATE},
	{"same day", LT_URGENCY_IMMEDIATE},
	{"same working day", LT_URGENCY_IMMEDIATE},
	{"this afternoon", LT_URGENCY_IMMEDIATE},
	{"this morning", LT_URGENCY_IMMEDIATE},
	{"this evening", LT_URGENCY_IMMEDIATE},
	{"tonight", LT_URGENCY_IMMEDIATE},
	{"immediately", LT_URGENCY_IMMEDIATE},
	{"immediate", LT_URGENCY_IMMEDIATE},
	{"straight away", LT_URGENCY_IMMEDIATE},
	{"end of the day", LT_URGENCY_IMMEDIATE},
	{"end of today", LT_URGENCY_IMMEDIATE},
	{"tomorrow", LT_URGENCY_URGENT},
	{"next working day", LT_URGENCY_URGENT},
	{"next day", LT_URGENCY_URGENT},
	{"following day", LT_URGENCY_URGENT},
	{"couple of days", LT_URGENCY_URGENT},
	{"day or two", LT_URGENCY_URGENT},
	{"next few days", LT_URGENCY_URGENT},
	{"this week", LT_URGENCY_SOON},
	{"next week", LT_URGENCY_SOON},
	{"early next week", LT_URGENCY_SOON},
	{"within a week", LT_URGENCY_SOON},
	{"within the week", LT_URGENCY_SOON},
	{"within the next week", LT_URGENCY_SOON},
	{"in a week", LT_URGENCY_SOON},
	{"a week's time", LT_URGENCY_SOON},
	{"fortnight", LT_URGENCY_SOON},
	{"next few weeks", LT_URGENCY_SOON},
	{"coming weeks", LT_URGENCY_SOON},
	{"at your convenience", LT_URGENCY_ROUTINE},
	{"in due course", LT_URGENCY_ROUTINE},
	{"routine review", LT_URGENCY_ROUTINE},
	{"next review", LT_URGENCY_ROUTINE},
	{"annual review", LT_URGENCY_ROUTINE},
	{"when convenient", LT_URGENCY_ROUTINE},
	{"next medication review", LT_URGENCY_ROUTINE},
	{"next routine", LT_URGENCY_ROUTINE},
	{"by noon", LT_URGENCY_URGENT},
	{"before his next issue", LT_URGENCY_URGENT},
	{"before her next issue", LT_URGENCY_URGENT},
	{"before the next issue", LT_URGENCY_URGENT},
	{"before it is next issued", LT_URGENCY_URGENT},
	{"by midday", LT_URGENCY_URGENT},
	{"by 12 noon", LT_URGENCY_URGENT},
	{"before the weekend", LT_URGENCY_URGENT},
	{"by the weekend", LT_URGENCY_URGENT},
	{"by the end of the week", LT_URGENCY_SOON},
	{"by the end of next week", LT_URGENCY_SOON},
	{"end of the week", LT_URGENCY_SOON},
	{NULL, 0}
};

static const struct
{
	const char *p;
	int			hours;
}			units[] =
{
	{"hour", 1}, {"hours", 1}, {"hrs", 1}, {"hr", 1},
	{"day", 24}, {"days", 24}, {"working day", 24}, {"working days", 24},
	{"week", 168}, {"weeks", 168}, {"wk", 168}, {"wks", 168},
	{"month", 720}, {"months", 720}, {"year", 8760}, {"years", 8760},
	{"/52", 168}, {"/7", 24}, {"/12", 720},
	/* the number written into the unit: "within 48h", "in 24hrs" */
	{"6h", 6}, {"12h", 12}, {"24h", 24}, {"36h", 36}, {"48h", 48}, {"72h", 72},
	{"6hrs", 6}, {"12hrs", 12}, {"24hrs", 24}, {"36hrs", 36}, {"48hrs", 48}, {"72hrs", 72},
	{"12hr", 12}, {"24hr", 24}, {"48hr", 48}, {"72hr", 72},
	{NULL, 0}
};

static const struct
{
	const char *p;
	int			lab;
}			lab_words[] =
{
	{"potassium", LT_LAB_POTASSIUM}, {"k+", LT_LAB_POTASSIUM}, {"serum k", LT_LAB_POTASSIUM},
	{"sodium", LT_LAB_SODIUM}, {"na+", LT_LAB_SODIUM},
	{"inr", LT_LAB_INR},
	{"glucose", LT_LAB_GLUCOSE}, {"cbg", LT_LAB_GLUCOSE}, {"blood sugar", LT_LAB_GLUCOSE},
	{"calcium", LT_LAB_CALCIUM}, {"adjusted calcium", LT_LAB_CALCIUM},
	{"corrected calcium", LT_LAB_CALCIUM},
	{"haemoglobin", LT_LAB_HAEMOGLOBIN}, {"hemoglobin", LT_LAB_HAEMOGLOBIN},
	{"hb", LT_LAB_HAEMOGLOBIN},
	{"platelets", LT_LAB_PLATELETS}, {"platelet count", LT_LAB_PLATELETS},
	{"plt", LT_LAB_PLATELETS},
	{"neutrophils", LT_LAB_NEUTROPHILS}, {"neutrophil count", LT_LAB_NEUTROPHILS},
	{NULL, 0}
};

static const char *const lab_names[LT_NUM_LABS] = {
	"potassium", "sodium", "INR", "glucose", "calcium", "haemoglobin",
	"platelets", "neutrophils"
};

static const char *const stop_words[] = {
	"the", "and", "of", "to", "in", "is", "was", "for", "with", "on", "he",
	"she", "his", "her", "we", "a", "an", "be", "has", "have", "had", "at",
	"as", "this", "that", "by", "it", "not", "no", "are", "were", "please",
	"dear", "from", "will", "been", "or", "you", "your", "i", "patient",
	"him", "they", "which", "if", "but", "our", "my", "would", "should",
	NULL
};

static const char *const weekdays[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", NULL
};

/* Add the recognisers' words to a rule set being built. */
void
lt_add_builtins(LtRuleRows *rows)
{
	for (int i = 0; time_phrases[i].p; i++)
		lt_rule_rows_builtin(rows, time_phrases[i].p, LT_BI_TIME, time_phrases[i].u, 0);
	for (int i = 0; units[i].p; i++)
		lt_rule_rows_builtin(rows, units[i].p, LT_BI_UNIT, -1, units[i].hours);
	for (int i = 0; lab_words[i].p; i++)
		lt_rule_rows_builtin(rows, lab_words[i].p, LT_BI_LAB, LT_URGENCY_IMMEDIATE, lab_words[i].lab);
	/* "by 12:00", "by 9am": a deadline with a clock time */
	lt_rule_rows_builtin(rows, "by", LT_BI_CLOCK, LT_URGENCY_URGENT, 0);
	for (int i = 0; stop_words[i]; i++)
		lt_rule_rows_builtin(rows, stop_words[i], LT_BI_STOP, -1, 0);
	for (int i = 0; weekdays[i]; i++)
	{
		char		buf[32];

		snprintf(buf, sizeof(buf), "by %s", weekdays[i]);
		lt_rule_rows_builtin(rows, buf, LT_BI_WEEKDAY, LT_URGENCY_URGENT, 0);
		snprintf(buf, sizeof(buf), "before %s", weekdays[i]);
		lt_rule_rows_builtin(rows, buf, LT_BI_WEEKDAY, LT_URGENCY_URGENT, 0);
		snprintf(buf, sizeof(buf), "on %s", weekdays[i]);
		lt_rule_rows_builtin(rows, buf, LT_BI_WEEKDAY, LT_URGENCY_URGENT, 0);
	}
}

/* ------------------------------------------------------------- recognisers */

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n';
}

static inline unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Does the word [a, b) equal w (ASCII, case-insensitive)? */
static bool
word_is(const char *s, int a, int b, const char *w)
{
	int			n = b - a;

	for (int i = 0; i < n; i++)
		if (w[i] == '\0' || lower((unsigned char) s[a + i]) != (unsigned char) w[i])
			return false;
	return w[n] == '\0';
}

/* The word ending at or before p (skipping blanks): sets *a, *b; false if none. */
static bool
word_before(const char *s, int p, int *a, int *b)
{
	while (p > 0 && is_blank((unsigned char) s[p - 1]))
		p--;
	*b = p;
	while (p > 0 && (lt_is_word_byte((unsigned char) s[p - 1]) || s[p - 1] == '\''))
		p--;
	*a = p;
	return *b > *a;
}

static int
word_number(const char *s, int a, int b)
{
	static const char *const nums[] = {
		"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve", NULL
	};

	if (word_is(s, a, b, "a") || word_is(s, a, b, "an"))
		return 1;
	if (word_is(s, a, b, "few") || word_is(s, a, b, "several"))
		return 3;
	for (int i = 0; nums[i]; i++)
		if (word_is(s, a, b, nums[i]))
			return i;
	return -1;
}

/* Urgency of a deadline so many hours away. */
static int
urgency_of_hours(double h)
{
	if (h <= 12)
		return LT_URGENCY_IMMEDIATE;
	if (h <= 48)
		return LT_URGENCY_URGENT;
	if (h <= 21 * 24)
		return LT_URGENCY_SOON;
	return LT_URGENCY_ROUTINE;
}

/*
 * strtod on s[i..len): the text is not NUL-terminated (a varlena), so the
 * number is copied out first; strtod on the text itself read past its end
 * when a number ended the text (found by test/fuzz/libfuzzer classify).
 * *vend (if not NULL) is set to the offset after the number.
 */
static double
num_at(const char *s, int len, int i, int *vend)
{
	char		buf[64];
	char	   *e;
	int			n = Min(len - i, (int) sizeof(buf) - 1);
	double		v;

	if (n < 0)
		n = 0;
	memcpy(buf, s + i, n);
	buf[n] = '\0';
	v = strtod(buf, &e);
	if (vend)
		*vend = i + (int) (e - buf);
	return v;
}

/*
 * A time frame ending with the unit at [us, ue): "within 48 hours", "in 2/52",
 * "in the next 2-3 days", "in a couple of days".  Returns the urgency or -1,
 * and the frame's start in *fstart.
 */
static int
parse_timeframe(const char *s, int len, int us, int ue, int hours, int *fstart)
{
	int			a,
				b;
	int			p = us;
	double		num = -1;
	bool		slash = (s[us] == '/');
	bool		prep = false;

	/* what follows must not make it a past event: "2 weeks ago" */
	{
		int			q = ue;

		while (q < len && is_blank((unsigned char) s[q]))
			q++;
		if (q < len)
		{
			int			r = q;

			while (r < len && lt_is_word_byte((unsigned char) s[r]))
				r++;
			if (word_is(s, q, r, "ago") || word_is(s, q, r, "previously") ||
				word_is(s, q, r, "earlier") || word_is(s, q, r, "old") ||
				word_is(s, q, r, "history") || word_is(s, q, r, "before"))
				return -1;
		}
	}
	if (is_digit((unsigned char) s[us]))
	{
		/* "48h": the number is part of the unit (hours holds it all) */
		num = 1;
	}
	else if (slash)
	{
		/* "2/52": digits right before the slash */
		int			d = p;

		while (d > 0 && is_digit((unsigned char) s[d - 1]))
			d--;
		if (d == p || p - d > 2)
			return -1;
		if (d > 0 && (s[d - 1] == '/' || is_digit((unsigned char) s[d - 1])))
			return -1;			/* a date */
		if (ue < len && (s[ue] == '/' || s[ue] == '.' || is_digit((unsigned char) s[ue])) &&
			ue + 1 < len && is_digit((unsigned char) s[ue + 1]))
			return -1;			/* a date: 02/12/2024 */
		num = (int) num_at(s, len, d, NULL);
		p = d;
		prep = true;
	}
	else
	{
		if (!word_before(s, p, &a, &b))
			return -1;
		if (is_digit((unsigned char) s[a]))
		{
			/* digits, maybe "1-2" or "2 to 3": the first bound */
			num = num_at(s, len, a, NULL);
			p = a;
			while (p > 0 && is_blank((unsigned char) s[p - 1]))
				p--;
			if (p > 0 && s[p - 1] == '-')
			{
				int			q = p - 1;

				while (q > 0 && is_blank((unsigned char) s[q - 1]))
					q--;
				if (q > 0 && is_digit((unsigned char) s[q - 1]))
				{
					while (q > 0 && (is_digit((unsigned char) s[q - 1]) || s[q - 1] == '.'))
						q--;
					num = num_at(s, len, q, NULL);
					p = q;
				}
			}
			else if (word_before(s, p, &a, &b) && word_is(s, a, b, "to"))
			{
				int			c,
							d;

				if (word_before(s, a, &c, &d) && is_digit((unsigned char) s[c]))
				{
					num = num_at(s, len, c, NULL);
					p = c;
				}
			}
		}
		else
		{
			if (word_is(s, a, b, "of") && word_before(s, a, &a, &b) &&
				word_is(s, a, b, "couple"))
				num = 2;
			else
				num = word_number(s, a, b);
			if (num < 0)
				return -1;
			p = a;
			/* "a couple" / "a few" */
			if (word_before(s, p, &a, &b) && word_is(s, a, b, "a"))
				p = a;
			/* "one to two": the first bound */
			else if (word_before(s, p, &a, &b) && word_is(s, a, b, "to"))
			{
				int			c,
							d;

				if (word_before(s, a, &c, &d) && word_number(s, c, d) >= 0)
				{
					num = word_number(s, c, d);
					p = c;
				}
			}
		}
	}
	/* optional "about", "the next", "the following", then a preposition */
	for (int guard = 0; guard < 5 && word_before(s, p, &a, &b); guard++)
	{
		if (word_is(s, a, b, "least"))
		{
			/* "at least": not a preposition of its own */
			int			c,
						d;

			if (word_before(s, a, &c, &d) && word_is(s, c, d, "at"))
				a = c;
			p = a;
			continue;
		}
		if (word_is(s, a, b, "at") && guard == 0)
		{
			/* "at 10-14 days", "at 6 weeks": a point in time */
			p = a;
			prep = true;
			break;
		}
		if (word_is(s, a, b, "the") || word_is(s, a, b, "following") ||
			word_is(s, a, b, "about") || word_is(s, a, b, "around") ||
			word_is(s, a, b, "approximately") || word_is(s, a, b, "approx") ||
			word_is(s, a, b, "roughly") || word_is(s, a, b, "at") ||
			word_is(s, a, b, "coming") || word_is(s, a, b, "a") ||
			word_is(s, a, b, "period") || word_is(s, a, b, "of"))
		{
			p = a;
			continue;
		}
		if (word_is(s, a, b, "next") || word_is(s, a, b, "within") ||
			word_is(s, a, b, "in") || word_is(s, a, b, "by") ||
			word_is(s, a, b, "over") || word_is(s, a, b, "after") ||
			word_is(s, a, b, "than") || word_is(s, a, b, "inside"))
		{
			p = a;
			prep = true;
		}
		break;
	}
	if (!prep && hours >= 24)
	{
		/*
		 * "1-2 weeks after she starts", "two weeks later": counted from an
		 * event.  Not hours: "12 hours post dose" is the time of day.
		 */
		int			q = ue,
					r;

		while (q < len && is_blank((unsigned char) s[q]))
			q++;
		r = q;
		while (r < len && lt_is_word_byte((unsigned char) s[r]))
			r++;
		if (word_is(s, q, r, "after") || word_is(s, q, r, "later") ||
			word_is(s, q, r, "following"))
			prep = true;
	}
	if (!prep || num < 0 || num > 1000)
		return -1;
	*fstart = p;
	return urgency_of_hours(num * hours);
}

/*
 * A critical value after a laboratory name ending at `from`: "potassium 6.9",
 * "K+ of 6.9 mmol/L", "INR was 9.2".  Returns true and the value when a
 * number follows closely and no comparison sign precedes it.
 */
static bool
parse_lab_value(const char *s, int len, int from, double *val, int *vend)
{
	int			i = from;
	int			words = 0;

	while (i < len && i - from < 40)
	{
		unsigned char c = (unsigned char) s[i];

		if (is_digit(c))
		{
			if (i > 0 && (s[i - 1] == '-' || s[i - 1] == '/'))
				return false;
			*val = num_at(s, len, i, vend);
			if (*vend < len && s[*vend] == '/' && *vend + 1 < len && is_digit((unsigned char) s[*vend + 1]))
				return false;	/* a date or a ratio */
			{
				/* a dose, not a result: "potassium chloride 10 mEq", "docusate sodium 100 mg" */
				static const char *const doses[] = {
					"mg", "mcg", "microgram", "micrograms", "meq", "g", "gram", "grams", "ml",
					"units", "unit", "tablet", "tablets", "tab", "tabs", "capsule", "capsules",
					"sachet", "sachets", "iu", "mmol", "%", NULL
				};
				int			q = *vend;
				int			r;

				while (q < len && s[q] == ' ')
					q++;
				r = q;
				while (r < len && (lt_is_word_byte((unsigned char) s[r]) || s[r] == '%'))
					r++;
				for (int k = 0; doses[k]; k++)
					if (word_is(s, q, r, doses[k]))
					{
						/* mmol/L and g/L are results; mmol and g alone are doses */
						if (r < len && s[r] == '/')
							break;
						return false;
					}
			}
			return true;
		}
		if (c == '<' || c == '>')
			return false;
		if (c == '.' || c == ';' || c == '\n' || c == ',')
			return false;
		if (lt_is_word_byte(c))
		{
			int			a = i;

			while (i < len && (lt_is_word_byte((unsigned char) s[i]) || s[i] == '/'))
				i++;
			{
				static const char *const filler[] = {
					"of", "was", "is", "are", "were", "at", "level", "levels", "now", "has",
					"had", "been", "result", "count", "today", "serum", "plasma", "value",
					"measured", "fell", "rose", "risen", "fallen", "dropped", "to", "mmol",
					"mmol/l", "concentration", "on", "repeat", "repeated", "adjusted",
					"corrected", "random", "fasting", "k", "na", "reading", "came", "back",
					"returned", "as", "a", "an", "the", "her", "his", "with", NULL
				};
				bool		ok = false;

				for (int f = 0; filler[f]; f++)
					if (word_is(s, a, i, filler[f]))
						ok = true;
				if (!ok || ++words > 4)
					return false;
			}
			continue;
		}
		i++;
	}
	return false;
}

/* Is value v of lab a critical result? */
static bool
lab_critical(int lab, double v)
{
	switch (lab)
	{
		case LT_LAB_POTASSIUM:
			return (v >= 6.5 && v <= 9.5) || (v >= 1 && v <= 2.5);
		case LT_LAB_SODIUM:
			return (v >= 90 && v <= 120) || (v >= 160 && v < 220);
		case LT_LAB_INR:
			return v >= 8 && v < 30;
		case LT_LAB_GLUCOSE:
			return v > 0.5 && v <= 2.5;
		case LT_LAB_CALCIUM:
			return (v >= 3.5 && v < 6) || (v > 0.5 && v <= 1.8);
		case LT_LAB_HAEMOGLOBIN:
			if (v > 0 && v < 25)
				v *= 10;		/* g/dL */
			return v >= 20 && v <= 60;
		case LT_LAB_PLATELETS:
			return v >= 1 && v <= 20;
		case LT_LAB_NEUTROPHILS:
			return v >= 0 && v <= 0.5 && v > 0;
		default:
			return false;
	}
}

/* ---------------------------------------------------------------- analysis */

static LtHit *
new_hit(LtAnalysis *an, int *cap)
{
	LtHit	   *h;

	if (an->nhits >= *cap)
	{
		*cap *= 2;
		an->hits = repalloc(an->hits, sizeof(LtHit) * *cap);
	}
	h = &an->hits[an->nhits++];
	memset(h, 0, sizeof(*h));
	h->entry = -1;
	h->action = -1;
	h->urgency = -1;
	h->agent = -1;
	return h;
}

/*
 * Medicine names, for "review her indapamide" (a medication review, not a
 * review of the patient) and "stop aspirin" (a medication change even without
 * "please").  Common INN stems and frequent names; general pharmacology.
 */
static const char *const drug_stems[] = {
	"pril", "sartan", "olol", "statin", "dipine", "prazole", "cillin", "mycin", "floxacin",
	"cycline", "gliflozin", "gliptin", "glutide", "parin", "xaban", "gatran", "tidine",
	"azepam", "zolam", "oxetine", "triptyline", "pramine", "apine", "peridone", "piprazole",
	"profen", "fenac", "semide", "thiazide", "lukast", "terol", "sonide", "olone", "asone",
	"formin", "dronate", "conazole", "ciclovir", "codone", "morphine", "pentin", "gabalin",
	"sulfan", "tamide", "zosin", "dronate", "amide", NULL
};
static const char *const drug_names[] = {
	"warfarin", "aspirin", "insulin", "digoxin", "lithium", "levothyroxine", "paracetamol",
	"allopurinol", "colchicine", "methotrexate", "tamsulosin", "finasteride", "spironolactone",
	"indapamide", "clopidogrel", "ticagrelor", "gliclazide", "donepezil", "levetiracetam",
	"lamotrigine", "valproate", "carbamazepine", "phenytoin", "haloperidol", "zopiclone",
	"codeine", "tramadol", "fentanyl", "buprenorphine", "salbutamol", "inhaler", "inhalers",
	"hrt", "contraceptive", "contraception", "antibiotic", "antibiotics", "steroid", "steroids",
	"statin", "diuretic", "antidepressant", "antihypertensive", "anticoagulant",
	"anticoagulation", "medication", "medications", "medicine", "medicines", "tablets",
	"prescription", "prescriptions", "doxycycline", "amoxicillin", "nitrofurantoin",
	"trimethoprim", "prednisolone", "hydrocortisone", "labetalol", "nifedipine", "iron",
	"ferrous", "folic", "vitamin", "calcium", "mirtazapine", "sertraline", "citalopram",
	"fluoxetine", "venlafaxine", "duloxetine", "quetiapine", "olanzapine", "risperidone",
	"aripiprazole", "lorazepam", "diazepam", "oxycodone", "naproxen", "ibuprofen", "bisoprolol",
	"furosemide", "bumetanide", "ramipril", "lisinopril", "amlodipine", "atorvastatin",
	"simvastatin", "apixaban", "rivaroxaban", "edoxaban", "dabigatran", "metformin",
	"empagliflozin", "dapagliflozin", "sitagliptin", "linagliptin", "omeprazole",
	"lansoprazole", "mirabegron", "oxybutynin", "solifenacin", "azathioprine",
	"mesalazine", "hydroxychloroquine", "sulfasalazine", "denosumab", "alendronic",
	"alendronate", "ace inhibitor", "doac", "noac", "ppi", "ssri", "nsaid", "nsaids", "opioid",
	"opioids", "patch", "patches", "cream", "drops", "eye drops", NULL
};

/*
 * The medicine names by first letter and the stems by last letter, with
 * their lengths, indexed once per backend: is_drug_word runs for the words
 * around every review and medication phrase.
 */
typedef struct DrugIndex
{
	int16		first[27];		/* names starting with each letter: [first[c], first[c + 1]) */
	int16		names[256];
	int16		sfirst[27];		/* stems ending with each letter */
	int16		stems[64];
	uint8		slen[64];
	bool		ready;
} DrugIndex;

static DrugIndex drug_index;

static void
build_drug_index(void)
{
	DrugIndex  *d = &drug_index;
	int			k = 0;

	StaticAssertStmt(lengthof(drug_names) <= lengthof(d->names), "drug_names too long");
	StaticAssertStmt(lengthof(drug_stems) <= lengthof(d->stems), "drug_stems too long");
	for (int c = 0; c < 26; c++)
	{
		d->first[c] = k;
		for (int i = 0; drug_names[i]; i++)
			if (drug_names[i][0] == 'a' + c)
				d->names[k++] = i;
	}
	d->first[26] = k;
	k = 0;
	for (int c = 0; c < 26; c++)
	{
		d->sfirst[c] = k;
		for (int i = 0; drug_stems[i]; i++)
		{
			int			l = strlen(drug_stems[i]);

			if (drug_stems[i][l - 1] == 'a' + c)
			{
				d->slen[k] = l;
				d->stems[k++] = i;
			}
		}
	}
	d->sfirst[26] = k;
	d->ready = true;
}

/* Is the word [a, b) a medicine name? */
static bool
is_drug_word(const char *s, int a, int b)
{
	int			n = b - a;
	unsigned char c0,
				cl;

	if (n < 2)
		return false;
	if (!drug_index.ready)
		build_drug_index();
	c0 = lower((unsigned char) s[a]);
	if (c0 >= 'a' && c0 <= 'z')
	{
		for (int k = drug_index.first[c0 - 'a']; k < drug_index.first[c0 - 'a' + 1]; k++)
			if (word_is(s, a, b, drug_names[drug_index.names[k]]))
				return true;
	}
	cl = lower((unsigned char) s[b - 1]);
	if (n < 6 || cl < 'a' || cl > 'z')
		return false;
	for (int k = drug_index.sfirst[cl - 'a']; k < drug_index.sfirst[cl - 'a' + 1]; k++)
	{
		int			l = drug_index.slen[k];

		/* the stem and at least three letters before it */
		if (l <= n - 3 && word_is(s, b - l, b, drug_stems[drug_index.stems[k]]))
			return true;
	}
	return false;
}

/* Is a medicine named within `words` words after position p (same clause)? */
static bool
drug_follows(const char *s, int len, int p, int words)
{
	for (int w = 0; w < words && p < len; w++)
	{
		int			a;

		while (p < len && (is_blank((unsigned char) s[p]) || s[p] == '\'' || s[p] == '-'))
			p++;
		if (p >= len || !lt_is_word_byte((unsigned char) s[p]))
			return false;		/* punctuation ends the clause */
		a = p;
		while (p < len && lt_is_word_byte((unsigned char) s[p]))
			p++;
		if (is_drug_word(s, a, p))
			return true;
	}
	return false;
}

/* Is there a dose ("5 mg", "62.5 micrograms") right at p? */
static bool
dose_at(const char *s, int len, int p)
{
	static const char *const units_[] = {
		"mg", "mcg", "microgram", "micrograms", "g", "units", "ml", "mmol", "iu", NULL
	};
	int			q;

	if (p >= len || !is_digit((unsigned char) s[p]))
		return false;
	while (p < len && (is_digit((unsigned char) s[p]) || s[p] == '.'))
		p++;
	while (p < len && s[p] == ' ')
		p++;
	q = p;
	while (q < len && lt_is_word_byte((unsigned char) s[q]))
		q++;
	for (int i = 0; units_[i]; i++)
		if (word_is(s, p, q, units_[i]))
			return true;
	return false;
}

/*
 * Is a medicine named, or a dose given, near the span [a, b): up to `words`
 * words after it, or up to `words` words before it, in the same clause?
 */
static bool
drug_near(const char *s, int len, int a, int b, int words)
{
	int			p = b;

	if (drug_follows(s, len, b, words))
		return true;
	for (int w = 0; w < words + 1 && p < len; w++)
	{
		while (p < len && (is_blank((unsigned char) s[p]) || s[p] == '('))
			p++;
		if (dose_at(s, len, p))
			return true;
		if (p >= len || !lt_is_word_byte((unsigned char) s[p]))
			break;
		while (p < len && lt_is_word_byte((unsigned char) s[p]))
			p++;
	}
	p = a;
	for (int w = 0; w < words; w++)
	{
		int			wa,
					wb;

		if (!word_before(s, p, &wa, &wb))
			return false;
		for (int k = wb; k < p; k++)
			if (!is_blank((unsigned char) s[k]))
				return false;	/* punctuation ends the clause */
		if (is_drug_word(s, wa, wb))
			return true;
		p = wa;
	}
	return false;
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
		unsigned char c0 = lower((unsigned char) s[p]);

		/* the first letters of the words: most words are none of them */
		if (c0 != 'a' && c0 != 'b' && c0 != 'o' && c0 != 'u' && c0 != 'e' && c0 != 'g' &&
			c0 != 'l' && c0 != 'm' && c0 != 'h')
			return false;
		if (p > 0 && lt_is_word_byte((unsigned char) s[p - 1]))
			return false;
		for (k = 0; words[k]; k++)
		{
			int			n = strlen(words[k]);

			if (p + n <= len && pg_strncasecmp(s + p, words[k], n) == 0 &&
				(p + n == len || !lt_is_word_byte((unsigned char) s[p + n])))
			{
				q = p + n;
				break;
			}
		}
		if (!words[k])
			return false;
	}
	while (q < len && is_blank((unsigned char) s[q]))
		q++;
	if (q >= len || !is_digit((unsigned char) s[q]))
		return false;
	while (q < len && (is_digit((unsigned char) s[q]) || s[q] == '.'))
		q++;
	*tend = q;
	if (word_before(s, p, &a, &b) && a >= lo)
		for (int k = 0; findings[k]; k++)
			if (word_is(s, a, b, findings[k]))
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

/* Decide whether a rule hit counts; sets counted and why. */
static void
judge_rule(const LtEntry *e, LtHit *h, bool drug_named)
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
	else if ((h->section == LT_SEC_PATIENT || h->agent == LT_MOD_PATIENT) && !exempt)
		h->why = "advice or request to the patient";
	else if (h->agent == LT_MOD_COMPLETED &&
			 (a < 0 || a == LT_ACTION_REVIEW || a == LT_ACTION_REFERRAL || a == LT_ACTION_TEST))
		h->why = "done or to be done by the sender";
	else if (e->needs_request && h->agent != LT_MOD_REQUEST &&
			 h->section != LT_SEC_ACTIONS &&
			 !(a == LT_ACTION_MEDICATION && (h->section == LT_SEC_MEDICATION || drug_named)))
		h->why = "not asked of the GP";
	else
		h->counted = true;
}

static void raise_urgencies(const LtRuleSet *rs, LtAnalysis *an);
static void after_death(const LtRuleSet *rs, LtAnalysis *an);

/* Analyse a text: matches, sentences, hits with context, urgencies. */
void
lt_analyse(const LtRuleSet *rs, const char *text, int len, bool db_encoding,
		   LtAnalysis *an)
{
	int			cap = 32;
	const char *s;

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

		LT_CHECK_INTERRUPTS();
		if (mt->dead)
			continue;
		if (e->kind == LT_ENTRY_BUILTIN && e->sub == LT_BI_STOP)
		{
			an->stats.nstop++;
			continue;
		}
		if (e->kind == LT_ENTRY_MODIFIER || e->kind == LT_ENTRY_SECTION)
			continue;
		if (e->kind == LT_ENTRY_RULE)
		{
			if (e->sub < 0 && e->urgency < 0)
				continue;		/* ignore-rule */
			action = e->sub;
		}
		else if (e->sub == LT_BI_UNIT)
		{
			int			fs;

			urg = parse_timeframe(s, an->doc.len, start, end, e->aux, &fs);
			if (urg < 0)
				continue;
			start = fs;
			source = "time frame";
		}
		else if (e->sub == LT_BI_TIME || e->sub == LT_BI_WEEKDAY)
			source = "time frame";
		else if (e->sub == LT_BI_CLOCK)
		{
			int			q = end;
			int			d;

			while (q < an->doc.len && s[q] == ' ')
				q++;
			d = q;
			while (q < an->doc.len && is_digit((unsigned char) s[q]))
				q++;
			if (q == d || q - d > 2)
				continue;
			if (q + 2 < an->doc.len && (s[q] == ':' || s[q] == '.') &&
				is_digit((unsigned char) s[q + 1]) && is_digit((unsigned char) s[q + 2]))
				q += 3;
			else if (q + 1 < an->doc.len && (lower((unsigned char) s[q]) == 'a' ||
											 lower((unsigned char) s[q]) == 'p') &&
					 lower((unsigned char) s[q + 1]) == 'm')
				q += 2;
			else
				continue;
			end = q;
			source = "time frame";
		}
		else if (e->sub == LT_BI_LAB)
		{
			double		v;
			int			ve;

			if (!parse_lab_value(s, an->doc.len, end, &v, &ve) || !lab_critical(e->aux, v))
				continue;
			end = ve;
			source = "lab value";
			action = LT_ACTION_TEST;
			urg = LT_URGENCY_IMMEDIATE;
		}
		else
			continue;

		bits = lt_context_near(rs, an, start, end, mt->sentence, m, &agent);
		/*
		 * A deadline is not someone's: "please telephone her father today"
		 * asks for a call today, whoever is called.
		 */
		if (action < 0)
			bits &= ~(1 << LT_CTX_OTHER);
		h = new_hit(an, &cap);
		h->start = start;
		h->end = end;
		h->entry = mt->entry;
		h->source = source;
		h->label = (e->sub == LT_BI_LAB && e->kind == LT_ENTRY_BUILTIN) ? lab_names[e->aux] : e->text;
		h->action = action;
		h->urgency = urg;
		h->context = lt_context_pick(bits);
		if (h->context == LT_CTX_AFFIRMED &&
			under_threshold(s, &an->sentences[mt->sentence], start, end, action < 0))
			h->context = LT_CTX_HYPOTHETICAL;
		h->section = an->sentences[mt->sentence].section;
		h->sentence = mt->sentence;
		h->agent = agent;
		if (e->kind == LT_ENTRY_RULE)
		{
			bool		drug = (action == LT_ACTION_REVIEW) ?
				drug_follows(s, an->doc.len, end, 4) :
				(action == LT_ACTION_MEDICATION && e->needs_request &&
				 drug_near(s, an->doc.len, start, end, 3));

			/*
			 * "please review her indapamide": a medication review, which
			 * counts when asked for ("to review his insulin" is the
			 * sender's purpose)
			 */
			if (action == LT_ACTION_REVIEW && drug)
			{
				h->action = LT_ACTION_MEDICATION;
				drug = false;
			}
			judge_rule(e, h, drug);

			/*
			 * "treatment", "treat" alone name no medicine: "decide on
			 * treatment", "attend the clinic for treatment" ask for a
			 * review or say what a service does; "antihypertensive
			 * treatment", "treat with doxycycline" name what changes
			 */
			if (h->counted && h->action == LT_ACTION_MEDICATION && is_general_treatment(e) &&
				!drug_near(s, an->doc.len, start, end, 6))
			{
				h->counted = false;
				h->why = "no medicine named";
			}
		}
		else if (h->context != LT_CTX_AFFIRMED)
			h->why = h->context == LT_CTX_NEGATED ? "negated" :
				h->context == LT_CTX_HYPOTHETICAL ? "hypothetical or conditional" :
				h->context == LT_CTX_HISTORICAL ? "past event" : "about another person";
		else if (h->section == LT_SEC_PATIENT)
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
	raise_urgencies(rs, an);
	after_death(rs, an);
}

/* Does a modifier of category cat lie inside [start, end)? */
static bool
modifier_inside(const LtRuleSet *rs, const LtAnalysis *an, int start, int end, int cat)
{
	int			lo = 0,
				hi = an->nmatches;

	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (an->matches[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
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
 * prescriptions discontinued", "syringe driver removed") went with the death.
 * Nor is a call to the family a review of the patient ("contact the family
 * when the certificate is ready"); a dependant left alone, named, still is.
 */
static void
after_death(const LtRuleSet *rs, LtAnalysis *an)
{
	bool		died = false;

	for (int i = 0; i < an->nhits && !died; i++)
		died = (an->hits[i].counted && an->hits[i].action == LT_ACTION_DEATH);
	for (int i = 0; died && i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (h->counted && (h->action == LT_ACTION_MEDICATION ||
						   (h->action == LT_ACTION_REVIEW &&
							modifier_inside(rs, an, h->start, h->end, LT_MOD_OTHER))))
		{
			h->counted = false;
			h->why = "the patient has died";
		}
	}
}

/*
 * Is the match [start, end) written as a label: first on its line (after
 * blanks or a bullet), followed by ':', '-', '!' or the end of the line?
 */
static bool
is_label(const char *s, int len, int start, int end)
{
	int			p = start;
	int			q = end;

	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t' || s[p - 1] == '*' ||
					 s[p - 1] == '#' || s[p - 1] == '>'))
		p--;
	if (p > 0 && s[p - 1] != '\n' && s[p - 1] != '\r')
		return false;
	while (q < len && (s[q] == ' ' || s[q] == '\t'))
		q++;
	return q >= len || s[q] == '\n' || s[q] == '\r' || s[q] == ':' || s[q] == '-' ||
		s[q] == '!';
}

/* The urgencies of the action hits, from the time frames and urgency words (see above). */
static void
raise_urgencies(const LtRuleSet *rs, LtAnalysis *an)
{
	int			n = an->nsentences + 1;
	int		   *tf = palloc(sizeof(int) * n);	/* urgency of the sentence's time frames */
	int		   *tfreq = palloc(sizeof(int) * n);	/* of those asked of the GP */
	int		   *label = palloc(sizeof(int) * n);	/* of its urgency labels */
	bool	   *has_action = palloc0(sizeof(bool) * n);
	bool	   *used = palloc0(sizeof(bool) * n);
	LtFrameIndex fx;
	bool	   *has_other = palloc0(sizeof(bool) * n);	/* an action but safeguarding */

	for (int k = 0; k < n; k++)
		tf[k] = tfreq[k] = label[k] = -1;
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];
		int			k = h->sentence;

		if (h->counted && h->action >= 0)
			has_action[k] = true;
		if (h->counted && h->action >= 0 && h->action != LT_ACTION_SAFEGUARDING)
			has_other[k] = true;
		if (h->action >= 0 || !h->counted || h->urgency < 0)
			continue;
		if (h->entry >= 0 && rs->entries[h->entry].kind == LT_ENTRY_RULE &&
			is_label(an->doc.s, an->doc.len, h->start, h->end))
		{
			h->is_label = true;
			label[k] = Max(label[k], h->urgency);
			continue;
		}
		tf[k] = Max(tf[k], h->urgency);
		if (h->agent == LT_MOD_REQUEST)
			tfreq[k] = Max(tfreq[k], h->urgency);
	}
	lt_frames_index(an, &fx);
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];
		int			k = h->sentence;
		int			u = -1;
		int			lab = -1;	/* the label in force, and its sentence */
		int			labk = -1;
		bool		asked;

		if ((i & 4095) == 0)
			LT_CHECK_INTERRUPTS();
		if (!h->counted || h->action < 0)
			continue;
		if (h->urgency < 0)
			h->urgency = LT_URGENCY_ROUTINE;
		if (h->action == LT_ACTION_DEATH || strcmp(h->source, "rule") != 0)
			continue;
		if (h->agent < 0 || h->agent == LT_MOD_REQUEST)
		{
			if (label[k] >= 0)
				lab = label[labk = k];
			else if (k > 0 && label[k - 1] >= 0 && !has_action[k - 1] &&
					 an->sentences[k - 1].para == an->sentences[k].para)
				lab = label[labk = k - 1];
		}
		/* a label asks as "please" does */
		asked = (h->agent == LT_MOD_REQUEST || h->section == LT_SEC_ACTIONS || lab >= 0);
		if (asked && tf[k] >= 0)
		{
			u = lt_frames_nearest(an, &fx, h);
			used[k] = true;
		}
		else if (asked && k + 1 < an->nsentences && tf[k + 1] >= 0 && !has_action[k + 1] &&
				 an->sentences[k + 1].para == an->sentences[k].para)
		{
			u = tf[k + 1];
			used[k + 1] = true;
		}
		else if (h->agent < 0 && tfreq[k] >= 0)
		{
			u = tfreq[k];
			used[k] = true;
		}
		if (lab >= 0)
		{
			u = Max(u, lab);
			used[labk] = true;
		}
		if (u > h->urgency)
			h->urgency = u;
	}

	/*
	 * In a safeguarding letter, a deadline asked of the practice for a task
	 * the rules do not name ("share any information you hold by 13:00
	 * today", "send a chronology by tomorrow") is a safeguarding task: it
	 * raises the letter's safeguarding concern, also when its sentence names
	 * the concern but no other action ("the MASH have asked for information
	 * from the GP by 12:00 tomorrow").
	 */
	{
		LtHit	   *sg = NULL;

		for (int i = 0; i < an->nhits && sg == NULL; i++)
			if (an->hits[i].counted && an->hits[i].action == LT_ACTION_SAFEGUARDING)
				sg = &an->hits[i];
		for (int k = 0; sg != NULL && k < an->nsentences; k++)
		{
			if (tfreq[k] < 0 || used[k] || has_other[k])
				continue;
			if (tfreq[k] > sg->urgency)
				sg->urgency = tfreq[k];
			used[k] = true;
		}
	}
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (h->action < 0 && h->counted && !used[h->sentence])
		{
			h->counted = false;
			h->why = "no GP action in its sentence";
		}
	}
}

/* --------------------------------------------------------------- verdict */

/* UTF-8 bytes [a, b) of the original as a string in the database encoding. */
static char *
to_server(const char *utf8, int n)
{
	int			enc = GetDatabaseEncoding();
	char	   *r;

	if (enc == PG_UTF8 || enc == PG_SQL_ASCII)
		return pnstrdup(utf8, n);
	r = pg_any_to_server(utf8, n, PG_UTF8);
	if (r == utf8)
		r = pnstrdup(utf8, n);
	return r;
}

/* The original text of a hit, in the database encoding, at most max bytes. */
char *
lt_hit_text(const LtAnalysis *an, const LtHit *h, int max)
{
	int			a = lt_doc_orig_byte(&an->doc, h->start);
	int			b = lt_doc_orig_byte(&an->doc, h->end);

	if (b - a > max)
	{
		b = a + max;
		while (b > a && (((unsigned char) an->doc.orig[b]) & 0xC0) == 0x80)
			b--;
	}
	return to_server(an->doc.orig + a, b - a);
}

/* Why a human must read this letter, or NULL. */
static const char *
review_reason(const LtAnalysis *an)
{
	const char *s = an->doc.s;
	int			len = an->doc.len;
	const LtTextStats *st = &an->stats;
	int			nbad = an->doc.nbad + st->nbad;
	int			p;

	if (st->nwords == 0)
		return "empty letter";
	if (an->clipped)
		return "letter too long: only its first 8 MB were read";
	if (nbad * 20 > an->doc.nchars || nbad >= 50)
		return "garbled text (invalid or control characters)";
	if (st->nnonblank >= 20 && st->nalpha * 2 < st->nnonblank)
		return "garbled text (mostly symbols or digits)";
	if (st->longest > 200 && st->nnonblank > 0 && st->longest * 3 > st->nnonblank)
		return "garbled text (no word breaks)";
	if (st->nwords >= 12 && st->nstop * 100 < st->nwords * 8)
	{
		/*
		 * Few common English words: but numbers (dates, doses, results) are
		 * in no language, and a terse discharge summary is full of them.
		 * Counted here only, where the letter is in doubt.
		 */
		int			nnum = 0;
		int			words;

		for (int i = 0; i < len;)
		{
			int			a = i;
			bool		digits = true;

			if (!lt_is_word_byte((unsigned char) s[i]))
			{
				i++;
				continue;
			}
			while (i < len && lt_is_word_byte((unsigned char) s[i]))
			{
				if (!is_digit((unsigned char) s[i]))
					digits = false;
				i++;
			}
			if (digits && i > a)
				nnum++;
		}
		words = st->nwords - nnum;
		if (words >= 12 && st->nstop * 100 < words * 8)
			return "not English, or not prose";
	}
	if (st->nwords < 3)
		return "too short to classify";
	/* truncated: ends inside a sentence */
	p = len;
	while (p > 0 && is_blank((unsigned char) s[p - 1]))
		p--;
	if (p > 0)
	{
		unsigned char c = (unsigned char) s[p - 1];
		int			a = p;

		/* trailing commas stand for lost line breaks in some exports */
		while (p > 0 && (s[p - 1] == ',' || is_blank((unsigned char) s[p - 1])))
			p--;
		if (p == 0)
			return "garbled text (mostly symbols or digits)";
		c = (unsigned char) s[p - 1];
		if (c == '-' || c == '(' || c == '/' || c == '&' || c == ':')
			return "truncated letter";
		while (a > 0 && lt_is_word_byte((unsigned char) s[a - 1]))
			a--;
		if (a < p)
		{
			static const char *const tails[] = {
				"the", "and", "to", "of", "a", "an", "with", "for", "in", "on", "at",
				"or", "is", "was", "are", "be", "her", "his", "their", "that",
				"please", "by", "from", "but", "as", "we", "which", "who", NULL
			};

			for (int i = 0; tails[i]; i++)
				if (word_is(s, a, p, tails[i]))
					return "truncated letter";
		}
	}
	return NULL;
}

static bool kind_is_death(const char *kind);

/* Reduce an analysis to a verdict. */
void
lt_verdict(const LtRuleSet *rs, const LtAnalysis *an, const char *kind,
		   const char *subject, LtTriageResult *out)
{
	uint32		actions = 0;
	int			urg = LT_URGENCY_ROUTINE;
	const char *rev;
	StringInfoData r;
	int			first[LT_NUM_ACTIONS];

	(void) rs;
	(void) subject;
	for (int a = 0; a < LT_NUM_ACTIONS; a++)
		first[a] = -1;
	for (int i = 0; i < an->nhits; i++)
	{
		const LtHit *h = &an->hits[i];

		if (!h->counted || h->action < 0)
			continue;
		actions |= LT_ACTION_BIT(h->action);
		if (h->urgency > urg)
			urg = h->urgency;
		if (first[(int) h->action] < 0 ||
			h->urgency > an->hits[first[(int) h->action]].urgency)
			first[(int) h->action] = i;
	}
	if (kind_is_death(kind))
	{
		/* "Kind: death" in a letter's header: a death notification */
		actions |= LT_ACTION_BIT(LT_ACTION_DEATH);
		urg = LT_URGENCY_IMMEDIATE;
	}
	rev = review_reason(an);
	out->needs_review = (rev != NULL);
	if (rev != NULL && urg < LT_URGENCY_URGENT)
		urg = LT_URGENCY_URGENT;
	out->urgency = urg;
	out->actions = actions;

	initStringInfo(&r);
	appendStringInfoString(&r, lt_urgency_name(urg));
	if (rev)
		appendStringInfo(&r, ": needs review (%s)", rev);
	if (actions == 0)
		appendStringInfoString(&r, rev ? "; no GP action found" : ": information only, no GP action found");
	else
	{
		bool		firstone = true;

		appendStringInfoString(&r, rev ? "; " : ": ");
		for (int a = 0; a < LT_NUM_ACTIONS; a++)
		{
			char	   *t;

			if (first[a] < 0 && a == LT_ACTION_DEATH && (actions & LT_ACTION_BIT(a)))
			{
				appendStringInfo(&r, "%sdeath (Kind: %s) (immediate)", firstone ? "" : "; ", kind);
				firstone = false;
				continue;
			}
			if (first[a] < 0)
				continue;
			t = lt_hit_text(an, &an->hits[first[a]], 60);
			appendStringInfo(&r, "%s%s \"%s\" (%s)", firstone ? "" : "; ",
							 lt_action_name(a), t,
							 lt_urgency_name(an->hits[first[a]].urgency));
			firstone = false;
		}
	}
	out->reason = r.data;
}

/* ------------------------------------------------------------ entry points */

static MemoryContext triage_cxt = NULL;

/*
 * Classify one letter (see triage.h).  The header values of a letter, when
 * given, are read as two lines before the body.
 */
void
lt_triage_text(const LtRuleSet *rs, const char *body, int len, const char *kind,
			   const char *subject, LtTriageResult *out)
{
	LtAnalysis	an;
	MemoryContext old;
	const char *text = body;
	int			tlen = len;
	int			prefix;
	LtTriageResult res;

	/*
	 * The analysis lives in a context of its own, kept for the session and
	 * emptied after each letter (and before, should the last one have been
	 * interrupted by an error): cheaper than a context per letter.
	 */
	if (triage_cxt == NULL)
		triage_cxt = AllocSetContextCreate(TopMemoryContext, "letters_triage classify",
										   ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(triage_cxt);
	old = MemoryContextSwitchTo(triage_cxt);
	if (kind != NULL || subject != NULL)
		text = lt_header_text(kind, subject, body, len, &tlen, &prefix);
	lt_analyse(rs, text, tlen, true, &an);
	lt_verdict(rs, &an, kind, subject, &res);
	MemoryContextSwitchTo(old);
	*out = res;
	out->reason = pstrdup(res.reason);
	MemoryContextReset(triage_cxt);
}

/* The text classified for a letter (see triage.h). */
char *
lt_header_text(const char *kind, const char *subject, const char *body, int len,
			   int *outlen, int *prefix_chars)
{
	StringInfoData b;

	initStringInfo(&b);
	if (kind)
		appendStringInfo(&b, "Kind: %s\n", kind);
	if (subject)
		appendStringInfo(&b, "Subject: %s\n", subject);
	appendStringInfoChar(&b, '\n');
	*prefix_chars = pg_mbstrlen_with_len(b.data, b.len);
	appendBinaryStringInfo(&b, body, len);
	*outlen = b.len;
	return b.data;
}

/* Does the Kind header say the letter is a death notification? */
static bool
kind_is_death(const char *kind)
{
	int			n;

	if (kind == NULL)
		return false;
	n = strlen(kind);
	for (int i = 0; i + 5 <= n; i++)
	{
		if (pg_strncasecmp(kind + i, "death", 5) == 0 &&
			(i == 0 || !lt_is_word_byte((unsigned char) kind[i - 1])) &&
			(i + 5 == n || !lt_is_word_byte((unsigned char) kind[i + 5])))
			return true;
	}
	return false;
}

/*
 * Find phrase p (normalised, plen bytes) in s, case- and blank-insensitive,
 * at word boundaries where p begins or ends with a word byte; its start, or
 * -1, and its end in *mend.  Knuth-Morris-Pratt over the text read as the
 * pattern is normalised (ASCII lower case, each run of blanks, '-' and '_'
 * one space): linear in the text and the phrase, however alike they are.
 */
static int
find_phrase(const char *s, int len, const char *p, int plen, int *mend)
{
	int		   *fail = palloc(sizeof(int) * plen);
	int		   *starts = palloc(sizeof(int) * plen);	/* where the last plen characters began */
	int			q = 0;
	int64		nread = 0;

	fail[0] = 0;
	for (int i = 1, k = 0; i < plen; i++)
	{
		while (k > 0 && p[i] != p[k])
			k = fail[k - 1];
		if (p[i] == p[k])
			k++;
		fail[i] = k;
	}
	for (int i = 0; i < len;)
	{
		int			at = i;
		unsigned char c = (unsigned char) s[i];

		if ((nread & (LT_INTERRUPT_STRIDE - 1)) == 0)
			LT_CHECK_INTERRUPTS();
		if (is_blank(c) || c == '-' || c == '_')
		{
			while (i < len && (is_blank((unsigned char) s[i]) || s[i] == '-' || s[i] == '_'))
				i++;
			c = ' ';
		}
		else
		{
			c = lower(c);
			i++;
		}
		starts[nread % plen] = at;
		nread++;
		while (q > 0 && (unsigned char) p[q] != c)
			q = fail[q - 1];
		if ((unsigned char) p[q] == c)
			q++;
		if (q == plen)
		{
			int			st = starts[(nread - plen) % plen];

			q = fail[q - 1];
			if (st > 0 && lt_is_word_byte((unsigned char) s[st - 1]) && lt_is_word_byte((unsigned char) p[0]))
				continue;
			if (i < len && lt_is_word_byte((unsigned char) s[i]) &&
				lt_is_word_byte((unsigned char) p[plen - 1]))
				continue;
			*mend = i;
			return st;
		}
	}
	return -1;
}

/*
 * The analysis of text with its hits as evidence() reports them: the rule
 * matched, the span in characters, the context and section, whether it
 * counted and why not.
 */
int
lt_evidence_text(const LtRuleSet *rs, const char *text, int len, LtEvidence **out)
{
	LtAnalysis	an;
	LtEvidence *ev;

	lt_analyse(rs, text, len, true, &an);
	ev = palloc0(sizeof(LtEvidence) * Max(an.nhits, 1));
	for (int i = 0; i < an.nhits; i++)
	{
		const LtHit *h = &an.hits[i];
		const LtEntry *e = h->entry >= 0 ? &rs->entries[h->entry] : NULL;
		int			sec = an.sentences[h->sentence].heading;
		LtEvidence *v = &ev[i];

		v->is_rule = (e && e->kind == LT_ENTRY_RULE);
		v->rule = v->is_rule ? e->id : 0;
		v->pattern = h->label ? h->label : "";
		v->source = h->source;
		v->action = h->action;
		v->urgency = h->urgency;
		v->char_offset = lt_doc_char_offset(&an.doc, h->start);
		v->char_end = lt_doc_char_offset(&an.doc, h->end);
		v->matched = lt_hit_text(&an, h, 1000);
		v->context = lt_context_name(h->context);
		v->section = sec >= 0 ? rs->entries[sec].text : NULL;
		v->counted = h->counted;
		v->why = h->why;
	}
	*out = ev;
	return an.nhits;
}

/* The context of concept in text, as assertion() reports it; NULL if absent. */
char *
lt_assertion_text(const LtRuleSet *rs, const char *text, int len, const char *concept, int clen)
{
	LtAnalysis	an;
	char	   *cz = pnstrdup(concept, clen);
	int			plen;
	char	   *p = lt_normalise_pattern(cz, &plen);
	int			start,
				end;
	int			k = 0;
	int			agent;
	uint32		bits;

	if (plen == 0)
		return NULL;
	memset(&an, 0, sizeof(an));
	if (len > LT_MAX_TEXT)
		len = pg_mbcliplen(text, len, LT_MAX_TEXT);
	lt_doc_prepare(&an.doc, text, len, true);
	start = find_phrase(an.doc.s, an.doc.len, p, plen, &end);
	if (start < 0)
		return NULL;
	an.nmatches = lt_automaton_scan(rs, an.doc.s, an.doc.len, &an.matches, &an.stats);
	lt_segment(rs, &an);
	while (k + 1 < an.nsentences && an.sentences[k + 1].start <= start)
		k++;
	bits = lt_context_of(rs, &an, start, end, k, &agent);
	return pstrdup(lt_context_name(lt_context_pick(bits)));
}
