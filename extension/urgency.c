/*
 * urgency.c — how soon the GP must act on what a letter asks.
 *
 * A GP action found in a letter (analyse.c) is routine unless a time frame
 * or an urgency word asks for it sooner: in its sentence, in the one after
 * or the one before it when that tells when something runs out, in a list's
 * lead-in, in a label ("Urgent:", a heading above the salutation).  What
 * the sender has done or merely reports is not raised; a death is always
 * immediate.  Time frames that raise nothing are marked so in evidence().
 */
#include "postgres.h"

#include "core.h"

/*
 * Is the match [start, end) written as a label: first on its line (after
 * blanks or a bullet), followed by ':', '-', '!' or the end of the line?
 */
static bool
is_label(const char *s, int len, int start, int end)
{
	int			p = start;
	int			q = end;

	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t' || s[p - 1] == '*' ||
					 s[p - 1] == '#' || s[p - 1] == '>'))
		p--;
	/* the value of a subject line: "Subject: URGENT - strategy discussion today" */
	if (p >= 8 && pg_strncasecmp(s + p - 8, "subject:", 8) == 0)
		p -= 8;
	else if (p >= 3 && pg_strncasecmp(s + p - 3, "re:", 3) == 0)
		p -= 3;
	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))
		p--;
	if (p > 0 && s[p - 1] != '\n' && s[p - 1] != '\r')
		return false;
	while (q < len && (s[q] == ' ' || s[q] == '\t'))
		q++;
	return q >= len || s[q] == '\n' || s[q] == '\r' || s[q] == ':' || s[q] == '-' ||
		s[q] == '!';
}

/*
 * Does a safeguarding phrase name a meeting on the concern ("strategy
 * meeting", "strategy discussion", "case conference")?  (A MARAC referral
 * is no meeting: "a MARAC referral has been made" after a disclosure today.)
 */
static bool
is_meeting(const char *label)
{
	return label != NULL && (strstr(label, "meeting") != NULL || strstr(label, "conference") != NULL ||
							 strstr(label, "discussion") != NULL);
}

/* Bytes of a letter looked at for its salutation (head_label). */
#define LT_HEAD_LOOK 4096

/*
 * The urgency label written in a letter's heading, above its salutation
 * ("URGENT - PLEASE ACTION TODAY" before "Dear Dr Akintola"), on a line that
 * asks for nothing itself: it is the letter's, with the time frame of its
 * line, and raises every action it counts that has no time frame of its own
 * ("URGENT", then "please review her medication at her next routine
 * appointment", stays routine).  -1 if none, or no salutation; *at: its sentence.
 */
static int
head_label(const LtAnalysis *an, const int *label, const int *tf, const bool *has_action, int *at)
{
	const char *s = an->doc.s;
	int			dear = -1;
	int			u = -1;

	for (int p = 0; p + 5 < an->doc.len && dear < 0 && p < LT_HEAD_LOOK; p++)
		if ((p == 0 || s[p - 1] == '\n') && pg_strncasecmp(s + p, "dear ", 5) == 0)
			dear = p;
	for (int k = 0; dear >= 0 && k < an->nsentences && an->sentences[k].start < dear; k++)
		if (label[k] >= 0 && Max(label[k], tf[k]) > u && !has_action[k])
		{
			u = Max(label[k], tf[k]);	/* "URGENT - PLEASE ACTION TODAY" */
			*at = k;
		}
	return u;
}

/* The urgencies of the action hits, from the time frames and urgency words (see above). */
/*
 * Does sentence k say when a supply or a course ends ("he runs out
 * tomorrow", "she has 2 days left", "the antibiotics finish tomorrow")?
 * Read once per sentence.
 */
static bool
supply_ends(const LtAnalysis *an, int k)
{
	static const char *const ends[] = {"left", "finish", "finishes", "last", NULL};
	static const char *const run[] = {"run", "runs", "running", "ran", NULL};
	const char *s = an->doc.s;
	LtSentence *st = &an->sentences[k];
	int			p = st->start,
				hi = st->end,
				a,
				b;

	if (st->supply == 0)
	{
		st->supply = 1;
		while (st->supply == 1 && p < hi)
		{
			while (p < hi && !lt_is_word_byte((unsigned char) s[p]))
				p++;
			if (!lt_word_after(s, hi, p, &a, &b))
				break;
			if (lt_word_among(s, a, b, ends) ||
				(lt_word_among(s, a, b, run) && lt_word_after(s, hi, b, &p, &b) && lt_word_is(s, p, b, "out")))
				st->supply = 2;
			p = b;
		}
	}
	return st->supply == 2;
}

