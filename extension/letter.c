/*
 * letter.c — the SQL face of the letter type: input/output, binary
 * send/receive, the casts from and to text and char(n), the canonical text,
 * accessors, the constructor, jsonb conversion, comparison and hashing, and
 * the NHS number functions.  Parsing and printing live in the text core
 * (letter_parse.c, include/letter_parse.h).
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "compat.h"
#include "letter.h"

char *
lt_letter_kind_cstring(const LtLetter *l)
{
	const char *name = lt_kind_name((LtKind) l->kind);

	return name ? pstrdup(name) : NULL;
}

static LtLetter *
finish(LtLetter *l, size_t size)
{
	SET_VARSIZE(l, size);
	return l;
}

static void
report_build_error(LtBuildStatus st, bool binary)
{
	int			bad_input = binary ? ERRCODE_INVALID_BINARY_REPRESENTATION : ERRCODE_INVALID_PARAMETER_VALUE;

	switch (st)
	{
		case LT_OK:
			break;
		case LT_ERR_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("letter too large"),
					 errdetail("A letter is limited to %zu bytes in its stored form.", LT_MAX_SIZE)));
			break;
		case LT_ERR_BAD_NAME:
			ereport(ERROR,
					(errcode(bad_input),
					 errmsg("invalid letter header name"),
					 errdetail("A header name is 1 to %d characters: a letter or digit, then letters, digits, \"-\", \"_\" or \".\".",
							   LT_MAX_NAME_LEN)));
			break;
		case LT_ERR_BAD_VALUE:
			ereport(ERROR,
					(errcode(bad_input),
					 errmsg("invalid letter header value"),
					 errdetail("A header value may not contain line breaks or NUL bytes, nor start with a space or tab.")));
			break;
		case LT_ERR_NUL_BODY:
			ereport(ERROR,
					(errcode(binary ? ERRCODE_INVALID_BINARY_REPRESENTATION : ERRCODE_UNTRANSLATABLE_CHARACTER),
					 errmsg("letter body contains a NUL byte")));
			break;
		case LT_ERR_WIRE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary letter")));
			break;
	}
}

/* ---- input and output ---- */

PG_FUNCTION_INFO_V1(letter_in);

/* Parse the text form of a letter; any text is a letter. */
Datum
letter_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	size_t		size;
	LtLetter   *l = lt_letter_parse(s, strlen(s), &size);

	if (l == NULL)
		LT_ERETURN(LT_ESCONTEXT(fcinfo), (Datum) 0,
				   (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					errmsg("letter too large")));
	PG_RETURN_LTLETTER_P(finish(l, size));
}

PG_FUNCTION_INFO_V1(letter_out);

/* Print a letter: its text, as it was given. */
Datum
letter_out(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	size_t		len;
	const char *t = lt_letter_text(l, &len);

	PG_RETURN_CSTRING(pnstrdup(t, len));
}

PG_FUNCTION_INFO_V1(letter_to_text);

/* The cast to text: the text of the letter, as it was given. */
Datum
letter_to_text(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	size_t		len;
	const char *t = lt_letter_text(l, &len);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(t, (int) len));
}

PG_FUNCTION_INFO_V1(letter_canonical);

/* The canonical text: known headers in their order and spelling, LF line ends. */
Datum
letter_canonical(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	size_t		len;
	char	   *t = lt_letter_print(l, &len);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(t, (int) len));
}

/*
 * Bytes of the binary form in the server encoding, validated and converted
 * by pg_client_to_server exactly as text's binary input does (a NUL byte or
 * an invalid sequence is 22021, as for text).
 */
