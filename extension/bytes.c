/*
 * bytes.c — the text core's passes over raw bytes, many bytes at a time: the
 * counts of a text for its readability checks (LtTextStats), and the search
 * for the next byte of a small set (where the sentence cutter and the search
 * for years have something to look at).  These loops read every byte of a
 * letter, so they are written for 16 bytes a step with SSE2 (every x86-64
 * CPU has it), and for 8 bytes a step in a 64-bit word elsewhere (SWAR).  The
 * results are the same either way; test/bench/same_output.sh builds both.
 */
#include "postgres.h"

#include "port/pg_bitutils.h"
#include "port/pg_bswap.h"

#include "core.h"

#if defined(__SSE2__) && !defined(LT_NO_SIMD)
#define LT_SSE2 1
#include <emmintrin.h>
#endif

/*
 * The run of non-blank bytes through a group of nbits bytes whose blanks are
 * the bits of blank: through the group, or up to its first blank, and from
 * its last blank on.  Runs between two blanks of one group are not looked
 * at: only runs of LT_LONG_RUN bytes or more are reported (see core.h),
 * and those reach past a group.
 */
static inline void
count_runs(uint32 blank, int nbits, LtByteCounts *bc)
{
	int			first = blank ? pg_rightmost_one_pos32(blank) : nbits;
	int			upto = bc->run + first;

	bc->longest = Max(bc->longest, upto);
	bc->run = blank ? nbits - 1 - pg_leftmost_one_pos32(blank) : upto;
}

/* The counts complete at the text's end. */
static void
count_end(LtByteCounts *bc)
{
	bc->longest = Max(bc->longest, bc->run);
	if (bc->longest < LT_LONG_RUN)
		bc->longest = 0;
}

#ifdef LT_SSE2

#define GROUP 16

/* The bytes of x in [lo, lo + span] (unsigned): 0xFF, else 0. */
static inline __m128i
in_range(__m128i x, int lo, int span)
{
	__m128i		d = _mm_sub_epi8(x, _mm_set1_epi8((char) lo));

	return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((char) span)), d);
}

/* The sum of the byte lanes of v. */
static inline int
lane_sum(__m128i v)
{
	__m128i		s = _mm_sad_epu8(v, _mm_setzero_si128());

	return _mm_cvtsi128_si32(s) + _mm_cvtsi128_si32(_mm_srli_si128(s, 8));
}

/*
 * Count one group of 16 bytes: each test leaves 0xFF in the byte lanes that
 * pass it; a lane counter gains 1 per such lane (subtracting -1), and is
 * emptied every 255 groups (lt_count_bytes).
 */
static pg_attribute_always_inline void
count_group(__m128i x, LtByteCounts *bc, __m128i *prev_word, __m128i *acc)
{
	__m128i		letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z' - 'a');
	__m128i		digit = in_range(x, '0', 9);
	__m128i		high = _mm_cmplt_epi8(x, _mm_setzero_si128());	/* >= 0x80 */
	__m128i		alpha = _mm_or_si128(high, letter);
	__m128i		word = _mm_or_si128(alpha, digit);
	__m128i		blank = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')), in_range(x, '\t', '\r' - '\t'));
	__m128i		control = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);
	__m128i		bad = _mm_or_si128(_mm_andnot_si128(blank, control), _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));
	__m128i		after = _mm_or_si128(_mm_slli_si128(word, 1), _mm_srli_si128(*prev_word, 15));
	__m128i		starts = _mm_andnot_si128(after, word);

	*prev_word = word;
	acc[0] = _mm_sub_epi8(acc[0], alpha);
	acc[1] = _mm_sub_epi8(acc[1], blank);
	acc[2] = _mm_sub_epi8(acc[2], bad);
	acc[3] = _mm_sub_epi8(acc[3], starts);
	count_runs((uint32) _mm_movemask_epi8(blank), GROUP, bc);
}

static void
flush_lanes(LtByteCounts *bc, __m128i *acc, int bytes)
{
	bc->alpha += lane_sum(acc[0]);
	bc->nonblank += bytes - lane_sum(acc[1]);
	bc->bad += lane_sum(acc[2]);
	bc->words += lane_sum(acc[3]);
	acc[0] = acc[1] = acc[2] = acc[3] = _mm_setzero_si128();
}

/* See core.h. */
void
lt_count_bytes(const char *s, int n, bool last, LtByteCounts *bc)
{
	__m128i		acc[4];
	__m128i		prev_word = _mm_cvtsi32_si128(bc->prev_word ? (int) 0xFF000000 : 0);
	int			i = 0;
	int			ingroup = 0;

	prev_word = _mm_slli_si128(prev_word, 12);	/* in the last lane */
	acc[0] = acc[1] = acc[2] = acc[3] = _mm_setzero_si128();
	for (; i + GROUP <= n; i += GROUP)
	{
		count_group(_mm_loadu_si128((const __m128i *) (s + i)), bc, &prev_word, acc);
		if (++ingroup == 255)	/* before a lane can overflow */
		{
			flush_lanes(bc, acc, 255 * GROUP);
			ingroup = 0;
		}
	}
	if (last && i < n)
	{
		/* completed with blanks, which count as nothing and end a word and a run */
		char		tail[GROUP];

		memset(tail, ' ', GROUP);
		memcpy(tail, s + i, n - i);
		count_group(_mm_loadu_si128((const __m128i *) tail), bc, &prev_word, acc);
		ingroup++;
	}
	flush_lanes(bc, acc, ingroup * GROUP);
	bc->prev_word = (_mm_movemask_epi8(prev_word) & 0x8000) != 0;
	if (last)
		count_end(bc);
}

