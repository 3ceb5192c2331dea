/*
 * fuzz_letter.c — fuzz harness for the letter type's text core, built
 * outside the server (see test/fuzz/run).
 *
 * Feeds random, structured and mutated inputs to the text parser and to the
 * binary decoder and checks, for every input:
 *   - the text kept: the text of parse(t) is t, byte for byte;
 *   - canonical round trip: parse(print(v)) has the parsed view of v, and
 *     print is stable;
 *   - nothing lost: the body is the input, the input after its header
 *     block, or the input less one leading blank line (the escape);
 *   - invariants of every stored header (name syntax, value without line
 *     breaks/NUL/leading blank) and of the offsets (inside the value);
 *   - binary format 1 (still read): decode(encode(v)) rebuilds the parsed
 *     view of v, with the canonical text; mutated binary either fails
 *     cleanly or gives a letter that round-trips as text;
 *   - the field checks (NHS number, ODS code, Dated, Kind) never read out
 *     of bounds (build with -fsanitize=address,undefined to see that).
 *
 * usage: fuzz_letter [iterations] [seed]     exit status 0 when all passed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "letter_parse.h"

/* ---- the services the text core asks for ---- */

static void **arena;
static size_t arena_n,
			arena_cap;

void *
lt_alloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	if (arena_n == arena_cap)
	{
		arena_cap = arena_cap ? arena_cap * 2 : 64;
		arena = realloc(arena, arena_cap * sizeof(void *));
	}
	arena[arena_n++] = p;
	return p;
}

static void
arena_reset(void)
{
	while (arena_n > 0)
		free(arena[--arena_n]);
}

/* Outside the server there is no time zone database: read local as UTC. */
int
lt_london_offset(const LtDateFields *f)
{
	(void) f;
	return 0;
}

/* ---- random numbers ---- */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t
rnd_below(size_t n)
{
	return n ? (size_t) (rnd() % n) : 0;
}

/* ---- building inputs ---- */

typedef struct Buf
{
	char	   *p;
	size_t		len,
				cap;
} Buf;

