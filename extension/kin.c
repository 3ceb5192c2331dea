/*
 * kin.c — whether a relation word names the patient.
 *
 * A relation word ("mother", "her husband") puts what follows it in another
 * person's scope (context.c): "her father died" is family history.  Two
 * readings say that the word names the patient instead:
 *  - "Dad" or "Mum" written as a name (lt_kin_as_name);
 *  - a relative who tells of their own parent, child, spouse or sibling
 *    (lt_kin_told_of_patient): in "her daughter telephoned to cancel and
 *    told our staff that, sadly, her mother passed away", the mother is the
 *    daughter's, and the daughter is the patient's.
 */
#include "postgres.h"

#include "core.h"

/* Words, and bytes, looked at before a relation word for the relative who tells of it. */
#define LT_KIN_WORDS 40
#define LT_KIN_BYTES 400

typedef enum
{
	KIN_CHILD, KIN_PARENT, KIN_SPOUSE, KIN_SIBLING, KIN_GRANDCHILD, KIN_GRANDPARENT,
	KIN_NIBLING, KIN_AUNCLE, KIN_NONE
} KinGroup;

typedef struct
{
	const char *word;
	KinGroup	group;
	char		sex;			/* 'f', 'm', or 0 for either */
} Kin;

static const Kin kin_words[] = {
	{"daughter", KIN_CHILD, 'f'}, {"son", KIN_CHILD, 'm'}, {"child", KIN_CHILD, 0},
	{"mother", KIN_PARENT, 'f'}, {"mum", KIN_PARENT, 'f'}, {"mam", KIN_PARENT, 'f'},
	{"mom", KIN_PARENT, 'f'}, {"father", KIN_PARENT, 'm'}, {"dad", KIN_PARENT, 'm'},
	{"parent", KIN_PARENT, 0},
	{"wife", KIN_SPOUSE, 'f'}, {"husband", KIN_SPOUSE, 'm'}, {"partner", KIN_SPOUSE, 0},
	{"sister", KIN_SIBLING, 'f'}, {"brother", KIN_SIBLING, 'm'}, {"sibling", KIN_SIBLING, 0},
	{"granddaughter", KIN_GRANDCHILD, 'f'}, {"grandson", KIN_GRANDCHILD, 'm'},
	{"grandchild", KIN_GRANDCHILD, 0},
	{"grandmother", KIN_GRANDPARENT, 'f'}, {"nan", KIN_GRANDPARENT, 'f'},
	{"nana", KIN_GRANDPARENT, 'f'}, {"grandma", KIN_GRANDPARENT, 'f'},
	{"grandfather", KIN_GRANDPARENT, 'm'}, {"grandad", KIN_GRANDPARENT, 'm'},
	{"granddad", KIN_GRANDPARENT, 'm'}, {"grandpa", KIN_GRANDPARENT, 'm'},
	{"niece", KIN_NIBLING, 'f'}, {"nephew", KIN_NIBLING, 'm'},
	{"aunt", KIN_AUNCLE, 'f'}, {"auntie", KIN_AUNCLE, 'f'}, {"uncle", KIN_AUNCLE, 'm'},
	{NULL, KIN_NONE, 0}
};

/* Verbs of telling, the forms a report of what a relative said takes. */
static const char *const telling[] = {
	"told", "tells", "tell", "telling", "said", "says", "say", "saying", "informed", "informs",
	"inform", "informing", "reported", "reports", "report", "rang", "rung", "phoned", "telephoned",
	"called", "explained", "confirmed", "notified", "mentioned", "wrote", "emailed", "stated",
	"let", "contacted", "disclosed", "advised", "messaged", NULL
};

/* The relation a relative of the given relation has to its teller: a child's is a parent. */
static KinGroup
inverse(KinGroup g)
{
	switch (g)
	{
		case KIN_CHILD:
			return KIN_PARENT;
		case KIN_PARENT:
			return KIN_CHILD;
		case KIN_GRANDCHILD:
			return KIN_GRANDPARENT;
		case KIN_GRANDPARENT:
			return KIN_GRANDCHILD;
		case KIN_NIBLING:
			return KIN_AUNCLE;
		case KIN_AUNCLE:
			return KIN_NIBLING;
		default:
			return g;			/* spouses and siblings */
	}
}

