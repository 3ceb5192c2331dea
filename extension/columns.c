/*
 * columns.c — a laboratory value read down its column: a table of results
 * whose header line names the test and whose rows below hold its values,
 *
 *     Date     INR
 *     12/11    2.6
 *     10/12    8.7
 *
 * (cells apart by a tab, two spaces or more, or '|').  The value a reader
 * acts on is the latest: the last row's, or the first's when the rows'
 * leading dates run backwards (newest first).  The walk is bounded
 * (LT_COLUMN_ROWS rows of at most LT_COLUMN_LINE bytes), so that each
 * header costs the same whatever the letter's length.
 */
#include "postgres.h"

#include "core.h"

#define LT_COLUMN_ROWS 24
#define LT_COLUMN_LINE 200
#define LT_COLUMN_CELLS 12

/* The cells of the line [a, b): starts and ends, at most LT_COLUMN_CELLS; -1 when more. */
static int
split_cells(const char *s, int a, int b, int *cs, int *ce)
{
	int			n = 0;
	int			p = a;

	while (p < b)
	{
		int			q;

		while (p < b && (s[p] == ' ' || s[p] == '\t' || s[p] == '|' || s[p] == '\r'))
			p++;
		if (p >= b)
			break;
		q = p;
		/* a cell ends at a tab, a '|' or two blanks */
		while (q < b && s[q] != '\t' && s[q] != '|' && s[q] != '\r' &&
			   !(s[q] == ' ' && q + 1 < b && s[q + 1] == ' '))
			q++;
		while (q > p && s[q - 1] == ' ')
			q--;
		if (n == LT_COLUMN_CELLS)
			return -1;
		cs[n] = p;
		ce[n] = q;
		n++;
		p = q;
	}
	return n;
}

/*
 * The day (year * 372 + month * 31 + day) of a leading "dd/mm[/yy[yy]]"
 * cell, or -1; *year tells whether it gave its year.
 */
static int
cell_day(const char *s, int a, int b, bool *year)
{
	int			d = 0,
				m = 0,
				y = 0,
				p = a;

	*year = false;
	while (p < b && lt_is_digit((unsigned char) s[p]) && p - a < 2)
		d = d * 10 + (s[p++] - '0');
	if (p == a || p >= b || (s[p] != '/' && s[p] != '.' && s[p] != '-'))
		return -1;
	a = ++p;
	while (p < b && lt_is_digit((unsigned char) s[p]) && p - a < 2)
		m = m * 10 + (s[p++] - '0');
	if (p == a || d < 1 || d > 31 || m < 1 || m > 12)
		return -1;
	if (p + 1 < b && (s[p] == '/' || s[p] == '.' || s[p] == '-') && lt_is_digit((unsigned char) s[p + 1]))
	{
		a = ++p;
		while (p < b && lt_is_digit((unsigned char) s[p]) && p - a < 4)
			y = y * 10 + (s[p++] - '0');
		*year = true;
		if (y < 100)
			y += 2000;
	}
	return (y * 12 + m) * 31 + d;
}

/*
 * Do the rows run newest first, from their first row's date to their last's?
 * Without years, a span of more than half a year is taken to cross a new
 * year in order (15/12 ... 05/01), not to run backwards.
 */
static bool
newest_first(int first, bool first_year, int last, bool last_year)
{
	if (first < 0 || last < 0 || first <= last)
		return false;
	return (first_year && last_year) || first - last <= 186;
}

/*
 * Is [a, b), a laboratory name, a cell of a header line of a table of
 * values (no digit on the line, two cells or more), with rows below whose
 * cell of that column starts with a number?  Then *vs is where the latest
 * of those numbers starts (the one its reader acts on).
 */
static bool
column_value(const char *s, int len, int a, int b, int *vs)
{
	int			cs[LT_COLUMN_CELLS],
				ce[LT_COLUMN_CELLS];
	int			ls = a,
				le,
				n,
				col = -1,
				rows = 0,
				first_day = -1,
				last_day = -1,
				first_at = -1,
				last_at = -1;
	bool		first_year = false,
				last_year = false;

	while (ls > 0 && s[ls - 1] != '\n' && a - ls < LT_COLUMN_LINE)
		ls--;
	le = lt_line_end(s, len, b);
	if ((ls > 0 && s[ls - 1] != '\n') || le - ls > LT_COLUMN_LINE)
		return false;
	for (int p = ls; p < le; p++)
		if (lt_is_digit((unsigned char) s[p]))
			return false;
	n = split_cells(s, ls, le, cs, ce);
	for (int k = 0; k < n; k++)
		if (cs[k] <= a && b <= ce[k])
			col = k;
	if (n < 2 || col < 0)
		return false;

	for (int p = le + 1; p < len && rows < LT_COLUMN_ROWS; rows++)
	{
		int			e = lt_line_end(s, len, p);
		int			rcs[LT_COLUMN_CELLS],
					rce[LT_COLUMN_CELLS];
		int			rn;

		if (e - p > LT_COLUMN_LINE)
			break;
		rn = split_cells(s, p, e, rcs, rce);
		if (rn != n || !lt_is_digit((unsigned char) s[rcs[col]]))
			break;
		if (first_at < 0)
		{
			first_at = rcs[col];
			first_day = cell_day(s, rcs[0], rce[0], &first_year);
		}
		last_at = rcs[col];
		last_day = cell_day(s, rcs[0], rce[0], &last_year);
		p = e + 1;
	}
	if (first_at < 0)
		return false;
	/* newest first when the dates run backwards */
	*vs = newest_first(first_day, first_year, last_day, last_year) ? first_at : last_at;
	return true;
}

/*
 * The value of the laboratory test named at [a, b): written after its name
 * ("INR 8.7", lt_parse_lab_value), or the latest down its column.  *val is
 * the value and *vend its end.
 */
bool
lt_lab_value_at(const char *s, int len, int a, int b, double *val, int *vend)
{
	int			vs;

	if (lt_parse_lab_value(s, len, b, val, vend))
		return true;
	return column_value(s, len, a, b, &vs) && lt_parse_lab_value(s, len, vs, val, vend);
}
