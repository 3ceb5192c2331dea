/*
 * sqlfunc.c — SQL values of the classifier's results: the urgency enum
 * datum, the actions array, the triage composite, the rows of evidence().
 * Shared by the functions on text (classify_sql.c), on letters
 * (classify_letter.c) and by tracking.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "sqlfunc.h"

/*
 * The OIDs of the urgency enum's labels, looked up once per enum type for
 * every caller (results, evidence, tracking's state rows).  Kept without
 * invalidation: a label's OID is its value and never changes (ALTER TYPE
 * ... RENAME VALUE keeps it, labels cannot be dropped), and a new enum type
 * (the extension re-created) has a new type OID, which is looked up afresh.
 */
static Oid	cached_enum_type = InvalidOid;
static Oid	cached_labels[LT_URGENCY_IMMEDIATE + 1];

/*
 * The OIDs of the labels of enum type typoid named as the urgencies, in
 * urgency order; false (labels undefined) when one is missing.
 */
bool
lt_urgency_labels(Oid typoid, Oid labels[LT_URGENCY_IMMEDIATE + 1])
{
	if (typoid != cached_enum_type)
	{
		Oid			found[LT_URGENCY_IMMEDIATE + 1];

		for (int i = LT_URGENCY_ROUTINE; i <= LT_URGENCY_IMMEDIATE; i++)
		{
			found[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
									   ObjectIdGetDatum(typoid),
									   CStringGetDatum(lt_urgency_name((LtUrgency) i)));
			if (!OidIsValid(found[i]))
				return false;
		}
		memcpy(cached_labels, found, sizeof(found));
		cached_enum_type = typoid;
	}
	memcpy(labels, cached_labels, sizeof(cached_labels));
	return true;
}

/* The Datum of urgency u in enum type typoid. */
Datum
lt_urgency_datum(Oid typoid, LtUrgency u)
{
	Oid			labels[LT_URGENCY_IMMEDIATE + 1];

	if (!lt_urgency_labels(typoid, labels))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type %s is not the urgency enum of letters_triage", format_type_be(typoid)),
				 errhint("Reinstall the extension: DROP EXTENSION letters_triage; CREATE EXTENSION letters_triage.")));
	return ObjectIdGetDatum(labels[u]);
}

/* Build a text[] of action names from a bit set. */
Datum
lt_actions_array(uint32 actions)
{
	Datum		elems[LT_NUM_ACTIONS];
	int			n = 0;

	for (int a = 0; a < LT_NUM_ACTIONS; a++)
		if (actions & LT_ACTION_BIT(a))
			elems[n++] = CStringGetTextDatum(lt_action_name(a));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* The triage composite of a result, for the function being called. */
Datum
lt_triage_datum(FunctionCallInfo fcinfo, const LtTriageResult *r)
{
	TupleDesc	td = (TupleDesc) fcinfo->flinfo->fn_extra;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	LtTriageResult res = *r;

	if (td == NULL)
	{
		/* once per call site: the result type, blessed, kept with the call's FmgrInfo */
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("function returning record called in context that cannot accept type record")));
		td = BlessTupleDesc(CreateTupleDescCopy(td));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = td;
	}
	values[0] = lt_urgency_datum(TupleDescAttr(td, 0)->atttypid, res.urgency);
	values[1] = lt_actions_array(res.actions);
	values[2] = BoolGetDatum(res.needs_review);
	values[3] = CStringGetTextDatum(res.reason);
	return HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
}

/*
 * Classify a text (in the database encoding; kind and subject: a letter's
 * headers, or NULL) and return what the function being called returns: the
 * triage composite, the urgency or the actions.  Shared by the wrappers on
 * text (here) and on letters (classify_letter.c).
 */
Datum
lt_classify_result(FunctionCallInfo fcinfo, LtResultKind what, const char *body, int len,
				   const char *kind, const char *subject, const char *dated)
{
	LtTriageResult res;

	lt_triage(body, len, kind, subject, dated, &res);
	switch (what)
	{
		case LT_RESULT_URGENCY:
			return lt_urgency_datum(get_fn_expr_rettype(fcinfo->flinfo), res.urgency);
		case LT_RESULT_ACTIONS:
			return lt_actions_array(res.actions);
		case LT_RESULT_TRIAGE:
		default:
			return lt_triage_datum(fcinfo, &res);
	}
}

/*
 * Emit evidence() rows for text (in the database encoding).  The first
 * `prefix` characters are header lines added in front of a letter's body:
 * matches there are reported with a NULL offset and source "header";
 * offsets of the others are counted from the start of the body.
 */
void
lt_evidence_rows(FunctionCallInfo fcinfo, const char *text, int len, int prefix)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const LtRuleSet *rs;
	LtEvidence *ev;
	int			nev;
	Oid			enumtype;

	InitMaterializedSRF(fcinfo, 0);
	rs = lt_ruleset();
	enumtype = TupleDescAttr(rsinfo->setDesc, 4)->atttypid;
	nev = lt_evidence_text(rs, text, len, &ev);
	for (int i = 0; i < nev; i++)
	{
		const LtEvidence *e = &ev[i];
		Datum		v[12];
		bool		n[12];

		memset(n, 0, sizeof(n));
		if (e->is_rule)
			v[0] = Int64GetDatum(e->rule);
		else
			n[0] = true;
		v[1] = CStringGetTextDatum(e->pattern);
		v[2] = CStringGetTextDatum(e->char_offset < prefix ? "header" : e->source);
		if (e->action >= 0)
			v[3] = CStringGetTextDatum(lt_action_name(e->action));
		else
			n[3] = true;
		if (e->urgency >= 0)
			v[4] = lt_urgency_datum(enumtype, e->urgency);
		else
			n[4] = true;
		v[5] = Int32GetDatum(e->char_offset - prefix);
		n[5] = (e->char_offset < prefix);
		v[6] = Int32GetDatum(e->char_end - e->char_offset);
		v[7] = CStringGetTextDatum(e->matched);
		v[8] = CStringGetTextDatum(e->context);
		if (e->section != NULL)
			v[9] = CStringGetTextDatum(e->section);
		else
			n[9] = true;
		v[10] = BoolGetDatum(e->counted);
		if (e->why)
			v[11] = CStringGetTextDatum(e->why);
		else
			n[11] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
}
