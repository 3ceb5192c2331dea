/*
 * track.c — tracking letters on existing tables: the statement-level
 * trigger track() that watch() attaches to an application's table, and
 * retriage().
 *
 * The trigger reads the statement's transition table directly, triages every
 * letter in C, computes its deadline and writes letter_state in batches: new
 * letters straight into the table (see flush_direct()), the rest through one
 * SPI upsert per batch of rows, not per row.  It writes as the owner of
 * the extension's schema (switching user as the referential-integrity
 * triggers do), so application roles need no grants, and it never fails the
 * application's statement: problems with a letter are recorded with
 * needs_review, and any error is caught, written to the server log and
 * recorded in tracking_log.  Nothing reaches the application's client unless
 * letters_triage.client_warnings is on.
 */
#include "postgres.h"

/* PostgreSQL's inline functions in headers do not build with -Wextra. */
#include "access/genam.h"
#include "access/relscan.h"
#include "access/transam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "nodes/value.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/formatting.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "letters_triage.h"
#include "runas.h"
#include "track.h"
#include "track_key.h"
#include "track_partition.h"

/* Rows written to letter_state per SPI statement. */
#define TRACK_BATCH 2000

/* Keys kept as examples in tracking_log. */
#define TRACK_SAMPLE_KEYS 10

/*
 * letters_triage.client_warnings: whether the tracking trigger's problems
 * are also sent to the application's client as WARNINGs.  Off by default:
 * the application must not notice tracking (drivers turn WARNINGs into
 * notices, SQLWarnings and events that applications log or act on); the
 * problems go to the server log, tracking_log and the alerts.
 */
static bool track_client_warnings = false;

/* Define the tracking settings (at library load). */
void
lt_track_init(void)
{
	DefineCustomBoolVariable("letters_triage.client_warnings",
							 "Sends the tracking trigger's problems to the application's client as WARNINGs.",
							 "Off: they go to the server log only (and to tracking_log).",
							 &track_client_warnings,
							 false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);
}

/*
 * The level of the trigger's reports: the server log only, unless asked.
 * Every report hides the statement and its context: a LOG line would
 * otherwise carry the application's statement (log_min_error_statement
 * ranks LOG above ERROR), with its NHS numbers and letter text.
 */
static int
track_elevel(void)
{
	return track_client_warnings ? WARNING : LOG_SERVER_ONLY;
}

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

static const char *const col_role[NUM_COLS] = {
	"key", "body", "created", "sent", "recipient", "nhs_number", "kind"
};

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

static const char *const part_fn[NUM_LETTER_PARTS] = {
	"body", "kind", "subject", "recipient", "dated"
};

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
	Oid			relid;
	Oid			nspid;
	char	   *nspname;		/* quoted; see job_nspname() */
	TrackCols	cols;
	bool		triage;			/* false: record without triage (after an error) */
	bool		retriage;		/* run by retriage(), not by the trigger */
	bool		direct;			/* new letters: write letter_state directly */
	bool		collect_only;	/* track_row() never flushes (see run_quiet()) */
	bool		sql_path;		/* search_path is set for the SQL it runs */
	const char *fallback_reason;
	const LtCalendar *cal;
	int64		ruleset;
	TimestampTz now;
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

/*
 * The extension's schema, quoted, for the SQL a job runs (looked up when
 * first needed: the direct path runs none).
 */
static const char *
job_nspname(TrackJob *job)
{
	if (job->nspname == NULL)
		job->nspname = MemoryContextStrdup(GetMemoryChunkContext(job),
										   quote_identifier(get_namespace_name(job->nspid)));
	return job->nspname;
}

/* Saved plans, valid for the extension schema they were made for. */
static Oid	plan_nspid = InvalidOid;
static SPIPlanPtr upsert_plan = NULL;
static SPIPlanPtr withdraw_plan = NULL;

/* The name of a table, schema-qualified. */
static char *
rel_display(Oid relid)
{
	char	   *nsp = get_namespace_name(get_rel_namespace(relid));
	char	   *rel = get_rel_name(relid);

	if (nsp == NULL || rel == NULL)
		return psprintf("with OID %u", relid);
	return quote_qualified_identifier(nsp, rel);
}

/* The owner of the extension's schema, whom the trigger writes as. */
static Oid
schema_owner(Oid nspid)
{
	HeapTuple	tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nspid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for namespace %u", nspid);
	owner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;
	ReleaseSysCache(tup);
	return owner;
}

/* Is this column's type read directly as text (text, varchar, char)? */
static bool
is_text_type(Oid type)
{
	return type == TEXTOID || type == VARCHAROID || type == BPCHAROID || type == NAMEOID;
}

/*
 * Is a value of this type its string as it is (textout() and varcharout()
 * return the text unchanged), so that no output function is needed?
 */
static bool
is_plain_text(Oid type)
{
	return type == TEXTOID || type == VARCHAROID;
}

/* Find the mapped columns in desc; record what is missing or unusable. */
static void
resolve_columns(TrackCols *cols, TupleDesc desc)
{
	int			c,
				i;

	cols->problem = NULL;
	for (c = 0; c < NUM_COLS; c++)
	{
		cols->attno[c] = 0;
		if (cols->name[c] == NULL)
			continue;
		for (i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), cols->name[c]) == 0)
			{
				cols->attno[c] = i + 1;
				cols->type[c] = att->atttypid;
				break;
			}
		}
		if (cols->attno[c] == 0)
		{
			if (cols->problem == NULL)
				cols->problem = psprintf("mapped %s column \"%s\" not found",
										 col_role[c], cols->name[c]);
			continue;
		}
		if ((c == COL_CREATED || c == COL_SENT) &&
			cols->type[c] != TIMESTAMPTZOID && cols->type[c] != TIMESTAMPOID)
		{
			if (cols->problem == NULL)
				cols->problem = psprintf("mapped %s column \"%s\" is of type %s, not a timestamp",
										 col_role[c], cols->name[c],
										 format_type_be(cols->type[c]));
			cols->attno[c] = 0;
			continue;
		}
		if (c == COL_KEY)
		{
			const char *missing = lt_key_resolve(&cols->key, desc);

			if (missing != NULL)
			{
				if (cols->problem == NULL)
					cols->problem = psprintf("mapped key column \"%s\" not found", missing);
				cols->attno[c] = 0;
			}
		}
		else if (c != COL_CREATED && c != COL_SENT && !is_plain_text(cols->type[c]))
		{
			Oid			outfn;
			bool		varlena;

			getTypeOutputInfo(cols->type[c], &outfn, &varlena);
			fmgr_info(outfn, &cols->out[c]);
		}
	}
}

/*
 * The extension's functions that tracking calls, by OID.  They are found in
 * the catalog by name, argument types and schema, which checks no privilege
 * (a look-up by qualified name would check the caller's USAGE on the schema,
 * and fail the application's statement), and kept per backend until pg_proc
 * or pg_type changes.  A look-up that finds nothing is not kept: the next
 * statement looks again.
 */
static struct
{
	bool		valid;
	Oid			nspid;
	Oid			nhs_valid;		/* nhs_number_valid(text) */
	Oid			letter_type;	/* letters_triage.letter */
	Oid			part[NUM_LETTER_PARTS]; /* body(letter), kind(letter), ... */
}			ext_fn;
static bool ext_fn_callback = false;

static void
ext_fn_invalidate(Datum arg, int cacheid, uint32 hashvalue)
{
	(void) arg;
	(void) cacheid;
	(void) hashvalue;
	ext_fn.valid = false;
}

/* The function name(argtype) of schema nspid, or InvalidOid. */
static Oid
ext_function(Oid nspid, const char *name, Oid argtype)
{
	oidvector  *args = buildoidvector(&argtype, 1);

	return GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum(name),
						   PointerGetDatum(args), ObjectIdGetDatum(nspid));
}

/* Find (or recall) the extension's functions in schema nspid. */
static void
ext_functions(Oid nspid)
{
	bool		found;
	int			p;

	if (!ext_fn_callback)
	{
		CacheRegisterSyscacheCallback(PROCOID, ext_fn_invalidate, (Datum) 0);
		CacheRegisterSyscacheCallback(TYPEOID, ext_fn_invalidate, (Datum) 0);
		ext_fn_callback = true;
	}
	if (ext_fn.valid && ext_fn.nspid == nspid)
		return;
	memset(&ext_fn, 0, sizeof(ext_fn));
	/* (an invalidation arriving during the look-ups clears this again) */
	ext_fn.valid = true;
	ext_fn.nspid = nspid;
	ext_fn.nhs_valid = ext_function(nspid, "nhs_number_valid", TEXTOID);
	ext_fn.letter_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										 CStringGetDatum("letter"), ObjectIdGetDatum(nspid));
	found = OidIsValid(ext_fn.nhs_valid) && OidIsValid(ext_fn.letter_type);
	for (p = 0; p < NUM_LETTER_PARTS && found; p++)
	{
		ext_fn.part[p] = ext_function(nspid, part_fn[p], ext_fn.letter_type);
		found = OidIsValid(ext_fn.part[p]);
	}
	if (!found)
		ext_fn.valid = false;
}

