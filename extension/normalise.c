/*
 * normalise.c — turn a letter into the form the matcher scans.
 *
 * The text is first converted from the database encoding to UTF-8 (nothing to
 * do in a UTF-8 database).  A letter that is pure ASCII — most are — is
 * scanned as it is: the automaton folds ASCII case in its byte-class table.
 * Otherwise every non-ASCII character goes through ICU's NFKC_Casefold
 * (ligatures, full-width forms, non-breaking spaces), after a few mappings
 * NFKC does not make (curly quotes, dashes, bullets), and a map from the
 * scanned bytes back to the original bytes is kept so that evidence() can
 * report positions in the original text.  Invalid UTF-8 (possible only in a
 * SQL_ASCII database), C1 controls, private-use and replacement characters
 * become spaces and are counted (ASCII control characters are counted by the
 * scan): a letter made of them is garbled.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "core.h"

static const UNormalizer2 *nfkc_cf = NULL;

/* Decode one UTF-8 character at s (n bytes left); returns its length, 0 if invalid. */
static int
utf8_decode(const unsigned char *s, int n, uint32 *cp)
{
	int			l;
	uint32		c;

	if (s[0] < 0x80)
	{
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
	{
		l = 2;
		c = s[0] & 0x1F;
	}
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
	{
		l = 3;
		c = s[0] & 0x0F;
	}
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
	{
		l = 4;
		c = s[0] & 0x07;
	}
	else
		return 0;
	if (n < l)
		return 0;
	for (int i = 1; i < l; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong, surrogates, out of range */
	if ((l == 3 && c < 0x800) || (l == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
		(c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return l;
}

/* Mappings NFKC does not make; returns the ASCII replacement or NULL. */
static const char *
special_map(uint32 cp)
{
	switch (cp)
	{
		case 0x2018:
		case 0x2019:
		case 0x201A:
		case 0x201B:
		case 0x2032:
		case 0x00B4:
			return "'";
		case 0x201C:
		case 0x201D:
		case 0x201E:
		case 0x2033:
			return "\"";
		case 0x2010:
		case 0x2011:
		case 0x2012:
		case 0x2013:
		case 0x2014:
		case 0x2015:
		case 0x2212:
			return "-";
		case 0x2022:
		case 0x2023:
		case 0x2043:
		case 0x25AA:
		case 0x25CF:
		case 0x25E6:
		case 0x25A0:
		case 0x25A1:
		case 0x27A2:
		case 0x2219:
		case 0x00B7:
			return "*";
		case 0x2028:
		case 0x2029:
		case 0x0085:
			return "\n";
		case 0x00A0:
		case 0x202F:
		case 0x2007:
			return " ";
		default:
			return NULL;
	}
}

typedef struct OutBuf
{
	char	   *s;
	int32	   *map;
	int			len;
	int			cap;
} OutBuf;

static void
out_reserve(OutBuf *o, int more)
{
	if (o->len + more <= o->cap)
		return;
	while (o->len + more > o->cap)
		o->cap *= 2;
	o->s = repalloc(o->s, o->cap + 1);
	o->map = repalloc(o->map, sizeof(int32) * (o->cap + 1));
}

static void
out_put(OutBuf *o, const char *s, int n, int origpos)
{
	out_reserve(o, n);
	for (int i = 0; i < n; i++)
	{
		o->s[o->len] = s[i];
		o->map[o->len] = origpos;
		o->len++;
	}
}

/* NFKC_Casefold one code point into UTF-8; returns bytes written, -1 on failure. */
static int
icu_fold(uint32 cp, char *dst, int dstcap)
{
	UChar		src[2];
	UChar		norm[64];
	int32		srclen = 0;
	int32		nlen;
	int32		olen;
	UErrorCode	err = U_ZERO_ERROR;
	UBool		isError = false;

	if (nfkc_cf == NULL)
	{
		nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
		if (U_FAILURE(err))
		{
			nfkc_cf = NULL;
			return -1;
		}
	}
	U16_APPEND(src, srclen, 2, cp, isError);
	if (isError)
		return -1;
	nlen = unorm2_normalize(nfkc_cf, src, srclen, norm, lengthof(norm), &err);
	if (U_FAILURE(err))
		return -1;
	u_strToUTF8(dst, dstcap, &olen, norm, nlen, &err);
	if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING)
		return U_FAILURE(err) ? -1 : olen;
	return olen;
}

/* ------------------------------------------------------------ scanned text */

static inline bool
ocr_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
ocr_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool
ocr_alnum(unsigned char c)
{
	return ocr_alpha(c) || (c >= '0' && c <= '9');
}

/*
 * Length of a run of the digits 0 and 1 at i that optical character
 * recognition made of the letters o, l and I: inside a word ("H0SPITAL",
 * "fibri11ation", "P1ease") or, one digit, ending a word of three or more
 * small letters ("referra1").  0 when the run is not one.  "HbA1c" is a
 * name, not a misreading.
 */
static int
ocr_run(const unsigned char *u, int len, int i)
{
	int			r = i;

	if (i == 0 || !ocr_alpha(u[i - 1]))
		return 0;
	while (r < len && (u[r] == '0' || u[r] == '1') && r - i < 3)
		r++;
	if (r < len && ocr_alpha(u[r]))
	{
		if (r - i > 2 || (r - i == 1 && u[i] == '1' && (u[i - 1] | 0x20) == 'a' && (u[r] | 0x20) == 'c'))
			return 0;
		return r - i;
	}
	if (r - i == 1 && (r >= len || !ocr_alnum(u[r])) &&
		i >= 3 && ocr_lower(u[i - 1]) && ocr_lower(u[i - 2]) && ocr_lower(u[i - 3]))
		return 1;
	return 0;
}

/*
 * Mend what optical character recognition does to a scanned letter, so that
 * "P1ease arrange lNR check", "referra1" and "H0SPITAL" read as written: 0
 * and 1 that stand for o, l and I inside words, and l that stands for I in a
 * word of capitals ("lNR", "DlSCHARGE").  Only a letter with at least three
 * such words is taken for a scan: typed letters have none, or a lone code
 * such as "T1N0".  Same length, so offsets and the map stay as they are; the
 * original is untouched (evidence quotes it).
 */
static void
ocr_mend(LtDoc *doc)
{
	const unsigned char *u = (const unsigned char *) doc->s;
	int			len = doc->len;
	int			words = 0;
	char	   *w;

	for (int i = 0; i < len && words < 3; i++)
	{
		int			n;

		/* most letters have few 0s and 1s: skip to the next, many bytes at a time */
		i = lt_next_of(doc->s, i, len, '0', '1', '0', '1');
		if (i >= len || (n = ocr_run(u, len, i)) == 0)
			continue;
		words++;
		i += n;
		while (i < len && ocr_alnum(u[i]))
			i++;
	}
	if (words < 3)
		return;
	if (doc->s == doc->orig)
	{
		w = palloc(len + 1);
		memcpy(w, doc->s, len);
		w[len] = '\0';
	}
	else
		w = (char *) doc->s;
	for (int i = 0; i < len; i++)
	{
		int			n;
		bool		upper;

		if ((w[i] != '0' && w[i] != '1') || (n = ocr_run((unsigned char *) w, len, i)) == 0)
			continue;
		/* the case of the letter after, else of the one before ("l0N", "referra1") */
		upper = (i + n < len && ocr_alpha((unsigned char) w[i + n])) ?
			!ocr_lower((unsigned char) w[i + n]) : !ocr_lower((unsigned char) w[i - 1]);
		for (int k = i; k < i + n; k++)
			w[k] = (w[k] == '0') ? (upper ? 'O' : 'o') : (upper ? 'I' : 'l');
		i += n - 1;
	}
	/* l for I in a word of capitals */
	for (int i = 0; i < len;)
	{
		int			a = i,
					caps = 0,
					small = 0;

		if (!ocr_alpha((unsigned char) w[i]))
		{
			i++;
			continue;
		}
		while (i < len && ocr_alpha((unsigned char) w[i]))
		{
			if (w[i] == 'l')
				small++;
			else if (ocr_lower((unsigned char) w[i]))
				caps = -len;
			else
				caps++;
			i++;
		}
		if (small > 0 && caps > 0 && (i >= len || !ocr_alnum((unsigned char) w[i])) &&
			(a == 0 || !ocr_alnum((unsigned char) w[a - 1])))
			for (int k = a; k < i; k++)
				if (w[k] == 'l')
					w[k] = 'I';
	}
	doc->s = w;
}

/* ------------------------------------------------------------- markup */

/* Length of an HTML tag at i ("<p>", "</div>", "<br/>"), 0 if none: not "K <3.5". */
static int
tag_at(const char *s, int len, int i)
{
	unsigned char c = (i + 1 < len) ? (unsigned char) s[i + 1] : 0;

	if (!ocr_alpha(c) && c != '/' && c != '!')
		return 0;
	for (int j = i + 1; j < len && j - i < 300; j++)
	{
		if (s[j] == '>')
			return j - i + 1;
		if (s[j] == '<' || s[j] == '\n')
			return 0;
	}
	return 0;
}

/* Length of a character reference for a space at i ("&nbsp;", "&#160;"), 0 if none. */
static int
space_entity_at(const char *s, int len, int i)
{
	static const char *const spaces[] = {"&nbsp;", "&#160;", "&#xa0;", "&#xA0;", NULL};

	for (int k = 0; spaces[k]; k++)
	{
		int			n = strlen(spaces[k]);

		if (i + n <= len && pg_strncasecmp(s + i, spaces[k], n) == 0)
			return n;
	}
	return 0;
}

/*
 * Blank the markup of a letter sent as HTML ("<p>Please contact the
 * patient today</p>", "Please&nbsp;contact"): tags and non-breaking space
 * references become spaces, so that a tag's name is not read as a word of
 * the letter and an e-mail of markup alone reads as empty.  Same length,
 * so offsets and the map stay as they are.
 */
static void
blank_markup(LtDoc *doc)
{
	int			len = doc->len;
	int			i = lt_next_of(doc->s, 0, len, '<', '&', '<', '&');
	char	   *w = NULL;

	for (; i < len; i = lt_next_of(doc->s, i, len, '<', '&', '<', '&'))
	{
		int			n = doc->s[i] == '<' ? tag_at(doc->s, len, i) : space_entity_at(doc->s, len, i);

		if (n == 0)
		{
			i++;
			continue;
		}
		if (w == NULL)
		{
			w = (doc->s == doc->orig) ? pnstrdup(doc->s, len) : (char *) doc->s;
			doc->s = w;
		}
		memset(w + i, ' ', n);
		i += n;
	}
}

/* ------------------------------------------------------- broken lines */

/*
 * Where the word broken at the hyphen at i goes on ("con-\ntact": the "t"
 * after the line break and its indentation), or -1 when i breaks no word:
 * small letters on both sides, and not a prefix whose hyphen is part of the
 * word ("self-\nreferral", "follow-\nup", "non-\nurgent" stay two words).
 */
static int
broken_word(const char *s, int len, int i)
{
	static const char *const prefixes[] = {
		"self", "non", "co", "ex", "x", "follow", "one", "two", "three", "four", "week", "day", "well",
		"ill", "long", "short", "part", "full", "half", "semi", "multi", "cross", "sub", "post", "pre",
		"anti", "over", "under", "out", "up", "in", "on", "off", "end", "first", "second", "high", "low",
		"left", "right", "mid", "step", "great", "grand", "twenty", "thirty", "forty", "fifty", NULL
	};
	int			a = i,
				p = i + 1;

	while (a > 0 && ocr_lower((unsigned char) s[a - 1]))
		a--;
	if (a == i || (a > 0 && ocr_alnum((unsigned char) s[a - 1])))
		return -1;
	if (p < len && s[p] == '\r')
		p++;
	if (p >= len || s[p] != '\n')
		return -1;
	p++;
	while (p < len && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (p >= len || !ocr_lower((unsigned char) s[p]))
		return -1;
	for (int k = 0; prefixes[k]; k++)
		if (lt_word_is(s, a, i, prefixes[k]))
			return -1;
	return p;
}

/*
 * Join the words a scan or a narrow column broke across lines ("Please
 * con-\ntact the patient to-\nday"): the hyphen, the line break and the
 * indentation are left out of what is scanned, and the map keeps every
 * byte's place in the original, so evidence() quotes the letter as written.
 * Most letters have none: they are left as they are, after one pass for
 * the hyphens.
 */
static void
join_broken_words(LtDoc *doc)
{
	const char *s = doc->s;
	int			len = doc->len;
	int			i = lt_next_of(s, 0, len, '-', '-', '-', '-');
	OutBuf		o;

	while (i < len && broken_word(s, len, i) < 0)
		i = lt_next_of(s, i + 1, len, '-', '-', '-', '-');
	if (i >= len)
		return;
	o.cap = len + 1;
	o.s = palloc(o.cap + 1);
	o.map = palloc(sizeof(int32) * (o.cap + 1));
	o.len = 0;
	for (int p = 0; p < len;)
	{
		int			q = (s[p] == '-') ? broken_word(s, len, p) : -1;

		if (q >= 0)
		{
			p = q;
			continue;
		}
		o.s[o.len] = s[p];
		o.map[o.len++] = doc->map ? doc->map[p] : p;
		p++;
	}
	o.s[o.len] = '\0';
	o.map[o.len] = doc->orig_len;
	doc->s = o.s;
	doc->len = o.len;
	doc->map = o.map;
}

/*
 * Prepare text for scanning.  db_encoding: the bytes are in the database
 * encoding (else UTF-8 already).  Never raises because of the text.
 */
void
lt_doc_prepare(LtDoc *doc, const char *text, int len, bool db_encoding)
{
	const unsigned char *u;
	bool		ascii = true;
	int			enc = GetDatabaseEncoding();
	OutBuf		o;
	int			i;
	int			next_check = 0;

	memset(doc, 0, sizeof(*doc));
	if (len < 0)
		len = 0;
	if (db_encoding && enc != PG_UTF8 && enc != PG_SQL_ASCII && len > 0)
	{
		/* valid text of the database encoding always has a UTF-8 form */
		char	   *conv = (char *) pg_do_encoding_conversion((unsigned char *) text, len,
															  enc, PG_UTF8);

		if (conv != text)
			len = strlen(conv);
		text = conv;
	}
	doc->orig = text;
	doc->orig_len = len;
	u = (const unsigned char *) text;

	/* the first non-ASCII byte, eight bytes at a time */
	i = 0;
	while (i + 8 <= len)
	{
		uint64		w;

		memcpy(&w, u + i, 8);
		if (w & UINT64CONST(0x8080808080808080))
			break;
		i += 8;
	}
	for (; i < len; i++)
	{
		if (u[i] >= 0x80)
		{
			ascii = false;
			break;
		}
	}
	doc->ascii = ascii;
	if (ascii)
	{
		doc->s = text;
		doc->len = len;
		doc->map = NULL;
		doc->nchars = len;
		blank_markup(doc);
		join_broken_words(doc);
		ocr_mend(doc);
		return;
	}

	/* the slow path: from the first non-ASCII byte on */
	o.cap = len + 64;
	o.s = palloc(o.cap + 1);
	o.map = palloc(sizeof(int32) * (o.cap + 1));
	o.len = 0;
	out_reserve(&o, i);
	memcpy(o.s, text, i);
	for (int k = 0; k < i; k++)
		o.map[k] = k;
	o.len = i;
	doc->nchars = i;
	while (i < len)
	{
		uint32		cp;
		int			l;

		/* ICU folds each character: a long letter takes a while */
		if (i >= next_check)
		{
			LT_CHECK_INTERRUPTS();
			next_check = i + LT_INTERRUPT_STRIDE;
		}
		doc->nchars++;
		if (u[i] < 0x80)
		{
			/* a run of ASCII: copied as it is (the scan counts its controls) */
			int			r = i + 1;

			while (r < len && u[r] < 0x80)
				r++;
			out_reserve(&o, r - i);
			memcpy(o.s + o.len, u + i, r - i);
			for (int k = i; k < r; k++)
				o.map[o.len++] = k;
			doc->nchars += r - i - 1;
			i = r;
			continue;
		}
		l = utf8_decode(u + i, len - i, &cp);
		if (l == 0)
		{
			/* invalid byte: a space, counted */
			doc->nbad++;
			out_put(&o, " ", 1, i);
			i++;
			continue;
		}
		else
		{
			const char *sp = special_map(cp);

			if (sp)
				out_put(&o, sp, strlen(sp), i);
			else if (cp == 0xFFFD || (cp >= 0x80 && cp < 0xA0) ||
					 (cp >= 0xE000 && cp <= 0xF8FF))
			{
				/* replacement character, C1 controls, private use: garbled */
				doc->nbad++;
				out_put(&o, " ", 1, i);
			}
			else
			{
				char		buf[256];
				int			n = icu_fold(cp, buf, sizeof(buf));

				if (n < 0)
					out_put(&o, (const char *) u + i, l, i);
				else
					out_put(&o, buf, n, i);
			}
		}
		i += l;
	}
	o.s[o.len] = '\0';
	o.map[o.len] = len;
	doc->s = o.s;
	doc->len = o.len;
	doc->map = o.map;
	blank_markup(doc);
	join_broken_words(doc);
	ocr_mend(doc);
}

/* Byte offset in the original text of scanned position pos (0..len). */
int
lt_doc_orig_byte(const LtDoc *doc, int pos)
{
	if (pos <= 0)
		return 0;
	if (pos >= doc->len)
		return doc->orig_len;
	return doc->map ? doc->map[pos] : pos;
}

/*
 * Character offset in the original text of scanned position pos.  Counting
 * resumes from the last position asked for, forwards or (a hit starting
 * before the last one ended) backwards, so a letter's offsets cost one pass
 * over it, not one pass per match (evidence() asks in about text order).
 */
int
lt_doc_char_offset(LtDoc *doc, int pos)
{
	int			b = lt_doc_orig_byte(doc, pos);
	int			i = 0;
	int			n = 0;

	if (doc->map == NULL)
		return b;
	if (doc->count_byte > b && doc->count_byte - b < b)
	{
		/* a little back (a hit starting before the last one ended) */
		n = doc->count_chars;
		for (i = doc->count_byte; i > b; i--)
			if ((((unsigned char) doc->orig[i - 1]) & 0xC0) != 0x80)
				n--;
		doc->count_byte = b;
		doc->count_chars = n;
		return n;
	}
	if (doc->count_byte > 0 && doc->count_byte <= b)
	{
		i = doc->count_byte;
		n = doc->count_chars;
	}
	for (; i < b; i++)
		if ((((unsigned char) doc->orig[i]) & 0xC0) != 0x80)
			n++;
	doc->count_byte = b;
	doc->count_chars = n;
	return n;
}

/*
 * Normalise a pattern from a rule table: the same folding as letters, ASCII
 * lower-cased, runs of blanks, '-' and '_' made one space, trimmed.
 */
char *
lt_normalise_pattern(const char *pattern, int *outlen)
{
	LtDoc		d;
	char	   *r;
	int			n = 0;
	bool		space = true;	/* drop leading blanks */

	lt_doc_prepare(&d, pattern, strlen(pattern), true);
	r = palloc(d.len + 1);
	for (int i = 0; i < d.len; i++)
	{
		unsigned char c = (unsigned char) d.s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
			c == '\v' || c == '-' || c == '_')
		{
			if (!space)
				r[n++] = ' ';
			space = true;
			continue;
		}
		space = false;
		r[n++] = (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
	}
	while (n > 0 && r[n - 1] == ' ')
		n--;
	r[n] = '\0';
	*outlen = n;
	return r;
}
