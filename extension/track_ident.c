/*
 * track_ident.c — the identity of a watched table as the tracking triggers
 * know it.  A table's identity is the id of its mapping in watched; its
 * tracking triggers carry that id as their first argument, and the mapping
 * records the table's schema-qualified name.  A trigger writes state for its
 * id only while the mapping is in force and its name finds the table the
 * trigger fired on: a trigger restored into another database (whose ids
 * name other tables), or copied onto another table, records nothing, and
 * tracking_status reports it.
 *
 * The mappings are cached per backend (name resolved to an OID at load), so
 * that the check costs no catalog look-up per statement.  The cache is read
 * from watched without SQL, and is reloaded after a change to watched (its
 * statement trigger mappings_changed), to a bound table (renamed, dropped)
 * or to any schema (renamed).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "cache.h"
#include "track_internal.h"

typedef struct IdentEntry
{
	int32		id;
	Oid			relid;			/* the table its name finds; InvalidOid: none */
} IdentEntry;

static LtCache ident_cache = LT_CACHE_INIT("watched tables");
static Oid	ident_nspid = InvalidOid;
static int	ident_n = 0;
static IdentEntry *ident = NULL;

/*
 * The identity a tracking trigger carries (its first argument, digits
 * only), or -1 when it carries none.
 */
int32
lt_ident_arg(const Trigger *tg)
{
	const char *a;
	int64		v = 0;

	if (tg->tgnargs < 1)
		return -1;
	a = tg->tgargs[0];
	if (*a == '\0' || strlen(a) > 9)
		return -1;
	for (; *a; a++)
	{
		if (*a < '0' || *a > '9')
			return -1;
		v = v * 10 + (*a - '0');
	}
	return (int32) v;
}

/*
 * Split a part of a name written as format('%I') does: quoted with doubled
 * quotes, or bare.  Returns the position after it, or NULL when malformed.
 */
static const char *
name_part(const char *s, StringInfo out)
{
	if (*s == '"')
	{
		for (s++;; s++)
		{
			if (*s == '\0')
				return NULL;
			if (*s == '"')
			{
				if (s[1] != '"')
					return s + 1;
				s++;
			}
			appendStringInfoChar(out, *s);
		}
	}
	while (*s != '\0' && *s != '.')
		appendStringInfoChar(out, *s++);
	return out->len > 0 ? s : NULL;
}

/*
 * The table a recorded name finds (InvalidOid: none), without raising an
 * error whatever the text (a DBA may have edited it).
 */
static Oid
name_relid(const char *name)
{
	StringInfoData nsp,
				rel;
	const char *s;
	Oid			nspoid;

	initStringInfo(&nsp);
	initStringInfo(&rel);
	s = name_part(name, &nsp);
	if (s == NULL || *s != '.')
		return InvalidOid;
	s = name_part(s + 1, &rel);
	if (s == NULL || *s != '\0' || nsp.len >= NAMEDATALEN || rel.len >= NAMEDATALEN)
		return InvalidOid;
	nspoid = get_namespace_oid(nsp.data, true);
	if (!OidIsValid(nspoid))
		return InvalidOid;
	return get_relname_relid(rel.data, nspoid);
}

/* Read the mappings in force of the extension in schema nspid into the cache. */
static void
ident_load(Oid nspid)
{
	MemoryContext cxt = lt_cache_begin(&ident_cache);
	Oid			watched = get_relname_relid("watched", nspid);
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	AttrNumber	a_id,
				a_name,
				a_ended;
	int			cap = 16;

	ident_n = 0;
	ident = NULL;
	ident_nspid = nspid;
	lt_cache_watch_syscache(&ident_cache, NAMESPACEOID);
	if (!OidIsValid(watched))
	{
		lt_cache_invalidate(&ident_cache);
		return;
	}
	lt_cache_watch_rel(&ident_cache, watched);
	a_id = get_attnum(watched, "id");
	a_name = get_attnum(watched, "name");
	a_ended = get_attnum(watched, "ended");
	if (a_id == InvalidAttrNumber || a_name == InvalidAttrNumber || a_ended == InvalidAttrNumber)
	{
		lt_cache_invalidate(&ident_cache);
		return;
	}
	ident = MemoryContextAlloc(cxt, sizeof(IdentEntry) * cap);
	rel = table_open(watched, AccessShareLock);
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 0, NULL);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		d;
		char	   *name;

		(void) heap_getattr(tup, a_ended, RelationGetDescr(rel), &isnull);
		if (!isnull)
			continue;
		d = heap_getattr(tup, a_name, RelationGetDescr(rel), &isnull);
		if (isnull)
			continue;
		name = TextDatumGetCString(d);
		if (ident_n == cap)
		{
			cap *= 2;
			ident = repalloc(ident, sizeof(IdentEntry) * cap);
		}
		ident[ident_n].id = DatumGetInt32(heap_getattr(tup, a_id, RelationGetDescr(rel), &isnull));
		ident[ident_n].relid = name_relid(name);
		/* (a rename or drop of the table must be seen) */
		if (OidIsValid(ident[ident_n].relid))
			lt_cache_watch_rel(&ident_cache, ident[ident_n].relid);
		ident_n++;
		pfree(name);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
}

/*
 * May a tracking trigger that carries identity id record the changes of
 * watched table relid (the table it fired on, or the watched table above the
 * partition it fired on)?  Only when the mapping id is in force and its name
 * finds relid.
 */
bool
lt_ident_bound(Oid nspid, int32 id, Oid relid)
{
	if (id < 0)
		return false;
	if (!lt_cache_valid(&ident_cache) || ident_nspid != nspid)
		ident_load(nspid);
	for (int i = 0; i < ident_n; i++)
		if (ident[i].id == id)
			return ident[i].relid == relid;
	return false;
}

/* The identity of watched table relid (its mapping in force), or -1. */
int32
lt_ident_of(Oid nspid, Oid relid)
{
	if (!lt_cache_valid(&ident_cache) || ident_nspid != nspid)
		ident_load(nspid);
	for (int i = 0; i < ident_n; i++)
		if (ident[i].relid == relid && OidIsValid(relid))
			return ident[i].id;
	return -1;
}

PG_FUNCTION_INFO_V1(lt_mappings_changed);

/* mappings_changed(): statement trigger on watched. */
Datum
lt_mappings_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = lt_cache_trigger_data(fcinfo, "mappings_changed");

	lt_cache_changed(&ident_cache, td->tg_relation);
	PG_RETURN_POINTER(NULL);
}
