/*
 * adversarial.h — generators of hostile letters for the classifier: texts
 * built to make a pass over pairs of matches, sentences or lines show.  Each
 * family repeats (or draws at random from) a few pieces until the text has
 * the size asked for, cut at a piece boundary and padded with blanks, so
 * that every size of one family has the same mix.  A family with a word
 * writes a long word (its unit repeated) before each piece, the last one cut
 * at a unit to fit.  Used by the libFuzzer
 * harness (its seeds and its adversarial driver, test/fuzz/adversarial) and
 * mirrored in SQL by test/bench/35_adversarial.sql and sql/92_cancel.sql.
 *
 * Plain C: no server headers, so that any harness can include it.
 */
#ifndef LETTERS_TRIAGE_ADVERSARIAL_H
#define LETTERS_TRIAGE_ADVERSARIAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct LtAdvFamily
{
	const char *name;
	const char *const *pieces;	/* repeated in turn, or drawn at random */
	int			random;			/* draw pieces at random (seeded) */
	const char *word;			/* if set: a unit repeated into each word */
	size_t		word_len;		/* bytes of each such word */
} LtAdvFamily;

static const char *const lt_adv_request[] = {
	"please stop warfarin urgently refer to cardiology within 48 hours ", NULL
};
static const char *const lt_adv_request_short[] = {"please refer today ", NULL};
static const char *const lt_adv_timeframes[] = {
	"within 48 hours today tomorrow by friday in 2 weeks next week by 12:00 2/52 ", NULL
};
static const char *const lt_adv_modifiers[] = {
	"no not if history of mother denies please we have asked him to but ", NULL
};
static const char *const lt_adv_endless[] = {
	"please ", "refer ", "stop ", "warfarin ", "no ", "not ", "if ", "today ", "within ",
	"48 ", "hours ", "urgently ", "review ", "in ", "2019 ", "mother ", "( ", ") ", ", ",
	"and ", "but ", "potassium ", "6.9 ", "above ", "3.0 ", "history ", "of ", "we ",
	"have ", "arranged ", "safeguarding ", "concerns ", "2 ", "weeks ", NULL
};
static const char *const lt_adv_lines[] = {"please refer today\n", "- stop warfarin within 48 hours\n", NULL};
static const char *const lt_adv_headings[] = {
	"Plan:\n", "Please refer today.\n", "Medication:\n", "stop warfarin\n",
	"Past medical history:\n", "Actions for GP: review in 2 weeks\n", NULL
};
static const char *const lt_adv_leadins[] = {"- please could you:\n", NULL};
static const char *const lt_adv_parens[] = {"(no fever (please refer today ", "( ", NULL};
static const char *const lt_adv_years[] = {"in 2019 referred in March 2020 to cardiology ", NULL};
static const char *const lt_adv_labs[] = {"potassium 7.0 sodium 118 INR 9 above 3.0 ", NULL};
static const char *const lt_adv_commas[] = {"no fever, and please refer, but today, so ", NULL};
static const char *const lt_adv_dots[] = {"Dr. J. Smith 1. b.d. ", NULL};
/* one endless sentence of relatives telling of deaths (kin.c, a death's date) */
static const char *const lt_adv_deaths[] = {
	"her daughter told us that, sadly, her mother passed away last week and ", "in 2019 his son rang to say ", NULL
};
/* relation words after long runs of punctuation (kin.c's look back) */
static const char *const lt_adv_kin[] = {" her mother died ", " his wife ", NULL};
/* clauses set off by commas after a person, each looked across (context.c apposition_end) */
static const char *const lt_adv_appositions[] = {
	"her sister Joan, who was also here, sadly passed away, ", " ,who , also ,", NULL
};
/* dated deadlines after a date line, and a writer saying who they are (dates.c, kin.c) */
static const char *const lt_adv_dates[] = {
	"Date: 10/03/2025\nplease refer by 12/06/2025 on Monday 17/03/2025 before 21st March, no later than "
	"2025-06-12 or 31/02/2025 by 99/99/99 I am her son, my mum died ", NULL
};
/* one endless sentence of notices of relatives' deaths (kin.c lt_kin_notified, deathword.c) */
static const char *const lt_adv_notices[] = {
	"I am writing on behalf of my late mother, Mary Evans, and to let you know my father ",
	"we lost Doris overnight and he passed at 21:30 - he ", NULL
};
/* calls asked of the GP before long runs of closing punctuation (calls.c, a question's end) */
static const char *const lt_adv_calls[] = {"please could you ring her mother today ", "pls call me back today ", NULL};

/* a phrase that asks by itself, each with a time just after it (urgency.c frame_just_after) */
static const char *const lt_adv_review_frames[] = {"gp review in 2 weeks, ", NULL};
/* an endless table: a header, then rows with a "Who" and a "When" cell (table.c) */
static const char *const lt_adv_table[] = {
	"| Action | Who | When |\n", "|---|---|---|\n", "| Repeat U&E | GP | 2 weeks |\n",
	"| Echo | us | 6 weeks |\n", "| Safeguarding | No concerns | - |\n", NULL
};
/* a table's bars without an end of line, and bare cells */
static const char *const lt_adv_bars[] = {"| 2 weeks ", "|", "| GP |", NULL};

