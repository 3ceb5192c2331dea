/*
 * recognise.c — the built-in recognisers: the words every rule set holds
 * besides the rule tables' (time phrases, units, laboratory names, common
 * English words, weekdays), and what reads the text around them: time
 * frames ("within 48 hours", "in 2/52"), critical laboratory values and
 * medicine names.
 *
 * Critical laboratory values (immediate + test), our thresholds, in line with
 * the telephoned-result limits of UK laboratories (Royal College of
 * Pathologists, "The communication of critical and unexpected pathology
 * results", 2017): potassium >= 6.5 or <= 2.5 mmol/L; sodium <= 120 or
 * >= 160 mmol/L; INR >= 8; glucose <= 2.5 mmol/L; adjusted calcium >= 3.5 or
 * <= 1.8 mmol/L; haemoglobin <= 60 g/L; platelets <= 20 x10^9/L; neutrophils
 * <= 0.5 x10^9/L; lithium >= 1.5 mmol/L; and, acted on within a day or two
 * (urgent), an ECG's QTc >= 500 ms.  A value written after a comparison sign ("if K > 6.5") is a
 * threshold, not a result.
 *
 * Time frames: today/same day/within 12 hours = immediate; tomorrow, next
 * working day, up to 48 hours or 2 days = urgent; up to 3 weeks (this week,
 * next week, in 10 days, 2/52) = soon; later = routine.
 */
#include "postgres.h"

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
	{"at lunchtime", LT_URGENCY_IMMEDIATE},
	{"this lunchtime", LT_URGENCY_IMMEDIATE},
	{"tonight", LT_URGENCY_IMMEDIATE},
	{"immediately", LT_URGENCY_IMMEDIATE},
	{"immediate", LT_URGENCY_IMMEDIATE},
	{"straight away", LT_URGENCY_IMMEDIATE},
	{"end of the day", LT_URGENCY_IMMEDIATE},
	{"close of play today", LT_URGENCY_IMMEDIATE},
	{"end of play today", LT_URGENCY_IMMEDIATE},
	{"end of day today", LT_URGENCY_IMMEDIATE},
	/* sent to hospital now */
	{"ed now", LT_URGENCY_IMMEDIATE},
	{"a&e now", LT_URGENCY_IMMEDIATE},
	{"to hospital now", LT_URGENCY_IMMEDIATE},
	/* a change asked of the practice from today on ("please ensure that from today ..."), not begun by the sender */
	{"ensure that from today", LT_URGENCY_IMMEDIATE},
	{"ensure from today", LT_URGENCY_IMMEDIATE},
	{"end of today", LT_URGENCY_IMMEDIATE},
	/* a time of day with its day unsaid, as a clock time is ("by close of play tomorrow") */
	{"end of day", LT_URGENCY_URGENT},
	{"close of play", LT_URGENCY_URGENT},
	{"end of play", LT_URGENCY_URGENT},
	{"within the hour", LT_URGENCY_IMMEDIATE},
	/* as typed in haste, or read by a scan */
	{"this am", LT_URGENCY_IMMEDIATE},
	{"this pm", LT_URGENCY_IMMEDIATE},
	{"tomoz", LT_URGENCY_URGENT},
	{"eod", LT_URGENCY_URGENT},
	{"2day", LT_URGENCY_IMMEDIATE},
	{"tdy", LT_URGENCY_IMMEDIATE},
	{"t0day", LT_URGENCY_IMMEDIATE},
	{"tommorow", LT_URGENCY_URGENT},
	{"tomorow", LT_URGENCY_URGENT},
	{"tommorrow", LT_URGENCY_URGENT},
	{"tmrw", LT_URGENCY_URGENT},
	{"2moro", LT_URGENCY_URGENT},
	{"2morrow", LT_URGENCY_URGENT},
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
	{"before noon", LT_URGENCY_URGENT},
	{"before midday", LT_URGENCY_URGENT},
	{"before the weekend", LT_URGENCY_URGENT},
	{"before the bank holiday", LT_URGENCY_URGENT},
	{"before the long weekend", LT_URGENCY_URGENT},
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
	{"1h", 1}, {"2h", 2}, {"4h", 4}, {"1hr", 1}, {"2hr", 2}, {"4hr", 4}, {"1hrs", 1}, {"2hrs", 2}, {"4hrs", 4},
	{NULL, 0}
};