/*
 * Does sentence k say there is no hurry ("There's no rush at all, a phone
 * appointment in the next few weeks would be fine")?  The writer's own
 * weeks are then no deadline of soon: the ask is routine.  (Only weeks: a
 * day or two the writer gives still holds, and a red flag is judged apart.)
 */
static bool
no_rush(const LtAnalysis *an, int k)
{
	static const char *const calm[] = {"no rush", "no hurry", "no great rush", "not in a rush", NULL};

	return lt_sentence_says(an, &an->reads->calm, k, calm);
}

/*
 * The urgency of the time frame nearest after h in its sentence when it
 * starts at most two words after h ends and is not of something done; -1
 * otherwise.
 */
static int
frame_just_after(const LtAnalysis *an, const LtFrameIndex *fx, const LtHit *h)
{
	int			i = lt_frame_after(an, fx, h);
	const LtHit *f;
	int			p = h->end,
				words = 0,
				a,
				b;

	if (i < 0 || (f = &an->hits[i])->agent == LT_MOD_COMPLETED)
		return -1;
	while (words <= 2 && lt_word_after(an->doc.s, f->start, p, &a, &b))
	{
		words++;
		p = b;
		while (p < f->start && !lt_is_word_byte((unsigned char) an->doc.s[p]))
			p++;
	}
	return (words <= 2 && p >= f->start - 1) ? f->urgency : -1;
}