/*
 * Ready the functions a job calls: nhs_number_valid() when the NHS number is
 * mapped, and when the body column is of the extension's letter type, the
 * accessors of its parts (body, kind, subject, recipient, dated).  Run as the
 * extension's owner, inside the protected part of the job.
 */
static void
resolve_letter(TrackCols *cols, Oid nspid)
{
	int			p;

	cols->body_is_letter = false;
	cols->check_nhs = false;
	ext_functions(nspid);
	if (cols->attno[COL_NHS] != 0 && OidIsValid(ext_fn.nhs_valid))
	{
		fmgr_info(ext_fn.nhs_valid, &cols->nhs_valid_fn);
		cols->check_nhs = true;
	}
	if (cols->attno[COL_BODY] == 0 || !OidIsValid(ext_fn.letter_type) ||
		cols->type[COL_BODY] != ext_fn.letter_type)
		return;
	for (p = 0; p < NUM_LETTER_PARTS; p++)
		if (!OidIsValid(ext_fn.part[p]))
			return;				/* not the letter type this code knows */
	for (p = 0; p < NUM_LETTER_PARTS; p++)
		fmgr_info(ext_fn.part[p], &cols->letter_fn[p]);
	cols->body_is_letter = true;
}

/* Call a letter accessor; false when it returns NULL. */
static bool
letter_part(TrackCols *cols, LetterPart p, Datum letter, Datum *result)
{
	LOCAL_FCINFO(fcinfo, 1);

	InitFunctionCallInfoData(*fcinfo, &cols->letter_fn[p], 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = letter;
	fcinfo->args[0].isnull = false;
	*result = FunctionCallInvoke(fcinfo);
	return !fcinfo->isnull;
}

/* The value of a mapped column; false when not mapped, missing or NULL. */
static bool
column_datum(TrackCols *cols, TrackColumn c, TupleTableSlot *slot, Datum *d)
{
	bool		isnull;

	if (cols->attno[c] == 0)
		return false;
	*d = slot_getattr(slot, cols->attno[c], &isnull);
	return !isnull;
}

/* A mapped column as a C string, or NULL. */
static char *
column_string(TrackCols *cols, TrackColumn c, TupleTableSlot *slot)
{
	Datum		d;

	if (!column_datum(cols, c, slot, &d))
		return NULL;
	if (is_plain_text(cols->type[c]))
		return TextDatumGetCString(d);
	return OutputFunctionCall(&cols->out[c], d);
}

/* A mapped timestamp column as timestamptz; false when absent or NULL. */
static bool
column_time(TrackCols *cols, TrackColumn c, TupleTableSlot *slot, TimestampTz *out)
{
	Datum		d;

	if (!column_datum(cols, c, slot, &d))
		return false;
	if (cols->type[c] == TIMESTAMPOID)
		*out = lt_local_to_utc(DatumGetTimestamp(d));
	else
		*out = DatumGetTimestampTz(d);
	return true;
}

/* The key of a row as text, or NULL when it cannot be had. */
static char *
row_key(TrackJob *job, TupleTableSlot *slot)
{
	if (job->cols.attno[COL_KEY] == 0)
		return NULL;
	return lt_key_of_slot(&job->cols.key, slot);
}

/*
 * The sent time a letter's state takes.  The trigger knows it (it runs in the
 * application's transaction, with the row locked); retriage() ($13) reads the
 * table under an older snapshot, so it never forgets a sent time recorded
 * meanwhile, and leaves withdrawn letters alone (see the WHERE clause).
 */
#define NEW_SENT "(CASE WHEN $13 THEN COALESCE(excluded.sent, s.sent) ELSE excluded.sent END)"

/*
 * A letter's deadline is judged once: when it is sent, or when the checks
 * find it overdue.  From then on its due time stays what it was, whatever
 * later changes to the policy, the rules or the letter (retriage(), an UPDATE
 * of the row) would compute, so that a letter sent in time never becomes
 * late after the fact.  Lateness is never erased: a letter found overdue is
 * sent_late whenever it is sent (even with a sent time the application dates
 * back), a sent_late letter stays sent_late when its sent time is corrected,
 * and is overdue again when the application clears it.  A letter sent in
 * time whose sent time is cleared waits again under the policy.  (A withdrawn
 * letter whose key comes back is a new letter.)
 */
#define JUDGED "(s.status OPERATOR(pg_catalog.<>) 'withdrawn'" \
	" AND (s.sent IS NOT NULL OR s.status OPERATOR(pg_catalog.=) 'overdue'))"
#define NEW_DUE "(CASE WHEN " JUDGED " THEN s.due ELSE excluded.due END)"

/* Prepare (once per backend and schema) the statements the trigger runs. */
static void
prepare_plans(TrackJob *job)
{
	StringInfoData sql;
	Oid			types[13] = {
		OIDOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, BOOLARRAYOID, TEXTARRAYOID,
		TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID,
		TIMESTAMPTZARRAYOID, INT8OID, BOOLOID
	};
	Oid			wtypes[3] = {OIDOID, TEXTARRAYOID, TEXTOID};
	const char *s = job_nspname(job);

	if (plan_nspid == job->nspid && upsert_plan != NULL && withdraw_plan != NULL)
		return;
	if (upsert_plan)
		SPI_freeplan(upsert_plan);
	if (withdraw_plan)
		SPI_freeplan(withdraw_plan);
	upsert_plan = withdraw_plan = NULL;
	plan_nspid = InvalidOid;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO %s.letter_state AS s (tbl, key, urgency, actions, needs_review, reason,"
					 " kind, recipient, created, due, sent, status, triaged_at, ruleset_version)"
					 " SELECT $1::pg_catalog.regclass, t.key, t.urgency::%s.urgency,"
					 " pg_catalog.string_to_array(t.actions, ','), t.needs_review, t.reason, t.kind,"
					 " t.recipient, t.created, t.due, t.sent,"
					 " CASE WHEN t.sent IS NULL THEN 'waiting'"
					 " WHEN t.sent OPERATOR(pg_catalog.<=) t.due THEN 'sent' ELSE 'sent_late' END,"
					 " pg_catalog.statement_timestamp(), $12"
					 " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3), pg_catalog.unnest($4),"
					 " pg_catalog.unnest($5), pg_catalog.unnest($6), pg_catalog.unnest($7),"
					 " pg_catalog.unnest($8), pg_catalog.unnest($9), pg_catalog.unnest($10),"
					 " pg_catalog.unnest($11))"
					 " AS t(key, urgency, actions, needs_review, reason, kind, recipient, created, due, sent)"
					 " ON CONFLICT (tbl, key) DO UPDATE SET"
					 " urgency = excluded.urgency, actions = excluded.actions,"
					 " needs_review = excluded.needs_review, reason = excluded.reason,"
					 " kind = excluded.kind, recipient = excluded.recipient,"
					 " created = excluded.created, due = " NEW_DUE ", sent = " NEW_SENT ","
					 " status = CASE"
					 " WHEN " NEW_SENT " IS NULL THEN"
					 "  CASE WHEN s.status OPERATOR(pg_catalog.=) ANY ('{overdue,sent_late}'::pg_catalog.text[])"
					 "   THEN 'overdue' ELSE 'waiting' END"
					 " WHEN s.status OPERATOR(pg_catalog.=) ANY ('{overdue,sent_late}'::pg_catalog.text[])"
					 "  OR " NEW_SENT " OPERATOR(pg_catalog.>) " NEW_DUE " THEN 'sent_late'"
					 " ELSE 'sent' END,"
					 " triaged_at = excluded.triaged_at, ruleset_version = excluded.ruleset_version,"
					 " withdrawn = NULL"
					 " WHERE NOT $13 OR s.status OPERATOR(pg_catalog.<>) 'withdrawn'",
					 s, s);
	/* a generic plan: planning it again for every statement would cost more than running it */
	upsert_plan = SPI_prepare_cursor(sql.data, 13, types, CURSOR_OPT_GENERIC_PLAN);
	if (upsert_plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));

	resetStringInfo(&sql);
	/*
	 * (a join with the keys, looked up one by one in the primary key:
	 * "key = ANY ($2)" let the generic plan scan every unsent letter of the
	 * partial index and compare it with each key, quadratic in a bulk DELETE)
	 */
	appendStringInfo(&sql,
					 "UPDATE %s.letter_state s SET status = 'withdrawn',"
					 " withdrawn = pg_catalog.statement_timestamp(),"
					 " reason = CASE WHEN s.reason IS NULL THEN $3"
					 "  ELSE s.reason OPERATOR(pg_catalog.||) '; ' OPERATOR(pg_catalog.||) $3 END"
					 " FROM pg_catalog.unnest($2) AS k(key)"
					 " WHERE s.tbl OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
					 " AND s.key OPERATOR(pg_catalog.=) k.key"
					 " AND s.status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])",
					 s);
	withdraw_plan = SPI_prepare_cursor(sql.data, 3, wtypes, CURSOR_OPT_GENERIC_PLAN);
	if (withdraw_plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));

	SPI_keepplan(upsert_plan);
	SPI_keepplan(withdraw_plan);
	plan_nspid = job->nspid;
}

