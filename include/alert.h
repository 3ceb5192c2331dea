/*
 * alert.h — the alerts' C interface: the background worker that runs the
 * checks (worker.c) and the helpers of the alert functions (alert.c).
 */
#ifndef LETTERS_TRIAGE_ALERT_H
#define LETTERS_TRIAGE_ALERT_H

/*
 * Define the letters_triage.check_interval, .databases and .role settings
 * and, when the library is being preloaded, register the launcher worker.
 * Called from _PG_init.
 */
extern void lt_worker_init(void);

/* Define the letters_triage.alert_client_messages setting.  From _PG_init. */
extern void lt_alert_init(void);

/* Entry points of the background workers (named in bgw_function_name). */
extern PGDLLEXPORT void lt_launcher_main(Datum main_arg);
extern PGDLLEXPORT void lt_checker_main(Datum main_arg);

#endif							/* LETTERS_TRIAGE_ALERT_H */
