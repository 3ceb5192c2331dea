/*
 * module.c — the shared library's entry points: module magic, _PG_init and
 * version().
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "letters_triage.h"
#include "alert.h"
#include "track.h"
#include "uninstall.h"

PG_MODULE_MAGIC;

/* Set up the library when a backend loads it. */
void
_PG_init(void)
{
	lt_track_init();
	lt_uninstall_init();
	lt_worker_init();
	lt_alert_init();
	/* a misspelt setting (letters_triage.databses) is an error, not a silent no-op */
	MarkGUCPrefixReserved("letters_triage");
}

PG_FUNCTION_INFO_V1(lt_version);

/* Return the version of the loaded C library. */
Datum
lt_version(PG_FUNCTION_ARGS)
{
	(void) fcinfo;
	PG_RETURN_TEXT_P(cstring_to_text(LETTERS_TRIAGE_VERSION));
}