/* The word before p, across punctuation, not before lo: sets *a, *b; false if none. */
static bool
prev_word(const char *s, int p, int lo, int *a, int *b)
{
	while (p > lo && !lt_is_word_byte((unsigned char) s[p - 1]))
		p--;
	*b = p;
	while (p > lo && (lt_is_word_byte((unsigned char) s[p - 1]) || s[p - 1] == '\''))
		p--;
	*a = p;
	return *b > *a;
}

static const Kin *
kin_of(const char *s, int a, int b)
{
	for (int k = 0; kin_words[k].word; k++)
		if (lt_word_is(s, a, b, kin_words[k].word))
			return &kin_words[k];
	return NULL;
}

static bool
word_in(const char *s, int a, int b, const char *const *list)
{
	for (int k = 0; list[k]; k++)
		if (lt_word_is(s, a, b, list[k]))
			return true;
	return false;
}

/*
 * Does a call ending at p go on, within a few words before q, "to say", "to
 * tell", "to let ... know": a call made to tell something ("rang the team
 * line to say that"), not one made because of it ("telephoned 111 in
 * distress because her husband had died")?
 */
static bool
call_to_tell(const char *s, int p, int q)
{
	static const char *const tell[] = {"say", "tell", "let", "inform", "report", "explain", NULL};
	bool		to = false;

	for (int n = 0; n < 6 && p < q; n++)
	{
		int			a,
					b;

		while (p < q && !lt_is_word_byte((unsigned char) s[p]))
			p++;
		a = p;
		while (p < q && lt_is_word_byte((unsigned char) s[p]))
			p++;
		b = p;
		if (a == b)
			break;
		if (to && word_in(s, a, b, tell))
			return true;
		to = lt_word_is(s, a, b, "to");
	}
	return false;
}

/* Is [a, b) a possessive that can be the patient's: her, his, their, a name's? */
static bool
patient_possessive(const char *s, int a, int b)
{
	if (lt_word_is(s, a, b, "her") || lt_word_is(s, a, b, "his") || lt_word_is(s, a, b, "their"))
		return true;
	/* "the patient's son", "Mr Vaughan's son"; not another relative's ("her sister's son") */
	return b - a > 2 && s[b - 2] == '\'' && lt_lower((unsigned char) s[b - 1]) == 's' &&
		kin_of(s, a, b - 2) == NULL;
}

/*
 * Is the other-person term [a, b) a parent's title used as a name, "Dad" or
 * "Mum" with a capital and no possessive before it ("Dad slipped away in the
 * night", in a daughter's email to the practice)?  Then it names the writer's
 * parent, the patient, not someone else; "her dad", "my mum" stay another
 * person.  lo: where the sentence starts.
 */
bool
lt_kin_as_name(const char *s, int a, int b, int lo)
{
	static const char *const owners[] = {
		"her", "his", "my", "their", "your", "our", "the", "a", "whose", NULL
	};
	int			c,
				d;

	if (b - a != 3 || !lt_is_upper((unsigned char) s[a]) ||
		!(lt_word_is(s, a, b, "dad") || lt_word_is(s, a, b, "mum") || lt_word_is(s, a, b, "mom")))
		return false;
	if (!lt_word_before(s, a, &c, &d) || c < lo)
		return true;
	if (d - c > 2 && s[d - 2] == '\'' && lt_lower((unsigned char) s[d - 1]) == 's')
		return false;			/* "Ann's Dad" */
	return !word_in(s, c, d, owners);
}

/*
 * Is the relation word [a, b), with "her", "his" or "their" before it, the
 * inverse relation of a relative of the patient who tells of it earlier in
 * the sentence ("her daughter ... told us that her mother had died", "his
 * wife phoned to say her husband passed away")?  Then it is the patient.
 * The nearest relative before it, among LT_KIN_WORDS words, is the one who
 * tells; a verb of telling must come between them, and the possessive must
 * fit the teller ("her son said her mother" is someone else's mother).
 * Only the inverse relation counts: "her son said his brother died" is his
 * brother, and only of the patient's sex: "her son said his father died" is
 * her husband.  [lo, hi): the sentence.
 */
