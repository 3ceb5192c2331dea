/*
 * track_job.c — a tracking job: one table's rows triaged in C one by one
 * into a batch (with the letter's deadline under the calendar and the
 * policy), the batch flushed to letter_state, and the problems met reported
 * once per job rather than once per letter.  The trigger and retriage() run
 * jobs; a problem with a letter never stops it: the letter is recorded with
 * needs_review, at least urgent.
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_namespace.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/formatting.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "compat.h"
#include "letter.h"
#include "track_internal.h"

/* The name of a table, schema-qualified. */
char *
lt_rel_display(Oid relid)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));
	char	   *rel = get_rel_name(relid);

	if (nsp == NULL || rel == NULL)
		return psprintf("with OID %u", relid);
	return quote_qualified_identifier(nsp, rel);
}

/* The owner of the extension's schema, whom the trigger writes as. */
Oid
lt_schema_owner(Oid nspid)
{
	HeapTuple	tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nspid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for namespace %u", nspid);
	owner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;
	ReleaseSysCache(tup);
	return owner;
}

void
lt_job_init(TrackJob *job, int32 table_id, Oid relid, Oid nspid, char **names, TupleDesc desc,
			int64 rows)
{
	int			c;
	int			cap = (int) Max(1, Min(rows, TRACK_BATCH));

	char	   *p;

	memset(job, 0, sizeof(TrackJob));
	job->cap = cap;
	/* the batch's arrays, in one allocation (Datums first, for alignment) */
	p = palloc(cap * (10 * sizeof(Datum) + sizeof(LtUrgency) + sizeof(uint32) + 3 * sizeof(bool)));
#define TAKE(field, type) (job->field = (type *) p, p += sizeof(type) * cap)
	TAKE(key, Datum);
	TAKE(urgency, Datum);
	TAKE(actions, Datum);
	TAKE(needs_review, Datum);
	TAKE(reason, Datum);
	TAKE(kind, Datum);
	TAKE(recipient, Datum);
	TAKE(created, Datum);
	TAKE(due, Datum);
	TAKE(sent, Datum);
	TAKE(urgency_code, LtUrgency);
	TAKE(action_bits, uint32);
	TAKE(kind_null, bool);
	TAKE(recipient_null, bool);
	TAKE(sent_null, bool);
#undef TAKE
	job->table_id = table_id;
	job->relid = relid;
	job->nspid = nspid;
	job->nspname = NULL;		/* looked up when SQL needs it */
	for (c = 0; c < NUM_COLS; c++)
		job->cols.name[c] = (names[c] && names[c][0]) ? names[c] : NULL;
	/* names[NUM_COLS ...]: the key's further columns, up to a NULL */
	job->cols.key.n = 0;
	if (job->cols.name[COL_KEY] != NULL)
	{
		job->cols.key.name[job->cols.key.n++] = job->cols.name[COL_KEY];
		for (c = NUM_COLS; names[c] != NULL && job->cols.key.n < INDEX_MAX_KEYS; c++)
			job->cols.key.name[job->cols.key.n++] = names[c];
	}
	lt_cols_resolve(&job->cols, desc);
	/* (lt_cols_resolve_letter() runs later, as the extension's owner) */
	job->triage = true;
	job->now = GetCurrentStatementStartTimestamp();
	/* in a procedure or a DO block the statement may have started hours ago */
	job->clock = GetCurrentTimestamp();
	job->batchcxt = AllocSetContextCreate(CurrentMemoryContext, "letters_triage tracking batch",
										  ALLOCSET_DEFAULT_SIZES);
	job->n = 0;
	job->rows = job->problems = job->lost = 0;
	job->first_problem = NULL;
	job->nsample = 0;
}

/* Start writing: connect to SPI, load the calendar and the policy. */
void
lt_job_begin(TrackJob *job)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	lt_cols_resolve_letter(&job->cols, job->nspid);
	if (job->triage)
	{
		if (!lt_calendar_is_cached(job->nspid))
			lt_job_sql_path(job);	/* it is read with SQL */
		job->cal = lt_calendar_cached(job->nspid);
		job->ruleset = lt_ruleset_current_version();
	}
}

