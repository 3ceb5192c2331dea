/*
 * track_partition.c — tracking the partitions of a watched partitioned table.
 *
 * A watched partitioned table's statement triggers see the statements that
 * name it, with the rows of every partition in their transition tables, but
 * not the statements that name a partition.  So each partition has tracking
 * triggers of its own (track_partition(), the same C trigger as track()),
 * and those record its letters as letters of the watched table: the
 * highest ancestor with track() triggers, found by lt_partition_root().
 *
 * What the triggers cannot see is handled here:
 *   - a TRUNCATE of one partition: its rows are gone by AFTER TRUNCATE, so a
 *     BEFORE TRUNCATE trigger reads their keys and withdraws their unsent
 *     letters; a TRUNCATE of the whole table fires the partitions' BEFORE
 *     TRUNCATE triggers too, which then do nothing (the table's own AFTER
 *     TRUNCATE trigger withdraws everything, without reading anything);
 *   - partitions created, attached, detached or dropped: an event trigger
 *     (partitions_changed()) gives a new or attached partition its triggers
 *     and backfills an attached table's rows, and withdraws, with a record in
 *     tracking_log, the unsent letters of a partition detached (at the end
 *     of the command) or dropped (at its start, while the rows are there).
 * Nothing here fails the statement or the DDL it runs for: an error is
 * caught (the work is done in a subtransaction), logged, and recorded in
 * tracking_log as an error, which check_tracking() turns into an alert.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "compat.h"
#include "runas.h"
#include "track_internal.h"
#include "track_key.h"
#include "track_partition.h"

/* Keys withdrawn per statement. */
#define WITHDRAW_BATCH 2000

/* Keys kept as examples in tracking_log. */
#define SAMPLE_KEYS 10

/* Does relation relid have a trigger that calls function fn? */
static bool
has_trigger_of(Oid relid, Oid fn)
{
	Relation	tgrel = table_open(TriggerRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		found = false;

	ScanKeyInit(&key, Anum_pg_trigger_tgrelid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(relid));
	scan = systable_beginscan(tgrel, TriggerRelidNameIndexId, true, NULL, 1, &key);
	while (!found && HeapTupleIsValid(tup = systable_getnext(scan)))
		found = ((Form_pg_trigger) GETSTRUCT(tup))->tgfoid == fn;
	systable_endscan(scan);
	table_close(tgrel, AccessShareLock);
	return found;
}

/*
 * The watched table whose letters the rows of relation relid are: relid
 * itself unless it is a partition, else its highest ancestor that has the
 * track() trigger of the extension in schema nspid (relid when none has).
 * Catalog look-ups only, no lock on the ancestors: a statement on a
 * partition locks only the partition, and must not wait on, or deadlock
 * with, DDL on its parent.
 */
Oid
lt_partition_root(Oid relid, Oid nspid)
{
	Oid			trackfn;
	Oid			root = relid;
	List	   *ancestors;
	ListCell   *lc;

	if (!get_rel_relispartition(relid))
		return relid;
	trackfn = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum("track"),
							  PointerGetDatum(buildoidvector(NULL, 0)), ObjectIdGetDatum(nspid));
	if (!OidIsValid(trackfn))
		return relid;
	ancestors = get_partition_ancestors(relid);
	foreach(lc, ancestors)
	{
		if (has_trigger_of(lfirst_oid(lc), trackfn))
			root = lfirst_oid(lc);
	}
	list_free(ancestors);
	return root;
}

/* The name of a table, schema-qualified and quoted. */
static char *
rel_name(Oid relid)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));
	char	   *rel = get_rel_name(relid);

	if (nsp == NULL || rel == NULL)
		elog(ERROR, "cache lookup failed for relation %u", relid);
	return quote_qualified_identifier(nsp, rel);
}

/* One piece of partition tracking, run by run_protected(). */
typedef struct PartWork
{
	Oid			nspid;
	Oid			root;			/* the watched table */
	Oid			part;			/* the partition */
	LtKey	   *key;			/* the watched table's key (or NULL: read from watched) */
	const char *why;			/* the letters' reason, for withdrawals */
	const char *event;			/* their tracking_log event */
	bool		joined;			/* a partition joined (else it leaves) */
	const char *error;			/* log_error(): what went wrong */
	int64		withdrawn;		/* withdraw_rows(): letters withdrawn */
} PartWork;

