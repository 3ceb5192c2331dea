/*
 * harness_shim.h — what the libFuzzer harnesses of the classifier ask of
 * test/fuzz/harness_shim.c beyond the server's own API.
 */
#ifndef LETTERS_TRIAGE_HARNESS_SHIM_H
#define LETTERS_TRIAGE_HARNESS_SHIM_H

#include "postgres.h"

/* the harness prints with libc, not with the server's src/port versions */
#undef vsnprintf
#undef snprintf
#undef vfprintf
#undef fprintf
#undef printf
#undef sprintf
#undef qsort

/* The database encoding GetDatabaseEncoding() reports (PG_UTF8 or PG_SQL_ASCII). */
extern int	shim_encoding;

/* A fresh top-level memory context, and the bytes allocated in it now. */
extern MemoryContext shim_context(const char *name);
extern size_t shim_context_bytes(MemoryContext context);

/* Valid UTF-8 without NUL (what a UTF8 database accepts as text). */
extern bool shim_valid_utf8(const char *s, size_t len);

#endif
