/*
 * redflag.c — symptoms that need a clinician the same day, told by the
 * patient, a relative or a carer who asks the practice for help.
 *
 * "My dad's face looks droopy on one side and his speech is slurred. Do I
 * need to bring him in?", "my chest is really tight and my blue inhaler isn't
 * helping, can a doctor ring me back": the ask names no time, yet a careful
 * GP acts on it the same day.  The symptom, affirmed and present (not "no
 * chest pain", not "if he becomes drowsy", not "in 2019"), is read as a
 * review of the patient asked for today, but only in a short message that
 * asks for help: a question to the practice or "please help".  A clinical
 * letter telling of the same symptom in its history ("admitted with slurred
 * speech") asks nothing of the GP by it, and its own requests say how soon.
 * The phrases are the lay and clinical wordings of the NHS's emergency
 * signs (stroke, breathing, sepsis and meningitis in children, bleeding,
 * overdose and self-harm, urinary retention); each stays explainable by
 * evidence() as a "red flag".
 */
#include "postgres.h"

#include "core.h"

const char	lt_red_flag_source[] = "red flag";

/* The longest message read as news that asks for help without saying so (bytes). */
#define LT_RED_FLAG_OWN_BYTES 300

/* How far around a red flag a condition is looked for (bytes). */
#define LT_RED_FLAG_LOOK 160

/* The longest message read as one person asking for help (bytes). */
#define LT_RED_FLAG_MAX_BYTES 1600

