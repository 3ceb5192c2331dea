/*
 * core.h — the text core's internal structures and functions, for the core's
 * own C files (and the fuzzing harnesses that test them); the rest of the
 * extension uses triage.h.
 *
 *   normalise.c    text from the database encoding to a scannable UTF-8 form
 *   bytes.c        passes over raw bytes: the text's counts, searches for bytes
 *   ruleset.c      a rule set compiled from the rows it is handed
 *   match.c        the multi-pattern automaton compiled from the patterns
 *   segment.c      sentences, paragraphs, headings and sections
 *   context.c      context modifiers in scope (NegEx/ConText)
 *   recognise.c    the built-in recognisers: time frames, laboratory values,
 *                  medicine names
 *   analyse.c      matches + context + recognisers -> hits
 *   report.c       results reports: their titles, the act-on-a-result
 *                  convention, tables of values
 *   frame_index.c  the time frame nearest to each action
 *   verdict.c      hits -> urgency, actions, needs_review, reason
 *   classify.c     the entry points of triage.h
 *
 * None of them uses SPI, the catalogs or fmgr: they take bytes and a compiled
 * rule set.
 */
#ifndef LETTERS_TRIAGE_CORE_H
#define LETTERS_TRIAGE_CORE_H

#include "triage.h"

/*
 * Every loop of the text core that can run long calls LT_CHECK_INTERRUPTS():
 * in the server CHECK_FOR_INTERRUPTS(), so that statement_timeout and
 * pg_cancel_backend() stop a classification; nothing when the core is built
 * outside the server (LT_CORE_STANDALONE: the harnesses of test/fuzz).
 */
#ifdef LT_CORE_STANDALONE
#define LT_CHECK_INTERRUPTS() ((void) 0)
#else
#include "miscadmin.h"
#define LT_CHECK_INTERRUPTS() CHECK_FOR_INTERRUPTS()
#endif

/* Bytes a byte-at-a-time loop of the text core runs between two checks. */
#define LT_INTERRUPT_STRIDE 65536

/* What an entry of the automaton is. */
typedef enum LtEntryKind
{
	LT_ENTRY_RULE = 0,			/* letters_triage.rule */
	LT_ENTRY_MODIFIER,			/* letters_triage.modifier */
	LT_ENTRY_SECTION,			/* letters_triage.section */
	LT_ENTRY_BUILTIN			/* time-frame words, lab names, stop words */
} LtEntryKind;

/* Modifier categories (letters_triage.modifier.category). */
typedef enum LtModCat
{
	LT_MOD_NEGATED = 0,
	LT_MOD_HYPOTHETICAL,
	LT_MOD_HISTORICAL,
	LT_MOD_OTHER,				/* other_person */
	LT_MOD_TERMINATION,			/* ends the scope of the others */
	LT_MOD_PSEUDO,				/* looks like a modifier but is not one */
	LT_MOD_COMPLETED,			/* the sender has done it / will do it */
	LT_MOD_PATIENT,				/* something asked of the patient */
	LT_MOD_REQUEST,				/* something asked of the GP */
	LT_NUM_MODCAT
} LtModCat;

#define LT_DIR_FORWARD	1		/* modifier precedes what it modifies */
#define LT_DIR_BACKWARD	2		/* modifier follows what it modifies */
#define LT_DIR_BOTH		3

/* Contexts reported by evidence() and assertion(). */
typedef enum LtContext
{
	LT_CTX_AFFIRMED = 0,
	LT_CTX_NEGATED,
	LT_CTX_HYPOTHETICAL,
	LT_CTX_HISTORICAL,
	LT_CTX_OTHER,
	LT_NUM_CTX
} LtContext;

/* Section meanings (letters_triage.section.meaning). */
typedef enum LtSection
{
	LT_SEC_NONE = 0,			/* before any heading, or a plain heading */
	LT_SEC_ACTIONS,				/* requests to the GP */
	LT_SEC_MEDICATION,			/* medication changes */
	LT_SEC_HISTORY,				/* past medical history */
	LT_SEC_FAMILY,				/* family / social history: other people */
	LT_SEC_PATIENT,				/* information / advice given to the patient */
	LT_NUM_SEC
} LtSection;