static void
put(Buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
puts_(Buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static const char *const tokens[] = {
	"\n", "\n", "\r\n", "\r", ":", ": ", " ", "\t", "  ", "Kind", "kind", "To", "TO", "Dated",
	"NHS-Number", "nhs-number", "Letter-Id", "From", "Subject", "X-Ref", "Re", "a", "Dear Dr",
	"death", "discharge", "G82001", "g82001", "P1234", "943 476 5919", "9434765919", "9434765918",
	"2024-03-01", "2024-03-31T01:30", "2024-10-27 01:30:00+01:00", "2024-02-30", "Z", "\xc3\xa9",
	"\xe2\x80\x99", "\xff", "-", "_", ".", "0", "\0", "Kind: death\n", "To: G82001\n", "\n\n",
	"Name: value\n\nbody", " continued\n", "\tcontinued\n",
};
#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

static void
put_token(Buf *b)
{
	size_t		i = rnd_below(NTOKENS);

	/* "\0" is a one-byte token; the others are C strings. */
	if (tokens[i][0] == '\0')
		put(b, "", 1);
	else
		puts_(b, tokens[i]);
}

static const char *const names[] = {
	"Kind", "To", "Dated", "NHS-Number", "Letter-Id", "From", "Subject", "X-Ref", "kind",
	"SUBJECT", "Re", "a", "x.y_z-1"
};
static const char *const values[] = {
	"death", "Inpatient discharge report", "G82001", "g82001 ", "P1234", "943 476 5919", "9434765918",
	"2024-03-01", "2024-07-01 12:00", "2024-03-31T01:30Z", "nonsense", "", " lead", "trail  ",
	"Death notification", "a\tb", "\xc3\xa9t\xc3\xa9", "x: y"
};

/* A letter-like text: maybe a header block, a blank line, a tricky body. */
static void
gen_structured(Buf *b)
{
	int			nh = (int) rnd_below(6),
				i;
	const char *eol = (rnd() & 1) ? "\n" : "\r\n";

	if (rnd_below(5) == 0)
		puts_(b, eol);			/* a leading blank line */
	for (i = 0; i < nh; i++)
	{
		puts_(b, names[rnd_below(sizeof(names) / sizeof(names[0]))]);
		puts_(b, (rnd() & 1) ? ": " : ":");
		puts_(b, values[rnd_below(sizeof(values) / sizeof(values[0]))]);
		puts_(b, rnd_below(8) == 0 ? "\r" : "");
		puts_(b, eol);
		if (rnd_below(4) == 0)
		{
			puts_(b, (rnd() & 1) ? " " : "\t");
			puts_(b, values[rnd_below(sizeof(values) / sizeof(values[0]))]);
			puts_(b, eol);
		}
	}
	if (nh > 0 || rnd() & 1)
		puts_(b, eol);
	i = (int) rnd_below(12);
	while (i-- > 0)
		put_token(b);
}

static void
gen_random(Buf *b)
{
	size_t		n = rnd_below(40),
				i;

	for (i = 0; i < n; i++)
	{
		if (rnd_below(4) == 0)
		{
			char		c = (char) rnd();

			put(b, &c, 1);
		}
		else
			put_token(b);
	}
}

static void
mutate(Buf *b)
{
	int			k = 1 + (int) rnd_below(4);

	while (k-- > 0 && b->len > 0)
	{
		size_t		at = rnd_below(b->len);

		switch (rnd_below(5))
		{
			case 0:				/* flip a byte */
				b->p[at] ^= (char) (1 << rnd_below(8));
				break;
			case 1:				/* delete a range */
				{
					size_t		n = 1 + rnd_below(b->len - at);

					memmove(b->p + at, b->p + at + n, b->len - at - n);
					b->len -= n;
				}
				break;
			case 2:				/* insert a token */
				{
					Buf			t = {0};
					char	   *rest;
					size_t		rl = b->len - at;

					put_token(&t);
					rest = malloc(rl + 1);
					memcpy(rest, b->p + at, rl);
					b->len = at;
					put(b, t.p, t.len);
					put(b, rest, rl);
					free(rest);
					free(t.p);
				}
				break;
			case 3:				/* truncate */
				b->len = at;
				break;
			default:			/* duplicate a prefix */
				{
					char	   *pre = malloc(at + 1);

					memcpy(pre, b->p, at);
					put(b, pre, at);
					free(pre);
				}
				break;
		}
	}
}

/* ---- checks ---- */

static unsigned long failures;

static void
fail(const char *what, const char *in, size_t len)
{
	size_t		i;

	if (++failures > 10)
		return;
	fprintf(stderr, "FAIL: %s; input (%zu bytes): \"", what, len);
	for (i = 0; i < len && i < 300; i++)
	{
		unsigned char c = (unsigned char) in[i];

		if (c == '\\' || c == '"')
			fprintf(stderr, "\\%c", c);
		else if (c >= 32 && c < 127)
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\"\n");
}

static bool
same(const LtLetter *a, size_t asz, const LtLetter *b, size_t bsz)
{
	return asz == bsz && memcmp((const char *) a + 4, (const char *) b + 4, asz - 4) == 0;
}

/* The same parsed view: headers, body and what was read from them. */
static bool
same_view(const LtLetter *a, const LtLetter *b)
{
	const char *ad = LT_DATA(a),
			   *bd = LT_DATA(b);
	uint32		i;

	if (a->nheaders != b->nheaders || a->body_len != b->body_len || a->kind != b->kind ||
		a->dated_state != b->dated_state || a->problems != b->problems ||
		lt_letter_dated(a) != lt_letter_dated(b) ||
		memcmp(ad + a->body_off, bd + b->body_off, a->body_len) != 0)
		return false;
	for (i = 0; i < a->nheaders; i++)
	{
		const LtHeaderRef *x = &a->headers[i],
				   *y = &b->headers[i];

		if (x->name_len != y->name_len || x->value_len != y->value_len || x->known != y->known ||
			memcmp(ad + x->name_off, bd + y->name_off, x->name_len) != 0 ||
			memcmp(ad + x->value_off, bd + y->value_off, x->value_len) != 0)
			return false;
	}
	return true;
}

/* The text of l is t[0..len), byte for byte. */
static bool
text_is(const LtLetter *l, const char *t, size_t len)
{
	size_t		tl;
	const char *lt = lt_letter_text(l, &tl);

	return tl == len && memcmp(lt, t, len) == 0;
}

/* Check the stored layout: offsets inside the value, header invariants. */
static bool
layout_ok(const LtLetter *l, size_t size)
{
	size_t		data_off = LT_FIXED_SIZE + (size_t) l->nheaders * sizeof(LtHeaderRef);
	const char *data = LT_DATA(l);
	uint32		i;

	if (l->version != LT_LETTER_VERSION || l->reserved != 0 || data_off > size ||
		(size_t) l->body_off + l->body_len > size - data_off)
		return false;
	for (i = 0; i < l->nheaders; i++)
	{
		const LtHeaderRef *h = &l->headers[i];
		const char *v = data + h->value_off;

		if ((size_t) h->name_off + h->name_len > size - data_off ||
			(size_t) h->value_off + h->value_len > size - data_off ||
			!lt_header_name_valid(data + h->name_off, h->name_len) ||
			(h->value_len > 0 && (v[0] == ' ' || v[0] == '\t')) ||
			memchr(v, '\r', h->value_len) || memchr(v, '\n', h->value_len) ||
			memchr(v, '\0', h->value_len) || h->reserved != 0 ||
			h->known != (uint8) lt_known_header(data + h->name_off, h->name_len) ||
			(i > 0 && h->known < l->headers[i - 1].known))
			return false;
	}
	return true;
}

/* Encode as binary format 1 (what letter_send once wrote, same encoding). */
static void
encode(const LtLetter *l, Buf *b)
{
	const char *data = LT_DATA(l);
	uint32		i;
	char		v = LT_WIRE_VERSION_1;

	b->len = 0;
	put(b, &v, 1);
#define PUT32(x) do { uint32 _x = (uint32) (x); char _b[4] = {(char) (_x >> 24), (char) (_x >> 16), (char) (_x >> 8), (char) _x}; put(b, _b, 4); } while (0)
	PUT32(l->nheaders);
	for (i = 0; i < l->nheaders; i++)
	{
		PUT32(l->headers[i].name_len);
		put(b, data + l->headers[i].name_off, l->headers[i].name_len);
		PUT32(l->headers[i].value_len);
		put(b, data + l->headers[i].value_off, l->headers[i].value_len);
	}
	PUT32(l->body_len);
	put(b, data + l->body_off, l->body_len);
}

static void
check_text(const char *in, size_t len)
{
	size_t		s1,
				s2,
				p1len,
				p2len;
	LtLetter   *l1 = lt_letter_parse(in, len, &s1),
			   *l2;
	char	   *p1,
			   *p2;
	int			bl;
	const char *body = lt_letter_body(l1, &bl);

	if (l1 == NULL)
	{
		fail("parse refused the input", in, len);
		return;
	}
	if (!layout_ok(l1, s1))
		fail("bad layout", in, len);
	if (!text_is(l1, in, len))
		fail("text not kept", in, len);

	/* Nothing lost. */
	if (l1->nheaders > 0)
	{
		if ((size_t) bl > len || memcmp(body, in + len - bl, bl) != 0)
			fail("body is not the rest of the input", in, len);
	}
	else if (!((size_t) bl == len && memcmp(body, in, len) == 0) &&
			 !((size_t) bl == len - 1 && in[0] == '\n' && memcmp(body, in + 1, bl) == 0) &&
			 !((size_t) bl == len - 2 && in[0] == '\r' && in[1] == '\n' && memcmp(body, in + 2, bl) == 0))
		fail("header-less body differs from the input", in, len);

	/* Canonical round trip; the text is a pure function of the layout. */
	p1 = lt_letter_print(l1, &p1len);
	l2 = lt_letter_parse(p1, p1len, &s2);
	if (l2 == NULL || !same_view(l1, l2))
	{
		fail("parse(print(v)) has another parsed view than v", in, len);
		return;
	}
	{
		size_t		s0;
		LtLetter   *l0 = lt_letter_parse(in, len, &s0);

		if (l0 == NULL || !same(l1, s1, l0, s0))
			fail("parse is not a pure function of the text", in, len);
	}
	p2 = lt_letter_print(l2, &p2len);
	if (p1len != p2len || memcmp(p1, p2, p1len) != 0)
		fail("print not stable", in, len);

	/* Binary round trip (inputs with NUL cannot reach the server). */
	if (memchr(in, '\0', len) == NULL)
	{
		Buf			w = {0};
		LtHeaderSpec *h;
		int			n;
		const char *b,
				   *msg;
		size_t		blen,
					s3;
		LtLetter   *l3;

		encode(l1, &w);
		if (lt_wire_decode(w.p, w.len, &h, &n, &b, &blen, &msg) != LT_OK ||
			lt_letter_build(h, n, b, blen, &l3, &s3) != LT_OK || !same_view(l1, l3) ||
			!text_is(l3, p1, p1len) || !same(l2, s2, l3, s3))
			fail("binary round trip", in, len);
		free(w.p);
	}
}

static void
check_wire(const char *in, size_t len)
{
	LtHeaderSpec *h;
	int			n;
	const char *b,
			   *msg;
	size_t		blen,
				s1,
				s2,
				plen;
	LtLetter   *l1,
			   *l2;
	char	   *p;

	if (lt_wire_decode(in, len, &h, &n, &b, &blen, &msg) != LT_OK)
		return;
	if (lt_letter_build(h, n, b, blen, &l1, &s1) != LT_OK)
		return;
	if (!layout_ok(l1, s1))
		fail("bad layout from binary", in, len);
	p = lt_letter_print(l1, &plen);
	l2 = lt_letter_parse(p, plen, &s2);
	if (l2 == NULL || !same(l1, s1, l2, s2) || !text_is(l1, p, plen))
		fail("binary letter does not round-trip as text", in, len);
}

static void
check_fields(const char *in, size_t len)
{
	char		d[10];
	LtDateFields f;

	(void) lt_nhs_number_check(in, len, d);
	(void) lt_ods_code(in, len, d);
	(void) lt_kind_lookup(in, len);
	if (lt_dated_parse(in, len, &f) &&
		(f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 23 ||
		 f.minute > 59 || f.second > 59 || f.usec < 0 || f.usec > 999999))
		fail("dated fields out of range", in, len);
}

int
main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 10) : 20241124;
	unsigned long i;
	Buf			in = {0},
				prev = {0},
				w = {0};

	rng_state = seed * 2654435761u + 1;
	for (i = 0; i < n; i++)
	{
		in.len = 0;
		switch (rnd_below(4))
		{
			case 0:
				gen_random(&in);
				break;
			case 1:
				gen_structured(&in);
				break;
			default:			/* mutate the previous input, or a structured one */
				if (prev.len > 0 && prev.len < 4096)
					put(&in, prev.p, prev.len);
				else
					gen_structured(&in);
				mutate(&in);
				break;
		}
		check_text(in.p ? in.p : "", in.len);
		check_fields(in.p ? in.p : "", in.len);

		/* The binary decoder: a valid encoding, mutated. */
		{
			size_t		s;
			LtLetter   *l = lt_letter_parse(in.p ? in.p : "", in.len, &s);

			encode(l, &w);
			if (rnd() & 1)
				mutate(&w);
			check_wire(w.p, w.len);
		}
		prev.len = 0;
		put(&prev, in.p ? in.p : "", in.len);
		arena_reset();
	}
	printf("%lu inputs, %lu failures\n", n, failures);
	return failures == 0 ? 0 : 1;
}
