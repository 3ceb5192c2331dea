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

/* How far after a relation word its news is dated "this morning" (bytes). */
#define LT_KIN_LATELY_BYTES 80

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
	char		step;			/* 's' for a step-relation written as one word */
} Kin;

static const Kin kin_words[] = {
	{"daughter", KIN_CHILD, 'f', 0}, {"son", KIN_CHILD, 'm', 0}, {"child", KIN_CHILD, 0, 0},
	{"mother", KIN_PARENT, 'f', 0}, {"mum", KIN_PARENT, 'f', 0}, {"mam", KIN_PARENT, 'f', 0},
	{"mom", KIN_PARENT, 'f', 0}, {"father", KIN_PARENT, 'm', 0}, {"dad", KIN_PARENT, 'm', 0},
	{"parent", KIN_PARENT, 0, 0},
	{"wife", KIN_SPOUSE, 'f', 0}, {"husband", KIN_SPOUSE, 'm', 0}, {"partner", KIN_SPOUSE, 0, 0},
	{"sister", KIN_SIBLING, 'f', 0}, {"brother", KIN_SIBLING, 'm', 0}, {"sibling", KIN_SIBLING, 0, 0},
	{"granddaughter", KIN_GRANDCHILD, 'f', 0}, {"grandson", KIN_GRANDCHILD, 'm', 0},
	{"grandchild", KIN_GRANDCHILD, 0, 0},
	{"grandmother", KIN_GRANDPARENT, 'f', 0}, {"nan", KIN_GRANDPARENT, 'f', 0},
	{"nana", KIN_GRANDPARENT, 'f', 0}, {"grandma", KIN_GRANDPARENT, 'f', 0},
	{"grandfather", KIN_GRANDPARENT, 'm', 0}, {"grandad", KIN_GRANDPARENT, 'm', 0},
	{"granddad", KIN_GRANDPARENT, 'm', 0}, {"grandpa", KIN_GRANDPARENT, 'm', 0},
	{"niece", KIN_NIBLING, 'f', 0}, {"nephew", KIN_NIBLING, 'm', 0},
	{"aunt", KIN_AUNCLE, 'f', 0}, {"auntie", KIN_AUNCLE, 'f', 0}, {"uncle", KIN_AUNCLE, 'm', 0},
	{"gran", KIN_GRANDPARENT, 'f', 0}, {"nanna", KIN_GRANDPARENT, 'f', 0},
	{"stepdaughter", KIN_CHILD, 'f', 's'}, {"stepson", KIN_CHILD, 'm', 's'},
	{"stepchild", KIN_CHILD, 0, 's'}, {"stepmother", KIN_PARENT, 'f', 's'},
	{"stepmum", KIN_PARENT, 'f', 's'}, {"stepfather", KIN_PARENT, 'm', 's'},
	{"stepdad", KIN_PARENT, 'm', 's'},
	{NULL, KIN_NONE, 0, 0}
};

/* People close to the patient who are not family: the nearest of them tells of their own. */
static const char *const others_near[] = {
	"carer", "carers", "neighbour", "friend", "nurse", "warden", "manager", "colleague", "landlord",
	"landlady", NULL
};

/* What a report of a call or a message is called: "message from her son", "call from son". */
static const char *const report_nouns[] = {
	"message", "call", "phone", "spoke", "conversation", "email", "e-mail", "text", "voicemail", "note",
	"letter", NULL
};

/* Verbs of telling, the forms a report of what a relative said takes. */
static const char *const telling[] = {
	"told", "tells", "tell", "telling", "said", "says", "say", "saying", "informed", "informs",
	"inform", "informing", "reported", "reports", "report", "rang", "rung", "phoned", "telephoned",
	"called", "explained", "confirmed", "notified", "mentioned", "wrote", "emailed", "stated",
	"let", "contacted", "disclosed", "advised", "messaged", "answered", "states", "stating", "explains",
	"confirms", "mentions", "writes", "calling", "ringing", "phoning",
	"phone",					/* "her son on the phone: his mum has died" */
	NULL
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

/*
 * The end of the name a possessive word [a, b) is of ("Mr Reid's" -> "Reid",
 * "Mrs Lyons'" -> "Lyons"), or -1 if it is none.
 */
static int
possessive_stem(const char *s, int a, int b)
{
	if (b - a > 2 && s[b - 2] == '\'' && lt_lower((unsigned char) s[b - 1]) == 's')
		return b - 2;
	if (b - a > 2 && s[b - 1] == '\'' && lt_lower((unsigned char) s[b - 2]) == 's')
		return b - 1;
	return -1;
}

static bool
possessive(const char *s, int a, int b)
{
	return possessive_stem(s, a, b) >= 0;
}

static const Kin *
kin_of(const char *s, int a, int b)
{
	for (int k = 0; kin_words[k].word; k++)
		if (lt_word_is(s, a, b, kin_words[k].word))
			return &kin_words[k];
	return NULL;
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
		if (to && lt_word_among(s, a, b, tell))
			return true;
		to = lt_word_is(s, a, b, "to");
	}
	return false;
}

