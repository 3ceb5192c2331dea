/*
 * letter.h — the SQL layer of the letter type letters_triage.letter
 * (extension/letter.c): what the rest of the extension uses to read letter
 * datums.  The stored layout, the parser and the accessors are the text core's
 * (include/letter_parse.h), which this header includes; the core never
 * includes this one.
 */
#ifndef LETTERS_TRIAGE_LETTER_H
#define LETTERS_TRIAGE_LETTER_H

#include "fmgr.h"

#include "letter_parse.h"

#define DatumGetLtLetterP(d)	((LtLetter *) PG_DETOAST_DATUM(d))
#define PG_GETARG_LTLETTER_P(n)	DatumGetLtLetterP(PG_GETARG_DATUM(n))
#define PG_RETURN_LTLETTER_P(x)	PG_RETURN_POINTER(x)

/* Canonical kind name ("discharge", "death", …) or NULL; palloc'd. */
extern char *lt_letter_kind_cstring(const LtLetter *l);


#endif							/* LETTERS_TRIAGE_LETTER_H */
