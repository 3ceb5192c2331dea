/*
 * letter_parse.c — the text core of the letter type: parsing any text into a
 * letter, printing its canonical text, building the stored layout, checking
 * the known headers, and decoding the binary format.  No fmgr, SPI or
 * catalog access here: test/fuzz builds this file on its own (LT_FRONTEND).
 *
 * Text format.  If the text starts with one or more header lines
 * ("Name: value", continuation lines starting with a space or tab) followed
 * by a blank line, those lines are the header block and everything after
 * the blank line is the body, byte for byte.  Otherwise the whole text is
 * the body, with one exception that makes printing reversible: a text that
 * starts with a blank line followed (after any further blank lines) by
 * something that would be a header block loses that first blank line.  That
 * blank line marks an empty header block; the canonical output writes it in
 * front of a header-less body that would otherwise read as headers.
 * Lines end with LF or CRLF; a header line holding a lone CR or a NUL is not
 * a header line.  Whatever the parse, the text itself is kept as it was
 * given; the parsed view only reads it.
 */
#ifdef LT_FRONTEND
#include <string.h>
#else
#include "postgres.h"
#endif

#include "letter_parse.h"

const char *const lt_problem_names[LT_NUM_PROBLEMS] = {
	"nhs_number_format",
	"nhs_number_check_digit",
	"recipient_format",
	"dated_unparseable",
	"kind_unknown",
	"duplicate_header",
};

static const char *const known_names[LT_NUM_KNOWN_HEADERS] = {
	"Letter-Id", "NHS-Number", "To", "From", "Dated", "Kind", "Subject"
};

static const char *const kind_names[] = {
	NULL, "discharge", "outpatient", "community", "death", "result", "other", NULL
};

static inline bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
}

static bool
eq_nocase(const char *a, size_t alen, const char *b)
{
	size_t		i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || lower(a[i]) != lower(b[i]))
			return false;
	return b[alen] == '\0';
}

/* Trim spaces and tabs from both ends of s[0..*len). */
static const char *
trim(const char *s, size_t *len)
{
	size_t		n = *len;

	while (n > 0 && is_wsp(*s))
		s++, n--;
	while (n > 0 && is_wsp(s[n - 1]))
		n--;
	*len = n;
	return s;
}

/* Length of the blank line (LF or CRLF) at t[p], or 0. */
static size_t
blank_len(const char *t, size_t len, size_t p)
{
	if (p < len && t[p] == '\n')
		return 1;
	if (p + 1 < len && t[p] == '\r' && t[p + 1] == '\n')
		return 2;
	return 0;
}

/*
 * Find the end of the line starting at t[p]: *content_end excludes the line
 * break, *next follows it.  False when the line has no break (end of text),
 * holds a lone CR or a NUL.
 */
static bool
scan_line(const char *t, size_t len, size_t p, size_t *content_end, size_t *next)
{
	const char *nl = memchr(t + p, '\n', len - p);
	size_t		e;

	if (nl == NULL)
		return false;
	e = (size_t) (nl - t);
	*next = e + 1;
	if (e > p && t[e - 1] == '\r')
		e--;
	if (memchr(t + p, '\r', e - p) != NULL || memchr(t + p, '\0', e - p) != NULL)
		return false;
	*content_end = e;
	return true;
}

/* Length of the header name at t[p] if a colon follows it, else 0. */
static size_t
name_at(const char *t, size_t len, size_t p)
{
	size_t		q = p;

	if (q >= len || !is_alnum(t[q]))
		return 0;
	for (q++; q < len && (is_alnum(t[q]) || t[q] == '-' || t[q] == '_' || t[q] == '.'); q++)
		;
	if (q - p > LT_MAX_NAME_LEN || q >= len || t[q] != ':')
		return 0;
	return q - p;
}

/*
 * Does a header block start at t[p]?  If so, set *end past its blank line
 * and *count to its number of headers.
 */
