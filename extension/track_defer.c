/*
 * track_defer.c — withdrawals judged at commit, for tables whose key is a
 * deferrable unique constraint.  Such a key may be duplicated, or absent and
 * back again, between the statements of a transaction (a swap done in two
 * statements, a key parked on another's value): a key that leaves the table
 * in one statement may still name a row at commit.  So the trigger does not
 * withdraw those keys itself; it notes them here, and before the
 * transaction commits (or is prepared) the table is read again and only the
 * noted keys that no row has are withdrawn.  Notes made in a subtransaction
 * that rolls back are forgotten with it.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "track_internal.h"

/* A key noted for withdrawal, and the subtransaction level that noted it. */
typedef struct PendingKey
{
	char	   *key;
	const char *why;
	int			level;
} PendingKey;

/* The noted keys of one watched table. */
typedef struct PendingTable
{
	int32		table_id;		/* the watched table's identity */
	Oid			relid;
	Oid			nspid;
	char	   *names[NUM_COLS + INDEX_MAX_KEYS];	/* as track()'s arguments, NULL-ended */
	List	   *keys;			/* of PendingKey */
} PendingTable;

/* In TopTransactionContext; NIL outside a transaction that noted keys. */
static List *pending = NIL;

/* The pending entry of the job's table, made when missing. */
static PendingTable *
pending_table(TrackJob *job)
{
	ListCell   *lc;
	PendingTable *pt;

	foreach(lc, pending)
	{
		pt = lfirst(lc);
		if (pt->relid == job->relid && pt->nspid == job->nspid)
			return pt;
	}
	pt = palloc0(sizeof(PendingTable));
	pt->relid = job->relid;
	pt->table_id = job->table_id;
	pt->nspid = job->nspid;
	for (int c = 0; c < NUM_COLS; c++)
		pt->names[c] = pstrdup(job->cols.name[c] ? job->cols.name[c] : "");
	/* then the key's further columns, as lt_job_init() reads them */
	for (int k = 1; k < job->cols.key.n; k++)
		pt->names[NUM_COLS + k - 1] = pstrdup(job->cols.key.name[k]);
	pt->names[NUM_COLS + Max(job->cols.key.n - 1, 0)] = NULL;
	pending = lappend(pending, pt);
	return pt;
}

/* Note keys of the job's table to withdraw at commit unless a row has them. */
void
lt_defer_withdraw(TrackJob *job, Datum *keys, int n, const char *why)
{
	MemoryContext old;
	PendingTable *pt;
	int			level = GetCurrentTransactionNestLevel();

	if (n == 0)
		return;
	old = MemoryContextSwitchTo(TopTransactionContext);
	pt = pending_table(job);
	for (int i = 0; i < n; i++)
	{
		PendingKey *pk = palloc(sizeof(PendingKey));

		pk->key = TextDatumGetCString(keys[i]);
		pk->why = why;			/* a string constant */
		pk->level = level;
		pt->keys = lappend(pt->keys, pk);
	}
	MemoryContextSwitchTo(old);
}

/* Add to found the keys of set that a row of rel has. */
static void
scan_keys(Relation rel, TrackJob *job, LtKeySet *set, LtKeySet *found)
{
	TrackCols	cols = job->cols;
	TrackJob	rjob = *job;
	TableScanDesc scan;
	TupleTableSlot *slot;
	Snapshot	snap = RegisterSnapshot(GetTransactionSnapshot());

	/* the mapping resolved against this relation's own columns */
	lt_cols_resolve(&cols, RelationGetDescr(rel));
	rjob.cols = cols;
	if (cols.attno[COL_KEY] == 0)
	{
		UnregisterSnapshot(snap);
		return;
	}
	slot = table_slot_create(rel, NULL);
	scan = table_beginscan(rel, snap, 0, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		char	   *k = lt_row_key(&rjob, slot);

		CHECK_FOR_INTERRUPTS();
		if (k == NULL)
			continue;
		if (lt_keyset_contains(set, k) && !lt_keyset_contains(found, k))
			lt_keyset_add(found, k);	/* (kept: the set holds it by pointer) */
		else
			pfree(k);
	}
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snap);
}

/*
 * Withdraw the noted keys of one table that no row has now.  Runs as the
 * extension's owner inside the trigger's protected job (track_trigger.c):
 * the table is read with the table access method, which checks no
 * privilege and applies no row security (a row hidden from its owner still
 * holds its letter); the table itself only, or its leaf partitions.
 */
