/*
 * track_state.c — letter_state and tracking_log written through SPI: the
 * upsert of a batch of triaged letters (a letter seen before, an UPDATE of a
 * watched row, retriage()), the withdrawal of keys, and the entries of
 * tracking_log.  The statements are prepared once per backend and schema;
 * every value is passed as a parameter, and every name in them is qualified
 * or its operator spelt OPERATOR(pg_catalog.x), as they run with whatever
 * search_path is set (see lt_job_sql_path()).  New letters of an INSERT go
 * the shorter way of track_direct.c when they can.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/multixact.h"
#include "access/subtrans.h"
#include "access/table.h"
#include "access/transam.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/bufmgr.h"
#include "storage/proc.h"
#include "storage/procarray.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "runas.h"
#include "track_internal.h"

/*
 * The extension's schema, quoted, for the SQL a job runs (looked up when
 * first needed: the direct path runs none).
 */
const char *
lt_job_nspname(TrackJob *job)
{
	if (job->nspname == NULL)
		job->nspname = MemoryContextStrdup(GetMemoryChunkContext(job),
										   quote_identifier(get_namespace_name(job->nspid)));
	return job->nspname;
}

/* Saved plans, valid for the extension schema they were made for. */
static Oid	plan_nspid = InvalidOid;
static SPIPlanPtr upsert_plan = NULL;
static SPIPlanPtr withdraw_plan = NULL;

/*
 * The sent time a letter's state takes.  The trigger knows it (it runs in the
 * application's transaction, with the row locked); retriage() ($13) reads the
 * table under an older snapshot, so it never forgets a sent time recorded
 * meanwhile, and leaves withdrawn letters alone (see the WHERE clause).
 */
#define NEW_SENT "(CASE WHEN $13 THEN COALESCE(excluded.sent, s.sent) ELSE excluded.sent END)"

/*
 * A letter's deadline is judged once: when it is sent, or when the checks
 * find it overdue.  From then on its due time stays what it was, whatever
 * later changes to the policy, the rules or the letter (retriage(), an UPDATE
 * of the row) would compute, so that a letter sent in time never becomes
 * late after the fact.  Lateness is never erased: a letter found overdue is
 * sent_late whenever it is sent (even with a sent time the application dates
 * back), a sent_late letter stays sent_late when its sent time is corrected,
 * and is overdue again when the application clears it.  A letter sent in
 * time whose sent time is cleared (or set ahead: not sent) waits again under
 * the policy, at the urgency of the same statement's body.  (A withdrawn
 * letter whose key comes back is a new letter.)
 */
#define JUDGED "(s.status OPERATOR(pg_catalog.<>) 'withdrawn'" \
	" AND (s.sent IS NOT NULL OR s.status OPERATOR(pg_catalog.=) 'overdue'))"
#define NEW_DUE "(CASE WHEN " JUDGED " AND NOT (" NEW_SENT " IS NULL AND s.status OPERATOR(pg_catalog.=) 'sent')" \
	" THEN s.due ELSE excluded.due END)"

/*
 * The statement that withdraws the keys $2 of watched table $1, adding the
 * reason $3 to theirs; a letter sent or withdrawn already stays as it is.
 * With returning, it returns the keys it withdrew.  (A join with the keys,
 * looked up one by one in the primary key: "key = ANY ($2)" let the generic
 * plan scan every unsent letter of the partial index and compare it with
 * each key, quadratic in a bulk DELETE.)
 */
static void
withdraw_sql(StringInfo sql, const char *nspname, bool returning)
{
	appendStringInfo(sql,
					 "UPDATE %s.letter_state s SET status = 'withdrawn',"
					 " withdrawn = pg_catalog.statement_timestamp(),"
					 " reason = CASE WHEN s.reason IS NULL THEN $3"
					 "  ELSE s.reason OPERATOR(pg_catalog.||) '; ' OPERATOR(pg_catalog.||) $3 END"
					 " FROM pg_catalog.unnest($2) AS k(key)"
					 " WHERE s.table_id OPERATOR(pg_catalog.=) $1"
					 " AND s.key OPERATOR(pg_catalog.=) k.key"
					 " AND s.status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])"
					 "%s",
					 nspname, returning ? " RETURNING s.key" : "");
}

