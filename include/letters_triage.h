/*
 * letters_triage.h — declarations shared by the extension's C files.
 *
 * Layers (dependencies run downwards only):
 *   text core     letter parsing, normalisation, matcher, context   (no SPI, no catalogs)
 *   SQL layer     fmgr wrappers, rule loader and its invalidation
 *   tracking      watch(), the trigger, deadlines
 *   alerts        checks and the background worker
 */
#ifndef LETTERS_TRIAGE_H
#define LETTERS_TRIAGE_H

#include "postgres.h"
#include "compat.h"

/* Version of the C library; the install script's version must match. */
#define LETTERS_TRIAGE_VERSION "0.1"

/* module.c */
extern void _PG_init(void);

#endif							/* LETTERS_TRIAGE_H */