bool
lt_kin_told_of_patient(const char *s, int a, int b, int lo, int hi)
{
	static const char *const calls[] = {
		"rang", "rung", "phoned", "telephoned", "called", NULL
	};
	const Kin  *told = kin_of(s, a, b);
	int			pa,
				pb,
				p;
	bool		tells = false;
	bool		called = false;

	if (told == NULL || (b < hi && (s[b] == '\'' || s[b] == '-')))
		return false;			/* "mother's", "mother-in-law" */
	/* a bounded look: a run of punctuation is crossed in one word step */
	lo = Max(lo, a - LT_KIN_BYTES);
	if (!lt_word_before(s, a, &pa, &pb) || pa < lo ||
		!(lt_word_is(s, pa, pb, "her") || lt_word_is(s, pa, pb, "his") ||
		  lt_word_is(s, pa, pb, "their")))
		return false;
	p = pa;
	for (int n = 0; n < LT_KIN_WORDS; n++)
	{
		int			wa,
					wb,
					oa,
					ob;
		const Kin  *teller;

		if (!prev_word(s, p, lo, &wa, &wb))
			break;
		p = wa;
		if (word_in(s, wa, wb, telling))
		{
			tells = true;
			called = called || (word_in(s, wa, wb, calls) && call_to_tell(s, wb, a));
			continue;
		}
		teller = kin_of(s, wa, wb);
		if (teller == NULL)
			continue;
		/* the nearest relative decides: it tells of the word, or nobody does */
		if (!tells || !lt_word_before(s, wa, &oa, &ob) || oa < lo || !patient_possessive(s, oa, ob))
			return false;
		if (inverse(teller->group) != told->group)
			return false;
		/* "her son rang to say his father died": her husband, not her */
		if ((lt_word_is(s, oa, ob, "her") && told->sex == 'm') ||
			(lt_word_is(s, oa, ob, "his") && told->sex == 'f'))
			return false;
		if (lt_word_is(s, pa, pb, "her"))
			return teller->sex != 'm';
		if (lt_word_is(s, pa, pb, "his"))
			return teller->sex != 'f';
		return true;
	}

	/*
	 * No relative named: a call made to tell of a parent or a spouse
	 * ("rang ... to say", not "telephoned ... because") is the family's ("Karen rang the team line to say that her dad
	 * went to sleep and didn't wake up", "Mr Hale phoned to say his wife
	 * died"); the patient is the one the letter is about.
	 */
	return called && (told->group == KIN_PARENT || told->group == KIN_SPOUSE);
}

/* Is [a, b) a verb of telling ("told", "rang", "informed")? */
bool
lt_kin_telling(const char *s, int a, int b)
{
	return word_in(s, a, b, telling);
}

/*
 * Is the "death" at start the death of someone named by a possessive, other
 * than a relative: "notification from his son of Mr Vaughan's death", "the
 * patient's death", "Mrs Roberts' death"?  A letter names the patient so; a
 * relative's death is named by the relation ("her husband's death"), and
 * "his death", "her death" are as often a plan as a report ("his wishes
 * around his death"), so they do not count.  lo: where the sentence starts.
 */
bool
lt_kin_named_death(const char *s, int start, int lo)
{
	static const char *const others[] = {
		"baby", "baby's", "infant", "friend", "neighbour", "carer", "cousin", "twin", "fiance",
		"relative", "dog", "cat", NULL
	};
	int			a,
				b;

	if (!lt_word_before(s, start, &a, &b) || a < lo || b - a < 3)
		return false;
	if (s[b - 1] == '\'' && lt_lower((unsigned char) s[b - 2]) == 's')
		b--;					/* "Mrs Roberts' death" */
	else if (s[b - 2] == '\'' && lt_lower((unsigned char) s[b - 1]) == 's')
		b -= 2;					/* "Mr Vaughan's death" */
	else
		return false;
	return kin_of(s, a, b) == NULL && !word_in(s, a, b, others);
}