/* Built-in entries (LT_ENTRY_BUILTIN): sub is one of these. */
typedef enum LtBuiltin
{
	LT_BI_TIME = 0,				/* a fixed time phrase ("tomorrow"); urgency set */
	LT_BI_UNIT,					/* a unit after a number ("hours", "/52") */
	LT_BI_LAB,					/* a laboratory analyte; aux = LtLab */
	LT_BI_STOP,					/* a common English word (language check) */
	LT_BI_WEEKDAY,				/* "by friday": urgency set */
	LT_BI_CLOCK,				/* "by" before a clock time or a date: "by 12:00"; aux
								 * LT_CLOCK_DATE_ONLY: a date only ("before 21/03/2025") */
	LT_BI_DEATH,				/* "death" after a name's possessive: "Mr Vaughan's death" */
	LT_BI_REDFLAG				/* a symptom that needs a clinician today (redflag.c) */
} LtBuiltin;

#define LT_CLOCK_DATE_ONLY 1
/* aux of an LT_BI_DEATH: "dead" after "found" and a person ("we found Grandad dead") */
#define LT_DEATH_FOUND 1

/* aux of an LT_BI_REDFLAG: a symptom that counts only when dated to the last day ("chest pain for an hour") */
#define LT_RED_FLAG_NOW 1
/* aux of an LT_BI_REDFLAG: tablets counted after "taken" ("I've taken 30 paracetamol") */
#define LT_RED_FLAG_DOSE 2
/* aux of an LT_BI_REDFLAG: a rash that counts only with a fever in its sentence ("temp 40 and a rash") */
#define LT_RED_FLAG_FEVER 3
/* aux of an LT_BI_REDFLAG: a person who does not respond or breathe, not "to" a treatment, "through" the nose */
#define LT_RED_FLAG_PERSON 4
/* aux of an LT_BI_REDFLAG: a pulse or an oxygen saturation, a red flag at a critical value ("pulse 38") */
#define LT_RED_FLAG_PULSE 5
#define LT_RED_FLAG_SATS 6
/* aux of an LT_BI_REDFLAG: a head injury, a red flag in a message that names an anticoagulant */
#define LT_RED_FLAG_ANTICOAG 7
/* aux of an LT_BI_REDFLAG: doses missed, a red flag when its sentence names a time-critical medicine */
#define LT_RED_FLAG_CRITICAL_DRUG 8
/* aux of an LT_BI_REDFLAG: a pregnancy, a red flag (urgent) in a message naming a medicine that harms it */
#define LT_RED_FLAG_TERATOGEN 9
/* aux of an LT_BI_REDFLAG: a rate's unit, a red flag at a critical value before it ("35 beats a minute") */
#define LT_RED_FLAG_PULSE_AFTER 10
/* aux of an LT_BI_REDFLAG: pale stools, a red flag (urgent) in a message that tells of jaundice */
#define LT_RED_FLAG_JAUNDICE 11
/* aux of an LT_BI_REDFLAG: tablets taken daily, a red flag in a message naming a weekly medicine */
#define LT_RED_FLAG_WEEKLY_DRUG 12

/* aux of an LT_BI_TIME entry: a supply running out, urgency from its days */
#define LT_TIME_SUPPLY 1
/* aux of an LT_BI_TIME entry: the days of a supply left, told by their number ("only 2 days left") */
#define LT_TIME_SUPPLY_LEFT 2

typedef enum LtLab
{
	LT_LAB_POTASSIUM = 0,
	LT_LAB_SODIUM,
	LT_LAB_INR,
	LT_LAB_GLUCOSE,
	LT_LAB_CALCIUM,
	LT_LAB_HAEMOGLOBIN,
	LT_LAB_PLATELETS,
	LT_LAB_NEUTROPHILS,
	LT_LAB_LITHIUM,
	LT_LAB_QTC,
	LT_NUM_LABS
} LtLab;

