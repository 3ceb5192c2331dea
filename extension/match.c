/*
 * match.c — the multi-pattern matcher: an Aho-Corasick automaton over byte
 * classes, compiled once per backend from the normalised patterns.
 *
 * ASCII case is folded in the class table ('A' and 'a' are one class), all
 * blanks, '-' and '_' are one "space" class, and a state reached by a space
 * stays put on further spaces, so "same-day", "same day" and "same\n  day"
 * are one phrase.  Bytes that occur in no pattern share class 0, which keeps
 * the transition table small (states x classes int32).  Word boundaries are
 * checked only where a pattern ends.
 */
#include "postgres.h"

#include "classify.h"

/* Letters, digits and every byte of a multi-byte UTF-8 character. */
const bool	lt_word_byte[256] = {
	['0'] = 1,['1'] = 1,['2'] = 1,['3'] = 1,['4'] = 1,['5'] = 1,['6'] = 1,['7'] = 1,['8'] = 1,['9'] = 1,
	['A'] = 1,['B'] = 1,['C'] = 1,['D'] = 1,['E'] = 1,['F'] = 1,['G'] = 1,['H'] = 1,['I'] = 1,
	['J'] = 1,['K'] = 1,['L'] = 1,['M'] = 1,['N'] = 1,['O'] = 1,['P'] = 1,['Q'] = 1,['R'] = 1,
	['S'] = 1,['T'] = 1,['U'] = 1,['V'] = 1,['W'] = 1,['X'] = 1,['Y'] = 1,['Z'] = 1,
	['a'] = 1,['b'] = 1,['c'] = 1,['d'] = 1,['e'] = 1,['f'] = 1,['g'] = 1,['h'] = 1,['i'] = 1,
	['j'] = 1,['k'] = 1,['l'] = 1,['m'] = 1,['n'] = 1,['o'] = 1,['p'] = 1,['q'] = 1,['r'] = 1,
	['s'] = 1,['t'] = 1,['u'] = 1,['v'] = 1,['w'] = 1,['x'] = 1,['y'] = 1,['z'] = 1,
	[0x80 ... 0xFF] = 1
};

static inline bool
is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
		c == '\v' || c == '-' || c == '_';
}

/* Build rs->cls, rs->delta, rs->out, rs->dict from rs->entries (in rs->cxt). */
void
lt_automaton_build(LtRuleSet *rs)
{
	int			ncls = 2;
	int			maxstates = 1;
	int			nstates = 1;
	int32	   *go;
	int32	   *fail;
	int32	   *queue;
	uint8	   *incoming;
	int			qh = 0,
				qt = 0;

	memset(rs->cls, LT_CLS_OTHER, sizeof(rs->cls));
	for (int c = 0; c < 256; c++)
		if (is_space_byte((unsigned char) c))
			rs->cls[c] = LT_CLS_SPACE;
	for (int e = 0; e < rs->nentries; e++)
	{
		const unsigned char *p = (const unsigned char *) rs->entries[e].norm;

		maxstates += rs->entries[e].nlen;
		for (; *p; p++)
		{
			if (rs->cls[*p] == LT_CLS_OTHER && ncls < 255)
			{
				rs->cls[*p] = ncls;
				if (*p >= 'a' && *p <= 'z')
					rs->cls[*p - 'a' + 'A'] = ncls;
				ncls++;
			}
		}
	}
	rs->nclasses = ncls;

	go = palloc0(sizeof(int32) * (Size) maxstates * ncls);	/* 0 = none (root never a target) */
	incoming = palloc0(maxstates);
	rs->out = palloc(sizeof(int32) * maxstates);
	for (int s = 0; s < maxstates; s++)
		rs->out[s] = -1;

	/* the trie */
	for (int e = 0; e < rs->nentries; e++)
	{
		const unsigned char *p = (const unsigned char *) rs->entries[e].norm;
		int			s = 0;

		rs->entries[e].next = -1;
		if (rs->entries[e].nlen == 0)
			continue;
		for (; *p; p++)
		{
			int			c = rs->cls[*p];
			int32	   *t = &go[(Size) s * ncls + c];

			if (*t == 0)
			{
				*t = nstates;
				incoming[nstates] = c;
				nstates++;
			}
			s = *t;
		}
		/* keep entries with the same pattern in table order */
		if (rs->out[s] < 0)
			rs->out[s] = e;
		else
		{
			int			k = rs->out[s];

			while (rs->entries[k].next >= 0)
				k = rs->entries[k].next;
			rs->entries[k].next = e;
		}
	}

	/* failure links breadth first, completing the transition table */
	fail = palloc0(sizeof(int32) * nstates);
	queue = palloc(sizeof(int32) * nstates);
	rs->dict = palloc(sizeof(int32) * nstates);
	rs->dict[0] = -1;
	for (int c = 0; c < ncls; c++)
	{
		int32		t = go[c];

		if (t != 0)
		{
			fail[t] = 0;
			rs->dict[t] = -1;
			queue[qt++] = t;
		}
	}
	while (qh < qt)
	{
		int			s = queue[qh++];

		for (int c = 0; c < ncls; c++)
		{
			int32	   *t = &go[(Size) s * ncls + c];

			if (*t != 0)
			{
				int			f = go[(Size) fail[s] * ncls + c];

				fail[*t] = f;
				rs->dict[*t] = (rs->out[f] >= 0) ? f : rs->dict[f];
				queue[qt++] = *t;
			}
			else
				*t = go[(Size) fail[s] * ncls + c];
		}
	}
	/* a state reached by a space absorbs further spaces */
	for (int s = 1; s < nstates; s++)
		if (incoming[s] == LT_CLS_SPACE)
			go[(Size) s * ncls + LT_CLS_SPACE] = s;

	/*
	 * Renumber the states breadth first, so that the shallow states, where a
	 * scan spends most of its time, share a few cache lines; and keep for
	 * each state the first state of its output chain (one load per byte).
	 */
	{
		int32	   *perm = palloc(sizeof(int32) * nstates);
		int32	   *delta = palloc(sizeof(int32) * (Size) nstates * ncls);
		int32	   *out = palloc(sizeof(int32) * nstates);
		int32	   *dict = palloc(sizeof(int32) * nstates);

		perm[0] = 0;
		for (int i = 0; i < qt; i++)
			perm[queue[i]] = i + 1;
		for (int s = 0; s < nstates; s++)
		{
			int			t = perm[s];

			for (int c = 0; c < ncls; c++)
				delta[(Size) t * ncls + c] = perm[go[(Size) s * ncls + c]];
			out[t] = rs->out[s];
			dict[t] = rs->dict[s] >= 0 ? perm[rs->dict[s]] : -1;
		}
		rs->report = palloc(sizeof(int32) * nstates);
		for (int t = 0; t < nstates; t++)
			rs->report[t] = out[t] >= 0 ? t : dict[t];
		pfree(go);
		pfree(perm);
		go = delta;
		rs->out = out;
		rs->dict = dict;
	}

	rs->nstates = nstates;
	rs->delta = go;
	rs->delta16 = NULL;
	if (nstates <= PG_UINT16_MAX)
	{
		/* half the cache footprint when the states fit in 16 bits */
		rs->delta16 = palloc(sizeof(uint16) * (Size) nstates * ncls);
		for (Size i = 0; i < (Size) nstates * ncls; i++)
			rs->delta16[i] = (uint16) go[i];
	}
	pfree(fail);
	pfree(queue);
	pfree(incoming);
}

