#!/usr/bin/perl
# test/gen/letters.pl — a synthetic letter flow from an NHS trust to GP practices.
#
#   perl test/gen/letters.pl [--seed N] [--weeks N] [--start YYYY-MM-DD]
#                            [--practices N] [--per-week N] [--format csv|copy]
#
# Writes one row per letter on stdout, ordered by creation time:
#
#   id, created, sent, practice, nhs_number, kind, urgency, actions, letter
#
#   id          1, 2, 3 ... in order of creation
#   created     when the trust's system created the letter (Europe/London, with offset)
#   sent        when a healthy sender would have sent it (the demo decides what really happens)
#   practice    the receiving GP practice's ODS code (one letter and five digits)
#   nhs_number  the patient's NHS number (ten digits, valid Modulus 11 check digit)
#   kind        discharge, outpatient, community, death or result
#   urgency     what the generator intended: routine, soon, urgent or immediate
#   actions     the GP actions it intended (semicolon-separated, in the order
#               death;medication;review;referral;test;safeguarding), empty = information only
#   letter      the whole letter text; about one letter in three starts with a header block
#
# Deterministic: the same options give byte-identical output (Perl's own
# drand48 is used, which is the same on every platform since Perl 5.20).  Core
# Perl only.  Every sentence comes from the phrase bank below, written for this
# project; traps (negation, safety-netting, family history, past events, place
# names, actions the hospital has already taken, requests made of the patient)
# are mixed into letters of every urgency and never change the intended urgency.
use strict;
use warnings;
use Getopt::Long;
use POSIX qw(floor);
use Time::Local qw(timegm);

my %opt = (
	seed => 1, weeks => 3, start => '2024-09-02', practices => 200,
	'per-week' => 3000, format => 'csv',
);
GetOptions(\%opt, 'seed=i', 'weeks=f', 'start=s', 'practices=i', 'per-week=i', 'format=s', 'help')
	or usage();
usage() if $opt{help};
usage("--format must be csv or copy") unless $opt{format} =~ /^(csv|copy)$/;
usage("--start must be YYYY-MM-DD") unless $opt{start} =~ /^(\d{4})-(\d\d)-(\d\d)$/;
usage("--practices must be 1..90000") unless $opt{practices} >= 1 && $opt{practices} <= 90000;
usage("--weeks and --per-week must be positive") unless $opt{weeks} > 0 && $opt{'per-week'} > 0;

sub usage {
	print STDERR "$_[0]\n" if @_;
	print STDERR "usage: perl test/gen/letters.pl [--seed N] [--weeks N] [--start YYYY-MM-DD] "
	  . "[--practices N] [--per-week N] [--format csv|copy]\n";
	exit 2;
}

srand($opt{seed});

# ---------------------------------------------------------------- random helpers
sub pick { $_[ int(rand(@_)) ] }
sub chance { rand() < $_[0] }
sub between { my ($lo, $hi) = @_; $lo + int(rand($hi - $lo + 1)) }

# weighted([item, weight], ...) -> item
sub weighted {
	my $total = 0;
	$total += $_->[1] for @_;
	my $r = rand($total);
	for (@_) { return $_->[0] if ($r -= $_->[1]) < 0 }
	return $_[-1][0];
}

# ---------------------------------------------------------------- identifiers
# An NHS number: nine digits and a Modulus 11 check digit (weights 10..2;
# check = 11 - sum mod 11, 11 becomes 0, 10 is impossible and redrawn).
sub nhs_number {
	while (1) {
		my @d = (between(4, 7), map { between(0, 9) } 1 .. 8);
		my $sum = 0;
		$sum += $d[$_] * (10 - $_) for 0 .. 8;
		my $check = 11 - $sum % 11;
		$check = 0 if $check == 11;
		next if $check == 10;
		return join('', @d, $check);
	}
}