/* One pattern of the automaton. */
typedef struct LtEntry
{
	int64		id;				/* row id in its table; 0 for built-ins */
	const char *text;			/* the pattern as written */
	const char *norm;			/* the pattern normalised (lt_normalise_pattern) */
	uint8		kind;			/* LtEntryKind */
	int8		sub;			/* rule: action or -1; modifier: LtModCat;
								 * section: LtSection; builtin: LtBuiltin */
	int8		urgency;		/* rule/builtin: LtUrgency or -1 */
	uint8		dir;			/* modifier: LT_DIR_* */
	int16		scope;			/* modifier: words, 0 = to the sentence end */
	int16		aux;			/* builtin: unit in hours, lab id */
	bool		needs_request;	/* rule: counts only when asked of the GP */
	bool		open_end;		/* pattern ended in '*': no word boundary after */
	bool		word_end;		/* must be followed by a non-word byte (set by
								 * lt_automaton_build): not open-ended, ends
								 * in a word byte */
	bool		spaced;			/* has a space (matches runs of blanks): set by
								 * lt_automaton_build */
	int			nlen;			/* length of the normalised pattern in bytes */
	int			next;			/* next entry with the same normalised pattern, -1 */
} LtEntry;

/* What a rule set compiles to (lt_automaton_size). */
typedef struct LtAutomatonSize
{
	int64		nstates;
	int			nclasses;
	int64		bytes;			/* what the compiler builds (the limit's measure) */
	int64		scan_bytes;		/* what the compiled set's scan reads */
	int			copies;			/* the most rows of one normalised pattern */
	const char *copied;			/* that pattern */
} LtAutomatonSize;

/*
 * A state beyond the dense rows (match.c): a trie node, its failure state
 * and its children.  One child is the next deep state (they are numbered
 * depth first), on class cls1; several are listed in LtRuleSet.edges.
 */
typedef struct LtDeepState
{
	uint32		fail;			/* the failure state's code */
	uint8		nkids;
	uint8		cls1;
	uint16		info;			/* LT_SI_* */
} LtDeepState;

typedef struct LtEdge
{
	uint32		to;				/* the child's code */
	uint32		cls;
} LtEdge;

/* What a state completes (LtDeepState.info, LtRuleSet.info). */
#define LT_SI_IMM		0x0001	/* matches complete on reaching it */
#define LT_SI_WEND		0x0002	/* matches complete when a non-word byte follows */
#define LT_SI_ABSORB	0x0004	/* reached by a space: further spaces stay */
#define LT_SI_ISTOP_SHIFT 3		/* stop words completed on reaching it (4 bits) */
#define LT_SI_WSTOP_SHIFT 7		/* stop words completed when a non-word byte follows (6 bits) */

/* A compiled rule set (triage.h). */
struct LtRuleSet
{
	MemoryContext cxt;			/* owns everything below */
	int64		version;		/* hash of the rule tables' contents */
	int			nentries;
	LtEntry    *entries;
	int			nrules;			/* enabled rows of letters_triage.rule */
	/* automaton: states x classes (see match.c) */
	uint8		cls[256];		/* byte -> class */
	bool		cls_word[256];	/* class -> made of word bytes */
	int			nclasses;
	int			nstates;
	int			ndense;			/* states 0 .. ndense-1 have a row of delta */
	uint32		dense_end;		/* ndense * nclasses: the first deep state's code */
	uint64		ncls_magic;		/* code / nclasses as (code * magic) >> 40 */
	uint32	   *delta;			/* [dense state * nclasses + class] -> next
								 * state's code, with LT_DELTA_* flags */
	LtDeepState *deep;			/* deep state (code - dense_end) -> its trie node */
	uint32	   *kids_at;		/* deep state -> its first edge, if it has more than one child */
	LtEdge	   *edges;			/* the children of deep states that have several */
	uint16	   *info;			/* dense state -> LT_SI_* */
	int64		scan_bytes;		/* what the scan's step reads: delta, deep, kids_at, edges, info */
	int32	   *out;			/* state -> first entry ending here, or -1 */
	int32	   *dict;			/* state -> next state on the suffix chain with output, or -1 */
	uint8	   *sflags;			/* state -> LT_SF_* */
};

/*
 * Byte class 0 is "other" (non-word bytes in no pattern), 1 is whitespace
 * (and '-' and '_'), 2 word bytes in no pattern.
 */
