/*
 * table.c — what a table's columns say of a cell: a letter's plan or
 * action table ("| Action | Who | When |") says in its header row which
 * column is the time and which the one who acts, so a row's bare "2 weeks"
 * is its deadline and its "GP" is who is asked.  Rows are the lines that
 * start with '|'; the header is the topmost of them that is not a |---|
 * rule.  A row's header is its upper neighbour's when that was read last
 * (rows are read in order), else looked for within LT_TABLE_HEADER_REACH
 * bytes above it, so each question costs a bounded walk whatever the
 * letter's length.
 */
#include "postgres.h"

#include "core.h"

#define LT_TABLE_HEADER_REACH 4096

/*
 * The start of the line holding p, looked for within LT_TABLE_HEADER_REACH
 * bytes (a table's row is not longer); -1 when it is further.
 */
static int
line_start(const char *s, int p)
{
	int			lo = Max(0, p - LT_TABLE_HEADER_REACH);

	while (p > lo && s[p - 1] != '\n')
		p--;
	return (p > 0 && s[p - 1] != '\n') ? -1 : p;
}

/* Is the line starting at a a table's row: blanks, then '|'?  Returns where its '|' is, or -1. */
static int
row_bar(const char *s, int len, int a)
{
	while (a < len && (s[a] == ' ' || s[a] == '\t'))
		a++;
	return (a < len && s[a] == '|') ? a : -1;
}

/* Is the row whose first '|' is at k, ending at e, a |---| rule? */
static bool
rule_row(const char *s, int k, int e)
{
	for (int x = k; x < e; x++)
		if (s[x] != '|' && s[x] != '-' && s[x] != ':' && s[x] != ' ')
			return false;
	return true;
}

/*
 * The header row of the table whose row holds p: where its first '|' is,
 * or -1 when p is in no table's row or in its first.  The row just above,
 * read last (tm), gives it at once; otherwise the rows above are walked.
 */
static int
header_row(const char *s, int len, int p, LtTableMemo *tm)
{
	int			line = line_start(s, p);
	int			head = -1;

	if (line < 0 || row_bar(s, len, line) < 0)
		return -1;
	if (tm->line == line)
		return tm->head;
	if (line > 0 && tm->line >= 0 && tm->line == line_start(s, line - 1))
	{
		int			k = row_bar(s, line - 1, tm->line);

		head = tm->head >= 0 ? tm->head : (k >= 0 && !rule_row(s, k, line - 1) ? k : -1);
	}
	else
	{
		for (int r = line; r > 0 && p - r < LT_TABLE_HEADER_REACH;)
		{
			int			pl = line_start(s, r - 1);
			int			k = pl < 0 ? -1 : row_bar(s, r - 1, pl);

			if (k < 0)
				break;
			if (!rule_row(s, k, r - 1))
				head = k;
			r = pl;
		}
	}
	tm->line = line;
	tm->head = head;
	return head;
}

/* The cell [*a, *b) of column col (1 = the first) of the row whose first '|' is at bar. */
static bool
cell_of(const char *s, int len, int bar, int col, int *a, int *b)
{
	int			c = 0;
	int			p = bar;

	for (; p < len && s[p] != '\n'; p++)
		if (s[p] == '|' && ++c == col)
			break;
	if (p >= len || s[p] != '|')
		return false;
	*a = p + 1;
	*b = *a;
	while (*b < len && s[*b] != '|' && s[*b] != '\n')
		(*b)++;
	return *b < len && s[*b] == '|';
}

/* Does [a, b) hold one of the phrases of list, as whole words? */
static bool
cell_says(const char *s, int a, int b, const char *const *list)
{
	for (int x = a; x < b; x++)
	{
		if (x > a && lt_is_word_byte((unsigned char) s[x - 1]))
			continue;
		for (int h = 0; list[h]; h++)
			if (lt_phrase_at(s, b, x, list[h]))
				return true;
	}
	return false;
}

/*
 * Is the cell holding p in a column whose header says when ("Timescale",
 * "By when", "Due", "Next test")?
 */
bool
lt_table_when_column(const char *s, int len, int p, LtTableMemo *tm)
{
	static const char *const heads[] = {
		"timescale", "timescales", "timeframe", "time frame", "when", "due", "deadline", "next test",
		"next check", "next blood", "next bloods", "within", "urgency", NULL
	};
	int			head = header_row(s, len, p, tm);
	int			col = 0,
				a,
				b;

	if (head < 0)
		return false;
	for (int q = line_start(s, p); q < p; q++)
		col += (s[q] == '|');	/* (a row's line start is near: header_row found it) */
	return col >= 1 && cell_of(s, len, head, col, &a, &b) && cell_says(s, a, b, heads);
}

/*
 * Who the row holding p says acts, in its column headed "Who", "By whom",
 * "Action by" or "Responsible": LT_MOD_REQUEST when it names the GP or the
 * practice ("GP", "HF nurse (supply given) / GP (repeat)"), LT_MOD_COMPLETED
 * when it names only the sender's side ("HF nurse", "Ward", "Us"), -1 when
 * the table has no such column.
 */
int
lt_table_who(const char *s, int len, int p, LtTableMemo *tm)
{
	static const char *const who_heads[] = {
		"who", "by whom", "action by", "responsible", "owner", "lead", NULL
	};
	static const char *const gp[] = {"gp", "gps", "practice", "surgery", "primary care", NULL};
	int			head = header_row(s, len, p, tm);
	int			bar;

	if (head < 0)
		return -1;
	bar = row_bar(s, len, line_start(s, p));
	for (int col = 1; col <= 12; col++)
	{
		int			a,
					b;

		if (!cell_of(s, len, head, col, &a, &b))
			break;
		if (!cell_says(s, a, b, who_heads))
			continue;
		if (!cell_of(s, len, bar, col, &a, &b))
			return -1;
		while (a < b && s[a] == ' ')
			a++;
		if (a == b || (b - a == 1 && s[a] == '-'))
			return -1;
		return cell_says(s, a, b, gp) ? LT_MOD_REQUEST : LT_MOD_COMPLETED;
	}
	return -1;
}