/* Is [a, b) a relation word ("mother", "husband", "stepdad")? */
bool
lt_kin_word(const char *s, int a, int b)
{
	return kin_of(s, a, b) != NULL;
}

/*
 * Is the other-person term [a, b) a parent's title used as a name, "Dad" or
 * "Mum" (or a grandparent's, capitalised: "Nan", "Grandad"), with no owner
 * before it ("Dad slipped away in the night", "just to say mum has passed",
 * "Nan passed away", in a relative's message to the practice)?
 * Then it names the writer's parent, the patient, not someone else; "her
 * dad", "my mum" stay another person.  (In a letter about a child, "mum" is
 * the child's mother: a death read so goes to a human as a death, the error
 * of the safer kind.)  lo: where the sentence starts.
 */
bool
lt_kin_as_name(const char *s, int a, int b, int lo)
{
	static const char *const owners[] = {
		"her", "his", "my", "their", "your", "our", "the", "a", "whose", NULL
	};
	int			c,
				d;

	static const char *const grand[] = {"nan", "nana", "nanna", "gran", "grandad", "granddad", "grandma", "grandpa", NULL};

	/* "Nan passed away last night": a grandparent's title, written as a name */
	if (!(lt_word_is(s, a, b, "dad") || lt_word_is(s, a, b, "mum") || lt_word_is(s, a, b, "mom") ||
		  (lt_is_upper((unsigned char) s[a]) && lt_word_among(s, a, b, grand))))
		return false;
	if (!lt_word_before(s, a, &c, &d) || c < lo)
		return true;
	if (possessive(s, c, d))
		return false;			/* "Ann's Dad" */
	return !lt_word_among(s, c, d, owners);
}

/* A relation word as written: the relation, what qualifies it, and who it is said to be of. */
typedef struct KinWord
{
	const Kin  *kin;
	int			a;				/* the word, or "step"/"foster" before it */
	int			b;				/* where the word ends */
	char		mod;			/* 's' step, 'f' foster, 'l' in-law, 0 */
	int			oa,				/* its owner ("her", "Mr Reid's", "my"); oa == ob: none */
				ob;
} KinWord;

static bool
word_at(const char *s, int p, int hi, const char *w)
{
	int			n = strlen(w);

	return p + n <= hi && pg_strncasecmp(s + p, w, n) == 0 &&
		(p + n == hi || !lt_is_word_byte((unsigned char) s[p + n]));
}

/*
 * Read the relation word [a, b): "her mother", "his step-son", "her
 * son-in-law", "Mr Reid's daughter", "mum".  False if it is no relation, or
 * a possessive ("mother's") or another compound ("mother-to-be").
 */
static bool
read_kin(const char *s, int a, int b, int lo, int hi, KinWord *kw)
{
	int			p = a,
				wa,
				wb;

	kw->kin = kin_of(s, a, b);
	kw->a = a;
	kw->b = b;
	kw->mod = kw->kin ? kw->kin->step : 0;
	kw->oa = kw->ob = a;
	if (kw->kin == NULL || (b < hi && s[b] == '\''))
		return false;
	if (b + 1 < hi && (s[b] == '-' || s[b] == ' ') && word_at(s, b + 1, hi, "in") &&
		b + 4 < hi && (s[b + 3] == '-' || s[b + 3] == ' ') && word_at(s, b + 4, hi, "law"))
		kw->mod = 'l';
	else if (b < hi && s[b] == '-')
		return false;
	/* "step-son", "foster mother": the qualifier before it */
	while (p > lo && (s[p - 1] == ' ' || s[p - 1] == '-'))
		p--;
	wb = p;
	while (p > lo && lt_is_word_byte((unsigned char) s[p - 1]))
		p--;
	wa = p;
	if (wb > wa && (lt_word_is(s, wa, wb, "step") || lt_word_is(s, wa, wb, "foster")))
	{
		kw->mod = lt_lower((unsigned char) s[wa]) == 's' ? 's' : 'f';
		kw->a = wa;
	}
	if (lt_word_before(s, kw->a, &wa, &wb) && wa >= lo)
	{
		static const char *const owners[] = {"her", "his", "their", "my", "our", NULL};

		if (lt_word_among(s, wa, wb, owners) || possessive(s, wa, wb))
		{
			kw->oa = wa;
			kw->ob = wb;
		}
	}
	return true;
}

