/*
 * track_trigger.c — track(), the statement-level trigger that watch()
 * attaches to an application's table, and the jobs it runs for each kind of
 * statement: INSERT and UPDATE (triage and record the new rows, withdraw the
 * keys that moved), DELETE and TRUNCATE (withdraw the unsent letters).
 *
 * The trigger reads the statement's transition tables directly and writes
 * as the owner of the extension's schema (switching user as the
 * referential-integrity triggers do), so application roles need no grants.
 * It never fails the application's statement: problems with a letter are
 * recorded with needs_review, and any error is caught, written to the server
 * log and recorded in tracking_log.  Nothing reaches the application's
 * client unless letters_triage.client_warnings is on.
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "runas.h"
#include "track_apply.h"
#include "track_internal.h"
#include "track_partition.h"
#include "trigger_fired.h"

StaticAssertDecl(NUM_COLS + 1 == LT_TRACK_NARGS, "track()'s arguments are the identity and the mapped columns");

/*
 * letters_triage.client_warnings: whether the tracking trigger's problems
 * are also sent to the application's client as WARNINGs.  Off by default:
 * the application must not notice tracking (drivers turn WARNINGs into
 * notices, SQLWarnings and events that applications log or act on); the
 * problems go to the server log, tracking_log and the alerts.
 */
static bool track_client_warnings = false;

/* Define the tracking settings (at library load). */
void
lt_track_init(void)
{
	lt_defer_init();
	DefineCustomBoolVariable("letters_triage.client_warnings",
							 "Sends the tracking trigger's problems to the application's client as WARNINGs.",
							 "Off: they go to the server log only (and to tracking_log).",
							 &track_client_warnings,
							 false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);
}

/*
 * The level of the trigger's reports: the server log only, unless asked.
 * Every report hides the statement and its context: a LOG line would
 * otherwise carry the application's statement (log_min_error_statement
 * ranks LOG above ERROR), with its NHS numbers and letter text.
 */
int
lt_track_elevel(void)
{
	return track_client_warnings ? WARNING : LOG_SERVER_ONLY;
}

static TupleTableSlot *
open_transition(Tuplestorestate *ts, TupleDesc desc)
{
	int			ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);

	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	/* a copy, so that the slot pins no reference-counted descriptor */
	return MakeSingleTupleTableSlot(CreateTupleDescCopy(desc), &TTSOpsMinimalTuple);
}

/* What the trigger was fired for. */
typedef enum TrackMode
{
	MODE_ROWS,					/* INSERT or UPDATE */
	MODE_DELETE,
	MODE_TRUNCATE,
	MODE_JUDGE,					/* before commit: withdraw the noted keys that are gone */
	MODE_LOG_ERROR				/* only record an error in tracking_log */
} TrackMode;

typedef struct TrackEvent
{
	TriggerData *td;
	TrackMode	mode;
	const char *error;			/* MODE_LOG_ERROR: what went wrong */
	int64		letters;		/* MODE_LOG_ERROR: how many letters it concerns */
	void	   *pending;		/* MODE_JUDGE: the table's noted keys (track_defer.c) */
} TrackEvent;

/*
 * After an UPDATE that changed keys: withdraw the old keys that none of the
 * statement's new rows has.  A key can move onto another that moves on in
 * turn (a swap or a cycle of keys, a shift by one, allowed by a deferrable
 * key or by the order the rows are updated in): such a key still names a
 * letter of the table, whose state row the statement has just written.
 */