static const char *const red_flags[] = {
	/* a caller who asks whether to call an ambulance has an emergency in front of them */
	"should i call 999", "should i ring 999", "shall i call 999", "shall i ring 999", "do i need to call 999",
	"should we call 999", "should we ring 999", "should i call an ambulance", "shall i call an ambulance",
	"should we call an ambulance", "do i call 999", "do i call an ambulance",
	/* stroke */
	"face drooping", "face is drooping", "face has dropped", "face looks droopy", "droopy on one side",
	"drooping on one side", "slurred speech", "speech is slurred", "speech was slurred", "slurring her words",
	"slurring his words", "slurring my words", "can't lift her arm", "can't lift his arm", "cannot lift her arm",
	"cannot lift his arm", "weakness down one side", "weak down one side", "numb down one side",
	"facial droop", "droop on the left", "droop on the right", "face is droopy", "mouth is drooping",
	"mouth drooping", "mouth has dropped", "speech went funny", "speech has gone funny",
	/* a sudden severe headache */
	"worst headache of my life", "worst headache of her life", "worst headache of his life",
	"worst headache ever", "thunderclap headache", "sudden severe headache",
	/* breathing */
	"can't catch her breath", "can't catch his breath",
	"can't catch my breath", "struggling for breath", "fighting for breath",
	"lips are blue", "lips look blue", "lips have gone blue", "lips going blue", "lips are going blue",
	"turning blue", "going blue", "chest is really tight",
	"chest is very tight", "inhaler isn't helping", "inhaler isnt helping", "inhaler is not helping",
	"inhaler not helping", "inhaler isn't working", "inhaler isnt working",
	/* chest pain now */
	"band across his chest", "band across her chest", "band across my chest", "band around his chest",
	"band around her chest", "band around my chest", "band round his chest", "band round her chest",
	"band round my chest",
	"crushing chest pain", "chest pain going down", "pain going down my arm", "pain going down his arm",
	"pain going down her arm", "pain spreading to my jaw", "pain spreading to his jaw",
	"crushing central chest pain", "central crushing chest pain", "pain going down left arm",
	"pain going down my left arm", "pain going down his left arm", "pain going down her left arm",
	"radiating to jaw", "radiating to the jaw", "radiating to my jaw", "radiating to his jaw",
	"radiating to her jaw", "going into my jaw", "my chest hurts so much", "grey and sweaty",
	"sweaty and grey", "grey and clammy", "cold and clammy", "left arm is numb", "left arm has gone numb",
	"arm has gone numb",
	/* a child or adult with sepsis or meningitis */
	"very floppy", "is floppy", "gone floppy", "and floppy", "floppy and", "don't go when i press",
	"dont go when i press", "doesn't go when i press", "press a glass", "rash doesn't go away when", "rash doesn't fade", "rash that doesn't fade",
	"rash does not fade", "doesn't fade under a glass", "non-blanching", "stiff neck", "hard to wake",
	"won't wake up", "can't wake her", "can't wake him", "not making sense",
	"new confusion", "suddenly confused", "having a fit", "had a fit", "is fitting", "been fitting",
	"he's fitting", "she's fitting", "started fitting", "keeps fitting", "still fitting",
	/* bleeding */
	"vomiting blood", "being sick blood", "sick with blood", "coughing up blood", "black tarry",
	"throwing up blood", "sicking up blood", "vomited blood", "vomiting up blood", "haematemesis",
	"hematemesis",
	"blood in his vomit", "blood in her vomit", "blood in my vomit",
	/* overdose and self-harm */
	"taken an overdose", "took an overdose", "has overdosed", "ate some of my tablets",
	"swallowed some tablets", "swallowed some of", "taken too many tablets", "took too many tablets",
	"wants to end his life", "wants to end her life", "want to end my life", "going to kill myself",
	"going to kill himself", "going to kill herself", "feeling suicidal", "feels suicidal",
	"don't want to be here anymore", "dont want to be here anymore", "don't want to be here any more",
	"dont want to be here any more", "doesn't want to be here anymore", "doesnt want to be here anymore",
	"doesn't want to be here any more", "doesnt want to be here any more", "saving my tablets",
	"saving up my tablets", "saving his tablets", "saving her tablets", "end it all",
	"kill myself", "feel suicidal", "took an od", "taken an od", "had an od", "end my life", "plan to end", "plans to end", "take my own life", "take his own life",
	"take her own life", "want to die", "wants to die",
	/* urinary retention */
	"hasn't passed urine", "hasnt passed urine", "has not passed urine", "can't pass urine",
	"cannot pass urine", "can't pass water", "unable to pass urine", "haven't been able to pass urine",
	"hasn't been able to pass urine", "havent been able to pass urine", "not able to pass urine",
	"not passed urine", "urine not passed", "can't wee", "cannot wee", "not had a wee", "haven't had a wee",
	/* overdose, in lay words */
	"taken all my tablets", "took all my tablets", "taken all of my tablets", "taken all her tablets",
	"took all her tablets", "taken all his tablets", "took all his tablets", "taken a whole packet",
	"took a whole packet", "swallowed a whole packet", "taken a packet of", "took a packet of",
	"taken all my pills", "took all my pills", "taken all her pills", "taken all his pills",
	"taken a load of", "took a load of", "taken loads of", "took loads of",
	"paracetamol overdose", "overdose of paracetamol", "overdosed on",
	/* a baby's breathing; a baby in the womb moving less */
	"grunting", "sucking in under", "reduced fetal movements", "reduced foetal movements",
	"baby hasn't moved", "baby has not moved", "baby not moving", "not felt the baby move",
	"baby isn't moving", "baby is not moving", "neutropenic",
	/* swelling of the lips, tongue or throat (angioedema, anaphylaxis) */
	"tongue is swollen", "tongue really swollen", "tongue is really swollen", "swollen tongue",
	"tongue swelling", "tongue has swollen", "lips and tongue", "lips are swollen", "lips really swollen",
	"face and lips swollen", "throat is swelling", "throat swelling", "throat is closing", "throat feels tight",
	/* sight: flashing lights, a curtain, sudden loss (retina, pre-eclampsia, arteritis) */
	"flashing lights", "seeing flashes", "curtain over my eye", "curtain over his eye", "curtain over her eye",
	"lost the sight", "sudden loss of vision", "suddenly can't see", "suddenly cannot see",
	/* seeing what is not there: a delirium or a psychosis of new onset */
	"that aren't there", "that arent there", "who aren't there", "who arent there", "that are not there",
	"who are not there",
	/* bleeding from a catheter, or a catheter not draining */
	"blood in his catheter", "blood in her catheter", "blood in the catheter", "blood in my catheter",
	"catheter isn't draining", "catheter is not draining", "catheter not draining", "catheter has stopped draining",
	/* a collapse or breathing stopped */
	"not breathing", "isn't breathing", "isnt breathing", "stopped breathing", "unconscious",
	/* someone living alone not seen or not answering: a welfare check today */
	"no answer at the door", "not answering the door", "not answering her door", "not answering his door",
	"no answer when i knocked", "knocked and there's no answer", "knocked and there is no answer",
	"curtains have been shut", "curtains have been closed", "milk on the step", "milk on the doorstep",
	"post piling up", "post is piling up", "isn't answering the door", "hasn't answered the door",
	"haven't seen him for", "haven't seen her for", "milk is still on the step",
	/* a fall and cannot get up, a leg twisted */
	"can't get up", "cannot get up", "unable to get up", "leg looks twisted", "leg is twisted",
	/* drowsy, blue: a breathing failing */
	"lips look a bit blue", "lips are a bit blue", "can't keep his eyes open", "can't keep her eyes open",
	/* coffee-ground vomit, a board-like abdomen */
	"coffee granules", "coffee grounds", "coffee ground", "hard as a board", "doubled over",
	/* a bleed from the bowel, a hip broken, a rash that does not fade under a glass */
	"black, tarry", "black and tarry", "tarry stools", "melaena", "malaena", "put any weight on",
	"looks shorter than", "leg is shorter", "turned outwards", "externally rotated", "can't weight bear",
	"cannot weight bear", "unable to weight bear", "unable to bear weight", "cannot bear weight",
	"can't bear weight", "glass test", "tumbler test", "purple spots", "purple rash",
	/* tablets saved up for an overdose */
	"saving up his tablets", "saving up her tablets", "stockpiling his", "stockpiling her", "stockpiled",
	"saving up tablets", "been saving tablets", "saving up pills", "know what i'm going to do",
	"know what im going to do", "know what i am going to do",
	/* a cauda equina: numb in the saddle, the bladder or bowel not felt */
	"numbness between my legs", "numb between my legs", "numbness between her legs", "numbness between his legs",
	"numb between her legs", "numb between his legs", "saddle numbness", "saddle anaesthesia",
	"can't feel when i need to go", "cant feel when i need to go", "can't feel when she needs to go",
	"can't feel when he needs to go", "accidents with my wee", "lost control of my bladder",
	"lost control of his bladder", "lost control of her bladder",
	/* a stroke's weak arm, told with its side */
	"can't lift his right arm", "can't lift his left arm", "can't lift her right arm", "can't lift her left arm",
	"cannot lift his right arm", "cannot lift his left arm", "cannot lift her right arm",
	"cannot lift her left arm", "unable to lift his arm", "unable to lift her arm",
	/* no urine: a retention */
	"no urine output", "no urine since", "not passed any urine", "passed no urine", "no wee since",
	/* a confusion of new onset, told by a relative */
	"doesn't know who i am", "does not know who i am", "didn't know who i was", "doesn't recognise me",
	"does not recognise me", "didn't recognise me", "didnt know who i was", "doesnt know who i am",
	"didnt recognise me", "doesnt recognise me",
	/* an acute abdomen: a bowel obstructed, a peritonitis */
	"vomiting faeces", "faeculent vomit", "faeculent vomiting", "smells of faeces", "tummy is swollen and hard",
	"tummy is hard and swollen", "stomach is swollen and hard", "abdomen is swollen and hard",
	"abdomen is distended and tender", "rigid abdomen", "abdomen is rigid", "tummy is rigid",
	NULL
};