typedef void (*PartWorkFn) (PartWork *w);

/* A piece of work and its PartWork, for lt_run_protected(). */
typedef struct PartCall
{
	PartWorkFn	fn;
	PartWork   *w;
} PartCall;

static void
part_call(void *arg)
{
	PartCall   *c = arg;
	LtRunAs		ra;

	lt_run_as_begin(&ra, lt_schema_owner(c->w->nspid), true);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	c->fn(c->w);
	SPI_finish();
	lt_run_as_end(&ra);
}

/*
 * Run fn(w) as the extension's owner in a subtransaction, connected to SPI;
 * on error (but a cancel, which goes on up), roll it back and return the
 * error, else NULL.
 */
static ErrorData *
run_protected(PartWorkFn fn, PartWork *w)
{
	PartCall	c = {fn, w};

	return lt_run_protected(part_call, &c);
}

/*
 * The identity of watched table w->root; an error when its mapping is not in
 * force (its triggers came back without it: tracking_status reports them).
 */
static int32
watched_id(PartWork *w)
{
	int32		id = lt_ident_of(w->nspid, w->root);

	if (id < 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table %s is not watched", rel_name(w->root))));
	return id;
}

/* Record an entry in tracking_log for the watched table. */
static void
log_event(PartWork *w, const char *event, int64 letters, Datum *sample, int nsample,
		  const char *detail)
{
	lt_state_log_entry(w->nspid, watched_id(w), event, letters, sample, nsample, detail);
}

/* run_protected(): record w->error for the watched table. */
static void
log_error(PartWork *w)
{
	log_event(w, "error", 0, NULL, 0, w->error);
}

/*
 * After a failure of what (e.g. "partition x detached"): tell the server log
 * (and, for the DBA's DDL, the DBA), and record it in tracking_log so that it
 * becomes an alert.  As the trigger does, both name the error by its
 * SQLSTATE, not by its text, which can quote values of a row; the text goes
 * to the server log only, with log_min_messages = debug1.
 */
static void
report_failure(PartWork *w, const char *what, ErrorData *edata, int elevel)
{
	ErrorData  *again;

	if (log_min_messages <= DEBUG1)
		ereport(LOG_SERVER_ONLY,
				(errhidestmt(true), errhidecontext(true),
				 errmsg_internal("letters_triage: tracking %s of table %s failed: %s",
								 what, rel_name(w->root), edata->message)));
	w->error = psprintf("%s: tracking failed with SQLSTATE %s", what, unpack_sql_state(edata->sqlerrcode));
	ereport(elevel,
			(errhidestmt(true), errhidecontext(true),
			 errmsg("letters_triage could not track %s of table %s", what, rel_name(w->root)),
			 errdetail("Tracking failed with SQLSTATE %s.", unpack_sql_state(edata->sqlerrcode)),
			 errhint("Run letters_triage.watch() on the table again, then letters_triage.reconcile().")));
	again = run_protected(log_error, w);
	if (again != NULL)
		ereport(elevel,
				(errhidestmt(true), errhidecontext(true),
				 errmsg("letters_triage could not record an error for table %s", rel_name(w->root)),
				 errdetail("Recording it failed with SQLSTATE %s.", unpack_sql_state(again->sqlerrcode))));
}

/* The key columns of watched table root, from its mapping; NULL when not watched. */
static LtKey *
watched_key(PartWork *w)
{
	StringInfoData sql;
	Oid			types[1] = {OIDOID};
	Datum		args[1];
	LtKey	   *key;
	char	   *more[INDEX_MAX_KEYS];
	bool		isnull;
	Datum		d;
	int			rc;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT key_column, key_columns[2:] FROM %s.watched"
					 " WHERE id OPERATOR(pg_catalog.=) %s.table_id($1::pg_catalog.regclass)",
					 quote_identifier(get_namespace_name(w->nspid)),
					 quote_identifier(get_namespace_name(w->nspid)));
	args[0] = ObjectIdGetDatum(w->root);
	rc = SPI_execute_with_args(sql.data, 1, types, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	if (SPI_processed == 0)
		return NULL;
	key = palloc0(sizeof(LtKey));
	key->name[key->n++] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	lt_key_more_columns(d, isnull, more, INDEX_MAX_KEYS - 1, CurrentMemoryContext);
	for (int k = 0; k < INDEX_MAX_KEYS - 1 && more[k] != NULL; k++)
		key->name[key->n++] = more[k];
	return key;
}

/*
 * run_protected(): withdraw the unsent letters of w->root whose rows are in
 * w->part, and log it.  The partition is read as its owner (reading can run
 * code its owner chose, which must not run with the extension's rights),
 * without row security (a row a policy hides is still a letter; an error
 * where a policy would apply).
 */
static void
withdraw_rows(PartWork *w)
{
	LtKey	   *key = w->key ? w->key : watched_key(w);
	HeapTuple	reltup;
	Oid			relowner;
	char		relkind;
	StringInfoData sql;
	SPIPlanPtr	plan;
	Portal		portal;
	LtRunAs		as_owner;
	Datum	   *keys = palloc(sizeof(Datum) * WITHDRAW_BATCH);
	Datum		sample[SAMPLE_KEYS];
	int			nsample = 0,
				n = 0;
	int64		withdrawn = 0,
				rows = 0;
	TupleTableSlot *slot = NULL;
	const char *missing;

	if (key == NULL)
		return;					/* not watched (any more) */
	reltup = SearchSysCache1(RELOID, ObjectIdGetDatum(w->part));
	if (!HeapTupleIsValid(reltup))
		elog(ERROR, "cache lookup failed for relation %u", w->part);
	relowner = ((Form_pg_class) GETSTRUCT(reltup))->relowner;
	relkind = ((Form_pg_class) GETSTRUCT(reltup))->relkind;
	ReleaseSysCache(reltup);
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("partition %s is not a table: its letters cannot be read", rel_name(w->part))));

	(void) set_config_option("row_security", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT ");
	for (int k = 0; k < key->n; k++)
		appendStringInfo(&sql, "%s%s", k > 0 ? ", " : "", quote_identifier(key->name[k]));
	appendStringInfo(&sql, " FROM %s%s", relkind == RELKIND_RELATION ? "ONLY " : "", rel_name(w->part));

	lt_run_as_begin(&as_owner, relowner, true);
	plan = SPI_prepare(sql.data, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	lt_run_as_end(&as_owner);
	missing = lt_key_resolve(key, portal->tupDesc);
	if (missing != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("key column \"%s\" not found in partition %s", missing, rel_name(w->part))));
	slot = MakeSingleTupleTableSlot(CreateTupleDescCopy(portal->tupDesc), &TTSOpsHeapTuple);
	for (;;)
	{
		SPITupleTable *tt;

		lt_run_as_begin(&as_owner, relowner, true);
		SPI_cursor_fetch(portal, true, 1000);
		lt_run_as_end(&as_owner);
		CHECK_FOR_INTERRUPTS();
		if (SPI_processed == 0)
			break;
		tt = SPI_tuptable;
		for (uint64 i = 0; i < tt->numvals; i++)
		{
			char	   *k;

			ExecStoreHeapTuple(tt->vals[i], slot, false);
			k = lt_key_of_slot(key, slot);
			rows++;
			if (k != NULL)
				keys[n++] = CStringGetTextDatum(k);
			if (n == WITHDRAW_BATCH)
			{
				withdrawn += lt_state_withdraw_sampled(w->nspid, watched_id(w), keys, n, w->why,
													   sample, &nsample, SAMPLE_KEYS);
				n = 0;
			}
		}
		ExecClearTuple(slot);
		SPI_freetuptable(tt);
	}
	withdrawn += lt_state_withdraw_sampled(w->nspid, watched_id(w), keys, n, w->why,
										   sample, &nsample, SAMPLE_KEYS);
	w->withdrawn = withdrawn;
	ExecDropSingleTupleTableSlot(slot);
	lt_run_as_begin(&as_owner, relowner, true);
	SPI_cursor_close(portal);
	lt_run_as_end(&as_owner);

	/* a TRUNCATE is always recorded (and reported), a partition leaving when letters were unsent */
	if (strcmp(w->event, "truncate") == 0 || withdrawn > 0)
		log_event(w, w->event, withdrawn, sample, nsample,
				  psprintf("%s (%s): " INT64_FORMAT " unsent %s of its " INT64_FORMAT " rows withdrawn",
						   w->why, rel_name(w->part), withdrawn,
						   withdrawn == 1 ? "letter" : "letters", rows));
}

