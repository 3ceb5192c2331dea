/*
 * dates.c — calendar dates in a letter: the letter's own date, and a date
 * written as a deadline ("by 12/06/2025", "on Monday 17/03/2025"), so that
 * the deadline's urgency is the time between them.
 *
 * Dates are read as UK letters write them: day before month ("12/06/2025"
 * is 12 June), ISO "2025-06-12", or with the month's name ("21st March",
 * "21 March 2025", "March 21").  A date without a year takes the letter's.
 * Nothing here guesses: without the letter's own date, a deadline's date
 * says nothing of how soon it is, and the caller keeps its other readings.
 */
#include "postgres.h"

#include "core.h"

/* Bytes from the start of a letter within which its date line is looked for. */
#define LT_DATE_LOOK 2048

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
};

/* Days from 1 January 2000 to the Gregorian date y-m-d, or -1 if it is none. */
static int
day_number(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int			n;

	if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1 ||
		d > mdays[m - 1] + (m == 2 && leap ? 1 : 0))
		return -1;
	/* the days of the years from 2000 to y, with their leap days */
	n = (y - 2000) * 365 + ((y - 1) / 4 - 1999 / 4) - ((y - 1) / 100 - 1999 / 100) +
		((y - 1) / 400 - 1999 / 400);
	for (int k = 0; k < m - 1; k++)
		n += mdays[k];
	if (m > 2 && leap)
		n++;
	return n + d - 1;
}

/* A run of at most max digits at *p: its value, or -1; *p moves past it. */
static int
digits(const char *s, int len, int *p, int max)
{
	int			v = 0;
	int			q = *p;

	while (q < len && q - *p < max + 1 && lt_is_digit((unsigned char) s[q]))
		v = v * 10 + (s[q++] - '0');
	if (q == *p || q - *p > max || (q < len && lt_is_digit((unsigned char) s[q])))
		return -1;
	*p = q;
	return v;
}

/* The month named by the word at *p ("March", "mar", "Sept"), 1-12, or 0; *p moves past it. */
static int
month_at(const char *s, int len, int *p)
{
	int			q = *p;

	while (q < len && lt_is_word_byte((unsigned char) s[q]))
		q++;
	if (q - *p < 3)
		return 0;
	for (int k = 0; month_names[k]; k++)
		if (pg_strncasecmp(s + *p, month_names[k], 3) == 0)
		{
			*p = q;
			return k + 1;
		}
	return 0;
}

/*
 * A year after a day and month ("/2025", " 2025", "/25"), or dflt; -1 for a
 * year no letter means; *p moves past it.
 */
static int
year_after(const char *s, int len, int *p, char sep, int dflt)
{
	int			q = *p;
	int			y;

	if (q < len && (s[q] == sep || (sep == ' ' && s[q] == ',')))
		q++;
	while (sep == ' ' && q < len && s[q] == ' ')
		q++;
	if (q == *p || (y = digits(s, len, &q, 4)) < 0)
		return dflt;
	if (y < 100 && sep != ' ')
		y += 2000;
	else if (y < 1000)
		return dflt;
	else if (y < 1900 || y > 2199)
		return -1;				/* "14/03/9999": no date a letter means */
	*p = q;
	return y;
}

/*
 * The date written at p (after blanks and an opening parenthesis), as a day
 * number; -1 if none.  year: the year of a date written without one (-1:
 * such a date is none).  *end: where the date ends.
 */
int
lt_parse_date(const char *s, int len, int p, int year, int *end)
{
	int			q,
				d,
				m,
				y;

	while (p < len && (s[p] == ' ' || s[p] == '('))
		p++;
	q = p;
	if (q < len && lt_is_digit((unsigned char) s[q]))
	{
		d = digits(s, len, &q, 4);
		if (d >= 2000 && d <= 2199 && q + 5 < len && s[q] == '-')
		{
			/* ISO: 2025-06-12 */
			y = d;
			q++;
			if ((m = digits(s, len, &q, 2)) < 0 || q >= len || s[q] != '-')
				return -1;
			q++;
			if ((d = digits(s, len, &q, 2)) < 0)
				return -1;
		}
		else if (d >= 1 && d <= 31 && q < len && (s[q] == '/' || s[q] == '.' || s[q] == '-'))
		{
			char		sep = s[q++];

			if ((m = digits(s, len, &q, 2)) < 0)
				return -1;
			y = year_after(s, len, &q, sep, sep == '/' ? year : -1);
		}
		else if (d >= 1 && d <= 31)
		{
			/* 21st March, 21 March 2025 */
			if (q + 1 < len && lt_is_word_byte((unsigned char) s[q]) &&
				!lt_is_digit((unsigned char) s[q]) && lt_is_word_byte((unsigned char) s[q + 1]) &&
				(q + 2 >= len || !lt_is_word_byte((unsigned char) s[q + 2])))
				q += 2;			/* st, nd, rd, th */
			while (q < len && s[q] == ' ')
				q++;
			if (q + 3 < len && pg_strncasecmp(s + q, "of ", 3) == 0)
				q += 3;
			if ((m = month_at(s, len, &q)) == 0)
				return -1;
			y = year_after(s, len, &q, ' ', year);
		}
		else
			return -1;
	}
	else if ((m = month_at(s, len, &q)) > 0)
	{
		/* March 21, March 21st 2025 */
		while (q < len && s[q] == ' ')
			q++;
		if ((d = digits(s, len, &q, 2)) < 0)
			return -1;
		if (q + 1 < len && lt_is_word_byte((unsigned char) s[q]) && !lt_is_digit((unsigned char) s[q]))
			q += 2;
		y = year_after(s, len, &q, ' ', year);
	}
	else
		return -1;
	if (y < 0)
		return -1;
	*end = q;
	return day_number(y, m, d);
}

