/*
 * classify_letter.c — the classifier on letters_triage.letter values:
 * classify(letter), urgency(letter), actions(letter), evidence(letter).
 *
 * The letter's Kind and Subject headers are read as two lines before its
 * body; "Kind: death" (or any Kind naming a death) makes the letter a death
 * notification.  evidence(letter) reports offsets in characters of
 * body(letter); matches in the header lines have source "header" and no
 * offset.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "sqlfunc.h"
#include "letter.h"

/* A header value as a NUL-terminated string, or NULL when absent. */
static char *
header_cstring(const LtLetter *l, const char *name)
{
	int			len;
	const char *v = lt_letter_header(l, name, &len);

	return v ? pnstrdup(v, len) : NULL;
}

/* Classify the letter argument; return what the function being called returns. */
static Datum
classify_letter(FunctionCallInfo fcinfo, LtResultKind what)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	int			len;
	const char *body = lt_letter_body(l, &len);

	return lt_classify_result(fcinfo, what, body, len, header_cstring(l, "Kind"),
							  header_cstring(l, "Subject"), header_cstring(l, "Dated"));
}

PG_FUNCTION_INFO_V1(letter_classify);

/* classify(letter): the triage of a letter, its header block included. */
Datum
letter_classify(PG_FUNCTION_ARGS)
{
	return classify_letter(fcinfo, LT_RESULT_TRIAGE);
}

PG_FUNCTION_INFO_V1(letter_urgency);

/* urgency(letter): how soon the GP must act. */
Datum
letter_urgency(PG_FUNCTION_ARGS)
{
	return classify_letter(fcinfo, LT_RESULT_URGENCY);
}

PG_FUNCTION_INFO_V1(letter_actions);

/* actions(letter): the GP actions a letter asks for. */
Datum
letter_actions(PG_FUNCTION_ARGS)
{
	return classify_letter(fcinfo, LT_RESULT_ACTIONS);
}

PG_FUNCTION_INFO_V1(letter_evidence);

/* evidence(letter): one row per match, offsets in characters of the body. */
Datum
letter_evidence(PG_FUNCTION_ARGS)
{
	LtLetter   *l = PG_GETARG_LTLETTER_P(0);
	int			len;
	const char *body = lt_letter_body(l, &len);
	char	   *kind = header_cstring(l, "Kind");
	char	   *subject = header_cstring(l, "Subject");
	char	   *dated = header_cstring(l, "Dated");
	int			tlen = len;
	int			prefix = 0;
	const char *text = body;

	if (kind != NULL || subject != NULL || dated != NULL)
		text = lt_header_text(kind, subject, dated, body, len, &tlen, &prefix);
	lt_evidence_rows(fcinfo, text, tlen, prefix);
	return (Datum) 0;
}