/*
 * Could a letter have been created or sent at finite time t?  Not before
 * 1900, nor more than a year after it is tracked: such a time is a typing
 * or conversion error (year 1, a two-digit year read as the first century,
 * a placeholder date), and taken at its word it would make the deadline
 * meaningless and the flow view one row per day since then.
 */
static bool
time_plausible(TrackJob *job, TimestampTz t)
{
	TimestampTz earliest = (TimestampTz) (date2j(1900, 1, 1) - POSTGRES_EPOCH_JDATE) * USECS_PER_DAY;

	return t >= earliest && t <= job->now + 366 * USECS_PER_DAY;
}

/*
 * A time later than the statement that records it (its clock when it
 * writes the letter, not when a procedure calling it began) has not happened yet: a
 * sent time set ahead (a planned dispatch, a wrong clock or year) would
 * hide a letter nobody has sent, and a creation time ahead would put its
 * deadline off.  Two hours allow for a local time read as UTC in summer
 * and for clocks that disagree.
 */
static bool
time_ahead(TrackJob *job, TimestampTz t)
{
	return t > job->clock + 2 * USECS_PER_HOUR;
}

/*
 * Judge a row's created and sent times: an unreadable one is dropped (a
 * creation time then counts from when the letter was tracked, a sent time
 * means not sent) and the first problem found is returned.
 */
static const char *
check_times(TrackJob *job, bool *has_created, TimestampTz *created,
			bool *has_sent, TimestampTz *sent, const char *problem)
{
	const char *why = NULL;

	if (*has_created && TIMESTAMP_NOT_FINITE(*created))
		why = "creation time is not a finite time: deadline counted from when it was tracked";
	else if (*has_created && !time_plausible(job, *created))
		why = "creation time is before 1900 or more than a year ahead: deadline counted from when it was tracked";
	else if (*has_created && time_ahead(job, *created))
		why = "creation time is later than when it was tracked: deadline counted from when it was tracked";
	else if (!*has_created)
		why = "no creation time: deadline counted from when it was tracked";
	if (why != NULL)
	{
		*has_created = false;
		*created = job->now;
		if (problem == NULL)
			problem = why;
	}

	why = NULL;
	if (*has_sent && TIMESTAMP_NOT_FINITE(*sent))
		why = "sent time is not a finite time: taken as not sent";
	else if (*has_sent && !time_plausible(job, *sent))
		why = "sent time is before 1900 or more than a year ahead: taken as not sent";
	else if (*has_sent && time_ahead(job, *sent))
		why = "sent time is later than when it was tracked: taken as not sent";
	else if (*has_sent && *has_created && *sent < *created - USECS_PER_DAY)
		/* sent a day or more before it was written: a placeholder, not a sending */
		why = "sent time is before the letter was created: taken as not sent";
	if (why != NULL)
	{
		*has_sent = false;
		if (problem == NULL)
			problem = why;
	}
	return problem;
}

/*
 * A kind or practice value as recorded: cut to LT_VALUE_MAX_BYTES (an ODS
 * code has 6 characters; letter_state and the alerts index the practice, and
 * an index row has a size limit that would fail the application's write),
 * with a problem that sends the letter to a human.
 */
static char *
short_value(char *v, const char **problem, const char *what)
{
	int			len;

	if (v == NULL || (len = strlen(v)) <= LT_VALUE_MAX_BYTES)
		return v;
	if (*problem == NULL)
		*problem = psprintf("the %s value is longer than %d bytes (cut)", what, LT_VALUE_MAX_BYTES);
	v[pg_mbcliplen(v, len, LT_VALUE_MAX_BYTES)] = '\0';
	return v;
}

/* Count a problem of a row (its letter kept, for review), with its key as a sample. */
static void
note_problem(TrackJob *job, const char *key, const char *problem)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(job));

	job->problems++;
	if (job->first_problem == NULL)
		job->first_problem = pstrdup(problem);
	if (key != NULL && job->nsample < TRACK_SAMPLE_KEYS)
		job->sample[job->nsample++] = pstrdup(key);
	MemoryContextSwitchTo(old);
}

