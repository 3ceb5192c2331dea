/*
 * track_key.c — the key of a tracked letter as text, and sets of keys.
 *
 * letter_state names a letter by its table and its key as text.  That text
 * must be the same whichever session writes it: the output functions of
 * timestamptz, timestamp, date, time, interval, bytea and the floating-point
 * types follow TimeZone, DateStyle, IntervalStyle, bytea_output and
 * extra_float_digits, so a row inserted in one session and updated in
 * another would otherwise be two letters.  Those types are rendered here in
 * one fixed form (what their output functions print under TimeZone = UTC,
 * DateStyle = ISO, IntervalStyle = postgres, bytea_output = hex,
 * extra_float_digits = 1); the types whose output depends on no setting go
 * through their output functions; every other type is refused by watch()
 * (see key_type_accepted()).  A key of several columns (a partitioned
 * table's, which must hold the partition key) is the text of each, written
 * as a record (see lt_key_compose()).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "track_key.h"

/* How a key type is rendered; KEY_REFUSED: not at all. */
static LtKeyForm
key_form(Oid type)
{
	Oid			base = getBaseType(type);

	switch (base)
	{
		case TEXTOID:
		case VARCHAROID:
			return LT_KEY_TEXT;
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case NUMERICOID:
		case OIDOID:
		case BOOLOID:
		case CHAROID:
		case NAMEOID:
		case BPCHAROID:
		case UUIDOID:
		case INETOID:
		case CIDROID:
		case MACADDROID:
		case MACADDR8OID:
			return LT_KEY_OUTPUT;
		case TIMESTAMPTZOID:
			return LT_KEY_TIMESTAMPTZ;
		case TIMESTAMPOID:
			return LT_KEY_TIMESTAMP;
		case DATEOID:
			return LT_KEY_DATE;
		case TIMEOID:
			return LT_KEY_TIME;
		case TIMETZOID:
			return LT_KEY_TIMETZ;
		case INTERVALOID:
			return LT_KEY_INTERVAL;
		case BYTEAOID:
			return LT_KEY_BYTEA;
		case FLOAT4OID:
			return LT_KEY_FLOAT4;
		case FLOAT8OID:
			return LT_KEY_FLOAT8;
		default:
			/* an enum's text is its label, whatever the session */
			return type_is_enum(base) ? LT_KEY_OUTPUT : LT_KEY_REFUSED;
	}
}

/* Set up the rendering of keys of this type. */
void
lt_key_render_init(LtKeyRender *r, Oid type)
{
	r->form = key_form(type);
	if (r->form != LT_KEY_TEXT)
	{
		Oid			outfn;
		bool		varlena;

		/* (refused types too: a column changed after watch() still has a key) */
		getTypeOutputInfo(type, &outfn, &varlena);
		fmgr_info(outfn, &r->out);
	}
}

/* A timestamp (UTC for timestamptz) in ISO form, e.g. 2026-11-24 10:00:00+00. */
static char *
render_timestamp(Timestamp ts, bool with_zone)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		buf[MAXDATELEN + 1];

	if (TIMESTAMP_NOT_FINITE(ts))
		EncodeSpecialTimestamp(ts, buf);
	else if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	else
	{
		tm.tm_isdst = 0;		/* (else the zone is not printed) */
		EncodeDateTime(&tm, fsec, with_zone, 0, NULL, USE_ISO_DATES, buf);
	}
	return pstrdup(buf);
}

static char *
render_date(DateADT d)
{
	struct pg_tm tm;
	char		buf[MAXDATELEN + 1];

	if (DATE_NOT_FINITE(d))
		EncodeSpecialDate(d, buf);
	else
	{
		j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
		EncodeDateOnly(&tm, USE_ISO_DATES, buf);
	}
	return pstrdup(buf);
}

static char *
render_time(Datum d, bool with_zone)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz = 0;
	char		buf[MAXDATELEN + 1];

	if (with_zone)
		timetz2tm(DatumGetTimeTzADTP(d), &tm, &fsec, &tz);
	else
		time2tm(DatumGetTimeADT(d), &tm, &fsec);
	EncodeTimeOnly(&tm, fsec, with_zone, tz, USE_ISO_DATES, buf);
	return pstrdup(buf);
}

