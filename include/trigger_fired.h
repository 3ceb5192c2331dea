/*
 * trigger_fired.h — the check that a trigger function of the extension was
 * fired as it must be: by the trigger manager, AFTER, FOR EACH STATEMENT.
 * Fired otherwise (as a BEFORE ROW trigger its NULL result would silently
 * drop the row) it raises an error rather than run.  Used by the tracking
 * trigger and by the statement triggers that keep the caches fresh.
 */
#ifndef LETTERS_TRIAGE_TRIGGER_FIRED_H
#define LETTERS_TRIAGE_TRIGGER_FIRED_H

#include "commands/trigger.h"
#include "fmgr.h"

/* The trigger data of fcinfo, fired AFTER, FOR EACH STATEMENT; fname names the function in the errors. */
static inline TriggerData *
lt_trigger_fired_after_statement(FunctionCallInfo fcinfo, const char *fname)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() was not called by the trigger manager", fname)));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be fired AFTER, FOR EACH STATEMENT", fname)));
	return td;
}

#endif							/* LETTERS_TRIAGE_TRIGGER_FIRED_H */