static const char *
from_client(const char *s, size_t *len)
{
	char	   *c = pg_client_to_server(s, (int) *len);

	if (c != s)
		*len = strlen(c);
	/* pg_client_to_server refuses NUL; the parser relies on it, so make sure */
	if (memchr(c, '\0', *len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid byte sequence: NUL byte in a letter")));
	return c;
}

/* Binary format 1 (earlier builds): header and body strings, built into a letter. */
static LtLetter *
recv_parts(const char *data, size_t len)
{
	LtHeaderSpec *h = NULL;
	int			n = 0,
				i;
	const char *body;
	size_t		body_len,
				size;
	const char *msg = NULL;
	LtLetter   *l = NULL;

	if (lt_wire_decode(data, len, &h, &n, &body, &body_len, &msg) != LT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary letter: %s", msg)));

	/* Convert from the client encoding, checking that the bytes are valid. */
	for (i = 0; i < n; i++)
	{
		h[i].name = from_client(h[i].name, &h[i].name_len);
		h[i].value = from_client(h[i].value, &h[i].value_len);
	}
	body = from_client(body, &body_len);
	report_build_error(lt_letter_build(h, n, body, body_len, &l, &size), true);
	return finish(l, size);
}

/* Text's binary format: the text, every byte checked as text's input would. */
static LtLetter *
recv_text(const char *data, size_t len)
{
	size_t		size;
	const char *t = from_client(data, &len);
	LtLetter   *l = lt_letter_parse(t, len, &size);

	if (l == NULL)
		report_build_error(LT_ERR_TOO_LARGE, true);
	return finish(l, size);
}

PG_FUNCTION_INFO_V1(letter_recv);

/*
 * Read the binary form: text's (so that a binary COPY of a text column
 * loads into a letter column), or format 1 as earlier builds wrote it,
 * which starts with 1 and a NUL byte, so that no text is mistaken for it.
 */
Datum
letter_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *data = buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	LtLetter   *l;

	if (len >= 2 && (unsigned char) data[0] == LT_WIRE_VERSION_1 && data[1] == '\0')
		l = recv_parts(data, len);
	else
		l = recv_text(data, len);
	buf->cursor = buf->len;
	PG_RETURN_LTLETTER_P(l);
}

PG_FUNCTION_INFO_V1(letter_send);

/* Write the binary form: text's, the text in the client encoding. */
Datum
letter_send(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	size_t		len;
	const char *t = lt_letter_text(l, &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, t, (int) len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(letter_from_bpchar);

/*
 * The cast from char(n): the value without its trailing spaces, as the cast
 * from char(n) to text gives it, so that converting a char(n) column to
 * letter keeps what converting it to text would.
 */
Datum
letter_from_bpchar(PG_FUNCTION_ARGS)
{
	BpChar	   *c = PG_GETARG_BPCHAR_PP(0);
	const char *s = VARDATA_ANY(c);
	size_t		len = VARSIZE_ANY_EXHDR(c),
				size;
	LtLetter   *l;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	l = lt_letter_parse(s, len, &size);
	if (l == NULL)
		report_build_error(LT_ERR_TOO_LARGE, false);
	PG_RETURN_LTLETTER_P(finish(l, size));
}

/* ---- accessors ---- */

static text *
trimmed_text(const char *v, int len)
{
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	return cstring_to_text_with_len(v, len);
}

static const char *
known_value(const LtLetter *l, LtKnownHeader k, int *len)
{
	return lt_letter_header(l, lt_known_header_name(k), len);
}

PG_FUNCTION_INFO_V1(letter_body);

/* Return the body of a letter. */
Datum
letter_body(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	int			len;
	const char *b = lt_letter_body(l, &len);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(b, len));
}

PG_FUNCTION_INFO_V1(letter_header);

/* Return the value of the first header of that name (any case), or NULL. */
Datum
letter_header(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int			len;
	const char *v = lt_letter_header(l, name, &len);

	if (v == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(v, len));
}

PG_FUNCTION_INFO_V1(letter_headers);

/* Return every header as (name, value), in stored order. */
Datum
letter_headers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	const char *data = LT_DATA(l);
	uint32		i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < l->nheaders; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(data + l->headers[i].name_off,
															 l->headers[i].name_len));
		values[1] = PointerGetDatum(cstring_to_text_with_len(data + l->headers[i].value_off,
															 (int) l->headers[i].value_len));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(letter_nhs_number);

/* Return the NHS number as 10 digits, or NULL if absent or invalid. */
Datum
letter_nhs_number(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	int			len;
	const char *v = known_value(l, LT_H_NHS_NUMBER, &len);
	char		digits[10];

	if (v == NULL || lt_nhs_number_check(v, (size_t) len, digits) != 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(digits, 10));
}

PG_FUNCTION_INFO_V1(letter_recipient);

/* Return the recipient's ODS code in upper case, or NULL if absent or invalid. */
Datum
letter_recipient(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	int			len;
	const char *v = known_value(l, LT_H_TO, &len);
	char		code[6];

	if (v == NULL || !lt_ods_code(v, (size_t) len, code))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(code, 6));
}

/* Return a known header's value without trailing blanks, or NULL. */
static Datum
known_text(FunctionCallInfo fcinfo, LtKnownHeader k)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	int			len;
	const char *v = known_value(l, k, &len);

	if (v == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(trimmed_text(v, len));
}

PG_FUNCTION_INFO_V1(letter_sender);

/* Return the From header, or NULL. */
Datum
letter_sender(PG_FUNCTION_ARGS)
{
	return known_text(fcinfo, LT_H_FROM);
}

PG_FUNCTION_INFO_V1(letter_subject);

/* Return the Subject header, or NULL. */
Datum
letter_subject(PG_FUNCTION_ARGS)
{
	return known_text(fcinfo, LT_H_SUBJECT);
}

PG_FUNCTION_INFO_V1(letter_letter_id);

/* Return the Letter-Id header, or NULL. */
Datum
letter_letter_id(PG_FUNCTION_ARGS)
{
	return known_text(fcinfo, LT_H_LETTER_ID);
}

PG_FUNCTION_INFO_V1(letter_kind);

/* Return the canonical kind, or NULL if absent or unknown. */
Datum
letter_kind(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	char	   *k = lt_letter_kind_cstring(l);

	if (k == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(k));
}

PG_FUNCTION_INFO_V1(letter_dated);

/* Return the Dated header as timestamptz, or NULL if absent or unparseable. */
Datum
letter_dated(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);

	if (l->dated_state != LT_DATED_OFFSET && l->dated_state != LT_DATED_LOCAL)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ((TimestampTz) lt_letter_dated(l));
}