/* Prepare (once per backend and schema) the statements the trigger runs. */
void
lt_state_prepare(TrackJob *job)
{
	StringInfoData sql;
	Oid			types[13] = {
		INT4OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, BOOLARRAYOID, TEXTARRAYOID,
		TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID,
		TIMESTAMPTZARRAYOID, INT8OID, BOOLOID
	};
	Oid			wtypes[3] = {INT4OID, TEXTARRAYOID, TEXTOID};
	const char *s = lt_job_nspname(job);
	SPIPlanPtr	up,
				wd;

	if (plan_nspid == job->nspid && upsert_plan != NULL && withdraw_plan != NULL)
		return;
	if (upsert_plan)
		SPI_freeplan(upsert_plan);
	if (withdraw_plan)
		SPI_freeplan(withdraw_plan);
	upsert_plan = withdraw_plan = NULL;
	plan_nspid = InvalidOid;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO %s.letter_state AS s (table_id, key, urgency, actions, needs_review, reason,"
					 " kind, recipient, created, due, sent, status, triaged_at, ruleset_version)"
					 " SELECT $1, t.key, t.urgency::%s.urgency,"
					 " pg_catalog.string_to_array(t.actions, ','), t.needs_review, t.reason, t.kind,"
					 " t.recipient, t.created, t.due, t.sent,"
					 " CASE WHEN t.sent IS NULL THEN 'waiting'"
					 " WHEN t.sent OPERATOR(pg_catalog.<=) t.due THEN 'sent' ELSE 'sent_late' END,"
					 " pg_catalog.statement_timestamp(), $12"
					 " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
					 " pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7),"
					 " pg_catalog.unnest($8), pg_catalog.unnest($9), pg_catalog.unnest($10),"
					 " pg_catalog.unnest($11))"
					 " AS t(key, urgency, actions, needs_review, reason, kind, recipient, created, due, sent)"
					 " ON CONFLICT (table_id, key) DO UPDATE SET"
					 " urgency = excluded.urgency, actions = excluded.actions,"
					 " needs_review = excluded.needs_review, reason = excluded.reason,"
					 " kind = excluded.kind, recipient = excluded.recipient,"
					 " created = excluded.created, due = " NEW_DUE ", sent = " NEW_SENT ","
					 " status = CASE"
					 " WHEN " NEW_SENT " IS NULL THEN"
					 "  CASE WHEN s.status OPERATOR(pg_catalog.=) ANY ('{overdue,sent_late}'::pg_catalog.text[])"
					 "   THEN 'overdue' ELSE 'waiting' END"
					 " WHEN s.status OPERATOR(pg_catalog.=) ANY ('{overdue,sent_late}'::pg_catalog.text[])"
					 "  OR " NEW_SENT " OPERATOR(pg_catalog.>) " NEW_DUE " THEN 'sent_late'"
					 " ELSE 'sent' END,"
					 " triaged_at = excluded.triaged_at, ruleset_version = excluded.ruleset_version,"
					 " withdrawn = NULL"
					 " WHERE NOT $13 OR s.status OPERATOR(pg_catalog.<>) 'withdrawn'",
					 s, s);
	/* a generic plan: planning it again for every statement would cost more than running it */
	up = SPI_prepare_cursor(sql.data, 13, types, CURSOR_OPT_GENERIC_PLAN);
	if (up == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));

	resetStringInfo(&sql);
	withdraw_sql(&sql, s, false);
	wd = SPI_prepare_cursor(sql.data, 3, wtypes, CURSOR_OPT_GENERIC_PLAN);
	if (wd == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));

	/*
	 * Kept only now that both are prepared: a plan not kept is freed with
	 * the SPI connection when a prepare fails, and a static pointing at it
	 * would be freed again by the next call.
	 */
	SPI_keepplan(up);
	SPI_keepplan(wd);
	upsert_plan = up;
	withdraw_plan = wd;
	plan_nspid = job->nspid;
}

