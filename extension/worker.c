/*
 * worker.c — the background worker that runs the checks.
 *
 * With shared_preload_libraries = 'letters_triage', the postmaster starts a
 * launcher once recovery has finished (so nothing runs on a hot standby, and
 * checking starts after promotion).  The launcher starts one checker per
 * database listed in letters_triage.databases; each checker connects to its
 * database as letters_triage.role (or the bootstrap superuser when empty) and,
 * every letters_triage.check_interval, runs each check in its own transaction.
 * An error in a check is logged and the other checks still run.  A database
 * without the extension is skipped (logged once, until it is installed).
 *
 * Signals: SIGHUP reloads the settings (the launcher then starts and stops
 * checkers to match the list, and restarts them when the role changes);
 * SIGTERM ends a worker; the postmaster restarts the launcher after a crash
 * or an unexpected exit, and the launcher restarts checkers that stopped.
 */
#include "postgres.h"

#include <limits.h>

/*
 * Some server headers define inline functions with unused parameters, which
 * -Wextra reports; they are not ours to change.
 */
#include "access/xact.h"
#include "access/xlog.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "letters_triage.h"
#include "alert.h"

/* Settings */
static int	lt_check_interval = 60;	/* seconds */
static char *lt_databases = NULL;
static char *lt_role = NULL;

/*
 * The launcher restarts a stopped checker at most this often (ms), or every
 * check_interval if longer: a database that cannot be connected to (dropped,
 * misspelt) costs one log line per interval.
 */
#define LT_RESTART_DELAY_MS 10000
/* The launcher looks at its checkers at least this often (ms). */
#define LT_LAUNCHER_NAP_MS	10000
/* At most this many databases are checked. */
#define LT_MAX_DATABASES	64

/* What the launcher tells a checker, in bgw_extra. */
typedef struct LtCheckerArgs
{
	char		dbname[NAMEDATALEN];
	char		role[NAMEDATALEN];
} LtCheckerArgs;

StaticAssertDecl(sizeof(LtCheckerArgs) <= BGW_EXTRALEN,
				 "checker arguments must fit in bgw_extra");

/* The checks, each run in its own transaction, in this order. */
static const char *const lt_checks[] = {
	"check_overdue", "check_flow", "check_sent_late", "check_review", "check_tracking"
};

/* Launcher state: one slot per database being checked. */
typedef struct LtChecker
{
	bool		in_use;
	char		dbname[NAMEDATALEN];
	char		role[NAMEDATALEN];
	BackgroundWorkerHandle *handle; /* NULL when it could not be started */
	TimestampTz started;
} LtChecker;

static LtChecker lt_checkers[LT_MAX_DATABASES];

/* Check the syntax of letters_triage.databases. */
static bool
lt_check_databases(char **newval, void **extra, GucSource source)
{
	char	   *raw = pstrdup(*newval);
	List	   *names = NIL;
	ListCell   *lc;
	bool		ok = true;

	(void) extra;
	(void) source;
	if (!SplitGUCList(raw, ',', &names))
	{
		GUC_check_errdetail("List syntax is invalid.");
		ok = false;
	}
	else if (list_length(names) > LT_MAX_DATABASES)
	{
		GUC_check_errdetail("At most %d databases can be listed.", LT_MAX_DATABASES);
		ok = false;
	}
	else
	{
		foreach(lc, names)
		{
			const char *name = (const char *) lfirst(lc);

			if (name[0] == '\0' || strlen(name) >= NAMEDATALEN)
			{
				GUC_check_errdetail("Database name \"%s\" is empty or too long.", name);
				ok = false;
				break;
			}
		}
	}
	list_free(names);
	pfree(raw);
	return ok;
}

/* Check letters_triage.role: a role name fits in NAMEDATALEN. */
static bool
lt_check_role(char **newval, void **extra, GucSource source)
{
	(void) extra;
	(void) source;
	if (*newval && strlen(*newval) >= NAMEDATALEN)
	{
		GUC_check_errdetail("Role name is too long.");
		return false;
	}
	return true;
}

/* Define the settings and, when preloaded, register the launcher. */
void
lt_worker_init(void)
{
	BackgroundWorker worker;

	DefineCustomIntVariable("letters_triage.check_interval",
							"Time between two runs of the checks by the background worker.",
							NULL,
							&lt_check_interval,
							60, 1, INT_MAX / 1000,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);
	DefineCustomStringVariable("letters_triage.databases",
							   "Databases in which the background worker runs the checks (comma-separated).",
							   "Empty: the worker checks no database.",
							   &lt_databases,
							   "",
							   PGC_SIGHUP, GUC_LIST_INPUT,
							   lt_check_databases, NULL, NULL);
	DefineCustomStringVariable("letters_triage.role",
							   "Role as which the background worker runs the checks.",
							   "Empty: the bootstrap superuser.",
							   &lt_role,
							   "",
							   PGC_SIGHUP, 0,
							   lt_check_role, NULL, NULL);

	if (!process_shared_preload_libraries_in_progress || IsBinaryUpgrade)
		return;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 5;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "letters_triage");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "lt_launcher_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "letters_triage launcher");
	snprintf(worker.bgw_type, BGW_MAXLEN, "letters_triage launcher");
	RegisterBackgroundWorker(&worker);
}

