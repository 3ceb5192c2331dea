/*
 * match.c — the multi-pattern matcher: an Aho-Corasick automaton over byte
 * classes, compiled once per backend from the normalised patterns.
 *
 * ASCII case is folded in the class table ('A' and 'a' are one class), all
 * blanks, '-', '_' and '"' are one "space" class (a phrase that a writer put
 * partly in quotation marks, a "tight band" across the chest, is the phrase), and a state reached by a space
 * stays put on further spaces, so "same-day", "same day" and "same\n  day"
 * are one phrase.  Bytes that occur in no pattern share class 0 (non-word
 * bytes) or class 2 (word bytes), which keeps the transition table small.
 * The word boundary before a pattern is built into the automaton; the one
 * after is checked where a pattern ends.
 */
#include "postgres.h"

#include "core.h"

#define LT_SCAN_CHUNK (1 << 20)	/* bytes scanned between two interrupt checks */

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
		c == '\v' || c == '-' || c == '_' || c == '"';
}

/*
 * Build rs->cls, rs->delta, rs->out, rs->dict from rs->entries (in rs->cxt).
 *
 * A pattern that begins with a word byte may only start at a word boundary,
 * and the automaton knows it: there are two roots, state 0 (after a non-word
 * byte, or at the start) and state 1 (after a word byte, where only patterns
 * beginning with a non-word byte may start), and the failure link of a state
 * is its longest proper suffix that is a trie node and starts at a word
 * boundary (which the state's own bytes decide).  So "the" is never reached
 * inside "breathe", and the scan stops only where a pattern really ends.
 *
 * The compiler builds the whole transition table (states x classes), but
 * the scan keeps only the rows of the shallow states, numbered breadth
 * first, where it spends most of its steps: each transition there holds its
 * target's code (a row's offset, premultiplied by the number of classes)
 * and what it completes, so the step is one load.  The deep states, most of
 * them links of single-path chains, keep their trie children and failure
 * state (8 bytes and a child, instead of a row of 4 bytes a class), so what
 * the scan reads stays within the L2 cache however many long patterns there
 * are.  Deep states are numbered depth first: a state's only child is the
 * next state.
 */
/* Byte classes of the patterns (see lt_automaton_build); returns their number. */
static int
assign_classes(const LtEntry *entries, int n, uint8 *cls)
{
	int			ncls = 3;

	for (int c = 0; c < 256; c++)
		cls[c] = is_space_byte((unsigned char) c) ? LT_CLS_SPACE :
			lt_word_byte[c] ? LT_CLS_WORD : LT_CLS_OTHER;
	for (int e = 0; e < n; e++)
	{
		for (const unsigned char *p = (const unsigned char *) entries[e].norm; *p; p++)
		{
			if ((cls[*p] == LT_CLS_OTHER || cls[*p] == LT_CLS_WORD) && ncls < 255)
			{
				cls[*p] = ncls;
				if (*p >= 'a' && *p <= 'z')
					cls[*p - 'a' + 'A'] = ncls;
				ncls++;
			}
		}
	}
	return ncls;
}

static const uint8 *sort_cls;	/* for cmp_pattern */

/* Order normalised patterns by their class sequences. */
static int
cmp_pattern(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *) a;
	const unsigned char *y = *(const unsigned char *const *) b;

	while (*x && sort_cls[*x] == sort_cls[*y])
		x++, y++;
	return (int) (*x ? sort_cls[*x] : -1) - (int) (*y ? sort_cls[*y] : -1);
}

/*
 * The states that get a dense row (all classes): the shallow ones, where a
 * scan spends most of its steps, as many as LT_DENSE_BYTES holds.  The deep
 * states, most of them links of single-path chains, are trie nodes: their
 * children and their failure state (see lt_deep_step).  So the tables the
 * scan reads stay within the L2 cache however long the patterns are.
 */
#define LT_DENSE_BYTES (160 * 1024)

static int
dense_states(int64 nstates, int ncls)
{
	return (int) Min(nstates, Max(2, LT_DENSE_BYTES / (int) (ncls * sizeof(uint32))));
}

/* The length of the prefix of x and y with the same classes. */
static int
shared_prefix(const unsigned char *x, const unsigned char *y, const uint8 *cls)
{
	int			n = 0;

	while (x[n] && y[n] && cls[x[n]] == cls[y[n]])
		n++;
	return n;
}