# GP practices: an ODS code each, and a list size that makes some busier.
my @practices;
{
	my %seen;
	my @region = qw(A B C D E F G H J K L M N P Y);
	while (@practices < $opt{practices}) {
		my $code = pick(@region) . sprintf('%05d', between(1, 99999));
		next if $seen{$code}++;
		push @practices, [$code, 0.3 + rand() ** 2 * 3];
	}
}

# Patients: a pool that grows as letters are written; some get several letters.
my @patients;
sub patient {
	if (@patients < 50 || chance(0.7)) {
		my $p = {
			nhs => nhs_number(),
			sex => pick('m', 'f'),
			age => weighted([between(0, 17), 10], [between(18, 64), 40], [between(65, 102), 50]),
			practice => weighted(@practices),
		};
		push @patients, $p;
		return $p;
	}
	return $patients[int(rand(@patients))];    # (pick(@patients) would copy the pool)
}

# ---------------------------------------------------------------- time
my ($sy, $sm, $sd) = $opt{start} =~ /^(\d{4})-(\d\d)-(\d\d)$/;
my $t0 = timegm(0, 0, 0, $sd, $sm - 1, $sy);    # local midnight of the first day, as if UTC

# Europe/London: BST from 01:00 UTC on the last Sunday of March to 01:00 UTC
# on the last Sunday of October.  $local: seconds since the epoch of local time.
sub last_sunday { my ($y, $m) = @_;
	my $t = timegm(0, 0, 0, 31, $m - 1, $y);
	my $wd = (gmtime $t)[6];
	return $t - $wd * 86400;
}
sub bst_offset { my ($local) = @_;
	my $y = (gmtime $local)[5] + 1900;
	my $on = last_sunday($y, 3) + 3600;     # 01:00 UTC = 01:00 GMT local
	my $off = last_sunday($y, 10) + 7200;   # 01:00 UTC = 02:00 BST local
	return ($local >= $on && $local < $off) ? 1 : 0;
}
sub stamp { my ($local) = @_;
	my @g = gmtime $local;
	return sprintf('%04d-%02d-%02d %02d:%02d:%02d+%02d', $g[5] + 1900, $g[4] + 1, $g[3], $g[2], $g[1],
		$g[0], bst_offset($local));
}
sub date_words { my ($local) = @_;
	my @g = gmtime $local;
	my @mon = qw(January February March April May June July August September October November December);
	return sprintf('%d %s %d', $g[3], $mon[$g[4]], $g[5] + 1900);
}
sub clock { my ($local) = @_; my @g = gmtime $local; sprintf('%02d:%02d', $g[2], $g[1]) }

# Letters per weekday (Monday first) and per hour of the day, by kind.
my @day_weight = (1.18, 1.12, 1.08, 1.06, 1.0, 0.22, 0.16);
my @hour_office = (0, 0, 0, 0, 0, 0, 0, 0.2, 1.2, 2.4, 3.0, 2.8, 1.6, 1.8, 2.8, 2.9, 2.4, 1.4, 0.5, 0.2, 0.1, 0, 0, 0);
my @hour_ward = (0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.4, 2.0, 2.6, 2.8, 2.6, 2.4, 2.2, 2.0, 1.6, 1.2, 0.9, 0.7, 0.5, 0.4, 0.3);
my @kind_weekday = (['discharge', 29], ['outpatient', 42], ['community', 17], ['result', 10], ['death', 2]);
my @kind_weekend = (['discharge', 58], ['community', 27], ['result', 7], ['death', 8]);

# Intended urgency by kind: about one letter in ten urgent or immediate.
my %urgency_mix = (
	discharge  => [['routine', 62], ['soon', 29], ['urgent', 7], ['immediate', 2]],
	outpatient => [['routine', 68], ['soon', 26], ['urgent', 5], ['immediate', 1]],
	community  => [['routine', 64], ['soon', 28], ['urgent', 6], ['immediate', 2]],
	result     => [['routine', 50], ['soon', 35], ['urgent', 10], ['immediate', 5]],
	death      => [['immediate', 1]],
);

