/*
 * classify_sql.c — SQL-callable wrappers of the classifier: classify(),
 * urgency(), actions(), evidence(), assertion(), ruleset_version().
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "sqlfunc.h"

/* Classify the text argument; return what the function being called returns. */
static Datum
classify_text(FunctionCallInfo fcinfo, LtResultKind what)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	return lt_classify_result(fcinfo, what, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), NULL, NULL, NULL);
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

PG_FUNCTION_INFO_V1(lt_evidence);

/* evidence(text): one row per match, with its context and whether it counted. */
Datum
lt_evidence(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	lt_evidence_rows(fcinfo, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), 0);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(lt_assertion);

/* assertion(text, concept): affirmed, negated, hypothetical, historical, other_person or NULL. */
Datum
lt_assertion(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	text	   *c = PG_GETARG_TEXT_PP(1);
	char	   *r;

	r = lt_assertion_text(lt_ruleset(), VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
					 VARDATA_ANY(c), VARSIZE_ANY_EXHDR(c));
	if (r == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(r));
}

PG_FUNCTION_INFO_V1(lt_ruleset_version);

/* ruleset_version(): identifies the rule set in force. */
Datum
lt_ruleset_version(PG_FUNCTION_ARGS)
{
	(void) fcinfo;
	PG_RETURN_INT64(lt_ruleset_current_version());
}

PG_FUNCTION_INFO_V1(lt_rule_limits);

/*
 * rule_limits(): for each limit on the rule tables (patterns,
 * pattern_bytes, automaton_bytes), what the enabled rows use and the limit;
 * and scan_bytes, which has none: what the matcher's step will read of the
 * rows compiled (see match.c), the figure to keep within the CPU's L2 cache.
 */
Datum
lt_rule_limits(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	static const char *const names[4] = {"patterns", "pattern_bytes", "automaton_bytes", "scan_bytes"};
	const int64 limit[4] = {LT_MAX_PATTERNS, LT_MAX_PATTERN_BYTES, LT_MAX_AUTOMATON_BYTES, 0};
	LtRuleUsage usage;
	int64		used[4];

	InitMaterializedSRF(fcinfo, 0);
	lt_rule_usage(&usage);
	used[0] = usage.patterns;
	used[1] = usage.pattern_bytes;
	used[2] = usage.automaton_bytes;
	used[3] = usage.scan_bytes;
	for (int i = 0; i < 4; i++)
	{
		Datum		v[3];
		bool		nulls[3] = {false, false, limit[i] == 0};

		v[0] = CStringGetTextDatum(names[i]);
		v[1] = Int64GetDatum(used[i]);
		v[2] = Int64GetDatum(limit[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}