/* The patient's sex as the owner of a relation says it: her, his, Mr/Mrs X's; 0 if not. */
static char
owner_sex(const char *s, const KinWord *kw, int lo)
{
	int			a,
				b;

	if (lt_word_is(s, kw->oa, kw->ob, "her"))
		return 'f';
	if (lt_word_is(s, kw->oa, kw->ob, "his"))
		return 'm';
	if (possessive(s, kw->oa, kw->ob) && lt_word_before(s, kw->oa, &a, &b) && a >= lo)
	{
		if (lt_word_is(s, a, b, "mr"))
			return 'm';
		if (lt_word_is(s, a, b, "mrs") || lt_word_is(s, a, b, "ms") || lt_word_is(s, a, b, "miss"))
			return 'f';
	}
	return 0;
}

/*
 * Does "of the patient" follow a relation word ending at p ("the son of the
 * above patient", "the daughter of the above-named", "the wife of our
 * patient")?
 */
static bool
of_the_patient(const char *s, int p, int hi)
{
	static const char *const said[] = {
		" of the patient", " of the above patient", " of the above named", " of the above-named",
		" of our patient", " of your patient", " of the above", NULL
	};

	for (int k = 0; said[k]; k++)
		if (word_at(s, p, hi, said[k]))
			return true;
	return false;
}

/*
 * Is the teller the patient's relative: owned by her, his, their or a name
 * ("Mr Reid's son"; not a relative's, "her sister's son"), or owned by
 * nobody at the start of a line or sentence or after "from" or "by" ("Son
 * rang:", "call from son"), or said to be "of the patient" ("the son of the
 * above patient")?  hi: where the text looked at ends.
 */
static bool
patients_relative(const char *s, const KinWord *kw, int lo, int hi)
{
	int			a,
				b;

	if (kw->ob > kw->oa)
		return lt_word_is(s, kw->oa, kw->ob, "her") || lt_word_is(s, kw->oa, kw->ob, "his") ||
			lt_word_is(s, kw->oa, kw->ob, "their") ||
			(possessive(s, kw->oa, kw->ob) && kin_of(s, kw->oa, possessive_stem(s, kw->oa, kw->ob)) == NULL);
	if (of_the_patient(s, kw->b, hi))
		return true;
	if (!lt_word_before(s, kw->a, &a, &b) || a < lo)
		return true;
	return lt_word_is(s, a, b, "from") || lt_word_is(s, a, b, "by");
}

/* Is the teller, owner included, just after a report of a call or a message ("informed by her son")? */
static bool
told_before(const char *s, const KinWord *kw, int lo)
{
	int			p = kw->ob > kw->oa ? kw->oa : kw->a;

	for (int n = 0; n < 4; n++)
	{
		int			a,
					b;

		if (!prev_word(s, p, lo, &a, &b))
			return false;
		if (lt_word_among(s, a, b, telling) || lt_word_among(s, a, b, report_nouns))
			return true;
		p = a;
	}
	return false;
}

/*
 * Is the relation word [a, b) the inverse relation of a relative of the
 * patient who tells of it earlier ("her daughter ... told us that her mother
 * had died", "Her son rang the ward. He said his mother had died", "we were
 * informed by her son that his mum passed away", "Daughter rang - mum passed
 * away")?  Then it is the patient.  The nearest relative before it, among
 * LT_KIN_WORDS words, is the one who tells, with a verb of telling between
 * them or a report of a call just before it; the relation's owner must fit
 * the teller ("her son said her mother" is someone else's mother), and
 * step-, foster and in-law relations each other ("her son-in-law ... his
 * mother-in-law").  Only the inverse relation counts ("her son said his
 * brother died" is his brother), and only of the patient's sex ("her son
 * rang to say his father died" is her husband).  Someone who is not family
 * nearer ("her carer rang to say her mother died"), or "she"/"he" of the
 * patient's sex between them (who may be the patient) unless the teller is
 * said to have called or told before it ("Mr Dunmore's son called. He said
 * his dad died") or is of the pronoun's sex too ("Mrs Patel's daughter came
 * in. She said her mum had passed": read as the daughter, as a death missed
 * costs more than one read wrongly), tells of their own.
 * [lo, hi): where to look, from the previous sentence of the paragraph to
 * the end of this one.  *teller_at: where the teller's word starts, when
 * there is one (-1 otherwise).
 */
