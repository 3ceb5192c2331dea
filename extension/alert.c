/*
 * alert.c — C helpers of the alert functions (the checks themselves are in
 * the install script, extension/sql/40_alert.sql).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
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

PG_FUNCTION_INFO_V1(lt_log_alert);

/*
 * Write an alert's line to the server log: a WARNING when warning is true,
 * else LOG (server log only).  The statement and the PL/pgSQL context are
 * left out: the line stands for the alert, not for the check's internals.
 */
Datum
lt_log_alert(PG_FUNCTION_ARGS)
{
	bool		warning = PG_GETARG_BOOL(0);
	char	   *message = text_to_cstring(PG_GETARG_TEXT_PP(1));

	/* keep a runaway message from flooding the log */
	if (strlen(message) > 1000)
		message[pg_mbcliplen(message, strlen(message), 1000)] = '\0';
	ereport(warning ? WARNING : LOG,
			(errmsg_internal("%s", message),
			 errhidestmt(true),
			 errhidecontext(true)));
	PG_RETURN_VOID();
}
