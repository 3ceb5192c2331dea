/*
 * track_key.h — the key of a tracked letter as text, the same in every
 * session, and sets of keys (extension/track_key.c).
 */
#ifndef LETTERS_TRIAGE_TRACK_KEY_H
#define LETTERS_TRIAGE_TRACK_KEY_H

#include "postgres.h"

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

typedef struct LtKeySet LtKeySet;

extern LtKeySet *lt_keyset_create(const char *name);
extern void lt_keyset_add(LtKeySet *set, const char *key);
extern bool lt_keyset_contains(LtKeySet *set, const char *key);
extern bool lt_keyset_mark(LtKeySet *set, const char *key);
extern int	lt_keyset_unseen(LtKeySet *set, Datum **keys);

#endif							/* LETTERS_TRIAGE_TRACK_KEY_H */