PG_FUNCTION_INFO_V1(letter_problems);

/* Return the problem codes of a letter, in a fixed order; empty if none. */
Datum
letter_problems(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	Datum		elems[LT_NUM_PROBLEMS];
	int			n = 0,
				i;

	for (i = 0; i < LT_NUM_PROBLEMS; i++)
		if (l->problems & (1u << i))
			elems[n++] = PointerGetDatum(cstring_to_text(lt_problem_names[i]));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(letter_is_valid);

/* True when a letter has no problems. */
Datum
letter_is_valid(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);

	PG_RETURN_BOOL(l->problems == 0);
}

/* ---- constructors ---- */

/* Add a header from a text argument, normalising its value. */
static void
add_arg_header(FunctionCallInfo fcinfo, int argno, LtKnownHeader k, LtHeaderSpec *h, int *n)
{
	text	   *t;
	char	   *buf;

	if (PG_ARGISNULL(argno))
		return;
	t = PG_GETARG_TEXT_PP(argno);
	buf = palloc(VARSIZE_ANY_EXHDR(t) + 1);
	h[*n].name = lt_known_header_name(k);
	h[*n].name_len = strlen(h[*n].name);
	h[*n].value = buf;
	h[*n].value_len = lt_header_value_normalize(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), buf);
	(*n)++;
}

PG_FUNCTION_INFO_V1(letter_letter);

/*
 * Build a letter from a body and header values; the body is kept as it is
 * (never parsed for headers), line breaks in values become spaces.
 */
Datum
letter_letter(PG_FUNCTION_ARGS)
{
	LtHeaderSpec h[LT_NUM_KNOWN_HEADERS];
	int			n = 0;
	text	   *body;
	LtLetter   *l = NULL;
	size_t		size;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	body = PG_GETARG_TEXT_PP(0);
	add_arg_header(fcinfo, 7, LT_H_LETTER_ID, h, &n);
	add_arg_header(fcinfo, 1, LT_H_NHS_NUMBER, h, &n);
	add_arg_header(fcinfo, 2, LT_H_TO, h, &n);
	add_arg_header(fcinfo, 6, LT_H_FROM, h, &n);
	if (!PG_ARGISNULL(3))
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(3);
		struct pg_tm tm;
		fsec_t		fsec;
		char	   *s;

		if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0 ||
			tm.tm_year < 1 || tm.tm_year > 9999)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("letter date out of range"),
					 errdetail("Dated must lie between the years 1 and 9999.")));
		if (fsec != 0)
			s = psprintf("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year, tm.tm_mon,
						 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fsec);
		else
			s = psprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year, tm.tm_mon,
						 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		h[n].name = lt_known_header_name(LT_H_DATED);
		h[n].name_len = strlen(h[n].name);
		h[n].value = s;
		h[n].value_len = strlen(s);
		n++;
	}
	add_arg_header(fcinfo, 4, LT_H_KIND, h, &n);
	add_arg_header(fcinfo, 5, LT_H_SUBJECT, h, &n);
	report_build_error(lt_letter_build(h, n, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body), &l, &size), false);
	PG_RETURN_LTLETTER_P(finish(l, size));
}