#define LT_CLS_OTHER 0
#define LT_CLS_SPACE 1
#define LT_CLS_WORD 2

/* A transition of the automaton: the next state, and what it completes. */
#define LT_DELTA_STATE	0x03FFFFFFu	/* next state x nclasses */
#define LT_DELTA_STOP_SHIFT 26		/* stop words completed (5 bits) */
#define LT_DELTA_LOUD	0x80000000u /* matches to report */
#define LT_DELTA_MAX_STATES (LT_DELTA_STATE + 1)

/* What a state's output chain holds (rs->sflags). */
#define LT_SF_IMM		0x01	/* matches complete on reaching the state */
#define LT_SF_WEND		0x02	/* matches complete when a non-word byte follows */
#define LT_SF_WSTOP_SHIFT 2		/* stop words completed when a non-word byte follows */

/*
 * What the scan counts of a text, for the checks of a letter's readability.
 * Only a long run of non-blank bytes tells of garbled text, and a run of
 * LT_LONG_RUN bytes or more is counted without looking at every byte.
 */
#define LT_LONG_RUN 16
typedef struct LtTextStats
{
	int			nstop;			/* common English words */
	int			nwords;			/* runs of word bytes */
	int			nalpha;			/* letters (and non-ASCII bytes) */
	int			nnonblank;		/* bytes that are not blanks */
	int			longest;		/* longest run of non-blank bytes, when it is
								 * LT_LONG_RUN bytes or more, else 0 */
	int			nbad;			/* ASCII control characters */
} LtTextStats;

/*
 * The counts of lt_count_bytes so far, carried from one part of a text to
 * the next (zeroed before the first).
 */
typedef struct LtByteCounts
{
	bool		prev_word;		/* the last byte counted is a word byte */
	int			run;			/* non-blank bytes at the end so far */
	int			longest;		/* as in LtTextStats */
	int			words;			/* word bytes after a non-word byte (or first) */
	int			alpha;			/* letters and non-ASCII bytes */
	int			nonblank;
	int			bad;			/* ASCII control characters other than blanks */
} LtByteCounts;

/* A text prepared for scanning. */
typedef struct LtDoc
{
	const char *s;				/* what is scanned: UTF-8, ASCII case kept,
								 * non-ASCII NFKC-casefolded */
	int			len;
	const char *orig;			/* the original as UTF-8 */
	int			orig_len;
	int32	   *map;			/* s byte -> orig byte; NULL when identical */
	int			nbad;			/* invalid or garbled non-ASCII characters (the
								 * scan counts ASCII control characters) */
	int			nchars;			/* characters in orig */
	bool		ascii;			/* orig is all ASCII */
	int			count_byte;		/* lt_doc_char_offset's last position (bytes of orig) */
	int			count_chars;	/* and the characters before it */
} LtDoc;

/* One raw match of the automaton, in s byte offsets. */
typedef struct LtMatch
{
	int			start;
	int			end;
	int			entry;
	int			sentence;
	bool		dead;			/* suppressed (covered by an ignore/pseudo phrase) */
} LtMatch;

typedef struct LtSentence
{
	int			start;
	int			end;
	int			para;			/* paragraph number */
	uint8		section;		/* LtSection in force */
	int			heading;		/* entry of the heading in force, or -1 */
	int8		lead_agent;		/* an item of a list whose lead-in says who acts
								 * ("Please:", "We have asked her to:"): that
								 * LT_MOD_*, or -1 */
	int			lead;			/* and that lead-in's sentence, or -1 */
	/* readings of the whole sentence, each made once: 0 not yet, 1 no, 2 yes */
	int8		asks;			/* lt_sentence_asks */
	int8		imperative;		/* opens with an imperative (context.c) */
	int8		supply;			/* says when a supply ends (urgency.c) */
} LtSentence;

