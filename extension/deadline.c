/*
 * deadline.c — working time and deadlines: the calendar (working hours,
 * Monday to Friday, non-working days, Europe/London), the SQL functions
 * is_working_time(), add_working_hours() and working_hours_between(), and
 * the deadline of a letter under letters_triage.policy.
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "pgtime.h"
#include "catalog/pg_collation.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "cache.h"
#include "letters_triage.h"
#include "track.h"

/* The longest span of days any calculation walks through (about 270 years). */
#define LT_MAX_DAYS 100000

/* Largest number of working hours add_working_hours() accepts. */
#define LT_MAX_HOURS 100000.0

/* Letters no policy rule applies to must be sent within 7 days. */
#define LT_FALLBACK_USECS (7 * USECS_PER_DAY)

/* Return the time zone of the calendar, Europe/London. */
static pg_tz *
london(void)
{
	static pg_tz *tz = NULL;

	if (tz == NULL)
	{
		tz = pg_tzset("Europe/London");
		if (tz == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("time zone \"Europe/London\" is not available")));
	}
	return tz;
}

/* Split t into its local date and time of day. */
static void
to_local(TimestampTz t, DateADT *date, TimeADT *tod)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, london()) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	*date = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
	*tod = (((((int64) tm.tm_hour * MINS_PER_HOUR) + tm.tm_min) * SECS_PER_MINUTE)
			+ tm.tm_sec) * USECS_PER_SEC + fsec;
}