bool
lt_kin_told_of_patient(const char *s, int a, int b, int lo, int hi, int *teller_at)
{
	static const char *const calls[] = {
		"rang", "rung", "phoned", "telephoned", "called", NULL
	};
	KinWord		told;
	int			p;
	bool		tells = false;
	bool		called = false;
	char		pronoun = 0;
	bool		told_before_pronoun = false;

	*teller_at = -1;
	/* a bounded look: a run of punctuation is crossed in one word step */
	lo = Max(lo, a - LT_KIN_BYTES);
	if (!read_kin(s, a, b, lo, hi, &told))
		return false;
	if (told.ob > told.oa ? !(lt_word_is(s, told.oa, told.ob, "her") || lt_word_is(s, told.oa, told.ob, "his") ||
							  lt_word_is(s, told.oa, told.ob, "their") || lt_word_is(s, told.oa, told.ob, "my"))
		: told.kin->group != KIN_PARENT && told.kin->group != KIN_SPOUSE)
		return false;			/* "Ann's mother"; unowned only "mum", "husband" */
	p = told.ob > told.oa ? told.oa : told.a;
	for (int n = 0; n < LT_KIN_WORDS; n++)
	{
		int			wa,
					wb;
		KinWord		teller;
		char		psex;

		if (!prev_word(s, p, lo, &wa, &wb))
			break;
		p = wa;
		if (lt_word_among(s, wa, wb, telling))
		{
			tells = true;
			/* "Mr Dunmore's son called. He said ...": the pronoun is the caller */
			told_before_pronoun = told_before_pronoun || pronoun != 0;
			called = called || (lt_word_among(s, wa, wb, calls) && call_to_tell(s, wb, a));
			continue;
		}
		if (pronoun == 0 && (lt_word_is(s, wa, wb, "she") || lt_word_is(s, wa, wb, "he")))
			pronoun = lt_lower((unsigned char) s[wa]) == 's' ? 'f' : 'm';
		if (tells && lt_word_among(s, wa, wb, others_near))
			return false;		/* the carer who rang, not the nurse who was told */
		if (!read_kin(s, wa, wb, lo, hi, &teller))
			continue;
		/* the nearest relative decides: it tells of the word, or nobody does */
		if (!(tells || told_before(s, &teller, lo)) || !patients_relative(s, &teller, lo, hi) ||
			teller.mod != told.mod || inverse(teller.kin->group) != told.kin->group)
			return false;
		psex = owner_sex(s, &teller, lo);
		if ((psex && told.kin->sex && psex != told.kin->sex) ||
			(psex && pronoun == psex && !told_before_pronoun && teller.kin->sex != pronoun))
			return false;
		if ((lt_word_is(s, told.oa, told.ob, "her") && teller.kin->sex == 'm') ||
			(lt_word_is(s, told.oa, told.ob, "his") && teller.kin->sex == 'f'))
			return false;
		*teller_at = wa;
		return true;
	}

	/*
	 * No relative named: a call made to tell of a parent or a spouse
	 * ("rang ... to say", not "telephoned ... because") is the family's
	 * ("Karen rang the team line to say that her dad went to sleep and
	 * didn't wake up", "Mr Hale phoned to say his wife died"); the patient
	 * is the one the letter is about.
	 */
	return called && told.mod == 0 && told.ob > told.oa &&
		(told.kin->group == KIN_PARENT || told.kin->group == KIN_SPOUSE);
}

/*
 * The relation the writer of a letter says they have to the patient: "I am
 * her daughter", "I'm his wife", "Im Mr Shah's son", "this is his
 * daughter" (a relative's email, text or online form), or a signature's
 * "(husband)".  Returns the relation's group and the patient's sex as its
 * owner says it (group + 16 * 'f'/'m'/0), or -1 if the letter says none.
 * One pass over the text.
 */
/*
 * The relation of a caller a message names at p, "Caller: daughter", "Caller:
 * Sharon Peters (daughter)": its group with LT_KIN_CALLER, or -1.  The line's
 * relation is said of the patient the message is about.
 */
static int
caller_line(const char *s, int p, int len)
{
	KinWord		kw;
	int			q = p + 7,
				a,
				b;

	while (q < len && s[q] == ' ')
		q++;
	a = q;
	while (q < len && lt_is_word_byte((unsigned char) s[q]))
		q++;
	if (read_kin(s, a, q, a, q, &kw) && kw.mod == 0)
		return kw.kin->group | LT_KIN_CALLER;
	for (; q < len && s[q] != '\n' && q < p + LT_KIN_BYTES; q++)
	{
		if (s[q] != '(')
			continue;
		for (a = b = q + 1; b < len && lt_is_word_byte((unsigned char) s[b]); b++)
			;
		if (b < len && s[b] == ')' && read_kin(s, a, b, a, b, &kw) && kw.mod == 0)
			return kw.kin->group | LT_KIN_CALLER;
	}
	return -1;
}