/*
 * The edges of the deep states with several children, from the patterns
 * sorted: a trie node at depth h is numbered breadth first, after the
 * nodes of lesser depth and those of its depth that sort before it, which
 * is the order the sorted patterns create them in.  maxlen bounds the
 * depth; depth[h] counts the nodes at depth h (filled by the caller).
 */
static int64
deep_edges(const char **pats, int np, const uint8 *cls, int ndense, const int64 *depth, int maxlen)
{
	int64	   *before = palloc(sizeof(int64) * (maxlen + 2));	/* BFS number of depth h's first node */
	int64	   *made = palloc0(sizeof(int64) * (maxlen + 2));	/* nodes of depth h made so far */
	int		   *kids = palloc0(sizeof(int) * (maxlen + 2)); /* children of the node on the path at h */
	bool	   *deep = palloc0(sizeof(bool) * (maxlen + 2));
	int64		nedges = 0;
	int			len = 0;		/* the path's depth */

	before[1] = 2;				/* the two roots */
	for (int h = 1; h <= maxlen; h++)
		before[h + 1] = before[h] + depth[h];
	for (int i = 0; i <= np; i++)
	{
		const unsigned char *x = (const unsigned char *) (i < np ? pats[i] : "");
		int			shared = i > 0 && i < np ? shared_prefix(x, (const unsigned char *) pats[i - 1], cls) : 0;
		int			n = (int) strlen((const char *) x);

		/* the nodes below the shared prefix are complete */
		for (; len > shared; len--)
			if (deep[len] && kids[len] > 1)
				nedges += kids[len];
		if (n > shared && shared > 0)
			kids[shared]++;
		for (int h = shared + 1; h <= n; h++)
		{
			deep[h] = before[h] + made[h]++ >= ndense;
			kids[h] = h < n ? 1 : 0;
		}
		len = Max(len, n);
	}
	pfree(before);
	pfree(made);
	pfree(kids);
	pfree(deep);
	return nedges;
}

/*
 * What entries[0..n) compile to, without compiling them: the byte classes,
 * the states (the two roots and one per distinct prefix of the patterns'
 * class sequences: over the patterns sorted, each adds its length less what
 * it shares with the one before), the bytes the compiler builds and the
 * bytes the scan reads.  Cheap (a sort), so the rule tables' trigger can
 * refuse an edit before any backend tries to compile it.
 */
void
lt_automaton_size(const LtEntry *entries, int n, LtAutomatonSize *sz)
{
	uint8		cls[256];
	const char **pats = palloc(sizeof(char *) * Max(n, 1));
	int			np = 0;
	int			maxlen = 0;
	int64		nstates = 2;
	int64	   *depth;
	int			ndense;
	int64		nedges;

	sz->nclasses = assign_classes(entries, n, cls);
	for (int e = 0; e < n; e++)
		if (entries[e].nlen > 0)
		{
			pats[np++] = entries[e].norm;
			maxlen = Max(maxlen, entries[e].nlen);
		}
	sort_cls = cls;
	qsort(pats, np, sizeof(char *), cmp_pattern);
	depth = palloc0(sizeof(int64) * (maxlen + 2));
	sz->copies = 0;
	sz->copied = NULL;
	for (int i = 0, run = 0; i < np; i++)
	{
		int			shared = i > 0 ? shared_prefix((const unsigned char *) pats[i],
												   (const unsigned char *) pats[i - 1], cls) : 0;
		int			len = (int) strlen(pats[i]);

		/* copies of one pattern sort together */
		run = (i > 0 && shared == len && pats[i - 1][shared] == '\0') ? run + 1 : 1;
		if (run > sz->copies)
		{
			sz->copies = run;
			sz->copied = pats[i];
		}

		for (int h = shared + 1; h <= len; h++)
			depth[h]++;
		nstates += len - shared;
	}
	sz->nstates = nstates;
	/* the transition table, and per state its output, suffix link and flags */
	sz->bytes = nstates * sz->nclasses * (int64) sizeof(uint32) +
		nstates * (int64) (2 * sizeof(int32) + 1);
	ndense = dense_states(nstates, sz->nclasses);
	nedges = deep_edges(pats, np, cls, ndense, depth, maxlen);
	sz->scan_bytes = (int64) ndense * sz->nclasses * sizeof(uint32) + (int64) ndense * sizeof(uint16) +
		(nstates - ndense) * (int64) (sizeof(LtDeepState) + sizeof(uint32)) +
		nedges * (int64) sizeof(LtEdge);
	pfree(depth);
	pfree(pats);
}

