/*
 * letter_server.c — the two services the letter parser (letter_parse.c, a
 * text-core file built outside the server too) takes from the server: memory
 * in the current context, and local time in Europe/London.  The fuzz harness
 * provides its own (test/fuzz/fuzz_letter.c).  Kept apart from letter.c so
 * that the SQL face of the type and the parser depend one way only.
 */
#include "postgres.h"

#include "pgtime.h"
#include "utils/datetime.h"

#include "letter_parse.h"

/* Memory for the text core: the current memory context. */
void *
lt_alloc(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE);
}

/* Read broken-down local time as Europe/London (the NHS in England). */
int64
lt_london_to_timestamptz(const LtDateFields *f)
{
	static pg_tz *london = NULL;
	struct pg_tm tm;
	int			west;

	if (london == NULL)
		london = pg_tzset("Europe/London");
	/*
	 * Without the zone (a server whose time zone data lacks it) the time is
	 * read as UTC, at most an hour off, rather than refuse the letter: a
	 * letter is never blocked for its Dated header.
	 */
	if (london == NULL)
		return lt_fields_to_timestamptz(f, 0);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f->year;
	tm.tm_mon = f->month;
	tm.tm_mday = f->day;
	tm.tm_hour = f->hour;
	tm.tm_min = f->minute;
	tm.tm_sec = f->second;
	west = DetermineTimeZoneOffset(&tm, london);
	return lt_fields_to_timestamptz(f, -west);
}