int
lt_kin_writer(const char *s, int len)
{
	for (int p = 0; p + 4 < len; p++)
	{
		int			q,
					a,
					b;
		KinWord		kw;
		char		sex;

		if ((s[p] == 'C' || s[p] == 'c') && (p == 0 || s[p - 1] == '\n') &&
			pg_strncasecmp(s + p, "caller:", 7) == 0 && caller_line(s, p, len) >= 0)
			return caller_line(s, p, len);
		if (s[p] == '(')
		{
			/*
			 * a signature: "Derek Aston (husband)"; only a spouse's says
			 * whom ("David Pearce (son)" may write of either parent)
			 */
			for (q = p + 1; q < len && lt_is_word_byte((unsigned char) s[q]); q++)
				;
			if (q < len && s[q] == ')' && read_kin(s, p + 1, q, p + 1, q, &kw) && kw.mod == 0 &&
				kw.kin->group == KIN_SPOUSE)
				return kw.kin->group;
			continue;
		}
		if ((lt_lower((unsigned char) s[p]) != 'i' && lt_lower((unsigned char) s[p]) != 't') ||
			(p > 0 && lt_is_word_byte((unsigned char) s[p - 1])))
			continue;
		if (lt_lower((unsigned char) s[p + 1]) == 'h' && word_at(s, p, len, "this is"))
			q = p + 7;
		else if (word_at(s, p, len, "i am"))
			q = p + 4;
		else if (word_at(s, p, len, "i'm") || word_at(s, p, len, "i’m"))
			q = p + (s[p + 1] == '\'' ? 3 : 5);
		else if (word_at(s, p, len, "im"))
			q = p + 2;
		else
			continue;
		/* the owner, then the relation: "her daughter", "Mr Shah's son" */
		while (q < len && s[q] == ' ')
			q++;
		a = q;
		while (q < len && (lt_is_word_byte((unsigned char) s[q]) || s[q] == '\''))
			q++;
		if (!(lt_word_is(s, a, q, "her") || lt_word_is(s, a, q, "his") ||
			  lt_word_is(s, a, q, "their") || possessive(s, a, q) ||
			  word_at(s, a, len, "mr") || word_at(s, a, len, "mrs") ||
			  word_at(s, a, len, "ms") || word_at(s, a, len, "miss")))
			continue;
		if (!possessive(s, a, q) && !lt_word_is(s, a, q, "her") &&
			!lt_word_is(s, a, q, "his") && !lt_word_is(s, a, q, "their"))
		{
			/* a title: the name after it is the owner */
			while (q < len && (s[q] == ' ' || s[q] == '.'))
				q++;
			b = q;
			while (q < len && (lt_is_word_byte((unsigned char) s[q]) || s[q] == '\''))
				q++;
			if (!possessive(s, b, q))
				continue;
		}
		while (q < len && s[q] == ' ')
			q++;
		a = q;
		while (q < len && lt_is_word_byte((unsigned char) s[q]))
			q++;
		if (!read_kin(s, a, q, p, len, &kw) || kw.mod != 0)
			continue;
		sex = owner_sex(s, &kw, p);
		return kw.kin->group + 16 * sex;
	}
	return -1;
}

/*
 * Is a relation word ending at p followed by "your patient" in apposition
 * ("my nan, your patient Irene Walsh, has died")?  A writer who names
 * their relative as the practice's patient tells it of its patient.  (A
 * name alone is not enough: "my mother, Mrs Ellen Nolan, passed away" is
 * written as often by a patient of the practice about a mother who was not.)
 */
static bool
named_after(const char *s, int p, int hi)
{
	if (p >= hi || s[p] != ',')
		return false;
	p++;
	while (p < hi && s[p] == ' ')
		p++;
	return word_at(s, p, hi, "your patient") || word_at(s, p, hi, "the patient") ||
		word_at(s, p, hi, "who is registered with you") ||
		word_at(s, p, hi, "who is registered with your") || word_at(s, p, hi, "who is your patient") ||
		word_at(s, p, hi, "who is one of your patients");
}

