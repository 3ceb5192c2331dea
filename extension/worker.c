/*
 * worker.c — the background worker that runs the checks.
 *
 * With shared_preload_libraries = 'letters_triage', the postmaster starts a
 * launcher once recovery has finished (so nothing runs on a hot standby, and
 * checking starts after promotion).  Every letters_triage.check_interval the
 * launcher starts, for each database listed in letters_triage.databases, a
 * checker that connects to that database as letters_triage.role (or the
 * bootstrap superuser when empty), runs each check that
 * letters_triage.checks() lists, in its order and each in its own
 * transaction (check_all() runs the same list in one), and exits: a round
 * of checks.  Between rounds nothing is connected to the
 * listed databases, so that a DBA can drop, rename or copy them (DROP
 * DATABASE, ALTER DATABASE ... RENAME, CREATE DATABASE ... TEMPLATE wait up
 * to 5 s for other sessions to leave; a round usually lasts milliseconds).
 * The launcher itself is connected to no database; it reads pg_database (a
 * shared catalog) to skip a listed database that does not exist, logged
 * once until it does.
 *
 * An error in a check is logged and the other checks still run.  A database
 * without the extension is skipped (logged once, until it is installed).  A
 * round that did not run to its end (the checker could not connect, or was
 * ended) is tried again after 10 s or check_interval, whichever is longer.
 * What a checker found is reported to the launcher in a small shared memory
 * area, one slot per listed database.
 *
 * Signals: SIGHUP reloads the launcher's settings (the next round uses the
 * new interval, databases and role; a round under way in a database no longer
 * listed is ended); SIGTERM ends a worker; the postmaster restarts the
 * launcher after a crash or an unexpected exit.
 */
#include "postgres.h"

#include <limits.h>

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "storage/spin.h"
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
 * A round that did not run to its end is tried again after this long (ms),
 * or after check_interval if longer: a database that cannot be connected to
 * (a role without LOGIN, a database being dropped) costs one log line per
 * interval.
 */
#define LT_RETRY_DELAY_MS	10000
/* The launcher looks at its databases at least this often (ms). */
#define LT_LAUNCHER_NAP_MS	10000
/* At most this many databases are checked. */
#define LT_MAX_DATABASES	64

/* What the launcher tells a checker, in bgw_extra: where its round is. */
typedef struct LtCheckerArgs
{
	int			slot;			/* its database's slot in LtShared */
	uint32		round;			/* the round it runs */
} LtCheckerArgs;

StaticAssertDecl(sizeof(LtCheckerArgs) <= BGW_EXTRALEN,
				 "checker arguments must fit in bgw_extra");

/*
 * A round of checks: what the launcher asks of its checker (too long for
 * bgw_extra) and what the checker reports.
 */
typedef struct LtRound
{
	uint32		round;			/* the round the launcher started last */
	char		dbname[NAMEDATALEN];	/* where */
	char		role[NAMEDATALEN];	/* as whom; empty: bootstrap superuser */
	bool		missing_logged; /* "not installed" was logged already */
	bool		done;			/* reported: the round ran to its end */
	bool		installed;		/* reported: the extension is installed */
} LtRound;

/* Shared memory: one round per slot of the launcher. */
typedef struct LtShared
{
	slock_t		mutex;
	uint32		last_round;		/* numbers rounds, across launchers */
	LtRound		rounds[LT_MAX_DATABASES];
} LtShared;

static LtShared *lt_shared = NULL;
static shmem_request_hook_type lt_prev_shmem_request_hook = NULL;
static shmem_startup_hook_type lt_prev_shmem_startup_hook = NULL;

/* Launcher state: one slot per listed database. */
typedef struct LtDatabase
{
	bool		in_use;
	char		dbname[NAMEDATALEN];
	BackgroundWorkerHandle *handle; /* the round under way, or NULL */
	uint32		round;			/* the last round started */
	TimestampTz started;		/* when it started; 0: none yet */
	bool		failed;			/* it did not run to its end */
	bool		missing_logged; /* "not installed" logged */
	bool		absent_logged;	/* "does not exist" logged */
} LtDatabase;

static LtDatabase lt_databases_state[LT_MAX_DATABASES];

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

/* Reserve the shared memory of the rounds' reports. */
static void
lt_shmem_request(void)
{
	if (lt_prev_shmem_request_hook)
		lt_prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(LtShared)));
}