/* Turn a struct pg_tm of local time into an instant. */
static TimestampTz
tm_to_instant(struct pg_tm *tm, fsec_t fsec)
{
	TimestampTz result;
	int			tz;

	tz = DetermineTimeZoneOffset(tm, london());
	if (tm2timestamp(tm, fsec, &tz, &result) != 0 || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

/* The instant of a local date and time of day. */
static TimestampTz
from_local(DateADT date, TimeADT tod)
{
	struct pg_tm tm;
	fsec_t		fsec;

	j2date(date + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	time2tm(tod, &tm, &fsec);
	return tm_to_instant(&tm, fsec);
}

/* Read a timestamp without time zone as Europe/London local time. */
TimestampTz
lt_local_to_utc(Timestamp local)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(local))
		return (TimestampTz) local;
	if (timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return tm_to_instant(&tm, fsec);
}

static int
cmp_date(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

/* Is the local date a working day (Monday to Friday, not a non-working day)? */
static bool
is_working_day(const LtCalendar *cal, DateADT date)
{
	int			dow = j2day(date + POSTGRES_EPOCH_JDATE);	/* 0 = Sunday */

	if (dow == 0 || dow == 6)
		return false;
	return cal->nholidays == 0 ||
		bsearch(&date, cal->holidays, cal->nholidays, sizeof(DateADT), cmp_date) == NULL;
}

/* Map an urgency name to its value; false when unknown. */
static bool
urgency_from_name(const char *name, LtUrgency *u)
{
	int			i;

	for (i = LT_URGENCY_ROUTINE; i <= LT_URGENCY_IMMEDIATE; i++)
	{
		if (strcmp(name, lt_urgency_name((LtUrgency) i)) == 0)
		{
			*u = (LtUrgency) i;
			return true;
		}
	}
	return false;
}

/* Run a read-only query of the extension's tables; returns the row count. */
static uint64
run_query(Oid nspid, const char *fmt)
{
	StringInfoData sql;
	int			rc;

	initStringInfo(&sql);
	appendStringInfo(&sql, fmt, quote_identifier(get_namespace_name(nspid)));
	rc = SPI_execute(sql.data, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	return SPI_processed;
}

/*
 * Read the working hours, the non-working days and (with_policy) the policy
 * rules of the extension in schema nspid.  The result is allocated in the
 * current memory context.
 */
LtCalendar *
lt_calendar_load(Oid nspid, bool with_policy)
{
	MemoryContext outer = CurrentMemoryContext;
	LtCalendar *cal = palloc0(sizeof(LtCalendar));
	uint64		n,
				i;
	bool		isnull;

	cal->opens = (TimeADT) 8 * USECS_PER_HOUR;
	cal->closes = (TimeADT) 18 * USECS_PER_HOUR + 30 * USECS_PER_MINUTE;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	if (run_query(nspid, "SELECT opens, closes FROM %s.working_hours ORDER BY dump DESC LIMIT 1") > 0)
	{
		Datum		o = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		Datum		c = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);

		cal->opens = DatumGetTimeADT(o);
		cal->closes = DatumGetTimeADT(c);
	}

	n = run_query(nspid, "SELECT day FROM %s.non_working_day");
	cal->holidays = MemoryContextAlloc(outer, sizeof(DateADT) * (n + 1));
	for (i = 0; i < n; i++)
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull && !DATE_NOT_FINITE(DatumGetDateADT(d)))
			cal->holidays[cal->nholidays++] = DatumGetDateADT(d);
	}
	qsort(cal->holidays, cal->nholidays, sizeof(DateADT), cmp_date);

	if (with_policy)
	{
		n = run_query(nspid,
					  "SELECT urgency::pg_catalog.text, pg_catalog.lower(kind), amount::pg_catalog.float8, unit"
					  " FROM %s.policy");
		cal->rules = MemoryContextAllocZero(outer, sizeof(LtPolicyRule) * (n + 1));
		for (i = 0; i < n; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			LtPolicyRule *r = &cal->rules[cal->nrules];
			char	   *urg = SPI_getvalue(tup, desc, 1);
			char	   *kind = SPI_getvalue(tup, desc, 2);
			char	   *unit = SPI_getvalue(tup, desc, 4);
			Datum		amount = SPI_getbinval(tup, desc, 3, &isnull);

			r->any_urgency = (urg == NULL);
			if (urg != NULL && !urgency_from_name(urg, &r->urgency))
				continue;		/* a value this library does not know */
			r->kind = kind ? MemoryContextStrdup(outer, kind) : NULL;
			r->amount = DatumGetFloat8(amount);
			if (strcmp(unit, "hours") == 0)
				r->unit = LT_UNIT_HOURS;
			else if (strcmp(unit, "days") == 0)
				r->unit = LT_UNIT_DAYS;
			else if (strcmp(unit, "working_hours") == 0)
				r->unit = LT_UNIT_WORKING_HOURS;
			else
				r->unit = LT_UNIT_WORKING_DAYS;
			cal->nrules++;
		}
	}

	SPI_finish();
	return cal;
}

/* Is t in working time? */
bool
lt_calendar_is_working_time(const LtCalendar *cal, TimestampTz t)
{
	DateADT		d;
	TimeADT		tod;

	if (TIMESTAMP_NOT_FINITE(t))
		return false;
	to_local(t, &d, &tod);
	return is_working_day(cal, d) && tod >= cal->opens && tod < cal->closes;
}

/* The instant when `hours` working hours have elapsed after t. */
TimestampTz
lt_calendar_add_working_hours(const LtCalendar *cal, TimestampTz t, double hours)
{
	int64		remaining;
	DateADT		d;
	TimeADT		tod;
	int			n;

	if (isnan(hours) || hours < 0 || hours > LT_MAX_HOURS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("working hours must be between 0 and %.0f", LT_MAX_HOURS)));
	if (TIMESTAMP_NOT_FINITE(t))
		return t;
	remaining = (int64) rint(hours * USECS_PER_HOUR);
	to_local(t, &d, &tod);
	for (n = 0; n < LT_MAX_DAYS; n++, d++)
	{
		TimestampTz open,
					close,
					start;

		if (!is_working_day(cal, d))
			continue;
		open = from_local(d, cal->opens);
		close = from_local(d, cal->closes);
		start = Max(open, t);
		if (start >= close)
			continue;
		if (remaining <= close - start)
			return start + remaining;
		remaining -= close - start;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("no working time within %d days of the given time", LT_MAX_DAYS)));
	return t;					/* not reached */
}

/* Working hours elapsed between a and b (negative when b < a). */
double
lt_calendar_working_hours_between(const LtCalendar *cal, TimestampTz a, TimestampTz b)
{
	DateADT		da,
				db,
				d;
	TimeADT		tod;
	int64		total = 0;

	if (TIMESTAMP_NOT_FINITE(a) || TIMESTAMP_NOT_FINITE(b))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("Working hours cannot be counted to or from infinity.")));
	if (b < a)
		return -lt_calendar_working_hours_between(cal, b, a);
	to_local(a, &da, &tod);
	to_local(b, &db, &tod);
	if ((int64) db - da > LT_MAX_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval too long to count working hours"),
				 errdetail("The limit is %d days.", LT_MAX_DAYS)));
	for (d = da; d <= db; d++)
	{
		TimestampTz lo,
					hi;

		if (!is_working_day(cal, d))
			continue;
		lo = Max(a, from_local(d, cal->opens));
		hi = Min(b, from_local(d, cal->closes));
		if (hi > lo)
			total += hi - lo;
	}
	return (double) total / USECS_PER_HOUR;
}

/*
 * The close of the `days`th working day after the working day of t: day 0 is
 * the day of t when t is before the close of a working day, else the next
 * working day.
 */
