/*
 * frame_index.c — which time frame or urgency word is nearest to each action.
 *
 * An action takes the urgency of the time frame nearest to it in its
 * sentence, the higher on a tie ("review in 2 weeks (BP today 132/78)" is
 * soon, not immediate); one in the same clause (no ';' between) first ("as
 * of today; please amend his repeat" is not for today); frames written
 * together ("by 13:00 TODAY") count as one, the higher.  Comparing every action with every frame of its sentence, and
 * scanning the text between them for ';', was cubic on a letter that is one
 * endless sentence of requests.  Here the frames are sorted once, by start
 * and by end, and the ';' of the text listed; each action then needs only
 * binary searches: the nearest frame before it (the greatest end at or
 * before its start), the nearest after it (the least start at or after its
 * end) and the best frame overlapping it.  No other frame can be chosen: a
 * farther frame on one side is no nearer, and if the nearest on a side is in
 * another clause, so are the farther ones.
 */
#include "postgres.h"

#include "core.h"

/* One frame, as sorted: by sentence, then key (start or end), best first. */
typedef struct FrameKey
{
	int32		sentence;
	int32		key;
	int32		start;
	int32		end;
	int32		urgency;
	int32		hit;
} FrameKey;

static int
cmp_frame(const void *a, const void *b)
{
	const FrameKey *x = a;
	const FrameKey *y = b;

	if (x->sentence != y->sentence)
		return x->sentence < y->sentence ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->urgency != y->urgency)
		return x->urgency > y->urgency ? -1 : 1;	/* the higher first */
	return (x->hit > y->hit) - (x->hit < y->hit);
}

/*
 * Sort frames: by insertion, as they come nearly in order (hits are made in
 * text order; only a frame's start moves back, over its number, and its end
 * forward, over a clock time), with qsort should they not.
 */
static void
sort_frames(FrameKey *a, int n)
{
	int64		budget = 4 * (int64) n + 1024;

	for (int i = 1; i < n; i++)
	{
		FrameKey	x = a[i];
		int			j = i;

		while (j > 0 && cmp_frame(&x, &a[j - 1]) < 0)
		{
			a[j] = a[j - 1];
			j--;
			if (--budget < 0)
				break;
		}
		a[j] = x;
		if (budget < 0)
		{
			qsort(a, n, sizeof(FrameKey), cmp_frame);
			return;
		}
	}
}

/* Does hit t take part as a time frame (see lt_frames_nearest)? */
static inline bool
is_frame(const LtHit *t)
{
	return t->action < 0 && t->counted && t->urgency >= 0 && !t->is_label;
}

/*
 * First position in a[lo..hi) not before (sentence, key); [lo, hi) is the
 * sentence's block, so that the search stays among its frames.
 */
