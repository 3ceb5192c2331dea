/*
 * triage.h — the public interface of the classifier's text core: compile a
 * rule set from the rows it is handed, triage a text with it, explain a
 * triage (evidence) and report the context of a phrase (assertion).
 *
 * The core knows nothing of where a rule set comes from: the SQL layer
 * (rules.c) reads the rule tables and hands their rows over; the fuzzing
 * harnesses of test/fuzz read them from a file.  The core uses no SPI, no
 * catalogs and no fmgr, only palloc, ereport and the encoding routines, so
 * it is built and fuzzed outside the server too.  Nothing here raises an
 * error because of the text it is given (any bytes are acceptable); the
 * compiler raises PROGRAM_LIMIT_EXCEEDED for a rule set beyond the limits
 * below, and anything may raise on out-of-memory.
 */
#ifndef LETTERS_TRIAGE_TRIAGE_H
#define LETTERS_TRIAGE_TRIAGE_H

/* Urgency, in the order of the SQL enum letters_triage.urgency. */
typedef enum LtUrgency
{
	LT_URGENCY_ROUTINE = 0,
	LT_URGENCY_SOON,
	LT_URGENCY_URGENT,
	LT_URGENCY_IMMEDIATE
} LtUrgency;

/* GP actions, in the order actions are listed in results. */
typedef enum LtAction
{
	LT_ACTION_DEATH = 0,
	LT_ACTION_MEDICATION,
	LT_ACTION_REVIEW,
	LT_ACTION_REFERRAL,
	LT_ACTION_TEST,
	LT_ACTION_SAFEGUARDING,
	LT_NUM_ACTIONS
} LtAction;

#define LT_ACTION_BIT(a) ((uint32) 1 << (a))

/* The verdict on one letter. */
typedef struct LtTriageResult
{
	LtUrgency	urgency;		/* as treated: needs_review letters are at least urgent */
	uint32		actions;		/* LT_ACTION_BIT() set */
	bool		needs_review;	/* unreadable/garbled/empty/truncated: a human must triage */
	char	   *reason;			/* short human-readable reason, palloc'd */
} LtTriageResult;

/* Names as in SQL: "routine", "soon", ...; "death", "medication", ... */
extern const char *lt_urgency_name(LtUrgency u);
extern const char *lt_action_name(LtAction a);

/* ------------------------------------------------------------ rule sets */

/*
 * What a rule set may hold, so that one rule editor cannot make every
 * backend that classifies hold hundreds of megabytes: enabled patterns (rule,
 * modifier and section rows together), their total length in bytes as
 * written, and the compiled automaton's memory.
 */
#define LT_MAX_PATTERNS 10000
#define LT_MAX_PATTERN_BYTES (512 * 1024)
#define LT_MAX_AUTOMATON_BYTES (32 * 1024 * 1024)
/*
 * and rows of one pattern (as normalised): every match of it is read once
 * for each of them, so copies multiply the work of the readings that
 * compare neighbouring matches
 */
#define LT_MAX_SAME_PATTERN 32

/* The table a row comes from. */
typedef enum LtRuleTable
{
	LT_TABLE_RULE = 0,			/* letters_triage.rule */
	LT_TABLE_MODIFIER,			/* letters_triage.modifier */
	LT_TABLE_SECTION			/* letters_triage.section */
} LtRuleTable;

/*
 * One enabled row of a rule table.  Names are as in SQL; a name the core
 * does not know makes a rule count for no action, a modifier ignored and a
 * section a plain heading.
 */
typedef struct LtRuleRow
{
	LtRuleTable table;
	int64		id;				/* the row's id, reported by evidence */
	const char *pattern;		/* as written; NULL rows are skipped */
	const char *meaning;		/* rule: action; modifier: category; section: meaning */
	const char *urgency;		/* rule: urgency, or NULL */
	bool		needs_request;	/* rule: counts only when asked of the GP */
	const char *direction;		/* modifier: "forward" (or NULL), "backward", "both" */
	int			scope;			/* modifier: words, 0 = to the end of the sentence */
} LtRuleRow;

/* What a rule set uses of each limit. */
typedef struct LtRuleUsage
{
	int			patterns;
	int64		pattern_bytes;
	int64		automaton_bytes;
	int64		scan_bytes;		/* what the compiled set's scan reads (no limit) */
	int64		nstates;		/* of the automaton */
	int			nclasses;		/* byte classes of the automaton */
} LtRuleUsage;

typedef struct LtRuleRows LtRuleRows;	/* rows collected for compiling */
typedef struct LtRuleSet LtRuleSet; /* a compiled rule set */

/*
 * Collect rows, then compile them (the built-in recognisers' words are added
 * by the core).  The rows and the rule set compiled from them are allocated
 * in the memory context current at lt_rule_rows_new(); deleting it frees
 * them.  lt_rule_rows_check() raises PROGRAM_LIMIT_EXCEEDED when the rows
 * are beyond a limit; lt_ruleset_compile() checks them too.
 */
extern LtRuleRows *lt_rule_rows_new(void);
extern void lt_rule_rows_add(LtRuleRows *rows, const LtRuleRow *row);
extern void lt_rule_rows_usage(LtRuleRows *rows, LtRuleUsage *usage);
extern void lt_rule_rows_check(LtRuleRows *rows);
extern LtRuleSet *lt_ruleset_compile(LtRuleRows *rows, int64 version);

/* The version given to lt_ruleset_compile. */
extern int64 lt_ruleset_id(const LtRuleSet *rs);

/* ------------------------------------------------------------ classifying */

/*
 * Classify one letter with rule set rs.  body/len: the letter text in the
 * database encoding (need not be NUL-terminated).  kind, subject, dated:
 * header values of a letters_triage.letter (NUL-terminated), or NULL when
 * absent; dated gives the letter's own date, from which written deadlines
 * ("no later than 14/03/2025") are counted.
 */
extern void lt_triage_text(const LtRuleSet *rs, const char *body, int len,
						   const char *kind, const char *subject, const char *dated,
						   LtTriageResult *out);

/*
 * The text classified for a letter: its Dated, Kind and Subject as header
 * lines, a blank line, then the body.  *prefix_chars: characters before the body.
 */
extern char *lt_header_text(const char *kind, const char *subject, const char *dated,
							const char *body, int len, int *outlen, int *prefix_chars);

/* One rule match or recogniser hit, as evidence() reports it. */
typedef struct LtEvidence
{
	bool		is_rule;		/* a match of a letters_triage.rule row */
	int64		rule;			/* and that row's id */
	const char *pattern;		/* pattern or recogniser description */
	const char *source;			/* "rule", "time frame", "lab value" ... */
	int8		action;			/* LtAction or -1 */
	int8		urgency;		/* LtUrgency or -1 */
	int			char_offset;	/* span in characters of the text */
	int			char_end;
	char	   *matched;		/* the text matched (at most 1000 bytes) */
	const char *context;		/* "affirmed", "negated" ... */
	const char *section;		/* heading of its section, or NULL */
	bool		counted;
	const char *why;			/* why it did not count, or NULL */
} LtEvidence;

/* Analyse text (database encoding) with rs; the hits, in order, in *out. */
extern int	lt_evidence_text(const LtRuleSet *rs, const char *text, int len,
							 LtEvidence **out);

/*
 * The context of the first occurrence of concept in text: "affirmed",
 * "negated", "hypothetical", "historical" or "other_person"; NULL if absent.
 */
extern char *lt_assertion_text(const LtRuleSet *rs, const char *text, int len,
							   const char *concept, int clen);

#endif							/* LETTERS_TRIAGE_TRIAGE_H */