static const struct
{
	const char *p;
	int			lab;
}			lab_words[] =
{
	{"potassium", LT_LAB_POTASSIUM}, {"k+", LT_LAB_POTASSIUM}, {"serum k", LT_LAB_POTASSIUM},
	{"sodium", LT_LAB_SODIUM}, {"na+", LT_LAB_SODIUM}, {"na", LT_LAB_SODIUM},
	{"inr", LT_LAB_INR},
	{"k", LT_LAB_POTASSIUM},
	{"glucose", LT_LAB_GLUCOSE}, {"cbg", LT_LAB_GLUCOSE}, {"blood sugar", LT_LAB_GLUCOSE},
	{"sugar", LT_LAB_GLUCOSE}, {"sugars", LT_LAB_GLUCOSE},
	{"calcium", LT_LAB_CALCIUM}, {"adjusted calcium", LT_LAB_CALCIUM},
	{"corrected calcium", LT_LAB_CALCIUM},
	{"haemoglobin", LT_LAB_HAEMOGLOBIN}, {"hemoglobin", LT_LAB_HAEMOGLOBIN},
	{"hb", LT_LAB_HAEMOGLOBIN}, {"hgb", LT_LAB_HAEMOGLOBIN},
	{"platelets", LT_LAB_PLATELETS}, {"platelet count", LT_LAB_PLATELETS},
	{"plt", LT_LAB_PLATELETS}, {"plts", LT_LAB_PLATELETS},
	{"neutrophils", LT_LAB_NEUTROPHILS}, {"neutrophil count", LT_LAB_NEUTROPHILS},
	{"neutrophil", LT_LAB_NEUTROPHILS}, {"neut", LT_LAB_NEUTROPHILS}, {"neuts", LT_LAB_NEUTROPHILS},
	{"lithium", LT_LAB_LITHIUM}, {"lithium level", LT_LAB_LITHIUM}, {"serum lithium", LT_LAB_LITHIUM},
	{"qtc", LT_LAB_QTC}, {"corrected qt", LT_LAB_QTC}, {"qt corrected", LT_LAB_QTC},
	{NULL, 0}
};

static const char *const lab_names[LT_NUM_LABS] = {
	"potassium", "sodium", "INR", "glucose", "calcium", "haemoglobin",
	"platelets", "neutrophils", "lithium", "QTc"
};

/* The name of a laboratory analyte, as evidence() reports it. */
const char *
lt_lab_name(LtLab lab)
{
	return lab_names[lab];
}

/*
 * How soon a critical value of lab is acted on: the same day, but for a QTc
 * of 500 ms or more, whose medicines are reviewed within a day or two (the
 * ECG is repeated, the drugs that prolong it stopped).
 */
int
lt_lab_urgency(int lab)
{
	return lab == LT_LAB_QTC ? LT_URGENCY_URGENT : LT_URGENCY_IMMEDIATE;
}

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

/* Is [a, b) a weekday's name ("Friday", "Fri")? */
bool
lt_weekday_at(const char *s, int a, int b)
{
	return lt_word_among(s, a, b, weekdays);
}

/*
 * Hand the recognisers' words to sink, one by one (ruleset.c adds them to
 * every rule set it builds; this file knows nothing of rule sets).
 */