static void
withdraw_moved_keys(TrackJob *job, char **oldkeys, int nold, char **newkeys, int nnew, bool defer)
{
	LtKeySet   *present = lt_keyset_create("letters_triage new keys");
	Datum	   *gone = palloc(sizeof(Datum) * Max(nold, 1));
	int			ngone = 0;

	for (int i = 0; i < nnew; i++)
		lt_keyset_add(present, newkeys[i]);
	for (int i = 0; i < nold; i++)
	{
		if (!lt_keyset_contains(present, oldkeys[i]))
			gone[ngone++] = CStringGetTextDatum(oldkeys[i]);
		if (ngone == TRACK_BATCH || (i == nold - 1 && ngone > 0))
		{
			if (defer)
				lt_defer_withdraw(job, gone, ngone, "key changed");
			else
				lt_state_withdraw(job, gone, ngone, "key changed");
			ngone = 0;
		}
	}
	hash_destroy((HTAB *) present);
}

/* INSERT or UPDATE: triage and record every new row; withdraw changed keys. */
static void
track_rows(TrackJob *job, TrackEvent *ev)
{
	TriggerData *td = ev->td;
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	TupleTableSlot *slot = open_transition(td->tg_newtable, desc);
	char	  **oldkeys = NULL;
	char	  **newkeys = NULL;
	int			nold = 0,
				nnew = 0,
				cap = 0;
	TupleTableSlot *oslot = NULL;

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && td->tg_oldtable != NULL)
	{
		int64		rows = tuplestore_tuple_count(td->tg_newtable);

		oslot = open_transition(td->tg_oldtable, desc);
		cap = (int) Max(1, rows);
		newkeys = palloc(sizeof(char *) * cap);
	}

	for (;;)
	{
		if (!tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
			break;
		lt_job_row(job, slot);
		if (oslot && tuplestore_gettupleslot(td->tg_oldtable, true, false, oslot))
		{
			char	   *ok = lt_row_key(job, oslot);
			char	   *nk = lt_row_key(job, slot);

			if (nk != NULL && nnew < cap)
				newkeys[nnew++] = nk;
			if (ok != NULL && (nk == NULL || strcmp(ok, nk) != 0))
			{
				/* the key changed: the old key's letter may be gone */
				if (oldkeys == NULL)
					oldkeys = palloc(sizeof(char *) * cap);
				oldkeys[nold++] = ok;
			}
		}
	}
	lt_job_flush(job);
	if (nold > 0)
		withdraw_moved_keys(job, oldkeys, nold, newkeys, nnew,
							lt_cols_key_deferrable(td->tg_relation));
	ExecDropSingleTupleTableSlot(slot);
	if (oslot)
		ExecDropSingleTupleTableSlot(oslot);
}

/*
 * DELETE: the unsent letters among the old rows are withdrawn; with a
 * deferrable key, at commit unless a row still has the key.
 */
static void
track_delete(TrackJob *job, TrackEvent *ev)
{
	TriggerData *td = ev->td;
	TupleTableSlot *slot = open_transition(td->tg_oldtable, RelationGetDescr(td->tg_relation));
	Datum	   *keys = palloc(sizeof(Datum) * TRACK_BATCH);
	int			n = 0;
	void		(*withdraw) (TrackJob *, Datum *, int, const char *) =
		lt_cols_key_deferrable(td->tg_relation) ? lt_defer_withdraw : lt_state_withdraw;

	while (tuplestore_gettupleslot(td->tg_oldtable, true, false, slot))
	{
		char	   *k = lt_row_key(job, slot);

		if (k == NULL)
			continue;
		keys[n++] = CStringGetTextDatum(k);
		if (n == TRACK_BATCH)
		{
			withdraw(job, keys, n, "deleted");
			n = 0;
		}
	}
	withdraw(job, keys, n, "deleted");
	ExecDropSingleTupleTableSlot(slot);
}