/* Create (postmaster) or attach to (EXEC_BACKEND) the rounds' reports. */
static void
lt_shmem_startup(void)
{
	bool		found;

	if (lt_prev_shmem_startup_hook)
		lt_prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	lt_shared = ShmemInitStruct("letters_triage rounds", sizeof(LtShared), &found);
	if (!found)
	{
		memset(lt_shared, 0, sizeof(LtShared));
		SpinLockInit(&lt_shared->mutex);
	}
	LWLockRelease(AddinShmemInitLock);
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

	lt_prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = lt_shmem_request;
	lt_prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = lt_shmem_startup;

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

/* Start a round of checks in the database of slot d. */
static void
lt_start_round(LtDatabase *d)
{
	BackgroundWorker worker;
	LtCheckerArgs args;
	MemoryContext old;
	int			slot = (int) (d - lt_databases_state);
	LtRound    *r = &lt_shared->rounds[slot];
	bool		registered;

	d->started = GetCurrentTimestamp();
	d->failed = false;
	SpinLockAcquire(&lt_shared->mutex);
	d->round = ++lt_shared->last_round;
	r->round = d->round;
	strlcpy(r->dbname, d->dbname, NAMEDATALEN);
	strlcpy(r->role, lt_role ? lt_role : "", NAMEDATALEN);
	r->missing_logged = d->missing_logged;
	r->done = false;
	r->installed = false;
	SpinLockRelease(&lt_shared->mutex);

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "letters_triage");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "lt_checker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "letters_triage checker for database %s", d->dbname);
	snprintf(worker.bgw_type, BGW_MAXLEN, "letters_triage checker");
	worker.bgw_notify_pid = MyProcPid;
	memset(&args, 0, sizeof(args));
	args.slot = slot;
	args.round = d->round;
	memcpy(worker.bgw_extra, &args, sizeof(args));

	/* the handle lives as long as the round */
	old = MemoryContextSwitchTo(TopMemoryContext);
	registered = RegisterDynamicBackgroundWorker(&worker, &d->handle);
	MemoryContextSwitchTo(old);
	if (!registered)
	{
		d->handle = NULL;
		d->failed = true;
		ereport(WARNING,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("letters_triage could not start the checks in database \"%s\"", d->dbname),
				 errhint("Raise max_worker_processes.")));
	}
}

/*
 * Whether the round of slot d is under way; when it has just ended, take in
 * what its checker reported.
 */
static bool
lt_round_running(LtDatabase *d)
{
	pid_t		pid;
	LtRound		report;

	if (d->handle == NULL)
		return false;
	if (GetBackgroundWorkerPid(d->handle, &pid) != BGWH_STOPPED)
		return true;
	pfree(d->handle);
	d->handle = NULL;
	SpinLockAcquire(&lt_shared->mutex);
	report = lt_shared->rounds[d - lt_databases_state];
	SpinLockRelease(&lt_shared->mutex);
	d->failed = !(report.round == d->round && report.done);
	if (!d->failed)
		d->missing_logged = !report.installed;
	return false;
}

/* End the round under way in slot d, if any, and wait until it has ended. */
static void
lt_end_round(LtDatabase *d)
{
	if (d->handle)
	{
		TerminateBackgroundWorker(d->handle);
		(void) WaitForBackgroundWorkerShutdown(d->handle);
		pfree(d->handle);
		d->handle = NULL;
	}
}

/* At launcher exit, end the rounds under way (a new launcher starts its own). */
static void
lt_launcher_exit(int code, Datum arg)
{
	int			i;

	(void) code;
	(void) arg;
	for (i = 0; i < LT_MAX_DATABASES; i++)
		if (lt_databases_state[i].in_use && lt_databases_state[i].handle)
			TerminateBackgroundWorker(lt_databases_state[i].handle);
}

/*
 * Whether the database of slot d exists and accepts connections, read in
 * pg_database in a transaction of its own; a database that does not is
 * logged once, until it does.  A heap scan, as the autovacuum launcher
 * does: connected to no database, the launcher may not build the relcache
 * entries of pg_database's indexes.
 */
static bool
lt_database_connectable(LtDatabase *d, MemoryContext cxt)
{
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	bool		ok = false;

	StartTransactionCommand();
	(void) GetTransactionSnapshot();
	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Form_pg_database db = (Form_pg_database) GETSTRUCT(tup);

		if (strcmp(NameStr(db->datname), d->dbname) == 0)
		{
			ok = db->datallowconn;
			break;
		}
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	CommitTransactionCommand();
	MemoryContextSwitchTo(cxt);

	if (!ok && !d->absent_logged)
		ereport(LOG,
				(errmsg("letters_triage: database \"%s\" listed in letters_triage.databases does not exist or does not accept connections: it is not checked until it does",
						d->dbname)));
	d->absent_logged = !ok;
	return ok;
}

