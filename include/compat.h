/*
 * compat.h — every API that differs between the PostgreSQL majors that
 * letters_triage supports lives here, behind PG_VERSION_NUM guards, so that
 * the rest of the code is written once.
 *
 * Tested: 15 (Debian 12), 17 (Debian 13) and 18 (Debian unstable).
 * Expected to work: 16.
 */
#ifndef LETTERS_TRIAGE_COMPAT_H
#define LETTERS_TRIAGE_COMPAT_H

#if PG_VERSION_NUM < 150000
#error "letters_triage needs PostgreSQL 15 or later"
#endif

/*
 * Soft input errors: PostgreSQL 16 added fcinfo->context as an ErrorSaveContext
 * and the ereturn() macro, so that pg_input_is_valid() can test a literal
 * without raising.  On 15, LT_ERETURN raises as ereport(ERROR) does.
 */
/* 16 moved the varlena macros (VARDATA_ANY, VARSIZE_ANY_EXHDR...) to varatt.h */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define LT_ESCONTEXT(fcinfo) ((fcinfo)->context)
#define LT_ERETURN(escontext, dummy, ...) ereturn(escontext, dummy, __VA_ARGS__)
#else
#define LT_ESCONTEXT(fcinfo) ((Node *) NULL)
#define LT_ERETURN(escontext, dummy, ...) \
	do { (void) (escontext); ereport(ERROR, __VA_ARGS__); return dummy; } while (0)
#endif

/*
 * Index maintenance for a row inserted without the executor (tracking's
 * direct path): PostgreSQL 16 added the onlySummarizing argument to
 * ExecInsertIndexTuples(), 18 an instrumentation argument to
 * index_beginscan().
 */
#if PG_VERSION_NUM >= 160000
#define LT_EXEC_INSERT_INDEX_TUPLES(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL, false)
#else
#define LT_EXEC_INSERT_INDEX_TUPLES(rri, slot, estate) \
	ExecInsertIndexTuples((rri), (slot), (estate), false, false, NULL, NIL)
#endif
#if PG_VERSION_NUM >= 180000
#define LT_INDEX_BEGINSCAN(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), NULL, (nkeys), (norderbys))
#else
#define LT_INDEX_BEGINSCAN(heap, index, snapshot, nkeys, norderbys) \
	index_beginscan((heap), (index), (snapshot), (nkeys), (norderbys))
#endif


/*
 * The primary key of a relation: PostgreSQL 18 added deferrable_ok to
 * RelationGetPrimaryKeyIndex().  false is what 15-17 do: a deferrable
 * primary key is not returned.
 */
#if PG_VERSION_NUM >= 180000
#define LT_RELATION_GET_PRIMARY_KEY_INDEX(rel) RelationGetPrimaryKeyIndex((rel), false)
#else
#define LT_RELATION_GET_PRIMARY_KEY_INDEX(rel) RelationGetPrimaryKeyIndex(rel)
#endif

/*
 * CHECK constraints of a row inserted without the executor: the prepared
 * expressions that ExecConstraints() uses instead of parsing the constraints
 * again, ResultRelInfo.ri_ConstraintExprs in 15-17, ri_CheckConstraintExprs
 * from 18; and from 18 a constraint may be NOT ENFORCED, which
 * ExecConstraints() skips (its expression stays NULL).
 */
#if PG_VERSION_NUM >= 180000
#define LT_RRI_CHECK_EXPRS(rri) ((rri)->ri_CheckConstraintExprs)
#define LT_CHECK_ENFORCED(constrcheck) ((constrcheck).ccenforced)
#else
#define LT_RRI_CHECK_EXPRS(rri) ((rri)->ri_ConstraintExprs)
#define LT_CHECK_ENFORCED(constrcheck) true
#endif

#endif							/* LETTERS_TRIAGE_COMPAT_H */
