/*
 * rules.c — the compiled rule set of this backend: loading the rule tables
 * (letters_triage.rule, .modifier, .section) through SPI, compiling them with
 * the built-in recognisers' words into one automaton, and invalidation.
 *
 * The rule set is built on first use and kept in a memory context under
 * CacheMemoryContext.  A statement trigger on each rule table calls
 * rules_changed(), which queues a relcache invalidation of that table; every
 * backend receives it (at its next transaction or command) through the
 * relcache callback registered by lt_classify_init(), marks its rule set
 * stale, and reloads at its next classification.  Nothing polls.
 */
#include "postgres.h"

/* some server headers have unused parameters in inline functions */
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "classify.h"

#define LT_SCHEMA "letters_triage"

static LtRuleSet *current = NULL;
static bool stale = true;
static bool callback_registered = false;
static Oid	watched[3] = {InvalidOid, InvalidOid, InvalidOid};

/* Relcache callback: a rule table changed (or everything was invalidated). */
static void
rules_inval_callback(Datum arg, Oid relid)
{
	(void) arg;
	if (relid == InvalidOid || relid == watched[0] || relid == watched[1] ||
		relid == watched[2])
		stale = true;
}

/* Register the invalidation callback; called from _PG_init. */
void
lt_classify_init(void)
{
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(rules_inval_callback, (Datum) 0);
		callback_registered = true;
	}
}

static const char *const action_names[LT_NUM_ACTIONS] = {
	"death", "medication", "review", "referral", "test", "safeguarding"
};
static const char *const urgency_names[] = {
	"routine", "soon", "urgent", "immediate"
};

/* Name of an urgency as in SQL. */
const char *
lt_urgency_name(LtUrgency u)
{
	if ((int) u < 0 || (int) u > LT_URGENCY_IMMEDIATE)
		return "routine";
	return urgency_names[u];
}

/* Name of an action as in SQL. */
const char *
lt_action_name(LtAction a)
{
	if ((int) a < 0 || (int) a >= LT_NUM_ACTIONS)
		return NULL;
	return action_names[a];
}

static int
lookup_name(const char *s, const char *const *names, int n)
{
	if (s == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const modcat_names[LT_NUM_MODCAT] = {
	"negated", "hypothetical", "historical", "other_person", "termination",
	"pseudo", "completed", "patient", "request"
};
static const char *const section_names[LT_NUM_SEC] = {
	"none", "actions", "medication", "history", "family", "patient"
};

/* Name of a section meaning as in SQL. */
const char *
lt_section_name(LtSection s)
{
	if ((int) s < 0 || (int) s >= LT_NUM_SEC)
		return "none";
	return section_names[s];
}

/* Append one entry to a growing array. */
static LtEntry *
new_entry(LtEntry **entries, int *n, int *cap)
{
	LtEntry    *e;

	if (*n >= *cap)
	{
		*cap *= 2;
		*entries = repalloc(*entries, sizeof(LtEntry) * *cap);
	}
	e = &(*entries)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->sub = -1;
	e->urgency = -1;
	e->next = -1;
	return e;
}

/* Set text, norm, nlen and open_end of an entry from a pattern. */
static void
set_pattern(LtEntry *e, const char *pattern)
{
	int			l = strlen(pattern);
	char	   *p = pstrdup(pattern);

	e->text = pstrdup(pattern);
	while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '\t'))
		p[--l] = '\0';
	if (l > 0 && p[l - 1] == '*')
	{
		e->open_end = true;
		p[--l] = '\0';
	}
	e->norm = lt_normalise_pattern(p, &e->nlen);
}

/* Add a built-in entry (used by classify.c's lt_add_builtins). */
LtEntry *
lt_builtin_entry(LtEntry **entries, int *n, int *cap, const char *pattern,
				 LtBuiltin what, int urgency, int aux)
{
	LtEntry    *e = new_entry(entries, n, cap);

	e->kind = LT_ENTRY_BUILTIN;
	e->sub = what;
	e->urgency = urgency;
	e->aux = aux;
	set_pattern(e, pattern);
	return e;
}

/* What the rule tables hold, read by read_rules. */
typedef struct RuleRows
{
	LtEntry    *entries;		/* the enabled rows, then the built-ins */
	int			n;
	int			cap;
	int			nrules;			/* enabled rows of letters_triage.rule */
	int			npatterns;		/* enabled rows of the three tables */
	int64		bytes;			/* their patterns' total length in bytes */
	StringInfoData all;			/* their contents, for the version hash */
} RuleRows;