/*
 * Is the relation word [a, b) the writer's own, as they say who they are ("I
 * am her daughter", "sorry this is his daughter")?  It names the writer,
 * and puts nothing after it in another person's scope.  lo: the sentence.
 */
bool
lt_kin_is_writer(const char *s, int a, int b, int lo, int hi)
{
	KinWord		kw;
	int			wa,
				wb,
				va,
				vb;

	if (!read_kin(s, a, b, lo, hi, &kw) || kw.ob == kw.oa || lt_word_is(s, kw.oa, kw.ob, "my") ||
		!lt_word_before(s, kw.oa, &wa, &wb) || wa < lo)
		return false;
	if (lt_word_is(s, wa, wb, "i'm") || lt_word_is(s, wa, wb, "im"))
		return true;
	return (lt_word_is(s, wa, wb, "am") || lt_word_is(s, wa, wb, "is")) &&
		lt_word_before(s, wa, &va, &vb) && va >= lo &&
		(lt_word_is(s, va, vb, "i") || lt_word_is(s, va, vb, "this"));
}

/*
 * Is the relation word [a, b) named as the practice's patient in apposition,
 * whoever's it is ("his wife, your patient Mrs Asha Patel, passed on")?
 */
bool
lt_kin_named_patient(const char *s, int a, int b, int lo, int hi)
{
	KinWord		kw;

	return read_kin(s, a, b, lo, hi, &kw) && kw.mod == 0 && named_after(s, kw.b, hi);
}

/*
 * Is the relation word [a, b), written "my mum", "my husband", the patient,
 * the writer having said what they are to the patient (writer, from
 * lt_kin_writer: "I AM HER DAUGHTER ... MY MUM DIED LAST NIGHT")?  The
 * relation must be the inverse of the writer's, and of the patient's sex.
 */
bool
lt_kin_writers_own(const char *s, int a, int b, int lo, int hi, int writer)
{
	KinWord		kw;
	bool		caller = writer >= 0 && (writer & LT_KIN_CALLER) != 0;
	char		sex;

	if (caller)
		writer &= ~LT_KIN_CALLER;
	sex = writer / 16;
	if (!read_kin(s, a, b, lo, hi, &kw) || kw.mod != 0)
		return false;
	if (kw.oa == kw.ob)
		return writer >= 0 && inverse((KinGroup) (writer % 16)) == kw.kin->group &&
			(sex == 0 || kw.kin->sex == 0 || sex == kw.kin->sex);	/* "this is his daughter, dad passed" */
	/* a reported caller's relative: "Caller: daughter ... says her dad passed away" */
	if (!lt_word_is(s, kw.oa, kw.ob, "my") &&
		!(caller && (lt_word_is(s, kw.oa, kw.ob, "her") || lt_word_is(s, kw.oa, kw.ob, "his"))))
		return false;
	if (named_after(s, kw.b, hi))
		return true;			/* "my nan, your patient Irene Walsh," */
	if (writer < 0)
		return false;
	return inverse((KinGroup) (writer % 16)) == kw.kin->group &&
		(sex == 0 || kw.kin->sex == 0 || sex == kw.kin->sex);
}

/*
 * Is the death phrase at start said of someone named with a title, as its
 * subject ("Mrs Lee had died", "that Mr Price sadly passed away", "Mr K
 * Singh died"), not of a relative named so ("her husband Mr Lee died",
 * "his wife, Mrs Lee, died")?  The letter names the patient so, even when
 * whoever told of it is someone else ("The neighbour told our carer that
 * Mrs Lee had died").  lo: where the sentence starts.
 */
bool
lt_kin_named_subject(const char *s, int start, int lo)
{
	static const char *const between[] = {
		"had", "has", "have", "sadly", "peacefully", "unfortunately", "suddenly", "recently", "just",
		"unexpectedly", NULL
	};
	static const char *const titles[] = {"mr", "mrs", "ms", "miss", "dr", "mx", NULL};
	int			a,
				b,
				p = start;
	int			names = 0;

	for (int n = 0; n < 3 && prev_word(s, p, lo, &a, &b) && lt_word_among(s, a, b, between); n++)
		p = a;
	/* the name: one to three words with capitals ("Lee", "K Singh", "Rona Baker") */
	while (names < 3 && prev_word(s, p, lo, &a, &b) && lt_is_upper((unsigned char) s[a]) &&
		   !lt_word_among(s, a, b, titles) && s[b] != ',' && s[b] != '.')
	{
		p = a;
		names++;
	}
	if (names == 0 || !prev_word(s, p, lo, &a, &b) || !lt_word_among(s, a, b, titles))
		return false;
	/* not a relative named so: "her husband Mr Lee", "his wife, Mrs Lee," */
	if (prev_word(s, a, lo, &a, &b) &&
		(kin_of(s, a, b) != NULL || lt_word_among(s, a, b, others_near) || possessive(s, a, b)))
		return false;
	return true;
}

