/*
 * triage.h — the classifier's C interface, used by the SQL wrappers
 * (classify(), urgency(), actions(), evidence()) and by the tracking trigger.
 *
 * The classifier reads its rules from letters_triage.rule and the modifier
 * tables once per backend, compiles them, and recompiles when they change
 * (cache invalidation); these calls load the rules on first use and so must
 * run inside a transaction.  They never raise an error because of the text
 * they are given (any bytes are acceptable); they may raise on out-of-memory
 * or when the rule tables cannot be read.
 */
#ifndef LETTERS_TRIAGE_TRIAGE_H
#define LETTERS_TRIAGE_TRIAGE_H

#include "postgres.h"

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

/*
 * Classify one letter.  body/len: the letter text in the database encoding
 * (need not be NUL-terminated).  kind, subject: header values of a
 * letters_triage.letter (NUL-terminated), or NULL when absent.
 */
extern void lt_triage(const char *body, int len, const char *kind,
					  const char *subject, LtTriageResult *out);

/* Identifies the rule set this backend has compiled (changes on every rule edit). */
extern int64 lt_ruleset_version(void);
extern bool lt_ruleset_is_current(void);

/* Names as in SQL: "routine", "soon", ...; "death", "medication", ... */
extern const char *lt_urgency_name(LtUrgency u);
extern const char *lt_action_name(LtAction a);

#endif							/* LETTERS_TRIAGE_TRIAGE_H */
