/*
 * cache.c — the one mechanism behind the extension's backend-local caches
 * (the rules, the calendar and policy, the functions and the shape of
 * letter_state that tracking uses): a validity flag per cache, cleared by
 * the relcache and syscache invalidations of what the cache was read from,
 * and a memory context per cache, reset when it is loaded again.  See
 * include/cache.h for how a cache is used.
 *
 * The callbacks are registered once, the first time a cache is used, and
 * walk the list of caches in use: a backend has a fixed number of callback
 * slots (ten for the relcache), shared with every other extension it loads.
 * They only clear flags: an invalidation can arrive at any point where a
 * lock is taken or a catalog read, in the middle of a load, and the load
 * then finds its cache invalid again.
 */
#include "postgres.h"

#include "utils/catcache.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "cache.h"
#include "trigger_fired.h"

/* The caches in use in this backend. */
static LtCache *caches = NULL;
static bool relcache_callback = false;
static bool syscache_callback[SysCacheSize];

/* Relcache callback: relid changed (InvalidOid: every relation). */
static void
relcache_invalidated(Datum arg, Oid relid)
{
	(void) arg;
	for (LtCache *c = caches; c != NULL; c = c->next)
	{
		if (!c->valid)
			continue;
		if (!OidIsValid(relid))
			c->valid = false;
		for (int i = 0; c->valid && i < c->nrels; i++)
			if (c->rels[i] == relid)
				c->valid = false;
	}
}

/* Syscache callback: an entry of cacheid changed (which one does not matter). */
static void
syscache_invalidated(Datum arg, int cacheid, uint32 hashvalue)
{
	(void) arg;
	(void) hashvalue;
	for (LtCache *c = caches; c != NULL; c = c->next)
		for (int i = 0; c->valid && i < c->nsyscaches; i++)
			if (c->syscaches[i] == cacheid)
				c->valid = false;
}

/* Put c in the list the callbacks walk, registering them the first time. */
static void
cache_link(LtCache *c)
{
	if (c->linked)
		return;
	if (!relcache_callback)
	{
		CacheRegisterRelcacheCallback(relcache_invalidated, (Datum) 0);
		relcache_callback = true;
	}
	c->next = caches;
	caches = c;
	c->linked = true;
}

/* May what c keeps be used? */
bool
lt_cache_valid(const LtCache *c)
{
	return c->linked && c->valid;
}

/*
 * Start loading c: its memory context (created the first time, reset
 * otherwise), with the cache marked valid and watching nothing yet.
 */
MemoryContext
lt_cache_begin(LtCache *c)
{
	cache_link(c);
	c->valid = false;
	if (c->cxt == NULL)
	{
		if (CacheMemoryContext == NULL)
			CreateCacheMemoryContext();
		c->cxt = AllocSetContextCreate(CacheMemoryContext, "letters_triage cache",
									   ALLOCSET_SMALL_SIZES);
		MemoryContextSetIdentifier(c->cxt, c->name);
	}
	else
		MemoryContextReset(c->cxt);
	c->nrels = 0;
	c->maxrels = 0;
	c->rels = NULL;
	c->nsyscaches = 0;
	c->valid = true;
	return c->cxt;
}

/* What c keeps was read from relation relid (a table or an index). */
void
lt_cache_watch_rel(LtCache *c, Oid relid)
{
	Assert(c->cxt != NULL);
	if (c->nrels == c->maxrels)
	{
		int			n = Max(4, 2 * c->maxrels);

		c->rels = c->rels == NULL ? MemoryContextAlloc(c->cxt, sizeof(Oid) * n)
			: repalloc(c->rels, sizeof(Oid) * n);
		c->maxrels = n;
	}
	c->rels[c->nrels++] = relid;
}

/* What c keeps was read from syscache cacheid; any change to it invalidates c. */
void
lt_cache_watch_syscache(LtCache *c, int cacheid)
{
	Assert(cacheid >= 0 && cacheid < SysCacheSize);
	for (int i = 0; i < c->nsyscaches; i++)
		if (c->syscaches[i] == cacheid)
			return;
	if (c->nsyscaches == LT_CACHE_MAX_SYSCACHES)
		elog(ERROR, "cache \"%s\" watches too many system caches", c->name);
	if (!syscache_callback[cacheid])
	{
		CacheRegisterSyscacheCallback(cacheid, syscache_invalidated, (Datum) 0);
		syscache_callback[cacheid] = true;
	}
	c->syscaches[c->nsyscaches++] = cacheid;
}

/* Forget what c keeps: the next use loads it again. */
void
lt_cache_invalidate(LtCache *c)
{
	c->valid = false;
}

/* The trigger data of a statement trigger that keeps a cache fresh (see trigger_fired.h). */
TriggerData *
lt_cache_trigger_data(FunctionCallInfo fcinfo, const char *fname)
{
	return lt_trigger_fired_after_statement(fcinfo, fname);
}

/*
 * Table rel, which c is read from, changed: c is invalid now in this
 * backend, and every backend receives a relcache invalidation of rel (at
 * its next transaction or command), which invalidates its own copy.
 */
void
lt_cache_changed(LtCache *c, Relation rel)
{
	CacheInvalidateRelcache(rel);
	lt_cache_invalidate(c);
}
