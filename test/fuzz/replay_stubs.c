/*
 * replay_stubs.c — the server functions that extension/rules.c's table
 * loader calls, for the layout where the classifier's fuzz build still links
 * rules.c (test/fuzz/libfuzzer's source list, before test/fuzz/core-files).
 * The harnesses hand the core their rule sets themselves, so none of these
 * is ever reached: each aborts, which test/fuzz/sanitize reports as a failure.
 */
#include "postgres.h"

#include <stdio.h>
#include <stdlib.h>

#include "access/xact.h"
#include "storage/lmgr.h"
#include "utils/snapmgr.h"

#undef fprintf

static void
unreachable(const char *what)
{
	fprintf(stderr, "replay: %s called outside the server\n", what);
	abort();
}

void
CommandCounterIncrement(void)
{
	unreachable("CommandCounterIncrement");
}

Snapshot
GetLatestSnapshot(void)
{
	unreachable("GetLatestSnapshot");
	return NULL;
}

void
PushActiveSnapshot(Snapshot snapshot)
{
	unreachable("PushActiveSnapshot");
}

void
PopActiveSnapshot(void)
{
	unreachable("PopActiveSnapshot");
}

void
LockRelationOid(Oid relid, LOCKMODE lockmode)
{
	unreachable("LockRelationOid");
}
