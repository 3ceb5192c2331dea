/*
 * letter_parse.h — the text core of the letter type letters_triage.letter
 * (extension/letter_parse.c): the stored layout it builds and reads, the
 * parser and printer, the field checks and the accessors.  Free of fmgr and
 * SPI so that test/fuzz builds it outside the server (LT_FRONTEND).  The SQL
 * layer (letter.c, include/letter.h) sits on top of it; nothing here depends
 * on the SQL layer except the two services its caller provides (lt_alloc,
 * lt_london_to_timestamptz, extension/letter_server.c in the server).
 *
 * A letter is the text it was given, byte for byte, and its parsed view: a
 * list of headers (name, value) and a body, the body being the end of the
 * text.
 *
 * Stored layout, version 2 (a varlena; all integers in host byte order):
 *
 *   offset  size  field
 *        0     4  vl_len_      varlena header (may be stored short or TOASTed)
 *        4     1  version      LT_LETTER_VERSION (2)
 *        5     1  kind         LtKind of the first Kind header (LT_KIND_NONE if absent)
 *        6     1  dated_state  LtDatedState of the first Dated header
 *        7     1  reserved     zero
 *        8     4  problems     bit set of LT_PROBLEM_* (see lt_problem_names)
 *       12     4  nheaders     number of headers
 *       16     4  body_off     offset of the body from the start of data[]
 *       20     4  body_len     length of the body in bytes
 *       24     8  dated        first Dated as a PostgreSQL TimestampTz (microseconds
 *                              since 2000-01-01 UTC) when dated_state is
 *                              LT_DATED_OFFSET or LT_DATED_LOCAL, else 0;
 *                              read it with memcpy (the value may be only
 *                              4-byte aligned)
 *       32  16*n  headers[n]   LtHeaderRef: name_off, value_off, value_len (uint32),
 *                              name_len (uint16), known (LtKnownHeader), reserved (0)
 *   32+16n     …  data[]       the text as given (body_off + body_len bytes: the
 *                              body is its end), then the header names and
 *                              values of the parsed view; no NULs added,
 *                              nothing padded
 *
 * The parsed view: headers in canonical order, the known headers first in
 * the order of LtKnownHeader (duplicates kept, in input order), then the
 * others in input order; known header names with their canonical spelling,
 * other names verbatim; values normalised (continuation lines joined,
 * leading blanks dropped).  The layout is a pure function of the text, and
 * equality, hashing and ordering compare the text (lt_letter_text) as text
 * does, under the collation (letter.c).
 *
 * Version 1 (written before the text was kept) has the same fixed part, but
 * data[] holds only the parsed view: the header strings, then the body.  Its
 * text is its canonical text (lt_letter_print), which is what it printed.
 * Every accessor reads both versions; only lt_letter_text tells them apart.
 *
 * Invariants (what the text parser produces, what binary receive and the
 * constructors enforce): a header name is 1..LT_MAX_NAME_LEN bytes of
 * [A-Za-z0-9] followed by [A-Za-z0-9_.-]; a header value contains no CR, LF
 * or NUL and does not start with a space or tab; the text contains no NUL.
 */
#ifndef LETTERS_TRIAGE_LETTER_PARSE_H
#define LETTERS_TRIAGE_LETTER_PARSE_H

#ifdef LT_FRONTEND
/* Built outside the server (test/fuzz): only the text core is available. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t uint8;
typedef uint16_t uint16;
typedef int32_t int32;
typedef uint32_t uint32;
typedef int64_t int64;
#define LT_LETTER_CHECK_INTERRUPTS() ((void) 0)
#else
#include "fmgr.h"
#include "miscadmin.h"
/* in the loops over a letter's lines: statement_timeout and cancel stop them */
#define LT_LETTER_CHECK_INTERRUPTS() CHECK_FOR_INTERRUPTS()
#endif

#define LT_LETTER_VERSION	2
#define LT_LETTER_VERSION_1	1	/* the parsed view only; read, never written */
#define LT_MAX_NAME_LEN		200
/* Largest stored letter (the varlena limit, with room to spare). */
#define LT_MAX_SIZE			((size_t) 0x3FFFFFFF - 1024)

typedef enum LtKnownHeader
{
	LT_H_LETTER_ID = 0,
	LT_H_NHS_NUMBER,
	LT_H_TO,
	LT_H_FROM,
	LT_H_DATED,
	LT_H_KIND,
	LT_H_SUBJECT,
	LT_H_OTHER					/* any other header */
} LtKnownHeader;

#define LT_NUM_KNOWN_HEADERS LT_H_OTHER

typedef enum LtKind
{
	LT_KIND_NONE = 0,			/* no Kind header */
	LT_KIND_DISCHARGE,
	LT_KIND_OUTPATIENT,
	LT_KIND_COMMUNITY,
	LT_KIND_DEATH,
	LT_KIND_RESULT,
	LT_KIND_OTHER,
	LT_KIND_UNKNOWN				/* a Kind header that names no known kind */
} LtKind;

typedef enum LtDatedState
{
	LT_DATED_NONE = 0,			/* no Dated header */
	LT_DATED_OFFSET,			/* valid, with an explicit UTC offset or Z */
	LT_DATED_LOCAL,				/* valid, no offset: read as Europe/London time */
	LT_DATED_INVALID			/* present but not an ISO 8601 date or timestamp */
} LtDatedState;

/* Problem codes: bit i of LtLetter.problems is lt_problem_names[i]. */
#define LT_PROBLEM_NHS_NUMBER_FORMAT		0x01
#define LT_PROBLEM_NHS_NUMBER_CHECK_DIGIT	0x02
#define LT_PROBLEM_RECIPIENT_FORMAT			0x04
#define LT_PROBLEM_DATED_UNPARSEABLE		0x08
#define LT_PROBLEM_KIND_UNKNOWN				0x10
#define LT_PROBLEM_DUPLICATE_HEADER			0x20
#define LT_NUM_PROBLEMS						6
extern const char *const lt_problem_names[LT_NUM_PROBLEMS];

