/*
 * track_direct.c — the direct writer: the state rows of new letters written
 * into letter_state with the table access method and their index entries,
 * as COPY writes rows, instead of through the SPI upsert.
 *
 * Running the upsert statement costs as much as the application's own
 * INSERT of a letter (executor start-up, the ON CONFLICT machinery,
 * parameters passed as arrays), and a single-row INSERT into a watched table
 * would pay it again.  New letters have no state row yet, so the trigger of
 * an INSERT writes theirs here.  A key that has a row already (a key used
 * again after its letter was deleted, say, or a row inserted meanwhile by
 * another session) makes the primary key refuse the insert; lt_track() then
 * does the event again, in a new subtransaction, through the upsert.
 * (Looking the keys up first would cost every INSERT an index search for the
 * rare case.)
 *
 * This re-implements the part of INSERT that letter_state needs, and is used
 * only while the table is as this code knows it: no triggers, no row
 * security, the columns and the primary key it expects.  Its constraints are
 * checked as the executor checks them, and the values written are those the
 * upsert would write for a new letter.  What it needs of letter_state and its
 * indexes (the columns, the CHECK constraints and the partial indexes'
 * predicates, planned) is cached per backend (cache.h), and forgotten on a
 * relcache invalidation of the table or of one of its indexes.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/pg_collation.h"
#include "executor/executor.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "cache.h"
#include "sqlfunc.h"
#include "compat.h"
#include "track_internal.h"

/* The columns of letter_state, as this code knows them. */
typedef enum StateColumn
{
	S_TABLE_ID,
	S_KEY,
	S_URGENCY,
	S_ACTIONS,
	S_NEEDS_REVIEW,
	S_REASON,
	S_KIND,
	S_RECIPIENT,
	S_CREATED,
	S_DUE,
	S_SENT,
	S_STATUS,
	S_TRIAGED_AT,
	S_RULESET,
	S_WITHDRAWN,
	NUM_STATE_COLS
} StateColumn;

static const struct
{
	const char *name;
	Oid			type;			/* InvalidOid: the urgency enum */
}			state_col[NUM_STATE_COLS] = {
	{"table_id", INT4OID}, {"key", TEXTOID}, {"urgency", InvalidOid},
	{"actions", TEXTARRAYOID}, {"needs_review", BOOLOID}, {"reason", TEXTOID},
	{"kind", TEXTOID}, {"recipient", TEXTOID}, {"created", TIMESTAMPTZOID},
	{"due", TIMESTAMPTZOID}, {"sent", TIMESTAMPTZOID}, {"status", TEXTOID},
	{"triaged_at", TIMESTAMPTZOID}, {"ruleset_version", INT8OID},
	{"withdrawn", TIMESTAMPTZOID}
};

#define STATE_MAX_INDEXES 32

/* What the direct path knows of letter_state, cached per backend. */
static LtCache state_cache = LT_CACHE_INIT("letter_state");
static struct
{
	Oid			relid;
	bool		usable;			/* the table is as this code knows it */
	Oid			pkey;
	AttrNumber	attno[NUM_STATE_COLS];
	Oid			urgency_type;	/* the type of its urgency column */
	TupleDesc	desc;			/* a copy of its descriptor (in state_cxt) */
	int			ncheck;			/* its CHECK constraints, planned (in state_cxt; NULL: not enforced) */
	Expr	  **check;
	bool		builtin_checks; /* they call built-in functions only */
	bool		have_indexes;	/* the indexes below are known */
	int			nindex;
	Oid			index_oid[STATE_MAX_INDEXES];
	IndexInfo  *index_info[STATE_MAX_INDEXES];	/* predicates planned */
	ExprState  *index_pred[STATE_MAX_INDEXES];	/* ready to run; NULL: none */
	ExprContext *pred_econtext; /* runs them (its memory in state_cxt) */
	bool		plain_indexes;	/* built-in functions only in their expressions and
								 * predicates, no unique one but the key */
}			state_rel;
static MemoryContext state_cxt = NULL;	/* state_cache's */

/* check_functions_in_node() callback: is this function not built in? */
static bool
non_builtin_function(Oid func_id, void *context)
{
	(void) context;
	return func_id >= FirstGenbkiObjectId;
}

/* Does the expression call a function that is not built in? */
static bool
calls_non_builtin(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (check_functions_in_node(node, non_builtin_function, context))
		return true;
	return expression_tree_walker(node, calls_non_builtin, context);
}