/* red flags that read the whole message or their sentence again (redflag.c): one endless sentence of them */
static const char *const lt_adv_flags[] = {
	"nosebleed on warfarin and ", "i might be pregnant on methotrexate, ", "missed his levetiracetam and ",
	"pulse 38 and ", "tomorrow as she doesn't want to make a fuss ", "could the doctor please advise ", NULL
};

/* all of the above and the punctuation between, at random */
static const char *const lt_adv_mixed[] = {
	"Plan:\n", "please ", "refer ", "today", ". ", "\n", "; ", "- ", "(", ")", ", and ", "no ",
	"in 2019 ", "within 48 hours ", "Please could you:\n", "1. ", "potassium 7.0 ", "by 12:00 ",
	"URGENT:\n", "\n\n", "Medication:\n", "stop warfarin ", "if ", "mother ", "we have ",
	"urgently ", "tomorrow ", "review ", ": ", "2/52 ", NULL
};

/*
 * Very long words: word_len bytes of one unit with no blank, the pieces
 * being what separates them (tokens much longer than any rule's pattern).
 */
static const char *const lt_adv_word_seps[] = {" ", "\n", " ", ". ", NULL};

static const LtAdvFamily lt_adv_families[] = {
	{"request", lt_adv_request, 0, NULL, 0},
	{"request_short", lt_adv_request_short, 0, NULL, 0},
	{"timeframes", lt_adv_timeframes, 0, NULL, 0},
	{"modifiers", lt_adv_modifiers, 0, NULL, 0},
	{"endless", lt_adv_endless, 1, NULL, 0},
	{"lines", lt_adv_lines, 0, NULL, 0},
	{"headings", lt_adv_headings, 0, NULL, 0},
	{"leadins", lt_adv_leadins, 0, NULL, 0},
	{"parens", lt_adv_parens, 0, NULL, 0},
	{"years", lt_adv_years, 0, NULL, 0},
	{"labs", lt_adv_labs, 0, NULL, 0},
	{"commas", lt_adv_commas, 0, NULL, 0},
	{"dots", lt_adv_dots, 0, NULL, 0},
	{"deaths", lt_adv_deaths, 0, NULL, 0},
	{"kincommas", lt_adv_kin, 0, ",", 5000},
	{"dates", lt_adv_dates, 0, NULL, 0},
	{"appositions", lt_adv_appositions, 0, NULL, 0},
	{"notices", lt_adv_notices, 0, NULL, 0},
	{"calls", lt_adv_calls, 0, ")", 5000},
	{"bullets", lt_adv_calls, 0, "-", 5000},
	{"reviewframes", lt_adv_review_frames, 0, NULL, 0},
	{"table", lt_adv_table, 1, NULL, 0},
	{"bars", lt_adv_bars, 1, NULL, 0},
	{"flags", lt_adv_flags, 1, NULL, 0},
	{"mixed", lt_adv_mixed, 1, NULL, 0},
	{"longwords", lt_adv_word_seps, 0, "a", 5000},
	{"longcase", lt_adv_word_seps, 0, "aB", 5000},
	{"longdigits", lt_adv_word_seps, 0, "7", 5000},
	{"longaccents", lt_adv_word_seps, 0, "\xc3\xa9\xc3\xbc", 5000},	/* éü */
	{"longurls", lt_adv_word_seps, 0, "httpswwwnhsuk2019referpath", 5000},
	{"longlig", lt_adv_word_seps, 0, "\xef\xac\x83", 5001},	/* U+FB03 ffi */
	{NULL, NULL, 0, NULL, 0}
};

/*
 * Fill buf with exactly size bytes of family f (no NUL added).  The random
 * family draws with a fixed linear congruential generator from seed, so a
 * size and a seed always give the same text.
 */
static inline void
lt_adv_generate(const LtAdvFamily *f, char *buf, size_t size, uint32_t seed)
{
	size_t		n = 0;
	int			k = 0;
	int			npieces = 0;

	while (f->pieces[npieces])
		npieces++;
	for (;;)
	{
		const char *p;
		size_t		l;

		if (f->random)
		{
			seed = seed * 1103515245u + 12345u;
			p = f->pieces[(seed >> 16) % (uint32_t) npieces];
		}
		else
		{
			p = f->pieces[k];
			k = (k + 1) % npieces;
		}
		l = strlen(p);
		if (f->word)
		{
			size_t		ul = strlen(f->word);

			/* a word (cut at a unit to fit), then the piece after it */
			for (size_t w = 0; w + ul <= f->word_len && n + ul <= size; w += ul)
			{
				memcpy(buf + n, f->word, ul);
				n += ul;
			}
		}
		if (n + l > size)
			break;
		memcpy(buf + n, p, l);
		n += l;
	}
	memset(buf + n, ' ', size - n);
}

#endif							/* LETTERS_TRIAGE_ADVERSARIAL_H */