/*
 * Relations whose letters the TRUNCATE under way withdraws: the watched
 * table when it is truncated itself (its AFTER TRUNCATE trigger withdraws
 * them all), and the partitions whose letters were withdrawn, so that their
 * own partitions, truncated with them, do nothing.  Emptied by the watched
 * table's AFTER TRUNCATE trigger and at the end of the (sub)transaction.
 */
static List *truncating = NIL;
static bool truncating_callbacks = false;

static void
truncating_forget(void)
{
	list_free(truncating);
	truncating = NIL;
}

static void
truncating_xact(XactEvent event, void *arg)
{
	(void) event;
	(void) arg;
	truncating_forget();
}

static void
truncating_subxact(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	(void) mySubid;
	(void) parentSubid;
	(void) arg;
	if (event == SUBXACT_EVENT_ABORT_SUB)
		truncating_forget();
}

static void
truncating_add(Oid relid)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

	if (!truncating_callbacks)
	{
		RegisterXactCallback(truncating_xact, NULL);
		RegisterSubXactCallback(truncating_subxact, NULL);
		truncating_callbacks = true;
	}
	truncating = lappend_oid(truncating, relid);
	MemoryContextSwitchTo(old);
}

/* Is relid, or one of its ancestors, among the relations being truncated? */
static bool
truncating_covers(Oid relid)
{
	List	   *ancestors;
	ListCell   *lc;
	bool		covered = list_member_oid(truncating, relid);

	if (covered || truncating == NIL)
		return covered;
	ancestors = get_partition_ancestors(relid);
	foreach(lc, ancestors)
		covered = covered || list_member_oid(truncating, lfirst_oid(lc));
	list_free(ancestors);
	return covered;
}

