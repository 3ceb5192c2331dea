/*
 * uninstall.h — the guard against dropping letter columns with the
 * extension (extension/uninstall.c).
 */
#ifndef LETTERS_TRIAGE_UNINSTALL_H
#define LETTERS_TRIAGE_UNINSTALL_H

extern void lt_uninstall_init(void);

#endif							/* LETTERS_TRIAGE_UNINSTALL_H */
