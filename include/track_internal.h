/*
 * track_internal.h — what the tracking files share: the column mapping of a
 * watched table (track_columns.c), a tracking job and its batch of rows
 * (track_job.c), and the two ways a batch reaches letter_state: the SPI
 * statements (track_state.c) and the direct writer (track_direct.c).  Used
 * by the trigger (track_trigger.c) and by retriage() and reconcile()
 * (track_retriage.c); nothing outside tracking includes it.
 */
#ifndef LETTERS_TRIAGE_TRACK_INTERNAL_H
#define LETTERS_TRIAGE_TRACK_INTERNAL_H

#include "executor/tuptable.h"
#include "fmgr.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"

#include "track.h"
#include "track_key.h"

/* Rows written to letter_state per SPI statement. */
#define TRACK_BATCH 2000

/* Keys kept as examples in tracking_log. */
#define TRACK_SAMPLE_KEYS 10

/* The mapped columns of a watched table, by name; NULL when not mapped. */
typedef enum TrackColumn
{
	COL_KEY,
	COL_BODY,
	COL_CREATED,
	COL_SENT,
	COL_RECIPIENT,
	COL_NHS,
	COL_KIND,
	NUM_COLS
} TrackColumn;

/* The parts of a letters_triage.letter that tracking reads. */
typedef enum LetterPart
{
	PART_BODY,
	PART_KIND,
	PART_SUBJECT,
	PART_RECIPIENT,
	PART_DATED,
	NUM_LETTER_PARTS
} LetterPart;

/* A mapping resolved against the tuple descriptor of the rows. */
typedef struct TrackCols
{
	char	   *name[NUM_COLS];
	int			attno[NUM_COLS];	/* 1-based; 0 when not mapped or missing */
	Oid			type[NUM_COLS];
	FmgrInfo	out[NUM_COLS];	/* output functions */
	LtKey		key;			/* the key's columns (the first is name[COL_KEY]),
								 * rendered the same in every session */
	char	   *problem;		/* a problem that concerns every row, or NULL */
	bool		body_is_letter; /* body is a letters_triage.letter: read its parts */
	FmgrInfo	letter_fn[NUM_LETTER_PARTS];
	bool		check_nhs;		/* nhs_number mapped and nhs_number_valid() found */
	FmgrInfo	nhs_valid_fn;
} TrackCols;

/* One unit of tracking work and the rows collected for the next flush. */
typedef struct TrackJob
{
	int32		table_id;		/* the watched table's identity (watched.id) */
	Oid			relid;
	Oid			nspid;
	char	   *nspname;		/* quoted; see lt_job_nspname() */
	TrackCols	cols;
	bool		triage;			/* false: record without triage (after an error) */
	bool		retriage;		/* run by retriage(), not by the trigger */
	bool		direct;			/* new letters: write letter_state directly */
	bool		collect_only;	/* lt_job_row() never flushes (see run_quiet() in track_trigger.c) */
	bool		sql_path;		/* search_path is set for the SQL it runs */
	const char *fallback_reason;
	const LtCalendar *cal;
	int64		ruleset;
	TimestampTz now;			/* the statement's start: when a letter is tracked */
	TimestampTz clock;			/* the time when the job was made: what is ahead of it has not happened */
	MemoryContext batchcxt;

	int			n;				/* rows collected */
	int			cap;			/* rows that fit before a flush */
	Datum	   *key;
	Datum	   *urgency;
	LtUrgency  *urgency_code;
	uint32	   *action_bits;
	Datum	   *actions;
	Datum	   *needs_review;
	Datum	   *reason;
	Datum	   *kind;
	Datum	   *recipient;
	Datum	   *created;
	Datum	   *due;
	Datum	   *sent;
	bool	   *kind_null;
	bool	   *recipient_null;
	bool	   *sent_null;

	int64		rows;			/* letters recorded */
	int64		problems;		/* letters recorded with a tracking problem */
	int64		lost;			/* rows that could not be recorded at all */
	char	   *first_problem;
	int			nsample;
	char	   *sample[TRACK_SAMPLE_KEYS];
} TrackJob;

