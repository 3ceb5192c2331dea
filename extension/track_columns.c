/*
 * track_columns.c — the column mapping of a watched table: the columns that
 * watch() named in the trigger's arguments, found in the rows' descriptor,
 * and read from a row as the key, text, times and the parts of a
 * letters_triage.letter.  Problems with the mapping that concern every row
 * (a column renamed or of the wrong type) are recorded, never raised: the
 * letters are still tracked, for review.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_index.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "cache.h"
#include "track_internal.h"

/* The roles of the mapped columns, for the problems recorded about them. */
static const char *const col_role[NUM_COLS] = {
	"key", "body", "created", "sent", "recipient", "nhs_number", "kind"
};

/* The extension's accessor of each part of a letter. */
static const char *const part_fn[NUM_LETTER_PARTS] = {
	"body", "kind", "subject", "recipient", "dated"
};

/* Is this column's type read directly as text (text, varchar, char)? */
bool
lt_cols_is_text_type(Oid type)
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
void
lt_cols_resolve(TrackCols *cols, TupleDesc desc)
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
static LtCache ext_fn_cache = LT_CACHE_INIT("tracking's functions");
static struct
{
	Oid			nspid;
	Oid			nhs_valid;		/* nhs_number_valid(text) */
	Oid			letter_type;	/* letters_triage.letter */
	Oid			part[NUM_LETTER_PARTS]; /* body(letter), kind(letter), ... */
	/* their FmgrInfos (fmgr_info() reads pg_proc), in the cache's context */
	bool		have_nhs_fn;
	bool		have_part_fn;
	FmgrInfo	nhs_valid_fn;
	FmgrInfo	part_fn[NUM_LETTER_PARTS];
}			ext_fn;

/* Are the extension's functions in schema nspid known (no look-up to do)? */
bool
lt_cols_functions_cached(Oid nspid)
{
	return lt_cache_valid(&ext_fn_cache) && ext_fn.nspid == nspid;
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
	MemoryContext cxt;

	if (lt_cols_functions_cached(nspid))
		return;
	memset(&ext_fn, 0, sizeof(ext_fn));
	cxt = lt_cache_begin(&ext_fn_cache);
	lt_cache_watch_syscache(&ext_fn_cache, PROCOID);
	lt_cache_watch_syscache(&ext_fn_cache, TYPEOID);
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
	if (OidIsValid(ext_fn.nhs_valid))
	{
		fmgr_info_cxt(ext_fn.nhs_valid, &ext_fn.nhs_valid_fn, cxt);
		ext_fn.have_nhs_fn = true;
	}
	for (p = 0; p < NUM_LETTER_PARTS && found; p++)
		fmgr_info_cxt(ext_fn.part[p], &ext_fn.part_fn[p], cxt);
	ext_fn.have_part_fn = found;
	if (!found)
		lt_cache_invalidate(&ext_fn_cache);
}

/*
 * Ready the functions a job calls: nhs_number_valid() when the NHS number is
 * mapped, and when the body column is of the extension's letter type, the
 * accessors of its parts (body, kind, subject, recipient, dated).  Run as the
 * extension's owner, inside the protected part of the job.  When
 * lt_cols_functions_cached() is true it only copies (no look-up, no lock):
 * run_quiet() relies on that.
 */
void
lt_cols_resolve_letter(TrackCols *cols, Oid nspid)
{
	int			p;

	cols->body_is_letter = false;
	cols->check_nhs = false;
	ext_functions(nspid);
	if (cols->attno[COL_NHS] != 0 && ext_fn.have_nhs_fn)
	{
		fmgr_info_copy(&cols->nhs_valid_fn, &ext_fn.nhs_valid_fn, CurrentMemoryContext);
		cols->check_nhs = true;
	}
	if (cols->attno[COL_BODY] == 0 || !ext_fn.have_part_fn ||
		cols->type[COL_BODY] != ext_fn.letter_type)
		return;
	for (p = 0; p < NUM_LETTER_PARTS; p++)
		fmgr_info_copy(&cols->letter_fn[p], &ext_fn.part_fn[p], CurrentMemoryContext);
	cols->body_is_letter = true;
}