typedef struct LtHeaderRef
{
	uint32		name_off;
	uint32		value_off;
	uint32		value_len;
	uint16		name_len;
	uint8		known;			/* LtKnownHeader */
	uint8		reserved;
} LtHeaderRef;

typedef struct LtLetter
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		kind;
	uint8		dated_state;
	uint8		reserved;
	uint32		problems;
	uint32		nheaders;
	uint32		body_off;
	uint32		body_len;
	uint32		dated[2];		/* int64 TimestampTz; read with lt_letter_dated() */
	LtHeaderRef headers[1];		/* nheaders of them (FLEXIBLE_ARRAY_MEMBER in spirit) */
} LtLetter;

#define LT_FIXED_SIZE		offsetof(LtLetter, headers)
#define LT_DATA(l)			((const char *) (l) + LT_FIXED_SIZE + (size_t) (l)->nheaders * sizeof(LtHeaderRef))

/* A header given to lt_letter_build (pointers into the caller's memory). */
typedef struct LtHeaderSpec
{
	const char *name;
	size_t		name_len;
	const char *value;
	size_t		value_len;
} LtHeaderSpec;

/* Broken-down ISO 8601 date/time of a Dated header. */
typedef struct LtDateFields
{
	int			year, month, day, hour, minute, second, usec;
	bool		has_offset;
	int			offset_sec;		/* east of UTC, when has_offset */
} LtDateFields;

/* Results of lt_letter_build and lt_wire_decode. */
typedef enum LtBuildStatus
{
	LT_OK = 0,
	LT_ERR_TOO_LARGE,			/* the letter would exceed LT_MAX_SIZE */
	LT_ERR_BAD_NAME,			/* a header name breaks the name syntax */
	LT_ERR_BAD_VALUE,			/* a header value holds CR/LF/NUL or starts with white space */
	LT_ERR_NUL_BODY,			/* the body holds a NUL byte */
	LT_ERR_WIRE					/* malformed binary format (see the message) */
} LtBuildStatus;

/*
 * Provided by the caller of the text core (letter.c in the server,
 * test/fuzz/fuzz_letter.c outside it): memory (palloc in the server,
 * malloc in test/fuzz) and the reading of a local time as Europe/London
 * (returns a TimestampTz).
 */
extern void *lt_alloc(size_t size);
extern int64 lt_london_to_timestamptz(const LtDateFields *f);

/* ---- text core (letter_parse.c) ---- */

/* Parse any text into a letter; NULL when it would exceed LT_MAX_SIZE. */
extern LtLetter *lt_letter_parse(const char *text, size_t len, size_t *size);

/*
 * Build a letter from parts (names canonicalised, headers reordered); its
 * text is the canonical text of those parts.
 */
extern LtBuildStatus lt_letter_build(const LtHeaderSpec *h, int nheaders,
									 const char *body, size_t body_len,
									 LtLetter **out, size_t *size);

/* Canonical text of a letter (lt_alloc'd, NUL-terminated). */
extern char *lt_letter_print(const LtLetter *l, size_t *len);

/*
 * The text of a letter, as given: a pointer into the value for version 2,
 * the canonical text (lt_alloc'd) for version 1.  Not NUL-terminated.
 */
extern const char *lt_letter_text(const LtLetter *l, size_t *len);

/* Normalise a header value as the constructors do: line breaks folded, leading blanks dropped. */
extern size_t lt_header_value_normalize(const char *src, size_t len, char *dst);
extern bool lt_header_name_valid(const char *name, size_t len);
extern LtKnownHeader lt_known_header(const char *name, size_t len);
extern const char *lt_known_header_name(LtKnownHeader h);

/* Field checks.  NHS number: 0 valid, else an LT_PROBLEM_NHS_NUMBER_* bit. */
extern int	lt_nhs_number_check(const char *s, size_t len, char digits[10]);
extern bool lt_ods_code(const char *s, size_t len, char code[6]);
extern LtKind lt_kind_lookup(const char *s, size_t len);
extern const char *lt_kind_name(LtKind k);
extern bool lt_dated_parse(const char *s, size_t len, LtDateFields *f);
extern int64 lt_fields_to_timestamptz(const LtDateFields *f, int offset_sec_east);

/*
 * Binary (COPY BINARY / driver) format: text's, the text in the client
 * encoding (letter_send, letter_recv).  The format that earlier builds wrote,
 * format 1, is still read (network byte order):
 *   uint8 version (1), int32 nheaders, nheaders × (int32 len, name bytes,
 *   int32 len, value bytes), int32 len, body bytes; nothing after.
 * It cannot be mistaken for a text: its second byte (the high byte of the
 * header count) is NUL, which no text holds.  lt_wire_decode decodes it: it
 * checks the structure (never reads past the end) and returns pointers into
 * buf; the strings are then checked by lt_letter_build.
 */
#define LT_WIRE_VERSION_1	1
extern LtBuildStatus lt_wire_decode(const char *buf, size_t len, LtHeaderSpec **headers,
									int *nheaders, const char **body, size_t *body_len,
									const char **errmsg);

/* Accessors (no reparsing).  Pointers into the value, not NUL-terminated. */
extern const char *lt_letter_body(const LtLetter *l, int *len);
extern const char *lt_letter_header(const LtLetter *l, const char *name, int *len);
extern int64 lt_letter_dated(const LtLetter *l);

#endif							/* LETTERS_TRIAGE_LETTER_PARSE_H */
