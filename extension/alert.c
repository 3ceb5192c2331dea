/*
 * alert.c — C helpers of the alert functions (the checks themselves are in
 * the install script, extension/install/40_alerting.sql).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "letters_triage.h"
#include "alert.h"

/* Setting: send alert lines to the client running the check too. */
static bool lt_alert_client_messages = false;

/* True while lt_log_alert() emits its line (read by the log hook). */
static bool lt_emitting_alert = false;
static emit_log_hook_type lt_prev_emit_log_hook = NULL;

/*
 * Keep an alert's line from the client: PostgreSQL decides where a message
 * goes by its level alone, and a WARNING in the server log is what log
 * pipelines watch, while the client running a check has its events as rows.
 */
static void
lt_alert_emit_log_hook(ErrorData *edata)
{
	if (lt_emitting_alert && !lt_alert_client_messages)
		edata->output_to_client = false;
	if (lt_prev_emit_log_hook)
		lt_prev_emit_log_hook(edata);
}

/* Define the alerts' settings and install the log hook.  Called from _PG_init. */
void
lt_alert_init(void)
{
	lt_prev_emit_log_hook = emit_log_hook;
	emit_log_hook = lt_alert_emit_log_hook;

	DefineCustomBoolVariable("letters_triage.alert_client_messages",
							 "Also send each alert's log line to the client that runs the check.",
							 "Off: alert lines go to the server log only; the checks return their events.",
							 &lt_alert_client_messages,
							 false,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
}

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
 * else LOG.  The statement and the PL/pgSQL context are left out: the line
 * stands for the alert, not for the check's internals.  The client running
 * the check (psql, pg_cron) gets its events as rows, not as one message per
 * alert, unless letters_triage.alert_client_messages is on.
 */
Datum
lt_log_alert(PG_FUNCTION_ARGS)
{
	bool		warning = PG_GETARG_BOOL(0);
	char	   *message = text_to_cstring(PG_GETARG_TEXT_PP(1));

	/* keep a runaway message from flooding the log */
	if (strlen(message) > 1000)
		message[pg_mbcliplen(message, strlen(message), 1000)] = '\0';
	/* (a WARNING returns; the flag is reset on every path) */
	lt_emitting_alert = true;
	PG_TRY();
	{
		ereport(warning ? WARNING : LOG,
				(errmsg_internal("%s", message),
				 errhidestmt(true),
				 errhidecontext(true)));
	}
	PG_FINALLY();
	{
		lt_emitting_alert = false;
	}
	PG_END_TRY();
	PG_RETURN_VOID();
}