/* See core.h. */
int
lt_next_of(const char *s, int from, int len, unsigned char a, unsigned char b,
		   unsigned char c, unsigned char d)
{
	__m128i		va = _mm_set1_epi8((char) a);
	__m128i		vb = _mm_set1_epi8((char) b);
	__m128i		vc = _mm_set1_epi8((char) c);
	__m128i		vd = _mm_set1_epi8((char) d);
	int			i = from;

	for (; i + GROUP <= len; i += GROUP)
	{
		__m128i		x = _mm_loadu_si128((const __m128i *) (s + i));
		__m128i		hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
									   _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, vd)));
		uint32		m = (uint32) _mm_movemask_epi8(hit);

		if (m)
			return i + pg_rightmost_one_pos32(m);
	}
	for (; i < len; i++)
	{
		unsigned char x = (unsigned char) s[i];

		if (x == a || x == b || x == c || x == d)
			return i;
	}
	return len;
}

#else							/* no SSE2: 8 bytes a step in a uint64 */

#define GROUP 8
#define SWAR_ONES	UINT64CONST(0x0101010101010101)
#define SWAR_HIGHS	UINT64CONST(0x8080808080808080)
#define SWAR_LOW7	UINT64CONST(0x7F7F7F7F7F7F7F7F)

/* The bytes >= n of x7 (bytes below 0x80), for 1 <= n <= 128: their high bit. */
static inline uint64
swar_ge(uint64 x7, int n)
{
	return (x7 + (uint64) (128 - n) * SWAR_ONES) & SWAR_HIGHS;
}

/* The bytes == v of x7 (bytes below 0x80), for v < 0x80: their high bit. */
static inline uint64
swar_eq(uint64 x7, int v)
{
	return ~((x7 ^ ((uint64) v * SWAR_ONES)) + SWAR_LOW7) & SWAR_HIGHS;
}

/* The sum of the eight byte lanes of v. */
static inline int
lane_sum(uint64 v)
{
	uint64		w = (v & UINT64CONST(0x00FF00FF00FF00FF)) + ((v >> 8) & UINT64CONST(0x00FF00FF00FF00FF));

	return (int) ((w * UINT64CONST(0x0001000100010001)) >> 48);
}

/* The group of 8 bytes at p, the first byte in the low lane. */
static inline uint64
load_group(const char *p)
{
	uint64		x;

	memcpy(&x, p, 8);
#ifdef WORDS_BIGENDIAN
	x = pg_bswap64(x);
#endif
	return x;
}

static pg_attribute_always_inline void
count_group(uint64 x, LtByteCounts *bc, uint64 *prev_word, uint64 *acc)
{
	uint64		hi = x & SWAR_HIGHS;
	uint64		x7 = x & SWAR_LOW7;
	uint64		ascii = hi ^ SWAR_HIGHS;
	uint64		folded = x7 | (0x20 * SWAR_ONES);	/* ASCII letters in a-z */
	uint64		letter = swar_ge(folded, 'a') & ~swar_ge(folded, 'z' + 1);
	uint64		digit = swar_ge(x7, '0') & ~swar_ge(x7, '9' + 1);
	uint64		alpha = hi | (letter & ascii);
	uint64		word = alpha | (digit & ascii);
	uint64		blank = (swar_eq(x7, ' ') | (swar_ge(x7, '\t') & ~swar_ge(x7, '\r' + 1))) & ascii;
	uint64		bad = ((~swar_ge(x7, 0x20) & ~blank) | swar_eq(x7, 0x7F)) & ascii;
	uint64		starts = word & ~((word << 8) | (*prev_word >> 56));
	uint32		bits = 0;

	*prev_word = word;
	acc[0] += alpha >> 7;
	acc[1] += blank >> 7;
	acc[2] += bad >> 7;
	acc[3] += starts >> 7;
	for (int k = 0; k < 8; k++)
		bits |= (uint32) ((blank >> (8 * k + 7)) & 1) << k;
	count_runs(bits, GROUP, bc);
}

static void
flush_lanes(LtByteCounts *bc, uint64 *acc, int bytes)
{
	bc->alpha += lane_sum(acc[0]);
	bc->nonblank += bytes - lane_sum(acc[1]);
	bc->bad += lane_sum(acc[2]);
	bc->words += lane_sum(acc[3]);
	acc[0] = acc[1] = acc[2] = acc[3] = 0;
}

/* See core.h. */
void
lt_count_bytes(const char *s, int n, bool last, LtByteCounts *bc)
{
	uint64		acc[4] = {0, 0, 0, 0};
	uint64		prev_word = bc->prev_word ? UINT64CONST(0x80) << 56 : 0;
	int			i = 0;
	int			ingroup = 0;

	for (; i + GROUP <= n; i += GROUP)
	{
		count_group(load_group(s + i), bc, &prev_word, acc);
		if (++ingroup == 255)	/* before a lane can overflow */
		{
			flush_lanes(bc, acc, 255 * GROUP);
			ingroup = 0;
		}
	}
	if (last && i < n)
	{
		/* completed with blanks, which count as nothing and end a word and a run */
		char		tail[GROUP];

		memset(tail, ' ', GROUP);
		memcpy(tail, s + i, n - i);
		count_group(load_group(tail), bc, &prev_word, acc);
		ingroup++;
	}
	flush_lanes(bc, acc, ingroup * GROUP);
	bc->prev_word = (prev_word >> 63) != 0;
	if (last)
		count_end(bc);
}

/* See core.h. */
int
lt_next_of(const char *s, int from, int len, unsigned char a, unsigned char b,
		   unsigned char c, unsigned char d)
{
	for (int i = from; i < len; i++)
	{
		unsigned char x = (unsigned char) s[i];

		if (x == a || x == b || x == c || x == d)
			return i;
	}
	return len;
}

#endif
