/*
 * cache.h — backend-local caches of what the extension reads from its
 * tables and the catalogs, kept until what they were read from changes
 * (extension/cache.c).
 *
 * A cache is a static LtCache, LT_CACHE_INIT("what it keeps").  Its user
 *
 *   if (!lt_cache_valid(&c) || <its own key differs>)
 *   {
 *       MemoryContext cxt = lt_cache_begin(&c);    (the old contents freed)
 *       lt_cache_watch_rel(&c, relid);             (each table or index read)
 *       lt_cache_watch_syscache(&c, PROCOID);      (each catalog cache read)
 *       ... load into cxt; on failure or when nothing is worth keeping:
 *       lt_cache_invalidate(&c);
 *   }
 *
 * lt_cache_begin() marks the cache valid before the load: an invalidation
 * that arrives during it (taking a lock, reading a catalog) clears the flag
 * again, and the next use loads again rather than keep what was read before
 * the change.  A relcache invalidation of a watched relation, of every
 * relation, or any invalidation of a watched syscache clears the flag;
 * a statement trigger on the cached tables checks how it was fired with
 * lt_cache_trigger_data() and calls lt_cache_changed(), which invalidates
 * the cache in its own backend at once and queues a relcache invalidation of
 * the table for every other backend.
 * The callbacks are registered once per backend for every cache (a backend
 * has room for ten relcache callbacks in all).
 */
#ifndef LETTERS_TRIAGE_CACHE_H
#define LETTERS_TRIAGE_CACHE_H

#include "commands/trigger.h"
#include "fmgr.h"

#define LT_CACHE_MAX_SYSCACHES 4

typedef struct LtCache
{
	const char *name;			/* names its memory context */
	/* the rest is cache.c's */
	bool		valid;
	bool		linked;			/* in the list the callbacks walk */
	MemoryContext cxt;
	int			nrels;
	int			maxrels;
	Oid		   *rels;			/* the watched relations (in cxt) */
	int			nsyscaches;
	int			syscaches[LT_CACHE_MAX_SYSCACHES];
	struct LtCache *next;
} LtCache;

#define LT_CACHE_INIT(what) {.name = (what)}

extern bool lt_cache_valid(const LtCache *c);
extern MemoryContext lt_cache_begin(LtCache *c);
extern void lt_cache_watch_rel(LtCache *c, Oid relid);
extern void lt_cache_watch_syscache(LtCache *c, int cacheid);
extern void lt_cache_invalidate(LtCache *c);

/* for the statement triggers on the tables a cache is read from */
extern TriggerData *lt_cache_trigger_data(FunctionCallInfo fcinfo, const char *fname);
extern void lt_cache_changed(LtCache *c, Relation rel);

#endif							/* LETTERS_TRIAGE_CACHE_H */