# ---------------------------------------------------------------- the phrase bank
my @towns = qw(Ashbury Kelford Brindlecombe Harrowfield Oakmere Stanwick Dunmoor Whitlow Castlebridge Fennington);
my %slot = (
	town => \@towns,
	ward => [qw(Beech Rowan Hazel Willow Cedar Larch Aspen Juniper Maple Holly)],
	gp => [qw(Ahmed Bennett Chowdhury Davies Evans Fraser Gill Hughes Iqbal Jones Kaur Lewis Morgan Nolan
	  Okafor Patel Quinn Roberts Shah Thomas Usman Vaughan Walsh Young)],
	clinician => ['Dr A. Mensah', 'Dr R. Kowalski', 'Dr S. Banerjee', 'Dr H. Lloyd', 'Dr F. Oduya', 'Ms K. Hart',
		'Mr J. Pearce', 'Dr T. Nakamura', 'Ms L. Farrow', 'Dr E. Sandoval', 'Mr D. Okoro', 'Ms P. Ferreira'],
	specialty => ['cardiology', 'respiratory', 'diabetes', 'gastroenterology', 'rheumatology', 'urology',
		'dermatology', 'neurology', 'orthopaedic', 'falls', 'frailty', 'heart failure', 'memory'],
	cancer => ['lower gastrointestinal', 'upper gastrointestinal', 'breast', 'lung', 'skin', 'head and neck',
		'urology', 'gynaecology', 'haematology'],
	finding => ['a change in bowel habit with iron deficiency anaemia', 'a new breast lump', 'unexplained weight loss',
		'a pigmented lesion that has changed shape', 'post-menopausal bleeding', 'haemoptysis in a smoker',
		'persistent hoarseness', 'visible haematuria', 'dysphagia to solids'],
	condition => ['community-acquired pneumonia', 'an infective exacerbation of COPD', 'a urinary tract infection',
		'a fall with a wrist fracture', 'cellulitis of the left leg', 'decompensated heart failure',
		'an acute kidney injury', 'new atrial fibrillation', 'a transient ischaemic attack', 'delirium',
		'hyperglycaemia', 'an upper gastrointestinal bleed', 'a hip fracture', 'chest pain (troponin negative)'],
	chronic => ['type 2 diabetes', 'hypertension', 'COPD', 'chronic kidney disease stage 3', 'osteoarthritis',
		'heart failure with reduced ejection fraction', 'asthma', 'hypothyroidism', 'Parkinson\'s disease',
		'vascular dementia'],
	drug => ['ramipril', 'bisoprolol', 'furosemide', 'apixaban', 'metformin', 'gliclazide', 'amlodipine',
		'atorvastatin', 'levothyroxine', 'sertraline', 'amitriptyline', 'omeprazole', 'lansoprazole',
		'co-codamol', 'prednisolone', 'doxycycline', 'spironolactone', 'allopurinol', 'warfarin', 'edoxaban'],
	reaction => ['angioedema', 'a widespread urticarial rash', 'symptomatic bradycardia', 'acute confusion',
		'hyponatraemia', 'a significant gastrointestinal bleed', 'severe hypoglycaemia'],
	test => ['full blood count', 'U&E', 'liver function tests', 'HbA1c', 'thyroid function tests', 'lipid profile',
		'bone profile', 'CRP', 'magnesium'],
	scan => ['chest X-ray', 'CT scan of the abdomen', 'ultrasound of the liver', 'echocardiogram', 'MRI of the spine'],
	symptom => ['breathlessness', 'ankle swelling', 'dizziness', 'chest tightness', 'palpitations', 'a productive cough',
		'low mood', 'poor appetite', 'intermittent confusion'],
	relative => ['father', 'mother', 'brother', 'sister', 'grandfather', 'aunt', 'uncle'],
	year => [2009 .. 2022],
	service => ['district nursing team', 'community matron', 'community podiatry service', 'tissue viability nurse',
		'community physiotherapy team', 'health visiting team', 'specialist palliative care team',
		'community heart failure nurse', 'wound clinic', 'intermediate care team'],
	verifier => ['the district nurse', 'the out-of-hours nurse practitioner', 'the hospice nurse',
		'the ward doctor', 'the community matron', 'a paramedic'],
	death_place => ['at home', 'on the ward', 'in the hospice', 'at the nursing home', 'in the community hospital'],
	n => [2 .. 9],
	days => [2 .. 14],
	dose => ['2.5 mg once daily', '5 mg once daily', '10 mg once daily', '20 mg once daily', '40 mg twice daily',
		'500 mg twice daily', '1 g twice daily'],
);

