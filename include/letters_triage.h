/*
 * letters_triage.h — what belongs to the whole module: the C library's
 * version and _PG_init (module.c), with compat.h.  Each layer's own
 * declarations are in its headers; dependencies run downwards only:
 *
 *   text core     letter parsing (letter.h), the classifier (triage.h, public;
 *                 core.h, internal)                         no SPI, no catalogs
 *   SQL layer     fmgr wrappers, the backend's rule set (sqlfunc.h)
 *   tracking      watch(), the trigger, deadlines (track.h, track_key.h)
 *   alerts        checks and the background worker (alert.h)
 */
#ifndef LETTERS_TRIAGE_H
#define LETTERS_TRIAGE_H

#include "compat.h"

/* Version of the C library; the install script's version must match. */
#define LETTERS_TRIAGE_VERSION "0.1"

/* module.c */
extern void _PG_init(void);

#endif							/* LETTERS_TRIAGE_H */
