/*
 * aside.c — what the words around a phrase say of it that makes it no ask:
 * a field label and its value ("Safeguarding: none"), a line of copies
 * ("cc: ..."), a form's question answered "No", an option left to the GP
 * ("consider referral"), the writer's own number to call, a condition after
 * advice to see one's GP, a follow-up that is a test.
 */
#include "postgres.h"

#include "core.h"

/*
 * Is the match [start, end) a field label: first on its line (after blanks
 * or a bullet) and followed by ':', or the first cell of a table's row ("|
 * Safeguarding | No concerns |")?  Returns where its value starts (after the
 * ':' or '|' and blanks), or -1.
 */
int
lt_field_label_value(const char *s, int len, int start, int end)
{
	int			p = start;
	int			q = end;
	bool		cell = false;

	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t' || s[p - 1] == '*' || s[p - 1] == '-'))
		p--;
	if (p > 0 && s[p - 1] == '|')
	{
		cell = true;
		p--;
		while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))
			p--;
	}
	if (p > 0 && s[p - 1] != '\n' && s[p - 1] != '\r')
		return -1;
	while (q < len && (s[q] == ' ' || s[q] == '\t'))
		q++;
	if (q >= len || !(s[q] == ':' || (cell && s[q] == '|')))
		return -1;
	q++;
	while (q < len && (s[q] == ' ' || s[q] == '\t'))
		q++;
	return q;
}

/*
 * Is the match [start, end) a field label whose value says there is nothing
 * ("Safeguarding: none", "Safeguarding: No concerns.", "Medication changes:
 * N/A")?  The label names the field, not a concern or a change.
 */
bool
lt_label_says_none(const char *s, int len, int start, int end)
{
	static const char *const nothing[] = {
		"none", "no", "nil", "n/a", "na", "not applicable", "not known", "nothing", NULL
	};
	int			q = lt_field_label_value(s, len, start, end);

	if (q < 0)
		return false;
	for (int k = 0; nothing[k]; k++)
		if (lt_phrase_at(s, len, q, nothing[k]))
			return true;
	return false;
}


/*
 * Is the match [start, end) in a question its line answers no ("Vomiting,
 * fever, neck stiffness, rash? No", "Any safeguarding concerns? - None")?
 * Forms and e-consults ask their red-flag questions so.
 */
bool
lt_answered_no(const char *s, int len, int end)
{
	static const char *const no[] = {"no", "none", "nil", "n", "denies", NULL};
	int			q = end,
				a,
				b;

	while (q < len && q - end < 200 && s[q] != '?' && s[q] != '\n' && s[q] != '.')
		q++;
	if (q >= len || s[q] != '?')
		return false;
	q++;
	while (q < len && (s[q] == ' ' || s[q] == '\t' || s[q] == '-' || s[q] == ':'))
		q++;
	if (!lt_word_after(s, len, q, &a, &b) || !lt_word_among(s, a, b, no))
		return false;
	/* the answer ends its line ("? No." "? No - ...", not "? No, she has ...") */
	while (b < len && (s[b] == ' ' || s[b] == '\t' || s[b] == '.'))
		b++;
	return b >= len || s[b] == '\n' || s[b] == '\r';
}

/*
 * Is the match at start on a line of copies ("cc: Named Nurse for
 * Safeguarding Children", "Copy to: ...")?  A service on a distribution list
 * raises nothing.
 */
bool
lt_in_copy_list(const char *s, int start)
{
	static const char *const heads[] = {"cc:", "cc ", "c.c.", "copy to", "copies to", "copied to", NULL};
	int			p = start;

	while (p > 0 && s[p - 1] != '\n' && start - p < 400)
		p--;
	while (s[p] == ' ' || s[p] == '\t')
		p++;
	for (int k = 0; heads[k]; k++)
		if (p + (int) strlen(heads[k]) <= start &&
			pg_strncasecmp(s + p, heads[k], strlen(heads[k])) == 0)
			return true;
	return false;
}

/*
 * Is the match at start left to the GP to consider, within four words
 * ("consider referral to the memory clinic", "you may wish to consider a
 * dietetic referral", "consider whether a paediatric referral is needed")?
 * lo: where its sentence starts.
 */
bool
lt_to_consider(const char *s, int start, int lo)
{
	int			p = start,
				a,
				b;

	for (int n = 0; n < 4 && lt_word_before(s, p, &a, &b) && a >= lo; n++)
	{
		if (lt_word_is(s, a, b, "consider") || lt_word_is(s, a, b, "considering"))
			return true;
		p = a;
	}
	return false;
}

/*
 * Does a telephone number follow the phrase ending at end ("call 01632
 * 960010", "ring us on 0300 123 4567")?  The writer gives its own number to
 * call; it asks for no call to the patient.
 */
bool
lt_number_to_call(const char *s, int len, int end)
{
	int			q = end;
	int			digits = 0;
	int			a,
				b;

	if (lt_word_after(s, len, q, &a, &b) && (lt_word_is(s, a, b, "us") || lt_word_is(s, a, b, "me")))
		q = b;
	if (lt_word_after(s, len, q, &a, &b) && lt_word_is(s, a, b, "on"))
		q = b;
	while (q < len && s[q] == ' ')
		q++;
	if (q >= len || s[q] != '0')
		return false;
	for (; q < len && q - end < 24 && (lt_is_digit((unsigned char) s[q]) || s[q] == ' '); q++)
		digits += lt_is_digit((unsigned char) s[q]);
	return digits >= 10;
}

/*
 * Does a condition follow in the rest of the sentence, [end, hi) ("advised to
 * see own GP within 48 hours if redness spreads")?  Looked at within
 * LT_CONDITION_REACH bytes.
 */
#define LT_CONDITION_REACH 160

bool
lt_condition_after(const char *s, int end, int hi)
{
	static const char *const conditions[] = {"if", "unless", "should", NULL};
	int			lim = Min(hi, end + LT_CONDITION_REACH);

	for (int p = end; p < lim; p++)
	{
		int			b = p,
					c,
					d;

		if (s[p] == ';')
			return false;		/* "...within 48 hours; sooner if spreading": what follows is more */
		if (!lt_is_word_byte((unsigned char) s[p]) || (p > 0 && lt_is_word_byte((unsigned char) s[p - 1])))
			continue;
		while (b < lim && lt_is_word_byte((unsigned char) s[b]))
			b++;
		if (lt_word_among(s, p, b, conditions) &&
			!(lt_word_before(s, p, &c, &d) && (lt_word_is(s, c, d, "sooner") || lt_word_is(s, c, d, "earlier"))))
			return true;
		p = b;
	}
	return false;
}

/* Does a test follow the phrase ending at end ("a follow-up CT chest", "follow up bloods")? */
bool
lt_test_follows(const char *s, int len, int end)
{
	static const char *const tests[] = {
		"ct", "mri", "scan", "x-ray", "xray", "cxr", "ultrasound", "imaging", "bloods", "blood", "echo",
		"endoscopy", "colonoscopy", "mammogram", "smear", NULL
	};
	int			a,
				b;

	return lt_word_after(s, len, end, &a, &b) && lt_word_among(s, a, b, tests);
}
