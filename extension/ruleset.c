/*
 * ruleset.c — a rule set compiled from the rows it is handed: each row's
 * pattern normalised into an entry of the automaton, the built-in
 * recognisers' words added, the limits of triage.h checked and the
 * automaton built (match.c).  Also the names the rule tables use for
 * actions, urgencies, modifier categories and section meanings.
 *
 * Where the rows come from is the caller's business: rules.c reads them
 * from the rule tables, the fuzzing harnesses from a file.
 */
#include "postgres.h"

#include "core.h"

/* Rows being collected for a rule set (triage.h). */
struct LtRuleRows
{
	MemoryContext cxt;			/* holds the rows and the rule set */
	LtEntry    *entries;		/* the usable rows, then the built-ins */
	int			n;
	int			cap;
	int			nrules;			/* usable rows of letters_triage.rule */
	int			npatterns;		/* rows handed over, usable or not */
	int64		bytes;			/* their patterns' bytes, written or normalised */
	bool		sealed;			/* the built-ins are added: no more rows */
};

static const char *const action_names[LT_NUM_ACTIONS] = {
	"death", "medication", "review", "referral", "test", "safeguarding"
};
static const char *const urgency_names[] = {
	"routine", "soon", "urgent", "immediate"
};
static const char *const modcat_names[LT_NUM_MODCAT] = {
	"negated", "hypothetical", "historical", "other_person", "termination",
	"pseudo", "completed", "patient", "request"
};
static const char *const section_names[LT_NUM_SEC] = {
	"none", "actions", "medication", "history", "family", "patient"
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

/* Start collecting rows, in the current memory context. */
LtRuleRows *
lt_rule_rows_new(void)
{
	LtRuleRows *rows = palloc0(sizeof(LtRuleRows));

	rows->cxt = CurrentMemoryContext;
	rows->cap = 256;
	rows->entries = palloc(sizeof(LtEntry) * rows->cap);
	return rows;
}

/* Append one entry. */
static LtEntry *
new_entry(LtRuleRows *rows)
{
	LtEntry    *e;

	if (rows->sealed)
		elog(ERROR, "rows added to a letters_triage rule set after it was compiled");
	if (rows->n >= rows->cap)
	{
		rows->cap *= 2;
		rows->entries = repalloc(rows->entries, sizeof(LtEntry) * rows->cap);
	}
	e = &rows->entries[rows->n++];
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

/* Add one row of a rule table; a pattern that normalises to nothing is counted, not kept. */
void
lt_rule_rows_add(LtRuleRows *rows, const LtRuleRow *row)
{
	MemoryContext old;
	LtEntry    *e;

	if (row->pattern == NULL)
		return;
	old = MemoryContextSwitchTo(rows->cxt);
	rows->npatterns++;
	e = new_entry(rows);
	e->id = row->id;
	set_pattern(e, row->pattern);

	/*
	 * Count what is kept and compiled: normalisation can make a pattern
	 * longer (U+FDFA, 3 bytes, becomes 33), so the larger of the two.
	 */
	rows->bytes += Max((int64) strlen(row->pattern), (int64) e->nlen);
	if (e->nlen == 0)
		rows->n--;
	else
	{
		switch (row->table)
		{
			case LT_TABLE_RULE:
				e->kind = LT_ENTRY_RULE;
				e->sub = lookup_name(row->meaning, action_names, LT_NUM_ACTIONS);
				e->urgency = lookup_name(row->urgency, urgency_names, 4);
				e->needs_request = row->needs_request;
				rows->nrules++;
				break;
			case LT_TABLE_MODIFIER:
				e->kind = LT_ENTRY_MODIFIER;
				e->sub = lookup_name(row->meaning, modcat_names, LT_NUM_MODCAT);
				if (e->sub < 0)
					rows->n--;
				e->dir = (row->direction && strcmp(row->direction, "backward") == 0) ? LT_DIR_BACKWARD :
					(row->direction && strcmp(row->direction, "both") == 0) ? LT_DIR_BOTH : LT_DIR_FORWARD;
				e->scope = (int16) Min(row->scope, 1000);
				break;
			default:
				e->kind = LT_ENTRY_SECTION;
				e->sub = lookup_name(row->meaning, section_names, LT_NUM_SEC);
				if (e->sub < 0)
					e->sub = LT_SEC_NONE;
				break;
		}
	}
	MemoryContextSwitchTo(old);
}

/* Add a built-in entry: the sink of recognise.c's lt_builtin_words(). */
static void
add_builtin(void *arg, const char *pattern, LtBuiltin what, int urgency, int aux)
{
	LtRuleRows *rows = arg;
	LtEntry    *e = new_entry(rows);

	e->kind = LT_ENTRY_BUILTIN;
	e->sub = what;
	e->urgency = urgency;
	e->aux = aux;
	set_pattern(e, pattern);
}

/* No more rows: add the built-ins, which every rule set has after its rows. */
static void
seal(LtRuleRows *rows)
{
	MemoryContext old;

	if (rows->sealed)
		return;
	old = MemoryContextSwitchTo(rows->cxt);
	lt_builtin_words(add_builtin, rows);
	rows->sealed = true;
	MemoryContextSwitchTo(old);
}

/* What the rows, with the built-ins, use of each limit. */
void
lt_rule_rows_usage(LtRuleRows *rows, LtRuleUsage *usage)
{
	LtAutomatonSize sz;

	seal(rows);
	lt_automaton_size(rows->entries, rows->n, &sz);
	usage->patterns = rows->npatterns;
	usage->pattern_bytes = rows->bytes;
	usage->automaton_bytes = sz.bytes;
	usage->scan_bytes = sz.scan_bytes;
	usage->nstates = sz.nstates;
	usage->nclasses = sz.nclasses;
}

/*
 * Refuse rows beyond the limits (LT_MAX_PATTERNS, LT_MAX_PATTERN_BYTES,
 * LT_MAX_AUTOMATON_BYTES).
 */
void
lt_rule_rows_check(LtRuleRows *rows)
{
	LtAutomatonSize sz;

	seal(rows);
	if (rows->npatterns > LT_MAX_PATTERNS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the rule tables of letters_triage would have more than the limit of %d enabled patterns",
						LT_MAX_PATTERNS),
				 errdetail("letters_triage.rule, .modifier and .section would have %d enabled rows together.",
						   rows->npatterns),
				 errhint("Disable or delete patterns that are not needed.")));
	if (rows->bytes > LT_MAX_PATTERN_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the enabled patterns of letters_triage would be longer than the limit of %d bytes in total",
						LT_MAX_PATTERN_BYTES),
				 errdetail("Their patterns would have " INT64_FORMAT " bytes together, each as written or as normalised, whichever is longer.", rows->bytes),
				 errhint("Disable, delete or shorten patterns.")));
	lt_automaton_size(rows->entries, rows->n, &sz);
	lt_check_automaton_size(&sz);
}

/* Compile the rows (checked against the limits) into a rule set. */
LtRuleSet *
lt_ruleset_compile(LtRuleRows *rows, int64 version)
{
	MemoryContext old;
	LtRuleSet  *rs;

	lt_rule_rows_check(rows);
	old = MemoryContextSwitchTo(rows->cxt);
	rs = palloc0(sizeof(LtRuleSet));
	rs->cxt = rows->cxt;
	rs->version = version;
	rs->nrules = rows->nrules;
	rs->entries = rows->entries;
	rs->nentries = rows->n;
	lt_automaton_build(rs);
	MemoryContextSwitchTo(old);
	return rs;
}

/* Identifies the rule set (what its compiler was given). */
int64
lt_ruleset_id(const LtRuleSet *rs)
{
	return rs->version;
}