/*
 * Symptoms as often told of the past as of now ("chest pain", "collapsed"):
 * a red flag only when the sentence dates them to the last day ("chest pain
 * for the last hour", "he collapsed this morning").
 */
static const char *const red_flags_now[] = {
	"chest pain", "chest pains", "pain in my chest", "pain in his chest", "pain in her chest",
	"tight chest", "chest feels tight", "collapsed", "passed out", "blacked out",
	NULL
};

/*
 * A rash with a fever is a sign of sepsis or meningitis, to be seen the
 * same day whether or not it fades: a red flag when its sentence tells of
 * the fever ("his temp is 40.2 and he's got a rash").
 */
static const char *const febrile_rash[] = {"rash", "spots", "blotches", NULL};

/*
 * Vital signs told with their value: a red flag when the value is critical
 * (a pulse of 40 or less, or of 140 or more; an oxygen saturation of 85% or
 * less), as an early-warning score counts them: "I checked his pulse on my
 * blood pressure machine and it said 38".
 */
static const char *const pulse_words[] = {"pulse", "pulse rate", "heart rate", NULL};
/* and a slow rate told by its unit after the value: "keeps saying 35 beats a minute" */
static const char *const pulse_units[] = {"beats a minute", "beats per minute", "bpm", NULL};

/*
 * A pregnancy, new or suspected, in someone taking a medicine that harms it
 * (MHRA: valproate, methotrexate, isotretinoin, mycophenolate ...): to be
 * reviewed within a day or two, a red flag (urgent) when the message names
 * the medicine.
 */
static const char *const pregnant[] = {
	"might be pregnant", "may be pregnant", "could be pregnant", "think i'm pregnant", "think i am pregnant",
	"i'm pregnant", "i am pregnant", "positive pregnancy test", "pregnancy test was positive",
	"pregnancy test is positive", NULL
};
static const char *const teratogens[] = {
	"methotrexate", "valproate", "depakote", "epilim", "isotretinoin", "roaccutane", "mycophenolate",
	"warfarin", "topiramate", "leflunomide", "carbamazepine", "phenytoin", "acitretin", "thalidomide",
	"ribavirin", NULL
};

/*
 * Doses missed of a time-critical medicine (the NHS's list: antiepileptics,
 * insulin, Parkinson's medicines, anticoagulants, clozapine, steroid
 * replacement): a red flag when the sentence names the medicine ("he has not
 * been able to swallow any tablets since Wednesday, so he has missed his
 * levetiracetam").
 */
static const char *const doses_missed[] = {
	"missed his", "missed her", "missed doses", "missed dose", "missed several doses", "missed two doses",
	"missed three doses", "has missed", "have missed", "not been able to swallow",
	"not been able to take", NULL
};
static const char *const critical_drugs[] = {
	"levetiracetam", "valproate", "lamotrigine", "carbamazepine", "phenytoin", "clobazam", "insulin",
	"levodopa", "co-careldopa", "co careldopa", "co-beneldopa", "madopar", "sinemet", "apixaban", "rivaroxaban",
	"edoxaban", "dabigatran", "clozapine", "hydrocortisone", "tacrolimus", "epilepsy", "parkinson", NULL
};

/*
 * A head injury in someone on an anticoagulant: imaged within hours (NICE
 * NG232), a red flag when the message names the anticoagulant.
 */