/* Learn the columns, key and urgency values of letter_state (rel). */
static void
state_rel_load(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			live = 0,
				c,
				i;
	Oid			urgtype = InvalidOid;
	Relation	pk;

	memset(&state_rel, 0, sizeof(state_rel));
	state_cxt = lt_cache_begin(&state_cache);
	state_rel.relid = RelationGetRelid(rel);
	lt_cache_watch_rel(&state_cache, state_rel.relid);
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		live++;
		for (c = 0; c < NUM_STATE_COLS; c++)
		{
			if (strcmp(NameStr(att->attname), state_col[c].name) != 0)
				continue;
			if (state_col[c].type == InvalidOid)
				urgtype = att->atttypid;
			else if (att->atttypid != state_col[c].type)
				return;			/* not usable */
			state_rel.attno[c] = i + 1;
		}
	}
	if (live != NUM_STATE_COLS)
		return;
	{
		MemoryContext old = MemoryContextSwitchTo(state_cxt);

		/* (a copy: the slots pin no reference-counted descriptor) */
		state_rel.desc = CreateTupleDescCopy(desc);
		MemoryContextSwitchTo(old);
	}
	for (c = 0; c < NUM_STATE_COLS; c++)
		if (state_rel.attno[c] == 0)
			return;
	/*
	 * (its labels looked up now, so that a quiet write, which must not fail,
	 * finds them known)
	 */
	for (i = LT_URGENCY_ROUTINE; i <= LT_URGENCY_IMMEDIATE; i++)
		(void) lt_urgency_datum(urgtype, (LtUrgency) i);
	state_rel.urgency_type = urgtype;
	state_rel.pkey = LT_RELATION_GET_PRIMARY_KEY_INDEX(rel);
	if (!OidIsValid(state_rel.pkey))
		return;
	pk = index_open(state_rel.pkey, AccessShareLock);
	if (pk->rd_index->indnkeyatts == 2 &&
		pk->rd_index->indkey.values[0] == state_rel.attno[S_TABLE_ID] &&
		pk->rd_index->indkey.values[1] == state_rel.attno[S_KEY])
		state_rel.usable = true;
	index_close(pk, AccessShareLock);

	/*
	 * The CHECK constraints, parsed and planned once rather than by every
	 * statement (which is what the executor would do).
	 */
	if (desc->constr != NULL && desc->constr->num_check > 0)
	{
		MemoryContext old = MemoryContextSwitchTo(state_cxt);

		state_rel.check = palloc(sizeof(Expr *) * desc->constr->num_check);
		for (i = 0; i < desc->constr->num_check; i++)
			state_rel.check[i] = LT_CHECK_ENFORCED(desc->constr->check[i]) ?
				expression_planner(stringToNode(desc->constr->check[i].ccbin)) : NULL;
		state_rel.ncheck = desc->constr->num_check;
		MemoryContextSwitchTo(old);
	}
	state_rel.builtin_checks = true;
	for (i = 0; i < state_rel.ncheck; i++)
		if (calls_non_builtin((Node *) state_rel.check[i], NULL))
			state_rel.builtin_checks = false;
}

/*
 * Open the indexes of letter_state (rel) that the rows in slots[0..n-1] need
 * an entry in, for the inserts, as ExecOpenIndices() does, but with their
 * IndexInfo (and the predicates of partial indexes, planned and ready to
 * run) from the cache rather than built again by every statement.  A partial
 * index whose predicate none of the rows satisfies is not opened: a new
 * waiting letter has entries in three of letter_state's seven indexes, and
 * opening, locking and closing the other four and setting up their
 * predicates cost a single-row INSERT about half as much again as the three
 * entries.  A predicate that every row satisfies is not evaluated again by
 * ExecInsertIndexTuples().
 * (A change to the indexes needs a lock that conflicts with the one held on
 * the table, or waits for its holders, so the list read under it holds.)
 * When the cache is not ready, every index is opened (and, the cache being
 * valid, their IndexInfo kept in it).
 */