/*
 * Start the round of checks of slot d if it is due.  Returns how long the
 * launcher may sleep before it is (ms).
 */
static long
lt_database_sync(LtDatabase *d, TimestampTz now, MemoryContext cxt)
{
	long		interval = (long) lt_check_interval * 1000L;
	long		wait;

	if (lt_round_running(d))
		return LT_LAUNCHER_NAP_MS;	/* the postmaster wakes us when it ends */
	if (d->started != 0)
	{
		long		since = (long) ((now - d->started) / 1000);

		wait = (d->failed ? Max((long) LT_RETRY_DELAY_MS, interval) : interval) - since;
		if (wait > 0)
			return wait;
	}
	if (lt_database_connectable(d, cxt))
		lt_start_round(d);
	else
	{
		d->started = now;		/* look again after an interval */
		d->failed = false;
	}
	return interval;
}

/*
 * Make the rounds match the settings: forget the databases no longer listed
 * (ending their round if one is under way), and start the rounds that are
 * due.  Returns how long the launcher may sleep (ms).
 */
static long
lt_launcher_sync(MemoryContext cxt)
{
	char	   *raw = pstrdup(lt_databases ? lt_databases : "");
	List	   *names = NIL;
	ListCell   *lc;
	long		nap = LT_LAUNCHER_NAP_MS;
	TimestampTz now = GetCurrentTimestamp();
	int			i;

	if (!SplitGUCList(raw, ',', &names))
		names = NIL;			/* cannot happen: the check hook accepted it */

	for (i = 0; i < LT_MAX_DATABASES; i++)
	{
		LtDatabase *d = &lt_databases_state[i];
		bool		listed = false;

		if (!d->in_use)
			continue;
		foreach(lc, names)
			if (strcmp((const char *) lfirst(lc), d->dbname) == 0)
				listed = true;
		if (!listed)
		{
			ereport(LOG,
					(errmsg("letters_triage stops checking database \"%s\"", d->dbname)));
			lt_end_round(d);
			d->in_use = false;
		}
	}

	foreach(lc, names)
	{
		const char *name = (const char *) lfirst(lc);
		LtDatabase *d = NULL;
		LtDatabase *free_slot = NULL;

		for (i = 0; i < LT_MAX_DATABASES; i++)
		{
			if (lt_databases_state[i].in_use && strcmp(lt_databases_state[i].dbname, name) == 0)
				d = &lt_databases_state[i];
			else if (!lt_databases_state[i].in_use && free_slot == NULL)
				free_slot = &lt_databases_state[i];
		}
		if (d == NULL)
		{
			if (free_slot == NULL)
				break;			/* cannot happen: the check hook limits the list */
			d = free_slot;
			memset(d, 0, sizeof(*d));
			d->in_use = true;
			strlcpy(d->dbname, name, NAMEDATALEN);
		}
		nap = Min(nap, lt_database_sync(d, now, cxt));
	}

	list_free(names);
	pfree(raw);
	return Max(nap, 100);
}

/* The launcher's main loop. */
void
lt_launcher_main(Datum main_arg)
{
	MemoryContext cxt;

	(void) main_arg;
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	/* Connected to no database: reads only shared catalogs (pg_database). */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	if (lt_shared == NULL)
		elog(ERROR, "letters_triage launcher started without its shared memory");
	before_shmem_exit(lt_launcher_exit, (Datum) 0);
	cxt = AllocSetContextCreate(TopMemoryContext, "letters_triage launcher",
								ALLOCSET_DEFAULT_SIZES);
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
		MemoryContextSwitchTo(cxt);
		MemoryContextReset(cxt);
		nap = lt_launcher_sync(cxt);
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
 * In a PG_CATCH of the worker: abort the transaction and return a copy of
 * the error (in cxt), so that the caller can log it and go on.
 */
static ErrorData *
abort_taking_error(MemoryContext cxt)
{
	ErrorData  *edata;

	HOLD_INTERRUPTS();
	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	FlushErrorState();
	AbortCurrentTransaction();
	RESUME_INTERRUPTS();
	return edata;
}

/*
 * The checks to run, in their order, as the extension declares them
 * (letters_triage.checks(), the list check_all() runs too): a List of names
 * allocated in cxt.  Its own transaction.  An error (the role may not use
 * the schema) is logged as a WARNING, as a failing check is, and no check
 * runs in this round.
 */
static List *
lt_read_checks(const char *dbname, MemoryContext cxt)
{
	const char *sql = "SELECT c.name::pg_catalog.text FROM letters_triage.checks() c ORDER BY c.run_order";
	List	   *volatile checks = NIL;

	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		uint64		i;

		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		PushActiveSnapshot(GetTransactionSnapshot());
		if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "unexpected result of %s", sql);
		for (i = 0; i < SPI_processed; i++)
		{
			char	   *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
			MemoryContext old;

			if (name == NULL)
				elog(ERROR, "letters_triage.checks() returned a NULL name");
			old = MemoryContextSwitchTo(cxt);
			checks = lappend(checks, pstrdup(name));
			MemoryContextSwitchTo(old);
		}
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		ErrorData  *edata = abort_taking_error(cxt);

		ereport(WARNING,
				(errcode(edata->sqlerrcode),
				 errmsg("letters_triage could not read its list of checks in database \"%s\"", dbname),
				 errdetail_internal("%s", edata->message)));
		FreeErrorData(edata);
		checks = NIL;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	return checks;
}