static const char *const head_injury[] = {
	"hit his head", "hit her head", "hit my head", "banged his head", "banged her head", "banged my head",
	"bumped his head", "bumped her head", "head injury", "bump on her forehead", "bump on his forehead",
	"bump on her head", "bump on his head",
	/* and a bleed in someone on an anticoagulant */
	"nosebleed", "nose bleed", "nose bleeding", "blood from the nose", "blood from her nose",
	"blood from his nose", "bleeding gums", "gums are bleeding", "blood from her gum", "blood from his gum",
	"from her gum", "from his gum", NULL
};
static const char *const no_anticoagulant[] = {
	"not on any blood thinner", "not on blood thinner", "not on any anticoagul", "not anticoagulated",
	"no anticoagul", "no blood thinner", NULL
};
static const char *const anticoagulants[] = {
	"apixaban", "rivaroxaban", "edoxaban", "dabigatran", "warfarin", "eliquis", "xarelto", "lixiana",
	"pradaxa", "anticoagul", "blood thinner", NULL
};
static const char *const sats_words[] = {
	"sats", "spo2", "oximeter says", "oximeter reads", "oximeter is showing", "o2 sats", "oxygen saturation", "oxygen saturations", "oxygen level", "oxygen levels",
	"saturations", NULL
};

/*
 * Signs of a cancer that a GP refers within two weeks (NICE NG12), told by
 * the one who has them ("I've found a lump in my breast"): urgent, not
 * immediate, when they ask to be seen.  A clinician's "breast lump" is a
 * letter's subject, and its own requests say what to do.
 */
static const char *const cancer_signs[] = {
	"i found a lump", "i've found a lump", "i have found a lump", "i noticed a lump", "i've noticed a lump",
	"i have noticed a lump", "lump in my breast", "lump in my left breast", "lump in my right breast",
	"lump in my neck", "lump in my testicle", "lump on my testicle", "blood in my poo", "blood in my stool",
	"blood in my stools", "blood in my urine", "blood in my wee", "i've lost weight without trying",
	"i have lost weight without trying", "i'm losing weight without trying", "bleeding after my menopause",
	"food keeps getting stuck in my throat", "food is getting stuck in my throat",
	"blood when i cough", "blood when i'm coughing", "food has started sticking", "food sticking",
	"food keeps sticking", "sticking when i swallow",
	NULL
};

/*
 * Pale stools in someone jaundiced (a baby's biliary atresia, an adult's
 * obstructive jaundice): seen within a day or two.
 */
static const char *const pale_stools[] = {
	"pale stools", "pale stool", "pale poo", "pale poos", "pale poops", "putty-coloured", "putty coloured",
	"putty colored", "chalky stools", "white stools", "clay-coloured", "clay coloured", NULL
};
static const char *const jaundice[] = {"jaundice", "jaundiced", "yellow", NULL};

/*
 * A medicine taken once a week taken every day instead (methotrexate: the
 * NHS's never event of a daily dose), told with the tablets taken daily.
 */
static const char *const tablets_daily[] = {
	"tablets every day", "tablets each day", "every day since",
	"daily since", "taking them every day", "taking them daily", "tablets every morning", NULL
};
static const char *const weekly_drugs[] = {"methotrexate", "alendronic", "alendronate", NULL};

/*
 * A person who does not respond or cannot breathe, unless to a treatment or
 * through the nose ("acne not responding to topicals", "I can't breathe
 * through my nose").
 */
static const char *const unresponsive[] = {
	"not responding", "isn't responding", "is not responding", "can't breathe", "cannot breathe",
	"struggling to breathe", NULL
};

/* What is counted after "taken 30": tablets ("taken 30 paracetamol"). */
static const char *const tablets[] = {
	"tablets", "paracetamol", "paracetamols", "pills", "co-codamol", "codeine", "sleeping tablets", NULL
};

/* The fewest tablets taken at once that are an overdose to act on today. */
#define LT_RED_FLAG_DOSE_MIN 10

/*
 * Is a red flag at [start, end), in the sentence from lo, read as
 * hypothetical only for a hedge of doubt ("I think he might have had a
 * stroke, his face looks droopy"), not for a condition ("if his speech
 * becomes slurred, call 999")?  Doubt does not make a symptom wait.  A
 * bounded look: the words of the sentence within LT_RED_FLAG_LOOK bytes.
 */
static bool
red_flag_doubted(const char *s, int lo, int start, int end, int hi)
{
	static const char *const conditions[] = {
		"if", "should", "unless", "case", "when", "whenever", "becomes", "become", "develops", "develop",
		"worsens", "gets", "signs", "symptoms", "watch", NULL
	};
	int			p = Max(lo, start - LT_RED_FLAG_LOOK);

	while (p > lo && lt_is_word_byte((unsigned char) s[p - 1]) && p < start)
		p++;					/* from a word's start */
	return !lt_any_word_among(s, p, Min(hi, end + LT_RED_FLAG_LOOK), conditions);
}

/*
 * Is one of the words of list among the words of [lo, hi), not just after
 * one of the words of unless ("an hour ago" but not "10 years ago", "a
 * temperature" but not "no temperature")?
 */