/* Refuse an automaton beyond LT_MAX_AUTOMATON_BYTES (see lt_automaton_size). */
void
lt_check_automaton_size(const LtAutomatonSize *sz)
{
	if (sz->bytes > LT_MAX_AUTOMATON_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the enabled patterns of letters_triage would compile to more than the limit of %d MB",
						LT_MAX_AUTOMATON_BYTES / (1024 * 1024)),
				 errdetail("Their automaton would hold " INT64_FORMAT " bytes (" INT64_FORMAT " states of %d byte classes).",
						   sz->bytes, sz->nstates, sz->nclasses),
				 errhint("Disable or shorten patterns: patterns that share their first words cost least.")));
	if (sz->copies > LT_MAX_SAME_PATTERN)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the enabled rows of letters_triage would have more than the limit of %d of one pattern",
						LT_MAX_SAME_PATTERN),
				 errdetail("%d enabled rows of rule, modifier and section would have the pattern \"%s\" (as normalised).",
						   sz->copies, sz->copied),
				 errhint("Disable or delete the copies: every match of a pattern is read once for each of its rows.")));
}

/* The working tables of lt_automaton_build, indexed by trie state. */
typedef struct Builder
{
	LtRuleSet  *rs;
	int			ncls;
	int			maxstates;		/* as counted by lt_automaton_size */
	int			nstates;
	int32	   *go;				/* [state * ncls + class] -> state; 0 = none */
	int32	   *fail;
	int32	   *queue;			/* the states breadth first */
	int32	   *out;			/* state -> first entry ending here, or -1 */
	int32	   *dict;			/* state -> next state with output on the suffix chain */
	uint8	   *incoming;		/* state -> class of the transition into it */
	int32	   *kid_first;		/* state -> its first trie child, 0 = none */
	int32	   *kid_next;		/* state -> the next trie child of its parent, 0 = none */
	uint8	   *sflags;			/* state -> LT_SF_* */
	uint8	   *istop;			/* state -> stop words completed on reaching it */
	bool		cls_word[256];	/* class -> is made of word bytes */
} Builder;

/* Do two entries of the same normalised pattern mean the same (all but their row and text)? */
static bool
same_meaning(const LtEntry *x, const LtEntry *y)
{
	return x->kind == y->kind && x->sub == y->sub && x->urgency == y->urgency && x->dir == y->dir &&
		x->scope == y->scope && x->aux == y->aux && x->needs_request == y->needs_request &&
		x->open_end == y->open_end;
}

/* The trie of the entries' normalised patterns, from root 0. */
static void
build_trie(Builder *b)
{
	LtRuleSet  *rs = b->rs;
	int			ncls = b->ncls;

	b->go = palloc0(sizeof(int32) * (Size) b->maxstates * ncls);	/* 0 = none (roots never a trie child) */
	b->incoming = palloc0(b->maxstates);
	b->kid_first = palloc0(sizeof(int32) * b->maxstates);
	b->kid_next = palloc0(sizeof(int32) * b->maxstates);
	b->out = palloc(sizeof(int32) * b->maxstates);
	for (int s = 0; s < b->maxstates; s++)
		b->out[s] = -1;
	for (int e = 0; e < rs->nentries; e++)
	{
		const unsigned char *p = (const unsigned char *) rs->entries[e].norm;
		int			s = 0;

		rs->entries[e].next = -1;
		if (rs->entries[e].nlen == 0)
			continue;
		if ((e & 1023) == 0)
			LT_CHECK_INTERRUPTS();
		for (; *p; p++)
		{
			int			c = rs->cls[*p];
			int32	   *t = &b->go[(Size) s * ncls + c];

			if (*t == 0)
			{
				if (b->nstates >= b->maxstates)
					elog(ERROR, "letters_triage: the automaton has more states than counted");
				*t = b->nstates;
				b->incoming[b->nstates] = c;
				b->kid_next[b->nstates] = b->kid_first[s];
				b->kid_first[s] = b->nstates;
				b->nstates++;
			}
			s = *t;
		}
		/*
		 * keep entries with the same pattern in table order, and only the
		 * first of those that mean the same: copies of one rule would
		 * multiply every match of it, and the readings that compare a
		 * match with its neighbours would pay for them squared
		 */
		if (b->out[s] < 0)
			b->out[s] = e;
		else
		{
			int			k = b->out[s];

			while (!same_meaning(&rs->entries[k], &rs->entries[e]) && rs->entries[k].next >= 0)
				k = rs->entries[k].next;
			if (!same_meaning(&rs->entries[k], &rs->entries[e]))
				rs->entries[k].next = e;
		}
	}
}