/*
 * The Dated header of a letters_triage.letter, as written (NULL if none):
 * given to the classifier as classify(letter) gives it, so that a deadline
 * written as a date counts from the same day in both, whatever the session's
 * DateStyle and TimeZone.
 */
static char *
letter_dated(Datum d)
{
	LtLetter   *l = DatumGetLtLetterP(d);
	int			len;
	const char *v = lt_letter_header(l, "Dated", &len);

	return v ? pnstrdup(v, len) : NULL;
}

/* Triage one row and add it to the batch. */
void
lt_job_row(TrackJob *job, TupleTableSlot *slot)
{
	TrackCols  *cols = &job->cols;
	MemoryContext old = MemoryContextSwitchTo(job->batchcxt);
	char	   *key;
	char	   *kind;
	char	   *recipient;
	const char *problem = cols->problem;
	TimestampTz created = 0,
				sent = 0;
	bool		has_sent,
				has_created;
	const char *body = "";
	int			len = 0;
	char	   *subject = NULL;
	char	   *dated = NULL;
	LtTriageResult res;
	StringInfoData buf;
	int			i = job->n;
	int			a;

	key = lt_row_key(job, slot);
	if (key == NULL || strlen(key) > LT_KEY_MAX_BYTES)
	{
		/*
		 * without its key a letter cannot be recorded at all, nor with a key
		 * longer than letter_state's index takes (the application's write
		 * must not fail for it): counted as lost, a tracking error
		 */
		job->lost++;
		if (job->first_problem == NULL)
		{
			MemoryContextSwitchTo(GetMemoryChunkContext(job));
			job->first_problem = key != NULL ? psprintf("a row's key is longer than %d bytes", LT_KEY_MAX_BYTES)
				: cols->attno[COL_KEY] == 0 && cols->problem ? pstrdup(cols->problem)
				: pstrdup("a row has no key");
		}
		MemoryContextSwitchTo(old);
		return;
	}

	kind = short_value(lt_cols_string(cols, COL_KIND, slot), &problem, "kind");
	recipient = short_value(lt_cols_string(cols, COL_RECIPIENT, slot), &problem, "practice");
	has_sent = lt_cols_time(cols, COL_SENT, slot, &sent);
	has_created = lt_cols_time(cols, COL_CREATED, slot, &created);

	/* the letter itself: its text, and the parts of a letters_triage.letter */
	if (cols->attno[COL_BODY] != 0)
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, cols->attno[COL_BODY], &isnull);
		Datum		part;

		if (!isnull && cols->body_is_letter)
		{
			if (lt_cols_letter_part(cols, PART_BODY, d, &part))
			{
				text	   *t = DatumGetTextPP(part);

				body = VARDATA_ANY(t);
				len = VARSIZE_ANY_EXHDR(t);
			}
			if (lt_cols_letter_part(cols, PART_SUBJECT, d, &part))
				subject = TextDatumGetCString(part);
			if (kind == NULL && lt_cols_letter_part(cols, PART_KIND, d, &part))
				kind = TextDatumGetCString(part);
			if (recipient == NULL && lt_cols_letter_part(cols, PART_RECIPIENT, d, &part))
				recipient = TextDatumGetCString(part);
			if (!has_created && lt_cols_letter_part(cols, PART_DATED, d, &part))
			{
				created = DatumGetTimestampTz(part);
				has_created = true;
			}
			dated = letter_dated(d);
		}
		else if (!isnull && lt_cols_is_text_type(cols->type[COL_BODY]) && cols->type[COL_BODY] != NAMEOID)
		{
			text	   *t = DatumGetTextPP(d);

			body = VARDATA_ANY(t);
			len = VARSIZE_ANY_EXHDR(t);
		}
		else if (!isnull)
		{
			body = OutputFunctionCall(&cols->out[COL_BODY], d);
			len = strlen(body);
		}
	}
	if (kind != NULL)
		kind = str_tolower(kind, strlen(kind), DEFAULT_COLLATION_OID);
	problem = check_times(job, &has_created, &created, &has_sent, &sent, problem);
	if (cols->check_nhs && problem == NULL)
	{
		/* a letter about the wrong patient is worse than a late one */
		char	   *nhs = lt_cols_string(cols, COL_NHS, slot);

		if (nhs == NULL)
			problem = "no NHS number";
		else if (!DatumGetBool(FunctionCall1(&cols->nhs_valid_fn, CStringGetTextDatum(nhs))))
			problem = "invalid NHS number";
	}

	memset(&res, 0, sizeof(res));
	if (job->triage)
		lt_triage(body, len, kind, subject, dated, &res);
	else
	{
		res.urgency = LT_URGENCY_URGENT;
		res.needs_review = true;
		res.reason = NULL;
		problem = job->fallback_reason;
	}

	if (problem != NULL)
	{
		res.needs_review = true;
		if (res.urgency < LT_URGENCY_URGENT)
			res.urgency = LT_URGENCY_URGENT;
		res.reason = res.reason ? psprintf("%s; %s", problem, res.reason) : pstrdup(problem);
		note_problem(job, key, problem);
	}

	initStringInfo(&buf);
	for (a = 0; a < LT_NUM_ACTIONS; a++)
	{
		if (res.actions & LT_ACTION_BIT(a))
		{
			if (buf.len > 0)
				appendStringInfoChar(&buf, ',');
			appendStringInfoString(&buf, lt_action_name((LtAction) a));
		}
	}

	job->key[i] = CStringGetTextDatum(key);
	job->urgency[i] = CStringGetTextDatum(lt_urgency_name(res.urgency));
	job->urgency_code[i] = res.urgency;
	job->action_bits[i] = res.actions;
	job->actions[i] = CStringGetTextDatum(buf.data);
	job->needs_review[i] = BoolGetDatum(res.needs_review);
	job->reason[i] = CStringGetTextDatum(res.reason ? res.reason : "");
	job->kind_null[i] = (kind == NULL);
	job->kind[i] = kind ? CStringGetTextDatum(kind) : (Datum) 0;
	job->recipient_null[i] = (recipient == NULL);
	job->recipient[i] = recipient ? CStringGetTextDatum(recipient) : (Datum) 0;
	job->created[i] = TimestampTzGetDatum(created);
	job->due[i] = TimestampTzGetDatum(job->triage ? lt_due(job->cal, created, res.urgency, kind)
									  : created);
	job->sent_null[i] = !has_sent;
	job->sent[i] = TimestampTzGetDatum(has_sent ? sent : 0);
	job->n++;
	MemoryContextSwitchTo(old);
	if (job->n == job->cap && !job->collect_only)
		lt_job_flush(job);
}

