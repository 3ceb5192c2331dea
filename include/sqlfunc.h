/*
 * sqlfunc.h — the classifier's SQL layer: the backend's rule set (rules.c)
 * and the helpers that turn the core's results into SQL values (sqlfunc.c),
 * shared by the SQL-callable functions on text (classify_sql.c) and on
 * letters (classify_letter.c) and by tracking.
 *
 * Everything here runs in a backend inside a transaction: the rule set is
 * read from the rule tables (through SPI) on first use and after every edit.
 */
#ifndef LETTERS_TRIAGE_SQLFUNC_H
#define LETTERS_TRIAGE_SQLFUNC_H

#include "fmgr.h"

#include "triage.h"

/* rules.c: the rule set of this backend */
extern const LtRuleSet *lt_ruleset(void);
extern bool lt_ruleset_is_current(void);
extern int64 lt_ruleset_current_version(void);
extern void lt_rule_usage(LtRuleUsage *usage);

/*
 * Classify one letter with the backend's rule set (lt_triage_text with
 * lt_ruleset()): loads the rules on first use.
 */
extern void lt_triage(const char *body, int len, const char *kind,
					  const char *subject, const char *dated, LtTriageResult *out);

/* sqlfunc.c: SQL values of results */
typedef enum LtResultKind
{
	LT_RESULT_TRIAGE,			/* classify(): the triage composite */
	LT_RESULT_URGENCY,			/* urgency() */
	LT_RESULT_ACTIONS			/* actions() */
} LtResultKind;

extern bool lt_urgency_labels(Oid typoid, Oid labels[LT_URGENCY_IMMEDIATE + 1]);
extern Datum lt_urgency_datum(Oid typoid, LtUrgency u);
extern Datum lt_actions_array(uint32 actions);
extern Datum lt_triage_datum(FunctionCallInfo fcinfo, const LtTriageResult *r);
extern Datum lt_classify_result(FunctionCallInfo fcinfo, LtResultKind what, const char *body,
							   int len, const char *kind, const char *subject, const char *dated);
extern void lt_evidence_rows(FunctionCallInfo fcinfo, const char *text, int len, int prefix);

#endif							/* LETTERS_TRIAGE_SQLFUNC_H */