/*
 * The failure links breadth first, completing the transition table.  The
 * roots' rows first: root 0, a trie child, else the root that the byte leads
 * to; root 1 (inside a word), only patterns starting with a non-word byte
 * may start there.
 */
static void
link_failures(Builder *b)
{
	int			ncls = b->ncls;
	int			nstates = b->nstates;
	int32	   *go = b->go;
	int			qh,
				qt = 0;

	b->fail = palloc0(sizeof(int32) * nstates);
	b->queue = palloc(sizeof(int32) * nstates);
	b->dict = palloc(sizeof(int32) * nstates);
	b->istop = palloc0(nstates);
	b->dict[0] = b->dict[1] = -1;
	b->queue[qt++] = 0;
	b->queue[qt++] = 1;
	for (int c = 0; c < ncls; c++)
	{
		int32		t = go[c];
		int32		root = b->cls_word[c] ? 1 : 0;

		go[(Size) ncls + c] = (t != 0 && !b->cls_word[c]) ? t : root;
		if (t != 0)
		{
			b->fail[t] = root;
			b->dict[t] = -1;
			b->queue[qt++] = t;
		}
		else
			go[c] = root;
	}
	qh = 2;
	while (qh < qt)
	{
		int			s = b->queue[qh++];

		if ((qh & 4095) == 0)
			LT_CHECK_INTERRUPTS();
		for (int c = 0; c < ncls; c++)
		{
			int32	   *t = &go[(Size) s * ncls + c];

			if (*t != 0)
			{
				int			f = go[(Size) b->fail[s] * ncls + c];

				b->fail[*t] = f;
				b->dict[*t] = (b->out[f] >= 0) ? f : b->dict[f];
				b->queue[qt++] = *t;
			}
			else
				*t = go[(Size) b->fail[s] * ncls + c];
		}
	}
	Assert(qt == nstates);
	/* a state reached by a space absorbs further spaces */
	for (int s = 2; s < nstates; s++)
		if (b->incoming[s] == LT_CLS_SPACE)
			go[(Size) s * ncls + LT_CLS_SPACE] = s;
}

/*
 * What each state's output chain completes: matches that end on reaching it
 * (open-ended patterns, patterns ending in a non-word byte) and matches that
 * end when a non-word byte follows (the rest).  Stop words are only counted,
 * so they are counted by the transitions themselves; the others make a
 * transition "loud" (reported).
 */
static void
mark_outputs(Builder *b)
{
	LtRuleSet  *rs = b->rs;

	b->sflags = palloc0(b->nstates);
	for (int s = 0; s < b->nstates; s++)
	{
		int			wstop = 0;

		for (int t = b->out[s] >= 0 ? s : b->dict[s]; t >= 0; t = b->dict[t])
			for (int e = b->out[t]; e >= 0; e = rs->entries[e].next)
			{
				LtEntry    *en = &rs->entries[e];
				bool		stop = (en->kind == LT_ENTRY_BUILTIN && en->sub == LT_BI_STOP);

				en->word_end = !en->open_end &&
					lt_is_word_byte((unsigned char) en->norm[en->nlen - 1]);
				en->spaced = (memchr(en->norm, ' ', en->nlen) != NULL);
				if (en->word_end && stop)
					wstop++;
				else if (en->word_end)
					b->sflags[s] |= LT_SF_WEND;
				else if (stop)
					b->istop[s]++;
				else
					b->sflags[s] |= LT_SF_IMM;
			}
		b->sflags[s] |= Min(wstop, 63) << LT_SF_WSTOP_SHIFT;
		b->istop[s] = Min(b->istop[s], 15);
	}
}