static void
open_state_indexes(ResultRelInfo *rri, Relation rel, TupleTableSlot **slots, int nslots)
{
	List	   *list = RelationGetIndexList(rel);
	int			n = list_length(list);
	int			i = 0;
	bool		cached;
	ListCell   *lc;

	rri->ri_NumIndices = 0;
	if (n == 0)
		return;
	rri->ri_IndexRelationDescs = palloc(sizeof(Relation) * n);
	rri->ri_IndexRelationInfo = palloc(sizeof(IndexInfo *) * n);

	cached = lt_cache_valid(&state_cache) && state_rel.have_indexes && state_rel.nindex == n;
	foreach(lc, list)
	{
		if (!cached)
			break;
		cached = (state_rel.index_oid[i++] == lfirst_oid(lc));
	}
	if (cached)
	{
		int			k = 0;

		for (i = 0; i < n; i++)
		{
			IndexInfo  *ii = state_rel.index_info[i];
			ExprState  *pred = state_rel.index_pred[i];
			bool		all = true;
			bool		any = (pred == NULL);

			if (!ii->ii_ReadyForInserts)
				continue;		/* ExecInsertIndexTuples() would skip it */
			for (int j = 0; pred != NULL && j < nslots; j++)
			{
				ExprContext *ec = state_rel.pred_econtext;

				ec->ecxt_scantuple = slots[j];
				if (ExecQual(pred, ec))
					any = true;
				else
					all = false;
				ResetExprContext(ec);
			}
			if (!any)
				continue;
			rri->ri_IndexRelationDescs[k] = index_open(state_rel.index_oid[i], RowExclusiveLock);
			/* a copy of the cached one, with this statement's run-time state */
			ii = palloc(sizeof(IndexInfo));
			memcpy(ii, state_rel.index_info[i], sizeof(IndexInfo));
			ii->ii_ExpressionsState = NIL;
			ii->ii_PredicateState = NULL;
			ii->ii_AmCache = NULL;
			ii->ii_Context = CurrentMemoryContext;
			if (all)
				ii->ii_Predicate = NIL; /* every row has been found to satisfy it */
			rri->ri_IndexRelationInfo[k++] = ii;
		}
		rri->ri_NumIndices = k;
		if (lt_cache_valid(&state_cache))
		{
			list_free(list);
			return;
		}
		/* an invalidation came with the locks: open them all (the locks stay) */
		for (i = 0; i < k; i++)
			index_close(rri->ri_IndexRelationDescs[i], NoLock);
		rri->ri_NumIndices = 0;
	}

	i = 0;
	foreach(lc, list)
		rri->ri_IndexRelationDescs[i++] = index_open(lfirst_oid(lc), RowExclusiveLock);
	rri->ri_NumIndices = n;

	/* (checked after the locks: taking them may have invalidated the cache) */
	if (lt_cache_valid(&state_cache) && n <= STATE_MAX_INDEXES)
	{
		MemoryContext old = MemoryContextSwitchTo(state_cxt);

		state_rel.have_indexes = false;
		if (state_rel.pred_econtext == NULL)
			state_rel.pred_econtext = CreateStandaloneExprContext();
		for (i = 0; i < n; i++)
		{
			IndexInfo  *ii = BuildIndexInfo(rri->ri_IndexRelationDescs[i]);

			state_rel.index_pred[i] = NULL;
			if (ii->ii_Predicate != NIL)
			{
				ii->ii_Predicate = (List *) expression_planner((Expr *) ii->ii_Predicate);
				state_rel.index_pred[i] = ExecInitQual(ii->ii_Predicate, NULL);
			}
			state_rel.index_oid[i] = RelationGetRelid(rri->ri_IndexRelationDescs[i]);
			lt_cache_watch_rel(&state_cache, state_rel.index_oid[i]);
			state_rel.index_info[i] = ii;
		}
		state_rel.nindex = n;
		state_rel.plain_indexes = true;
		for (i = 0; i < n; i++)
			if (calls_non_builtin((Node *) state_rel.index_info[i]->ii_Expressions, NULL) ||
				calls_non_builtin((Node *) state_rel.index_info[i]->ii_Predicate, NULL) ||
				(state_rel.index_info[i]->ii_Unique && state_rel.index_oid[i] != state_rel.pkey))
				state_rel.plain_indexes = false;
		state_rel.have_indexes = true;
		MemoryContextSwitchTo(old);
	}
	/* IndexInfos of this statement's own (ExecInsertIndexTuples() readies the predicates) */
	for (i = 0; i < n; i++)
		rri->ri_IndexRelationInfo[i] = BuildIndexInfo(rri->ri_IndexRelationDescs[i]);
	list_free(list);
}