TimestampTz
lt_calendar_add_working_days(const LtCalendar *cal, TimestampTz t, int days)
{
	DateADT		d;
	TimeADT		tod;
	int			n;
	bool		have_day0 = false;

	if (TIMESTAMP_NOT_FINITE(t))
		return t;
	to_local(t, &d, &tod);
	for (n = 0; n < LT_MAX_DAYS; n++, d++)
	{
		TimestampTz close;

		if (!is_working_day(cal, d))
			continue;
		close = from_local(d, cal->closes);
		if (!have_day0)
		{
			if (t >= close)
				continue;		/* after this day's close: not day 0 */
			have_day0 = true;
		}
		else
			days--;
		if (days <= 0)
			return close;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("no working day within %d days of the given time", LT_MAX_DAYS)));
	return t;					/* not reached */
}

/* Add clock time to t, staying within the valid range. */
static TimestampTz
add_clock(TimestampTz t, double usecs)
{
	double		r = (double) t + usecs;

	if (r >= (double) END_TIMESTAMP)
		return DT_NOEND;
	return (TimestampTz) r;
}

/*
 * The deadline of a letter created at `created`: the earliest deadline of
 * every policy rule that applies to its urgency and kind (kind lower-case or
 * NULL); 7 days when none applies.
 */
TimestampTz
lt_due(const LtCalendar *cal, TimestampTz created, LtUrgency urgency, const char *kind)
{
	TimestampTz best = 0;
	bool		found = false;
	int			i;

	if (TIMESTAMP_NOT_FINITE(created))
		return created;
	for (i = 0; i < cal->nrules; i++)
	{
		const LtPolicyRule *r = &cal->rules[i];
		TimestampTz due;

		if (!r->any_urgency && r->urgency != urgency)
			continue;
		if (r->kind != NULL && (kind == NULL || strcmp(r->kind, kind) != 0))
			continue;
		switch (r->unit)
		{
			case LT_UNIT_HOURS:
				due = add_clock(created, r->amount * USECS_PER_HOUR);
				break;
			case LT_UNIT_DAYS:
				due = add_clock(created, r->amount * USECS_PER_DAY);
				break;
			case LT_UNIT_WORKING_HOURS:
				due = lt_calendar_add_working_hours(cal, created, r->amount);
				break;
			default:
				due = lt_calendar_add_working_days(cal, created, (int) r->amount);
				break;
		}
		if (!found || due < best)
			best = due;
		found = true;
	}
	if (!found)
		best = add_clock(created, (double) LT_FALLBACK_USECS);
	return best;
}

/*
 * The calendar for a SQL-callable function: loaded once per query (cached
 * in fn_extra) and reloaded when the transaction or command changes.
 */
typedef struct CalendarCache
{
	TimestampTz xact_start;
	CommandId	cid;
	bool		with_policy;
	LtCalendar *cal;
} CalendarCache;

static const LtCalendar *
calendar_for(FunctionCallInfo fcinfo, bool with_policy)
{
	CalendarCache *cache = (CalendarCache *) fcinfo->flinfo->fn_extra;
	TimestampTz xs = GetCurrentTransactionStartTimestamp();
	CommandId	cid = GetCurrentCommandId(false);
	MemoryContext old;

	if (cache != NULL && cache->xact_start == xs && cache->cid == cid &&
		cache->with_policy == with_policy)
		return cache->cal;
	if (cache == NULL)
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CalendarCache));
	else if (cache->cal != NULL)
	{
		int			i;

		for (i = 0; i < cache->cal->nrules; i++)
			if (cache->cal->rules[i].kind)
				pfree(cache->cal->rules[i].kind);
		if (cache->cal->rules)
			pfree(cache->cal->rules);
		pfree(cache->cal->holidays);
		pfree(cache->cal);
	}
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	cache->cal = lt_calendar_load(get_func_namespace(fcinfo->flinfo->fn_oid),
								  with_policy);
	MemoryContextSwitchTo(old);
	cache->xact_start = xs;
	cache->cid = cid;
	cache->with_policy = with_policy;
	fcinfo->flinfo->fn_extra = cache;
	return cache->cal;
}

/* The working-time SQL functions, which share their argument handling. */
typedef enum WorkingTimeFn
{
	WT_IS_WORKING_TIME,			/* is_working_time(t) */
	WT_ADD_WORKING_HOURS,		/* add_working_hours(t, hours) */
	WT_WORKING_HOURS_BETWEEN	/* working_hours_between(a, b) */
} WorkingTimeFn;