/* track_columns.c: the mapping, resolved against the rows' descriptor */
extern void lt_cols_resolve(TrackCols *cols, TupleDesc desc);
extern void lt_cols_resolve_letter(TrackCols *cols, Oid nspid);
extern bool lt_cols_functions_cached(Oid nspid);
extern bool lt_cols_key_unique_now(Relation rel, const LtKey *key);
extern bool lt_cols_key_deferrable(Relation rel);
extern bool lt_cols_outputs_pure(const TrackCols *cols);
extern bool lt_cols_row_inline(const TrackCols *cols, TupleTableSlot *slot);
extern bool lt_cols_letter_part(TrackCols *cols, LetterPart p, Datum letter, Datum *result);
extern bool lt_cols_is_text_type(Oid type);
extern char *lt_cols_string(TrackCols *cols, TrackColumn c, TupleTableSlot *slot);
extern bool lt_cols_time(TrackCols *cols, TrackColumn c, TupleTableSlot *slot, TimestampTz *out);
extern char *lt_row_key(TrackJob *job, TupleTableSlot *slot);

/* track_job.c: a job, its rows triaged into the batch, its report */
/* (names: by TrackColumn, then the key's further columns, then NULL) */
extern void lt_job_init(TrackJob *job, int32 table_id, Oid relid, Oid nspid, char **names,
						TupleDesc desc, int64 rows);
extern void lt_job_begin(TrackJob *job);
extern void lt_job_row(TrackJob *job, TupleTableSlot *slot);
extern void lt_job_flush(TrackJob *job);
extern void lt_job_report(TrackJob *job);
extern char *lt_rel_display(Oid relid);
extern Oid	lt_schema_owner(Oid nspid);

/* track_state.c: letter_state and tracking_log through SPI */
extern const char *lt_job_nspname(TrackJob *job);
extern void lt_job_sql_path(TrackJob *job);
extern void lt_state_prepare(TrackJob *job);
extern void lt_state_upsert(TrackJob *job);
extern void lt_state_withdraw(TrackJob *job, Datum *keys, int n, const char *why);
extern void lt_state_withdraw_unlocked(TrackJob *job, Datum *keys, int n, const char *why);
extern void lt_state_withdraw_at_commit(TrackJob *job, Datum *keys, int n, const char *why);
extern int64 lt_state_withdraw_sampled(Oid nspid, int32 table_id, Datum *keys, int n, const char *why,
									   Datum *sample, int *nsample, int maxsample);
extern void lt_state_log(TrackJob *job, const char *event, int64 letters, const char *detail);
extern void lt_state_log_entry(Oid nspid, int32 table_id, const char *event, int64 letters,
							   Datum *sample, int nsample, const char *detail);
extern Datum lt_text_array(Datum *elems, bool *nulls, int n);

/* track_direct.c: new letters written with the table access method */
extern bool lt_direct_write(TrackJob *job, bool quiet);
extern bool lt_direct_cached(void);

/* track_defer.c: withdrawals judged at commit (deferrable keys) */
extern void lt_defer_withdraw(TrackJob *job, Datum *keys, int n, const char *why);
extern void lt_defer_judge(TrackJob *job, void *pending);
extern void lt_defer_init(void);

/* track_ident.c: the identity a tracking trigger carries, checked */
struct Trigger;
extern int32 lt_ident_arg(const struct Trigger *tg);
extern bool lt_ident_bound(Oid nspid, int32 id, Oid relid);
extern int32 lt_ident_of(Oid nspid, Oid relid);

/* track_trigger.c */
extern int	lt_track_elevel(void);
extern void lt_track_judge_deferred(int32 table_id, Oid relid, Oid nspid, char **names,
									TupleDesc desc, void *pending);

#endif							/* LETTERS_TRIAGE_TRACK_INTERNAL_H */
