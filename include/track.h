/*
 * track.h — what tracking offers the rest of the extension: the calendar
 * and deadlines (extension/deadline.c) and the tracking settings
 * (extension/track_trigger.c).  What the tracking files share among
 * themselves is in track_internal.h.
 */
#ifndef LETTERS_TRIAGE_TRACK_H
#define LETTERS_TRIAGE_TRACK_H

#include "datatype/timestamp.h"
#include "utils/date.h"

#include "sqlfunc.h"

/* Units of a policy rule (letters_triage.policy.unit). */
typedef enum LtPolicyUnit
{
	LT_UNIT_HOURS,
	LT_UNIT_DAYS,
	LT_UNIT_WORKING_HOURS,
	LT_UNIT_WORKING_DAYS
} LtPolicyUnit;

/* One row of letters_triage.policy. */
typedef struct LtPolicyRule
{
	bool		any_urgency;
	LtUrgency	urgency;
	char	   *kind;			/* NULL: any kind */
	double		amount;
	LtPolicyUnit unit;
} LtPolicyRule;

/*
 * The working calendar and the policy, read from the extension's tables
 * (through SPI, so the caller must be connected) in the current memory
 * context.
 */
typedef struct LtCalendar
{
	TimeADT		opens;			/* local time of day, microseconds */
	TimeADT		closes;
	int			nholidays;
	DateADT    *holidays;		/* sorted */
	int			nrules;
	LtPolicyRule *rules;
} LtCalendar;

extern LtCalendar *lt_calendar_load(Oid nspid, bool with_policy);
extern const LtCalendar *lt_calendar_cached(Oid nspid);
extern bool lt_calendar_is_cached(Oid nspid);
extern bool lt_calendar_is_working_time(const LtCalendar *cal, TimestampTz t);
extern TimestampTz lt_calendar_add_working_hours(const LtCalendar *cal, TimestampTz t, double hours);
extern double lt_calendar_working_hours_between(const LtCalendar *cal, TimestampTz a, TimestampTz b);
extern TimestampTz lt_calendar_add_working_days(const LtCalendar *cal, TimestampTz t, int days);
extern TimestampTz lt_due(const LtCalendar *cal, TimestampTz created, LtUrgency urgency,
						  const char *kind);
extern TimestampTz lt_local_to_utc(Timestamp local);

/* track_trigger.c */
extern void lt_track_init(void);

/*
 * track()'s arguments: the table's identity (watched.id), then the column
 * names of key, body, created, sent, recipient, nhs_number, kind
 */
#define LT_TRACK_NARGS 8

/*
 * The longest key recorded (longer ones are lost letters, a tracking error)
 * and the longest kind or practice value (longer ones are cut and the letter
 * needs review): btree index rows hold at most about 2.7 kB.
 */
#define LT_KEY_MAX_BYTES 1000
#define LT_VALUE_MAX_BYTES 200

struct TriggerData;
extern Datum lt_track_event(struct TriggerData *td, Oid nspid);

#endif							/* LETTERS_TRIAGE_TRACK_H */