/*
 * Run one check in its own transaction.  An error is logged as a WARNING and
 * does not stop the caller.  Returns whether the check succeeded.
 */
static bool
lt_run_check(const char *check, const char *dbname, MemoryContext cxt)
{
	char		sql[128 + NAMEDATALEN * 2];
	bool		ok = true;

	snprintf(sql, sizeof(sql), "SELECT pg_catalog.count(*) FROM letters_triage.%s()",
			 quote_identifier(check));
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
		ErrorData  *edata = abort_taking_error(cxt);

		ereport(WARNING,
				(errcode(edata->sqlerrcode),
				 errmsg("letters_triage %s failed in database \"%s\"", check, dbname),
				 errdetail_internal("%s", edata->message)));
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	pgstat_report_activity(STATE_IDLE, NULL);
	pgstat_report_stat(false);
	return ok;
}

/*
 * Copy what the launcher asks of round args->round into r; false when the
 * launcher has moved on (this checker outlived it).
 */
static bool
lt_read_round(const LtCheckerArgs *args, LtRound *r)
{
	bool		ok;

	SpinLockAcquire(&lt_shared->mutex);
	*r = lt_shared->rounds[args->slot];
	ok = (r->round == args->round);
	SpinLockRelease(&lt_shared->mutex);
	r->dbname[NAMEDATALEN - 1] = '\0';
	r->role[NAMEDATALEN - 1] = '\0';
	return ok;
}

/* Tell the launcher that round args->round ran to its end. */
static void
lt_report_round(const LtCheckerArgs *args, bool installed)
{
	LtRound    *r = &lt_shared->rounds[args->slot];

	SpinLockAcquire(&lt_shared->mutex);
	if (r->round == args->round)
	{
		r->done = true;
		r->installed = installed;
	}
	SpinLockRelease(&lt_shared->mutex);
}

/* A checker: one round of checks in one database, then exit. */
void
lt_checker_main(Datum main_arg)
{
	LtCheckerArgs args;
	LtRound		r;
	MemoryContext cxt;
	List	   *checks;
	bool		installed;

	(void) main_arg;
	memcpy(&args, MyBgworkerEntry->bgw_extra, sizeof(args));
	if (lt_shared == NULL || args.slot < 0 || args.slot >= LT_MAX_DATABASES ||
		!lt_read_round(&args, &r))
		return;					/* not started by the running launcher */

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(r.dbname, r.role[0] ? r.role : NULL, 0);
	pgstat_report_appname("letters_triage checker");

	cxt = AllocSetContextCreate(TopMemoryContext, "letters_triage checks",
								ALLOCSET_DEFAULT_SIZES);
	installed = lt_extension_installed();
	if (!installed)
	{
		if (!r.missing_logged)
			ereport(LOG,
					(errmsg("letters_triage is not installed in database \"%s\": its checks are skipped until it is",
							r.dbname)));
	}
	else
	{
		ListCell   *lc;

		if (r.missing_logged)
			ereport(LOG,
					(errmsg("letters_triage is installed in database \"%s\": its checks start",
							r.dbname)));
		checks = lt_read_checks(r.dbname, cxt);
		foreach(lc, checks)
		{
			CHECK_FOR_INTERRUPTS();
			(void) lt_run_check((const char *) lfirst(lc), r.dbname, cxt);
		}
	}
	lt_report_round(&args, installed);
	/* returning ends the worker with status 0: the postmaster forgets it */
}