void
lt_job_flush(TrackJob *job)
{
	if (job->n == 0)
		return;
	if (!job->direct || !lt_direct_write(job, false))
		lt_state_upsert(job);
	job->rows += job->n;
	job->n = 0;
	MemoryContextReset(job->batchcxt);
}

/* Note a tracking problem with one letter. */
void
lt_job_report(TrackJob *job)
{
	/* retriage() reports to the DBA who ran it, the trigger to the log */
	int			elevel = job->retriage ? WARNING : lt_track_elevel();

	if (job->problems == 0 && job->lost == 0)
		return;
	if (job->lost > 0)
	{
		ereport(elevel,
				(errhidestmt(true), errhidecontext(true),
				 errmsg_plural("letters_triage could not track " INT64_FORMAT " letter of table %s",
							   "letters_triage could not track " INT64_FORMAT " letters of table %s",
							   job->lost, job->lost, lt_rel_display(job->relid)),
				 errdetail("%s", job->first_problem ? job->first_problem : "unknown problem"),
				 errhint("Correct the mapping with letters_triage.watch().")));
		lt_state_log(job, "error", job->lost, job->first_problem ? job->first_problem : "letters not recorded");
	}
	if (job->problems > 0)
	{
		ereport(elevel,
				(errhidestmt(true), errhidecontext(true),
				 errmsg_plural("letters_triage recorded " INT64_FORMAT " letter of table %s for review",
							   "letters_triage recorded " INT64_FORMAT " letters of table %s for review",
							   job->problems, job->problems, lt_rel_display(job->relid)),
				 errdetail("%s", job->first_problem)));
		lt_state_log(job, "problem", job->problems, job->first_problem);
	}
}