/* A classified hit, as evidence() reports it. */
typedef struct LtHit
{
	int			start;			/* s byte offsets */
	int			end;
	int			entry;			/* entry index, or -1 for a recogniser */
	const char *source;			/* "rule", "time frame", "lab value", "header" */
	const char *label;			/* pattern or recogniser description */
	int8		action;			/* LtAction or -1 */
	int8		urgency;		/* LtUrgency or -1 */
	uint8		context;		/* LtContext */
	uint8		section;		/* LtSection */
	int			sentence;
	int8		agent;			/* LT_MOD_REQUEST/COMPLETED/PATIENT or -1 */
	bool		counted;
	bool		is_label;		/* an urgency word written as a label ("Urgent:") */
	bool		gp_named;		/* asked of the GP by name ("could her GP see her") */
	const char *why;			/* why it did not count, or NULL */
} LtHit;

/*
 * The header row of the table row read last (table.c): the next row below
 * it has the same header, so a long table's rows find theirs at once.
 */
typedef struct LtTableMemo
{
	int			line;			/* where that row's line starts, or -1 */
	int			head;			/* its table's header row's first '|', or -1 */
} LtTableMemo;

/*
 * What readings of the whole message or of a sentence found, read once
 * (lt_said_once, lt_sentence_says): 0 unread, 1 no, 2 yes.  A reading made
 * for each match would be quadratic in an endless message of them.
 */
typedef struct LtReadMemo
{
	uint8		anticoagulant;	/* the message names an anticoagulant */
	uint8		no_anticoagulant;	/* ... and says the patient is on none */
	uint8		teratogen;		/* ... a medicine that harms a pregnancy */
	uint8		jaundice;		/* ... jaundice */
	uint8		weekly_drug;	/* ... a medicine taken once a week (methotrexate) */
	uint8		guidance;		/* ... is an Advice and Guidance answer */
	uint8	   *critical;		/* [sentence]: names a time-critical medicine */
	uint8	   *wish;			/* [sentence]: a caller's wish */
	uint8	   *calm;			/* [sentence]: says there is no rush */
} LtReadMemo;

typedef struct LtAnalysis
{
	LtDoc		doc;
	int			nmatches;
	LtMatch    *matches;
	int			nsentences;
	LtSentence *sentences;
	int			nhits;
	LtHit	   *hits;
	LtTextStats stats;
	bool		clipped;		/* only the first LT_MAX_TEXT bytes were read */
	bool		report;			/* a results report (lt_is_report) */
	bool		has_bars;		/* holds a '|': may hold a table (table.c) */
	LtTableMemo *tables;		/* what table.c last found (mutable) */
	LtReadMemo *reads;			/* what readings found once (mutable) */
	int			nyears;			/* past years written "in 2019", "in March 2020" */
	int32	   *years;			/* each as 2 offsets: where "in" starts, where the year ends */
	int			dated;			/* the letter's date as a day number (dates.c), -1 none, */
	bool		dated_read;		/* ... once read */
	char		writer_patient; /* lt_kin_writer_is_patient: 0 not read, 'y', 'n' */
} LtAnalysis;

/*
 * The time frames of an analysis sorted for finding the one nearest to each
 * action without comparing pairs (frame_index.c).
 */
typedef struct LtFrameIndex
{
	int			nframes;
	void	   *by_start;		/* frames sorted by sentence, start, best first */
	void	   *by_end;			/* the same by sentence, end */
	int32	   *reach[LT_URGENCY_IMMEDIATE + 1];	/* see lt_frames_index */
	int32	   *block;			/* sentence k's frames: [block[k], block[k + 1]) */
	int			nsemis;
	int32	   *semis;			/* positions of ';', in order */
} LtFrameIndex;

/*
 * Modifiers act on a phrase only within this many bytes of it (scope 0, "to
 * the end of the sentence", ends there too in an overlong sentence): keeps
 * context linear in the text.
 */
#define LT_CONTEXT_WINDOW 1024

/* Longest text analysed; the rest of a longer one is not read (needs_review). */
#define LT_MAX_TEXT (8 * 1024 * 1024)

/* normalise.c */
extern void lt_doc_prepare(LtDoc *doc, const char *text, int len, bool db_encoding);
extern char *lt_normalise_pattern(const char *pattern, int *outlen);
extern int	lt_doc_char_offset(LtDoc *doc, int pos);
extern int	lt_doc_orig_byte(const LtDoc *doc, int pos);