/* Is [a, b) a verb of telling ("told", "rang", "informed")? */
bool
lt_kin_telling(const char *s, int a, int b)
{
	return lt_word_among(s, a, b, telling);
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
	if ((b = possessive_stem(s, a, b)) < 0)
		return false;			/* "Mr Vaughan's death", "Mrs Roberts' death" */
	return kin_of(s, a, b) == NULL && !lt_word_among(s, a, b, others);
}

/*
 * Does the writer tell the practice of their relative [a, b), "my father",
 * as of its patient: a notice ("I'm ringing to let you know my father ...",
 * "writing to inform you that my mum ...", "on behalf of my late mother",
 * "I found my husband ..."), or the relative named as the practice knows
 * them ("my father, John Smith, has passed on", "my dad Raymond died")?
 * A bereaved patient's own news ("my husband died in May and since then I
 * ...") is neither.  lo, hi: the sentence.
 */
bool
lt_kin_notified(const char *s, int a, int b, int lo, int hi)
{
	static const char *const notice[] = {
		"inform", "informing", "notify", "notifying", "advise", "advising", "behalf", "found", NULL
	};
	static const char *const know_whom[] = {"you", "surgery", "practice", "doctor", "gp", NULL};
	int			p = Max(lo, a - LT_KIN_BYTES),
				wa,
				wb,
				pa = -1,
				pb = -1;

	/* from a word start, within LT_KIN_BYTES: each relation word looks back a bounded span */
	while (p > lo && lt_is_word_byte((unsigned char) s[p - 1]))
		p++;
	while (p < a)
	{
		while (p < a && !lt_is_word_byte((unsigned char) s[p]))
			p++;
		wa = p;
		while (p < a && (lt_is_word_byte((unsigned char) s[p]) || s[p] == '\''))
			p++;
		wb = p;
		if (wb == wa)
			break;
		if (lt_word_among(s, wa, wb, notice))
			return true;
		/* "let you know", "letting the surgery know", "to say", "to tell you" */
		if (pa >= 0 && lt_word_is(s, wa, wb, "know") && lt_word_among(s, pa, pb, know_whom))
			return true;
		if (pa >= 0 && (lt_word_is(s, wa, wb, "say") || lt_word_is(s, wa, wb, "tell")) &&
			lt_word_is(s, pa, pb, "to"))
			return true;
		pa = wa;
		pb = wb;
	}
	/* a name in apposition: "my father, John Smith," or "my dad Raymond" */
	p = b;
	if (p + 7 <= hi && pg_strncasecmp(s + p, "-in-law", 7) == 0)
		p += 7;					/* "my father-in-law, Walter Grey," */
	if (p < hi && s[p] == ',')
		p++;
	while (p < hi && s[p] == ' ')
		p++;
	return p > b && p + 1 < hi && lt_is_upper((unsigned char) s[p]) && lt_is_lower((unsigned char) s[p + 1]);
}

/*
 * Does the writer tell of their relative [a, b), "my dad", as news of the
 * last day ("my mum died this morning", "my husband passed away in his
 * sleep last night", "my dad has died", "I think my dad has died")?  News that fresh, sent to
 * the practice, is of its patient: a bereaved patient's own care names
 * itself (lt_kin_writer_is_patient) and a death of another day is dated
 * ("last month", "in May").  A bounded look: the sentence's words within
 * LT_KIN_LATELY_BYTES after the relation word, and the two before it.
 */