static char *
render_interval(LtKeyRender *r, Datum d)
{
	struct pg_itm itm;
	char		buf[MAXDATELEN + 1];
	Interval   *iv = DatumGetIntervalP(d);

#ifdef INTERVAL_NOT_FINITE
	/* (PostgreSQL 17's infinite intervals print the same in every style) */
	if (INTERVAL_NOT_FINITE(iv))
		return OutputFunctionCall(&r->out, d);
#else
	(void) r;
#endif
	interval2itm(*iv, &itm);
	EncodeInterval(&itm, INTSTYLE_POSTGRES, buf);
	return pstrdup(buf);
}

static char *
render_bytea(Datum d)
{
	bytea	   *b = DatumGetByteaPP(d);
	size_t		len = VARSIZE_ANY_EXHDR(b);
	char	   *s = palloc(len * 2 + 3);
	uint64		n;

	s[0] = '\\';
	s[1] = 'x';
	n = hex_encode(VARDATA_ANY(b), len, s + 2);
	s[2 + n] = '\0';
	return s;
}

/* The shortest text that reads back as the same number (extra_float_digits > 0). */
static char *
render_float(double v, bool single)
{
	char	   *s = palloc(32);

	if (isnan(v))
		strcpy(s, "NaN");
	else if (isinf(v))
		strcpy(s, v > 0 ? "Infinity" : "-Infinity");
	else if (single)
		float_to_shortest_decimal_buf((float) v, s);
	else
		double_to_shortest_decimal_buf(v, s);
	return s;
}

/* The key d as text, the same in every session. */
char *
lt_key_render(LtKeyRender *r, Datum d)
{
	switch (r->form)
	{
		case LT_KEY_TEXT:
			return TextDatumGetCString(d);
		case LT_KEY_TIMESTAMPTZ:
			return render_timestamp(DatumGetTimestampTz(d), true);
		case LT_KEY_TIMESTAMP:
			return render_timestamp(DatumGetTimestamp(d), false);
		case LT_KEY_DATE:
			return render_date(DatumGetDateADT(d));
		case LT_KEY_TIME:
			return render_time(d, false);
		case LT_KEY_TIMETZ:
			return render_time(d, true);
		case LT_KEY_INTERVAL:
			return render_interval(r, d);
		case LT_KEY_BYTEA:
			return render_bytea(d);
		case LT_KEY_FLOAT4:
			return render_float(DatumGetFloat4(d), true);
		case LT_KEY_FLOAT8:
			return render_float(DatumGetFloat8(d), false);
		case LT_KEY_OUTPUT:
		case LT_KEY_REFUSED:
			break;
	}
	return OutputFunctionCall(&r->out, d);
}

/*
 * Find the key columns in desc (their names set in key->name[0 .. n-1]) and
 * ready their renderings; returns the name of the first one not found, or
 * NULL when all are there.
 */
const char *
lt_key_resolve(LtKey *key, TupleDesc desc)
{
	const char *missing = NULL;

	for (int k = 0; k < key->n; k++)
	{
		key->attno[k] = 0;
		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), key->name[k]) == 0)
			{
				key->attno[k] = i + 1;
				lt_key_render_init(&key->render[k], att->atttypid);
				break;
			}
		}
		if (key->attno[k] == 0 && missing == NULL)
			missing = key->name[k];
	}
	return missing;
}

/*
 * The text of a key of several columns, from the text of each: written as
 * PostgreSQL writes a record, "(1,"2026-11-24 10:00:00+00")", each part in
 * double quotes when it is empty or holds a quote, a backslash, a
 * parenthesis, a comma or white space, with quotes and backslashes doubled.
 * So no two keys share a text however their parts are cut (("1|a",b) and
 * (1,"a|b") cannot meet), and the text reads back with a cast to a composite
 * type of the key's columns.  A key of one column is its part unchanged.
 * (Only ASCII white space is quoted, whatever the locale: a quoted part reads
 * back the same as an unquoted one.)
 */