/* A jsonb string as a pointer and length, or raise. */
static void
jsonb_string(JsonbValue *v, const char *what, const char **s, size_t *len)
{
	if (v == NULL || v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid jsonb for a letter: %s must be a string", what)));
	*s = v->val.string.val;
	*len = (size_t) v->val.string.len;
}

/* Add a header from jsonb strings, normalising its value. */
static void
add_jsonb_header(JsonbValue *name, JsonbValue *value, LtHeaderSpec *h)
{
	const char *v;
	size_t		vl;
	char	   *buf;

	jsonb_string(name, "a header name", &h->name, &h->name_len);
	jsonb_string(value, "a header value", &v, &vl);
	buf = palloc(vl + 1);
	h->value = buf;
	h->value_len = lt_header_value_normalize(v, vl, buf);
}

PG_FUNCTION_INFO_V1(letter_from_jsonb);

/*
 * Build a letter from {"headers": [[name, value], …], "body": "…"} (headers
 * may also be an object {name: value, …}; it may be absent).
 */
Datum
letter_from_jsonb(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbIterator *it;
	JsonbValue	v,
			   *bodyv,
			   *hv;
	JsonbIteratorToken tok;
	LtHeaderSpec *h = NULL;
	int			n = 0;
	const char *body;
	size_t		body_len,
				size;
	LtLetter   *l = NULL;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid jsonb for a letter: not an object")));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY &&
			!(v.val.string.len == 4 && memcmp(v.val.string.val, "body", 4) == 0) &&
			!(v.val.string.len == 7 && memcmp(v.val.string.val, "headers", 7) == 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid jsonb for a letter: unexpected key \"%s\"",
							pnstrdup(v.val.string.val, v.val.string.len)),
					 errhint("A letter as jsonb has the keys \"headers\" and \"body\".")));
	}
	bodyv = getKeyJsonValueFromContainer(&jb->root, "body", 4, NULL);
	jsonb_string(bodyv, "\"body\"", &body, &body_len);

	hv = getKeyJsonValueFromContainer(&jb->root, "headers", 7, NULL);
	if (hv != NULL && hv->type != jbvNull)
	{
		JsonbContainer *c;
		int			size_h,
					i;

		if (hv->type != jbvBinary || JsonContainerIsScalar(hv->val.binary.data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid jsonb for a letter: \"headers\" must be an array or an object")));
		c = hv->val.binary.data;
		size_h = (int) JsonContainerSize(c);
		h = palloc(((size_t) size_h + 1) * sizeof(LtHeaderSpec));
		if (JsonContainerIsArray(c))
		{
			for (i = 0; i < size_h; i++)
			{
				JsonbValue *pair = getIthJsonbValueFromContainer(c, (uint32) i);

				if (pair->type != jbvBinary || !JsonContainerIsArray(pair->val.binary.data) ||
					JsonContainerSize(pair->val.binary.data) != 2)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid jsonb for a letter: each header must be an array [name, value]")));
				add_jsonb_header(getIthJsonbValueFromContainer(pair->val.binary.data, 0),
								 getIthJsonbValueFromContainer(pair->val.binary.data, 1), &h[n++]);
			}
		}
		else
		{
			JsonbValue	key;

			it = JsonbIteratorInit(c);
			while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
			{
				if (tok == WJB_KEY)
					key = v;
				else if (tok == WJB_VALUE)
					add_jsonb_header(&key, &v, &h[n++]);
			}
		}
	}
	report_build_error(lt_letter_build(h, n, body, body_len, &l, &size), false);
	PG_RETURN_LTLETTER_P(finish(l, size));
}

/* ---- NHS numbers on plain text ---- */

PG_FUNCTION_INFO_V1(lt_nhs_number_valid);

/* True if the text is a valid NHS number (10 digits, Modulus 11). */
Datum
lt_nhs_number_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		digits[10];

	PG_RETURN_BOOL(lt_nhs_number_check(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), digits) == 0);
}

PG_FUNCTION_INFO_V1(lt_nhs_number_text);

/* The canonical 10 digits of a valid NHS number, else NULL. */
Datum
lt_nhs_number_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		digits[10];

	if (lt_nhs_number_check(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), digits) != 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(digits, 10));
}

/* ---- comparison and hashing ---- */

/*
 * Letters compare as their texts do under the expression's collation, as
 * text does: ORDER BY, <, > and btree indexes follow the collation (so a
 * column converted from text keeps its order), and = and hashing are
 * bytewise under a deterministic collation (every libc collation, the
 * database's default) and the collation's equality under a nondeterministic
 * one, computed by text's own functions.
 */