static Datum
working_time_sql(FunctionCallInfo fcinfo, WorkingTimeFn fn)
{
	const LtCalendar *cal = calendar_for(fcinfo, false);
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(0);

	switch (fn)
	{
		case WT_IS_WORKING_TIME:
			PG_RETURN_BOOL(lt_calendar_is_working_time(cal, t));
		case WT_ADD_WORKING_HOURS:
			PG_RETURN_TIMESTAMPTZ(lt_calendar_add_working_hours(cal, t, PG_GETARG_FLOAT8(1)));
		case WT_WORKING_HOURS_BETWEEN:
			PG_RETURN_FLOAT8(lt_calendar_working_hours_between(cal, t, PG_GETARG_TIMESTAMPTZ(1)));
	}
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(lt_is_working_time);

/* is_working_time(t): is t in working time? */
Datum
lt_is_working_time(PG_FUNCTION_ARGS)
{
	return working_time_sql(fcinfo, WT_IS_WORKING_TIME);
}

PG_FUNCTION_INFO_V1(lt_add_working_hours);

/* add_working_hours(t, hours): when `hours` working hours after t have elapsed. */
Datum
lt_add_working_hours(PG_FUNCTION_ARGS)
{
	return working_time_sql(fcinfo, WT_ADD_WORKING_HOURS);
}

PG_FUNCTION_INFO_V1(lt_working_hours_between);

/* working_hours_between(a, b): working hours from a to b. */
Datum
lt_working_hours_between(PG_FUNCTION_ARGS)
{
	return working_time_sql(fcinfo, WT_WORKING_HOURS_BETWEEN);
}

PG_FUNCTION_INFO_V1(lt_deadline);

/* deadline(created, urgency, kind): when a letter must be sent under the policy. */
Datum
lt_deadline(PG_FUNCTION_ARGS)
{
	TimestampTz created;
	Oid			enumval;
	char	   *name;
	char	   *kind = NULL;
	LtUrgency	u;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	created = PG_GETARG_TIMESTAMPTZ(0);
	enumval = PG_GETARG_OID(1);
	name = DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(enumval)));
	if (!urgency_from_name(name, &u))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown urgency \"%s\"", name)));
	if (!PG_ARGISNULL(2))
	{
		kind = text_to_cstring(PG_GETARG_TEXT_PP(2));
		kind = str_tolower(kind, strlen(kind), DEFAULT_COLLATION_OID);
	}
	PG_RETURN_TIMESTAMPTZ(lt_due(calendar_for(fcinfo, true), created, u, kind));
}

/*
 * The calendar and policy for the tracking trigger, cached for the life of
 * the backend and reloaded after a change to working_hours, non_working_day
 * or policy: a statement trigger on those tables (calendar_changed) sends a
 * relcache invalidation, seen by every backend at its next transaction (see
 * cache.h).
 */
static LtCache calendar_cache = LT_CACHE_INIT("calendar and policy");
static LtCalendar *cached_cal = NULL;
static Oid	cached_nspid = InvalidOid;

/* Is the calendar of schema nspid cached (lt_calendar_cached() runs no SQL)? */
bool
lt_calendar_is_cached(Oid nspid)
{
	return lt_cache_valid(&calendar_cache) && cached_nspid == nspid;
}

/* The calendar and policy of the extension in schema nspid, cached. */
const LtCalendar *
lt_calendar_cached(Oid nspid)
{
	MemoryContext old;

	if (lt_calendar_is_cached(nspid))
		return cached_cal;

	cached_cal = NULL;
	cached_nspid = InvalidOid;
	old = MemoryContextSwitchTo(lt_cache_begin(&calendar_cache));
	lt_cache_watch_rel(&calendar_cache, get_relname_relid("working_hours", nspid));
	lt_cache_watch_rel(&calendar_cache, get_relname_relid("non_working_day", nspid));
	lt_cache_watch_rel(&calendar_cache, get_relname_relid("policy", nspid));
	PG_TRY();
	{
		cached_cal = lt_calendar_load(nspid, true);
	}
	PG_CATCH();
	{
		lt_cache_invalidate(&calendar_cache);
		PG_RE_THROW();
	}
	PG_END_TRY();
	MemoryContextSwitchTo(old);
	cached_nspid = nspid;
	return cached_cal;
}

PG_FUNCTION_INFO_V1(lt_calendar_changed);

/* calendar_changed(): statement trigger on the calendar and policy tables. */
Datum
lt_calendar_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = lt_cache_trigger_data(fcinfo, "calendar_changed");

	lt_cache_changed(&calendar_cache, td->tg_relation);
	PG_RETURN_POINTER(NULL);
}