/* match.c */
extern void lt_automaton_build(LtRuleSet *rs);
extern void lt_automaton_size(const LtEntry *entries, int n, LtAutomatonSize *sz);
extern void lt_check_automaton_size(const LtAutomatonSize *sz);
extern int	lt_automaton_scan(const LtRuleSet *rs, const char *s, int len,
							  LtMatch **matches, LtTextStats *st);
extern int	lt_matches_from(const LtMatch *matches, int lo, int hi, int pos);
extern const bool lt_word_byte[256];

/* Letters, digits and every byte of a multi-byte UTF-8 character. */
static inline bool
lt_is_word_byte(unsigned char c)
{
	return lt_word_byte[c];
}

/* ASCII tests of the core. */
static inline bool
lt_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* A blank within a line: the sentence cutter treats '\n' apart. */
static inline bool
lt_is_inline_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* The end of the line starting at p (its '\n', or len). */
static inline int
lt_line_end(const char *s, int len, int p)
{
	const char *nl = memchr(s + p, '\n', len - p);

	return nl ? (int) (nl - s) : len;
}

static inline bool
lt_is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
lt_is_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

/* A blank, the line feed included. */
static inline bool
lt_is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == '\n';
}

static inline unsigned char
lt_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Does the word [a, b) equal w (ASCII, case-insensitive)? */
static inline bool
lt_word_is(const char *s, int a, int b, const char *w)
{
	int			n = b - a;

	for (int i = 0; i < n; i++)
		if (w[i] == '\0' || lt_lower((unsigned char) s[a + i]) != (unsigned char) w[i])
			return false;
	return w[n] == '\0';
}

/* Is the word [a, b) one of the words of list (NULL-terminated)? */
static inline bool
lt_word_among(const char *s, int a, int b, const char *const *list)
{
	for (int k = 0; list[k]; k++)
		if (lt_word_is(s, a, b, list[k]))
			return true;
	return false;
}

/* The word starting at or after p on its line (skipping blanks), before len: sets *a, *b. */
static inline bool
lt_word_after(const char *s, int len, int p, int *a, int *b)
{
	while (p < len && lt_is_inline_blank((unsigned char) s[p]))
		p++;
	*a = p;
	while (p < len && lt_is_word_byte((unsigned char) s[p]))
		p++;
	*b = p;
	return *b > *a;
}

/* Is one of the words of [p, hi) one of the words of list? */
static inline bool
lt_any_word_among(const char *s, int p, int hi, const char *const *list)
{
	int			a,
				b;

	while (p < hi)
	{
		while (p < hi && !lt_is_word_byte((unsigned char) s[p]))
			p++;
		if (!lt_word_after(s, hi, p, &a, &b))
			return false;
		if (lt_word_among(s, a, b, list))
			return true;
		p = b;
	}
	return false;
}

/* Does phrase start at p, in any ASCII case, and end before hi at a word's end? */
static inline bool
lt_phrase_at(const char *s, int hi, int p, const char *phrase)
{
	int			n = strlen(phrase);

	return p + n <= hi && pg_strncasecmp(s + p, phrase, n) == 0 &&
		(p + n == hi || !lt_is_word_byte((unsigned char) s[p + n]));
}

/*
 * Does [s, s + len) hold one of the phrases of list, in any ASCII case, as
 * bytes (inside words too)?  For short texts only: it compares every
 * phrase at every byte.
 */
static inline bool
lt_says_any(const char *s, int len, const char *const *list)
{
	for (int i = 0; list[i]; i++)
	{
		int			n = strlen(list[i]);
		unsigned char c0 = lt_lower((unsigned char) list[i][0]);

		/* the first byte first: most positions fail there, without a call */
		for (int p = 0; p + n <= len; p++)
			if (lt_lower((unsigned char) s[p]) == c0 && pg_strncasecmp(s + p, list[i], n) == 0)
				return true;
	}
	return false;
}

/* Does the message say one of list?  Read once (*seen, see LtReadMemo). */
static inline bool
lt_said_once(uint8 *seen, const char *s, int len, const char *const *list)
{
	if (*seen == 0)
		*seen = lt_says_any(s, len, list) ? 2 : 1;
	return *seen == 2;
}

