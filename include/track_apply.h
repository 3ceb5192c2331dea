/*
 * track_apply.h — tracking the changes that logical replication applies
 * (extension/track_apply.c).
 */
#ifndef LETTERS_TRIAGE_TRACK_APPLY_H
#define LETTERS_TRIAGE_TRACK_APPLY_H

#include "utils/relcache.h"

extern bool lt_apply_covers(Relation rel, Oid nspid, uint32 ev);

#endif							/* LETTERS_TRIAGE_TRACK_APPLY_H */