/* TRUNCATE: every unsent letter of the table is withdrawn, and it is logged. */
static void
track_truncate(TrackJob *job)
{
	StringInfoData sql;
	Datum		args[1];
	Oid			types[1] = {INT4OID};
	int			rc;
	char	   *detail;

	lt_job_sql_path(job);
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "UPDATE %s.letter_state SET status = 'withdrawn',"
					 " withdrawn = pg_catalog.statement_timestamp(),"
					 " reason = CASE WHEN reason IS NULL THEN 'table truncated'"
					 "  ELSE reason OPERATOR(pg_catalog.||) '; table truncated' END"
					 " WHERE table_id OPERATOR(pg_catalog.=) $1"
					 " AND status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])",
					 lt_job_nspname(job));
	args[0] = Int32GetDatum(job->table_id);
	rc = SPI_execute_with_args(sql.data, 1, types, args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	detail = psprintf("table truncated: " UINT64_FORMAT " unsent letters withdrawn", SPI_processed);
	lt_state_log(job, "truncate", (int64) SPI_processed, detail);
}

/* Run the work for one trigger event (inside a subtransaction). */
static pg_noinline void
run_event(TrackJob *job, TrackEvent *ev)
{
	lt_job_begin(job);
	switch (ev->mode)
	{
		case MODE_ROWS:
			track_rows(job, ev);
			break;
		case MODE_DELETE:
			track_delete(job, ev);
			break;
		case MODE_TRUNCATE:
			track_truncate(job);
			break;
		case MODE_JUDGE:
			lt_defer_judge(job, ev->pending);
			break;
		case MODE_LOG_ERROR:
			lt_state_log(job, "error", ev->letters, ev->error);
			break;
	}
	lt_job_report(job);
	SPI_finish();
}

/* An event and its job, for lt_run_protected(). */
typedef struct EventCall
{
	TrackJob   *job;
	TrackEvent *ev;
} EventCall;

static void
event_call(void *arg)
{
	EventCall  *c = arg;
	LtRunAs		ra;

	lt_run_as_begin(&ra, lt_schema_owner(c->job->nspid), false);
	run_event(c->job, c->ev);
	lt_run_as_end(&ra);
}

/*
 * Run one event as the extension's owner in a subtransaction; on error,
 * return the error (the subtransaction rolled back), else NULL.  A cancel
 * goes on up.
 */
static ErrorData *
run_protected(TrackJob *job, TrackEvent *ev)
{
	EventCall	c = {job, ev};

	return lt_run_protected(event_call, &c);
}

/*
 * Triage the rows of an INSERT into the batch, as the extension's owner,
 * catching any error without a subtransaction: this part only computes
 * (take_cached() took the rules, the calendar and the functions it calls;
 * the output functions compute only, and no value is read from a TOAST
 * table), so an error leaves no lock, buffer pin or SPI connection to
 * release.  False when it failed or met a problem to record (the protected
 * path does it again).
 */
