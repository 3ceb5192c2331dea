/*
 * aside.c — what the words around a phrase say of it that makes it no ask:
 * a field label and its value ("Safeguarding: none"), a line of copies
 * ("cc: ..."), a form's question answered "No", an option left to the GP
 * ("consider referral").
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
	{
		int			n = strlen(nothing[k]);

		if (q + n <= len && pg_strncasecmp(s + q, nothing[k], n) == 0 &&
			(q + n == len || !lt_is_word_byte((unsigned char) s[q + n])))
			return true;
	}
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