void
lt_builtin_words(LtBuiltinSink sink, void *arg)
{
	for (int i = 0; time_phrases[i].p; i++)
		sink(arg, time_phrases[i].p, LT_BI_TIME, time_phrases[i].u, 0);
	for (int i = 0; units[i].p; i++)
		sink(arg, units[i].p, LT_BI_UNIT, -1, units[i].hours);
	for (int i = 0; lab_words[i].p; i++)
		sink(arg, lab_words[i].p, LT_BI_LAB, LT_URGENCY_IMMEDIATE, lab_words[i].lab);
	/* "before the 3-day supply runs out": the urgency from the supply */
	sink(arg, "runs out", LT_BI_TIME, LT_URGENCY_SOON, LT_TIME_SUPPLY);
	sink(arg, "run out", LT_BI_TIME, LT_URGENCY_SOON, LT_TIME_SUPPLY);
	sink(arg, "days left", LT_BI_TIME, LT_URGENCY_SOON, LT_TIME_SUPPLY_LEFT);
	sink(arg, "day left", LT_BI_TIME, LT_URGENCY_SOON, LT_TIME_SUPPLY_LEFT);
	sink(arg, "days' supply left", LT_BI_TIME, LT_URGENCY_SOON, LT_TIME_SUPPLY_LEFT);
	sink(arg, "days of tablets left", LT_BI_TIME, LT_URGENCY_SOON, LT_TIME_SUPPLY_LEFT);
	sink(arg, "a week left", LT_BI_TIME, LT_URGENCY_SOON, 0);
	sink(arg, "a week's supply left", LT_BI_TIME, LT_URGENCY_SOON, 0);
	/* "by 12:00", "by 9am": a deadline with a clock time */
	sink(arg, "by", LT_BI_CLOCK, LT_URGENCY_URGENT, 0);
	/* "before 21/03/2025", "before 4pm", "no later than 12 June": a deadline with a date or a clock time (analyse.c) */
	sink(arg, "before", LT_BI_CLOCK, LT_URGENCY_URGENT, 0);
	/* "before we close at 6.30pm": the hour a service closes */
	sink(arg, "close at", LT_BI_CLOCK, LT_URGENCY_URGENT, 0);
	sink(arg, "closes at", LT_BI_CLOCK, LT_URGENCY_URGENT, 0);
	sink(arg, "than", LT_BI_CLOCK, LT_URGENCY_URGENT, LT_CLOCK_DATE_ONLY);
	/* "please prescribe the remaining enoxaparin, to start on 14/03/2025" */
	sink(arg, "start on", LT_BI_CLOCK, LT_URGENCY_URGENT, LT_CLOCK_DATE_ONLY);
	sink(arg, "starting on", LT_BI_CLOCK, LT_URGENCY_URGENT, LT_CLOCK_DATE_ONLY);
	/* "please arrange a home visit on 11/03/2025": a date after "on" */
	sink(arg, "on", LT_BI_CLOCK, LT_URGENCY_URGENT, LT_CLOCK_DATE_ONLY);
	/* "on or around Monday 14/10/2024", "prescribe it from Monday 21/10/2024": a date the ask is for */
	sink(arg, "around", LT_BI_CLOCK, LT_URGENCY_URGENT, LT_CLOCK_DATE_ONLY);
	sink(arg, "about", LT_BI_CLOCK, LT_URGENCY_URGENT, LT_CLOCK_DATE_ONLY);
	sink(arg, "from", LT_BI_CLOCK, LT_URGENCY_URGENT, LT_CLOCK_DATE_ONLY);
	/* "following notification of Mr Vaughan's death": see lt_kin_named_death */
	sink(arg, "death", LT_BI_DEATH, LT_URGENCY_IMMEDIATE, 0);
	/* "we found Grandad dead in his chair": see lt_found_dead */
	sink(arg, "dead", LT_BI_DEATH, LT_URGENCY_IMMEDIATE, LT_DEATH_FOUND);
	lt_red_flag_words(sink, arg);
	for (int i = 0; stop_words[i]; i++)
		sink(arg, stop_words[i], LT_BI_STOP, -1, 0);
	for (int i = 0; weekdays[i]; i++)
	{
		char		buf[32];

		snprintf(buf, sizeof(buf), "by %s", weekdays[i]);
		sink(arg, buf, LT_BI_WEEKDAY, LT_URGENCY_URGENT, 0);
		snprintf(buf, sizeof(buf), "before %s", weekdays[i]);
		sink(arg, buf, LT_BI_WEEKDAY, LT_URGENCY_URGENT, 0);
		snprintf(buf, sizeof(buf), "on %s", weekdays[i]);
		sink(arg, buf, LT_BI_WEEKDAY, LT_URGENCY_URGENT, 0);
	}
}

/* ------------------------------------------------------------- recognisers */