static bool
word_not_after(const char *s, int lo, int hi, const char *const *list, const char *const *unless)
{
	int			p = lo,
				a,
				b,
				pa = -1,
				pb = -1;

	while (p < hi)
	{
		while (p < hi && !lt_is_word_byte((unsigned char) s[p]))
			p++;
		if (!lt_word_after(s, hi, p, &a, &b))
			break;
		if (lt_word_among(s, a, b, list) && !(pa >= 0 && lt_word_among(s, pa, pb, unless)))
			return true;
		pa = a;
		pb = b;
		p = b;
	}
	return false;
}

/*
 * Does the sentence [lo, hi) date what it tells within the last day ("an
 * hour ago", "since 10 mins ago", "since last night", "came on this
 * morning")?  A red flag that began so is still going on ("10 years ago"
 * is no such time).  A bounded look.
 */
static bool
lately(const char *s, int lo, int hi)
{
	static const char *const recent[] = {
		"minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "yesterday", "tonight",
		"morning", "afternoon", "evening", "night", "today", "lunch", "lunchtime", "teatime", NULL
	};
	static const char *const ago[] = {"ago", NULL};
	static const char *const long_units[] = {
		"days", "week", "weeks", "month", "months", "year", "years", "yrs", "wks", NULL
	};
	int			end = Min(hi, lo + 4 * LT_RED_FLAG_LOOK);

	return lt_any_word_among(s, lo, end, recent) || word_not_after(s, lo, end, ago, long_units);
}

/*
 * Does the sentence [lo, hi) tell of a fever ("temp 40.2", "a high
 * temperature"), not deny one ("no temperature", "not feverish",
 * "afebrile")?  A bounded look.
 */
static bool
feverish(const char *s, int lo, int hi)
{
	static const char *const fever[] = {
		"temp", "temperature", "temps", "fever", "feverish", "febrile", "pyrexial", "pyrexia", NULL
	};
	static const char *const denied[] = {"no", "not", "without", "nil", "normal", NULL};
	static const char *const afebrile[] = {"afebrile", NULL};
	int			end = Min(hi, lo + 4 * LT_RED_FLAG_LOOK);

	return !lt_any_word_among(s, lo, end, afebrile) && word_not_after(s, lo, end, fever, denied);
}

/*
 * The context of a red flag: a relative or a carer tells of the patient's
 * symptom ("my dad's face looks droopy"), perhaps in doubt ("I think he
 * might have had a stroke"), or since a time of the last day ("worst
 * headache of my life came on an hour ago"); all are the patient's, now.
 */
LtContext
lt_red_flag_context(const LtAnalysis *an, int k, int start, int end, LtContext ctx)
{
	const LtSentence *st = &an->sentences[k];

	if (ctx == LT_CTX_OTHER ||
		(ctx == LT_CTX_HYPOTHETICAL && red_flag_doubted(an->doc.s, st->start, start, end, st->end)) ||
		(ctx == LT_CTX_HISTORICAL && lately(an->doc.s, st->start, st->end)))
		return LT_CTX_AFFIRMED;
	return ctx;
}

/*
 * Are tablets at start counted as taken at once: a number of at least
 * LT_RED_FLAG_DOSE_MIN just before, and "taken", "took" or "swallowed"
 * before it ("she's taken 30 paracetamol", "took about 20
 * tablets", "took about 20 of her paracetamol")?
 */
static bool
dose_taken(const char *s, int start, int lo)
{
	static const char *const taken[] = {"taken", "took", "swallowed", NULL};
	static const char *const about[] = {"about", "around", "over", "like", NULL};
	static const char *const owners[] = {"her", "his", "my", "their", "your", NULL};
	int			a,
				b,
				n = 0;

	if (!lt_word_before(s, start, &a, &b) || a < lo)
		return false;
	/* "took about 20 of her paracetamol" */
	if (lt_word_among(s, a, b, owners) &&
		(!lt_word_before(s, a, &a, &b) || a < lo || !lt_word_is(s, a, b, "of") || !lt_word_before(s, a, &a, &b)))
		return false;
	if (a < lo || b - a > 4)
		return false;
	for (int p = a; p < b; p++)
	{
		if (!lt_is_digit((unsigned char) s[p]))
			return false;
		n = n * 10 + (s[p] - '0');
	}
	if (n < LT_RED_FLAG_DOSE_MIN || !lt_word_before(s, a, &a, &b) || a < lo)
		return false;
	if (lt_word_among(s, a, b, about) && (!lt_word_before(s, a, &a, &b) || a < lo))
		return false;			/* "took about 20 tablets" */
	return lt_word_among(s, a, b, taken);
}