/*
 * Read the enabled rows of the rule tables into rr (allocated in the current
 * memory context), and add the built-in recognisers' words.  Must be called
 * inside SPI.  read_only: in the snapshot of the calling statement (to
 * classify); else in a new one, which sees what the statement changed (the
 * rule tables' trigger).
 */
static void
read_rules(RuleRows *rr, bool read_only)
{
	MemoryContext cxt = CurrentMemoryContext;
	int			ret;

	ret = SPI_execute("SELECT 0, id, pattern, action, urgency::pg_catalog.text, needs_request, NULL, NULL"
					  " FROM " LT_SCHEMA ".rule WHERE enabled"
					  " UNION ALL SELECT 1, id, phrase, category, NULL, false, direction, scope"
					  " FROM " LT_SCHEMA ".modifier WHERE enabled"
					  " UNION ALL SELECT 2, id, heading, meaning, NULL, false, NULL, NULL"
					  " FROM " LT_SCHEMA ".section WHERE enabled"
					  " ORDER BY 1, 2", read_only, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "could not read the rule tables of letters_triage: %s",
			 SPI_result_code_string(ret));
	MemoryContextSwitchTo(cxt);
	memset(rr, 0, sizeof(*rr));
	rr->cap = 256;
	rr->entries = palloc(sizeof(LtEntry) * rr->cap);
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
		LtEntry    *e;

		if ((r & 1023) == 0)
			LT_CHECK_INTERRUPTS();
		appendStringInfo(&rr->all, "%s|%s|%s|%s|%s|%s|%s|%s\n", kind, id, pattern,
						 sub ? sub : "", urg ? urg : "", req, dir ? dir : "",
						 scope ? scope : "");
		if (pattern == NULL)
			continue;
		rr->npatterns++;
		rr->bytes += strlen(pattern);
		e = new_entry(&rr->entries, &rr->n, &rr->cap);
		e->id = strtoi64(id, NULL, 10);
		set_pattern(e, pattern);
		if (e->nlen == 0)
		{
			rr->n--;
			continue;
		}
		switch (kind[0])
		{
			case '0':
				e->kind = LT_ENTRY_RULE;
				e->sub = lookup_name(sub, action_names, LT_NUM_ACTIONS);
				e->urgency = lookup_name(urg, urgency_names, 4);
				e->needs_request = (req && req[0] == 't');
				rr->nrules++;
				break;
			case '1':
				e->kind = LT_ENTRY_MODIFIER;
				e->sub = lookup_name(sub, modcat_names, LT_NUM_MODCAT);
				if (e->sub < 0)
					rr->n--;
				e->dir = (dir && strcmp(dir, "backward") == 0) ? LT_DIR_BACKWARD :
					(dir && strcmp(dir, "both") == 0) ? LT_DIR_BOTH : LT_DIR_FORWARD;
				e->scope = scope ? (int16) Min(atoi(scope), 1000) : 0;
				break;
			default:
				e->kind = LT_ENTRY_SECTION;
				e->sub = lookup_name(sub, section_names, LT_NUM_SEC);
				if (e->sub < 0)
					e->sub = LT_SEC_NONE;
				break;
		}
	}
	lt_add_builtins(&rr->entries, &rr->n, &rr->cap);
}

/*
 * Refuse rows beyond the limits of classify.h (LT_MAX_PATTERNS,
 * LT_MAX_PATTERN_BYTES, LT_MAX_AUTOMATON_BYTES): one rule editor must not
 * be able to make every backend that classifies hold hundreds of megabytes.
 */
static void
check_limits(const RuleRows *rr)
{
	LtAutomatonSize sz;

	if (rr->npatterns > LT_MAX_PATTERNS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the rule tables of letters_triage would have more than the limit of %d enabled patterns",
						LT_MAX_PATTERNS),
				 errdetail("letters_triage.rule, .modifier and .section would have %d enabled rows together.",
						   rr->npatterns),
				 errhint("Disable or delete patterns that are not needed.")));
	if (rr->bytes > LT_MAX_PATTERN_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the enabled patterns of letters_triage would be longer than the limit of %d bytes in total",
						LT_MAX_PATTERN_BYTES),
				 errdetail("Their patterns would have " INT64_FORMAT " bytes together.", rr->bytes),
				 errhint("Disable, delete or shorten patterns.")));
	lt_automaton_size(rr->entries, rr->n, &sz);
	lt_check_automaton_size(&sz);
}

