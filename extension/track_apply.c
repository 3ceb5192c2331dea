/*
 * track_apply.c — tracking the changes that logical replication applies.
 *
 * The apply worker of a subscription (and its table-synchronisation worker,
 * which makes the initial copy) runs with session_replication_role =
 * replica, so the statement-level triggers that watch() makes, which fire in
 * ordinary sessions, do not fire there; and it fires row-level triggers for
 * INSERT, UPDATE and DELETE, one change at a time (each its own "statement"),
 * statement-level ones only for TRUNCATE.  track_apply() is the row-level
 * path for such sessions: watch() enables its triggers for replica sessions
 * only (ENABLE REPLICA), so the writes of ordinary sessions are tracked by
 * track() alone and those of replica sessions by this path alone.
 *
 * A call of the row trigger only queues the row, in memory of the
 * transaction.  The rows are handed to the statement path (lt_track_event())
 * in bulk, as the transition tables of one INSERT, one UPDATE and one DELETE
 * of the table: when the queue is full, before a TRUNCATE of the table, and
 * before the transaction commits (or is prepared), so that the apply worker
 * pays one triage and one write of letter_state per letter and transaction,
 * not a statement per row.  Per key only the newest row is kept.  A key that
 * is deleted and then inserted again in one transaction (a row that moves
 * between partitions of the publisher arrives so) is one update of its
 * letter, not a withdrawal and a new letter: withdrawals wait for the commit.
 *
 * Savepoints (a DBA's replica session, the parallel apply of streamed
 * transactions from PostgreSQL 16 on): what the transaction did to a key is
 * a stack of versions, one per subtransaction that changed it; a
 * subtransaction that rolls back takes its versions with it, and what was
 * written while it ran is written again (see apply_subxact()).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "letters_triage.h"
#include "track.h"
#include "track_apply.h"
#include "track_key.h"

/*
 * Rows queued before the first hand-over of a transaction; each hand-over in
 * the same transaction doubles it (up to APPLY_MAX_ROWS), so that a huge
 * transaction (an initial copy) is written in a few large batches rather
 * than many small ones, each of which may cost a subtransaction.
 */
#define APPLY_BATCH 2000
#define APPLY_MAX_ROWS 64000
/* ... and at most this many bytes of rows */
#define APPLY_MAX_BYTES (32 * 1024 * 1024)

/* What the transaction has done to one key, as of one subtransaction. */
typedef struct KeyVersion
{
	struct KeyVersion *older;	/* as of an enclosing subtransaction, or NULL */
	SubTransactionId subid;		/* the subtransaction that made this version */
	HeapTuple	row;			/* the newest row to record, or NULL */
	bool		insert;			/* the key is new to the transaction (an INSERT) */
	SubTransactionId written;	/* row handed over (by this subtransaction), or Invalid */
	HeapTuple	gone;			/* deleted since: the key of the withdrawal, or NULL */
	SubTransactionId withdrawn; /* withdrawal handed over (by ...), or Invalid */
} KeyVersion;

typedef struct ApplyKey
{
	const char *key;			/* hash key: a pointer (see lt_key_hash()) */
	KeyVersion *v;				/* the newest version */
} ApplyKey;

/* A row without a key: handed over as it is (the statement path records it lost). */
typedef struct KeylessRow
{
	HeapTuple	row;
	SubTransactionId subid;
} KeylessRow;

/* The queue of one table. */
typedef struct ApplyTable
{
	Oid			relid;			/* hash key */
	Oid			nspid;			/* the extension's schema */
	Trigger		trigger;		/* the trigger, with its arguments (the mapping) */
	AttrNumber	keyattno;		/* the key column; 0 when it is missing */
	LtKeyRender keyr;
	HTAB	   *keys;
	List	   *keyless;
	int			pending;		/* events since the last hand-over */
	Size		bytes;			/* bytes of rows queued since then */
} ApplyTable;

/* The queues of the current transaction; cxt NULL: nothing queued. */
static struct
{
	MemoryContext cxt;			/* a child of TopTransactionContext */
	HTAB	   *tables;
	int			flush_rows;
}			apply;
static bool apply_callbacks = false;

/* The function track_apply() of schema nspid, or InvalidOid. */
static Oid
apply_function(Oid nspid)
{
	oidvector  *noargs = buildoidvector(NULL, 0);

	return GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum("track_apply"),
						   PointerGetDatum(noargs), ObjectIdGetDatum(nspid));
}

