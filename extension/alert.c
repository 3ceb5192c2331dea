/*
 * alert.c — C helpers of the alert functions (the checks themselves are in
 * the install script, extension/sql/40_alert.sql).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "letters_triage.h"
#include "alert.h"

PG_FUNCTION_INFO_V1(lt_acting_role);

/*
 * Return the role the session acts as (as SET ROLE set it): unlike
 * current_user, not the owner of a SECURITY DEFINER function being run.
 */
Datum
lt_acting_role(PG_FUNCTION_ARGS)
{
	const char *role = GetUserNameFromId(GetOuterUserId(), false);

	(void) fcinfo;
	PG_RETURN_DATUM(DirectFunctionCall1(namein, CStringGetDatum(role)));
}
