/*
 * rules.c — the compiled rule set of this backend: reading the rule tables
 * (letters_triage.rule, .modifier, .section) through SPI, handing their rows
 * to the core to compile (ruleset.c), keeping the result, and invalidation.
 *
 * The rule set is built on first use and kept in a cache of cache.c's.  A
 * statement trigger on each rule table calls rules_changed(), which queues a
 * relcache invalidation of that table; every backend receives it (at its next
 * transaction or command), its cache is marked invalid, and it reloads at its
 * next classification.  Nothing polls.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "cache.h"
#include "sqlfunc.h"

#define LT_SCHEMA "letters_triage"

static LtCache rules_cache = LT_CACHE_INIT("letters_triage rules");
static const LtRuleSet *current = NULL;	/* in rules_cache's context */

/* What the rule tables hold, read by read_rules. */
typedef struct RuleRows
{
	LtRuleRows *rows;			/* the enabled rows, for the core */
	StringInfoData all;			/* their contents, for the version hash */
} RuleRows;

/*
 * Read the enabled rows of the rule tables into rr (allocated in the current
 * memory context).  Must be called inside SPI, with the active snapshot the
 * caller chose.
 */
/*
 * One field of a row for the version hash, length first, so that no two
 * different rule sets give the same bytes (a separator could occur in a
 * pattern); NULL is distinct from the empty string.
 */
static void
append_field(StringInfo buf, const char *field)
{
	if (field == NULL)
		appendStringInfoString(buf, "N;");
	else
		appendStringInfo(buf, "%zu:%s;", strlen(field), field);
}

static void
read_rules(RuleRows *rr)
{
	MemoryContext cxt = CurrentMemoryContext;
	int			ret;

	ret = SPI_execute("SELECT 0, id, pattern, action, urgency::pg_catalog.text, needs_request, NULL, NULL"
					  " FROM " LT_SCHEMA ".rule WHERE enabled"
					  " UNION ALL SELECT 1, id, phrase, category, NULL, false, direction, scope"
					  " FROM " LT_SCHEMA ".modifier WHERE enabled"
					  " UNION ALL SELECT 2, id, heading, meaning, NULL, false, NULL, NULL"
					  " FROM " LT_SCHEMA ".section WHERE enabled"
					  " ORDER BY 1, 2", true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "could not read the rule tables of letters_triage: %s",
			 SPI_result_code_string(ret));
	MemoryContextSwitchTo(cxt);
	rr->rows = lt_rule_rows_new();
	initStringInfo(&rr->all);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	td = SPI_tuptable->tupdesc;
		char	   *kind = SPI_getvalue(tup, td, 1);
		char	   *id = SPI_getvalue(tup, td, 2);
		char	   *pattern = SPI_getvalue(tup, td, 3);
		char	   *sub = SPI_getvalue(tup, td, 4);
		char	   *urg = SPI_getvalue(tup, td, 5);
		char	   *req = SPI_getvalue(tup, td, 6);
		char	   *dir = SPI_getvalue(tup, td, 7);
		char	   *scope = SPI_getvalue(tup, td, 8);
		LtRuleRow	row;

		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		append_field(&rr->all, kind);
		append_field(&rr->all, id);
		append_field(&rr->all, pattern);
		append_field(&rr->all, sub);
		append_field(&rr->all, urg);
		append_field(&rr->all, req);
		append_field(&rr->all, dir);
		append_field(&rr->all, scope);
		if (pattern == NULL)
			continue;
		row.table = kind[0] == '0' ? LT_TABLE_RULE : kind[0] == '1' ? LT_TABLE_MODIFIER : LT_TABLE_SECTION;
		row.id = strtoi64(id, NULL, 10);
		row.pattern = pattern;
		row.meaning = sub;
		row.urgency = urg;
		row.needs_request = (req && req[0] == 't');
		row.direction = dir;
		row.scope = scope ? atoi(scope) : 0;
		lt_rule_rows_add(rr->rows, &row);
	}
}

/* Watch the rule tables: a change to any of them invalidates the rule set. */
static void
watch_rule_tables(void)
{
	static const char *const tables[] = {"rule", "modifier", "section"};
	Oid			nsp = get_namespace_oid(LT_SCHEMA, false);

	for (int i = 0; i < (int) lengthof(tables); i++)
	{
		Oid			relid = get_relname_relid(tables[i], nsp);

		if (!OidIsValid(relid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("the rule tables of letters_triage are missing"),
					 errhint("Run CREATE EXTENSION letters_triage.")));
		lt_cache_watch_rel(&rules_cache, relid);
	}
}

/*
 * Read the rule tables and compile them into the cache's context, cxt (the
 * rows read are kept there too: they are small beside the automaton).
 */