static bool
collation_deterministic(Oid collid)
{
	if (!OidIsValid(collid))
		ereport(ERROR,
				(errcode(ERRCODE_INDETERMINATE_COLLATION),
				 errmsg("could not determine which collation to use for letter comparison"),
				 errhint("Use the COLLATE clause to set the collation explicitly.")));
	return collid == DEFAULT_COLLATION_OID || collid == C_COLLATION_OID ||
		get_collation_isdeterministic(collid);
}

static int
letter_cmp_internal(const LtLetter *a, const LtLetter *b, Oid collid)
{
	size_t		alen,
				blen;
	const char *at = lt_letter_text(a, &alen);
	const char *bt = lt_letter_text(b, &blen);
	int			c;

	(void) collation_deterministic(collid);
	c = varstr_cmp(at, (int) alen, bt, (int) blen, collid);
	return (c < 0) ? -1 : (c > 0) ? 1 : 0;
}

static bool
letter_eq_internal(const LtLetter *a, const LtLetter *b, Oid collid)
{
	size_t		alen,
				blen;
	const char *at = lt_letter_text(a, &alen);
	const char *bt = lt_letter_text(b, &blen);

	if (collation_deterministic(collid))
		return alen == blen && memcmp(at, bt, alen) == 0;
	return varstr_cmp(at, (int) alen, bt, (int) blen, collid) == 0;
}

#define LETTER_CMP_FN(fname, expr) \
PG_FUNCTION_INFO_V1(fname); \
Datum \
fname(PG_FUNCTION_ARGS) \
{ \
	LtLetter   *a = PG_GETARG_LTLETTER_P(0); \
	LtLetter   *b = PG_GETARG_LTLETTER_P(1); \
	Oid			collid = PG_GET_COLLATION(); \
	bool		r = (expr); \
	PG_FREE_IF_COPY(a, 0); \
	PG_FREE_IF_COPY(b, 1); \
	PG_RETURN_BOOL(r); \
}

/* Equality, inequality and the btree order operators. */
LETTER_CMP_FN(letter_eq, letter_eq_internal(a, b, collid))
LETTER_CMP_FN(letter_ne, !letter_eq_internal(a, b, collid))
LETTER_CMP_FN(letter_lt, letter_cmp_internal(a, b, collid) < 0)
LETTER_CMP_FN(letter_le, letter_cmp_internal(a, b, collid) <= 0)
LETTER_CMP_FN(letter_gt, letter_cmp_internal(a, b, collid) > 0)
LETTER_CMP_FN(letter_ge, letter_cmp_internal(a, b, collid) >= 0)

PG_FUNCTION_INFO_V1(letter_cmp);

/* The btree support function: -1, 0 or 1. */
Datum
letter_cmp(PG_FUNCTION_ARGS)
{
	LtLetter   *a = PG_GETARG_LTLETTER_P(0);
	LtLetter   *b = PG_GETARG_LTLETTER_P(1);
	int			r = letter_cmp_internal(a, b, PG_GET_COLLATION());

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	PG_RETURN_INT32(r);
}

/*
 * Hash of a letter's text under a collation: of the bytes when it is
 * deterministic (equal letters have equal texts), else text's hash function
 * on a copy of the text (which hashes the collation's sort key).
 */
static Datum
letter_hash_internal(const LtLetter *l, Oid collid, bool extended, int64 seed)
{
	size_t		len;
	const char *t = lt_letter_text(l, &len);
	Datum		txt;

	if (collation_deterministic(collid))
		return extended ? hash_any_extended((const unsigned char *) t, (int) len, (uint64) seed)
			: hash_any((const unsigned char *) t, (int) len);
	txt = PointerGetDatum(cstring_to_text_with_len(t, (int) len));
	return extended ? DirectFunctionCall2Coll(hashtextextended, collid, txt, Int64GetDatum(seed))
		: DirectFunctionCall1Coll(hashtext, collid, txt);
}

PG_FUNCTION_INFO_V1(letter_hash);

/* Hash of the text, consistent with = under the collation. */
Datum
letter_hash(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	Datum		h = letter_hash_internal(l, PG_GET_COLLATION(), false, 0);

	PG_FREE_IF_COPY(l, 0);
	return h;
}

PG_FUNCTION_INFO_V1(letter_hash_extended);

/* Seeded 64-bit hash of the text, consistent with = under the collation. */
Datum
letter_hash_extended(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	Datum		h = letter_hash_internal(l, PG_GET_COLLATION(), true, PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(l, 0);
	return h;
}
