/*
 * uninstall.c — keeping the letters when the extension goes.
 *
 * Every column of type letters_triage.letter depends on the extension, so
 * DROP EXTENSION letters_triage CASCADE (or DROP SCHEMA letters_triage
 * CASCADE, or DROP OWNED BY the extension's owner CASCADE) would drop the
 * application's
 * letter columns, the clinical text itself, with only a NOTICE.  The event
 * trigger guard_drop() runs at the start of those commands, before anything
 * is dropped (the trigger and its function are members of the extension
 * too, so sql_drop is too late: they are gone by then), and refuses while
 * such columns exist, naming them and saying how to convert them back to
 * text, unless letters_triage.allow_drop_letter_columns is on.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_namespace.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "letters_triage.h"
#include "uninstall.h"

/* Columns named in the error, at most. */
#define GUARD_MAX_NAMED 20

static bool allow_drop_letter_columns = false;

/* Define the setting. */
void
lt_uninstall_init(void)
{
	DefineCustomBoolVariable("letters_triage.allow_drop_letter_columns",
							 "Lets DROP EXTENSION letters_triage CASCADE drop the columns of type letters_triage.letter, and the letters in them.",
							 "Off: the drop is refused while such columns exist; convert them to text first.",
							 &allow_drop_letter_columns,
							 false,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
}

/* Is one of the String names in list name? */
static bool
names_include(List *names, const char *name)
{
	ListCell   *lc;

	foreach(lc, names)
	{
		Node	   *n = lfirst(lc);

		if (IsA(n, String) && strcmp(strVal(n), name) == 0)
			return true;
	}
	return false;
}

/* The owner of the extension extid (InvalidOid when it is gone). */
static Oid
extension_owner(Oid extid)
{
	Relation	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			owner = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(extid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		owner = ((Form_pg_extension) GETSTRUCT(tup))->extowner;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return owner;
}

/*
 * Does DROP OWNED BY name the owner of the extension or of its schema?  It
 * then drops them, and with CASCADE every column of the letter type.
 */
static bool
drops_owner(DropOwnedStmt *stmt, Oid extid, Oid nspid)
{
	Oid			extowner = extension_owner(extid);
	Oid			nspowner = InvalidOid;
	HeapTuple	tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nspid));
	ListCell   *lc;

	if (HeapTupleIsValid(tup))
	{
		nspowner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;
		ReleaseSysCache(tup);
	}
	foreach(lc, stmt->roles)
	{
		Oid			role = get_rolespec_oid(lfirst(lc), true);

		if (OidIsValid(role) && (role == extowner || role == nspowner))
			return true;
	}
	return false;
}

/* Would this command drop the extension whose schema is nspid? */
static bool
drops_extension(Node *parsetree, Oid nspid)
{
	Oid			extid = get_extension_oid("letters_triage", true);

	if (!OidIsValid(extid))
		return false;
	if (IsA(parsetree, DropOwnedStmt))
		return drops_owner((DropOwnedStmt *) parsetree, extid, nspid);
	if (IsA(parsetree, DropStmt))
	{
		DropStmt   *stmt = (DropStmt *) parsetree;

		if (stmt->removeType == OBJECT_EXTENSION)
			return names_include(stmt->objects, "letters_triage");
		if (stmt->removeType == OBJECT_SCHEMA)
			return names_include(stmt->objects, get_namespace_name(nspid));
	}
	return false;
}

/*
 * The columns outside the extension whose type is the letter type, a domain
 * over it or an array of either (what the drop would take with it), as
 * "table.column" lines; returns how many.
 */
static uint64
letter_columns(Oid nspid, StringInfo names)
{
	StringInfoData sql;
	int			rc;
	Datum		args[1];
	Oid			types[1] = {OIDOID};
	uint64		n;

	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "WITH RECURSIVE t(oid) AS ("
						   " SELECT y.oid FROM pg_catalog.pg_type y"
						   "  WHERE y.typname OPERATOR(pg_catalog.=) 'letter'"
						   "  AND y.typnamespace OPERATOR(pg_catalog.=) $1"
						   " UNION"
						   " SELECT x.oid FROM t, LATERAL ("
						   "  SELECT y.oid FROM pg_catalog.pg_type y"
						   "   WHERE y.typbasetype OPERATOR(pg_catalog.=) t.oid"
						   "   OR (y.typelem OPERATOR(pg_catalog.=) t.oid AND y.typcategory OPERATOR(pg_catalog.=) 'A')"
						   "  UNION ALL SELECT r.rngtypid FROM pg_catalog.pg_range r"
						   "   WHERE r.rngsubtype OPERATOR(pg_catalog.=) t.oid"
						   "  UNION ALL SELECT r.rngmultitypid FROM pg_catalog.pg_range r"
						   "   WHERE r.rngsubtype OPERATOR(pg_catalog.=) t.oid) x)"
						   " SELECT pg_catalog.format('%s.%I', a.attrelid::pg_catalog.regclass, a.attname)"
						   "  FROM pg_catalog.pg_attribute a"
						   "  JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid"
						   " WHERE a.atttypid IN (SELECT t.oid FROM t) AND a.attnum OPERATOR(pg_catalog.>) 0"
						   "  AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'c', 'm')"
						   "  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
						   "   WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass"
						   "   AND d.objid OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')"
						   " ORDER BY 1");
	args[0] = ObjectIdGetDatum(nspid);
	rc = SPI_execute_with_args(sql.data, 1, types, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
	n = SPI_processed;
	for (uint64 i = 0; i < n && i < GUARD_MAX_NAMED; i++)
		appendStringInfo(names, "%s%s", i > 0 ? ", " : "",
						 SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	if (n > GUARD_MAX_NAMED)
		appendStringInfo(names, " and " UINT64_FORMAT " more", n - GUARD_MAX_NAMED);
	return n;
}

PG_FUNCTION_INFO_V1(lt_guard_drop);

/*
 * guard_drop(): event trigger on ddl_command_start for DROP EXTENSION,
 * DROP SCHEMA and DROP OWNED.
 */
Datum
lt_guard_drop(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	Oid			nspid = get_func_namespace(fcinfo->flinfo->fn_oid);
	StringInfoData names;
	uint64		n;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("guard_drop() was not called by the event trigger manager")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (allow_drop_letter_columns)
		PG_RETURN_VOID();

	if (!drops_extension(trigdata->parsetree, nspid))
		PG_RETURN_VOID();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	initStringInfo(&names);
	n = letter_columns(nspid, &names);
	if (n > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 errmsg_plural("cannot drop extension letters_triage: " UINT64_FORMAT " column of type letters_triage.letter holds letters",
							   "cannot drop extension letters_triage: " UINT64_FORMAT " columns of type letters_triage.letter hold letters",
							   n, n),
				 errdetail("Dropping the extension would drop %s, with the letters in them.", names.data),
				 errhint("Convert each column to text first (ALTER TABLE tbl ALTER COLUMN col TYPE text USING col::text; "
						 "text[] for an array), or SET letters_triage.allow_drop_letter_columns = on to drop them.")));
	SPI_finish();
	PG_RETURN_VOID();
}