/*
 * Is this output function one that only computes?  Others may read the
 * catalogs (enum_out, regclassout, record_out, array_out ...), which takes
 * locks and processes invalidations: run_quiet() must not call them.
 */
static bool
is_pure_output(const FmgrInfo *fn)
{
	switch (fn->fn_oid)
	{
		case F_INT2OUT:
		case F_INT4OUT:
		case F_INT8OUT:
		case F_OIDOUT:
		case F_NUMERIC_OUT:
		case F_UUID_OUT:
		case F_BPCHAROUT:
		case F_NAMEOUT:
		case F_BOOLOUT:
		case F_CHAROUT:
			return true;
	}
	return false;
}

/*
 * Does reading a row through this mapping call only output functions that
 * compute (see is_pure_output())?  Run after lt_cols_resolve_letter().
 */
bool
lt_cols_outputs_pure(const TrackCols *cols)
{
	int			c;

	for (c = 0; c < cols->key.n; c++)
		if (cols->key.attno[c] != 0 &&
			(cols->key.render[c].form == LT_KEY_OUTPUT || cols->key.render[c].form == LT_KEY_REFUSED) &&
			!is_pure_output(&cols->key.render[c].out))
			return false;
	for (c = 0; c < NUM_COLS; c++)
	{
		if (c == COL_KEY || c == COL_CREATED || c == COL_SENT || cols->attno[c] == 0 ||
			is_plain_text(cols->type[c]) || (c == COL_BODY && cols->body_is_letter))
			continue;
		if (!is_pure_output(&cols->out[c]))
			return false;
	}
	return true;
}

/*
 * Are the row's mapped values all in the row (none stored out of line in a
 * TOAST table, whose fetch would take a lock and pin buffers)?
 */
bool
lt_cols_row_inline(const TrackCols *cols, TupleTableSlot *slot)
{
	int			c;

	for (c = 0; c < NUM_COLS; c++)
	{
		bool		isnull;
		Datum		d;

		if (cols->attno[c] == 0 ||
			TupleDescAttr(slot->tts_tupleDescriptor, cols->attno[c] - 1)->attlen != -1)
			continue;
		d = slot_getattr(slot, cols->attno[c], &isnull);
		if (!isnull && VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(d)))
			return false;
	}
	return true;
}

/* Call a letter accessor; false when it returns NULL. */
bool
lt_cols_letter_part(TrackCols *cols, LetterPart p, Datum letter, Datum *result)
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
char *
lt_cols_string(TrackCols *cols, TrackColumn c, TupleTableSlot *slot)
{
	Datum		d;

	if (!column_datum(cols, c, slot, &d))
		return NULL;
	if (is_plain_text(cols->type[c]))
		return TextDatumGetCString(d);
	return OutputFunctionCall(&cols->out[c], d);
}

/* A mapped timestamp column as timestamptz; false when absent or NULL. */
bool
lt_cols_time(TrackCols *cols, TrackColumn c, TupleTableSlot *slot, TimestampTz *out)
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
char *
lt_row_key(TrackJob *job, TupleTableSlot *slot)
{
	if (job->cols.attno[COL_KEY] == 0)
		return NULL;
	return lt_key_of_slot(&job->cols.key, slot);
}

/*
 * What the unique indexes of a tracked table say of its key, per table:
 * read from the catalogs once, and again after a relcache invalidation of
 * the table (which creating, dropping or validating an index on it sends;
 * whether an index is deferrable, its columns and predicate never change),
 * rather than at every statement.
 */
typedef struct KeyIndexes
{
	Oid			relid;			/* hash key */
	bool		valid;			/* (false while it is being read) */
	bool		deferrable;		/* a unique index of the table is DEFERRABLE */
	bool		unique_known;	/* unique_now is known for the key below */
	bool		unique_now;
	int			nkey;
	AttrNumber	attno[INDEX_MAX_KEYS];
} KeyIndexes;