static LtRuleSet *
load_ruleset(MemoryContext cxt)
{
	MemoryContext old;
	LtRuleSet  *rs;
	RuleRows	rr;
	int64		version;

	watch_rule_tables();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	old = MemoryContextSwitchTo(cxt);

	/*
	 * The rows as committed now, not as the caller's snapshot saw them: the
	 * rule set outlives this transaction, and under repeatable read an older
	 * snapshot would cache rules an edit has already replaced until the next
	 * edit.  A parallel worker cannot take a new snapshot; it lives for one
	 * query, and reads in the snapshot the leader handed it.
	 */
	if (!IsInParallelMode())
		PushActiveSnapshot(GetLatestSnapshot());
	read_rules(&rr);
	if (!IsInParallelMode())
		PopActiveSnapshot();
	version = (int64) (hash_bytes_extended((const unsigned char *) rr.all.data,
										   rr.all.len, 0x4c54) & INT64CONST(0x7FFFFFFFFFFFFFFF));
	pfree(rr.all.data);
	rs = lt_ruleset_compile(rr.rows, version);
	MemoryContextSwitchTo(old);
	SPI_finish();
	return rs;
}

/*
 * Read the rule tables as they are now into a context of their own, which
 * the caller deletes.
 */
static RuleRows *
read_rules_now(MemoryContext *cxt)
{
	MemoryContext old;
	RuleRows   *rr;

	*cxt = AllocSetContextCreate(CurrentMemoryContext, "letters_triage rule check",
								 ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	old = MemoryContextSwitchTo(*cxt);
	rr = palloc(sizeof(RuleRows));

	/*
	 * The rows as committed now, with this transaction's own: under
	 * repeatable read the transaction's snapshot would miss an edit another
	 * editor committed after it was taken.
	 */
	CommandCounterIncrement();
	PushActiveSnapshot(GetLatestSnapshot());
	read_rules(rr);
	PopActiveSnapshot();
	MemoryContextSwitchTo(old);
	SPI_finish();
	return rr;
}

/*
 * What the enabled rows of the rule tables use of each limit: the number of
 * patterns, their bytes, the automaton's bytes (rule_limits() in SQL).
 */
void
lt_rule_usage(LtRuleUsage *usage)
{
	MemoryContext cxt;
	RuleRows   *rr = read_rules_now(&cxt);

	lt_rule_rows_usage(rr->rows, usage);
	MemoryContextDelete(cxt);
}

/* The current rule set of this backend, read again after a change. */
const LtRuleSet *
lt_ruleset(void)
{
	if (lt_ruleset_is_current())
		return current;
	/* the old set is freed here; an error leaves no set, and the next call reads again */
	current = NULL;
	PG_TRY();
	{
		current = load_ruleset(lt_cache_begin(&rules_cache));
	}
	PG_CATCH();
	{
		current = NULL;
		lt_cache_invalidate(&rules_cache);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return current;
}

/* Whether lt_ruleset() would return the rule set without reading the tables. */
bool
lt_ruleset_is_current(void)
{
	return current != NULL && lt_cache_valid(&rules_cache);
}

/* Identifies the rule set (a hash of the rule tables' enabled rows). */
int64
lt_ruleset_current_version(void)
{
	return lt_ruleset_id(lt_ruleset());
}

/* Classify one letter with the backend's rule set (see sqlfunc.h). */
void
lt_triage(const char *body, int len, const char *kind, const char *subject,
		  const char *dated, LtTriageResult *out)
{
	lt_triage_text(lt_ruleset(), body, len, kind, subject, dated, out);
}

/*
 * Edits of the rule tables that add or enable patterns are checked one at a
 * time: two editors each within the limits would otherwise both commit and
 * together exceed them, and every session's classification would then fail.
 * A lock held until commit makes the second check wait
 * for the first edit to commit; read_rules_now() then counts the rows as
 * committed, whatever the transaction's isolation level.
 */
static void
serialise_rule_edits(Relation edited)
{
	/*
	 * The lock is SHARE UPDATE EXCLUSIVE on the rule table, whichever of the
	 * three was edited: it conflicts with itself, not with the edits' own
	 * ROW EXCLUSIVE, and only roles allowed to edit the rules may take it
	 * (an advisory lock could be held by any role that can connect).
	 */
	Oid			rule = get_relname_relid("rule", RelationGetNamespace(edited));

	if (!OidIsValid(rule))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the rule tables of letters_triage are missing"),
				 errhint("Run CREATE EXTENSION letters_triage.")));
	LockRelationOid(rule, ShareUpdateExclusiveLock);
}

PG_FUNCTION_INFO_V1(lt_rules_changed);

/* Statement trigger on the rule tables: invalidate every backend's rule set. */
Datum
lt_rules_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = lt_cache_trigger_data(fcinfo, "rules_changed");

	/* an edit that adds or enables patterns must keep within the limits */
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		MemoryContext cxt;
		RuleRows   *rr;

		serialise_rule_edits(td->tg_relation);
		rr = read_rules_now(&cxt);

		lt_rule_rows_check(rr->rows);
		MemoryContextDelete(cxt);
	}
	lt_cache_changed(&rules_cache, td->tg_relation);
	return PointerGetDatum(NULL);
}