void
lt_raise_urgencies(const LtRuleSet *rs, LtAnalysis *an)
{
	int			n = an->nsentences + 1;
	int		   *tf = palloc(sizeof(int) * n);	/* urgency of the sentence's time frames */
	int		   *tfnew = palloc(sizeof(int) * n);	/* of those not of what was done */
	int		   *tfreq = palloc(sizeof(int) * n);	/* of those asked of the GP */
	int		   *label = palloc(sizeof(int) * n);	/* of its urgency labels */
	bool	   *has_action = palloc0(sizeof(bool) * n);
	bool	   *used = palloc0(sizeof(bool) * n);
	LtFrameIndex fx;
	bool	   *has_other = palloc0(sizeof(bool) * n);	/* an action but safeguarding */
	int			head;			/* the urgency label of the letter's heading */
	int			headk = -1;		/* and its sentence */

	for (int k = 0; k < n; k++)
		tf[k] = tfnew[k] = tfreq[k] = label[k] = -1;
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];
		int			k = h->sentence;

		if (h->counted && h->action >= 0)
			has_action[k] = true;
		if (h->counted && h->action >= 0 && h->action != LT_ACTION_SAFEGUARDING)
			has_other[k] = true;
		if (h->action >= 0 || !h->counted || h->urgency < 0)
			continue;
		if (h->entry >= 0 && rs->entries[h->entry].kind == LT_ENTRY_RULE &&
			is_label(an->doc.s, an->doc.len, h->start, h->end))
		{
			h->is_label = true;
			label[k] = Max(label[k], h->urgency);
			continue;
		}
		if (h->urgency == LT_URGENCY_SOON && no_rush(an, k))
			h->urgency = LT_URGENCY_ROUTINE;
		tf[k] = Max(tf[k], h->urgency);
		if (h->agent != LT_MOD_COMPLETED)
			tfnew[k] = Max(tfnew[k], h->urgency);
		if (h->agent == LT_MOD_REQUEST)
			tfreq[k] = Max(tfreq[k], h->urgency);
	}
	lt_frames_index(an, &fx);
	head = head_label(an, label, tf, has_action, &headk);
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];
		int			k = h->sentence;
		int			u = -1;
		int			lab = -1;	/* the label in force, and its sentence */
		int			labk = -1;
		bool		asked;

		if ((i & 4095) == 0)
			LT_CHECK_INTERRUPTS();
		if (!h->counted || h->action < 0)
			continue;
		if (h->urgency < 0)
			h->urgency = LT_URGENCY_ROUTINE;
		if (h->action == LT_ACTION_DEATH || (strcmp(h->source, "rule") != 0 && h->source != lt_call_source))
			continue;
		if (h->agent < 0 || h->agent == LT_MOD_REQUEST)
		{
			if (label[k] >= 0)
				lab = label[labk = k];
			else if (k > 0 && label[k - 1] >= 0 && !has_action[k - 1] &&
					 an->sentences[k - 1].para == an->sentences[k].para)
				lab = label[labk = k - 1];
		}
		/* a label asks as "please" does */
		asked = (h->agent == LT_MOD_REQUEST || h->section == LT_SEC_ACTIONS || lab >= 0);
		if (asked && tf[k] >= 0)
		{
			u = lt_frames_nearest(an, &fx, h);
			used[k] = true;
		}
		else if (asked && k + 1 < an->nsentences && tfnew[k + 1] >= 0 && !has_action[k + 1] &&
				 an->sentences[k + 1].para == an->sentences[k].para)
		{
			/* not from what was done: "Her BP today was 128/76." */
			u = tfnew[k + 1];
			used[k + 1] = true;
		}
		else if (asked && k + 2 < an->nsentences && tfreq[k + 2] >= 0 && !has_action[k + 2] &&
				 an->sentences[k + 2].para == an->sentences[k].para)
		{
			/*
			 * a deadline asked two sentences on, for what was asked before
			 * ("Could the GP review his medicines ... Our pharmacy will
			 * need new prescriptions. ..., please could this be done by
			 * tomorrow")
			 */
			u = tfreq[k + 2];
			used[k + 2] = true;
		}
		else if (asked && k > 0 && tfnew[k - 1] >= 0 && !has_action[k - 1] &&
				 an->sentences[k - 1].para == an->sentences[k].para && supply_ends(an, k - 1))
		{
			/*
			 * when a supply ends, told just before what is asked: "He runs
			 * out tomorrow. Can the doctor please sort out a prescription."
			 */
			u = tfnew[k - 1];
			used[k - 1] = true;
		}
		else if (asked && an->sentences[k].lead >= 0 && tf[an->sentences[k].lead] >= 0 &&
				 !has_action[an->sentences[k].lead])
		{
			/* an item of a list whose lead-in gives the time: "within 48 hours:" */
			u = tf[an->sentences[k].lead];
			used[an->sentences[k].lead] = true;
		}
		else if (h->agent < 0 && tfreq[k] >= 0)
		{
			u = tfreq[k];
			used[k] = true;
		}
		else if (h->agent < 0 && tfnew[k] >= 0 && h->entry >= 0 &&
				 h->action == LT_ACTION_REVIEW && rs->entries[h->entry].kind == LT_ENTRY_RULE &&
				 !rs->entries[h->entry].needs_request &&
				 (u = frame_just_after(an, &fx, h)) >= 0)
		{
			/*
			 * a phrase that asks by itself takes the time written just
			 * after it ("GP review in 2 weeks", "I would like an
			 * appointment today")
			 */
			used[k] = true;
		}
		if (lab >= 0)
		{
			u = Max(u, lab);
			used[labk] = true;
		}
		else if (u < 0 && head >= 0)
		{
			u = head;			/* "URGENT - PLEASE ACTION TODAY" above "Dear Dr ..." */
			used[headk] = true;
		}
		if (u > h->urgency)
			h->urgency = u;
	}

	/*
	 * In a safeguarding letter, a deadline asked of the practice for a task
	 * the rules do not name ("share any information you hold by 13:00
	 * today", "send a chronology by tomorrow") is a safeguarding task: it
	 * raises the letter's safeguarding concern, also when its sentence names
	 * the concern but no other action ("the MASH have asked for information
	 * from the GP by 12:00 tomorrow").
	 */
	{
		LtHit	   *sg = NULL;

		for (int i = 0; i < an->nhits && sg == NULL; i++)
			if (an->hits[i].counted && an->hits[i].action == LT_ACTION_SAFEGUARDING)
				sg = &an->hits[i];
		for (int k = 0; sg != NULL && k < an->nsentences; k++)
		{
			if (tfreq[k] < 0 || used[k] || has_other[k])
				continue;
			if (tfreq[k] > sg->urgency)
				sg->urgency = tfreq[k];
			used[k] = true;
		}
		/*
		 * and a meeting on the concern, not yet held, sets a time for the
		 * practice's part ("a strategy meeting is at 15:00 today")
		 */
		for (int i = 0; i < an->nhits; i++)
		{
			LtHit	   *h = &an->hits[i];
			int			k = h->sentence;

			if (!h->counted || h->action != LT_ACTION_SAFEGUARDING || tfnew[k] < 0 || has_other[k] ||
				!is_meeting(h->label))
				continue;
			if (tfnew[k] > h->urgency)
				h->urgency = tfnew[k];
			used[k] = true;
		}
	}
	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (h->action < 0 && h->counted && !used[h->sentence])
		{
			h->counted = false;
			h->why = "no GP action in its sentence";
		}
	}
}