/* The OIDs of the rule tables (for the invalidation callback). */
static void
find_rule_tables(void)
{
	Oid			nsp = get_namespace_oid(LT_SCHEMA, false);

	watched[0] = get_relname_relid("rule", nsp);
	watched[1] = get_relname_relid("modifier", nsp);
	watched[2] = get_relname_relid("section", nsp);
	if (!OidIsValid(watched[0]) || !OidIsValid(watched[1]) || !OidIsValid(watched[2]))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the rule tables of letters_triage are missing"),
				 errhint("Run CREATE EXTENSION letters_triage.")));
}

/* Read the rule tables and compile them; returns a rule set in its own context. */
static LtRuleSet *
load_ruleset(void)
{
	MemoryContext cxt;
	MemoryContext old;
	LtRuleSet  *rs;
	RuleRows	rr;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "letters_triage rules",
								ALLOCSET_DEFAULT_SIZES);
	find_rule_tables();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	old = MemoryContextSwitchTo(cxt);
	read_rules(&rr, true);
	check_limits(&rr);
	rs = palloc0(sizeof(LtRuleSet));
	rs->cxt = cxt;
	rs->nrules = rr.nrules;
	rs->version = (int64) (hash_bytes_extended((const unsigned char *) rr.all.data,
											   rr.all.len, 0x4c54) & INT64CONST(0x7FFFFFFFFFFFFFFF));
	pfree(rr.all.data);
	rs->entries = rr.entries;
	rs->nentries = rr.n;
	lt_automaton_build(rs);
	MemoryContextSwitchTo(old);
	SPI_finish();

	MemoryContextSetParent(cxt, CacheMemoryContext);
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
	read_rules(rr, true);
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
lt_rule_usage(int64 *patterns, int64 *bytes, int64 *automaton_bytes)
{
	MemoryContext cxt;
	RuleRows   *rr = read_rules_now(&cxt);
	LtAutomatonSize sz;

	lt_automaton_size(rr->entries, rr->n, &sz);
	*patterns = rr->npatterns;
	*bytes = rr->bytes;
	*automaton_bytes = sz.bytes;
	MemoryContextDelete(cxt);
}

/* The current rule set of this backend, (re)loaded when stale. */
const LtRuleSet *
lt_ruleset(void)
{
	if (current != NULL && !stale)
		return current;
	/* an invalidation arriving while we read marks the new set stale again */
	stale = false;
	PG_TRY();
	{
		LtRuleSet  *rs = load_ruleset();

		if (current != NULL)
			MemoryContextDelete(current->cxt);
		current = rs;
	}
	PG_CATCH();
	{
		stale = true;
		PG_RE_THROW();
	}
	PG_END_TRY();
	return current;
}

/* Whether lt_ruleset() would return the rule set without reading the tables. */
bool
lt_ruleset_is_current(void)
{
	return current != NULL && !stale;
}

/* Identifies the rule set (a hash of the rule tables' enabled rows). */
int64
lt_ruleset_version(void)
{
	return lt_ruleset()->version;
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
		elog(ERROR, "letters_triage.rule not found");
	LockRelationOid(rule, ShareUpdateExclusiveLock);
}

PG_FUNCTION_INFO_V1(lt_rules_changed);

/* Statement trigger on the rule tables: invalidate every backend's rule set. */
Datum
lt_rules_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("rules_changed() was not called by the trigger manager")));
	td = (TriggerData *) fcinfo->context;
	/* as a BEFORE ROW trigger its NULL result would silently drop the row */
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("rules_changed() must be fired AFTER, FOR EACH STATEMENT")));
	/* an edit that adds or enables patterns must keep within the limits */
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		MemoryContext cxt;
		RuleRows   *rr;

		serialise_rule_edits(td->tg_relation);
		rr = read_rules_now(&cxt);

		check_limits(rr);
		MemoryContextDelete(cxt);
	}
	CacheInvalidateRelcache(td->tg_relation);
	stale = true;
	return PointerGetDatum(NULL);
}