bool
lt_kin_told_lately(const char *s, int a, int b, int lo, int hi)
{
	static const char *const lately[] = {
		"tonight", "overnight", "today", "yesterday", "ago", "earlier", "just", NULL
	};
	static const char *const day_parts[] = {"morning", "night", "afternoon", "evening", NULL};
	/* a clause of its own begins: its time is not the news's */
	static const char *const turn[] = {"please", "can", "could", "would", "will", "if", "but", "so", NULL};
	int			p = b,
				end = Min(hi, b + LT_KIN_LATELY_BYTES),
				wa,
				wb,
				pa = -1,
				pb = -1;

	/* of family only: "our goldfish died yesterday" is no relative's news */
	if (kin_of(s, a, b) == NULL)
		return false;
	/* "I think my dad has died": a doubt of what is happening now */
	if (lt_word_before(s, a, &wa, &wb) && wa >= lo && lt_word_is(s, wa, wb, "my") &&
		lt_word_before(s, wa, &wa, &wb) && wa >= lo &&
		(lt_word_is(s, wa, wb, "think") || lt_word_is(s, wa, wb, "worried")))
		return true;
	/* past commas and brackets: "my dad, who you saw last week, died today" */
	for (;;)
	{
		while (p < end && !lt_is_word_byte((unsigned char) s[p]))
			p++;
		if (p >= end || !lt_word_after(s, end, p, &wa, &wb) || lt_word_among(s, wa, wb, turn))
			break;
		if (lt_word_among(s, wa, wb, lately))
			return true;
		/* "this morning", "last night" */
		if (pa >= 0 && lt_word_among(s, wa, wb, day_parts) &&
			(lt_word_is(s, pa, pb, "this") || lt_word_is(s, pa, pb, "last")))
			return true;
		/* "my dad has died", "has passed away": news, not a date */
		if (pa >= 0 && (lt_word_is(s, pa, pb, "has") || lt_word_is(s, pa, pb, "have")) &&
			(lt_word_is(s, wa, wb, "died") || lt_word_is(s, wa, wb, "passed")))
			return true;
		pa = wa;
		pb = wb;
		p = wb;
	}
	return false;
}

/*
 * Does the writer ask the practice to act for their relative [a, b), "my
 * mum": as the one who needs it ("my mum needs a home visit asap"), or as
 * the one to be seen ("could you see my dad today")?  What is asked for
 * the relative is asked for the patient.  lo, hi: the sentence.
 */
bool
lt_kin_asked_for(const char *s, int a, int b, int lo, int hi)
{
	static const char *const needs[] = {"needs", "need", "needed", "requires", NULL};
	static const char *const see[] = {"see", "visit", "examine", "check", "review", "assess", NULL};
	int			wa,
				wb;

	if (lt_word_after(s, hi, b, &wa, &wb) && lt_word_among(s, wa, wb, needs))
		return true;
	return lt_word_before(s, a, &wa, &wb) && wa >= lo && lt_word_is(s, wa, wb, "my") &&
		lt_word_before(s, wa, &wa, &wb) && wa >= lo && lt_word_among(s, wa, wb, see);
}

/*
 * Does the writer speak of their own care, as a patient of the practice
 * ("remove the carer note from my record", "cancel my appointment", "my
 * sleep", "something to help me sleep"), or say
 * that the relative was not the practice's patient ("he wasn't with your
 * surgery", "registered at another practice")?  Then a relative's death
 * told in the letter is not the patient's.  One pass over the text.
 */
static bool
writer_is_patient(const char *s, int len)
{
	static const char *const own[] = {
		"record", "records", "notes", "appointment", "appointments", "prescription", "prescriptions",
		"medication", "medications", "medicines", "repeat", "review", "jab", "vaccine", "vaccination",
		"smear", "results", "blood", "bloods", "own", "symptoms", "sleep", "mood", "bowels", "periods",
		"health", "pain", "breast", "lump", "chest", "knee", "hip", "weight", "anxiety", "nerves", NULL
	};
	static const char *const elsewhere[] = {
		"not you", "not with you", "not with your", "wasn't with your", "was not with your", "not registered",
		"wasn't registered", "another surgery", "another practice", "different surgery",
		"different practice", "other surgery", "i can't sleep", "i cant sleep", "i'm not sleeping",
		"i am not sleeping", "help me sleep", "seem to sleep", "i have no symptoms", "my family history", NULL
	};

	for (int p = 0; p + 3 < len; p++)
	{
		int			a,
					b;

		if ((p > 0 && lt_is_word_byte((unsigned char) s[p - 1])) || !lt_is_word_byte((unsigned char) s[p]))
			continue;
		if (lt_lower((unsigned char) s[p]) == 'm' && word_at(s, p, len, "my") &&
			lt_word_after(s, len, p + 2, &a, &b) &&
			lt_word_among(s, a, b, own))
			return true;
		for (int k = 0; elsewhere[k]; k++)
			if (lt_lower((unsigned char) s[p]) == (unsigned char) elsewhere[k][0] &&
				word_at(s, p, len, elsewhere[k]))
				return true;
	}
	return false;
}

/* lt_kin_writer_is_patient for the letter of an, read once (it looks at the whole text). */
bool
lt_kin_writer_is_patient(LtAnalysis *an)
{
	if (an->writer_patient == 0)
		an->writer_patient = writer_is_patient(an->doc.s, an->doc.len) ? 'y' : 'n';
	return an->writer_patient == 'y';
}
