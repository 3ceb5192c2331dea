/*
 * track_key.h — the key of a tracked letter as text, the same in every
 * session, and sets of keys (extension/track_key.c).
 */
#ifndef LETTERS_TRIAGE_TRACK_KEY_H
#define LETTERS_TRIAGE_TRACK_KEY_H

#include "access/attnum.h"
#include "access/tupdesc.h"
#include "executor/tuptable.h"
#include "fmgr.h"

typedef enum LtKeyForm
{
	LT_KEY_REFUSED,				/* its text may depend on the session */
	LT_KEY_TEXT,				/* text, varchar: the string itself */
	LT_KEY_OUTPUT,				/* its output function, which reads no setting */
	LT_KEY_TIMESTAMPTZ,
	LT_KEY_TIMESTAMP,
	LT_KEY_DATE,
	LT_KEY_TIME,
	LT_KEY_TIMETZ,
	LT_KEY_INTERVAL,
	LT_KEY_BYTEA,
	LT_KEY_FLOAT4,
	LT_KEY_FLOAT8
} LtKeyForm;

typedef struct LtKeyRender
{
	LtKeyForm	form;
	FmgrInfo	out;			/* the type's output function (not for LT_KEY_TEXT) */
} LtKeyRender;

extern void lt_key_render_init(LtKeyRender *r, Oid type);
extern char *lt_key_render(LtKeyRender *r, Datum d);

/*
 * The key columns of a watched table (one or several), resolved against the
 * tuple descriptor of the rows read.
 */
typedef struct LtKey
{
	int			n;				/* key columns */
	char	   *name[INDEX_MAX_KEYS];
	AttrNumber	attno[INDEX_MAX_KEYS];	/* 1-based; 0 when not found */
	LtKeyRender render[INDEX_MAX_KEYS];
} LtKey;

extern const char *lt_key_resolve(LtKey *key, TupleDesc desc);
extern char *lt_key_of_slot(LtKey *key, TupleTableSlot *slot);
extern char *lt_key_compose(char **parts, int n);
extern void lt_key_more_columns(Datum names, bool isnull, char **out, int max, MemoryContext cxt);

extern uint32 lt_key_hash(const void *key, Size keysize);
extern int	lt_key_match(const void *a, const void *b, Size keysize);

typedef struct LtKeySet LtKeySet;

extern LtKeySet *lt_keyset_create(const char *name);
extern void lt_keyset_add(LtKeySet *set, const char *key);
extern bool lt_keyset_contains(LtKeySet *set, const char *key);
extern bool lt_keyset_mark(LtKeySet *set, const char *key);
extern int	lt_keyset_unseen(LtKeySet *set, Datum **keys);

#endif							/* LETTERS_TRIAGE_TRACK_KEY_H */
