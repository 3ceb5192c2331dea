/*
 * track_retriage.c — the functions that read a watched table itself rather
 * than its changes: retriage() (every row triaged again and its state
 * rewritten; watch() runs it for the backfill) and reconcile() (the unsent
 * letters whose rows are gone, withdrawn).  They read the table as its
 * owner, never with the extension owner's rights, and write as the
 * extension's owner.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "runas.h"
#include "track_internal.h"
#include "track_partition.h"

/*
 * The watched tables (only one when !all) and their mappings, in outer;
 * returns how many.  Runs SQL: the caller is connected to SPI.
 */
static uint64
watched_tables(const char *nsp, bool all, Oid only, MemoryContext outer, int32 **ids, Oid **relids,
			   char ****maps)
{
	StringInfoData sql;
	Datum		args[1];
	Oid			types[1] = {OIDOID};
	int			rc;
	uint64		ntables,
				t;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT w.relid, key_column, body, created, sent, recipient, nhs_number, kind,"
					 " key_columns[2:], w.id"
					 " FROM (SELECT pg_catalog.to_regclass(name)::pg_catalog.oid AS relid, * FROM %s.watched"
					 "        WHERE ended IS NULL) w"
					 " WHERE w.relid IS NOT NULL"
					 " AND ($1 IS NULL OR w.id OPERATOR(pg_catalog.=) %s.table_id($1::pg_catalog.regclass))"
					 " ORDER BY w.relid", nsp, nsp);
	args[0] = ObjectIdGetDatum(only);
	rc = SPI_execute_with_args(sql.data, 1, types, args, all ? "n" : NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	ntables = SPI_processed;
	if (!all && ntables == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table %s is not watched", lt_rel_display(only)),
				 errhint("Watch it with letters_triage.watch().")));
	*relids = MemoryContextAlloc(outer, sizeof(Oid) * (ntables + 1));
	*ids = MemoryContextAlloc(outer, sizeof(int32) * (ntables + 1));
	*maps = MemoryContextAlloc(outer, sizeof(char **) * (ntables + 1));
	for (t = 0; t < ntables; t++)
	{
		bool		isnull;
		int			c;
		Datum		more;

		(*relids)[t] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, 1, &isnull));
		(*ids)[t] = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, NUM_COLS + 3, &isnull));
		/* (the mapping, then the key's further columns, then NULL) */
		(*maps)[t] = MemoryContextAllocZero(outer, sizeof(char *) * (NUM_COLS + INDEX_MAX_KEYS));
		for (c = 0; c < NUM_COLS; c++)
		{
			char	   *v = SPI_getvalue(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, c + 2);

			(*maps)[t][c] = v ? MemoryContextStrdup(outer, v) : NULL;
		}
		more = SPI_getbinval(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, NUM_COLS + 2, &isnull);
		lt_key_more_columns(more, isnull, (*maps)[t] + NUM_COLS, INDEX_MAX_KEYS - 1, outer);
	}
	return ntables;
}

/*
 * Open a cursor over the rows of watched table relid, for retriage() and
 * reconcile(); NULL (with a WARNING) when it cannot be read.  Called as the
 * extension's owner; *relowner is who the rows must be fetched as.  Each step
 * of the read (open, every fetch, close) runs in lt_run_as_begin() ...
 * lt_run_as_end(), so that nothing the owner's code does to the session's
 * settings outlives it, not even into the writes that follow.
 */
/*
 * Whether the caller held no advisory lock when retriage() began: then any
 * session-level one held after a step of the read is the table owner's (a
 * policy's pg_advisory_lock()) and is released with the step, so that it
 * does not outlive retriage() in the caller's session.
 */
static bool owner_locks_released;

/* End a step of the read as the table's owner (see owner_locks_released). */
static void
end_as_owner(LtRunAs *as_owner)
{
	lt_run_as_end(as_owner);
	if (owner_locks_released)
		lt_release_session_advisory_locks();
}