/* Start the checker of one slot; leaves handle NULL when none is free. */
static void
lt_start_checker(LtChecker *c)
{
	BackgroundWorker worker;
	LtCheckerArgs args;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "letters_triage");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "lt_checker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "letters_triage checker for database %s", c->dbname);
	snprintf(worker.bgw_type, BGW_MAXLEN, "letters_triage checker");
	worker.bgw_notify_pid = MyProcPid;
	memset(&args, 0, sizeof(args));
	strlcpy(args.dbname, c->dbname, NAMEDATALEN);
	strlcpy(args.role, c->role, NAMEDATALEN);
	memcpy(worker.bgw_extra, &args, sizeof(args));

	c->started = GetCurrentTimestamp();
	if (c->handle)
		pfree(c->handle);
	c->handle = NULL;
	if (!RegisterDynamicBackgroundWorker(&worker, &c->handle))
	{
		c->handle = NULL;
		ereport(WARNING,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("letters_triage could not start the checker for database \"%s\"", c->dbname),
				 errhint("Raise max_worker_processes.")));
	}
}

/* Stop the checker of one slot and wait until it has stopped. */
static void
lt_stop_checker(LtChecker *c)
{
	if (c->handle)
	{
		TerminateBackgroundWorker(c->handle);
		(void) WaitForBackgroundWorkerShutdown(c->handle);
		pfree(c->handle);
		c->handle = NULL;
	}
	c->in_use = false;
}

/* At launcher exit, stop the checkers (a new launcher starts its own). */
static void
lt_launcher_exit(int code, Datum arg)
{
	int			i;

	(void) code;
	(void) arg;
	for (i = 0; i < LT_MAX_DATABASES; i++)
		if (lt_checkers[i].in_use && lt_checkers[i].handle)
			TerminateBackgroundWorker(lt_checkers[i].handle);
}

/*
 * Make the running checkers match the settings: stop those of databases no
 * longer listed or started as another role, start the missing ones, restart
 * the ones that stopped (at most every LT_RESTART_DELAY_MS).  Returns how long
 * the launcher may sleep (ms).
 */
static long
lt_launcher_sync(void)
{
	char	   *raw = pstrdup(lt_databases ? lt_databases : "");
	const char *role = lt_role ? lt_role : "";
	List	   *names = NIL;
	ListCell   *lc;
	long		nap = LT_LAUNCHER_NAP_MS;
	long		restart_delay = Max((long) LT_RESTART_DELAY_MS, (long) lt_check_interval * 1000L);
	TimestampTz now = GetCurrentTimestamp();
	int			i;

	if (!SplitGUCList(raw, ',', &names))
		names = NIL;			/* cannot happen: the check hook accepted it */

	for (i = 0; i < LT_MAX_DATABASES; i++)
	{
		LtChecker  *c = &lt_checkers[i];
		bool		listed = false;

		if (!c->in_use)
			continue;
		foreach(lc, names)
			if (strcmp((const char *) lfirst(lc), c->dbname) == 0)
				listed = true;
		if (!listed || strcmp(c->role, role) != 0)
		{
			ereport(LOG,
					(errmsg("letters_triage stops the checker for database \"%s\"", c->dbname)));
			lt_stop_checker(c);
		}
	}

	foreach(lc, names)
	{
		const char *name = (const char *) lfirst(lc);
		LtChecker  *c = NULL;
		LtChecker  *free_slot = NULL;

		for (i = 0; i < LT_MAX_DATABASES; i++)
		{
			if (lt_checkers[i].in_use && strcmp(lt_checkers[i].dbname, name) == 0)
				c = &lt_checkers[i];
			else if (!lt_checkers[i].in_use && free_slot == NULL)
				free_slot = &lt_checkers[i];
		}
		if (c == NULL)
		{
			if (free_slot == NULL)
				break;			/* cannot happen: the check hook limits the list */
			c = free_slot;
			memset(c, 0, sizeof(*c));
			c->in_use = true;
			strlcpy(c->dbname, name, NAMEDATALEN);
			strlcpy(c->role, role, NAMEDATALEN);
			lt_start_checker(c);
		}
		else
		{
			pid_t		pid;
			bool		stopped = (c->handle == NULL ||
								   GetBackgroundWorkerPid(c->handle, &pid) == BGWH_STOPPED);

			if (stopped)
			{
				long		since = (long) ((now - c->started) / 1000);

				if (since >= restart_delay)
					lt_start_checker(c);
				else
					nap = Min(nap, restart_delay - since);
			}
		}
	}

	list_free(names);
	pfree(raw);
	return Max(nap, 100);
}