/*
 * Before running SQL: search_path = pg_catalog, pg_temp, for the rest of the
 * job (undone with every other setting when the job's lt_run_as_end() rolls
 * its GUC nest level back).  track() has no SET clause, whose cost (the
 * setting made and undone, and the search path looked up again by the
 * application's next statement) every single-row INSERT would pay: the
 * direct path looks nothing up by name, so only the jobs that run SQL set it.
 */
void
lt_job_sql_path(TrackJob *job)
{
	if (job->sql_path)
		return;
	lt_safe_search_path();
	job->sql_path = true;
}

/* A text[] of n C-string or text Datums. */
Datum
lt_text_array(Datum *elems, bool *nulls, int n)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};

	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
											  TEXTOID, -1, false, TYPALIGN_INT));
}

/* Write the collected rows to letter_state through the upsert statement. */
void
lt_state_upsert(TrackJob *job)
{
	Datum		args[13];
	char		nulls[13];
	int			dims[1] = {job->n};
	int			lbs[1] = {1};
	int			rc;

	if (job->n == 0)
		return;
	lt_job_sql_path(job);
	lt_state_prepare(job);
	memset(nulls, ' ', sizeof(nulls));
	args[0] = Int32GetDatum(job->table_id);
	args[1] = lt_text_array(job->key, NULL, job->n);
	args[2] = lt_text_array(job->urgency, NULL, job->n);
	args[3] = lt_text_array(job->actions, NULL, job->n);
	args[4] = PointerGetDatum(construct_md_array(job->needs_review, NULL, 1, dims, lbs,
												 BOOLOID, 1, true, TYPALIGN_CHAR));
	args[5] = lt_text_array(job->reason, NULL, job->n);
	args[6] = lt_text_array(job->kind, job->kind_null, job->n);
	args[7] = lt_text_array(job->recipient, job->recipient_null, job->n);
	args[8] = PointerGetDatum(construct_md_array(job->created, NULL, 1, dims, lbs,
												 TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[9] = PointerGetDatum(construct_md_array(job->due, NULL, 1, dims, lbs,
												 TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[10] = PointerGetDatum(construct_md_array(job->sent, job->sent_null, 1, dims, lbs,
												  TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[11] = Int64GetDatum(job->ruleset);
	args[12] = BoolGetDatum(job->retriage);
	rc = SPI_execute_plan(upsert_plan, args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
}

/* Mark the given keys withdrawn (unless already sent). */
void
lt_state_withdraw(TrackJob *job, Datum *keys, int n, const char *why)
{
	Datum		args[3];
	int			rc;

	if (n == 0)
		return;
	lt_job_sql_path(job);
	lt_state_prepare(job);
	args[0] = Int32GetDatum(job->table_id);
	args[1] = lt_text_array(keys, NULL, n);
	args[2] = CStringGetTextDatum(why);
	rc = SPI_execute_plan(withdraw_plan, args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
}

/*
 * The same, skipping the letters another transaction is writing (a row lock
 * on them): only once the deadlock detector has found this transaction and
 * a writer waiting for each other (see lt_state_withdraw_at_commit()).  A
 * skipped letter is then the other transaction's to write (it has the key
 * now); should it roll back, the letter waits on with no row, which
 * reconcile() withdraws.  Skips are logged.
 */
void
lt_state_withdraw_unlocked(TrackJob *job, Datum *keys, int n, const char *why)
{
	StringInfoData sql;
	Oid			types[3] = {INT4OID, TEXTARRAYOID, TEXTOID};
	Datum		args[3];
	const char *s = lt_job_nspname(job);
	int			rc;
	int64		skipped;
	bool		isnull;

	if (n == 0)
		return;
	lt_job_sql_path(job);
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "WITH free AS (SELECT l.key FROM %s.letter_state l"
					 " JOIN pg_catalog.unnest($2) AS k(key) ON l.key OPERATOR(pg_catalog.=) k.key"
					 " WHERE l.table_id OPERATOR(pg_catalog.=) $1"
					 " AND l.status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])"
					 " FOR UPDATE OF l SKIP LOCKED),"
					 " done AS (UPDATE %s.letter_state s SET status = 'withdrawn',"
					 " withdrawn = pg_catalog.statement_timestamp(),"
					 " reason = CASE WHEN s.reason IS NULL THEN $3"
					 "  ELSE s.reason OPERATOR(pg_catalog.||) '; ' OPERATOR(pg_catalog.||) $3 END"
					 " FROM free f WHERE s.table_id OPERATOR(pg_catalog.=) $1"
					 " AND s.key OPERATOR(pg_catalog.=) f.key RETURNING s.key)"
					 " SELECT (SELECT pg_catalog.count(*) FROM %s.letter_state l"
					 " JOIN pg_catalog.unnest($2) AS k(key) ON l.key OPERATOR(pg_catalog.=) k.key"
					 " WHERE l.table_id OPERATOR(pg_catalog.=) $1"
					 " AND l.status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[]))"
					 " OPERATOR(pg_catalog.-) (SELECT pg_catalog.count(*) FROM done)",
					 s, s, s);
	args[0] = Int32GetDatum(job->table_id);
	args[1] = lt_text_array(keys, NULL, n);
	args[2] = CStringGetTextDatum(why);
	rc = SPI_execute_with_args(sql.data, 3, types, args, NULL, false, 0);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	skipped = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (skipped > 0)
		lt_state_log_entry(job->nspid, job->table_id, "problem", skipped, NULL, 0,
						   "keys changed in a transaction were not withdrawn at its commit: another transaction was writing their letters (a new row with the same key); reconcile() withdraws any whose row is gone");
}

typedef struct WithdrawArgs
{
	TrackJob   *job;
	Datum	   *keys;
	int			n;
	const char *why;
	int			wait_ms;		/* lock_timeout of this attempt */
} WithdrawArgs;

/*
 * A commit waits for a letter's lock in steps this long, to see who waits
 * for whom between them (see lt_state_withdraw_at_commit); after
 * COMMIT_SHORT_STEPS steps, in steps longer than deadlock_timeout, so that
 * this transaction's own deadlock check runs in each.
 */
#define COMMIT_LOCK_WAIT 100
#define COMMIT_SHORT_STEPS 30

static void
withdraw_protected(void *arg)
{
	WithdrawArgs *w = arg;
	int			level = NewGUCNestLevel();
	char		ms[32];

	snprintf(ms, sizeof(ms), "%d", w->wait_ms);
	(void) set_config_option("lock_timeout", ms, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	lt_state_withdraw(w->job, w->keys, w->n, w->why);
	AtEOXact_GUC(true, level);
}

/*
 * Is the transaction (or subtransaction) xid, still running, part of one of
 * the top-level transactions tops[0 .. ntops-1]?  (A subtransaction's own
 * lock is released when it commits, so the row's locker is found through
 * its top-level transaction.)
 */
static bool
xid_of(TransactionId xid, TransactionId *tops, int ntops)
{
	TransactionId top;

	if (!TransactionIdIsNormal(xid) || !TransactionIdIsInProgress(xid))
		return false;
	top = SubTransGetTopmostTransaction(xid);
	for (int i = 0; i < ntops; i++)
		if (TransactionIdEquals(top, tops[i]))
			return true;
	return false;
}

/*
 * Is the letter_state row version at tid locked or updated by one of the
 * transactions tops?  Its xmax read from the tuple itself, where its
 * infomask says whether it is a transaction or a MultiXactId (whose members
 * are looked at; a KEY SHARE member never blocks an UPDATE of the row).
 */
static bool
locked_by(Relation rel, ItemPointer tid, TransactionId *tops, int ntops)
{
	HeapTupleData tup;
	Buffer		buf = InvalidBuffer;
	uint16		infomask;
	TransactionId xmax;
	bool		theirs = false;

	tup.t_self = *tid;
	if (!heap_fetch(rel, SnapshotAny, &tup, &buf, true) || tup.t_data == NULL)
	{
		if (BufferIsValid(buf))
			ReleaseBuffer(buf);
		return false;
	}
	LockBuffer(buf, BUFFER_LOCK_SHARE);
	infomask = tup.t_data->t_infomask;
	xmax = HeapTupleHeaderGetRawXmax(tup.t_data);
	LockBuffer(buf, BUFFER_LOCK_UNLOCK);
	ReleaseBuffer(buf);
	if (infomask & HEAP_XMAX_INVALID)
		return false;
	if (infomask & HEAP_XMAX_IS_MULTI)
	{
		MultiXactMember *m;
		int			nm = GetMultiXactIdMembers(xmax, &m, false, HEAP_XMAX_IS_LOCKED_ONLY(infomask));

		for (int i = 0; i < nm && !theirs; i++)
			theirs = m[i].status != MultiXactStatusForKeyShare && xid_of(m[i].xid, tops, ntops);
		if (nm > 0)
			pfree(m);
		return theirs;
	}
	return xid_of(xmax, tops, ntops);
}

/*
 * The top-level transactions of the sessions that wait for this one,
 * directly or through others (a parallel worker counts as its leader); in
 * *tops, their number returned.
 */
static int
waiting_for_us(TransactionId **tops)
{
	int			rc,
				n = 0;

	pgstat_clear_snapshot();	/* sessions that came or began waiting since the last look */
	rc = SPI_execute("WITH RECURSIVE w(pid) AS ("
					 " SELECT a.pid FROM pg_catalog.pg_stat_activity a"
					 " WHERE a.wait_event_type OPERATOR(pg_catalog.=) 'Lock'"
					 " AND pg_catalog.pg_backend_pid() OPERATOR(pg_catalog.=)"
					 " ANY (pg_catalog.pg_blocking_pids(a.pid))"
					 " UNION SELECT a.pid FROM pg_catalog.pg_stat_activity a, w"
					 " WHERE a.wait_event_type OPERATOR(pg_catalog.=) 'Lock'"
					 " AND w.pid OPERATOR(pg_catalog.=) ANY (pg_catalog.pg_blocking_pids(a.pid)))"
					 " SELECT DISTINCT l.backend_xid::pg_catalog.text FROM pg_catalog.pg_stat_activity a"
					 " JOIN w ON a.pid OPERATOR(pg_catalog.=) w.pid"
					 " JOIN pg_catalog.pg_stat_activity l"
					 " ON l.pid OPERATOR(pg_catalog.=) COALESCE(a.leader_pid, a.pid)"
					 " WHERE l.backend_xid IS NOT NULL",
					 true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	*tops = palloc(sizeof(TransactionId) * Max(SPI_processed, 1));
	for (uint64 i = 0; i < SPI_processed; i++)
		(*tops)[n++] = (TransactionId) strtoul(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1),
											   NULL, 10);
	SPI_freetuptable(SPI_tuptable);
	return n;
}

/*
 * Which of the keys' letters are locked by a transaction that waits for this
 * one, directly or through others?  Waiting for such a lock would never end
 * (a deadlock the detector cannot see while our waits are shorter than
 * deadlock_timeout), and the letter is that transaction's to write: it took
 * the key for a new row.  A letter locked by a transaction that does not wait
 * for us (a check marking it overdue) is waited for: skipping it would leave
 * a letter waiting whose row is gone.  Read under a new snapshot: a letter
 * updated since the commit began is locked in its newest version.  Returns
 * how many of keys[0 .. n-1] are left, moved to the front; the keys dropped
 * are logged.
 */
static int
drop_keys_of_waiters(TrackJob *job, Datum *keys, int n)
{
	StringInfoData sql;
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		args[2];
	int			rc;
	int			left = 0;
	int			ntops;
	int			nsample = 0;
	Datum		sample[TRACK_SAMPLE_KEYS];
	TransactionId *tops;
	LtKeySet   *theirs = NULL;
	Relation	rel;

	ntops = waiting_for_us(&tops);
	if (ntops == 0)
		return n;
	PushActiveSnapshot(GetLatestSnapshot());
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT s.key, s.ctid FROM %s.letter_state s"
					 " JOIN pg_catalog.unnest($2) AS k(key) ON s.key OPERATOR(pg_catalog.=) k.key"
					 " WHERE s.table_id OPERATOR(pg_catalog.=) $1"
					 " AND s.status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])",
					 lt_job_nspname(job));
	args[0] = Int32GetDatum(job->table_id);
	args[1] = lt_text_array(keys, NULL, n);
	rc = SPI_execute_with_args(sql.data, 2, types, args, NULL, true, 0);
	PopActiveSnapshot();
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	rel = table_open(get_relname_relid("letter_state", job->nspid), AccessShareLock);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		bool		isnull;
		ItemPointer tid = (ItemPointer) DatumGetPointer(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &isnull));

		if (isnull || !locked_by(rel, tid, tops, ntops))
			continue;
		if (theirs == NULL)
			theirs = lt_keyset_create("letters_triage keys other writers hold");
		lt_keyset_add(theirs, SPI_getvalue(tup, SPI_tuptable->tupdesc, 1));
	}
	table_close(rel, AccessShareLock);
	SPI_freetuptable(SPI_tuptable);
	if (theirs == NULL)
		return n;
	for (int i = 0; i < n; i++)
	{
		if (!lt_keyset_contains(theirs, TextDatumGetCString(keys[i])))
			keys[left++] = keys[i];
		else if (nsample < TRACK_SAMPLE_KEYS)
			sample[nsample++] = keys[i];
	}
	lt_state_log_entry(job->nspid, job->table_id, "problem", n - left, sample, nsample,
					   "keys changed in a transaction were not withdrawn at its commit: another transaction waiting for it held their letters (a new row with the same key); reconcile() withdraws any whose row is gone");
	hash_destroy((HTAB *) theirs);
	return left;
}

/*
 * Withdraw at commit (track_defer.c): as lt_state_withdraw(), waiting for
 * letters other transactions are writing, as a check marking them overdue
 * does for a moment.  But one of them may be waiting for us in turn: a
 * transaction that took one of these keys for a new row has its deferred
 * key check wait for our commit while we wait for its lock on the letter,
 * and the deadlock detector would roll one of us back, perhaps it and the
 * application's new letter with it.  So the wait is taken in steps of
 * COMMIT_LOCK_WAIT ms, and after each the letters locked by a transaction
 * waiting for us are left to it (see drop_keys_of_waiters()).  A cycle that
 * look cannot see (a lock on a whole relation) is left to the deadlock
 * detector: after COMMIT_SHORT_STEPS steps they are longer than
 * deadlock_timeout, and should the detector find one it chooses this
 * transaction, and every letter locked is left (logged).  Each step's
 * memory is freed before the next.
 */
void
lt_state_withdraw_at_commit(TrackJob *job, Datum *keys, int n, const char *why)
{
	WithdrawArgs w = {job, keys, n, why, COMMIT_LOCK_WAIT};
	MemoryContext step = AllocSetContextCreate(CurrentMemoryContext, "letters_triage commit wait",
											   ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(step);

	for (int steps = 1;; steps++)
	{
		ErrorData  *edata = lt_run_protected(withdraw_protected, &w);
		bool		deadlock;

		if (edata == NULL)
			break;
		if (edata->sqlerrcode != ERRCODE_T_R_DEADLOCK_DETECTED &&
			edata->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE)
			ReThrowError(edata);
		deadlock = edata->sqlerrcode == ERRCODE_T_R_DEADLOCK_DETECTED;
		FreeErrorData(edata);
		if (deadlock)
		{
			lt_state_withdraw_unlocked(job, w.keys, w.n, why);
			break;
		}
		w.n = drop_keys_of_waiters(job, w.keys, w.n);
		if (w.n == 0)
			break;
		if (steps >= COMMIT_SHORT_STEPS)
			w.wait_ms = Max(COMMIT_LOCK_WAIT, 2 * DeadlockTimeout);
		MemoryContextReset(step);
		CHECK_FOR_INTERRUPTS();
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(step);
}

/*
 * The same outside a trigger's job (a partition leaving its table): withdraw
 * the unsent letters of the watched table of identity table_id, of the
 * extension in schema nspid, among keys[0 .. n-1]; returns how many, and
 * adds the keys of the first of them to sample until it holds maxsample.  Rarely run: not
 * prepared.
 */
int64
lt_state_withdraw_sampled(Oid nspid, int32 table_id, Datum *keys, int n, const char *why,
						  Datum *sample, int *nsample, int maxsample)
{
	StringInfoData sql;
	Oid			types[3] = {INT4OID, TEXTARRAYOID, TEXTOID};
	Datum		args[3];
	int			rc;

	if (n == 0)
		return 0;
	initStringInfo(&sql);
	withdraw_sql(&sql, quote_identifier(get_namespace_name(nspid)), true);
	args[0] = Int32GetDatum(table_id);
	args[1] = lt_text_array(keys, NULL, n);
	args[2] = CStringGetTextDatum(why);
	rc = SPI_execute_with_args(sql.data, 3, types, args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed && *nsample < maxsample; i++)
		sample[(*nsample)++] = CStringGetTextDatum(SPI_getvalue(SPI_tuptable->vals[i],
																SPI_tuptable->tupdesc, 1));
	return (int64) SPI_processed;
}

/*
 * Record an entry in tracking_log for the watched table of identity
 * table_id, of the extension in schema nspid; sample: the keys (text) of up to nsample letters it
 * concerns.
 */
void
lt_state_log_entry(Oid nspid, int32 table_id, const char *event, int64 letters,
				   Datum *sample, int nsample, const char *detail)
{
	StringInfoData sql;
	Datum		args[5];
	Oid			types[5] = {INT4OID, TEXTOID, INT8OID, TEXTARRAYOID, TEXTOID};
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	int			rc;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO %s.tracking_log (table_id, event, letters, sample_keys, detail)"
					 " VALUES ($1, $2, $3, $4, $5)",
					 quote_identifier(get_namespace_name(nspid)));
	args[0] = Int32GetDatum(table_id);
	args[1] = CStringGetTextDatum(event);
	args[2] = Int64GetDatum(letters);
	if (nsample > 0)
		args[3] = lt_text_array(sample, NULL, nsample);
	else
		nulls[3] = 'n';
	args[4] = CStringGetTextDatum(detail);
	rc = SPI_execute_with_args(sql.data, 5, types, args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
}

/* Record an entry in tracking_log for the job's table, with the job's sample keys. */
void
lt_state_log(TrackJob *job, const char *event, int64 letters, const char *detail)
{
	Datum		keys[TRACK_SAMPLE_KEYS];

	lt_job_sql_path(job);
	for (int i = 0; i < job->nsample; i++)
		keys[i] = CStringGetTextDatum(job->sample[i]);
	lt_state_log_entry(job->nspid, job->table_id, event, letters, keys, job->nsample, detail);
}