void
lt_defer_judge(TrackJob *job, void *arg)
{
	PendingTable *pt = arg;
	LtKeySet   *set = lt_keyset_create("letters_triage keys to withdraw");
	LtKeySet   *found = lt_keyset_create("letters_triage keys still present");
	List	   *rels;
	ListCell   *lc;
	Datum	   *gone;
	int			ngone = 0;
	const char *why = NULL;

	foreach(lc, pt->keys)
		lt_keyset_add(set, ((PendingKey *) lfirst(lc))->key);
	CommandCounterIncrement();
	if (get_rel_relkind(pt->relid) == RELKIND_PARTITIONED_TABLE)
		rels = find_all_inheritors(pt->relid, AccessShareLock, NULL);
	else
		rels = list_make1_oid(pt->relid);
	foreach(lc, rels)
	{
		Relation	rel;

		if (get_rel_relkind(lfirst_oid(lc)) != RELKIND_RELATION)
			continue;
		rel = table_open(lfirst_oid(lc), AccessShareLock);
		scan_keys(rel, job, set, found);
		table_close(rel, AccessShareLock);
	}

	/* each key once, in batches of one reason */
	gone = palloc(sizeof(Datum) * TRACK_BATCH);
	foreach(lc, pt->keys)
	{
		PendingKey *pk = lfirst(lc);

		if (lt_keyset_contains(found, pk->key))
			continue;
		if (ngone == TRACK_BATCH || (ngone > 0 && strcmp(why, pk->why) != 0))
		{
			lt_state_withdraw_at_commit(job, gone, ngone, why);
			ngone = 0;
		}
		lt_keyset_add(found, pk->key);
		why = pk->why;
		gone[ngone++] = CStringGetTextDatum(pk->key);
	}
	if (ngone > 0)
		lt_state_withdraw_at_commit(job, gone, ngone, why);
	hash_destroy((HTAB *) set);
	hash_destroy((HTAB *) found);
}

/* Before commit or prepare: judge the noted keys of every table. */
static void
judge_pending(void)
{
	List	   *todo = pending;
	ListCell   *lc;

	pending = NIL;
	/* SPI needs an active snapshot, which no statement provides at commit */
	PushActiveSnapshot(GetTransactionSnapshot());
	foreach(lc, todo)
	{
		PendingTable *pt = lfirst(lc);
		HeapTuple	tup;
		Relation	rel;

		if (pt->keys == NIL)
			continue;
		/* a table dropped in this transaction has no rows left to judge */
		tup = SearchSysCache1(RELOID, ObjectIdGetDatum(pt->relid));
		if (!HeapTupleIsValid(tup))
			continue;
		ReleaseSysCache(tup);
		rel = table_open(pt->relid, AccessShareLock);
		lt_track_judge_deferred(pt->table_id, pt->relid, pt->nspid, pt->names, RelationGetDescr(rel), pt);
		table_close(rel, AccessShareLock);
	}
	PopActiveSnapshot();
}

static void
defer_xact_callback(XactEvent event, void *arg pg_attribute_unused())
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (pending != NIL)
				judge_pending();
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			pending = NIL;		/* its memory went with the transaction */
			break;
		default:
			break;
	}
}

/* A subtransaction ended: forget its notes (abort) or hand them up (commit). */
static void
defer_subxact_callback(SubXactEvent event, SubTransactionId mySubid pg_attribute_unused(),
					   SubTransactionId parentSubid pg_attribute_unused(),
					   void *arg pg_attribute_unused())
{
	int			level = GetCurrentTransactionNestLevel();
	ListCell   *lc;

	if (event != SUBXACT_EVENT_ABORT_SUB && event != SUBXACT_EVENT_COMMIT_SUB)
		return;
	foreach(lc, pending)
	{
		PendingTable *pt = lfirst(lc);
		ListCell   *kc;

		foreach(kc, pt->keys)
		{
			PendingKey *pk = lfirst(kc);

			if (pk->level < level)
				continue;
			if (event == SUBXACT_EVENT_ABORT_SUB)
				pt->keys = foreach_delete_current(pt->keys, kc);
			else
				pk->level = level - 1;
		}
	}
}

/* Register the callbacks (at library load). */
void
lt_defer_init(void)
{
	RegisterXactCallback(defer_xact_callback, NULL);
	RegisterSubXactCallback(defer_subxact_callback, NULL);
}