static int
word_number(const char *s, int a, int b)
{
	static const char *const nums[] = {
		"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve", NULL
	};

	if (lt_word_is(s, a, b, "a") || lt_word_is(s, a, b, "an"))
		return 1;
	if (lt_word_is(s, a, b, "few") || lt_word_is(s, a, b, "several"))
		return 3;
	for (int i = 0; nums[i]; i++)
		if (lt_word_is(s, a, b, nums[i]))
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
 * number is copied out first: strtod on the text itself would read past its
 * end when a number ends the text.
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
 * The urgency of a supply of medicine running out, the phrase starting at
 * `start` in a sentence starting at lo: from the days of the supply written
 * within the eight words before ("before the 3-day supply runs out", "her 7
 * days' supply"), the next prescription due the day before its last dose;
 * "has run out" is now.  -1 when neither: "before her inhaler runs out" says
 * not when.
 */
int
lt_supply_urgency(const char *s, int lo, int start)
{
	int			a,
				b;
	int			p = start;

	if (lt_word_before(s, p, &a, &b) && a >= lo &&
		(lt_word_is(s, a, b, "has") || lt_word_is(s, a, b, "have")))
		return LT_URGENCY_IMMEDIATE;
	for (int words = 0; words < 8 && p > lo && lt_word_before(s, p, &a, &b) && a >= lo; words++)
	{
		int			n = -1;
		int			c,
					d;

		p = a;
		if (!(lt_word_is(s, a, b, "day") || lt_word_is(s, a, b, "days") ||
			  lt_word_is(s, a, b, "day's") || lt_word_is(s, a, b, "days'")))
			continue;
		if (a > 1 && s[a - 1] == '-' && lt_is_digit((unsigned char) s[a - 2]))
			a--;				/* "3-day" */
		if (!lt_word_before(s, a, &c, &d) || c < lo)
			return -1;
		if (lt_is_digit((unsigned char) s[c]))
			n = (int) Min(num_at(s, d, c, NULL), 1000);
		else
			n = word_number(s, c, d);
		if (n < 1)
			return -1;
		return urgency_of_hours((n - 1) * 24.0);
	}
	return -1;
}

/*
 * Is [p, e) a table cell or a form field of its own, in a column that says
 * when ("| Repeat U&E | 1 week |" under "| Action | By when |"), or after a
 * label that does ("Timescale: 2 weeks")?  A table's timescale column says
 * when without a preposition; a duration column ("| Amoxicillin | 5 days
 * |") does not.
 */
static bool
in_own_cell(const char *s, int len, int p, int e, LtTableMemo *tm)
{
	static const char *const labels[] = {
		"timescale", "timeframe", "when", "within", "due", "deadline", NULL
	};
	int			q = p;
	int			a,
				b;

	while (q > 0 && s[q - 1] == ' ')
		q--;
	while (e < len && s[e] == ' ')
		e++;
	if (e < len && s[e] != '|' && s[e] != '\n' && s[e] != '\r')
		return false;
	if (q > 0 && s[q - 1] == '|')
		return lt_table_when_column(s, len, q, tm);
	return q > 1 && s[q - 1] == ':' && lt_word_before(s, q - 1, &a, &b) && b == q - 1 &&
		lt_word_among(s, a, b, labels);
}

/*
 * A time frame ending with the unit at [us, ue): "within 48 hours", "in 2/52",
 * "in the next 2-3 days", "in a couple of days".  Returns the urgency or -1,
 * and the frame's start in *fstart.
 */
int
lt_parse_timeframe(const char *s, int len, int us, int ue, int hours, int *fstart,
				   LtTableMemo *tm)
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

		while (q < len && lt_is_blank((unsigned char) s[q]))
			q++;
		if (q < len)
		{
			int			r = q;

			while (r < len && lt_is_word_byte((unsigned char) s[r]))
				r++;
			if (lt_word_is(s, q, r, "ago") || lt_word_is(s, q, r, "previously") ||
				lt_word_is(s, q, r, "earlier") || lt_word_is(s, q, r, "old") ||
				lt_word_is(s, q, r, "history") || lt_word_is(s, q, r, "before"))
				return -1;
		}
	}
	if (lt_is_digit((unsigned char) s[us]))
	{
		/* "48h": the number is part of the unit (hours holds it all) */
		num = 1;
	}
	else if (slash)
	{
		/* "2/52": digits right before the slash */
		int			d = p;

		while (d > 0 && lt_is_digit((unsigned char) s[d - 1]))
			d--;
		if (d == p || p - d > 2)
			return -1;
		if (d > 0 && (s[d - 1] == '/' || lt_is_digit((unsigned char) s[d - 1])))
			return -1;			/* a date */
		if (ue < len && (s[ue] == '/' || s[ue] == '.' || lt_is_digit((unsigned char) s[ue])) &&
			ue + 1 < len && lt_is_digit((unsigned char) s[ue + 1]))
			return -1;			/* a date: 02/12/2024 */
		num = (int) num_at(s, len, d, NULL);
		p = d;
		prep = true;
	}
	else
	{
		if (!lt_word_before(s, p, &a, &b))
			return -1;
		if (lt_is_digit((unsigned char) s[a]))
		{
			/* digits, maybe "1-2" or "2 to 3": the first bound */
			num = num_at(s, len, a, NULL);
			p = a;
			while (p > 0 && lt_is_blank((unsigned char) s[p - 1]))
				p--;
			if (p > 0 && s[p - 1] == '-')
			{
				int			q = p - 1;

				while (q > 0 && lt_is_blank((unsigned char) s[q - 1]))
					q--;
				if (q > 0 && lt_is_digit((unsigned char) s[q - 1]))
				{
					while (q > 0 && (lt_is_digit((unsigned char) s[q - 1]) || s[q - 1] == '.'))
						q--;
					num = num_at(s, len, q, NULL);
					p = q;
				}
			}
			else if (lt_word_before(s, p, &a, &b) && lt_word_is(s, a, b, "to"))
			{
				int			c,
							d;

				if (lt_word_before(s, a, &c, &d) && lt_is_digit((unsigned char) s[c]))
				{
					num = num_at(s, len, c, NULL);
					p = c;
				}
			}
		}
		else
		{
			if (lt_word_is(s, a, b, "of") && lt_word_before(s, a, &a, &b) &&
				lt_word_is(s, a, b, "couple"))
				num = 2;
			else
				num = word_number(s, a, b);
			if (num < 0)
				return -1;
			p = a;
			/* "a couple" / "a few" */
			if (lt_word_before(s, p, &a, &b) && lt_word_is(s, a, b, "a"))
				p = a;
			/* "one to two": the first bound */
			else if (lt_word_before(s, p, &a, &b) && lt_word_is(s, a, b, "to"))
			{
				int			c,
							d;

				if (lt_word_before(s, a, &c, &d) && word_number(s, c, d) >= 0)
				{
					num = word_number(s, c, d);
					p = c;
				}
			}
		}
	}
	/* optional "about", "the next", "the following", then a preposition */
	for (int guard = 0; guard < 5 && lt_word_before(s, p, &a, &b); guard++)
	{
		if (lt_word_is(s, a, b, "least"))
		{
			/* "at least": not a preposition of its own */
			int			c,
						d;

			if (lt_word_before(s, a, &c, &d) && lt_word_is(s, c, d, "at"))
				a = c;
			p = a;
			continue;
		}
		if (lt_word_is(s, a, b, "at") && guard == 0)
		{
			/* "at 10-14 days", "at 6 weeks": a point in time */
			p = a;
			prep = true;
			break;
		}
		if (lt_word_is(s, a, b, "the") || lt_word_is(s, a, b, "following") ||
			lt_word_is(s, a, b, "about") || lt_word_is(s, a, b, "around") ||
			lt_word_is(s, a, b, "approximately") || lt_word_is(s, a, b, "approx") ||
			lt_word_is(s, a, b, "roughly") || lt_word_is(s, a, b, "at") ||
			lt_word_is(s, a, b, "coming") || lt_word_is(s, a, b, "a") ||
			lt_word_is(s, a, b, "period") || lt_word_is(s, a, b, "of"))
		{
			p = a;
			continue;
		}
		if (lt_word_is(s, a, b, "next") || lt_word_is(s, a, b, "within") ||
			lt_word_is(s, a, b, "in") || lt_word_is(s, a, b, "by") ||
			lt_word_is(s, a, b, "over") || lt_word_is(s, a, b, "after") ||
			lt_word_is(s, a, b, "than") || lt_word_is(s, a, b, "inside"))
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

		while (q < len && lt_is_blank((unsigned char) s[q]))
			q++;
		r = q;
		while (r < len && lt_is_word_byte((unsigned char) s[r]))
			r++;
		if (lt_word_is(s, q, r, "after") || lt_word_is(s, q, r, "later") ||
			lt_word_is(s, q, r, "following"))
			prep = true;
	}
	if (!prep && !in_own_cell(s, len, p, ue, tm))
		return -1;
	if (num < 0 || num > 1000)
		return -1;
	*fstart = p;
	return urgency_of_hours(num * hours);
}