static bool
header_block(const char *t, size_t len, size_t p, size_t *end, size_t *count)
{
	size_t		n = 0;

	for (;;)
	{
		size_t		bl = blank_len(t, len, p);
		size_t		ce,
					next,
					nl;

		if (bl > 0)
		{
			if (n == 0)
				return false;
			*end = p + bl;
			*count = n;
			return true;
		}
		if (p >= len)
			return false;
		LT_LETTER_CHECK_INTERRUPTS();	/* one load: cheap next to a line */
		if (is_wsp(t[p]))
		{
			if (n == 0 || !scan_line(t, len, p, &ce, &next))
				return false;
			p = next;
			continue;
		}
		nl = name_at(t, len, p);
		if (nl == 0 || !scan_line(t, len, p + nl + 1, &ce, &next))
			return false;
		n++;
		p = next;
	}
}

/* Would this body, printed without headers, read as having a header block? */
static bool
needs_escape(const char *t, size_t len)
{
	size_t		p = 0,
				bl,
				end,
				count;

	while ((bl = blank_len(t, len, p)) > 0)
		p += bl;
	return header_block(t, len, p, &end, &count);
}

bool
lt_header_name_valid(const char *name, size_t len)
{
	size_t		i;

	if (len == 0 || len > LT_MAX_NAME_LEN || !is_alnum(name[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!(is_alnum(name[i]) || name[i] == '-' || name[i] == '_' || name[i] == '.'))
			return false;
	return true;
}

static bool
header_value_valid(const char *v, size_t len)
{
	if (len > 0 && is_wsp(v[0]))
		return false;
	return memchr(v, '\r', len) == NULL && memchr(v, '\n', len) == NULL &&
		memchr(v, '\0', len) == NULL;
}

LtKnownHeader
lt_known_header(const char *name, size_t len)
{
	int			i;

	for (i = 0; i < LT_NUM_KNOWN_HEADERS; i++)
		if (eq_nocase(name, len, known_names[i]))
			return (LtKnownHeader) i;
	return LT_H_OTHER;
}

const char *
lt_known_header_name(LtKnownHeader h)
{
	return (h < LT_NUM_KNOWN_HEADERS) ? known_names[h] : NULL;
}

/*
 * Normalise a header value into dst (at most len bytes; NULL to only count):
 * a line break (CRLF, CR or LF) followed by a space or tab is removed
 * (folding), any other line break becomes one space, NULs are dropped, and
 * leading spaces and tabs are removed.  Returns the length.
 */
size_t
lt_header_value_normalize(const char *src, size_t len, char *dst)
{
	size_t		i = 0,
				out = 0;
	bool		started = false;

	while (i < len)
	{
		char		c = src[i];

		if (c == '\r' || c == '\n')
		{
			size_t		j = i + 1;

			if (c == '\r' && j < len && src[j] == '\n')
				j++;
			i = j;
			if (j < len && is_wsp(src[j]))
				continue;
			c = ' ';
		}
		else
			i++;
		if (c == '\0' || (!started && is_wsp(c)))
			continue;
		started = true;
		if (dst)
			dst[out] = c;
		out++;
	}
	return out;
}

/* ---- field checks ---- */

int
lt_nhs_number_check(const char *s, size_t len, char digits[10])
{
	size_t		i;
	int			d = 0,
				sum = 0,
				check;
	bool		sep_ok = false;

	s = trim(s, &len);
	for (i = 0; i < len; i++)
	{
		if (is_digit(s[i]))
		{
			if (d == 10)
				return LT_PROBLEM_NHS_NUMBER_FORMAT;
			digits[d++] = s[i];
			sep_ok = (d == 3 || d == 6);
		}
		else if ((s[i] == ' ' || s[i] == '-') && sep_ok)
			sep_ok = false;		/* one separator, after the 3rd or 6th digit */
		else
			return LT_PROBLEM_NHS_NUMBER_FORMAT;
	}
	if (d != 10 || !is_digit(s[len - 1]))
		return LT_PROBLEM_NHS_NUMBER_FORMAT;
	/* Modulus 11: weights 10..2 on the first nine digits. */
	for (i = 0; i < 9; i++)
		sum += (digits[i] - '0') * (int) (10 - i);
	check = 11 - sum % 11;
	if (check == 11)
		check = 0;
	if (check == 10 || check != digits[9] - '0')
		return LT_PROBLEM_NHS_NUMBER_CHECK_DIGIT;
	return 0;
}

/*
 * An ODS code of a GP practice: one letter and five digits (any case,
 * surrounding blanks ignored); code gets the upper-case form.
 */
bool
lt_ods_code(const char *s, size_t len, char code[6])
{
	size_t		i;

	s = trim(s, &len);
	if (len != 6 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (i = 1; i < 6; i++)
		if (!is_digit(s[i]))
			return false;
	code[0] = (s[0] >= 'a') ? (char) (s[0] - ('a' - 'A')) : s[0];
	memcpy(code + 1, s + 1, 5);
	return true;
}

/*
 * The kind a Kind header names: the first keyword of this table found at
 * the start of a word (case-insensitive) decides, so "Inpatient discharge report",
 * "Death notification" and "Outpatient review letter" are understood.
 */
static const struct
{
	const char *word;
	LtKind		kind;
}			kind_words[] = {
	{"death", LT_KIND_DEATH},
	{"deceased", LT_KIND_DEATH},
	{"discharge", LT_KIND_DISCHARGE},
	{"result", LT_KIND_RESULT},
	{"outpatient", LT_KIND_OUTPATIENT},
	{"out-patient", LT_KIND_OUTPATIENT},
	{"community", LT_KIND_COMMUNITY},
	{"district nurs", LT_KIND_COMMUNITY},
	{"health visit", LT_KIND_COMMUNITY},
	{"podiatr", LT_KIND_COMMUNITY},
	{"palliative", LT_KIND_COMMUNITY},
	{"clinic", LT_KIND_OUTPATIENT},
	{"other", LT_KIND_OTHER},
	{"admin", LT_KIND_OTHER},
};

LtKind
lt_kind_lookup(const char *s, size_t len)
{
	size_t		w,
				i,
				k;

	for (w = 0; w < sizeof(kind_words) / sizeof(kind_words[0]); w++)
	{
		const char *word = kind_words[w].word;
		size_t		wl = strlen(word);

		for (i = 0; i + wl <= len; i++)
		{
			if (i > 0 && is_alnum(s[i - 1]))
				continue;
			for (k = 0; k < wl && lower(s[i + k]) == word[k]; k++)
				;
			if (k == wl)
				return kind_words[w].kind;
		}
	}
	return LT_KIND_UNKNOWN;
}

const char *
lt_kind_name(LtKind k)
{
	return (k <= LT_KIND_UNKNOWN) ? kind_names[k] : NULL;
}

/* Read exactly n digits at s[*p]. */
static bool
digits_at(const char *s, size_t len, size_t *p, int n, int *val)
{
	int			v = 0;

	if (*p + (size_t) n > len)
		return false;
	while (n-- > 0)
	{
		if (!is_digit(s[*p]))
			return false;
		v = v * 10 + (s[(*p)++] - '0');
	}
	*val = v;
	return true;
}

static int
days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/*
 * Parse an ISO 8601 date or timestamp: YYYY-MM-DD, optionally followed by
 * T or a space and hh:mm[:ss[.fraction]], optionally followed (after an
 * optional space) by Z or an offset ±hh[[:]mm].  Blanks around are ignored.
 */
bool
lt_dated_parse(const char *s, size_t len, LtDateFields *f)
{
	size_t		p = 0;
	int			oh = 0,
				om = 0;

	memset(f, 0, sizeof(*f));
	s = trim(s, &len);
	if (!digits_at(s, len, &p, 4, &f->year) || p >= len || s[p++] != '-' ||
		!digits_at(s, len, &p, 2, &f->month) || p >= len || s[p++] != '-' ||
		!digits_at(s, len, &p, 2, &f->day))
		return false;
	if (f->year < 1 || f->month < 1 || f->month > 12 || f->day < 1 ||
		f->day > days_in_month(f->year, f->month))
		return false;
	if (p == len)
		return true;
	if (s[p] != 'T' && s[p] != 't' && s[p] != ' ')
		return false;
	p++;
	if (!digits_at(s, len, &p, 2, &f->hour) || p >= len || s[p++] != ':' ||
		!digits_at(s, len, &p, 2, &f->minute))
		return false;
	if (p < len && s[p] == ':')
	{
		p++;
		if (!digits_at(s, len, &p, 2, &f->second))
			return false;
		if (p < len && (s[p] == '.' || s[p] == ','))
		{
			int			nd = 0,
						scale = 100000;

			for (p++; p < len && is_digit(s[p]); p++, nd++)
			{
				f->usec += (s[p] - '0') * scale;
				scale /= 10;
			}
			if (nd == 0)
				return false;
		}
	}
	if (f->hour > 23 || f->minute > 59 || f->second > 59)
		return false;
	if (p < len && s[p] == ' ')
		p++;
	if (p == len)
		return s[len - 1] != ' ';
	if ((s[p] == 'Z' || s[p] == 'z') && p + 1 == len)
	{
		f->has_offset = true;
		return true;
	}
	if (s[p] != '+' && s[p] != '-')
		return false;
	{
		int			sign = (s[p] == '-') ? -1 : 1;

		p++;
		if (!digits_at(s, len, &p, 2, &oh))
			return false;
		if (p < len && s[p] == ':')
			p++;
		if (p < len && !digits_at(s, len, &p, 2, &om))
			return false;
		if (p != len || oh > 15 || om > 59)
			return false;
		f->has_offset = true;
		f->offset_sec = sign * (oh * 3600 + om * 60);
	}
	return true;
}

/* Days from 1970-01-01 to a proleptic Gregorian date. */
static int64
days_from_civil(int y, int m, int d)
{
	int64		era,
				yoe,
				doy,
				doe;

	y -= (m <= 2);
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The fields as a TimestampTz, reading them at offset_sec_east from UTC. */
int64
lt_fields_to_timestamptz(const LtDateFields *f, int offset_sec_east)
{
	int64		days = days_from_civil(f->year, f->month, f->day) - 10957;
	int64		secs = ((days * 24 + f->hour) * 60 + f->minute) * 60 + f->second - offset_sec_east;

	return secs * 1000000 + f->usec;
}

/* ---- building the stored value ---- */

static void
set_dated(LtLetter *l, int64 ts)
{
	memcpy(l->dated, &ts, sizeof(ts));
}

int64
lt_letter_dated(const LtLetter *l)
{
	int64		ts;

	memcpy(&ts, l->dated, sizeof(ts));
	return ts;
}

/* Fill in kind, dated and problems from the stored headers. */
static void
analyse(LtLetter *l)
{
	const char *data = LT_DATA(l);
	int			seen[LT_NUM_KNOWN_HEADERS] = {0};
	uint32		i;

	for (i = 0; i < l->nheaders; i++)
	{
		const LtHeaderRef *h = &l->headers[i];
		const char *v = data + h->value_off;
		size_t		vl = h->value_len;
		char		buf[10];
		LtDateFields f;

		if (h->known == LT_H_OTHER)
			continue;
		if (seen[h->known]++ > 0)
		{
			l->problems |= LT_PROBLEM_DUPLICATE_HEADER;
			continue;
		}
		switch (h->known)
		{
			case LT_H_NHS_NUMBER:
				l->problems |= (uint32) lt_nhs_number_check(v, vl, buf);
				break;
			case LT_H_TO:
				if (!lt_ods_code(v, vl, buf))
					l->problems |= LT_PROBLEM_RECIPIENT_FORMAT;
				break;
			case LT_H_DATED:
				if (!lt_dated_parse(v, vl, &f))
				{
					l->dated_state = LT_DATED_INVALID;
					l->problems |= LT_PROBLEM_DATED_UNPARSEABLE;
				}
				else if (f.has_offset)
				{
					l->dated_state = LT_DATED_OFFSET;
					set_dated(l, lt_fields_to_timestamptz(&f, f.offset_sec));
				}
				else
				{
					l->dated_state = LT_DATED_LOCAL;
					set_dated(l, lt_fields_to_timestamptz(&f, lt_london_offset(&f)));
				}
				break;
			case LT_H_KIND:
				l->kind = (uint8) lt_kind_lookup(v, vl);
				if (l->kind == LT_KIND_UNKNOWN)
					l->problems |= LT_PROBLEM_KIND_UNKNOWN;
				break;
			default:
				break;
		}
	}
}

/*
 * Build the stored value from headers that satisfy the invariants (names
 * valid, values normalised).  With keep_text, src is the whole text, kept
 * first in data[], and the body is its end from body_off on (version 2).
 * Without, src is the body and data[] holds only the parsed view (the
 * layout of version 1): lt_letter_build prints that to get the text.
 * NULL if too large.
 */
static LtLetter *
build(const LtHeaderSpec *h, size_t n, const char *src, size_t src_len, size_t body_off,
	  bool keep_text, size_t *size_out)
{
	size_t		size = LT_FIXED_SIZE,
				i,
				k = 0,
				off;
	int			rank;
	LtLetter   *l;
	char	   *data;

	if (n > LT_MAX_SIZE / sizeof(LtHeaderRef))
		return NULL;
	size += n * sizeof(LtHeaderRef);
	for (i = 0; i < n; i++)
	{
		if (h[i].name_len > LT_MAX_SIZE || h[i].value_len > LT_MAX_SIZE)
			return NULL;
		size += h[i].name_len + h[i].value_len;
		if (size > LT_MAX_SIZE)
			return NULL;
	}
	if (src_len > LT_MAX_SIZE - size)
		return NULL;
	size += src_len;

	l = lt_alloc(size);
	memset(l, 0, LT_FIXED_SIZE + n * sizeof(LtHeaderRef));
	l->version = keep_text ? LT_LETTER_VERSION : LT_LETTER_VERSION_1;
	l->nheaders = (uint32) n;
	data = (char *) LT_DATA(l);
	off = keep_text ? src_len : 0;
	if (keep_text && src_len > 0)
		memcpy(data, src, src_len);

	/* Known headers first, in their fixed order, then the others. */
	for (rank = 0; rank <= LT_H_OTHER; rank++)
	{
		for (i = 0; i < n; i++)
		{
			LtKnownHeader kh = lt_known_header(h[i].name, h[i].name_len);
			LtHeaderRef *r;

			if ((int) kh != rank)
				continue;
			r = &l->headers[k++];
			r->known = (uint8) kh;
			r->name_len = (uint16) h[i].name_len;
			r->name_off = (uint32) off;
			memcpy(data + off, kh == LT_H_OTHER ? h[i].name : known_names[kh], h[i].name_len);
			off += h[i].name_len;
			r->value_off = (uint32) off;
			r->value_len = (uint32) h[i].value_len;
			if (h[i].value_len > 0)
				memcpy(data + off, h[i].value, h[i].value_len);
			off += h[i].value_len;
		}
	}
	if (keep_text)
	{
		l->body_off = (uint32) body_off;
		l->body_len = (uint32) (src_len - body_off);
	}
	else
	{
		l->body_off = (uint32) off;
		l->body_len = (uint32) src_len;
		if (src_len > 0)
			memcpy(data + off, src, src_len);
	}
	analyse(l);
	*size_out = size;
	return l;
}

/*
 * The parts are built into the parsed view, printed, and the canonical text
 * parsed: so the letter's text is its canonical text, and the layout the one
 * pure function of a text that lt_letter_parse defines.
 */
LtBuildStatus
lt_letter_build(const LtHeaderSpec *h, int nheaders, const char *body, size_t body_len,
				LtLetter **out, size_t *size)
{
	int			i;
	LtLetter   *view;
	size_t		view_size,
				text_len;
	char	   *text;

	for (i = 0; i < nheaders; i++)
	{
		if (!lt_header_name_valid(h[i].name, h[i].name_len))
			return LT_ERR_BAD_NAME;
		if (!header_value_valid(h[i].value, h[i].value_len))
			return LT_ERR_BAD_VALUE;
	}
	if (memchr(body, '\0', body_len) != NULL)
		return LT_ERR_NUL_BODY;
	view = build(h, (size_t) (nheaders < 0 ? 0 : nheaders), body, body_len, 0, false, &view_size);
	if (view == NULL)
		return LT_ERR_TOO_LARGE;
	text = lt_letter_print(view, &text_len);
	*out = lt_letter_parse(text, text_len, size);
	return *out ? LT_OK : LT_ERR_TOO_LARGE;
}

LtLetter *
lt_letter_parse(const char *t, size_t len, size_t *size)
{
	size_t		end,
				count,
				p = 0,
				k = 0,
				used = 0,
				i;
	LtHeaderSpec *h;
	size_t	   *raw_end;
	char	   *scratch;

	if (!header_block(t, len, 0, &end, &count))
	{
		size_t		bl = blank_len(t, len, 0);

		if (bl > 0 && needs_escape(t + bl, len - bl))
			return build(NULL, 0, t, len, bl, true, size);
		return build(NULL, 0, t, len, 0, true, size);
	}

	if (count > LT_MAX_SIZE / sizeof(LtHeaderRef))
		return NULL;
	h = lt_alloc(count * sizeof(LtHeaderSpec));
	raw_end = lt_alloc(count * sizeof(size_t));
	scratch = lt_alloc(end + 1);
	while (blank_len(t, len, p) == 0)
	{
		size_t		ce = 0,
					next = 0,
					nl;

		LT_LETTER_CHECK_INTERRUPTS();
		if (is_wsp(t[p]))
		{
			(void) scan_line(t, len, p, &ce, &next);
			raw_end[k - 1] = ce;
			p = next;
			continue;
		}
		nl = name_at(t, len, p);
		(void) scan_line(t, len, p + nl + 1, &ce, &next);
		h[k].name = t + p;
		h[k].name_len = nl;
		h[k].value = t + p + nl + 1;	/* raw start for now */
		raw_end[k] = ce;
		k++;
		p = next;
	}
	for (i = 0; i < count; i++)
	{
		const char *raw = h[i].value;
		size_t		vl = lt_header_value_normalize(raw, (size_t) (t + raw_end[i] - raw), scratch + used);

		h[i].value = scratch + used;
		h[i].value_len = vl;
		used += vl;
	}
	return build(h, count, t, len, end, true, size);
}

char *
lt_letter_print(const LtLetter *l, size_t *len)
{
	const char *data = LT_DATA(l);
	const char *body = data + l->body_off;
	size_t		n = 0,
				i;
	bool		esc = false;
	char	   *out,
			   *o;

	if (l->nheaders == 0)
		esc = needs_escape(body, l->body_len);
	for (i = 0; i < l->nheaders; i++)
		n += (size_t) l->headers[i].name_len + l->headers[i].value_len + 3;
	n += (l->nheaders > 0 || esc) ? 1 : 0;
	n += l->body_len;
	o = out = lt_alloc(n + 1);
	for (i = 0; i < l->nheaders; i++)
	{
		const LtHeaderRef *h = &l->headers[i];

		memcpy(o, data + h->name_off, h->name_len);
		o += h->name_len;
		*o++ = ':';
		if (h->value_len > 0)
		{
			*o++ = ' ';
			memcpy(o, data + h->value_off, h->value_len);
			o += h->value_len;
		}
		*o++ = '\n';
	}
	if (l->nheaders > 0 || esc)
		*o++ = '\n';
	if (l->body_len > 0)
		memcpy(o, body, l->body_len);
	o += l->body_len;
	*o = '\0';
	*len = (size_t) (o - out);
	return out;
}

const char *
lt_letter_text(const LtLetter *l, size_t *len)
{
	if (l->version == LT_LETTER_VERSION_1)
		return lt_letter_print(l, len);
	*len = (size_t) l->body_off + l->body_len;
	return LT_DATA(l);
}

/* ---- accessors ---- */

const char *
lt_letter_body(const LtLetter *l, int *len)
{
	*len = (int) l->body_len;
	return LT_DATA(l) + l->body_off;
}

const char *
lt_letter_header(const LtLetter *l, const char *name, int *len)
{
	const char *data = LT_DATA(l);
	size_t		nlen = strlen(name);
	uint32		i;

	for (i = 0; i < l->nheaders; i++)
	{
		const LtHeaderRef *h = &l->headers[i];

		if (h->name_len == nlen && eq_nocase(data + h->name_off, nlen, name))
		{
			*len = (int) h->value_len;
			return data + h->value_off;
		}
	}
	*len = 0;
	return NULL;
}

/* ---- binary format ---- */

static bool
get_int32(const unsigned char *b, size_t len, size_t *p, int32 *v)
{
	if (len - *p < 4)
		return false;
	*v = (int32) (((uint32) b[*p] << 24) | ((uint32) b[*p + 1] << 16) |
				  ((uint32) b[*p + 2] << 8) | (uint32) b[*p + 3]);
	*p += 4;
	return true;
}

static bool
get_string(const char *buf, size_t len, size_t *p, const char **s, size_t *slen)
{
	int32		n;

	if (!get_int32((const unsigned char *) buf, len, p, &n) || n < 0 || (size_t) n > len - *p)
		return false;
	*s = buf + *p;
	*slen = (size_t) n;
	*p += (size_t) n;
	return true;
}

LtBuildStatus
lt_wire_decode(const char *buf, size_t len, LtHeaderSpec **headers, int *nheaders,
			   const char **body, size_t *body_len, const char **errmsg)
{
	size_t		p = 0;
	int32		n,
				i;
	LtHeaderSpec *h;

	if (len < 1)
	{
		*errmsg = "no version byte";
		return LT_ERR_WIRE;
	}
	if ((unsigned char) buf[0] != LT_WIRE_VERSION_1)
	{
		*errmsg = "unsupported binary format version";
		return LT_ERR_WIRE;
	}
	p = 1;
	if (!get_int32((const unsigned char *) buf, len, &p, &n))
	{
		*errmsg = "truncated header count";
		return LT_ERR_WIRE;
	}
	if (n < 0 || (size_t) n > (len - p) / 8)
	{
		*errmsg = "header count out of range";
		return LT_ERR_WIRE;
	}
	h = lt_alloc(((size_t) n + 1) * sizeof(LtHeaderSpec));
	for (i = 0; i < n; i++)
	{
		if (!get_string(buf, len, &p, &h[i].name, &h[i].name_len) ||
			!get_string(buf, len, &p, &h[i].value, &h[i].value_len))
		{
			*errmsg = "header length past the end of the data";
			return LT_ERR_WIRE;
		}
	}
	if (!get_string(buf, len, &p, body, body_len))
	{
		*errmsg = "body length past the end of the data";
		return LT_ERR_WIRE;
	}
	if (p != len)
	{
		*errmsg = "extra data after the body";
		return LT_ERR_WIRE;
	}
	*headers = h;
	*nheaders = n;
	return LT_OK;
}