/*
 * Does the row-level path track this kind of statement (ev: a trigger
 * event) on table rel in this session?  Only in a replica session, and only
 * when the table has a track_apply() trigger for it that fires there: then
 * track(), if a DBA enabled it for replica sessions too, leaves the
 * statement to it rather than track it twice.
 */
bool
lt_apply_covers(Relation rel, Oid nspid, uint32 ev)
{
	TriggerDesc *trigdesc = rel->trigdesc;
	Oid			fn;
	int16		want;

	if (SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA || trigdesc == NULL)
		return false;
	fn = apply_function(nspid);
	if (!OidIsValid(fn))
		return false;
	switch (ev & TRIGGER_EVENT_OPMASK)
	{
		case TRIGGER_EVENT_INSERT:
			want = TRIGGER_TYPE_ROW | TRIGGER_TYPE_INSERT;
			break;
		case TRIGGER_EVENT_UPDATE:
			want = TRIGGER_TYPE_ROW | TRIGGER_TYPE_UPDATE;
			break;
		case TRIGGER_EVENT_DELETE:
			want = TRIGGER_TYPE_ROW | TRIGGER_TYPE_DELETE;
			break;
		default:
			want = TRIGGER_TYPE_TRUNCATE;
			break;
	}
	for (int i = 0; i < trigdesc->numtriggers; i++)
	{
		Trigger    *t = &trigdesc->triggers[i];

		if (t->tgfoid == fn && (t->tgtype & want) == want &&
			(t->tgenabled == TRIGGER_FIRES_ON_REPLICA || t->tgenabled == TRIGGER_FIRES_ALWAYS))
			return true;
	}
	return false;
}

/* Forget the queues (their memory goes with the transaction's). */
static void
apply_forget(void)
{
	apply.cxt = NULL;
	apply.tables = NULL;
}