# A value of a slot not yet used in this sentence.
sub fresh {
	my ($list, $used) = @_;
	my $v = pick(@$list);
	for (1 .. 5) { last unless $used->{$v}; $v = pick(@$list) }
	$used->{$v} = 1;
	return $v;
}

# Pronouns follow the patient.
my %pron;
sub fill {
	my ($s) = @_;
	my %used;
	$s =~ s/\{(\w+)\}/
		exists $pron{$1} ? $pron{$1} :
		exists $slot{$1} ? fresh($slot{$1}, \%used) :
		die "unknown slot $1"/ge;
	$s =~ s/^(\w)/\u$1/;
	return $s;
}

# Openings by kind.
my %opening = (
	discharge => [
		'{He} was admitted to {ward} Ward on {adm} with {condition} and went home on {today}.',
		'Discharge summary. Admitted via the emergency department on {adm} with {condition}; discharged on {today}.',
		'Thank you for looking after this {man} who spent {n} days with us on {ward} Ward with {condition}.',
		'{He} was discharged from {town} Community Hospital today following rehabilitation after {condition}.',
	],
	outpatient => [
		'I reviewed this {age}-year-old {man} in the {specialty} clinic today.',
		'Thank you for referring {him} to the {specialty} clinic. I saw {him} on {today} with {his} {relative2}.',
		'{He} attended the {specialty} clinic for follow-up of {chronic}.',
		'I saw {him} today in the {specialty} outpatient clinic at {town}.',
	],
	community => [
		'The {service} visited {him} at home today.',
		'{He} was seen by the {service} on {today} for ongoing care of {chronic}.',
		'This is an update from the {service} following our visit this morning.',
		'{He} remains on the caseload of the {service}.',
	],
	result => [
		'The {test} taken in clinic on {adm} has now been reported.',
		'Result notification: {test} and {test} requested by our team.',
		'Please find below the results of the investigations we arranged for {him}.',
		'The {scan} requested by the {specialty} team has been reported.',
	],
	death => [
		'I am sorry to let you know that your patient died {death_place} on {today} at {time}.',
		'Notification of death: this {age}-year-old {man} died {death_place} on {today}.',
		'Verification of death. {His} death was verified by {verifier} at {time} on {today}; it was expected.',
		'We regret to inform you that {he} passed away {death_place} in the early hours of {today}.',
	],
);