static Portal
open_watched(Oid relid, Oid *relowner)
{
	LtRunAs		as_owner;
	StringInfoData sql;
	SPIPlanPtr	plan;
	Portal		portal;
	char	   *relname;
	char		relkind;
	HeapTuple	reltup;

	reltup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(reltup))
	{
		ereport(WARNING,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("watched table with OID %u no longer exists", relid),
				 errhint("Remove it with letters_triage.unwatch().")));
		return NULL;
	}
	*relowner = ((Form_pg_class) GETSTRUCT(reltup))->relowner;
	relkind = ((Form_pg_class) GETSTRUCT(reltup))->relkind;
	ReleaseSysCache(reltup);
	relname = lt_rel_display(relid);

	/*
	 * Security: only ever read a plain or partitioned table (on PostgreSQL
	 * 15 its owner can turn an empty table into a view), and read it as its
	 * owner, never as the extension's owner: reading can run code the
	 * table's owner chose (a view's functions, row security policies,
	 * foreign partitions), which must not run with the rights of a
	 * superuser.  The letters are then written as the extension's owner.
	 */
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
	{
		ereport(WARNING,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("watched relation %s is no longer a table: not read", relname),
				 errhint("Remove it with letters_triage.unwatch().")));
		return NULL;
	}
	if (pg_class_aclcheck(relid, *relowner, ACL_SELECT) != ACLCHECK_OK)
	{
		ereport(WARNING,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the owner of watched table %s may not read it: not read", relname)));
		return NULL;
	}

	/*
	 * Concurrency: letters written by other sessions after our snapshot
	 * would have their (newer) state overwritten with what we read.  So
	 * writers to the table wait until this transaction ends (SHARE lock),
	 * and the rows are read with a snapshot taken after the lock (the
	 * cursor is not read-only, so SPI takes a new snapshot).
	 */
	LockRelationOid(relid, ShareLock);

	/*
	 * The table itself, not its inheritance children (their rows are not its
	 * letters: its triggers never see their changes); but a partitioned
	 * table's rows are all in its partitions.
	 */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT * FROM %s%s", relkind == RELKIND_RELATION ? "ONLY " : "", relname);
	lt_run_as_begin(&as_owner, *relowner, true);
	plan = SPI_prepare(sql.data, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, false);
	end_as_owner(&as_owner);
	return portal;
}

/* The next rows of a watched table's cursor (fetched as its owner); 0 at the end. */
static uint64
fetch_watched(Portal portal, Oid relowner)
{
	LtRunAs		as_owner;

	lt_run_as_begin(&as_owner, relowner, true);
	SPI_cursor_fetch(portal, true, 1000);
	end_as_owner(&as_owner);
	CHECK_FOR_INTERRUPTS();
	return SPI_processed;
}

/* Close a watched table's cursor, as its owner (closing can run its code too). */
static void
close_watched(Portal portal, Oid relowner)
{
	LtRunAs		as_owner;

	lt_run_as_begin(&as_owner, relowner, true);
	SPI_cursor_close(portal);
	end_as_owner(&as_owner);
}

PG_FUNCTION_INFO_V1(lt_retriage);

/*
 * retriage(tbl): triage again every row of a watched table (every watched
 * table when tbl is NULL) and recompute its deadline; returns the number of
 * letters recorded.  Used by watch() for the backfill.
 */