static LtCache key_index_cache = LT_CACHE_INIT("tracked tables' unique indexes");
static HTAB *key_indexes = NULL;

/* The entry of rel, with deferrable read. */
static KeyIndexes *
key_indexes_of(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	KeyIndexes *e;
	bool		found;
	List	   *indexes;
	ListCell   *lc;

	if (!lt_cache_valid(&key_index_cache) || key_indexes == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(KeyIndexes);
		ctl.hcxt = lt_cache_begin(&key_index_cache);
		key_indexes = hash_create("letters_triage unique indexes", 16, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	e = hash_search(key_indexes, &relid, HASH_ENTER, &found);
	if (found && e->valid)
		return e;
	e->valid = false;
	e->unique_known = false;
	/* (watched before it is read: an invalidation arriving meanwhile then counts) */
	if (!found)
		lt_cache_watch_rel(&key_index_cache, relid);
	e->deferrable = false;
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));

		if (!HeapTupleIsValid(tup))
			continue;
		if (((Form_pg_index) GETSTRUCT(tup))->indisunique &&
			!((Form_pg_index) GETSTRUCT(tup))->indimmediate)
			e->deferrable = true;
		ReleaseSysCache(tup);
	}
	list_free(indexes);
	e->valid = true;
	return e;
}

/* Is the table's key (any unique index of it) a deferrable constraint? */
bool
lt_cols_key_deferrable(Relation rel)
{
	return key_indexes_of(rel)->deferrable;
}

/* Does the unique index ix (its pg_index row tup) enforce key, at once? */
static bool
index_enforces_key(HeapTuple tup, const LtKey *key)
{
	Form_pg_index ix = (Form_pg_index) GETSTRUCT(tup);
	bool		ok;

	ok = ix->indisunique && ix->indimmediate && ix->indisvalid && ix->indnkeyatts == key->n &&
		heap_attisnull(tup, Anum_pg_index_indpred, NULL) &&
		heap_attisnull(tup, Anum_pg_index_indexprs, NULL);
	/* its key columns are the key's, in any order */
	for (int i = 0; ok && i < key->n; i++)
	{
		bool		found = false;

		for (int j = 0; j < ix->indnkeyatts && !found; j++)
			found = (ix->indkey.values[j] == key->attno[i]);
		ok = found;
	}
	return ok;
}

/*
 * Is the key of rel unique at once, by a valid unique index on its key
 * columns alone, not DEFERRABLE?  Then no other transaction can have a
 * row with this key while ours is uncommitted: its INSERT or UPDATE waits on
 * that index, so no other trigger writes the key's state row meanwhile, and
 * lt_direct_write()'s check that the key has none stays true until its
 * index insert.  With a deferred key two sessions insert the same key at
 * once, and the second's write of the state row would fail with 23505 in
 * the application's statement: such a table takes the protected path.
 * (retriage() and reconcile() write state rows only of rows their snapshot
 * sees: not of an uncommitted new row.)
 */
bool
lt_cols_key_unique_now(Relation rel, const LtKey *key)
{
	KeyIndexes *e = key_indexes_of(rel);
	List	   *indexes;
	ListCell   *lc;
	bool		ok = false;

	if (e->unique_known && e->nkey == key->n &&
		memcmp(e->attno, key->attno, sizeof(AttrNumber) * key->n) == 0)
		return e->unique_now;
	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		HeapTuple	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));

		if (!HeapTupleIsValid(tup))
			continue;
		ok = index_enforces_key(tup, key);
		ReleaseSysCache(tup);
		if (ok)
			break;
	}
	list_free(indexes);
	e->nkey = key->n;
	memcpy(e->attno, key->attno, sizeof(AttrNumber) * key->n);
	e->unique_now = ok;
	e->unique_known = true;
	return ok;
}