/*
 * Before running SQL: search_path = pg_catalog, pg_temp, for the rest of the
 * job (undone with every other setting when the job's lt_run_as_end() rolls
 * its GUC nest level back).  track() has no SET clause, whose cost (the
 * setting made and undone, and the search path looked up again by the
 * application's next statement) every single-row INSERT would pay: the
 * direct path looks nothing up by name, so only the jobs that run SQL set it.
 */
static void
use_sql_path(TrackJob *job)
{
	if (job->sql_path)
		return;
	lt_safe_search_path();
	job->sql_path = true;
}

/* A text[] of n C-string or text Datums. */
static Datum
text_array(Datum *elems, bool *nulls, int n)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};

	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
											  TEXTOID, -1, false, TYPALIGN_INT));
}

/* Write the collected rows to letter_state through the upsert statement. */
static void
flush_spi(TrackJob *job)
{
	Datum		args[13];
	char		nulls[13];
	int			dims[1] = {job->n};
	int			lbs[1] = {1};
	int			rc;

	if (job->n == 0)
		return;
	use_sql_path(job);
	prepare_plans(job);
	memset(nulls, ' ', sizeof(nulls));
	args[0] = ObjectIdGetDatum(job->relid);
	args[1] = text_array(job->key, NULL, job->n);
	args[2] = text_array(job->urgency, NULL, job->n);
	args[3] = text_array(job->actions, NULL, job->n);
	args[4] = PointerGetDatum(construct_md_array(job->needs_review, NULL, 1, dims, lbs,
												 BOOLOID, 1, true, TYPALIGN_CHAR));
	args[5] = text_array(job->reason, NULL, job->n);
	args[6] = text_array(job->kind, job->kind_null, job->n);
	args[7] = text_array(job->recipient, job->recipient_null, job->n);
	args[8] = PointerGetDatum(construct_md_array(job->created, NULL, 1, dims, lbs,
												 TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[9] = PointerGetDatum(construct_md_array(job->due, NULL, 1, dims, lbs,
												 TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[10] = PointerGetDatum(construct_md_array(job->sent, job->sent_null, 1, dims, lbs,
												  TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[11] = Int64GetDatum(job->ruleset);
	args[12] = BoolGetDatum(job->retriage);
	rc = SPI_execute_plan(upsert_plan, args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
}

/*
 * The direct path for new letters.  Running the upsert statement costs as
 * much as the application's own INSERT of a letter (executor start-up, the
 * ON CONFLICT machinery, parameters passed as arrays), which is what single-
 * row INSERTs into a watched table paid for.  New letters have no state row
 * yet, so the trigger of an INSERT writes theirs as COPY does: it inserts
 * the rows with the table access method and their index entries.  A key that
 * has a row already (a key used again after its letter was deleted, say, or
 * a row inserted meanwhile by another session) makes the primary key refuse
 * the insert; lt_track() then does the event again, in a new subtransaction,
 * through the upsert.  (Looking the keys up first cost every INSERT an index
 * search for the rare case.)  What the direct path needs of letter_state and
 * its indexes (the columns, the CHECK constraints and the partial indexes'
 * predicates, planned) is cached per backend, and forgotten on a relcache
 * invalidation of the table or of one of its indexes.
 * letter_state has no triggers or row security (it is used only when that
 * is so); its constraints are checked as the executor checks them, and the
 * values written are those the upsert would write for a new letter.
 */
typedef enum StateColumn
{
	S_TBL,
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
	{"tbl", REGCLASSOID}, {"key", TEXTOID}, {"urgency", InvalidOid},
	{"actions", TEXTARRAYOID}, {"needs_review", BOOLOID}, {"reason", TEXTOID},
	{"kind", TEXTOID}, {"recipient", TEXTOID}, {"created", TIMESTAMPTZOID},
	{"due", TIMESTAMPTZOID}, {"sent", TIMESTAMPTZOID}, {"status", TEXTOID},
	{"triaged_at", TIMESTAMPTZOID}, {"ruleset_version", INT8OID},
	{"withdrawn", TIMESTAMPTZOID}
};

#define STATE_MAX_INDEXES 32

/* What the direct path knows of letter_state, cached per backend. */
static struct
{
	bool		valid;
	Oid			relid;
	bool		usable;			/* the table is as this code knows it */
	Oid			pkey;
	AttrNumber	attno[NUM_STATE_COLS];
	Oid			urgency[LT_URGENCY_IMMEDIATE + 1];	/* enum value OIDs */
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
static bool state_rel_callback = false;
static MemoryContext state_cxt = NULL;

/* Relcache invalidation callback: letter_state changed (or everything did). */
static void
state_rel_invalidate(Datum arg, Oid relid)
{
	(void) arg;
	if (!OidIsValid(relid) || relid == state_rel.relid)
		state_rel.valid = false;
	else if (state_rel.have_indexes)
	{
		for (int i = 0; i < state_rel.nindex; i++)
			if (relid == state_rel.index_oid[i])
				state_rel.valid = false;
	}
}

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
	if (state_cxt == NULL)
		state_cxt = AllocSetContextCreate(CacheMemoryContext, "letters_triage letter_state",
										  ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(state_cxt);
	state_rel.relid = RelationGetRelid(rel);
	state_rel.valid = true;		/* an invalidation arriving now clears it */
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
	for (i = LT_URGENCY_ROUTINE; i <= LT_URGENCY_IMMEDIATE; i++)
	{
		state_rel.urgency[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
											   ObjectIdGetDatum(urgtype),
											   CStringGetDatum(lt_urgency_name((LtUrgency) i)));
		if (!OidIsValid(state_rel.urgency[i]))
			return;
	}
	state_rel.pkey = LT_RELATION_GET_PRIMARY_KEY_INDEX(rel);
	if (!OidIsValid(state_rel.pkey))
		return;
	pk = index_open(state_rel.pkey, AccessShareLock);
	if (pk->rd_index->indnkeyatts == 2 &&
		pk->rd_index->indkey.values[0] == state_rel.attno[S_TBL] &&
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
 * When the cache is not ready, every index is opened, as before.
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

	cached = state_rel.valid && state_rel.have_indexes && state_rel.nindex == n;
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
		if (state_rel.valid)
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
	if (state_rel.valid && n <= STATE_MAX_INDEXES)
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

/* The actions of a letter as a text[]. */
static Datum
action_array(uint32 bits)
{
	Datum		names[LT_NUM_ACTIONS];
	int			n = 0,
				a;

	for (a = 0; a < LT_NUM_ACTIONS; a++)
		if (bits & LT_ACTION_BIT(a))
			names[n++] = CStringGetTextDatum(lt_action_name((LtAction) a));
	return PointerGetDatum(construct_array(names, n, TEXTOID, -1, false, TYPALIGN_INT));
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
state_key_exists(Relation rel, Relation pk, Oid tbl, Datum key)
{
	ScanKeyData sk[2];
	SnapshotData dirty;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	bool		found;

	InitDirtySnapshot(dirty);
	ScanKeyInit(&sk[0], 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(tbl));
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
static bool
flush_direct(TrackJob *job, bool quiet)
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

	if (!state_rel_callback)
	{
		CacheRegisterRelcacheCallback(state_rel_invalidate, (Datum) 0);
		state_rel_callback = true;
	}
	if (state_rel.valid)
		relid = state_rel.relid;
	else if (quiet)
		return false;
	else
		relid = get_relname_relid("letter_state", job->nspid);
	if (!OidIsValid(relid))
		return false;
	rel = table_open(relid, RowExclusiveLock);
	if ((!state_rel.valid || state_rel.relid != relid) && !quiet)
		state_rel_load(rel);
	if (!state_rel.valid || state_rel.relid != relid ||
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
		v[state_rel.attno[S_TBL] - 1] = ObjectIdGetDatum(job->relid);
		v[state_rel.attno[S_KEY] - 1] = job->key[i];
		v[state_rel.attno[S_URGENCY] - 1] = ObjectIdGetDatum(state_rel.urgency[job->urgency_code[i]]);
		v[state_rel.attno[S_ACTIONS] - 1] = action_array(job->action_bits[i]);
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
		bad = state_key_exists(rel, pk, job->relid, job->key[i]);
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

/* Write the collected rows to letter_state. */
static void
flush(TrackJob *job)
{
	if (job->n == 0)
		return;
	if (!job->direct || !flush_direct(job, false))
		flush_spi(job);
	job->rows += job->n;
	job->n = 0;
	MemoryContextReset(job->batchcxt);
}

/* Note a tracking problem with one letter. */
static void
note_problem(TrackJob *job, const char *key, const char *problem)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(job));

	job->problems++;
	if (job->first_problem == NULL)
		job->first_problem = pstrdup(problem);
	if (key != NULL && job->nsample < TRACK_SAMPLE_KEYS)
		job->sample[job->nsample++] = pstrdup(key);
	MemoryContextSwitchTo(old);
}

/* Triage one row and add it to the batch. */
static void
track_row(TrackJob *job, TupleTableSlot *slot)
{
	TrackCols  *cols = &job->cols;
	MemoryContext old = MemoryContextSwitchTo(job->batchcxt);
	char	   *key;
	char	   *kind;
	char	   *recipient;
	const char *problem = cols->problem;
	TimestampTz created = 0,
				sent = 0;
	bool		has_sent,
				has_created;
	const char *body = "";
	int			len = 0;
	char	   *subject = NULL;
	LtTriageResult res;
	StringInfoData buf;
	int			i = job->n;
	int			a;

	key = row_key(job, slot);
	if (key == NULL)
	{
		/* without its key a letter cannot be recorded at all */
		job->lost++;
		if (job->first_problem == NULL)
		{
			MemoryContextSwitchTo(GetMemoryChunkContext(job));
			job->first_problem = cols->attno[COL_KEY] == 0 && cols->problem ? pstrdup(cols->problem)
				: pstrdup("a row has no key");
		}
		MemoryContextSwitchTo(old);
		return;
	}

	kind = column_string(cols, COL_KIND, slot);
	recipient = column_string(cols, COL_RECIPIENT, slot);
	has_sent = column_time(cols, COL_SENT, slot, &sent);
	has_created = column_time(cols, COL_CREATED, slot, &created);

	/* the letter itself: its text, and the parts of a letters_triage.letter */
	if (cols->attno[COL_BODY] != 0)
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, cols->attno[COL_BODY], &isnull);
		Datum		part;

		if (!isnull && cols->body_is_letter)
		{
			if (letter_part(cols, PART_BODY, d, &part))
			{
				text	   *t = DatumGetTextPP(part);

				body = VARDATA_ANY(t);
				len = VARSIZE_ANY_EXHDR(t);
			}
			if (letter_part(cols, PART_SUBJECT, d, &part))
				subject = TextDatumGetCString(part);
			if (kind == NULL && letter_part(cols, PART_KIND, d, &part))
				kind = TextDatumGetCString(part);
			if (recipient == NULL && letter_part(cols, PART_RECIPIENT, d, &part))
				recipient = TextDatumGetCString(part);
			if (!has_created && letter_part(cols, PART_DATED, d, &part))
			{
				created = DatumGetTimestampTz(part);
				has_created = true;
			}
		}
		else if (!isnull && is_text_type(cols->type[COL_BODY]) && cols->type[COL_BODY] != NAMEOID)
		{
			text	   *t = DatumGetTextPP(d);

			body = VARDATA_ANY(t);
			len = VARSIZE_ANY_EXHDR(t);
		}
		else if (!isnull)
		{
			body = OutputFunctionCall(&cols->out[COL_BODY], d);
			len = strlen(body);
		}
	}
	if (kind != NULL)
		kind = str_tolower(kind, strlen(kind), DEFAULT_COLLATION_OID);
	if (has_created && TIMESTAMP_NOT_FINITE(created))
	{
		/* an unreadable time, not a letter of the end of time */
		has_created = false;
		if (problem == NULL)
			problem = "creation time is not a finite time: deadline counted from when it was tracked";
	}
	if (!has_created)
	{
		created = job->now;
		if (problem == NULL)
			problem = "no creation time: deadline counted from when it was tracked";
	}
	if (has_sent && TIMESTAMP_NOT_FINITE(sent))
	{
		/* nobody sent a letter at infinity: it is still to be sent */
		has_sent = false;
		if (problem == NULL)
			problem = "sent time is not a finite time: taken as not sent";
	}
	if (cols->check_nhs && problem == NULL)
	{
		/* a letter about the wrong patient is worse than a late one */
		char	   *nhs = column_string(cols, COL_NHS, slot);

		if (nhs == NULL)
			problem = "no NHS number";
		else if (!DatumGetBool(FunctionCall1(&cols->nhs_valid_fn, CStringGetTextDatum(nhs))))
			problem = "invalid NHS number";
	}

	memset(&res, 0, sizeof(res));
	if (job->triage)
		lt_triage(body, len, kind, subject, &res);
	else
	{
		res.urgency = LT_URGENCY_URGENT;
		res.needs_review = true;
		res.reason = NULL;
		problem = job->fallback_reason;
	}

	if (problem != NULL)
	{
		res.needs_review = true;
		if (res.urgency < LT_URGENCY_URGENT)
			res.urgency = LT_URGENCY_URGENT;
		res.reason = res.reason ? psprintf("%s; %s", problem, res.reason) : pstrdup(problem);
		note_problem(job, key, problem);
	}

	initStringInfo(&buf);
	for (a = 0; a < LT_NUM_ACTIONS; a++)
	{
		if (res.actions & LT_ACTION_BIT(a))
		{
			if (buf.len > 0)
				appendStringInfoChar(&buf, ',');
			appendStringInfoString(&buf, lt_action_name((LtAction) a));
		}
	}

	job->key[i] = CStringGetTextDatum(key);
	job->urgency[i] = CStringGetTextDatum(lt_urgency_name(res.urgency));
	job->urgency_code[i] = res.urgency;
	job->action_bits[i] = res.actions;
	job->actions[i] = CStringGetTextDatum(buf.data);
	job->needs_review[i] = BoolGetDatum(res.needs_review);
	job->reason[i] = CStringGetTextDatum(res.reason ? res.reason : "");
	job->kind_null[i] = (kind == NULL);
	job->kind[i] = kind ? CStringGetTextDatum(kind) : (Datum) 0;
	job->recipient_null[i] = (recipient == NULL);
	job->recipient[i] = recipient ? CStringGetTextDatum(recipient) : (Datum) 0;
	job->created[i] = TimestampTzGetDatum(created);
	job->due[i] = TimestampTzGetDatum(job->triage ? lt_due(job->cal, created, res.urgency, kind)
									  : created);
	job->sent_null[i] = !has_sent;
	job->sent[i] = TimestampTzGetDatum(has_sent ? sent : 0);
	job->n++;
	MemoryContextSwitchTo(old);
	if (job->n == job->cap && !job->collect_only)
		flush(job);
}

/* Mark the given keys withdrawn (unless already sent). */
static void
withdraw_keys(TrackJob *job, Datum *keys, int n, const char *why)
{
	Datum		args[3];
	int			rc;

	if (n == 0)
		return;
	use_sql_path(job);
	prepare_plans(job);
	args[0] = ObjectIdGetDatum(job->relid);
	args[1] = text_array(keys, NULL, n);
	args[2] = CStringGetTextDatum(why);
	rc = SPI_execute_plan(withdraw_plan, args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
}

/* Record an entry in tracking_log. */
static void
log_event(TrackJob *job, const char *event, int64 letters, const char *detail)
{
	StringInfoData sql;
	Datum		args[5];
	Oid			types[5] = {OIDOID, TEXTOID, INT8OID, TEXTARRAYOID, TEXTOID};
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	Datum		keys[TRACK_SAMPLE_KEYS];
	int			i,
				rc;

	use_sql_path(job);
	for (i = 0; i < job->nsample; i++)
		keys[i] = CStringGetTextDatum(job->sample[i]);
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO %s.tracking_log (tbl, event, letters, sample_keys, detail)"
					 " VALUES ($1::pg_catalog.regclass, $2, $3, $4, $5)", job_nspname(job));
	args[0] = ObjectIdGetDatum(job->relid);
	args[1] = CStringGetTextDatum(event);
	args[2] = Int64GetDatum(letters);
	if (job->nsample > 0)
		args[3] = text_array(keys, NULL, job->nsample);
	else
		nulls[3] = 'n';
	args[4] = CStringGetTextDatum(detail);
	rc = SPI_execute_with_args(sql.data, 5, types, args, nulls, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
}

/* After a job: log and record the letters that had problems. */
static void
report_problems(TrackJob *job)
{
	/* retriage() reports to the DBA who ran it, the trigger to the log */
	int			elevel = job->retriage ? WARNING : track_elevel();

	if (job->problems == 0 && job->lost == 0)
		return;
	if (job->lost > 0)
	{
		ereport(elevel,
				(errhidestmt(true), errhidecontext(true),
				 errmsg_plural("letters_triage could not track " INT64_FORMAT " letter of table %s",
							   "letters_triage could not track " INT64_FORMAT " letters of table %s",
							   job->lost, job->lost, rel_display(job->relid)),
				 errdetail("%s", job->first_problem ? job->first_problem : "unknown problem"),
				 errhint("Correct the mapping with letters_triage.watch().")));
		log_event(job, "error", job->lost, job->first_problem ? job->first_problem : "letters not recorded");
	}
	if (job->problems > 0)
	{
		ereport(elevel,
				(errhidestmt(true), errhidecontext(true),
				 errmsg_plural("letters_triage recorded " INT64_FORMAT " letter of table %s for review",
							   "letters_triage recorded " INT64_FORMAT " letters of table %s for review",
							   job->problems, job->problems, rel_display(job->relid)),
				 errdetail("%s", job->first_problem)));
		log_event(job, "problem", job->problems, job->first_problem);
	}
}

/*
 * Set up a job for table relid with the given column mapping: names[0 ..
 * NUM_COLS - 1] by TrackColumn, then the key's further columns, then NULL.
 */
static void
init_job(TrackJob *job, Oid relid, Oid nspid, char **names, TupleDesc desc, int64 rows)
{
	int			c;
	int			cap = (int) Max(1, Min(rows, TRACK_BATCH));

	char	   *p;

	memset(job, 0, sizeof(TrackJob));
	job->cap = cap;
	/* the batch's arrays, in one allocation (Datums first, for alignment) */
	p = palloc(cap * (10 * sizeof(Datum) + sizeof(LtUrgency) + sizeof(uint32) + 3 * sizeof(bool)));
#define TAKE(field, type) (job->field = (type *) p, p += sizeof(type) * cap)
	TAKE(key, Datum);
	TAKE(urgency, Datum);
	TAKE(actions, Datum);
	TAKE(needs_review, Datum);
	TAKE(reason, Datum);
	TAKE(kind, Datum);
	TAKE(recipient, Datum);
	TAKE(created, Datum);
	TAKE(due, Datum);
	TAKE(sent, Datum);
	TAKE(urgency_code, LtUrgency);
	TAKE(action_bits, uint32);
	TAKE(kind_null, bool);
	TAKE(recipient_null, bool);
	TAKE(sent_null, bool);
#undef TAKE
	job->relid = relid;
	job->nspid = nspid;
	job->nspname = NULL;		/* looked up when SQL needs it */
	for (c = 0; c < NUM_COLS; c++)
		job->cols.name[c] = (names[c] && names[c][0]) ? names[c] : NULL;
	/* names[NUM_COLS ...]: the key's further columns, up to a NULL */
	job->cols.key.n = 0;
	if (job->cols.name[COL_KEY] != NULL)
	{
		job->cols.key.name[job->cols.key.n++] = job->cols.name[COL_KEY];
		for (c = NUM_COLS; names[c] != NULL && job->cols.key.n < INDEX_MAX_KEYS; c++)
			job->cols.key.name[job->cols.key.n++] = names[c];
	}
	resolve_columns(&job->cols, desc);
	/* (resolve_letter() runs later, as the extension's owner) */
	job->triage = true;
	job->now = GetCurrentStatementStartTimestamp();
	job->batchcxt = AllocSetContextCreate(CurrentMemoryContext, "letters_triage tracking batch",
										  ALLOCSET_DEFAULT_SIZES);
	job->n = 0;
	job->rows = job->problems = job->lost = 0;
	job->first_problem = NULL;
	job->nsample = 0;
}

/* Start writing: connect to SPI, load the calendar and the policy. */
static void
begin_job(TrackJob *job)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	resolve_letter(&job->cols, job->nspid);
	if (job->triage)
	{
		if (!lt_calendar_is_cached(job->nspid))
			use_sql_path(job);	/* it is read with SQL */
		job->cal = lt_calendar_cached(job->nspid);
		job->ruleset = lt_ruleset_version();
	}
}

/* Read every tuple of a transition table through its own read pointer. */
static TupleTableSlot *
open_transition(Tuplestorestate *ts, TupleDesc desc)
{
	int			ptr = tuplestore_alloc_read_pointer(ts, EXEC_FLAG_REWIND);

	tuplestore_select_read_pointer(ts, ptr);
	tuplestore_rescan(ts);
	/* a copy, so that the slot pins no reference-counted descriptor */
	return MakeSingleTupleTableSlot(CreateTupleDescCopy(desc), &TTSOpsMinimalTuple);
}

/* What the trigger was fired for. */
typedef enum TrackMode
{
	MODE_ROWS,					/* INSERT or UPDATE */
	MODE_DELETE,
	MODE_TRUNCATE,
	MODE_LOG_ERROR				/* only record an error in tracking_log */
} TrackMode;

typedef struct TrackEvent
{
	TriggerData *td;
	TrackMode	mode;
	const char *error;			/* MODE_LOG_ERROR: what went wrong */
	int64		letters;		/* MODE_LOG_ERROR: how many letters it concerns */
} TrackEvent;

/*
 * After an UPDATE that changed keys: withdraw the old keys that none of the
 * statement's new rows has.  A key can move onto another that moves on in
 * turn (a swap or a cycle of keys, a shift by one, allowed by a deferrable
 * key or by the order the rows are updated in): such a key still names a
 * letter of the table, whose state row the statement has just written.
 */
static void
withdraw_moved_keys(TrackJob *job, char **oldkeys, int nold, char **newkeys, int nnew)
{
	LtKeySet   *present = lt_keyset_create("letters_triage new keys");
	Datum	   *gone = palloc(sizeof(Datum) * Max(nold, 1));
	int			ngone = 0;

	for (int i = 0; i < nnew; i++)
		lt_keyset_add(present, newkeys[i]);
	for (int i = 0; i < nold; i++)
	{
		if (!lt_keyset_contains(present, oldkeys[i]))
			gone[ngone++] = CStringGetTextDatum(oldkeys[i]);
		if (ngone == TRACK_BATCH || (i == nold - 1 && ngone > 0))
		{
			withdraw_keys(job, gone, ngone, "key changed");
			ngone = 0;
		}
	}
	hash_destroy((HTAB *) present);
}

/* INSERT or UPDATE: triage and record every new row; withdraw changed keys. */
static void
track_rows(TrackJob *job, TrackEvent *ev)
{
	TriggerData *td = ev->td;
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	TupleTableSlot *slot = open_transition(td->tg_newtable, desc);
	char	  **oldkeys = NULL;
	char	  **newkeys = NULL;
	int			nold = 0,
				nnew = 0,
				cap = 0;
	TupleTableSlot *oslot = NULL;

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && td->tg_oldtable != NULL)
	{
		int64		rows = tuplestore_tuple_count(td->tg_newtable);

		oslot = open_transition(td->tg_oldtable, desc);
		cap = (int) Max(1, rows);
		newkeys = palloc(sizeof(char *) * cap);
	}

	for (;;)
	{
		if (!tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
			break;
		track_row(job, slot);
		if (oslot && tuplestore_gettupleslot(td->tg_oldtable, true, false, oslot))
		{
			char	   *ok = row_key(job, oslot);
			char	   *nk = row_key(job, slot);

			if (nk != NULL && nnew < cap)
				newkeys[nnew++] = nk;
			if (ok != NULL && (nk == NULL || strcmp(ok, nk) != 0))
			{
				/* the key changed: the old key's letter may be gone */
				if (oldkeys == NULL)
					oldkeys = palloc(sizeof(char *) * cap);
				oldkeys[nold++] = ok;
			}
		}
	}
	flush(job);
	if (nold > 0)
		withdraw_moved_keys(job, oldkeys, nold, newkeys, nnew);
	ExecDropSingleTupleTableSlot(slot);
	if (oslot)
		ExecDropSingleTupleTableSlot(oslot);
}

/* DELETE: the unsent letters among the old rows are withdrawn. */
static void
track_delete(TrackJob *job, TrackEvent *ev)
{
	TriggerData *td = ev->td;
	TupleTableSlot *slot = open_transition(td->tg_oldtable, RelationGetDescr(td->tg_relation));
	Datum	   *keys = palloc(sizeof(Datum) * TRACK_BATCH);
	int			n = 0;

	while (tuplestore_gettupleslot(td->tg_oldtable, true, false, slot))
	{
		char	   *k = row_key(job, slot);

		if (k == NULL)
			continue;
		keys[n++] = CStringGetTextDatum(k);
		if (n == TRACK_BATCH)
		{
			withdraw_keys(job, keys, n, "deleted");
			n = 0;
		}
	}
	withdraw_keys(job, keys, n, "deleted");
	ExecDropSingleTupleTableSlot(slot);
}

/* TRUNCATE: every unsent letter of the table is withdrawn, and it is logged. */
static void
track_truncate(TrackJob *job)
{
	StringInfoData sql;
	Datum		args[1];
	Oid			types[1] = {OIDOID};
	int			rc;
	char	   *detail;

	use_sql_path(job);
	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "UPDATE %s.letter_state SET status = 'withdrawn',"
					 " withdrawn = pg_catalog.statement_timestamp(),"
					 " reason = CASE WHEN reason IS NULL THEN 'table truncated'"
					 "  ELSE reason OPERATOR(pg_catalog.||) '; table truncated' END"
					 " WHERE tbl OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
					 " AND status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])",
					 job_nspname(job));
	args[0] = ObjectIdGetDatum(job->relid);
	rc = SPI_execute_with_args(sql.data, 1, types, args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	detail = psprintf("table truncated: " UINT64_FORMAT " unsent letters withdrawn", SPI_processed);
	log_event(job, "truncate", (int64) SPI_processed, detail);
}

/* Run the work for one trigger event (inside a subtransaction). */
static pg_noinline void
run_event(TrackJob *job, TrackEvent *ev)
{
	begin_job(job);
	switch (ev->mode)
	{
		case MODE_ROWS:
			track_rows(job, ev);
			break;
		case MODE_DELETE:
			track_delete(job, ev);
			break;
		case MODE_TRUNCATE:
			track_truncate(job);
			break;
		case MODE_LOG_ERROR:
			log_event(job, "error", ev->letters, ev->error);
			break;
	}
	report_problems(job);
	SPI_finish();
}

/*
 * Run one event as the extension's owner in a subtransaction; on error,
 * return the error (the subtransaction rolled back), else NULL.
 */
static ErrorData *
run_protected(TrackJob *job, TrackEvent *ev)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	Oid			save_userid;
	int			save_sec;
	LtRunAs		ra;
	ErrorData  *volatile edata = NULL;

	GetUserIdAndSecContext(&save_userid, &save_sec);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		lt_run_as_begin(&ra, schema_owner(job->nspid), false);
		run_event(job, ev);
		lt_run_as_end(&ra);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		SetUserIdAndSecContext(save_userid, save_sec);
		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_END_TRY();
	return edata;
}

static bool must_rethrow(ErrorData *edata);

/*
 * Triage the rows of an INSERT into the batch, as the extension's owner,
 * catching any error without a subtransaction: this part only computes (the
 * rules, the calendar and the functions it calls are cached: no SQL, no
 * lock, no buffer), so an error leaves nothing to roll back.  False when it
 * failed or met a problem to record (the protected path does it again).
 */
static bool
collect_quietly(TrackJob *job, TrackEvent *ev)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	TriggerData *td = ev->td;
	volatile bool ok = true;

	PG_TRY();
	{
		TupleTableSlot *slot = open_transition(td->tg_newtable, RelationGetDescr(td->tg_relation));

		resolve_letter(&job->cols, job->nspid);
		job->cal = lt_calendar_cached(job->nspid);
		job->ruleset = lt_ruleset_version();
		while (job->n < job->cap &&
			   tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
			track_row(job, slot);
		/* more rows than the batch holds: not for this path */
		if (tuplestore_gettupleslot(td->tg_newtable, true, false, slot))
			ok = false;
		ExecDropSingleTupleTableSlot(slot);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		if (must_rethrow(edata))
			PG_RE_THROW();
		FlushErrorState();
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok && job->problems == 0 && job->lost == 0;
}

/* Could run_quiet() track this event?  (Its caches warm, letter_state as it knows it.) */
static bool
quiet_possible(TrackJob *job, TrackEvent *ev)
{
	return job->direct && ev->mode == MODE_ROWS && lt_calendar_is_cached(job->nspid) &&
		lt_ruleset_is_current() && ext_fn.valid && ext_fn.nspid == job->nspid &&
		state_rel.valid && state_rel.have_indexes && state_rel.plain_indexes &&
		state_rel.builtin_checks;
}

/*
 * The tracking of an INSERT of new letters without a subtransaction, and so
 * without a transaction ID of its own: a subtransaction that writes takes
 * one, and more than 64 in a transaction overflow its snapshot's cache of
 * them, which slows down every snapshot in the cluster (a batch job that
 * inserts letters one by one in a transaction would do that).  Taken only
 * when nothing foreseeable can fail: the caches are warm (no SQL to run),
 * triage finds no problem to record, and flush_direct() finds every row
 * acceptable and every key new.  False when nothing was written: the caller
 * then runs the protected path (whose subtransaction rolls back whatever
 * fails).
 */
static bool
run_quiet(TrackJob *job, TrackEvent *ev)
{
	LtRunAs		ra;
	bool		done = false;

	job->collect_only = true;
	lt_run_as_begin(&ra, schema_owner(job->nspid), false);
	if (collect_quietly(job, ev))
	{
		done = (job->n == 0 || flush_direct(job, true));
		if (done)
			job->rows += job->n;
	}
	lt_run_as_end(&ra);
	return done;
}

/* Errors the trigger must not swallow: the user or the server asked to stop. */
static bool
must_rethrow(ErrorData *edata)
{
	return edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
		edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN ||
		edata->sqlerrcode == ERRCODE_CRASH_SHUTDOWN ||
		edata->sqlerrcode == ERRCODE_OUT_OF_MEMORY ||
		edata->elevel > ERROR;
}

PG_FUNCTION_INFO_V1(lt_track);

/*
 * track(): the statement-level trigger that watch() puts on a table.
 * Arguments: the column names of key, body, created, sent, recipient,
 * nhs_number and kind ('' when not mapped).
 */
Datum
lt_track(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TrackEvent	ev;
	TrackJob   *job;
	ErrorData  *edata;
	char	   *names[NUM_COLS + INDEX_MAX_KEYS];
	int			c;
	int64		nrows;
	Oid			nspid;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track() was not called by the trigger manager")));
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track() must be fired AFTER, FOR EACH STATEMENT")));
	/* (then the key's further columns, if it has several) */
	if (td->tg_trigger->tgnargs < NUM_COLS ||
		td->tg_trigger->tgnargs > NUM_COLS + INDEX_MAX_KEYS - 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track() needs %d arguments, not %d", NUM_COLS, td->tg_trigger->tgnargs),
				 errhint("Attach it with letters_triage.watch().")));
	if ((TRIGGER_FIRED_BY_INSERT(td->tg_event) && td->tg_newtable == NULL) ||
		(TRIGGER_FIRED_BY_UPDATE(td->tg_event) && td->tg_newtable == NULL) ||
		(TRIGGER_FIRED_BY_DELETE(td->tg_event) && td->tg_oldtable == NULL))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("track() needs the statement's transition tables"),
				 errhint("Attach it with letters_triage.watch().")));

	for (c = 0; c < td->tg_trigger->tgnargs; c++)
		names[c] = td->tg_trigger->tgargs[c];
	names[c] = NULL;
	ev.td = td;
	ev.error = NULL;
	ev.letters = 0;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		ev.mode = MODE_ROWS;
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ev.mode = MODE_DELETE;
	else
		ev.mode = MODE_TRUNCATE;

	job = palloc(sizeof(TrackJob));
	nrows = (ev.mode == MODE_ROWS) ? tuplestore_tuple_count(td->tg_newtable) : 1;
	nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	/* (a partition's letters are its watched table's) */
	init_job(job, lt_partition_root(RelationGetRelid(td->tg_relation), nspid), nspid,
			 names, RelationGetDescr(td->tg_relation), nrows);
	job->direct = (ev.mode == MODE_ROWS && TRIGGER_FIRED_BY_INSERT(td->tg_event));
	if (quiet_possible(job, &ev))
	{
		if (run_quiet(job, &ev))
		{
			MemoryContextDelete(job->batchcxt);
			PG_RETURN_POINTER(NULL);
		}
		/* nothing written: the protected path, from the start */
		MemoryContextDelete(job->batchcxt);
		init_job(job, job->relid, job->nspid, names, RelationGetDescr(td->tg_relation), nrows);
		job->direct = true;
	}
	edata = run_protected(job, &ev);
	if (edata != NULL && job->direct && edata->sqlerrcode == ERRCODE_UNIQUE_VIOLATION)
	{
		/* a state row for one of the keys appeared meanwhile: use the upsert */
		MemoryContextDelete(job->batchcxt);
		init_job(job, job->relid, job->nspid, names, RelationGetDescr(td->tg_relation), nrows);
		edata = run_protected(job, &ev);
	}
	if (edata != NULL)
	{
		char	   *msg;

		if (must_rethrow(edata))
			ReThrowError(edata);
		ereport(track_elevel(),
				(errhidestmt(true), errhidecontext(true),
				 errmsg("letters_triage could not track a change to table %s",
						rel_display(job->relid)),
				 errdetail("%s", edata->message),
				 errhint("The letters are recorded for review; letters_triage.retriage() triages them again.")));

		/* second attempt: record the letters untriaged, or at least the error */
		msg = psprintf("tracking failed: %s", edata->message);
		MemoryContextDelete(job->batchcxt);
		init_job(job, job->relid, job->nspid, names, RelationGetDescr(td->tg_relation), nrows);
		if (ev.mode == MODE_ROWS)
		{
			job->triage = false;
			job->fallback_reason = msg;
		}
		else
		{
			ev.mode = MODE_LOG_ERROR;
			ev.error = msg;
		}
		edata = run_protected(job, &ev);
		if (edata != NULL && ev.mode == MODE_ROWS)
		{
			/* third attempt: at least record the error */
			if (must_rethrow(edata))
				ReThrowError(edata);
			msg = psprintf("letters not recorded: %s", edata->message);
			ereport(track_elevel(),
					(errhidestmt(true), errhidecontext(true),
					 errmsg("letters_triage could not record letters of table %s",
							rel_display(job->relid)),
					 errdetail("%s", edata->message)));
			MemoryContextDelete(job->batchcxt);
			init_job(job, job->relid, job->nspid, names, RelationGetDescr(td->tg_relation), nrows);
			ev.mode = MODE_LOG_ERROR;
			ev.error = msg;
			ev.letters = nrows;
			edata = run_protected(job, &ev);
		}
		if (edata != NULL)
		{
			if (must_rethrow(edata))
				ReThrowError(edata);
			ereport(track_elevel(),
					(errhidestmt(true), errhidecontext(true),
					 errmsg("letters_triage could not record an error for table %s",
							rel_display(job->relid)),
					 errdetail("%s", edata->message)));
		}
	}
	MemoryContextDelete(job->batchcxt);
	PG_RETURN_POINTER(NULL);
}

/*
 * The watched tables (only one when !all) and their mappings, in outer;
 * returns how many.  Runs SQL: the caller is connected to SPI.
 */
static uint64
watched_tables(const char *nsp, bool all, Oid only, MemoryContext outer, Oid **relids, char ****maps)
{
	StringInfoData sql;
	Datum		args[1];
	Oid			types[1] = {OIDOID};
	int			rc;
	uint64		ntables,
				t;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT tbl::pg_catalog.oid, key_column, body, created, sent, recipient, nhs_number, kind,"
					 " key_columns[2:]"
					 " FROM %s.watched WHERE $1 IS NULL OR tbl OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
					 " ORDER BY tbl::pg_catalog.oid", nsp);
	args[0] = ObjectIdGetDatum(only);
	rc = SPI_execute_with_args(sql.data, 1, types, args, all ? "n" : NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	ntables = SPI_processed;
	if (!all && ntables == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table %s is not watched", rel_display(only)),
				 errhint("Watch it with letters_triage.watch().")));
	*relids = MemoryContextAlloc(outer, sizeof(Oid) * (ntables + 1));
	*maps = MemoryContextAlloc(outer, sizeof(char **) * (ntables + 1));
	for (t = 0; t < ntables; t++)
	{
		bool		isnull;
		int			c;
		Datum		more;

		(*relids)[t] = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, 1, &isnull));
		(*maps)[t] = MemoryContextAllocZero(outer, sizeof(char *) * (NUM_COLS + INDEX_MAX_KEYS));
		for (c = 0; c < NUM_COLS; c++)
		{
			char	   *v = SPI_getvalue(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, c + 2);

			(*maps)[t][c] = v ? MemoryContextStrdup(outer, v) : NULL;
		}
		more = SPI_getbinval(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, NUM_COLS + 2, &isnull);
		lt_key_more_columns(more, isnull, (*maps)[t] + NUM_COLS, INDEX_MAX_KEYS - 1, outer);
	}
	return ntables;
}

/*
 * Open a cursor over the rows of watched table relid, for retriage() and
 * reconcile(); NULL (with a WARNING) when it cannot be read.  Called as the
 * extension's owner; *relowner is who the rows must be fetched as.  Each step
 * of the read (open, every fetch, close) runs in lt_run_as_begin() ...
 * lt_run_as_end(), so that nothing the owner's code does to the session's
 * settings outlives it, not even into the writes that follow.
 */
static Portal
open_watched(Oid relid, Oid *relowner)
{
	LtRunAs		as_owner;
	StringInfoData sql;
	SPIPlanPtr	plan;
	Portal		portal;
	char	   *relname;
	char		relkind;
	HeapTuple	reltup;

	reltup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(reltup))
	{
		ereport(WARNING,
				(errmsg("watched table with OID %u no longer exists", relid),
				 errhint("Remove it with letters_triage.unwatch().")));
		return NULL;
	}
	*relowner = ((Form_pg_class) GETSTRUCT(reltup))->relowner;
	relkind = ((Form_pg_class) GETSTRUCT(reltup))->relkind;
	ReleaseSysCache(reltup);
	relname = rel_display(relid);

	/*
	 * Security: only ever read a plain or partitioned table (on PostgreSQL
	 * 15 its owner can turn an empty table into a view), and read it as its
	 * owner, never as the extension's owner: reading can run code the
	 * table's owner chose (a view's functions, row security policies,
	 * foreign partitions), which must not run with the rights of a
	 * superuser.  The letters are then written as the extension's owner.
	 */
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
	{
		ereport(WARNING,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("watched relation %s is no longer a table: not read", relname),
				 errhint("Remove it with letters_triage.unwatch().")));
		return NULL;
	}
	if (pg_class_aclcheck(relid, *relowner, ACL_SELECT) != ACLCHECK_OK)
	{
		ereport(WARNING,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the owner of watched table %s may not read it: not read", relname)));
		return NULL;
	}

	/*
	 * Concurrency: letters written by other sessions after our snapshot
	 * would have their (newer) state overwritten with what we read.  So
	 * writers to the table wait until this transaction ends (SHARE lock),
	 * and the rows are read with a snapshot taken after the lock (the
	 * cursor is not read-only, so SPI takes a new snapshot).
	 */
	LockRelationOid(relid, ShareLock);

	/*
	 * The table itself, not its inheritance children (their rows are not its
	 * letters: its triggers never see their changes); but a partitioned
	 * table's rows are all in its partitions.
	 */
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT * FROM %s%s", relkind == RELKIND_RELATION ? "ONLY " : "", relname);
	lt_run_as_begin(&as_owner, *relowner, true);
	plan = SPI_prepare(sql.data, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, false);
	lt_run_as_end(&as_owner);
	return portal;
}

/* The next rows of a watched table's cursor (fetched as its owner); 0 at the end. */
static uint64
fetch_watched(Portal portal, Oid relowner)
{
	LtRunAs		as_owner;

	lt_run_as_begin(&as_owner, relowner, true);
	SPI_cursor_fetch(portal, true, 1000);
	lt_run_as_end(&as_owner);
	CHECK_FOR_INTERRUPTS();
	return SPI_processed;
}

/* Close a watched table's cursor, as its owner (closing can run its code too). */
static void
close_watched(Portal portal, Oid relowner)
{
	LtRunAs		as_owner;

	lt_run_as_begin(&as_owner, relowner, true);
	SPI_cursor_close(portal);
	lt_run_as_end(&as_owner);
}

PG_FUNCTION_INFO_V1(lt_retriage);

/*
 * retriage(tbl): triage again every row of a watched table (every watched
 * table when tbl is NULL) and recompute its deadline; returns the number of
 * letters recorded.  Used by watch() for the backfill.
 */
Datum
lt_retriage(PG_FUNCTION_ARGS)
{
	Oid			nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	bool		all = PG_ARGISNULL(0);
	Oid			only = all ? InvalidOid : PG_GETARG_OID(0);
	Oid			part = only;
	char	   *nsp = pstrdup(quote_identifier(get_namespace_name(nspid)));
	LtRunAs		as_ext;
	uint64		ntables,
				t;
	Oid		   *relids;
	char	 ***maps;
	int64		total = 0;
	MemoryContext outer = CurrentMemoryContext;

	lt_run_as_begin(&as_ext, schema_owner(nspid), true);
	/* a partition of a watched table: its rows, as that table's letters */
	if (!all)
		only = lt_partition_root(only, nspid);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ntables = watched_tables(nsp, all, only, outer, &relids, &maps);

	for (t = 0; t < ntables; t++)
	{
		TrackJob   *job;
		Portal		portal;
		TupleTableSlot *slot;
		Oid			relowner;
		uint64		n;

		portal = open_watched(part != only ? part : relids[t], &relowner);
		if (portal == NULL)
			continue;
		job = MemoryContextAlloc(outer, sizeof(TrackJob));
		init_job(job, relids[t], nspid, maps[t], portal->tupDesc, TRACK_BATCH);
		/*
		 * (a partition is read under a lock that keeps its rows as they are,
		 * an attached one's rows with letters withdrawn when it was detached:
		 * what is read is true, as in the trigger)
		 */
		job->retriage = (part == only);
		job->sql_path = true;	/* lt_run_as_begin() set it */
		resolve_letter(&job->cols, nspid);
		prepare_plans(job);
		job->cal = lt_calendar_cached(nspid);
		job->ruleset = lt_ruleset_version();
		slot = MakeSingleTupleTableSlot(CreateTupleDescCopy(portal->tupDesc), &TTSOpsHeapTuple);
		while ((n = fetch_watched(portal, relowner)) > 0)
		{
			SPITupleTable *tt = SPI_tuptable;

			for (uint64 i = 0; i < n; i++)
			{
				ExecStoreHeapTuple(tt->vals[i], slot, false);
				track_row(job, slot);
			}
			ExecClearTuple(slot);
			SPI_freetuptable(tt);
		}
		SPI_freetuptable(SPI_tuptable);
		flush(job);
		close_watched(portal, relowner);
		report_problems(job);
		total += job->rows;
		ExecDropSingleTupleTableSlot(slot);
		MemoryContextDelete(job->batchcxt);
	}

	SPI_finish();
	lt_run_as_end(&as_ext);
	PG_RETURN_INT64(total);
}

/*
 * reconcile(): the unsent (waiting or overdue) letters of watched table
 * relid, as a set of keys in the current memory context.
 */
static LtKeySet *
unsent_keys(const char *nsp, Oid relid)
{
	StringInfoData sql;
	Datum		args[1];
	Oid			types[1] = {OIDOID};
	int			rc;
	LtKeySet   *set = lt_keyset_create("letters_triage unsent keys");
	MemoryContext cxt = CurrentMemoryContext;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT key FROM %s.letter_state WHERE tbl OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
					 " AND status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])", nsp);
	args[0] = ObjectIdGetDatum(relid);
	rc = SPI_execute_with_args(sql.data, 1, types, args, NULL, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *k = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

		lt_keyset_add(set, MemoryContextStrdup(cxt, k));
	}
	SPI_freetuptable(SPI_tuptable);
	return set;
}

/*
 * reconcile(): withdraw the given unsent letters of table relid, logging
 * it, and add (tbl, key, previous status, urgency, due) of each to rsinfo's
 * result.
 */
static void
withdraw_missing(TrackJob *job, Datum *keys, int n, ReturnSetInfo *rsinfo)
{
	StringInfoData sql;
	Datum		args[2];
	Oid			types[2] = {OIDOID, TEXTARRAYOID};
	int			rc;
	char	   *detail;

	initStringInfo(&sql);
	/* (the join gives the status before the update) */
	appendStringInfo(&sql,
					 "UPDATE %s.letter_state s SET status = 'withdrawn',"
					 " withdrawn = pg_catalog.statement_timestamp(),"
					 " reason = CASE WHEN s.reason IS NULL THEN 'not in the table (reconcile)'"
					 "  ELSE s.reason OPERATOR(pg_catalog.||) '; not in the table (reconcile)' END"
					 " FROM pg_catalog.unnest($2) AS k(key), %s.letter_state o"
					 " WHERE o.tbl OPERATOR(pg_catalog.=) s.tbl AND o.key OPERATOR(pg_catalog.=) s.key"
					 " AND s.tbl OPERATOR(pg_catalog.=) $1::pg_catalog.regclass"
					 " AND s.key OPERATOR(pg_catalog.=) k.key"
					 " AND s.status OPERATOR(pg_catalog.=) ANY ('{waiting,overdue}'::pg_catalog.text[])"
					 " RETURNING s.tbl, s.key, o.status, s.urgency, s.due",
					 job_nspname(job), job_nspname(job));
	args[0] = ObjectIdGetDatum(job->relid);
	args[1] = text_array(keys, NULL, n);
	rc = SPI_execute_with_args(sql.data, 2, types, args, NULL, false, 0);
	if (rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	job->nsample = 0;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		Datum		values[5];
		bool		nulls[5];

		heap_deform_tuple(tup, SPI_tuptable->tupdesc, values, nulls);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if (job->nsample < TRACK_SAMPLE_KEYS)
			job->sample[job->nsample++] = SPI_getvalue(tup, SPI_tuptable->tupdesc, 2);
	}
	if (SPI_processed == 0)
		return;
	detail = psprintf(UINT64_FORMAT " unsent %s no longer in the table: withdrawn by reconcile()",
					  SPI_processed, SPI_processed == 1 ? "letter" : "letters");
	log_event(job, "reconcile", (int64) SPI_processed, detail);
}

PG_FUNCTION_INFO_V1(lt_reconcile);

/*
 * reconcile(tbl): withdraw every unsent letter of a watched table (of every
 * watched table when tbl is NULL) whose key is no longer in the table (rows
 * removed unseen: a partition detached, triggers disabled, a restore), and
 * return each letter withdrawn.
 */
Datum
lt_reconcile(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	bool		all = PG_ARGISNULL(0);
	Oid			only = all ? InvalidOid : PG_GETARG_OID(0);
	char	   *nsp = pstrdup(quote_identifier(get_namespace_name(nspid)));
	LtRunAs		as_ext;
	uint64		ntables;
	Oid		   *relids;
	char	 ***maps;
	MemoryContext outer = CurrentMemoryContext;

	InitMaterializedSRF(fcinfo, 0);
	lt_run_as_begin(&as_ext, schema_owner(nspid), true);

	/*
	 * A row its owner's row security hides is still a letter: reading
	 * without the policies (an error where they would apply) keeps
	 * reconcile() from withdrawing the letters of rows it cannot see.
	 */
	(void) set_config_option("row_security", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ntables = watched_tables(nsp, all, only, outer, &relids, &maps);

	for (uint64 t = 0; t < ntables; t++)
	{
		TrackJob   *job;
		Portal		portal;
		TupleTableSlot *slot;
		Oid			relowner;
		uint64		n;
		LtKeySet   *unsent;
		Datum	   *missing;
		int			nmissing;

		portal = open_watched(relids[t], &relowner);
		if (portal == NULL)
			continue;
		job = MemoryContextAlloc(outer, sizeof(TrackJob));
		init_job(job, relids[t], nspid, maps[t], portal->tupDesc, 1);
		job->sql_path = true;	/* lt_run_as_begin() set it */
		/* (read after the lock: no writer can change the table meanwhile) */
		unsent = unsent_keys(nsp, relids[t]);
		slot = MakeSingleTupleTableSlot(CreateTupleDescCopy(portal->tupDesc), &TTSOpsHeapTuple);
		while ((n = fetch_watched(portal, relowner)) > 0)
		{
			SPITupleTable *tt = SPI_tuptable;

			for (uint64 i = 0; i < n; i++)
			{
				char	   *k;

				ExecStoreHeapTuple(tt->vals[i], slot, false);
				k = row_key(job, slot);
				if (k != NULL)
				{
					lt_keyset_mark(unsent, k);
					pfree(k);
				}
			}
			ExecClearTuple(slot);
			SPI_freetuptable(tt);
		}
		SPI_freetuptable(SPI_tuptable);
		close_watched(portal, relowner);
		ExecDropSingleTupleTableSlot(slot);

		if (job->cols.attno[COL_KEY] == 0)
			ereport(WARNING,
					(errmsg("watched table %s has no key column \"%s\": not reconciled",
							rel_display(relids[t]), job->cols.name[COL_KEY]),
					 errhint("Correct the mapping with letters_triage.watch().")));
		else if ((nmissing = lt_keyset_unseen(unsent, &missing)) > 0)
		{
			for (int i = 0; i < nmissing; i += TRACK_BATCH)
				withdraw_missing(job, missing + i, Min(TRACK_BATCH, nmissing - i), rsinfo);
		}
		hash_destroy((HTAB *) unsent);
		MemoryContextDelete(job->batchcxt);
	}

	SPI_finish();
	lt_run_as_end(&as_ext);
	return (Datum) 0;
}