/* The number just before the unit at p ("35 beats a minute", "160 bpm"), within the sentence from lo. */
static bool
value_before(const char *s, int lo, int p, double *v)
{
	char		buf[16];
	int			q = p,
				d;

	while (q > lo && s[q - 1] == ' ')
		q--;
	d = q;
	while (d > lo && (lt_is_digit((unsigned char) s[d - 1]) || s[d - 1] == '.') && q - d < 6)
		d--;
	if (d == q || (d > lo && lt_is_word_byte((unsigned char) s[d - 1])))
		return false;
	memcpy(buf, s + d, q - d);
	buf[q - d] = '\0';
	*v = strtod(buf, NULL);
	return true;
}

/* Is [a, b) a month's name or its first three letters ("Jan", "January")? */
static bool
month_word(const char *s, int a, int b)
{
	static const char *const months[] = {
		"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
	};

	if (b - a < 3)
		return false;
	for (int m = 0; months[m]; m++)
		if (pg_strncasecmp(s + a, months[m], 3) == 0)
			return true;
	return false;
}

/*
 * The value told of a vital sign whose word ends at p, the first number
 * within 60 bytes before hi ("pulse 38", "his pulse ... it said 38 and then
 * 41", "sats 84%"); not a time ("pulse checked 2 hours ago") nor a blood
 * pressure's ratio ("BP 98/60").
 */
static bool
vital_value(const char *s, int hi, int p, double *v)
{
	int			lim = Min(hi, p + 60);
	int			a,
				b;

	for (int q = p; q < lim; q++)
	{
		char		buf[16];
		int			n = 0;
		int			e = q;

		if (!lt_is_digit((unsigned char) s[q]))
			continue;
		if (q > 0 && (s[q - 1] == '/' || lt_is_word_byte((unsigned char) s[q - 1])))
			return false;		/* "SpO2 ..." is a word, not a value */
		while (e < hi && n < 15 && (lt_is_digit((unsigned char) s[e]) || s[e] == '.'))
			buf[n++] = s[e++];
		buf[n] = '\0';
		if (e < hi && (s[e] == '/' || s[e] == '-'))
			return false;		/* "98/60", "28-31 January": a ratio, a range */
		if (lt_word_before(s, q, &a, &b) && a >= p &&
			(lt_word_is(s, a, b, "around") || lt_word_is(s, a, b, "on") || lt_word_is(s, a, b, "by") ||
			 lt_word_is(s, a, b, "in") || lt_word_is(s, a, b, "within")))
			return false;		/* a date or a time, not a reading */
		if (lt_word_after(s, hi, e, &a, &b) && month_word(s, a, b))
			return false;
		if (lt_word_after(s, hi, e, &a, &b) &&
			(lt_word_is(s, a, b, "hours") || lt_word_is(s, a, b, "hour") || lt_word_is(s, a, b, "days") ||
			 lt_word_is(s, a, b, "day") || lt_word_is(s, a, b, "weeks") || lt_word_is(s, a, b, "minutes") ||
			 lt_word_is(s, a, b, "mins") || lt_word_is(s, a, b, "years") || lt_word_is(s, a, b, "months")))
			return false;
		*v = strtod(buf, NULL);
		return true;
	}
	return false;
}

/*
 * Does the red flag of kind aux at [start, end), in sentence k, hold:
 * always, but a symptom as often of the past only when dated to the last
 * day, tablets only when counted as taken, a rash only with a fever, and
 * "not responding", "can't breathe" only when not "to" or "through"
 * something?
 */
bool
lt_red_flag_holds(const LtAnalysis *an, int k, int start, int end, int aux)
{
	const LtSentence *st = &an->sentences[k];

	if (aux == LT_RED_FLAG_NOW)
		return lately(an->doc.s, st->start, st->end);
	if (aux == LT_RED_FLAG_DOSE)
		return dose_taken(an->doc.s, start, st->start);
	if (aux == LT_RED_FLAG_FEVER)
		return feverish(an->doc.s, st->start, st->end);
	if (aux == LT_RED_FLAG_ANTICOAG)
		return lt_said_once(&an->reads->anticoagulant, an->doc.s, an->doc.len, anticoagulants) &&
			!lt_said_once(&an->reads->no_anticoagulant, an->doc.s, an->doc.len, no_anticoagulant);
	if (aux == LT_RED_FLAG_TERATOGEN)
		return lt_said_once(&an->reads->teratogen, an->doc.s, an->doc.len, teratogens);
	if (aux == LT_RED_FLAG_JAUNDICE)
		return lt_said_once(&an->reads->jaundice, an->doc.s, an->doc.len, jaundice);
	if (aux == LT_RED_FLAG_WEEKLY_DRUG)
		return lt_said_once(&an->reads->weekly_drug, an->doc.s, an->doc.len, weekly_drugs);
	if (aux == LT_RED_FLAG_CRITICAL_DRUG)
		return lt_sentence_says(an, &an->reads->critical, k, critical_drugs);
	if (aux == LT_RED_FLAG_PULSE_AFTER)
	{
		double		v;

		/* a slow one only: "runs up to 190 bpm" is a monitor's report */
		return value_before(an->doc.s, st->start, start, &v) && v >= 10 && v <= 40;
	}
	if (aux == LT_RED_FLAG_PULSE || aux == LT_RED_FLAG_SATS)
	{
		double		v;

		if (!vital_value(an->doc.s, st->end, end, &v))
			return false;
		return aux == LT_RED_FLAG_PULSE ? ((v >= 10 && v <= 40) || (v >= 140 && v < 300)) :
			(v >= 40 && v <= 85);
	}
	if (aux == LT_RED_FLAG_PERSON)
	{
		int			a,
					b;

		return !(lt_word_after(an->doc.s, st->end, end, &a, &b) &&
				 (lt_word_is(an->doc.s, a, b, "to") || lt_word_is(an->doc.s, a, b, "through")));
	}
	return true;
}