/* Is an ordinal's suffix at p ("12th", "1st", "22nd", "3rd")? */
static bool
ordinal_at(const char *s, int len, int p)
{
	static const char *const suffixes[] = {"st", "nd", "rd", "th", NULL};

	if (p + 2 > len || (p + 2 < len && lt_is_word_byte((unsigned char) s[p + 2])))
		return false;
	for (int k = 0; suffixes[k]; k++)
		if (lt_lower((unsigned char) s[p]) == suffixes[k][0] && lt_lower((unsigned char) s[p + 1]) == suffixes[k][1])
			return true;
	return false;
}

/* Do letters run from p straight into a digit ("1O8", "1l2"): a scan's digits read as letters? */
static bool
ocr_digits(const char *s, int len, int p)
{
	int			r = p;

	while (r < len && lt_is_word_byte((unsigned char) s[r]) && !lt_is_digit((unsigned char) s[r]))
		r++;
	return r > p && r < len && lt_is_digit((unsigned char) s[r]);
}

/*
 * A critical value after a laboratory name ending at `from`: "potassium 6.9",
 * "K+ of 6.9 mmol/L", "INR was 9.2", "INR >10".  Returns true and the value
 * when a number follows closely.
 */
bool
lt_parse_lab_value(const char *s, int len, int from, double *val, int *vend)
{
	int			i = from;
	int			words = 0;
	bool		paren = false;

	while (i < len && i - from < 40)
	{
		unsigned char c = (unsigned char) s[i];

		if (lt_is_digit(c))
		{
			if (i > 0 && (s[i - 1] == '-' || s[i - 1] == '/'))
				return false;
			*val = num_at(s, len, i, vend);
			if (ordinal_at(s, len, *vend))
				return false;	/* "INR on the 12th": a day of the month */
			if (*vend < len && s[*vend] == '/' && *vend + 1 < len && lt_is_digit((unsigned char) s[*vend + 1]))
				return false;	/* a date or a ratio */
			if (ocr_digits(s, len, *vend))
				return false;	/* "Hb 1O8": a scan's letter O in 108, not 1 */
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
					if (lt_word_is(s, q, r, doses[k]))
					{
						/* mmol/L and g/L are results; mmol and g alone are doses */
						if (r < len && s[r] == '/')
							break;
						return false;
					}
				/* a time, not a result: "check adjusted calcium 1 month after loading" */
				for (int k = 0; units[k].p; k++)
					if (lt_is_lower((unsigned char) units[k].p[0]) && lt_word_is(s, q, r, units[k].p))
						return false;
			}
			return true;
		}
		/*
		 * a bound beyond the measuring range is a value ("Potassium >10.0",
		 * "INR >8"); a threshold in an instruction ("if K > 6.5") is made
		 * conditional by its "if", as any phrase is
		 */
		if (c == '<' || c == '>')
		{
			i++;
			continue;
		}
		if ((c == '(' || c == '[') && !paren)
		{
			/*
			 * the sample's type or the reference range in brackets:
			 * "Glucose (fluoride oxalate, random) 2.1", "Sodium [133-146] 119"
			 */
			const char *close = memchr(s + i, c == '(' ? ')' : ']', Min(len - i, 40));

			if (close != NULL && memchr(s + i, '\n', close - (s + i)) == NULL)
			{
				from += (int) (close - (s + i)) + 1;
				i = (int) (close - s) + 1;
				paren = true;
				continue;
			}
		}
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
					if (lt_word_is(s, a, i, filler[f]))
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

/* Is the unit written after a value at p "g/L" (not "g/dL")? */
static bool
grams_per_litre(const char *s, int len, int p)
{
	while (p < len && s[p] == ' ')
		p++;
	return p + 3 <= len && (s[p] == 'g' || s[p] == 'G') && s[p + 1] == '/' &&
		(s[p + 2] == 'l' || s[p + 2] == 'L');
}

/* Bytes after a value looked at for what withdraws it (value_withdrawn). */
#define LT_LAB_AFTER 100

/*
 * Is the value ending at p withdrawn by what its clause says after it: a
 * sample at fault ("Platelets 0 on a clumped sample", "potassium 6.9,
 * haemolysed"), or a value of the past with the present one after it
 * ("potassium 6.8 on admission, now 4.5")?  A bounded look, to the end of
 * the sentence or the line.
 */
static bool
value_withdrawn(const char *s, int len, int p)
{
	static const char *const faults[] = {
		"clumped", "clumping", "clotted", "haemolysed", "hemolysed", "haemolysis", "hemolysis", "spurious",
		"artefact", "artifact", "admission", NULL
	};
	int			end = Min(len, p + LT_LAB_AFTER),
				a,
				b;
	bool		denied = false;

	while (p < end && s[p] != '\n' && !(s[p] == '.' && (p + 1 >= len || !lt_is_digit((unsigned char) s[p + 1]))))
	{
		if (!lt_is_word_byte((unsigned char) s[p]))
		{
			p++;
			continue;
		}
		if (!lt_word_after(s, end, p, &a, &b))
			break;
		if (lt_word_among(s, a, b, faults) && !denied)
			return true;
		/* "sample not haemolysed" */
		denied = lt_word_is(s, a, b, "not") || lt_word_is(s, a, b, "no") || lt_word_is(s, a, b, "non");
		/* "now 4.5": the value as it is now follows */
		if (lt_word_is(s, a, b, "now") && lt_word_after(s, end, b, &a, &p) && lt_is_digit((unsigned char) s[a]))
			return true;
		p = b;
	}
	return false;
}

/*
 * Is value v of lab, written in s up to ve, a critical result?  A value
 * beyond the usual critical limits is more critical, not less: only what
 * cannot be a result of the analyte is left out.
 */
bool
lt_lab_critical(int lab, double v, const char *s, int len, int ve)
{
	if (value_withdrawn(s, len, ve))
		return false;
	switch (lab)
	{
		case LT_LAB_POTASSIUM:
			return (v >= 6.5 && v < 15) || (v > 0 && v <= 2.5);
		case LT_LAB_SODIUM:
			return (v >= 60 && v <= 120) || (v >= 160 && v < 220);
		case LT_LAB_INR:
			return v >= 8 && v < 30;
		case LT_LAB_GLUCOSE:
			return v > 0 && v <= 2.5;
		case LT_LAB_CALCIUM:
			return (v >= 3.5 && v < 6) || (v > 0.5 && v <= 1.8);
		case LT_LAB_HAEMOGLOBIN:
			if (v > 0 && v < 25 && !grams_per_litre(s, len, ve))
				v *= 10;		/* g/dL */
			return v > 0 && v <= 60;
		case LT_LAB_PLATELETS:
			return v >= 0 && v <= 20;
		case LT_LAB_NEUTROPHILS:
			return v >= 0 && v <= 0.5;
		case LT_LAB_LITHIUM:
			/* toxic from 1.5 mmol/L; the usual range is 0.4-1.0 */
			return v >= 1.5 && v < 10;
		case LT_LAB_QTC:
			/* in milliseconds; 500 ms or more risks torsades de pointes */
			return v >= 500 && v < 800;
		default:
			return false;
	}
}

/* ---------------------------------------------------------- medicine names */

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
	"sulfan", "tamide", "zosin", "dronate", "amide", "calciferol", NULL
};
static const char *const drug_names[] = {
	"warfarin", "aspirin", "insulin", "digoxin", "lithium", "levothyroxine", "paracetamol",
	"allopurinol", "colchicine", "methotrexate", "tamsulosin", "finasteride", "spironolactone",
	"indapamide", "clopidogrel", "ticagrelor", "gliclazide", "donepezil", "levetiracetam",
	"lamotrigine", "valproate", "carbamazepine", "phenytoin", "haloperidol", "zopiclone",
	"codeine", "tramadol", "fentanyl", "buprenorphine", "salbutamol", "inhaler", "inhalers",
	"hrt", "contraceptive", "contraception", "antibiotic", "antibiotics", "steroid", "steroids",
	"statin", "diuretic", "antidepressant", "antihypertensive", "anticoagulant", "statins", "diuretics",
	"antidepressants", "antihypertensives", "anticoagulants", "antipsychotics", "antiepileptics", "analgesics",
	"analgesia", "painkillers", "opioids",
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
	c0 = lt_lower((unsigned char) s[a]);
	if (c0 >= 'a' && c0 <= 'z')
	{
		for (int k = drug_index.first[c0 - 'a']; k < drug_index.first[c0 - 'a' + 1]; k++)
			if (lt_word_is(s, a, b, drug_names[drug_index.names[k]]))
				return true;
	}
	cl = lt_lower((unsigned char) s[b - 1]);
	if (n < 6 || cl < 'a' || cl > 'z')
		return false;
	for (int k = drug_index.sfirst[cl - 'a']; k < drug_index.sfirst[cl - 'a' + 1]; k++)
	{
		int			l = drug_index.slen[k];

		/* the stem and at least three letters before it */
		if (l <= n - 3 && lt_word_is(s, b - l, b, drug_stems[drug_index.stems[k]]))
			return true;
	}
	return false;
}