# Clinical narrative that carries no GP action (fills letters to a realistic
# length): [kinds it suits, sentence].
my @narrative = (
	['.', '{He} has a background of {chronic} and {chronic}.'],
	['.', 'Current problems: {chronic}; {chronic}.'],
	['discharge|outpatient|community', 'On examination {he} was alert, with a pulse of {pulse} beats per minute and blood pressure {bp}.'],
	['discharge', '{His} observations were stable throughout the stay.'],
	['discharge|community', '{He} lives with {his} partner and is independent with personal care.'],
	['discharge|community', '{He} mobilises with a frame and has a package of care twice a day.'],
	['outpatient|community', 'We discussed the diagnosis at length and {he} was happy with the plan.'],
	['discharge', '{His} inflammatory markers settled with treatment.'],
	['discharge|outpatient|result', 'The {scan} showed no acute abnormality.'],
	['discharge', '{He} was seen by the physiotherapists, who were happy for {him} to go home.'],
	['outpatient|community', 'Weight today was {weight} kg, stable compared with the last visit.'],
	['outpatient|community', '{He} reports {symptom} on exertion, which is unchanged over the past year.'],
	['community', 'The wound on {his} left shin is healing well with no signs of infection.'],
	['discharge|community|outpatient', '{He} has capacity and agreed to the plan of care.'],
	['.', '{His} {test} was within normal limits.'],
	['discharge', '{He} completed a five-day course of antibiotics while with us.'],
	['outpatient', '{He} was given a single dose of intravenous iron in clinic.'],
	['discharge', 'Diagnosis: {condition}.'],
	['result', 'Haemoglobin {hb} g/L, white cell count {wcc}, platelets {plt}.'],
	['result', 'Creatinine {creat_ok} micromol/L, eGFR {egfr}.'],
	['death', '{He} had been known to the palliative care team for {n} months with {chronic}.'],
	['death', '{His} family were present and have been supported by the nursing staff.'],
	['death', 'The death was expected, and a DNACPR decision was in place.'],
	['death', '{He} had been receiving end of life care at home with a syringe driver.'],
	['death', 'There were no concerns about the circumstances of the death.'],
);
# Traps: words that look like actions or urgency but are not GP actions.
my @trap = (
	# negation
	'There are no safeguarding concerns.',
	'No medication changes were made during this admission.',
	'No urgent action is required from the practice.',
	'{He} denies chest pain, and there was no evidence of sepsis.',
	'There was no need to refer {him} on to the {specialty} team.',
	'We did not find any features to suggest cancer.',
	'Blood tests were not repeated as {he} was well.',
	# safety-netting, advice to the patient
	'If {his} symptoms worsen {he} should seek urgent medical advice or call 999.',
	'{He} knows to contact NHS 111 or attend A&E if the bleeding returns.',
	'We have advised {him} to return immediately if {he} develops {symptom}.',
	'Should the swelling increase {he} will telephone the ward for an urgent review.',
	# family history, other people
	'{His} {relative} died of a heart attack at the age of {oldage}.',
	'There is a family history of bowel cancer in {his} {relative}.',
	'{His} {relative} was recently referred for safeguarding support, which does not involve {him}.',
	'{His} partner passed away last spring and {he} now lives alone.',
	# past events
	'{He} had a safeguarding referral in {year}, which has since been closed.',
	'{He} was treated for a pulmonary embolism in {year} and completed anticoagulation then.',
	'A two-week-wait referral in {year} found no malignancy.',
	'{His} potassium was high during an admission in {year} but has been normal since.',
	# place names
	'{He} first attended the Urgent Treatment Centre at {town} two days before admission.',
	'{He} was transferred from the Same Day Emergency Care unit.',
	'{He} was brought to the Urgent Care Centre by {his} daughter.',
	# completed or owned by the hospital
	'We have referred {him} to the {specialty} team ourselves.',
	'We have arranged repeat bloods on the ward and will act on the results.',
	'The urgent CT scan has already been done and was normal.',
	'We will chase the outstanding {test} result and write to you if any action is needed.',
	'Our team has made a two-week-wait referral directly.',
	# requests of the patient, conditional or optional
	'{He} has been asked to book {his} own blood test with the phlebotomy service.',
	'Please consider a referral to the {specialty} team if concerns persist.',
	'{He} will make an appointment with the practice nurse for a routine dressing change.',
);