Datum
lt_retriage(PG_FUNCTION_ARGS)
{
	Oid			nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	bool		all = PG_ARGISNULL(0);
	Oid			only = all ? InvalidOid : PG_GETARG_OID(0);
	Oid			part = only;
	char	   *nsp = pstrdup(quote_identifier(get_namespace_name(nspid)));
	LtRunAs		as_ext;
	uint64		ntables,
				t;
	Oid		   *relids;
	int32	   *ids;
	char	 ***maps;
	int64		total = 0;
	MemoryContext outer = CurrentMemoryContext;

	owner_locks_released = !lt_holds_advisory_locks();
	lt_run_as_begin(&as_ext, lt_schema_owner(nspid), true);
	/* a partition of a watched table: its rows, as that table's letters */
	if (!all)
		only = lt_partition_root(only, nspid);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ntables = watched_tables(nsp, all, only, outer, &ids, &relids, &maps);

	for (t = 0; t < ntables; t++)
	{
		TrackJob   *job;
		Portal		portal;
		TupleTableSlot *slot;
		Oid			relowner;
		uint64		n;

		portal = open_watched(part != only ? part : relids[t], &relowner);
		if (portal == NULL)
			continue;
		job = MemoryContextAlloc(outer, sizeof(TrackJob));
		lt_job_init(job, ids[t], relids[t], nspid, maps[t], portal->tupDesc, TRACK_BATCH);
		/*
		 * (a partition is read under a lock that keeps its rows as they are,
		 * an attached one's rows with letters withdrawn when it was detached:
		 * what is read is true, as in the trigger)
		 */
		job->retriage = (part == only);
		job->sql_path = true;	/* lt_run_as_begin() set it */
		lt_cols_resolve_letter(&job->cols, nspid);
		lt_state_prepare(job);
		job->cal = lt_calendar_cached(nspid);
		job->ruleset = lt_ruleset_current_version();
		slot = MakeSingleTupleTableSlot(CreateTupleDescCopy(portal->tupDesc), &TTSOpsHeapTuple);
		while ((n = fetch_watched(portal, relowner)) > 0)
		{
			SPITupleTable *tt = SPI_tuptable;

			for (uint64 i = 0; i < n; i++)
			{
				ExecStoreHeapTuple(tt->vals[i], slot, false);
				lt_job_row(job, slot);
			}
			ExecClearTuple(slot);
			SPI_freetuptable(tt);
		}
		SPI_freetuptable(SPI_tuptable);
		lt_job_flush(job);
		close_watched(portal, relowner);
		lt_job_report(job);
		total += job->rows;
		ExecDropSingleTupleTableSlot(slot);
		MemoryContextDelete(job->batchcxt);
	}

	SPI_finish();
	lt_run_as_end(&as_ext);
	PG_RETURN_INT64(total);
}

/*
 * reconcile(): the unsent (waiting or overdue) letters of watched table
 * relid, as a set of keys in the current memory context.
 */
static LtKeySet *
unsent_keys(const char *nsp, int32 table_id)
{
	StringInfoData sql;
	Datum		args[1];
	Oid			types[1] = {INT4OID};
	int			rc;
	LtKeySet   *set = lt_keyset_create("letters_triage unsent keys");
	MemoryContext cxt = CurrentMemoryContext;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT key FROM %s.letter_state WHERE table_id OPERATOR(pg_catalog.=) $1"
					 " AND status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])", nsp);
	args[0] = Int32GetDatum(table_id);
	rc = SPI_execute_with_args(sql.data, 1, types, args, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *k = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

		lt_keyset_add(set, MemoryContextStrdup(cxt, k));
	}
	SPI_freetuptable(SPI_tuptable);
	return set;
}

/*
 * reconcile(): withdraw the given unsent letters of table relid, logging
 * it, and add (tbl, key, previous status, urgency, due) of each to rsinfo's
 * result.
 */
static void
withdraw_missing(TrackJob *job, Datum *keys, int n, ReturnSetInfo *rsinfo)
{
	StringInfoData sql;
	Datum		args[3];
	Oid			types[3] = {INT4OID, TEXTARRAYOID, OIDOID};
	int			rc;
	char	   *detail;

	initStringInfo(&sql);
	/* (the join gives the status before the update) */
	appendStringInfo(&sql,
					 "UPDATE %s.letter_state s SET status = 'withdrawn',"
					 " withdrawn = pg_catalog.statement_timestamp(),"
					 " reason = CASE WHEN s.reason IS NULL THEN 'not in the table (reconcile)'"
					 "  ELSE s.reason OPERATOR(pg_catalog.||) '; not in the table (reconcile)' END"
					 " FROM pg_catalog.unnest($2) AS k(key), %s.letter_state o"
					 " WHERE o.table_id OPERATOR(pg_catalog.=) s.table_id AND o.key OPERATOR(pg_catalog.=) s.key"
					 " AND s.table_id OPERATOR(pg_catalog.=) $1"
					 " AND s.key OPERATOR(pg_catalog.=) k.key"
					 " AND s.status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])"
					 " RETURNING $3::pg_catalog.regclass, s.key, o.status, s.urgency, s.due",
					 lt_job_nspname(job), lt_job_nspname(job));
	args[0] = Int32GetDatum(job->table_id);
	args[1] = lt_text_array(keys, NULL, n);
	args[2] = ObjectIdGetDatum(job->relid);
	rc = SPI_execute_with_args(sql.data, 3, types, args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	job->nsample = 0;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		Datum		values[5];
		bool		nulls[5];

		heap_deform_tuple(tup, SPI_tuptable->tupdesc, values, nulls);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if (job->nsample < TRACK_SAMPLE_KEYS)
			job->sample[job->nsample++] = SPI_getvalue(tup, SPI_tuptable->tupdesc, 2);
	}
	if (SPI_processed == 0)
		return;
	detail = psprintf(UINT64_FORMAT " unsent %s no longer in the table: withdrawn by reconcile()",
					  SPI_processed, SPI_processed == 1 ? "letter" : "letters");
	lt_state_log(job, "reconcile", (int64) SPI_processed, detail);
}