/* What a state completes and how it treats spaces, as LT_SI_* bits. */
static uint16
state_info(const Builder *b, int s)
{
	uint16		info = (uint16) b->istop[s] << LT_SI_ISTOP_SHIFT |
		(uint16) (b->sflags[s] >> LT_SF_WSTOP_SHIFT) << LT_SI_WSTOP_SHIFT;

	if (b->sflags[s] & LT_SF_IMM)
		info |= LT_SI_IMM;
	if (b->sflags[s] & LT_SF_WEND)
		info |= LT_SI_WEND;
	if (s >= 2 && b->incoming[s] == LT_CLS_SPACE)
		info |= LT_SI_ABSORB;
	return info;
}

/*
 * perm[state] -> its number: the dense states breadth first (shallow ones
 * share cache lines), then the deep ones depth first from each dense
 * state's deep children, so that a state with one child is followed by it.
 */
static void
number_states(const Builder *b, int ndense, int32 *perm)
{
	int32	   *stack = palloc(sizeof(int32) * b->nstates);
	int			next = ndense;

	for (int i = 0; i < b->nstates; i++)
		perm[i] = -1;
	for (int i = 0; i < ndense; i++)
		perm[b->queue[i]] = i;
	for (int i = 0; i < ndense; i++)
		for (int t = b->kid_first[b->queue[i]]; t > 0; t = b->kid_next[t])
		{
			int			sp = 0;

			if (perm[t] >= 0)
				continue;
			stack[sp++] = t;
			while (sp > 0)
			{
				int			u = stack[--sp];

				perm[u] = next++;
				for (int k = b->kid_first[u]; k > 0; k = b->kid_next[k])
					stack[sp++] = k;
			}
		}
	Assert(next == b->nstates);
	pfree(stack);
}

/* The code of state number i: a dense state's row offset, or past them. */
static inline uint32
state_code(const LtRuleSet *rs, int i)
{
	return i < rs->ndense ? (uint32) i * (uint32) rs->nclasses : rs->dense_end + (uint32) (i - rs->ndense);
}

/* The dense row of state s (number t): each transition's target and what it completes. */
static void
emit_dense_row(const Builder *b, const int32 *perm, int s, int t)
{
	LtRuleSet  *rs = b->rs;
	int			ncls = b->ncls;

	for (int c = 0; c < ncls; c++)
	{
		int			to = b->go[(Size) s * ncls + c];
		bool		boundary = !b->cls_word[c]; /* ends a word-end match of s */
		uint32		stop = b->istop[to] + (boundary ? b->sflags[s] >> LT_SF_WSTOP_SHIFT : 0);
		bool		loud = (b->sflags[to] & LT_SF_IMM) || (boundary && (b->sflags[s] & LT_SF_WEND));

		rs->delta[(Size) t * ncls + c] = state_code(rs, perm[to]) |
			Min(stop, 31) << LT_DELTA_STOP_SHIFT | (loud ? LT_DELTA_LOUD : 0);
	}
	rs->info[t] = state_info(b, s);
}

/* Deep state s (number t): its failure state and its trie children. */
static void
emit_deep(const Builder *b, const int32 *perm, int s, int t, int *nedges)
{
	LtRuleSet  *rs = b->rs;
	LtDeepState *d = &rs->deep[t - rs->ndense];
	int			nkids = 0;

	for (int k = b->kid_first[s]; k > 0; k = b->kid_next[k])
		nkids++;
	d->fail = state_code(rs, perm[b->fail[s]]);
	d->nkids = (uint8) nkids;
	d->cls1 = 0;
	d->info = state_info(b, s);
	if (nkids == 1)
	{
		Assert(perm[b->kid_first[s]] == t + 1);
		d->cls1 = b->incoming[b->kid_first[s]];
	}
	else if (nkids > 1)
	{
		rs->kids_at[t - rs->ndense] = *nedges;
		for (int k = b->kid_first[s]; k > 0; k = b->kid_next[k])
		{
			rs->edges[*nedges].to = state_code(rs, perm[k]);
			rs->edges[*nedges].cls = b->incoming[k];
			(*nedges)++;
		}
	}
}

/*
 * The rule set's tables: dense rows for the first states, trie nodes for
 * the rest (see LT_DENSE_BYTES), and per state its output chain.
 */
