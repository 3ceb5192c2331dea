/*
 * classify_sql.c — SQL-callable wrappers of the classifier: classify(),
 * urgency(), actions(), evidence(), assertion(), ruleset_version().
 */
#include "postgres.h"

/* some server headers have unused parameters in inline functions */
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "classify.h"

/* The OIDs of the urgency enum's labels, cached per enum type. */
static Oid	cached_enum_type = InvalidOid;
static Oid	cached_labels[4];

/* The Datum of urgency u in enum type typoid. */
Datum
lt_urgency_datum(Oid typoid, LtUrgency u)
{
	if (typoid != cached_enum_type)
	{
		for (int i = 0; i < 4; i++)
			cached_labels[i] = DatumGetObjectId(DirectFunctionCall2(enum_in,
																	CStringGetDatum(lt_urgency_name(i)),
																	ObjectIdGetDatum(typoid)));
		cached_enum_type = typoid;
	}
	return ObjectIdGetDatum(cached_labels[u]);
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
				   const char *kind, const char *subject)
{
	LtTriageResult res;

	lt_triage(body, len, kind, subject, &res);
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

/* The same for a text argument. */
static Datum
classify_text(FunctionCallInfo fcinfo, LtResultKind what)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	return lt_classify_result(fcinfo, what, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), NULL, NULL);
}

PG_FUNCTION_INFO_V1(lt_classify);

/* classify(text) returns triage: urgency, actions, needs_review, reason. */
Datum
lt_classify(PG_FUNCTION_ARGS)
{
	return classify_text(fcinfo, LT_RESULT_TRIAGE);
}

PG_FUNCTION_INFO_V1(lt_urgency);

/* urgency(text): how soon the GP must act. */
Datum
lt_urgency(PG_FUNCTION_ARGS)
{
	return classify_text(fcinfo, LT_RESULT_URGENCY);
}

PG_FUNCTION_INFO_V1(lt_actions);

/* actions(text): the GP actions, in their fixed order. */
Datum
lt_actions(PG_FUNCTION_ARGS)
{
	return classify_text(fcinfo, LT_RESULT_ACTIONS);
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
	LtAnalysis	an;
	Oid			enumtype;

	InitMaterializedSRF(fcinfo, 0);
	rs = lt_ruleset();
	enumtype = TupleDescAttr(rsinfo->setDesc, 4)->atttypid;
	lt_analyse(rs, text, len, true, &an);
	for (int i = 0; i < an.nhits; i++)
	{
		const LtHit *h = &an.hits[i];
		const LtEntry *e = h->entry >= 0 ? &rs->entries[h->entry] : NULL;
		Datum		v[12];
		bool		n[12];
		int			off = lt_doc_char_offset(&an.doc, h->start);
		int			endc = lt_doc_char_offset(&an.doc, h->end);
		int			sec = an.sentences[h->sentence].heading;

		memset(n, 0, sizeof(n));
		if (e && e->kind == LT_ENTRY_RULE)
			v[0] = Int64GetDatum(e->id);
		else
			n[0] = true;
		v[1] = CStringGetTextDatum(h->label ? h->label : "");
		v[2] = CStringGetTextDatum(off < prefix ? "header" : h->source);
		if (h->action >= 0)
			v[3] = CStringGetTextDatum(lt_action_name(h->action));
		else
			n[3] = true;
		if (h->urgency >= 0)
			v[4] = lt_urgency_datum(enumtype, h->urgency);
		else
			n[4] = true;
		v[5] = Int32GetDatum(off - prefix);
		n[5] = (off < prefix);
		v[6] = Int32GetDatum(endc - off);
		v[7] = CStringGetTextDatum(lt_hit_text(&an, h, 1000));
		v[8] = CStringGetTextDatum(lt_context_name(h->context));
		if (sec >= 0)
			v[9] = CStringGetTextDatum(rs->entries[sec].text);
		else
			n[9] = true;
		v[10] = BoolGetDatum(h->counted);
		if (h->why)
			v[11] = CStringGetTextDatum(h->why);
		else
			n[11] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
}

PG_FUNCTION_INFO_V1(lt_evidence);

/* evidence(text): one row per match, with its context and whether it counted. */
Datum
lt_evidence(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	lt_evidence_rows(fcinfo, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), 0);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(lt_assertion_sql);

/* assertion(text, concept): affirmed, negated, hypothetical, historical, other_person or NULL. */
Datum
lt_assertion_sql(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	text	   *c = PG_GETARG_TEXT_PP(1);
	char	   *r;

	r = lt_assertion(lt_ruleset(), VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
					 VARDATA_ANY(c), VARSIZE_ANY_EXHDR(c));
	if (r == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(r));
}

PG_FUNCTION_INFO_V1(lt_ruleset_version_sql);

/* ruleset_version(): identifies the rule set in force. */
Datum
lt_ruleset_version_sql(PG_FUNCTION_ARGS)
{
	(void) fcinfo;
	PG_RETURN_INT64(lt_ruleset_version());
}

PG_FUNCTION_INFO_V1(lt_rule_limits);

/*
 * rule_limits(): for each limit on the rule tables (patterns,
 * pattern_bytes, automaton_bytes), what the enabled rows use and the limit.
 */
Datum
lt_rule_limits(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	static const char *const names[3] = {"patterns", "pattern_bytes", "automaton_bytes"};
	const int64 limit[3] = {LT_MAX_PATTERNS, LT_MAX_PATTERN_BYTES, LT_MAX_AUTOMATON_BYTES};
	int64		used[3];

	InitMaterializedSRF(fcinfo, 0);
	lt_rule_usage(&used[0], &used[1], &used[2]);
	for (int i = 0; i < 3; i++)
	{
		Datum		v[3];
		bool		nulls[3] = {false, false, false};

		v[0] = CStringGetTextDatum(names[i]);
		v[1] = Int64GetDatum(used[i]);
		v[2] = Int64GetDatum(limit[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}