/* The queue of the table a trigger fired for, made on first use. */
static ApplyTable *
apply_table(TriggerData *td, Oid nspid)
{
	Oid			relid = RelationGetRelid(td->tg_relation);
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	MemoryContext old;
	ApplyTable *t;
	bool		found;
	HASHCTL		ctl;

	if (apply.cxt == NULL)
	{
		apply.cxt = AllocSetContextCreate(TopTransactionContext, "letters_triage apply queue",
										  ALLOCSET_DEFAULT_SIZES);
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(ApplyTable);
		ctl.hcxt = apply.cxt;
		apply.tables = hash_create("letters_triage apply tables", 8, &ctl,
								   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		apply.flush_rows = APPLY_BATCH;
	}
	t = hash_search(apply.tables, &relid, HASH_ENTER, &found);
	if (found)
		return t;

	old = MemoryContextSwitchTo(apply.cxt);
	t->nspid = nspid;
	t->trigger = *td->tg_trigger;
	t->trigger.tgname = pstrdup(td->tg_trigger->tgname);
	t->trigger.tgargs = palloc(sizeof(char *) * td->tg_trigger->tgnargs);
	for (int i = 0; i < td->tg_trigger->tgnargs; i++)
		t->trigger.tgargs[i] = pstrdup(td->tg_trigger->tgargs[i]);
	t->trigger.tgattr = NULL;
	t->trigger.tgnattr = 0;
	t->trigger.tgqual = NULL;
	t->trigger.tgoldtable = t->trigger.tgnewtable = NULL;
	t->keyattno = 0;
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (!att->attisdropped && strcmp(NameStr(att->attname), t->trigger.tgargs[1]) == 0)
		{
			t->keyattno = i + 1;
			lt_key_render_init(&t->keyr, att->atttypid);
			break;
		}
	}
	ctl.keysize = sizeof(const char *);
	ctl.entrysize = sizeof(ApplyKey);
	ctl.hash = lt_key_hash;
	ctl.match = lt_key_match;
	ctl.hcxt = apply.cxt;
	t->keys = hash_create("letters_triage apply keys", 256, &ctl,
						  HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	t->keyless = NIL;
	t->pending = 0;
	t->bytes = 0;
	MemoryContextSwitchTo(old);
	return t;
}

/* The key of a row as text (in the queue's memory), or NULL. */
static char *
row_key(ApplyTable *t, HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	Datum		d;
	MemoryContext old;
	char	   *key;

	if (t->keyattno == 0 || t->keyattno > desc->natts)
		return NULL;
	d = heap_getattr(tup, t->keyattno, desc, &isnull);
	if (isnull)
		return NULL;
	old = MemoryContextSwitchTo(apply.cxt);
	key = lt_key_render(&t->keyr, d);
	MemoryContextSwitchTo(old);
	return key;
}

/*
 * The version of key's record that the current subtransaction changes: its
 * own, or a new one on top of the enclosing subtransactions' (*found: the key
 * has a record already; it has one afterwards).
 */
static KeyVersion *
key_version(ApplyTable *t, char *key, bool *found)
{
	SubTransactionId sub = GetCurrentSubTransactionId();
	ApplyKey   *k = hash_search(t->keys, &key, HASH_ENTER, found);
	KeyVersion *v;

	if (*found)
	{
		pfree(key);
		if (k->v->subid == sub)
			return k->v;
	}
	v = MemoryContextAllocZero(apply.cxt, sizeof(KeyVersion));
	if (*found)
		*v = *k->v;
	v->older = *found ? k->v : NULL;
	v->subid = sub;
	k->v = v;
	return v;
}

/* Replace the row of version v (freeing the old one when no older version shares it). */
static void
set_row(KeyVersion *v, HeapTuple row)
{
	if (v->row != NULL && (v->older == NULL || v->older->row != v->row))
		heap_freetuple(v->row);
	v->row = row;
}

/* Forget key k of table t, freeing what its versions hold. */
static void
forget_key(ApplyTable *t, ApplyKey *k)
{
	char	   *key = (char *) k->key;
	KeyVersion *v = k->v;

	while (v != NULL)
	{
		KeyVersion *o = v->older;

		if (v->row != NULL && (o == NULL || o->row != v->row))
			heap_freetuple(v->row);
		if (v->gone != NULL && (o == NULL || o->gone != v->gone))
			heap_freetuple(v->gone);
		pfree(v);
		v = o;
	}
	hash_search(t->keys, &key, HASH_REMOVE, NULL);
	pfree(key);
}

/* Queue the new row of an INSERT (insert) or UPDATE. */
static void
queue_row(ApplyTable *t, HeapTuple tup, TupleDesc desc, bool insert)
{
	char	   *key = row_key(t, tup, desc);
	HeapTuple	copy = MemoryContextAlloc(apply.cxt, HEAPTUPLESIZE + tup->t_len);
	KeyVersion *v;
	bool		found;

	/* (heap_copytuple() would copy into the current context) */
	copy->t_len = tup->t_len;
	copy->t_self = tup->t_self;
	copy->t_tableOid = tup->t_tableOid;
	copy->t_data = (HeapTupleHeader) ((char *) copy + HEAPTUPLESIZE);
	memcpy(copy->t_data, tup->t_data, tup->t_len);
	t->pending++;
	t->bytes += tup->t_len;
	if (key == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(apply.cxt);
		KeylessRow *r = palloc(sizeof(KeylessRow));

		r->row = copy;
		r->subid = GetCurrentSubTransactionId();
		t->keyless = lappend(t->keyless, r);
		MemoryContextSwitchTo(old);
		return;
	}
	v = key_version(t, key, &found);
	/* new to letter_state only if new to the transaction (or not written yet) */
	v->insert = found ? (v->insert && v->written == InvalidSubTransactionId && v->gone == NULL)
		: insert;
	set_row(v, copy);
	v->written = InvalidSubTransactionId;
	/* the key is back: not a withdrawal (the letter is updated) */
	v->gone = NULL;
	v->withdrawn = InvalidSubTransactionId;
}

/*
 * Queue the withdrawal of the old row's key (a DELETE, or an UPDATE that
 * changed the key).  A row queued for the key and not yet written stays: it
 * is written before the withdrawal, as the statements did it.
 */
static void
queue_withdrawal(ApplyTable *t, HeapTuple tup, TupleDesc desc)
{
	char	   *key = row_key(t, tup, desc);
	KeyVersion *v;
	bool		found;
	Datum	   *values;
	bool	   *nulls;
	MemoryContext old;

	if (key == NULL)
		return;					/* no letter can be named */
	t->pending++;
	v = key_version(t, key, &found);
	/* a row of the key alone: what the withdrawal reads */
	old = MemoryContextSwitchTo(apply.cxt);
	values = palloc0(sizeof(Datum) * desc->natts);
	nulls = palloc(sizeof(bool) * desc->natts);
	memset(nulls, true, sizeof(bool) * desc->natts);
	values[t->keyattno - 1] = heap_getattr(tup, t->keyattno, desc, &nulls[t->keyattno - 1]);
	if (v->gone != NULL && (v->older == NULL || v->older->gone != v->gone))
		heap_freetuple(v->gone);
	v->gone = heap_form_tuple(desc, values, nulls);
	v->withdrawn = InvalidSubTransactionId;
	MemoryContextSwitchTo(old);
	pfree(values);
	pfree(nulls);
}

/* Hand rows over to the statement path as one statement's transition table. */
static void
hand_over(ApplyTable *t, Relation rel, TriggerEvent op, Tuplestorestate *rows)
{
	TriggerData td;

	memset(&td, 0, sizeof(td));
	td.type = T_TriggerData;
	td.tg_event = op | TRIGGER_EVENT_AFTER;
	td.tg_relation = rel;
	td.tg_trigger = &t->trigger;
	if (op == TRIGGER_EVENT_DELETE)
		td.tg_oldtable = rows;
	else
		td.tg_newtable = rows;
	(void) lt_track_event(&td, t->nspid);
}

/* Put a tuple in *ts, made when first needed. */
static void
put_row(Tuplestorestate **ts, HeapTuple tup)
{
	if (*ts == NULL)
		*ts = tuplestore_begin_heap(false, false, work_mem);
	tuplestore_puttuple(*ts, tup);
}

/*
 * Hand over what table t's queue holds that is not written yet: the rows,
 * and with withdrawals the withdrawals too (after the rows).  At the top
 * level of the transaction what has been written is forgotten; inside a
 * subtransaction it is kept, to be written again if that rolls back.
 */
static void
flush_table(ApplyTable *t, bool withdrawals)
{
	SubTransactionId sub = GetCurrentSubTransactionId();
	bool		top = (sub == TopSubTransactionId);
	MemoryContext cxt = AllocSetContextCreate(TopTransactionContext, "letters_triage apply hand-over",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Tuplestorestate *ins = NULL,
			   *upd = NULL,
			   *del = NULL;
	HASH_SEQ_STATUS seq;
	ApplyKey   *k;
	ListCell   *lc;
	Relation	rel;

	hash_seq_init(&seq, t->keys);
	while ((k = hash_seq_search(&seq)) != NULL)
	{
		KeyVersion *v = k->v;

		if (v->row != NULL && v->written == InvalidSubTransactionId)
		{
			put_row(v->insert ? &ins : &upd, v->row);
			v->written = sub;
		}
		if (withdrawals && v->gone != NULL && v->withdrawn == InvalidSubTransactionId)
		{
			put_row(&del, v->gone);
			v->withdrawn = sub;
		}
		if (top && (v->gone == NULL || withdrawals))
			forget_key(t, k);	/* nothing left to do for the key in this transaction */
	}
	foreach(lc, t->keyless)
		put_row(&upd, ((KeylessRow *) lfirst(lc))->row);
	list_free_deep(t->keyless);
	t->keyless = NIL;
	t->pending = 0;
	t->bytes = 0;

	/* (a table dropped meanwhile has no letters to write: its state is withdrawn) */
	rel = try_table_open(t->relid, AccessShareLock);
	if (rel != NULL)
	{
		if (ins != NULL)
			hand_over(t, rel, TRIGGER_EVENT_INSERT, ins);
		if (upd != NULL)
			hand_over(t, rel, TRIGGER_EVENT_UPDATE, upd);
		if (del != NULL)
			hand_over(t, rel, TRIGGER_EVENT_DELETE, del);
		table_close(rel, AccessShareLock);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/* Before the commit: hand over every queue. */
static void
flush_all(void)
{
	HASH_SEQ_STATUS seq;
	ApplyTable *t;
	bool		snap = false;

	if (!ActiveSnapshotSet())
	{
		PushActiveSnapshot(GetTransactionSnapshot());
		snap = true;
	}
	hash_seq_init(&seq, apply.tables);
	while ((t = hash_seq_search(&seq)) != NULL)
		flush_table(t, true);
	if (snap)
		PopActiveSnapshot();
}

/* Transaction callback: write the queues before the commit, forget them at the end. */
static void
apply_xact(XactEvent event, void *arg)
{
	(void) arg;
	if (apply.cxt == NULL)
		return;
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			flush_all();
			apply_forget();
			break;
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
			break;				/* (parallel workers fire no triggers) */
		default:
			apply_forget();
			break;
	}
}

/*
 * Subtransaction callback: when subtransaction mySubid rolls back, what it
 * and the subtransactions it began (all numbered from mySubid on) queued is
 * taken back, and what they wrote is to be written again: the versions they
 * made are dropped, and a hand-over of theirs is undone.  (A key deleted,
 * brought back and deleted again, whose last deletion alone is rolled back,
 * loses the first withdrawal too: the versions keep one deletion each.)
 */
static void
apply_subxact(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	HASH_SEQ_STATUS tseq;
	ApplyTable *t;

	(void) parentSubid;
	(void) arg;
	if (event != SUBXACT_EVENT_ABORT_SUB || apply.cxt == NULL)
		return;
	hash_seq_init(&tseq, apply.tables);
	while ((t = hash_seq_search(&tseq)) != NULL)
	{
		HASH_SEQ_STATUS seq;
		ApplyKey   *k;
		List	   *keep = NIL;
		ListCell   *lc;

		hash_seq_init(&seq, t->keys);
		while ((k = hash_seq_search(&seq)) != NULL)
		{
			while (k->v != NULL && k->v->subid >= mySubid)
				k->v = k->v->older;
			if (k->v == NULL)
			{
				const char *key = k->key;

				hash_search(t->keys, &key, HASH_REMOVE, NULL);
				continue;
			}
			if (k->v->written >= mySubid)
				k->v->written = InvalidSubTransactionId;
			if (k->v->withdrawn >= mySubid)
				k->v->withdrawn = InvalidSubTransactionId;
		}
		foreach(lc, t->keyless)
		{
			KeylessRow *r = lfirst(lc);

			if (r->subid < mySubid)
				keep = lappend(keep, r);
		}
		t->keyless = keep;
	}
}

PG_FUNCTION_INFO_V1(lt_track_apply);

/*
 * track_apply(): the row-level trigger (and the statement-level trigger of
 * TRUNCATE) that watch() puts on a table that a subscription writes to,
 * enabled for replica sessions.  Arguments: those of track().
 */
Datum
lt_track_apply(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	Oid			nspid;
	ApplyTable *t;
	MemoryContext old;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track_apply() was not called by the trigger manager")));
	if (!TRIGGER_FIRED_AFTER(td->tg_event) ||
		(TRIGGER_FIRED_FOR_ROW(td->tg_event) == TRIGGER_FIRED_BY_TRUNCATE(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track_apply() must be fired AFTER, FOR EACH ROW (FOR EACH STATEMENT for TRUNCATE)")));
	if (td->tg_trigger->tgnargs != LT_TRACK_NARGS)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track_apply() needs %d arguments, not %d", LT_TRACK_NARGS, td->tg_trigger->tgnargs),
				 errhint("Attach it with letters_triage.watch().")));
	/* ordinary sessions' writes are track()'s */
	if (SessionReplicationRole != SESSION_REPLICATION_ROLE_REPLICA)
		PG_RETURN_POINTER(NULL);

	if (!apply_callbacks)
	{
		RegisterXactCallback(apply_xact, NULL);
		RegisterSubXactCallback(apply_subxact, NULL);
		apply_callbacks = true;
	}
	nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	t = apply_table(td, nspid);
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
	{
		/* what came before the TRUNCATE first, then the TRUNCATE */
		flush_table(t, true);
		return lt_track_event(td, nspid);
	}

	desc = RelationGetDescr(td->tg_relation);
	old = MemoryContextSwitchTo(apply.cxt);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		queue_row(t, td->tg_trigtuple, desc, true);
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		queue_withdrawal(t, td->tg_trigtuple, desc);
	else
	{
		char	   *ok = row_key(t, td->tg_trigtuple, desc);
		char	   *nk = row_key(t, td->tg_newtuple, desc);

		/* a key changed: the old key's letter is gone, unless it comes back */
		if (ok != NULL && (nk == NULL || strcmp(ok, nk) != 0))
			queue_withdrawal(t, td->tg_trigtuple, desc);
		queue_row(t, td->tg_newtuple, desc, false);
		if (ok != NULL)
			pfree(ok);
		if (nk != NULL)
			pfree(nk);
	}
	MemoryContextSwitchTo(old);

	if (t->pending >= apply.flush_rows || t->bytes >= APPLY_MAX_BYTES)
	{
		flush_table(t, false);
		apply.flush_rows = Min(apply.flush_rows * 2, APPLY_MAX_ROWS);
	}
	PG_RETURN_POINTER(NULL);
}