# GP actions: [urgency, actions, sentence].
my @actions = (
	# immediate
	['immediate', 'test', 'The potassium this morning was {k_high} mmol/L. Please contact {him} today to repeat the U&E and arrange an ECG.'],
	['immediate', 'test', 'Serum sodium was {na_low} mmol/L on this sample. Please review {him} and repeat the sodium today.'],
	['immediate', 'medication;test', 'The INR today is {inr_high}. Please withhold warfarin and recheck the INR today.'],
	['immediate', 'review', 'Please contact {him} today: {he} telephoned us reporting {symptom} and feeling much worse.'],
	['immediate', 'safeguarding', 'We are concerned that {he} is at immediate risk of harm at home; please liaise with the safeguarding team today.'],
	# urgent
	['urgent', 'referral', 'Please make a two-week-wait referral to the {cancer} team for {finding}.'],
	['urgent', 'referral', 'Please refer {him} urgently under the suspected cancer pathway; {he} has {finding}.'],
	['urgent', 'test', 'Please repeat the U&E within 48 hours as the creatinine rose to {creat} micromol/L.'],
	['urgent', 'test', 'Please check the INR in 2 days and adjust the dose accordingly.'],
	['urgent', 'medication', '{He} developed {reaction} on {drug1}: please stop {drug1} now and record it as an allergy.'],
	['urgent', 'review', 'Please see {him} in the practice within the next two working days to review {his} {symptom}.'],
	['urgent', 'medication;test', 'We have started {drug}; please check {his} blood glucose tomorrow and reduce the dose if it is low.'],
	['urgent', 'safeguarding', 'We have raised a safeguarding concern about {his} care at home and would be grateful if you could contact {him} tomorrow.'],
	# soon
	['soon', 'test', 'Please repeat the {test} and {test} in 1-2 weeks.'],
	['soon', 'test', 'Please arrange an ECG at the surgery within the next week.'],
	['soon', 'medication', 'Please review the dose of {drug} in a fortnight.'],
	['soon', 'medication;test', 'We have increased {drug} to {dose}; please check renal function in 10 days.'],
	['soon', 'review', 'Please see {him} in 2/52 to check that the wound is healing.'],
	['soon', 'review', 'We would be grateful if you could review {his} blood pressure next week.'],
	['soon', 'referral', 'Please refer {him} to the community {specialty} service within the next couple of weeks.'],
	# routine
	['routine', 'medication', 'We have started {drug} {dose}; please add it to {his} repeat prescription.'],
	['routine', 'medication', 'We stopped {drug} as it was no longer needed; please remove it from {his} repeats.'],
	['routine', 'test', 'Please repeat the HbA1c in 3 months.'],
	['routine', 'test', 'Please check {his} {test} at the next annual review.'],
	['routine', 'review', 'Please review {him} at {his} next routine appointment.'],
	['routine', 'referral', 'At your convenience, please refer {him} to the community {specialty} service.'],
	['routine', '', 'This letter is for your information; no action is needed from the practice.'],
	['routine', '', 'Please continue current medication; there are no changes.'],
	['routine', '', 'We will see {him} again in clinic in 6 months.'],
	['routine', '', 'We will continue to visit weekly.'],
);
my @death_action = (
	['immediate', 'death', 'Please issue the medical certificate of cause of death so the family can register the death.'],
	['immediate', 'death', 'The family have been told that the practice will complete the MCCD; please contact them today.'],
	['immediate', 'death', 'Please note the death on {his} record and let the family know who will issue the certificate.'],
	['immediate', 'death', 'Please would a GP confirm the cause of death and complete the certificate.'],
);
my %rank = (routine => 0, soon => 1, urgent => 2, immediate => 3);
my @action_order = qw(death medication review referral test safeguarding);

my @closing = ('Yours sincerely,', 'Kind regards,', 'With best wishes,', 'Yours faithfully,');
my @salutation = ('Dear Dr {gp},', 'Dear Colleague,', 'Dear GP,', 'Dear Doctor,', 'Dear Dr {gp} and team,');
my %subject = (
	discharge => ['Discharge summary', 'Inpatient discharge', 'Discharge from {ward} Ward'],
	outpatient => ['{Specialty} clinic letter', 'Outpatient review', 'Clinic follow-up'],
	community => ['Community nursing update', 'Update from the {service}', 'Home visit'],
	result => ['Test result', 'Result notification', 'Investigation results'],
	death => ['Notification of death', 'Verification of death', 'Death of a patient'],
);