/* Would letter_state's constraints accept the row in slot?  (No error.) */
static bool
state_row_acceptable(ResultRelInfo *rri, TupleTableSlot *slot, EState *estate)
{
	TupleDesc	desc = slot->tts_tupleDescriptor;
	ExprContext *econtext = GetPerTupleExprContext(estate);
	bool		ok = true;

	for (int a = 0; a < desc->natts; a++)
		if (TupleDescAttr(desc, a)->attnotnull && slot->tts_isnull[a])
			return false;
	econtext->ecxt_scantuple = slot;
	for (int i = 0; i < state_rel.ncheck && ok; i++)
		ok = ExecCheck(LT_RRI_CHECK_EXPRS(rri)[i], econtext);
	ResetExprContext(econtext);
	return ok;
}

/* Is there a state row (committed or not) for key in the key index pk? */
static bool
state_key_exists(Relation rel, Relation pk, int32 table_id, Datum key)
{
	ScanKeyData sk[2];
	SnapshotData dirty;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	bool		found;

	InitDirtySnapshot(dirty);
	ScanKeyInit(&sk[0], 1, BTEqualStrategyNumber, F_INT4EQ, Int32GetDatum(table_id));
	ScanKeyInit(&sk[1], 2, BTEqualStrategyNumber, F_TEXTEQ, key);
	sk[1].sk_collation = pk->rd_indcollation[1];
	slot = table_slot_create(rel, NULL);
	scan = LT_INDEX_BEGINSCAN(rel, pk, &dirty, 2, 0);
	index_rescan(scan, sk, 2, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot);
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	return found;
}

/* Do two of the keys of the batch repeat each other? */
static bool
batch_keys_repeat(TrackJob *job)
{
	for (int i = 0; i < job->n; i++)
		for (int j = i + 1; j < job->n && job->n <= 64; j++)
			if (DatumGetBool(DirectFunctionCall2Coll(texteq, C_COLLATION_OID, job->key[i], job->key[j])))
				return true;
	return job->n > 64;			/* (not looked for: taken as repeated) */
}

/*
 * Write the batch directly; false when nothing was written and it must go
 * through the upsert.  quiet: outside a subtransaction, so nothing that can
 * be foreseen may fail: the batch is written only if letter_state is as
 * cached (checks and index expressions calling built-in functions only, no
 * unique index but the key), every row passes its constraints, no key
 * repeats and none has a state row yet (committed or not).
 */