/*
 * The date after one of labels at a line's start within the first
 * LT_DATE_LOOK bytes, as a day number, or -1; with lone, a line that is a
 * date and nothing else also counts.
 */
static int
labelled_date(const char *s, int len, const char *const *labels, bool lone)
{
	int			look = Min(len, LT_DATE_LOOK);

	for (int p = 0; p < look; p++)
	{
		int			q = p;

		if (p > 0 && s[p - 1] != '\n')
			continue;
		while (q < look && (s[q] == ' ' || s[q] == '\t'))
			q++;
		for (int k = 0; labels[k]; k++)
		{
			int			n = strlen(labels[k]);
			int			e;
			int			day;

			if (q + n <= look && pg_strncasecmp(s + q, labels[k], n) == 0)
			{
				int			r = q + n;

				/* a weekday before the date: "Submitted: Tuesday 11/03/2025" */
				while (r < look && (s[r] == ' ' || s[r] == ',' || lt_is_word_byte((unsigned char) s[r])) &&
					   !lt_is_digit((unsigned char) s[r]) && r < q + n + 12)
					r++;
				day = lt_parse_date(s, len, r, -1, &e);
				if (day < 0)
					day = lt_parse_date(s, len, q + n, -1, &e);
				if (day >= 0)
					return day;
			}
		}
		/* a line that is a date and nothing else: "11 March 2025" under the address */
		if (lone)
		{
			int			e;
			int			day = lt_parse_date(s, len, q, -1, &e);

			while (day >= 0 && e < len && (s[e] == ' ' || s[e] == '\t' || s[e] == '\r'))
				e++;
			if (day >= 0 && (e >= len || s[e] == '\n'))
				return day;
		}
	}
	return -1;
}

/*
 * The letter's own date, as a day number, from a line near its start that
 * gives it ("Dated: 2025-03-10 14:32", "Date: 10/03/2025", "Date of letter:
 * 10 March 2025", "Submitted: 11/03/2025 06:55", "Sent: Tuesday, 11 March
 * 2025 10:14", or a line that is a date alone, as under a letter's address);
 * -1 if none.  A date of birth, of a visit or of a sample is not the
 * letter's.
 */
int
lt_letter_date(const char *s, int len)
{
	static const char *const labels[] = {
		"dated:", "date:", "date of letter:", "letter date:", "date sent:", "sent:", "submitted:",
		"report date:", "date typed:", "date dictated:", "date of report:", "received:", NULL
	};

	return labelled_date(s, len, labels, true);
}

/*
 * The date the patient was seen, from a line near the letter's start that
 * gives it ("Date seen: 11/11/2024", "Visit 07/11/2024", "Date of visit:
 * ..."), or -1.  A letter is written on or after that day, so a deadline
 * counted from it is at most as urgent as it is: the floor when the letter
 * gives no date of its own.
 */
int
lt_seen_date(const char *s, int len)
{
	static const char *const labels[] = {
		"date seen:", "date seen", "seen on:", "date of visit:", "visit date:", "visit date/time:",
		"visit:", "visit", "clinic date:", "date of clinic:", "date of contact:", "contact date:",
		"date of attendance:", "attendance date:", "date of appointment:", "appointment date:", NULL
	};

	return labelled_date(s, len, labels, false);
}

/* The year of day number n. */
int
lt_year_of_day(int n)
{
	int			y = 2000;

	while (day_number(y + 1, 1, 1) >= 0 && day_number(y + 1, 1, 1) <= n)
		y++;
	return y;
}

/*
 * The urgency of a deadline on day `due` in a letter dated day `dated`, by
 * the corpus's conventions: the same day immediate; the next one or two
 * working days urgent; within three weeks soon; later routine.  -1 for a
 * day before the letter's (a past event, not a deadline).
 */
int
lt_date_urgency(int dated, int due)
{
	int			working = 0;

	if (due < dated)
		return -1;
	if (due == dated)
		return LT_URGENCY_IMMEDIATE;
	if (due - dated > 21)
		return LT_URGENCY_ROUTINE;
	for (int n = dated + 1; n <= due; n++)
		if ((n + 5) % 7 < 5)	/* 1 January 2000 was a Saturday */
			working++;
	return working <= 2 ? LT_URGENCY_URGENT : LT_URGENCY_SOON;
}