/* Does sentence k say one of list?  Read once a sentence (*memo, made here). */
static inline bool
lt_sentence_says(const LtAnalysis *an, uint8 **memo, int k, const char *const *list)
{
	const LtSentence *st;

	if (k < 0 || k >= an->nsentences)
		return false;
	if (*memo == NULL)
		*memo = palloc0(an->nsentences);
	st = &an->sentences[k];
	return lt_said_once(&(*memo)[k], an->doc.s + st->start, st->end - st->start, list);
}

/* The word ending at or before p (skipping blanks): sets *a, *b; false if none. */
static inline bool
lt_word_before(const char *s, int p, int *a, int *b)
{
	while (p > 0 && lt_is_blank((unsigned char) s[p - 1]))
		p--;
	*b = p;
	while (p > 0 && (lt_is_word_byte((unsigned char) s[p - 1]) || s[p - 1] == '\''))
		p--;
	*a = p;
	return *b > *a;
}


/* bytes.c */

/*
 * Count the bytes s[0..n) into bc: n a multiple of 16 except for the last
 * part of a text (last), after which bc->longest is final.
 */
extern void lt_count_bytes(const char *s, int n, bool last, LtByteCounts *bc);

/* The first i >= from with s[i] one of a, b, c, d; len if none. */
extern int	lt_next_of(const char *s, int from, int len, unsigned char a, unsigned char b,
					   unsigned char c, unsigned char d);

/* segment.c */
extern void lt_segment(const LtRuleSet *rs, LtAnalysis *an);
extern int	lt_year_from(const LtAnalysis *an, int pos);

/* context.c */
extern uint32 lt_context_of(const LtRuleSet *rs, const LtAnalysis *an,
							int start, int end, int sentence, int *agent);
extern uint32 lt_context_near(const LtRuleSet *rs, const LtAnalysis *an,
							  int start, int end, int sentence, int hint, int *agent);
extern LtContext lt_context_pick(uint32 bits);
extern void lt_context_own_modifiers(const LtRuleSet *rs, LtAnalysis *an);
extern bool lt_asks_question(const char *s, const LtSentence *st);
extern bool lt_sentence_asks(LtAnalysis *an, int k);
extern bool lt_gp_asked(const char *s, const LtSentence *st, int start);
extern const char *lt_context_name(LtContext c);

/* table.c */
extern bool lt_table_when_column(const char *s, int len, int p, LtTableMemo *tm);
extern int	lt_table_who(const char *s, int len, int p, LtTableMemo *tm);

/* columns.c */
extern bool lt_lab_value_at(const char *s, int len, int a, int b, double *val, int *vend);

/* dates.c */
extern int	lt_parse_date(const char *s, int len, int p, int year, int *end);
extern int	lt_letter_date(const char *s, int len);
extern int	lt_seen_date(const char *s, int len);
extern int	lt_year_of_day(int n);
extern int	lt_date_urgency(int dated, int due);

/* kin.c */
extern bool lt_kin_as_name(const char *s, int a, int b, int lo);
extern bool lt_kin_told_of_patient(const char *s, int a, int b, int lo, int hi, int *teller_at);
extern bool lt_kin_telling(const char *s, int a, int b);
/* in lt_kin_writer()'s value: the writer is a caller a message reports ("Caller: Sharon Peters (daughter)") */
#define LT_KIN_CALLER (1 << 12)
extern int	lt_kin_writer(const char *s, int len);
extern bool lt_kin_writers_own(const char *s, int a, int b, int lo, int hi, int writer);
extern bool lt_kin_named_death(const char *s, int start, int lo);
extern bool lt_kin_named_subject(const char *s, int start, int lo);
extern bool lt_kin_word(const char *s, int a, int b);
extern bool lt_kin_named_patient(const char *s, int a, int b, int lo, int hi);
extern bool lt_kin_is_writer(const char *s, int a, int b, int lo, int hi);
extern bool lt_kin_notified(const char *s, int a, int b, int lo, int hi);
extern bool lt_kin_asked_for(const char *s, int a, int b, int lo, int hi);
extern bool lt_kin_told_lately(const char *s, int a, int b, int lo, int hi);
extern bool lt_kin_writer_is_patient(LtAnalysis *an);