bool
lt_direct_write(TrackJob *job, bool quiet)
{
	Oid			relid = InvalidOid;
	Relation	rel;
	Relation	pk = NULL;
	EState	   *estate;
	ResultRelInfo *rri;
	TupleDesc	desc;
	TupleTableSlot **slots;
	CommandId	cid;
	TimestampTz now = GetCurrentStatementStartTimestamp();
	MemoryContext old;
	bool		bad = false;
	int			i;

	if (lt_cache_valid(&state_cache))
		relid = state_rel.relid;
	else if (quiet)
		return false;
	else
		relid = get_relname_relid("letter_state", job->nspid);
	if (!OidIsValid(relid))
		return false;
	rel = table_open(relid, RowExclusiveLock);
	if ((!lt_cache_valid(&state_cache) || state_rel.relid != relid) && !quiet)
		state_rel_load(rel);
	if (!lt_cache_valid(&state_cache) || state_rel.relid != relid ||
		!state_rel.usable || rel->trigdesc != NULL || rel->rd_rel->relrowsecurity ||
		rel->rd_rel->relkind != RELKIND_RELATION ||
		RelationGetNamespace(rel) != job->nspid ||
		(quiet && (!state_rel.have_indexes || !state_rel.plain_indexes || !state_rel.builtin_checks ||
				   state_rel.ncheck != (rel->rd_att->constr ? rel->rd_att->constr->num_check : 0) ||
				   batch_keys_repeat(job))))
	{
		table_close(rel, RowExclusiveLock);
		return false;
	}

	estate = CreateExecutorState();
	rri = makeNode(ResultRelInfo);
	/* (not in a range table: no range table index) */
	InitResultRelInfo(rri, rel, 0, NULL, 0);
	if (state_rel.ncheck > 0 && rel->rd_att->constr != NULL &&
		rel->rd_att->constr->num_check == state_rel.ncheck)
	{
		old = MemoryContextSwitchTo(estate->es_query_cxt);
		/* ExecConstraints() uses these instead of parsing the constraints */
		LT_RRI_CHECK_EXPRS(rri) = palloc0(sizeof(ExprState *) * state_rel.ncheck);
		for (i = 0; i < state_rel.ncheck; i++)
			if (state_rel.check[i] != NULL)
				LT_RRI_CHECK_EXPRS(rri)[i] = ExecInitExpr(state_rel.check[i], NULL);
		MemoryContextSwitchTo(old);
	}
	desc = state_rel.desc;
	slots = palloc(sizeof(TupleTableSlot *) * job->n);
	for (i = 0; i < job->n; i++)
	{
		TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsVirtual);
		Datum	   *v = slot->tts_values;
		bool	   *isnull = slot->tts_isnull;
		TimestampTz due = DatumGetTimestampTz(job->due[i]);

		/* every live column is set below; dropped ones stay NULL */
		for (int a = 0; a < desc->natts; a++)
			isnull[a] = TupleDescAttr(desc, a)->attisdropped;
		v[state_rel.attno[S_TABLE_ID] - 1] = Int32GetDatum(job->table_id);
		v[state_rel.attno[S_KEY] - 1] = job->key[i];
		v[state_rel.attno[S_URGENCY] - 1] = lt_urgency_datum(state_rel.urgency_type, job->urgency_code[i]);
		v[state_rel.attno[S_ACTIONS] - 1] = lt_actions_array(job->action_bits[i]);
		v[state_rel.attno[S_NEEDS_REVIEW] - 1] = job->needs_review[i];
		v[state_rel.attno[S_REASON] - 1] = job->reason[i];
		v[state_rel.attno[S_KIND] - 1] = job->kind[i];
		isnull[state_rel.attno[S_KIND] - 1] = job->kind_null[i];
		v[state_rel.attno[S_RECIPIENT] - 1] = job->recipient[i];
		isnull[state_rel.attno[S_RECIPIENT] - 1] = job->recipient_null[i];
		v[state_rel.attno[S_CREATED] - 1] = job->created[i];
		v[state_rel.attno[S_DUE] - 1] = job->due[i];
		v[state_rel.attno[S_SENT] - 1] = job->sent[i];
		isnull[state_rel.attno[S_SENT] - 1] = job->sent_null[i];
		v[state_rel.attno[S_STATUS] - 1] =
			CStringGetTextDatum(job->sent_null[i] ? "waiting" :
								DatumGetTimestampTz(job->sent[i]) <= due ? "sent" : "sent_late");
		v[state_rel.attno[S_TRIAGED_AT] - 1] = TimestampTzGetDatum(now);
		v[state_rel.attno[S_RULESET] - 1] = Int64GetDatum(job->ruleset);
		isnull[state_rel.attno[S_WITHDRAWN] - 1] = true;
		ExecStoreVirtualTuple(slot);
		slots[i] = slot;
		if (quiet && !state_row_acceptable(rri, slot, estate))
			bad = true;
		else if (!quiet && rel->rd_att->constr)
			ExecConstraints(rri, slot, estate);
	}

	/* the indexes that the rows go into */
	old = MemoryContextSwitchTo(estate->es_query_cxt);
	open_state_indexes(rri, rel, slots, job->n);
	MemoryContextSwitchTo(old);
	for (i = 0; i < rri->ri_NumIndices; i++)
		if (RelationGetRelid(rri->ri_IndexRelationDescs[i]) == state_rel.pkey)
			pk = rri->ri_IndexRelationDescs[i];
	for (i = 0; quiet && pk != NULL && !bad && i < job->n; i++)
		bad = state_key_exists(rel, pk, job->table_id, job->key[i]);
	if (pk == NULL || bad)
	{
		for (i = 0; i < job->n; i++)
			ExecDropSingleTupleTableSlot(slots[i]);
		ExecCloseIndices(rri);
		FreeExecutorState(estate);
		table_close(rel, RowExclusiveLock);
		return false;
	}

	cid = GetCurrentCommandId(true);
	table_multi_insert(rel, slots, job->n, cid, 0, NULL);
	for (i = 0; i < job->n; i++)
	{
		LT_EXEC_INSERT_INDEX_TUPLES(rri, slots[i], estate);
		ResetPerTupleExprContext(estate);
		ExecDropSingleTupleTableSlot(slots[i]);
	}
	ExecCloseIndices(rri);
	FreeExecutorState(estate);
	table_close(rel, NoLock);
	CommandCounterIncrement();
	return true;
}


/*
 * Is what the direct writer knows of letter_state cached, with plain
 * indexes and checks (so that a quiet write runs nothing but built-in code)?
 */
bool
lt_direct_cached(void)
{
	return lt_cache_valid(&state_cache) && state_rel.have_indexes && state_rel.plain_indexes &&
		state_rel.builtin_checks;
}