static bool
collect_quietly(TrackJob *job, TrackEvent *ev)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	TriggerData *td = ev->td;
	volatile bool ok = true;

	PG_TRY();
	{
		TupleTableSlot *slot = open_transition(td->tg_newtable, RelationGetDescr(td->tg_relation));

		while (ok && job->n < job->cap &&
			   tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
		{
			if (lt_cols_row_inline(&job->cols, slot))
				lt_job_row(job, slot);
			else
				ok = false;
		}
		/* more rows than the batch holds: not for this path */
		if (ok && tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
			ok = false;
		ExecDropSingleTupleTableSlot(slot);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		if (lt_must_rethrow(edata))
			PG_RE_THROW();
		FlushErrorState();
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok && job->problems == 0 && job->lost == 0;
}

/* Could run_quiet() track this event?  (Its caches warm, letter_state as it knows it.) */
static bool
quiet_possible(TrackJob *job, TrackEvent *ev)
{
	return job->direct && ev->mode == MODE_ROWS && lt_calendar_is_cached(job->nspid) &&
		lt_ruleset_is_current() && lt_cols_functions_cached(job->nspid) &&
		lt_direct_cached();
}

/*
 * Take from the caches what triage needs, while quiet_possible() says they
 * are current: each call below then only returns or copies what is cached
 * (no look-up, so no lock and no invalidation processed), and
 * lt_triage() keeps finding the rule set current.  False when the rows
 * would need an output function that may read the catalogs: then the
 * protected path runs.
 */
static bool
take_cached(TrackJob *job, TrackEvent *ev)
{
	if (!quiet_possible(job, ev))
		return false;
	lt_cols_resolve_letter(&job->cols, job->nspid);
	job->cal = lt_calendar_cached(job->nspid);
	job->ruleset = lt_ruleset_current_version();
	return lt_cols_outputs_pure(&job->cols);
}

/*
 * The tracking of an INSERT of new letters without a subtransaction, and so
 * without a transaction ID of its own: a subtransaction that writes takes
 * one, and more than 64 in a transaction overflow its snapshot's cache of
 * them, which slows down every snapshot in the cluster (a batch job that
 * inserts letters one by one in a transaction would do that).  Taken only
 * when nothing foreseeable can fail: the caches are warm (no SQL to run),
 * triage finds no problem to record, and lt_direct_write() finds every row
 * acceptable and every key new.  False when nothing was written: the caller
 * then runs the protected path (whose subtransaction rolls back whatever
 * fails).
 */
static bool
run_quiet(TrackJob *job, TrackEvent *ev)
{
	LtRunAs		ra;
	bool		done = false;

	job->collect_only = true;
	lt_run_as_begin(&ra, lt_schema_owner(job->nspid), false);
	/* (after the look-ups, which may process invalidations) */
	if (job->cols.attno[COL_KEY] != 0 &&
		lt_cols_key_unique_now(ev->td->tg_relation, &job->cols.key) &&
		take_cached(job, ev) && collect_quietly(job, ev))
	{
		done = (job->n == 0 || lt_direct_write(job, true));
		if (done)
			job->rows += job->n;
	}
	lt_run_as_end(&ra);
	return done;
}

/* The step of the trigger that an event of this kind failed in. */
static const char *
event_step(TrackEvent *ev, bool triage)
{
	switch (ev->mode)
	{
		case MODE_ROWS:
			return triage ? "triage and record" : "record untriaged";
		case MODE_DELETE:
			return "withdraw deleted letters";
		case MODE_TRUNCATE:
			return "withdraw the truncated table's letters";
		case MODE_JUDGE:
			return "withdraw the keys gone at commit";
		case MODE_LOG_ERROR:
			break;
	}
	return "record the error";
}

/*
 * Report that step failed, as "letters_triage could not <failed> <table>",
 * and return what tracking_log records of it.  Both say of the error its
 * SQLSTATE and the step, not its text, which can quote values of the row
 * ("invalid input syntax for type bigint: "943 476 5919"": a patient's NHS
 * number) into the server log and tracking_log.  The text goes to the
 * server log only, and only when the DBA asks for it with log_min_messages
 * = debug1 (not to the client, whose client_min_messages the application
 * sets).  (An error the trigger must not swallow never comes here:
 * lt_run_protected() raises it again.)
 */
static const char *
report_failure(TrackJob *job, ErrorData *edata, const char *step, const char *failed, bool hint)
{
	const char *why;

	if (log_min_messages <= DEBUG1)
		ereport(LOG_SERVER_ONLY,
				(errhidestmt(true), errhidecontext(true),
				 errmsg_internal("letters_triage: step \"%s\" of tracking table %s failed: %s",
								 step, lt_rel_display(job->relid), edata->message)));
	why = psprintf("step \"%s\" failed with SQLSTATE %s", step, unpack_sql_state(edata->sqlerrcode));
	ereport(lt_track_elevel(),
			(errhidestmt(true), errhidecontext(true),
			 errmsg("letters_triage could not %s %s", failed, lt_rel_display(job->relid)),
			 errdetail("Tracking %s.", why),
			 hint ? errhint("The letters are recorded for review; letters_triage.retriage() triages them again.") : 0));
	return why;
}

/*
 * The event failed: record its letters untriaged for review (or, for a
 * DELETE or TRUNCATE, the error), and when that fails too, at least the
 * error.  Each attempt starts afresh in a subtransaction of its own.
 */
static void
track_failed(TrackJob *job, TrackEvent *ev, ErrorData *edata, char **names, TupleDesc desc,
			 int64 nrows)
{
	const char *why = report_failure(job, edata, event_step(ev, true), "track a change to table", true);

	/* second attempt: record the letters untriaged, or at least the error */
	MemoryContextDelete(job->batchcxt);
	lt_job_init(job, job->table_id, job->relid, job->nspid, names, desc, nrows);
	if (ev->mode == MODE_ROWS)
	{
		job->triage = false;
		job->fallback_reason = psprintf("not triaged: %s", why);
	}
	else
	{
		ev->mode = MODE_LOG_ERROR;
		ev->error = psprintf("letters not withdrawn: %s", why);
	}
	edata = run_protected(job, ev);
	if (edata != NULL && ev->mode == MODE_ROWS)
	{
		/* third attempt: at least record the error */
		why = report_failure(job, edata, event_step(ev, false), "record letters of table", false);
		MemoryContextDelete(job->batchcxt);
		lt_job_init(job, job->table_id, job->relid, job->nspid, names, desc, nrows);
		ev->mode = MODE_LOG_ERROR;
		ev->error = psprintf("letters not recorded: %s", why);
		ev->letters = nrows;
		edata = run_protected(job, ev);
	}
	if (edata != NULL)
		(void) report_failure(job, edata, event_step(ev, false), "record an error for table", false);
}

PG_FUNCTION_INFO_V1(lt_track);

/*
 * track(): the statement-level trigger that watch() puts on a table.
 * Arguments: the table's identity (watched.id), then the column names of
 * key, body, created, sent, recipient, nhs_number and kind ('' when not
 * mapped).
 */
Datum
lt_track(PG_FUNCTION_ARGS)
{
	TriggerData *td = lt_trigger_fired_after_statement(fcinfo, "track");
	Oid			nspid;

	/*
	 * A trigger not made by watch() (its arguments, or its transition
	 * tables, missing) cannot track, but must not fail the application's
	 * statement either: it is skipped with a warning, and tracking_status
	 * does not count it, so check_tracking raises an alert for the table.
	 * (Then the key's further columns, if it has several.)
	 */
	if (td->tg_trigger->tgnargs < LT_TRACK_NARGS ||
		td->tg_trigger->tgnargs > LT_TRACK_NARGS + INDEX_MAX_KEYS - 1 ||
		(TRIGGER_FIRED_BY_INSERT(td->tg_event) && td->tg_newtable == NULL) ||
		(TRIGGER_FIRED_BY_UPDATE(td->tg_event) && td->tg_newtable == NULL) ||
		(TRIGGER_FIRED_BY_DELETE(td->tg_event) && td->tg_oldtable == NULL))
	{
		ereport(WARNING,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table \"%s\" does not track: it was not made by letters_triage.watch()",
						td->tg_trigger->tgname, RelationGetRelationName(td->tg_relation)),
				 errhint("Run letters_triage.watch() on the table again.")));
		PG_RETURN_POINTER(NULL);
	}

	nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	/* in a replica session the row-level path tracks the table, if it has one */
	if (lt_apply_covers(td->tg_relation, nspid, td->tg_event))
		PG_RETURN_POINTER(NULL);
	return lt_track_event(td, nspid);
}