/* The key of the watched table from the trigger's arguments (as track()'s). */
static LtKey *
trigger_key(Trigger *tg)
{
	LtKey	   *key = palloc0(sizeof(LtKey));

	/* arguments: identity, key, body, created, sent, recipient, nhs_number, kind, further key columns */
	if (tg->tgnargs < LT_TRACK_NARGS || tg->tgargs[1][0] == '\0')
		return NULL;
	key->name[key->n++] = tg->tgargs[1];
	for (int i = LT_TRACK_NARGS; i < tg->tgnargs && key->n < INDEX_MAX_KEYS; i++)
		key->name[key->n++] = tg->tgargs[i];
	return key;
}

PG_FUNCTION_INFO_V1(lt_track_partition_truncate);

/*
 * track_partition_truncate(): BEFORE TRUNCATE on a partition of a watched
 * table, withdraw the unsent letters of its rows, unless the TRUNCATE is of
 * the watched table (or of a partition above it) as well; on the watched
 * table itself, BEFORE TRUNCATE notes that, AFTER TRUNCATE forgets it.
 */
Datum
lt_track_partition_truncate(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Oid			relid;
	PartWork	w;
	ErrorData  *edata;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track_partition_truncate() was not called by the trigger manager")));
	if (!TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track_partition_truncate() must be fired for TRUNCATE")));
	relid = RelationGetRelid(td->tg_relation);
	memset(&w, 0, sizeof(w));
	w.nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	w.root = lt_partition_root(relid, w.nspid);
	if (w.root == relid)
	{
		/* the watched table itself (or a partition no longer under one) */
		if (TRIGGER_FIRED_AFTER(td->tg_event))
			truncating_forget();
		else if (td->tg_relation->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
			truncating_add(relid);
		PG_RETURN_POINTER(NULL);
	}
	if (TRIGGER_FIRED_AFTER(td->tg_event) || truncating_covers(relid))
		PG_RETURN_POINTER(NULL);
	truncating_add(relid);
	w.part = relid;
	w.key = trigger_key(td->tg_trigger);
	w.why = "partition truncated";
	w.event = "truncate";
	if (w.key == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track_partition_truncate() needs the arguments track() has"),
				 errhint("Attach it with letters_triage.watch().")));
	edata = run_protected(withdraw_rows, &w);
	if (edata != NULL)
		report_failure(&w, psprintf("partition truncated (%s)", rel_name(relid)), edata, LOG_SERVER_ONLY);
	PG_RETURN_POINTER(NULL);
}

PG_FUNCTION_INFO_V1(lt_withdraw_partition);

/*
 * withdraw_partition(tbl, part, why): withdraw the unsent letters of watched
 * table tbl whose rows are in part, with reason why; returns how many.
 */
Datum
lt_withdraw_partition(PG_FUNCTION_ARGS)
{
	PartWork	w;
	LtRunAs		ra;

	memset(&w, 0, sizeof(w));
	w.nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	w.root = PG_GETARG_OID(0);
	w.part = PG_GETARG_OID(1);
	w.why = text_to_cstring(PG_GETARG_TEXT_PP(2));
	w.event = "partition";
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(w.part)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation with OID %u does not exist", w.part)));
	lt_run_as_begin(&ra, lt_schema_owner(w.nspid), true);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	withdraw_rows(&w);
	SPI_finish();
	lt_run_as_end(&ra);
	PG_RETURN_INT64(w.withdrawn);
}

/* run_protected(): the event trigger's work for one partition (see below). */
static void
partition_changed(PartWork *w)
{
	StringInfoData sql;
	Oid			types[3] = {OIDOID, OIDOID, TEXTOID};
	Datum		args[3];
	int			rc;

	initStringInfo(&sql);
	if (w->joined)
		appendStringInfo(&sql, "SELECT %s.partition_joined($1::pg_catalog.regclass, $2::pg_catalog.regclass)",
						 quote_identifier(get_namespace_name(w->nspid)));
	else
		appendStringInfo(&sql, "SELECT %s.partition_left($1::pg_catalog.regclass, $2::pg_catalog.regclass, $3)",
						 quote_identifier(get_namespace_name(w->nspid)));
	args[0] = ObjectIdGetDatum(w->root);
	args[1] = ObjectIdGetDatum(w->part);
	args[2] = CStringGetTextDatum(w->why ? w->why : "");
	rc = SPI_execute_with_args(sql.data, w->joined ? 2 : 3, types, args, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
}

/*
 * A partition part joins (joined) or leaves the tree of parent (the parent
 * it is detached from; for the others, part's own ancestors are looked at).
 * Nothing to do unless a watched table is above it.
 */
static void
partition_event(Oid nspid, Oid part, Oid parent, bool joined, const char *why)
{
	PartWork	w;
	ErrorData  *edata;

	if (!OidIsValid(part))
		return;
	memset(&w, 0, sizeof(w));
	w.nspid = nspid;
	w.part = part;
	w.joined = joined;
	w.why = why;
	w.root = OidIsValid(parent) ? lt_partition_root(parent, nspid) : lt_partition_root(part, nspid);
	if (!OidIsValid(parent) && w.root == part)
		return;					/* not a partition of a tracked table */
	edata = run_protected(partition_changed, &w);
	if (edata != NULL)
		report_failure(&w, joined ? psprintf("new partition (%s)", rel_name(part))
					   : psprintf("%s (%s)", why, rel_name(part)),
					   edata, WARNING);
}

/* The relation a name in a DDL command names now (as the command resolved it), or InvalidOid. */
static Oid
named_relation(RangeVar *rv)
{
	return rv ? RangeVarGetRelid(rv, NoLock, true) : InvalidOid;
}

/* A partition event found in a DDL command. */
typedef struct PartEvent
{
	Oid			part;
	Oid			parent;			/* DETACH: the parent; else InvalidOid */
	bool		joined;
	const char *why;
} PartEvent;

static List *
add_event(List *events, Oid part, Oid parent, bool joined, const char *why)
{
	PartEvent  *e = palloc(sizeof(PartEvent));

	e->part = part;
	e->parent = parent;
	e->joined = joined;
	e->why = why;
	return lappend(events, e);
}

/* The partition events of a DDL command (its names resolved as the command resolved them). */
static List *
command_events(EventTriggerData *trigdata)
{
	Node	   *tree = trigdata->parsetree;
	List	   *events = NIL;
	ListCell   *lc;
	bool		end = (strcmp(trigdata->event, "ddl_command_end") == 0);

	if (end && IsA(tree, CreateStmt) && ((CreateStmt *) tree)->partbound != NULL)
		events = add_event(events, named_relation(((CreateStmt *) tree)->relation), InvalidOid, true, NULL);
	else if (end && IsA(tree, AlterTableStmt))
	{
		AlterTableStmt *stmt = (AlterTableStmt *) tree;

		foreach(lc, stmt->cmds)
		{
			AlterTableCmd *cmd = lfirst_node(AlterTableCmd, lc);
			PartitionCmd *pc = (PartitionCmd *) cmd->def;

			if (cmd->subtype == AT_AttachPartition)
				events = add_event(events, named_relation(pc->name), InvalidOid, true, NULL);
			else if (cmd->subtype == AT_DetachPartition || cmd->subtype == AT_DetachPartitionFinalize)
				events = add_event(events, named_relation(pc->name), named_relation(stmt->relation),
								   false, "partition detached");
		}
	}
	else if (!end && IsA(tree, DropStmt) && ((DropStmt *) tree)->removeType == OBJECT_TABLE)
	{
		foreach(lc, ((DropStmt *) tree)->objects)
		{
			Oid			relid = named_relation(makeRangeVarFromNameList((List *) lfirst(lc)));

			if (OidIsValid(relid) && get_rel_relispartition(relid))
				events = add_event(events, relid, InvalidOid, false, "partition dropped");
		}
	}
	return events;
}

/* command_events() and what it found, for lt_run_protected(). */
typedef struct CommandEvents
{
	EventTriggerData *trigdata;
	List	   *events;
} CommandEvents;

static void
command_events_call(void *arg)
{
	CommandEvents *ce = arg;

	ce->events = command_events(ce->trigdata);
}

/*
 * command_events() in a subtransaction: a name it cannot resolve (the
 * command's own error to give, a moment later) is no error of ours.
 */
static List *
command_events_protected(EventTriggerData *trigdata)
{
	CommandEvents ce = {trigdata, NIL};
	ErrorData  *edata = lt_run_protected(command_events_call, &ce);

	if (edata == NULL)
		return ce.events;
	FreeErrorData(edata);
	return NIL;
}

PG_FUNCTION_INFO_V1(lt_partitions_changed);

/*
 * partitions_changed(): the event trigger.  At the end of CREATE TABLE ...
 * PARTITION OF and ALTER TABLE ... ATTACH PARTITION, the new partition gets
 * tracking triggers (and an attached table's rows are backfilled); at the
 * end of ALTER TABLE ... DETACH PARTITION (also CONCURRENTLY, and FINALIZE)
 * the detached table's unsent letters are withdrawn and its triggers
 * removed; at the start of DROP TABLE, a partition's unsent letters are
 * withdrawn while its rows can still be read.
 */
Datum
lt_partitions_changed(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	Oid			nspid;
	List	   *events;
	ListCell   *lc;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("partitions_changed() was not called by the event trigger manager")));
	trigdata = (EventTriggerData *) fcinfo->context;
	nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	/* (cheap tests first: most DDL is nothing to do with partitions) */
	if (!IsA(trigdata->parsetree, CreateStmt) && !IsA(trigdata->parsetree, AlterTableStmt) &&
		!IsA(trigdata->parsetree, DropStmt))
		PG_RETURN_VOID();
	events = command_events_protected(trigdata);
	foreach(lc, events)
	{
		PartEvent  *e = lfirst(lc);

		partition_event(nspid, e->part, e->parent, e->joined, e->why);
	}
	PG_RETURN_VOID();
}