/* Register the red flags with the built-in recognisers (recognise.c). */
void
lt_red_flag_words(LtBuiltinSink sink, void *arg)
{
	static const struct
	{
		const char *const *words;
		int			urgency;
		int			aux;		/* what lt_red_flag_holds checks of them */
	}			groups[] =
	{
		{red_flags, LT_URGENCY_IMMEDIATE, 0},
		{red_flags_now, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_NOW},
		{tablets, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_DOSE},
		{unresponsive, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_PERSON},
		{febrile_rash, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_FEVER},
		{pregnant, LT_URGENCY_URGENT, LT_RED_FLAG_TERATOGEN},
		{doses_missed, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_CRITICAL_DRUG},
		{head_injury, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_ANTICOAG},
		{pulse_units, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_PULSE_AFTER},
		{pulse_words, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_PULSE},
		{sats_words, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_SATS},
		{cancer_signs, LT_URGENCY_URGENT, 0},
		{pale_stools, LT_URGENCY_URGENT, LT_RED_FLAG_JAUNDICE},
		{tablets_daily, LT_URGENCY_IMMEDIATE, LT_RED_FLAG_WEEKLY_DRUG},
	};

	for (int g = 0; g < (int) lengthof(groups); g++)
		for (int i = 0; groups[g].words[i]; i++)
			sink(arg, groups[g].words[i], LT_BI_REDFLAG, groups[g].urgency, groups[g].aux);
}

/* Does the message cry for help in so many words ("please help", "what should I do")? */
static bool
cries_for_help(const char *s, int len)
{
	static const char *const cries[] = {
		"please help", "pls help", "what should i do", "what do i do", "what shall i do", "need help",
		"need advice", "really worried about", "very worried about", "so worried about", NULL
	};

	return lt_says_any(s, len, cries);
}

/*
 * Does the message ask someone to come or act, without a question mark
 * ("could the district nurse come and look at it", "can someone ring me")?
 * A relative's list of needs asks the practice for help.
 */
static bool
asks_someone(const char *s, int len)
{
	static const char *const asks[] = {
		"could the", "can the", "could you", "can you", "could someone", "can someone", "could somebody",
		"please could", "please can", "wants to know", "would like to know", "appreciate advice",
		"advice from the gp", "advice from a doctor", "would like advice", "for follow-up", "for follow up",
		"please follow up", "for a doctor to", "for the doctor to", "for a gp to", "for the gp to",
		"for someone to", NULL
	};

	return lt_says_any(s, len, asks);
}

/*
 * Does the message say it asks the practice nothing ("for information only",
 * "no action is required by the practice")?  A service that has already
 * sent the ambulance tells the practice of the chest pain; it does not ask.
 */
static bool
asks_nothing(const char *s, int len)
{
	static const char *const nothing[] = {
		"for information only", "for your information only", "no action is required", "no action required",
		"no action is needed", "no action needed", "no further action is required", "no call back needed",
		"no need to call", "please ignore", "no action.", NULL
	};

	return lt_says_any(s, len, nothing);
}

/*
 * Does the message tell of the care a symptom has had ("Admitted with
 * vomiting blood, discharged home", "ED: collapsed yesterday, CT head
 * normal", "catheterised in ED", "see and treat")?  Then it is a report of
 * what was done, not news to act on.  (Not "ambulance" or "A&E": a refusal
 * to go, or advice to, is no care given.)
 */
static bool
care_given(const char *s, int len)
{
	static const char *const care[] = {
		"discharged", "admitted", "attended", "treated", "conveyed", "catheteris", "catheteriz", "seen in",
		"seen at", "taken to hospital", "transferred", "resus", "ogd", "troponin", "ct head", "see and treat",
		"see & treat", "on scene", "resolution", "resolved", "went to a&e", "went to a+e", "went to the a&e",
		"went to hospital", "sent me home", "sent him home", "sent her home", "seen on the", "medically fit",
		"scan was clear", "ct was clear", "x-ray was clear", "were clear", "straight to a&e", "found him fine",
		"found her fine", "normal for him", "normal for her", "paramedics came", "paramedics attended",
		"ambulance came", "ecg was normal", "ecg which was normal", "at minor injuries", "x-ray was fine", NULL
	};

	return lt_says_any(s, len, care);
}

/*
 * Is the message short, does it ask the practice something (an action
 * asked, a question, a cry for help, or a few lines of news), and not say
 * it asks nothing, nor tell of the care the symptoms have had, nor that the
 * one who has them is not the practice's patient?
 */