/*
 * Track one statement's changes to a table (td: what a statement-level
 * trigger is given, with the arguments of track()), as the extension of
 * schema nspid.
 */
Datum
lt_track_event(TriggerData *td, Oid nspid)
{
	TrackEvent	ev;
	TrackJob   *job;
	ErrorData  *edata;
	char	   *names[NUM_COLS + INDEX_MAX_KEYS];
	int			c;
	int64		nrows;
	int32		table_id = lt_ident_arg(td->tg_trigger);
	Oid			root;

	/* (a partition's letters are its watched table's) */
	root = lt_partition_root(RelationGetRelid(td->tg_relation), nspid);
	if (!lt_ident_bound(nspid, table_id, root))
	{
		/*
		 * Not this table's identity (a trigger restored from another
		 * database, or copied onto another table): recording the changes
		 * would write into another table's history.  tracking_status
		 * reports the trigger, check_tracking raises an alert.
		 */
		ereport(lt_track_elevel(),
				(errhidestmt(true), errhidecontext(true),
				 errmsg("letters_triage did not track a change to table %s", lt_rel_display(root)),
				 errdetail("Its tracking trigger \"%s\" carries identity %s, which is not this table's mapping in letters_triage.watched.",
						   td->tg_trigger->tgname, td->tg_trigger->tgargs[0]),
				 errhint("Run letters_triage.watch() on the table again.")));
		PG_RETURN_POINTER(NULL);
	}

	/* the mapped columns, then the key's further columns if it has several */
	for (c = 1; c < td->tg_trigger->tgnargs && c < NUM_COLS + INDEX_MAX_KEYS; c++)
		names[c - 1] = td->tg_trigger->tgargs[c];
	names[c - 1] = NULL;
	ev.td = td;
	ev.error = NULL;
	ev.letters = 0;
	ev.pending = NULL;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ev.mode = MODE_ROWS;
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ev.mode = MODE_DELETE;
	else
		ev.mode = MODE_TRUNCATE;

	job = palloc(sizeof(TrackJob));
	nrows = (ev.mode == MODE_ROWS) ? tuplestore_tuple_count(td->tg_newtable) : 1;
	lt_job_init(job, table_id, root, nspid, names, RelationGetDescr(td->tg_relation), nrows);
	job->direct = (ev.mode == MODE_ROWS && TRIGGER_FIRED_BY_INSERT(td->tg_event));
	if (quiet_possible(job, &ev))
	{
		if (run_quiet(job, &ev))
		{
			MemoryContextDelete(job->batchcxt);
			PG_RETURN_POINTER(NULL);
		}
		/* nothing written: the protected path, from the start */
		MemoryContextDelete(job->batchcxt);
		lt_job_init(job, job->table_id, job->relid, job->nspid, names, RelationGetDescr(td->tg_relation), nrows);
		job->direct = true;
	}
	edata = run_protected(job, &ev);
	if (edata != NULL && job->direct && edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION)
	{
		/* a state row for one of the keys appeared meanwhile: use the upsert */
		MemoryContextDelete(job->batchcxt);
		lt_job_init(job, job->table_id, job->relid, job->nspid, names, RelationGetDescr(td->tg_relation), nrows);
		edata = run_protected(job, &ev);
	}
	if (edata != NULL)
		track_failed(job, &ev, edata, names, RelationGetDescr(td->tg_relation), nrows);
	MemoryContextDelete(job->batchcxt);
	PG_RETURN_POINTER(NULL);
}

/*
 * Before commit: withdraw the keys of table relid that track_defer.c noted
 * (pending) and no row has any more, as the trigger's jobs run: as the
 * extension's owner, in a subtransaction, an error recorded and never
 * raised into the application's COMMIT.
 */
void
lt_track_judge_deferred(int32 table_id, Oid relid, Oid nspid, char **names, TupleDesc desc,
						void *pending)
{
	TrackEvent	ev;
	TrackJob   *job = palloc(sizeof(TrackJob));
	ErrorData  *edata;

	memset(&ev, 0, sizeof(ev));
	ev.mode = MODE_JUDGE;
	ev.pending = pending;
	lt_job_init(job, table_id, relid, nspid, names, desc, 1);
	job->triage = false;
	edata = run_protected(job, &ev);
	if (edata != NULL)
		track_failed(job, &ev, edata, names, desc, 1);
	MemoryContextDelete(job->batchcxt);
}
