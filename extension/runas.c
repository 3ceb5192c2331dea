/*
 * runas.c — running code as another role: the tracking trigger as the
 * extension's owner, retriage() reading a watched table as the table's owner.
 *
 * Whatever the code run does to the session's settings stays inside: a
 * row-security policy, a default or an index expression of the table's owner
 * that calls set_config(..., false) or SET would otherwise leave, say, a
 * search_path of its choosing in the caller's session, and the caller's next
 * query would run the owner's operators with the caller's rights.  So, as
 * PostgreSQL does around index builds and REFRESH MATERIALIZED VIEW, the role
 * is switched inside a security-restricted operation (no SET ROLE, no
 * temporary objects, no cursors or prepared statements that outlive it) and a
 * GUC nest level is opened, which lt_run_as_end() rolls back whatever was set
 * in it, locally or not.
 *
 * If an error escapes between the two calls, the (sub)transaction that it
 * aborts restores the user and rolls the settings back (its GUC nest level
 * lies below the one opened here).
 *
 * Settings are not all the session state such code can leave: a
 * session-level advisory lock outlives it too.  The lock manager does not
 * tell a backend's session holds from its transaction holds, so a caller
 * that held no advisory lock at all before the code ran
 * (lt_holds_advisory_locks()) can release every session-level one after it
 * (lt_release_session_advisory_locks()): they can only be that code's.
 * random()'s state (setseed()) is private to the server and stays as the
 * code left it (docs/security.md).
 *
 * lt_run_protected() runs code whose error must not reach the application's
 * statement (tracking records it instead) in a subtransaction, which rolls
 * back whatever the code did, and returns the error.
 */
#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "runas.h"

/* Become role for a while; with safe_path, search_path is pg_catalog, pg_temp. */
void
lt_run_as_begin(LtRunAs *ra, Oid role, bool safe_path)
{
	GetUserIdAndSecContext(&ra->save_userid, &ra->save_sec);
	SetUserIdAndSecContext(role, ra->save_sec | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	ra->guc_level = NewGUCNestLevel();
	if (safe_path)
		lt_safe_search_path();
}

/* Back to the caller: every setting as it was, the caller's role. */
void
lt_run_as_end(LtRunAs *ra)
{
	AtEOXact_GUC(false, ra->guc_level);
	SetUserIdAndSecContext(ra->save_userid, ra->save_sec);
}

/*
 * search_path = pg_catalog, pg_temp until the innermost lt_run_as_end() (or
 * the end of the innermost GUC nest level).
 */
void
lt_safe_search_path(void)
{
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
}

/*
 * Whether this backend holds any advisory lock, for the session or the
 * transaction.  Reads the whole lock table: call it once per command, not
 * per row.
 */
bool
lt_holds_advisory_locks(void)
{
	LockData   *locks = GetLockStatusData();
	bool		held = false;

	for (int i = 0; i < locks->nelements && !held; i++)
	{
		LockInstanceData *l = &locks->locks[i];

		held = l->pid == MyProcPid && l->holdMask != 0 &&
			l->locktag.locktag_type == LOCKTAG_ADVISORY;
	}
	return held;
}

/*
 * Release every session-level advisory lock of this backend (what
 * pg_advisory_unlock_all() does); transaction-level ones stay until the
 * transaction ends.  Only for a caller that held none before running code
 * it did not choose (see lt_holds_advisory_locks()).
 */
void
lt_release_session_advisory_locks(void)
{
	LockReleaseSession(USER_LOCKMETHOD);
}

/*
 * Errors never caught: the user or the server asked to stop, or memory ran
 * out (and whatever is worse than ERROR).
 */
bool
lt_must_rethrow(const ErrorData *edata)
{
	return edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
		edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN ||
		edata->sqlerrcode == ERRCODE_CRASH_SHUTDOWN ||
		edata->sqlerrcode == ERRCODE_OUT_OF_MEMORY ||
		edata->elevel > ERROR;
}

/*
 * Run fn(arg) in a subtransaction, in the caller's memory context.  NULL
 * when it returned; on an error, the subtransaction rolled back (with
 * whatever fn did, a role it switched to included) and the error, copied
 * into the caller's memory context.  An error lt_must_rethrow() names is
 * raised again instead, once the subtransaction is rolled back.
 */
ErrorData *
lt_run_protected(LtProtectedFn fn, void *arg)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	Oid			save_userid;
	int			save_sec;
	ErrorData  *volatile edata = NULL;

	GetUserIdAndSecContext(&save_userid, &save_sec);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		fn(arg);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		/* (the caller's role before copying the error: fn may have left another) */
		SetUserIdAndSecContext(save_userid, save_sec);
		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_END_TRY();
	if (edata != NULL && lt_must_rethrow(edata))
		ReThrowError(edata);
	return edata;
}