static void
emit_tables(Builder *b)
{
	LtRuleSet  *rs = b->rs;
	int			ncls = b->ncls;
	int			nstates = b->nstates;
	int			ndeep;
	int			nedges = 0;
	int32	   *perm;

	rs->ndense = dense_states(nstates, ncls);
	rs->dense_end = (uint32) rs->ndense * (uint32) ncls;
	rs->ncls_magic = ((UINT64CONST(1) << 40) + ncls - 1) / ncls;
	ndeep = nstates - rs->ndense;
	if ((Size) rs->dense_end + ndeep >= LT_DELTA_MAX_STATES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the rule set of letters_triage is too large to compile"),
				 errdetail("Its automaton would have %d states of %d byte classes.", nstates, ncls)));
	perm = palloc(sizeof(int32) * nstates);
	number_states(b, rs->ndense, perm);
	Assert(perm[0] == 0 && perm[1] == 1);
	memcpy(rs->cls_word, b->cls_word, sizeof(rs->cls_word));
	rs->delta = palloc(sizeof(uint32) * (Size) rs->dense_end);
	rs->info = palloc(sizeof(uint16) * rs->ndense);
	rs->deep = palloc(sizeof(LtDeepState) * Max(ndeep, 1));
	rs->kids_at = palloc0(sizeof(uint32) * Max(ndeep, 1));
	rs->edges = palloc(sizeof(LtEdge) * Max(nstates, 1));	/* at most one per state */
	rs->out = palloc(sizeof(int32) * nstates);
	rs->dict = palloc(sizeof(int32) * nstates);
	rs->sflags = palloc(nstates);
	for (int s = 0; s < nstates; s++)
	{
		int			t = perm[s];

		if ((s & 4095) == 0)
			LT_CHECK_INTERRUPTS();
		if (t < rs->ndense)
			emit_dense_row(b, perm, s, t);
		else
			emit_deep(b, perm, s, t, &nedges);
		rs->out[t] = b->out[s];
		rs->dict[t] = b->dict[s] >= 0 ? perm[b->dict[s]] : -1;
		rs->sflags[t] = b->sflags[s];
	}
	pfree(perm);
	rs->nstates = nstates;
	rs->scan_bytes = (int64) rs->dense_end * sizeof(uint32) + (int64) rs->ndense * sizeof(uint16) +
		(int64) ndeep * (sizeof(LtDeepState) + sizeof(uint32)) + (int64) nedges * sizeof(LtEdge);
}

/* Compile the entries of rs into its automaton (see the top of this file). */
void
lt_automaton_build(LtRuleSet *rs)
{
	Builder		b;
	LtAutomatonSize sz;

	/*
	 * The size first: a rule set beyond the limit is refused before its
	 * tables are allocated (the rule tables' trigger refuses such an edit;
	 * this holds should the trigger have been bypassed).  The trie gets
	 * exactly the states counted.
	 */
	lt_automaton_size(rs->entries, rs->nentries, &sz);
	lt_check_automaton_size(&sz);
	memset(&b, 0, sizeof(b));
	b.rs = rs;
	b.maxstates = (int) sz.nstates;
	b.nstates = 2;
	b.ncls = assign_classes(rs->entries, rs->nentries, rs->cls);
	rs->nclasses = b.ncls;
	/* every class is all word bytes or all non-word bytes */
	for (int c = 0; c < 256; c++)
		if (lt_word_byte[c])
			b.cls_word[rs->cls[c]] = true;

	build_trie(&b);
	link_failures(&b);
	mark_outputs(&b);
	emit_tables(&b);
	Assert(rs->scan_bytes == sz.scan_bytes);
	pfree(b.go);
	pfree(b.out);
	pfree(b.dict);
	pfree(b.sflags);
	pfree(b.istop);
	pfree(b.fail);
	pfree(b.queue);
	pfree(b.incoming);
	pfree(b.kid_first);
	pfree(b.kid_next);
}

/*
 * The first of matches[lo, hi) (sorted by start, as the scan returns them)
 * that starts at or after pos; hi if none.
 */