PG_FUNCTION_INFO_V1(lt_reconcile);

/*
 * reconcile(tbl): withdraw every unsent letter of a watched table (of every
 * watched table when tbl is NULL) whose key is no longer in the table (rows
 * removed unseen: a partition detached, triggers disabled, a restore), and
 * return each letter withdrawn.
 */
Datum
lt_reconcile(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	bool		all = PG_ARGISNULL(0);
	Oid			only = all ? InvalidOid : PG_GETARG_OID(0);
	char	   *nsp = pstrdup(quote_identifier(get_namespace_name(nspid)));
	LtRunAs		as_ext;
	uint64		ntables;
	Oid		   *relids;
	int32	   *ids;
	char	 ***maps;
	MemoryContext outer = CurrentMemoryContext;

	InitMaterializedSRF(fcinfo, 0);
	lt_run_as_begin(&as_ext, lt_schema_owner(nspid), true);

	/*
	 * A row its owner's row security hides is still a letter: reading
	 * without the policies (an error where they would apply) keeps
	 * reconcile() from withdrawing the letters of rows it cannot see.
	 */
	(void) set_config_option("row_security", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ntables = watched_tables(nsp, all, only, outer, &ids, &relids, &maps);

	for (uint64 t = 0; t < ntables; t++)
	{
		TrackJob   *job;
		Portal		portal;
		TupleTableSlot *slot;
		Oid			relowner;
		uint64		n;
		LtKeySet   *unsent;
		Datum	   *missing;
		int			nmissing;

		portal = open_watched(relids[t], &relowner);
		if (portal == NULL)
			continue;
		job = MemoryContextAlloc(outer, sizeof(TrackJob));
		lt_job_init(job, ids[t], relids[t], nspid, maps[t], portal->tupDesc, 1);
		job->sql_path = true;	/* lt_run_as_begin() set it */
		/* (read after the lock: no writer can change the table meanwhile) */
		unsent = unsent_keys(nsp, ids[t]);
		slot = MakeSingleTupleTableSlot(CreateTupleDescCopy(portal->tupDesc), &TTSOpsHeapTuple);
		while ((n = fetch_watched(portal, relowner)) > 0)
		{
			SPITupleTable *tt = SPI_tuptable;

			for (uint64 i = 0; i < n; i++)
			{
				char	   *k;

				ExecStoreHeapTuple(tt->vals[i], slot, false);
				k = lt_row_key(job, slot);
				if (k != NULL)
				{
					lt_keyset_mark(unsent, k);
					pfree(k);
				}
			}
			ExecClearTuple(slot);
			SPI_freetuptable(tt);
		}
		SPI_freetuptable(SPI_tuptable);
		close_watched(portal, relowner);
		ExecDropSingleTupleTableSlot(slot);

		if (job->cols.attno[COL_KEY] == 0)
			ereport(WARNING,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("watched table %s has no key column \"%s\": not reconciled",
							lt_rel_display(relids[t]), job->cols.name[COL_KEY]),
					 errhint("Correct the mapping with letters_triage.watch().")));
		else if ((nmissing = lt_keyset_unseen(unsent, &missing)) > 0)
		{
			for (int i = 0; i < nmissing; i += TRACK_BATCH)
				withdraw_missing(job, missing + i, Min(TRACK_BATCH, nmissing - i), rsinfo);
		}
		hash_destroy((HTAB *) unsent);
		MemoryContextDelete(job->batchcxt);
	}

	SPI_finish();
	lt_run_as_end(&as_ext);
	return (Datum) 0;
}