/* The launcher's main loop. */
void
lt_launcher_main(Datum main_arg)
{
	(void) main_arg;
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	/* Connected to no database: shows in pg_stat_activity, reads nothing. */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	before_shmem_exit(lt_launcher_exit, (Datum) 0);
	ereport(LOG, (errmsg("letters_triage launcher started")));

	for (;;)
	{
		long		nap;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		nap = lt_launcher_sync();
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 nap, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/* Whether the extension is installed in this database (own transaction). */
static bool
lt_extension_installed(void)
{
	bool		installed;

	StartTransactionCommand();
	installed = OidIsValid(get_extension_oid("letters_triage", true));
	CommitTransactionCommand();
	return installed;
}

/*
 * Run one check in its own transaction.  An error is logged as a WARNING and
 * does not stop the caller.  Returns whether the check succeeded.
 */
static bool
lt_run_check(const char *check, const char *dbname, MemoryContext cxt)
{
	char		sql[128];
	bool		ok = true;

	snprintf(sql, sizeof(sql), "SELECT pg_catalog.count(*) FROM letters_triage.%s()", check);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		int64		events = 0;
		bool		isnull;
		int			guc_level;

		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		/* whatever a check sets, even SET without LOCAL, ends with it */
		guc_level = NewGUCNestLevel();
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		PushActiveSnapshot(GetTransactionSnapshot());
		pgstat_report_activity(STATE_RUNNING, sql);
		if (SPI_execute(sql, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "unexpected result of %s", sql);
		events = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
											 1, &isnull));
		SPI_finish();
		PopActiveSnapshot();
		AtEOXact_GUC(false, guc_level);
		CommitTransactionCommand();
		if (events > 0)
			elog(DEBUG1, "letters_triage %s delivered " INT64_FORMAT " events", check, events);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		HOLD_INTERRUPTS();
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		RESUME_INTERRUPTS();
		ereport(WARNING,
				(errcode(edata->sqlerrcode),
				 errmsg("letters_triage %s failed in database \"%s\": %s",
						check, dbname, edata->message)));
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	pgstat_report_activity(STATE_IDLE, NULL);
	pgstat_report_stat(false);
	return ok;
}

/* A checker's main loop: run the checks every check_interval. */
void
lt_checker_main(Datum main_arg)
{
	LtCheckerArgs args;
	MemoryContext cxt;
	bool		missing_logged = false;
	TimestampTz last_run = 0;
	bool		ever_run = false;

	(void) main_arg;
	memcpy(&args, MyBgworkerEntry->bgw_extra, sizeof(args));
	args.dbname[NAMEDATALEN - 1] = '\0';
	args.role[NAMEDATALEN - 1] = '\0';

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(args.dbname, args.role[0] ? args.role : NULL, 0);
	pgstat_report_appname("letters_triage checker");

	cxt = AllocSetContextCreate(TopMemoryContext, "letters_triage checks",
								ALLOCSET_DEFAULT_SIZES);

	for (;;)
	{
		TimestampTz now;
		TimestampTz next;
		long		wait_ms;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		now = GetCurrentTimestamp();
		next = TimestampTzPlusMilliseconds(last_run, (int64) lt_check_interval * 1000);
		if (!ever_run || now >= next)
		{
			last_run = now;
			ever_run = true;
			MemoryContextReset(cxt);
			if (RecoveryInProgress())
				;				/* cannot happen: started after recovery */
			else if (!lt_extension_installed())
			{
				if (!missing_logged)
					ereport(LOG,
							(errmsg("letters_triage is not installed in database \"%s\": its checks are skipped until it is",
									args.dbname)));
				missing_logged = true;
			}
			else
			{
				int			i;

				if (missing_logged)
					ereport(LOG,
							(errmsg("letters_triage is installed in database \"%s\": its checks start",
									args.dbname)));
				missing_logged = false;
				for (i = 0; i < (int) lengthof(lt_checks); i++)
				{
					CHECK_FOR_INTERRUPTS();
					(void) lt_run_check(lt_checks[i], args.dbname, cxt);
				}
			}
			now = GetCurrentTimestamp();
			next = TimestampTzPlusMilliseconds(last_run, (int64) lt_check_interval * 1000);
		}

		wait_ms = (long) TimestampDifferenceMilliseconds(now, next);
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 Max(wait_ms, 1), PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