int
lt_matches_from(const LtMatch *matches, int lo, int hi, int pos)
{
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (matches[mid].start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Where the match of entry e ending at end starts (spaces absorbed), or -1. */
static int
match_start(const LtRuleSet *rs, const LtEntry *en, const char *s, int end)
{
	int			i = end - 1;
	int			p = en->nlen - 1;

	if (!en->spaced)
		return end - en->nlen;	/* the automaton has matched it byte for byte */
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

typedef struct MatchBuf
{
	LtMatch    *m;
	int			n;
	int			cap;
} MatchBuf;

/*
 * Record the matches of state t's output chain that end at `end`: those
 * that need a non-word byte after them (wend) or those that do not; stop
 * words are not recorded (the transitions counted them).
 */
static void
report_chain(const LtRuleSet *rs, const char *s, int end, int t, bool wend,
			 MatchBuf *mb)
{
	for (; t >= 0; t = rs->dict[t])
	{
		for (int e = rs->out[t]; e >= 0; e = rs->entries[e].next)
		{
			const LtEntry *en = &rs->entries[e];
			int			start;
			LtMatch    *m;

			if (en->word_end != wend ||
				(en->kind == LT_ENTRY_BUILTIN && en->sub == LT_BI_STOP))
				continue;
			/* the automaton keeps to word boundaries; this finds the start */
			start = match_start(rs, en, s, end);
			if (start < 0 ||
				(start > 0 && lt_is_word_byte((unsigned char) en->norm[0]) &&
				 lt_is_word_byte((unsigned char) s[start - 1])))
				break;			/* the same for every entry of this state */
			if (mb->n >= mb->cap)
			{
				mb->cap *= 2;
				mb->m = repalloc(mb->m, sizeof(LtMatch) * mb->cap);
			}
			m = &mb->m[mb->n++];
			m->start = start;
			m->end = end;
			m->entry = e;
			m->sentence = -1;
			m->dead = false;
		}
	}
}

/* The number of the state of code `code` (see state_code). */
static inline int
state_index(const LtRuleSet *rs, uint32 code)
{
	if (code < rs->dense_end)
		return (int) (((uint64) code * rs->ncls_magic) >> 40);
	return rs->ndense + (int) (code - rs->dense_end);
}

/*
 * The transition of a deep state (code p) on class c, with what it
 * completes, as a dense row would give it: a child on c, else the failure
 * state's transition (a failure state is shallower: the walk ends, and a
 * text's walks together are linear in it, as in any Aho-Corasick scan).
 */
static pg_attribute_always_inline uint32
lt_deep_step(const LtRuleSet *rs, uint32 p, int c)
{
	const LtDeepState *from = &rs->deep[p - rs->dense_end];
	uint32		to;
	uint16		tinfo;
	uint32		stop;
	bool		boundary = !rs->cls_word[c];

	if (c == LT_CLS_SPACE && (from->info & LT_SI_ABSORB))
		to = p;
	else
	{
		uint32		k = p - rs->dense_end;

		for (;;)
		{
			const LtDeepState *d = &rs->deep[k];

			if (d->nkids == 1 && d->cls1 == c)
			{
				to = rs->dense_end + k + 1;
				break;
			}
			if (d->nkids > 1)
			{
				const LtEdge *e = &rs->edges[rs->kids_at[k]];
				int			j;

				for (j = 0; j < d->nkids && e[j].cls != (uint32) c; j++)
					;
				if (j < d->nkids)
				{
					to = e[j].to;
					break;
				}
			}
			if (d->fail < rs->dense_end)
			{
				to = rs->delta[d->fail + c] & LT_DELTA_STATE;
				break;
			}
			k = d->fail - rs->dense_end;
		}
	}
	tinfo = to < rs->dense_end ? rs->info[state_index(rs, to)] : rs->deep[to - rs->dense_end].info;
	stop = (tinfo >> LT_SI_ISTOP_SHIFT & 15) + (boundary ? from->info >> LT_SI_WSTOP_SHIFT & 63 : 0);
	return to | Min(stop, 31) << LT_DELTA_STOP_SHIFT |
		((tinfo & LT_SI_IMM) || (boundary && (from->info & LT_SI_WEND)) ? LT_DELTA_LOUD : 0);
}

/* A loud transition from state `from` to `to` on byte s[i]. */
static pg_noinline void
report(const LtRuleSet *rs, const char *s, int i, uint32 from, uint32 to,
	   MatchBuf *mb)
{
	int			f = state_index(rs, from);
	int			t = state_index(rs, to);

	if ((rs->sflags[f] & LT_SF_WEND) && !lt_is_word_byte((unsigned char) s[i]))
		report_chain(rs, s, i, rs->out[f] >= 0 ? f : rs->dict[f], true, mb);
	if (rs->sflags[t] & LT_SF_IMM)
		report_chain(rs, s, i + 1, rs->out[t] >= 0 ? t : rs->dict[t], false, mb);
}

/* Does match x come before y (by start, then longer first, then table order)? */
static inline bool
match_before(const LtMatch *x, const LtMatch *y)
{
	return y->start > x->start ||
		(y->start == x->start && (y->end < x->end || (y->end == x->end && y->entry > x->entry)));
}

static int
cmp_match(const void *a, const void *b)
{
	const LtMatch *x = a;
	const LtMatch *y = b;

	return match_before(x, y) ? -1 : match_before(y, x) ? 1 : 0;
}

/*
 * Scan s and return every match (palloc'd array in *matches), ordered by
 * start, then by decreasing end.  Stop words are counted in st->nstop, not
 * returned; the same pass fills the rest of *st (words, letters, blanks,
 * control characters), which costs nothing next to the automaton's step.
 */
int
lt_automaton_scan(const LtRuleSet *rs, const char *s, int len, LtMatch **matches,
				  LtTextStats *st)
{
	const uint32 *delta = rs->delta;
	const uint32 dense_end = rs->dense_end;
	const uint8 *cls = rs->cls;
	const unsigned char *u = (const unsigned char *) s;
	uint32		p = 0;
	int			nstop = 0;
	LtByteCounts bc;
	MatchBuf	mb;

	memset(&bc, 0, sizeof(bc));
	memset(st, 0, sizeof(*st));
	mb.cap = 64;
	mb.n = 0;
	mb.m = palloc(sizeof(LtMatch) * mb.cap);

	/*
	 * 1 MB at a time between interrupt checks (a multiple of 16 bytes, for
	 * lt_count_bytes): first the counts of the text's bytes, then the
	 * automaton's steps over them.
	 */
	for (int from = 0; from < len; from += LT_SCAN_CHUNK)
	{
		int			to = Min(len, from + LT_SCAN_CHUNK);

		LT_CHECK_INTERRUPTS();
		lt_count_bytes(s + from, to - from, to == len, &bc);
		for (int i = from; i < to; i++)
		{
			int			c = cls[u[i]];
			uint32		d = likely(p < dense_end) ? delta[p + c] : lt_deep_step(rs, p, c);

			/*
			 * The stop words completed, with the loud flag above them (32):
			 * taken back where it is set, which is rare, so the common step
			 * has no mask.
			 */
			nstop += d >> LT_DELTA_STOP_SHIFT;
			if (unlikely(d & LT_DELTA_LOUD))
			{
				nstop -= LT_DELTA_LOUD >> LT_DELTA_STOP_SHIFT;
				report(rs, s, i, p, d & LT_DELTA_STATE, &mb);
			}
			p = d & LT_DELTA_STATE;
		}
	}
	/* the text's end ends the matches waiting for a non-word byte */
	{
		int			t = state_index(rs, p);

		nstop += rs->sflags[t] >> LT_SF_WSTOP_SHIFT;
		if (rs->sflags[t] & LT_SF_WEND)
			report_chain(rs, s, len, rs->out[t] >= 0 ? t : rs->dict[t], true, &mb);
	}
	st->nstop = nstop;
	st->nwords = bc.words;
	st->nalpha = bc.alpha;
	st->nnonblank = bc.nonblank;
	st->nbad = bc.bad;
	st->longest = bc.longest;

	/*
	 * The automaton finds matches by their end: sort them by start, then by
	 * decreasing end, then in table order, in place.  They are nearly in
	 * order (a match moves back only past the shorter ones ending inside
	 * it), so insertion sort does it in about one comparison each.
	 */
	{
		int64		budget = 8 * (int64) mb.n + 4096;	/* moves before giving up */

		for (int i = 1; i < mb.n && budget >= 0; i++)
		{
			LtMatch		x = mb.m[i];
			int			j = i;

			while (j > 0 && match_before(&x, &mb.m[j - 1]))
			{
				mb.m[j] = mb.m[j - 1];
				j--;
				budget--;
			}
			mb.m[j] = x;
		}

		/*
		 * Matches far from that order (a hostile rule set: many patterns
		 * nested in one another) would make insertion sort quadratic.
		 */
		if (budget < 0)
			qsort(mb.m, mb.n, sizeof(LtMatch), cmp_match);
	}
	*matches = mb.m;
	return mb.n;
}