# ---------------------------------------------------------------- one letter
my %fits;
sub letter {
	my ($id, $created, $kind) = @_;
	my $p = patient();
	my $urgency = weighted(@{ $urgency_mix{$kind} });
	%pron = $p->{sex} eq 'm'
	  ? (He => 'He', he => 'he', His => 'His', his => 'his', him => 'him', man => 'man')
	  : (He => 'She', he => 'she', His => 'Her', his => 'her', him => 'her', man => 'woman');
	$pron{today} = date_words($created);
	$pron{adm} = date_words($created - 86400 * between(1, 12));
	$pron{time} = sprintf('%02d:%02d', between(0, 23), between(0, 59));
	$pron{age} = $p->{age};
	$pron{relative2} = pick('daughter', 'son', 'partner', 'carer');
	$pron{pulse} = between(58, 104);
	$pron{bp} = between(105, 165) . '/' . between(60, 95);
	$pron{weight} = between(45, 120);
	$pron{oldage} = between(48, 79);
	$pron{k_high} = sprintf('%.1f', 6.5 + rand(1.2));
	$pron{na_low} = between(111, 119);
	$pron{inr_high} = sprintf('%.1f', 8.2 + rand(3));
	$pron{creat} = between(160, 290);
	$pron{creat_ok} = between(55, 110);
	$pron{egfr} = between(55, 90);
	$pron{hb} = between(118, 152);
	$pron{wcc} = sprintf('%.1f', 4 + rand(6));
	$pron{plt} = between(160, 380);
	$pron{Specialty} = ucfirst(pick(@{ $slot{specialty} }));
	$pron{drug1} = pick(@{ $slot{drug} });    # one medicine named twice in a sentence

	# What the GP must do: one main action of the intended urgency, maybe a
	# lesser one besides.
	my @chosen;
	if ($kind eq 'death') {
		push @chosen, pick(@death_action);
	}
	else {
		push @chosen, pick(grep { $_->[0] eq $urgency } @actions);
		if (chance(0.3)) {
			my @lesser = grep { $rank{ $_->[0] } <= $rank{$urgency} && $_->[1] ne '' } @actions;
			push @chosen, pick(@lesser);
		}
	}
	my (%act, $u);
	$u = 'routine';
	for my $c (@chosen) {
		$u = $c->[0] if $rank{ $c->[0] } > $rank{$u};
		$act{$_} = 1 for grep { $_ ne '' } split /;/, $c->[1];
	}
	my $actions = join(';', grep { $act{$_} } @action_order);

	my @body;
	push @body, fill(pick(@salutation)), '';
	my $nhs_shown = chance(0.5) ? $p->{nhs} : join(' ', substr($p->{nhs}, 0, 3), substr($p->{nhs}, 3, 3),
		substr($p->{nhs}, 6));
	push @body, "Re: patient aged $p->{age}, NHS number $nhs_shown", '' if chance(0.6);

	my $opening = fill(pick(@{ $opening{$kind} }));
	# (the narrative that fits a kind, worked out once per kind)
	my @fits = @{ $fits{$kind} //= [ map { $_->[1] } grep { $kind =~ /^(?:$_->[0])$/ || $_->[0] eq '.' } @narrative ] };
	my @sentences;
	push @sentences, fill(pick(@fits)) for 1 .. between(2, 8);
	my @traps;
	# (advice to a living patient makes no sense in a death notification)
	my @traps_fit = $kind eq 'death' ? grep { !/worsen|111|return|swelling|book|appointment|referr|bloods|Centre|unit/ } @trap : @trap;
	push @traps, fill(pick(@traps_fit)) for 1 .. weighted([0, 35], [1, 40], [2, 20], [3, 5]);
	my @acts = map { fill($_->[2]) } @chosen;
	# Narrative and traps in a paragraph or two, the actions under a heading or
	# at the end of the prose, as different trusts' templates do.
	my @prose = (@sentences, @traps);
	for my $i (reverse 1 .. $#prose) { my $j = int(rand($i + 1)); @prose[$i, $j] = @prose[$j, $i] }
	my %dup;
	@prose = ($opening, grep { !$dup{$_}++ } @prose);
	my $mid = 1 + int(rand(@prose));
	push @body, join(' ', @prose[0 .. $mid - 1]);
	push @body, '', join(' ', @prose[$mid .. $#prose]) if $mid <= $#prose;
	if ($kind eq 'discharge' || ($kind eq 'outpatient' && chance(0.4))) {
		# a medicines list that changes nothing: each entry unchanged
		push @body, '', pick('Medications on discharge:', 'Current medication:', 'Medicines:');
		my %seen;
		for (1 .. between(2, 7)) {
			my $d = pick(@{ $slot{drug} });
			next if $seen{$d}++;
			push @body, "- $d " . pick(@{ $slot{dose} }) . pick(' (unchanged)', ' - continue', '', ' (no change)');
		}
	}
	if (chance(0.5)) {
		push @body, '', pick('Actions for GP:', 'Plan:', 'Requests for the practice:', 'GP actions:');
		push @body, map { "- $_" } @acts;
	}
	else {
		push @body, '', join(' ', @acts);
	}
	push @body, '', pick(@closing), '', pick(@{ $slot{clinician} }),
	  ($kind eq 'community' ? fill('{service}, {town}') : fill(ucfirst(pick(@{ $slot{specialty} })) . ', {town} Hospital'));
	my $text = join("\n", @body) . "\n";

	if (chance(1 / 3)) {
		my @h = (
			sprintf('Letter-Id: TRX-%07d', $id),
			'NHS-Number: ' . $nhs_shown,
			"To: $p->{practice}",
			'From: ' . fill($kind eq 'community' ? '{town} Community Services' : '{town} Hospital'),
			'Dated: ' . substr(stamp($created), 0, 16),
			"Kind: $kind",
			'Subject: ' . fill(pick(@{ $subject{$kind} })),
		);
		$text = join("\n", @h) . "\n\n" . $text;
	}

	# When a healthy sender would have sent it: minutes, sometimes hours,
	# rarely a few days (a letter waiting for a clinician's approval).
	my $lag = weighted([between(2, 45) * 60, 95], [between(1, 6) * 3600, 4], [between(24, 72) * 3600, 1]);
	return [$id, $created, $created + $lag, $p->{practice}, $p->{nhs}, $kind, $u, $actions, $text];
}

# ---------------------------------------------------------------- the flow
my $days = floor($opt{weeks} * 7 + 0.5);
my $wsum = 0;
$wsum += $_ for @day_weight;
my @out;
for my $day (0 .. $days - 1) {
	my $midnight = $t0 + $day * 86400;
	my $wd = ((gmtime $midnight)[6] + 6) % 7;    # 0 = Monday
	my $expect = $opt{'per-week'} * $day_weight[$wd] / $wsum;
	my $count = floor($expect * (0.9 + rand(0.2)) + 0.5);
	my @day;
	for (1 .. $count) {
		my $kind = weighted($wd < 5 ? @kind_weekday : @kind_weekend);
		my @hw = ($kind eq 'outpatient' || $kind eq 'result') ? @hour_office : @hour_ward;
		my $hour = weighted(map { [$_, $hw[$_]] } 0 .. 23);
		push @day, [$midnight + $hour * 3600 + between(0, 3599), $kind];
	}
	push @out, sort { $a->[0] <=> $b->[0] } @day;
}

my $id = 0;
if ($opt{format} eq 'csv') {
	print "id,created,sent,practice,nhs_number,kind,urgency,actions,letter\n";
}
for my $o (@out) {
	my $l = letter(++$id, @$o);
	$l->[1] = stamp($l->[1]);
	$l->[2] = stamp($l->[2]);
	if ($opt{format} eq 'csv') {
		print join(',', map { /[",\n\r]/ ? '"' . s/"/""/gr . '"' : $_ } @$l), "\n";
	}
	else {
		print join("\t", map { s/\\/\\\\/gr =~ s/\n/\\n/gr =~ s/\r/\\r/gr =~ s/\t/\\t/gr } @$l), "\n";
	}
}