char *
lt_key_compose(char **parts, int n)
{
	StringInfoData buf;

	if (n == 1)
		return parts[0];
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (int k = 0; k < n; k++)
	{
		const char *p = parts[k];
		bool		quote = (*p == '\0');

		if (k > 0)
			appendStringInfoChar(&buf, ',');
		for (const char *c = p; *c && !quote; c++)
			quote = (*c == '"' || *c == '\\' || *c == '(' || *c == ')' || *c == ',' ||
					 *c == ' ' || (*c >= '\t' && *c <= '\r'));
		if (quote)
			appendStringInfoChar(&buf, '"');
		for (const char *c = p; *c; c++)
		{
			if (*c == '"' || *c == '\\')
				appendStringInfoChar(&buf, *c);
			appendStringInfoChar(&buf, *c);
		}
		if (quote)
			appendStringInfoChar(&buf, '"');
		CHECK_FOR_INTERRUPTS();
	}
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

/* The key of the row in slot as text; NULL when a key column is missing or NULL. */
char *
lt_key_of_slot(LtKey *key, TupleTableSlot *slot)
{
	char	   *parts[INDEX_MAX_KEYS];

	for (int k = 0; k < key->n; k++)
	{
		bool		isnull;
		Datum		d;

		if (key->attno[k] == 0)
			return NULL;
		d = slot_getattr(slot, key->attno[k], &isnull);
		if (isnull)
			return NULL;
		parts[k] = lt_key_render(&key->render[k], d);
	}
	return key->n > 0 ? lt_key_compose(parts, key->n) : NULL;
}

/*
 * The elements of a name[] (the further key columns of a mapping) as C
 * strings in cxt, into out[0 .. max - 1] followed by a NULL when there is
 * room; isnull: no array (the key has one column).
 */
void
lt_key_more_columns(Datum names, bool isnull, char **out, int max, MemoryContext cxt)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				k = 0;

	if (!isnull)
	{
		deconstruct_array(DatumGetArrayTypeP(names), NAMEOID, NAMEDATALEN, false,
						  TYPALIGN_CHAR, &elems, &nulls, &n);
		for (int i = 0; i < n && k < max; i++)
			if (!nulls[i])
				out[k++] = MemoryContextStrdup(cxt, NameStr(*DatumGetName(elems[i])));
	}
	if (k < max)
		out[k] = NULL;
}

PG_FUNCTION_INFO_V1(lt_key_type_accepted);

/*
 * key_type_accepted(regtype): can a key column of this type be tracked
 * (does its text not depend on the session's settings)?
 */
Datum
lt_key_type_accepted(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(key_form(PG_GETARG_OID(0)) != LT_KEY_REFUSED);
}

/*
 * Sets of keys: a hash table of C strings of any length (dynahash's string
 * keys have a fixed maximum length, so the entries hold pointers, hashed and
 * compared by the strings they point to).
 */
typedef struct KeyEntry
{
	const char *key;			/* the hash key: a pointer */
	bool		seen;
} KeyEntry;

/* Hash and match functions of a dynahash keyed by a pointer to a key's text. */
uint32
lt_key_hash(const void *key, Size keysize)
{
	const char *s = *(const char *const *) key;

	(void) keysize;
	return hash_bytes((const unsigned char *) s, (int) strlen(s));
}

int
lt_key_match(const void *a, const void *b, Size keysize)
{
	(void) keysize;
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* An empty set of keys, in the current memory context. */
LtKeySet *
lt_keyset_create(const char *name)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(const char *);
	ctl.entrysize = sizeof(KeyEntry);
	ctl.hash = lt_key_hash;
	ctl.match = lt_key_match;
	ctl.hcxt = CurrentMemoryContext;
	return (LtKeySet *) hash_create(name, 256, &ctl,
									HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/* Add key (kept by pointer: it must live as long as the set). */
void
lt_keyset_add(LtKeySet *set, const char *key)
{
	bool		found;
	KeyEntry   *e = hash_search((HTAB *) set, &key, HASH_ENTER, &found);

	if (!found)
		e->seen = false;
}

/* Is key in the set? */
bool
lt_keyset_contains(LtKeySet *set, const char *key)
{
	return hash_search((HTAB *) set, &key, HASH_FIND, NULL) != NULL;
}

/* Mark key seen when it is in the set; false when it is not. */
bool
lt_keyset_mark(LtKeySet *set, const char *key)
{
	KeyEntry   *e = hash_search((HTAB *) set, &key, HASH_FIND, NULL);

	if (e == NULL)
		return false;
	e->seen = true;
	return true;
}

/* The keys of the set not marked seen, as text Datums; returns how many. */
int
lt_keyset_unseen(LtKeySet *set, Datum **keys)
{
	HASH_SEQ_STATUS seq;
	KeyEntry   *e;
	long		total = hash_get_num_entries((HTAB *) set);
	int			n = 0;

	*keys = palloc(sizeof(Datum) * Max(total, 1));
	hash_seq_init(&seq, (HTAB *) set);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		if (!e->seen)
			(*keys)[n++] = CStringGetTextDatum(e->key);
	}
	return n;
}