/* deathword.c */
extern const char *lt_death_not_said(LtAnalysis *an, int start, int end, int lo, int hi);

/* calls.c */
extern const char lt_call_source[];
extern bool lt_call_to_relative(const LtAnalysis *an, const LtMatch *mt, int *vstart);
extern bool lt_call_to_family(const LtAnalysis *an, const LtMatch *mt);
extern bool lt_call_asked(LtAnalysis *an, const LtMatch *mt);
extern bool lt_call_wanted(const LtAnalysis *an, const LtMatch *mt);
extern bool lt_found_dead(const char *s, int start, int lo);
extern const char lt_red_flag_source[];
extern void lt_red_flags_judge(LtAnalysis *an);
extern void lt_labs_judge(LtAnalysis *an);

/* aside.c */
extern int	lt_field_label_value(const char *s, int len, int start, int end);
extern bool lt_label_says_none(const char *s, int len, int start, int end);
extern bool lt_answered_no(const char *s, int len, int end);
extern bool lt_in_copy_list(const char *s, int start);
extern bool lt_to_consider(const char *s, int start, int lo);
extern bool lt_number_to_call(const char *s, int len, int end);
extern bool lt_condition_after(const char *s, int end, int hi);
extern bool lt_test_follows(const char *s, int len, int end);
extern LtContext lt_red_flag_context(const LtAnalysis *an, int k, int start, int end, LtContext ctx);
extern bool lt_red_flag_holds(const LtAnalysis *an, int k, int start, int end, int aux);

/* analyse.c */
extern void lt_analyse(const LtRuleSet *rs, const char *text, int len,
					   bool db_encoding, LtAnalysis *an);

/* urgency.c */
extern void lt_raise_urgencies(const LtRuleSet *rs, LtAnalysis *an);

/* report.c */
extern bool lt_is_report(const LtRuleSet *rs, const LtAnalysis *an);
extern void lt_act_on_result(LtAnalysis *an, bool report);
/* How abnormal a result row's value is (lt_table_words) */
#define LT_RESULT_NORMAL 0
#define LT_RESULT_OUT 1			/* out of its range, or flagged */
#define LT_RESULT_FAR 2			/* far out, flagged critical, or halved or doubled */
extern int	lt_table_words(const LtAnalysis *an, int *abnormal);

/* verdict.c */
extern void lt_verdict(const LtRuleSet *rs, const LtAnalysis *an,
					   const char *kind, const char *subject, LtTriageResult *out);
extern char *lt_hit_text(const LtAnalysis *an, const LtHit *h, int max);

/* frame_index.c */
extern void lt_frames_index(const LtAnalysis *an, LtFrameIndex *fx);
extern int	lt_frames_nearest(const LtAnalysis *an, const LtFrameIndex *fx, const LtHit *h);
extern int	lt_frame_after(const LtAnalysis *an, const LtFrameIndex *fx, const LtHit *h);

/* recognise.c: the recognisers' words, which ruleset.c adds to every rule set, and the recognisers */
typedef void (*LtBuiltinSink) (void *arg, const char *pattern, LtBuiltin what, int urgency, int aux);
extern void lt_red_flag_words(LtBuiltinSink sink, void *arg);
extern void lt_builtin_words(LtBuiltinSink sink, void *arg);
extern const char *lt_lab_name(LtLab lab);
extern int	lt_lab_urgency(int lab);
extern bool lt_weekday_at(const char *s, int a, int b);
extern int	lt_parse_timeframe(const char *s, int len, int us, int ue, int hours, int *fstart,
							   LtTableMemo *tm);
extern int	lt_supply_urgency(const char *s, int lo, int start);
extern bool lt_parse_lab_value(const char *s, int len, int from, double *val, int *vend);
extern bool lt_lab_critical(int lab, double v, const char *s, int len, int ve);
extern bool lt_long_ago(const char *s, int lo, int hi);
extern bool lt_drug_follows(const char *s, int len, int p, int words);
extern bool lt_drug_near(const char *s, int len, int a, int b, int words);

#endif							/* LETTERS_TRIAGE_CORE_H */
