/*
 * runas.h — running code as another role and leaving the caller's session
 * as it was, and running code whose error is caught (extension/runas.c).
 */
#ifndef LETTERS_TRIAGE_RUNAS_H
#define LETTERS_TRIAGE_RUNAS_H

/* What lt_run_as_begin() saved, for lt_run_as_end(). */
typedef struct LtRunAs
{
	Oid			save_userid;
	int			save_sec;
	int			guc_level;
} LtRunAs;

extern void lt_run_as_begin(LtRunAs *ra, Oid role, bool safe_path);
extern void lt_run_as_end(LtRunAs *ra);
extern void lt_safe_search_path(void);
extern bool lt_holds_advisory_locks(void);
extern void lt_release_session_advisory_locks(void);

typedef void (*LtProtectedFn) (void *arg);

extern ErrorData *lt_run_protected(LtProtectedFn fn, void *arg);
extern bool lt_must_rethrow(const ErrorData *edata);

#endif							/* LETTERS_TRIAGE_RUNAS_H */