static int
lower_bound(const FrameKey *a, int lo, int hi, int sentence, int key)
{
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (a[mid].sentence < sentence || (a[mid].sentence == sentence && a[mid].key < key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Number of ';' before position p. */
static int
semis_before(const LtFrameIndex *fx, int p)
{
	int			lo = 0,
				hi = fx->nsemis;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (fx->semis[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Index the frames of an analysis whose hits have their context, counted and
 * is_label set.  Everything is allocated in the current memory context.
 */
void
lt_frames_index(const LtAnalysis *an, LtFrameIndex *fx)
{
	const char *s = an->doc.s;
	int			n = 0;
	int			cap = 16;

	memset(fx, 0, sizeof(*fx));
	for (int i = 0; i < an->nhits; i++)
		if (is_frame(&an->hits[i]))
			n++;
	fx->nframes = n;
	fx->by_start = palloc(sizeof(FrameKey) * Max(n, 1));
	fx->by_end = palloc(sizeof(FrameKey) * Max(n, 1));
	n = 0;
	for (int i = 0; i < an->nhits; i++)
	{
		const LtHit *t = &an->hits[i];
		FrameKey	k;

		if (!is_frame(t))
			continue;
		k.sentence = t->sentence;
		k.start = t->start;
		k.end = t->end;
		k.urgency = t->urgency;
		k.hit = i;
		k.key = t->start;
		((FrameKey *) fx->by_start)[n] = k;
		k.key = t->end;
		((FrameKey *) fx->by_end)[n] = k;
		n++;
	}
	sort_frames(fx->by_start, n);
	sort_frames(fx->by_end, n);

	/* each sentence's block of both arrays (they are sorted by sentence first) */
	fx->block = palloc(sizeof(int32) * (an->nsentences + 2));
	for (int k = 0, i = 0; k <= an->nsentences + 1; k++)
	{
		while (i < n && ((FrameKey *) fx->by_start)[i].sentence < k)
			i++;
		fx->block[k] = i;
	}

	/*
	 * For the frames overlapping an action: over the frames of a sentence
	 * by start, for each urgency, the one reaching farthest so far.
	 */
	for (int u = 0; u < (LT_URGENCY_IMMEDIATE + 1); u++)
	{
		const FrameKey *bs = fx->by_start;

		fx->reach[u] = palloc(sizeof(int32) * Max(n, 1));
		for (int i = 0; i < n; i++)
		{
			int32		best = (i > 0 && bs[i - 1].sentence == bs[i].sentence) ? fx->reach[u][i - 1] : -1;

			if (bs[i].urgency == u && (best < 0 || bs[i].end > bs[best].end))
				best = i;
			fx->reach[u][i] = best;
		}
	}

	/* the ';' of the text, for "the same clause" */
	fx->semis = palloc(sizeof(int32) * cap);
	for (const char *p = s; p != NULL && p < s + an->doc.len;)
	{
		p = memchr(p, ';', s + an->doc.len - p);
		if (p == NULL)
			break;
		if (fx->nsemis >= cap)
		{
			cap *= 2;
			fx->semis = repalloc(fx->semis, sizeof(int32) * cap);
		}
		fx->semis[fx->nsemis++] = (int32) (p - s);
		p++;
	}
}

typedef struct Pick
{
	const FrameKey *f;
	bool		same;			/* in the action's clause */
	int			dist;
} Pick;

/* Is candidate c better than the pick so far? */
static bool
better(const Pick *best, const FrameKey *c, bool same, int dist)
{
	if (best->f == NULL)
		return true;
	if (same != best->same)
		return same;
	if (dist != best->dist)
		return dist < best->dist;
	if (c->urgency != best->f->urgency)
		return c->urgency > best->f->urgency;
	return c->hit < best->f->hit;
}

static void
consider(const LtFrameIndex *fx, Pick *best, const FrameKey *c, int a, int b, int dist)
{
	/* same clause: no ';' in [a, b) */
	bool		same = (b <= a) || semis_before(fx, a) == semis_before(fx, b);

	if (better(best, c, same, dist))
	{
		best->f = c;
		best->same = same;
		best->dist = dist;
	}
}

/*
 * The highest urgency of the frames whose key is in [lo, hi] (sorted array
 * a, sentence k's block [b0, n)), other than hit `self`.  At most hi - lo + 1 distinct
 * keys, each a run whose first element is its best.
 */
static int
adjacent_max(const FrameKey *a, int b0, int n, int k, int lo, int hi, int self)
{
	int			best = -1;
	int			i = lower_bound(a, b0, n, k, lo);

	while (i < n && a[i].sentence == k && a[i].key <= hi)
	{
		int			key = a[i].key;

		if (a[i].hit != self)
			best = Max(best, a[i].urgency);
		else if (i + 1 < n && a[i + 1].sentence == k && a[i + 1].key == key)
			best = Max(best, a[i + 1].urgency);
		/* the next key: a run of one key is skipped by a binary search */
		i = lower_bound(a, i, n, k, key + 1);
	}
	return best;
}

/*
 * The urgency of the frame nearest to action hit h in its sentence (see the
 * head of this file), or -1 when its sentence has none.
 */
int
lt_frames_nearest(const LtAnalysis *an, const LtFrameIndex *fx, const LtHit *h)
{
	const FrameKey *bs = fx->by_start;
	const FrameKey *be = fx->by_end;
	int			k = h->sentence;
	int			b0,
				n;
	Pick		best = {NULL, false, 0};
	int			i;
	int			u;

	if (fx->nframes == 0 || k < 0 || k >= an->nsentences)
		return -1;
	b0 = fx->block[k];
	n = fx->block[k + 1];
	if (b0 == n)
		return -1;
	/* after it: the least start at or after its end */
	i = lower_bound(bs, b0, n, k, h->end);
	if (i < n && bs[i].sentence == k)
		consider(fx, &best, &bs[i], h->end, bs[i].start, bs[i].start - h->end);
	/* overlapping it: start before its end and end after its start */
	if (i > b0)
	{
		for (u = (LT_URGENCY_IMMEDIATE + 1) - 1; u >= 0; u--)
		{
			int			r = fx->reach[u][i - 1];

			if (r >= 0 && bs[r].end > h->start)
			{
				consider(fx, &best, &bs[r], 0, 0, 0);
				break;
			}
		}
	}
	/* before it: the greatest end at or before its start, best of that end */
	i = lower_bound(be, b0, n, k, h->start + 1) - 1;
	if (i >= b0)
	{
		i = lower_bound(be, b0, i + 1, k, be[i].key);
		consider(fx, &best, &be[i], be[i].end, h->start, h->start - be[i].end);
	}
	if (best.f == NULL)
		return -1;

	/* a frame written right next to the chosen one ("by 13:00 TODAY") */
	u = best.f->urgency;
	u = Max(u, adjacent_max(bs, b0, n, k, best.f->end, best.f->end + 2, best.f->hit));
	u = Max(u, adjacent_max(be, b0, n, k, best.f->start - 2, best.f->start, best.f->hit));
	return u;
}

/*
 * The hit of the time frame starting nearest after action hit h in its
 * sentence (the best of those starting there), or -1 when there is none.
 */
int
lt_frame_after(const LtAnalysis *an, const LtFrameIndex *fx, const LtHit *h)
{
	int			k = h->sentence;
	int			i;

	if (fx->nframes == 0 || k < 0 || k >= an->nsentences)
		return -1;
	i = lower_bound(fx->by_start, fx->block[k], fx->block[k + 1], k, h->end);
	return i < fx->block[k + 1] ? ((const FrameKey *) fx->by_start)[i].hit : -1;
}