static bool
asks_for_help(LtAnalysis *an)
{
	bool		asks = false;

	static const char *const someone_else[] = {
		"not your patient", "isn't your patient", "is not your patient", "not registered with you", NULL
	};

	if (an->doc.len > LT_RED_FLAG_MAX_BYTES || asks_nothing(an->doc.s, an->doc.len) ||
		care_given(an->doc.s, an->doc.len) || lt_says_any(an->doc.s, an->doc.len, someone_else))
		return false;
	for (int i = 0; i < an->nhits && !asks; i++)
		asks = an->hits[i].counted && an->hits[i].action >= 0 && an->hits[i].source != lt_red_flag_source;
	for (int k = 0; k < an->nsentences && !asks; k++)
		asks = lt_sentence_asks(an, k);
	/*
	 * a few lines that tell of a red flag ("Vomiting blood since this
	 * morning.", "my 2 year old has a rash that doesn't fade", "Patient
	 * rang: crushing central chest pain"), sent to the practice, ask for
	 * help without saying so
	 */
	return asks || memchr(an->doc.s, '?', an->doc.len) != NULL || cries_for_help(an->doc.s, an->doc.len) ||
		asks_someone(an->doc.s, an->doc.len) || an->doc.len <= LT_RED_FLAG_OWN_BYTES;
}

/*
 * Is sentence k a caller's wish as a message taker writes it down ("He
 * asked for an appt tomorrow morning as she doesn't want to make a fuss")?
 * The time in it is what the patient or a relative would like, not a
 * clinician's judgement of the symptoms.
 */
static bool
callers_wish(const LtAnalysis *an, int k)
{
	static const char *const wish[] = {
		"asked for an app", "asking for an app", "asks for an app", "wants an app", "would like an app",
		"requesting an app", "make a fuss", "to bother", NULL
	};

	return lt_sentence_says(an, &an->reads->wish, k, wish);
}

/*
 * The urgencies (bits) of the times of a day or two the message gives for
 * what it asks ("could a GP visit her tomorrow"; not "he has a plan for
 * when his flatmate goes away on Friday").  That is the writer's judgement
 * of the symptoms they describe: a red flag more urgent than it does not
 * count; a time of the same day ("since this morning") agrees with it.  A
 * week or more ("could you see me after next week?") is no judgement of a
 * red flag: a GP acts on vomiting blood today whatever appointment is asked
 * for.
 */
static uint32
times_given(const LtAnalysis *an)
{
	bool	   *asks = palloc0(sizeof(bool) * (an->nsentences + 1));
	uint32		given = 0;

	/* the sentences that ask something of their own (not a red flag) */
	for (int i = 0; i < an->nhits; i++)
		if (an->hits[i].counted && an->hits[i].action >= 0 && an->hits[i].source != lt_red_flag_source &&
			an->hits[i].sentence >= 0 && an->hits[i].sentence < an->nsentences)
			asks[an->hits[i].sentence] = true;
	for (int i = 0; i < an->nhits; i++)
	{
		const LtHit *h = &an->hits[i];

		if (h->counted && h->action < 0 && h->source != NULL && strcmp(h->source, "time frame") == 0 &&
			h->urgency >= LT_URGENCY_URGENT && !callers_wish(an, h->sentence) &&
			(h->agent == LT_MOD_REQUEST || (h->sentence >= 0 && h->sentence < an->nsentences &&
											 asks[h->sentence])))
			given |= 1u << h->urgency;
	}
	pfree(asks);
	return given;
}

/*
 * After the hits are judged: a red flag counts only in a message that asks
 * for help; elsewhere it is told, not asked.
 */
void
lt_red_flags_judge(LtAnalysis *an)
{
	int			asks = -1;
	uint32		given = 0;

	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (!h->counted || h->source != lt_red_flag_source)
			continue;
		if (asks < 0)
		{
			asks = asks_for_help(an) ? 1 : 0;
			given = times_given(an);
		}
		/* a time given less urgent than the red flag holds it back */
		if (!asks || (given & ((1u << h->urgency) - 1)) != 0)
		{
			h->counted = false;
			h->why = "a symptom told, no help asked, or a time given";
		}
	}
}

/*
 * A critical laboratory value in a letter sent for information only that
 * tells of the care it has had ("phoned to the OOH GP ... sent to ED by
 * ambulance, admitted; copy to registered GP for information only") has
 * been acted on: it is reported, not asked.
 */
void
lt_labs_judge(LtAnalysis *an)
{
	int			acted = -1;

	for (int i = 0; i < an->nhits; i++)
	{
		LtHit	   *h = &an->hits[i];

		if (!h->counted || h->source == NULL || strcmp(h->source, "lab value") != 0)
			continue;
		if (acted < 0)
			acted = (asks_nothing(an->doc.s, an->doc.len) && care_given(an->doc.s, an->doc.len)) ? 1 : 0;
		if (acted)
		{
			h->counted = false;
			h->why = "a critical value already acted on, sent for information";
		}
	}
}