/* Where the match of entry e ending at end starts (spaces absorbed), or -1. */
static int
match_start(const LtRuleSet *rs, const LtEntry *en, const char *s, int end)
{
	int			i = end - 1;
	int			p = en->nlen - 1;

	while (p >= 0)
	{
		if (i < 0)
			return -1;
		if (en->norm[p] == ' ')
		{
			if (rs->cls[(unsigned char) s[i]] != LT_CLS_SPACE)
				return -1;
			while (i >= 0 && rs->cls[(unsigned char) s[i]] == LT_CLS_SPACE)
				i--;
		}
		else
		{
			if (rs->cls[(unsigned char) s[i]] != rs->cls[(unsigned char) en->norm[p]])
				return -1;
			i--;
		}
		p--;
	}
	return i + 1;
}

static void
report(const LtRuleSet *rs, const char *s, int len, int end, int state,
	   LtMatch **m, int *n, int *cap, int *nstop)
{
	for (int e = rs->out[state]; e >= 0; e = rs->entries[e].next)
	{
		const LtEntry *en = &rs->entries[e];
		int			start;

		/* word boundary after (unless open-ended) and before */
		if (!en->open_end && end < len && lt_is_word_byte((unsigned char) en->norm[en->nlen - 1]) &&
			lt_is_word_byte((unsigned char) s[end]))
			return;				/* same for every entry of this state */
		start = match_start(rs, en, s, end);
		if (start < 0)
			return;
		if (start > 0 && lt_is_word_byte((unsigned char) en->norm[0]) &&
			lt_is_word_byte((unsigned char) s[start - 1]))
			return;
		if (en->kind == LT_ENTRY_BUILTIN && en->sub == LT_BI_STOP)
		{
			/* stop words are only counted (language check) */
			(*nstop)++;
			continue;
		}
		if (*n >= *cap)
		{
			*cap *= 2;
			*m = repalloc(*m, sizeof(LtMatch) * *cap);
		}
		(*m)[*n].start = start;
		(*m)[*n].end = end;
		(*m)[*n].entry = e;
		(*m)[*n].sentence = -1;
		(*m)[*n].dead = false;
		(*n)++;
	}
}

/*
 * Scan s and return every match (palloc'd array in *matches), ordered by end
 * then by decreasing length.  Stop words are counted in *nstop, not returned.
 */
int
lt_automaton_scan(const LtRuleSet *rs, const char *s, int len, LtMatch **matches,
				  int *nstop)
{
	const int32 *delta = rs->delta;
	const int32 *dict = rs->dict;
	const int32 *rep = rs->report;
	const uint8 *cls = rs->cls;
	int			ncls = rs->nclasses;
	int			state = 0;
	int			n = 0;
	int			cap = 64;
	LtMatch    *m = palloc(sizeof(LtMatch) * cap);

	if (rs->delta16 != NULL)
	{
		const uint16 *d16 = rs->delta16;

		for (int i = 0; i < len; i++)
		{
			state = d16[(Size) state * ncls + cls[(unsigned char) s[i]]];
			if (unlikely(rep[state] >= 0))
			{
				for (int t = rep[state]; t >= 0; t = dict[t])
					report(rs, s, len, i + 1, t, &m, &n, &cap, nstop);
			}
		}
	}
	else
	{
		for (int i = 0; i < len; i++)
		{
			state = delta[(Size) state * ncls + cls[(unsigned char) s[i]]];
			if (unlikely(rep[state] >= 0))
			{
				for (int t = rep[state]; t >= 0; t = dict[t])
					report(rs, s, len, i + 1, t, &m, &n, &cap, nstop);
			}
		}
	}
	*matches = m;
	return n;
}