/* Does a verb of a medicine change follow p ("and change her antibiotic")? */
static bool
change_follows(const char *s, int len, int p)
{
	static const char *const verbs[] = {
		"change", "start", "stop", "switch", "increase", "reduce", "prescribe", "commence", NULL
	};
	int			a;

	while (p < len && lt_is_blank((unsigned char) s[p]))
		p++;
	a = p;
	while (p < len && lt_is_word_byte((unsigned char) s[p]))
		p++;
	for (int k = 0; verbs[k]; k++)
		if (lt_word_is(s, a, p, verbs[k]))
			return true;
	return false;
}

/* Is a medicine named within `words` words after position p (same clause, same task)? */
bool
lt_drug_follows(const char *s, int len, int p, int words)
{
	for (int w = 0; w < words && p < len; w++)
	{
		int			a;

		while (p < len && (lt_is_blank((unsigned char) s[p]) || s[p] == '\'' || s[p] == '-'))
			p++;
		if (p >= len || !lt_is_word_byte((unsigned char) s[p]))
			return false;		/* punctuation ends the clause */
		a = p;
		while (p < len && lt_is_word_byte((unsigned char) s[p]))
			p++;
		if (is_drug_word(s, a, p))
			return true;
		/* "contact the patient today and change her antibiotic": a second task */
		if ((lt_word_is(s, a, p, "and") || lt_word_is(s, a, p, "then")) && change_follows(s, len, p))
			return false;
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

	if (p >= len || !lt_is_digit((unsigned char) s[p]))
		return false;
	while (p < len && (lt_is_digit((unsigned char) s[p]) || s[p] == '.'))
		p++;
	while (p < len && s[p] == ' ')
		p++;
	q = p;
	while (q < len && lt_is_word_byte((unsigned char) s[q]))
		q++;
	for (int i = 0; units_[i]; i++)
		if (lt_word_is(s, p, q, units_[i]))
			return true;
	return false;
}

/*
 * Is a medicine named, or a dose given, near the span [a, b): up to `words`
 * words after it, or up to `words` words before it, in the same clause?
 */
bool
lt_drug_near(const char *s, int len, int a, int b, int words)
{
	int			p = b;

	if (lt_drug_follows(s, len, b, words))
		return true;
	for (int w = 0; w < words + 1 && p < len; w++)
	{
		while (p < len && (lt_is_blank((unsigned char) s[p]) || s[p] == '('))
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

		if (!lt_word_before(s, p, &wa, &wb))
			return false;
		for (int k = wb; k < p; k++)
			if (!lt_is_blank((unsigned char) s[k]))
				return false;	/* punctuation ends the clause */
		if (is_drug_word(s, wa, wb))
			return true;
		p = wa;
	}
	return false;
}

/*
 * Does [lo, hi) date what it tells to years back: "years", "decade",
 * "long ago"?  A death dated so is history ("his wife died ten years
 * ago"); one told of with other past words ("died ten days ago",
 * "passed away at home last week", "..., we have closed his order") is a
 * report to act on.
 */
bool
lt_long_ago(const char *s, int lo, int hi)
{
	static const char *const older[] = {"years", "year", "decade", "decades", NULL};
	int			pa = -1,
				pb = -1;

	for (int p = lo; p < hi; p++)
	{
		int			e = p;

		if (!lt_is_word_byte((unsigned char) s[p]) || (p > lo && lt_is_word_byte((unsigned char) s[p - 1])))
			continue;
		while (e < hi && lt_is_word_byte((unsigned char) s[e]))
			e++;
		for (int k = 0; older[k]; k++)
			if (lt_word_is(s, p, e, older[k]))
				return true;
		/* "long ago"; not "ten days ago", "two weeks ago" (a recent death) */
		if (pa >= 0 && lt_word_is(s, p, e, "ago") && lt_word_is(s, pa, pb, "long"))
			return true;
		pa = p;
		pb = e;
	}
	return false;
}
