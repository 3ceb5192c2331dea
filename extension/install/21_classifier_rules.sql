-- ---------------------------------------------------------------------------
-- The default rule set (shipped rows: dump = false).  Lexicons written for
-- this project from general clinical and NHS letter-writing usage.
-- ---------------------------------------------------------------------------

-- rules(patterns, action, urgency, needs_request, note)
CREATE FUNCTION @extschema@.add_default_rules(patterns text[], act text, urg @extschema@.urgency,
                                              req boolean, why text) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, pg_temp
    AS $$ INSERT INTO @extschema@.rule (pattern, action, urgency, needs_request, note, dump)
          SELECT p, act, urg, req, why, false FROM pg_catalog.unnest(patterns) AS p $$;

SELECT @extschema@.add_default_rules(ARRAY[
    'died', 'has died', 'passed away', 'date of death', 'time of death', 'date and time of death',
    'date/time of death', 'verification of death', 'verification of expected death', 'verified death',
    'death was verified', 'death verified', 'death confirmed', 'confirmation of death', 'confirmed dead',
    'notification of death', 'death notification', 'notice of death', 'pronounced dead', 'life extinct',
    'mccd', 'medical certificate of cause of death', 'cause of death', 'death certificate', 'deceased',
    'referred to the coroner', 'coroner''s officer', 'expected death at home', 'sudden death of',
    'unexpected death of', 'death of the patient', 'patient died', 'rip', 'kind: death',
    'she expired', 'he expired', 'patient expired', 'subsequently expired', 'later expired',
    'sadly expired', 'unfortunately expired', 'peacefully expired', 'expired peacefully',
    'and expired', 'pronounced expired', 'pronounced deceased', 'pronounced life extinct',
    'pronounced at', 'slipped away', 'didn''t wake up', 'did not wake up', 'never woke up',
    'no longer with us', 'passed peacefully', 'has passed', 'lost her battle', 'lost his battle',
    'lost their battle', 'lost her fight', 'lost his fight', 'breathed her last', 'breathed his last',
    'found dead', 'found deceased', 'had passed', 'had sadly passed', 'has sadly passed', 'passed in her sleep',
    'passed in his sleep', 'passed', 'no signs of life', 'sudden death', 'gone in the night', 'gone in her sleep',
    'gone in his sleep',
    'past away', 'pased away', 'passd away', 'passed awy', 'dieed', 'dide', 'did not survive',
    'didn''t survive', 'the late mr', 'the late mrs', 'the late ms', 'the late miss', 'his passing',
    'her passing', 'life ended', 'dead in bed', 'found him dead', 'found her dead', 'notification of the death',
    'the death of mr', 'the death of mrs', 'the death of ms', 'the death of miss', 'deduction: death',
    'reason for deduction death', 'we lost', 'we sadly lost', 'we have sadly lost', 'we have lost', 'has sadly passed on', 'had sadly passed on',
    'brought in dead', 'death was confirmed', 'role completed', 'dec''d', 'passsed away', 'my late',
    'gone', 'left us', 'taken from us', 'took his own life', 'took her own life', 'took their own life',
    'taken his own life', 'taken her own life', 'taken their own life', 'ended his own life',
    'ended her own life', 'completed suicide', 'is dead', 'was dead', 'said our goodbyes',
    'said our final goodbyes', 'said our last goodbyes', 'she''s at peace', 'he''s at peace', 'verify death', 'verify the death', 'verify expected death',
    'verify his death', 'verify her death', 'confirm death', 'confirm the death', 'confirm his death',
    'confirm her death', 'to be with the lord', 'home to the lord', 'promoted to glory',
    'took his last breath', 'took her last breath', 'took their last breath',
    'didn''t make it through the night', 'did not make it through the night', 'didnt make it through the night',
    'been dead', 'hasn''t woken up', 'hasnt woken up',
    'hasn''t woke up', 'hasnt woke up', 'has not woken up', 'went in his sleep', 'went in her sleep',
    'heart gave out', 'heart gave up'],
    'death', 'immediate', false, 'the patient has died');

SELECT @extschema@.add_default_rules(ARRAY[
    'safeguarding', 'safeguarding concern', 'safeguarding concerns', 'safeguarding referral',
    'child protection', 'child protection plan', 'child in need', 'looked after child',
    'domestic abuse', 'domestic violence', 'neglect', 'self neglect', 'neglected',
    'adult at risk', 'child at risk', 'children at risk', 'vulnerable adult', 'at risk of harm',
    'marac', 'dash risk', 'non accidental injury', 'non accidental', 'physical abuse', 'sexual abuse',
    'emotional abuse', 'financial abuse', 'psychological abuse', 'elder abuse', 'alleged abuse',
    'exploitation', 'fgm', 'female genital mutilation', 'coercive control', 'section 47',
    'strategy meeting', 'strategy discussion', 'modern slavery', 'perpetrator', 'unexplained bruising',
    'bruising in a non mobile', 'non mobile infant', 'non mobile baby', 'mash', 'children''s social care',
    'adult social care safeguarding', 'left alone without', 'unsafe at home', 'cannot be left alone',
    'taking her money', 'taking his money', 'taken her money', 'taken his money', 'took her money',
    'took his money'],
    'safeguarding', 'routine', false, 'a safeguarding concern raised');

SELECT @extschema@.add_default_rules(ARRAY[
    'started on', 'was started', 'were started', 'has been started', 'have been started', 'newly started',
    'commenced on', 'has been commenced', 'have been commenced', 'was commenced', 'were commenced',
    'dose increased', 'dose increase', 'increase the dose',
    'dose reduced', 'dose reduction', 'reduce the dose',
    'was stopped', 'were stopped', 'has been stopped', 'have been stopped',
    'have stopped', 'we stopped', 'discontinued', 'switched to', 'switched from', 'switch to',
    'withheld', 'withhold', 'suspended', 'please stop', 'please start',
    'please increase', 'please reduce', 'please switch', 'please prescribe', 'please discontinue',
    'please change', 'please withhold', 'please restart', 'please do not restart',
    'update his repeat', 'update her repeat', 'update their repeat', 'update the repeat',
    'update repeat', 'repeat template', 'add to repeat', 'added to his repeat', 'added to her repeat',
    'remove from repeat', 'removed from his repeat', 'removed from her repeat', 'remove it from',
    'new medication', 'new medications', 'new medicines', 'medication changes', 'medicine changes',
    'changes to medication', 'changes to his medication', 'changes to her medication',
    'changes to his medicines', 'changes to her medicines', 'restart*', 'titrate',
    'up titrate', 'uptitrate', 'up titration', 'titration', 'medication review', 'medicines review',
    'review of his medication', 'review of her medication', 'review his medication',
    'review her medication', 'review of medication', 'review his medicines', 'review her medicines',
    'anticipatory medicines', 'anticipatory medications', 'just in case medicines', 'adverse drug reaction', 'prescription for', 'has been switched',
    'was switched', 'instead of', 'in place of', 'have started',
    'have increased', 'have reduced', 'have decreased',
    'have switched', 'have changed', 'have withheld', 'have discontinued', 'have restarted',
    'have now stopped',
    'increase it to', 'reduce it to',
    'titrating to', 'shared care agreement', 'shared care arrangement', 'accept shared care',
    'add it to her repeat', 'add it to his repeat', 'add it to their repeat', 'add to her repeats',
    'add to his repeats', 'amend his repeat', 'amend her repeat', 'amend the repeat',
    'take over prescribing', 'take over the prescribing', 'take over prescribing of',
    'amend repeat', 'amend repeats', 'update repeats', 'inhalers changed', 'inhaler changed',
    'medication changed', 'medications changed', 'medicines changed', 'meds changed',
    -- a change of formulation for someone who cannot swallow tablets
    'change them to liquids', 'change them to liquid', 'change it to a liquid', 'to liquid form',
    'liquid formulation', 'liquid formulations', 'liquid preparations', 'liquid versions', 'liquid version',
    'dispersible or liquid', 'liquids or dispersibles', 'soluble or liquid'],
    'medication', 'routine', false, 'medicine started, stopped or changed, or a medication review');

SELECT @extschema@.add_default_rules(ARRAY[
    'stop', 'stopped', 'start', 'started', 'increase', 'increased', 'reduce', 'reduced', 'decrease',
    'switch', 'omit', 'hold', 'dose', 'prescription', 'new prescription',
    'new prescriptions', 'new tablet', 'new tablets', 'send it to the chemist', 'send it to the pharmacy',
    'repeat prescription', 'wean', 'taper', 'prescribe', 'syringe driver', 'remove', 'repeat list',
    'repeat medication', 'repeat medications', 'repeats', 'drug allergy', 'increased from', 'increased to', 'reduced from', 'reduced to', 'decreased to', 'decreased from', 'has been added', 'have been added', 'was added', 'were added', 'have added', 'was increased', 'were increased', 'was reduced', 'were reduced', 'was decreased', 'was changed', 'changed to', 'changed from', 'increasing to', 'increase to', 'reduce to', 'reducing to',
    'record it as an allergy', 'amend',
    'treatment', 'treat', 'adjust', 'added', 'prescribing', 'adding', 'to be supplied', 'newly prescribed', '(new)',
    'please supply',
    'issue the following', 'issue a prescription', 'issue prescriptions', 'issue a script',
    'issue a supply', 'issue a further supply', 'issue an acute prescription', 'to be prescribed',
    'issue the remaining', 'issue the rest', 'issue the remainder', 'change antibiotic*',
    'change her antibiotic*', 'change his antibiotic*', 'change the antibiotic*',
    'repeat prescriptions', 'repeat prescribing', 'repeat record', 'repeat issue', 'repeat issues',
    'from repeat', 'from his repeat', 'from her repeat', 'from their repeat', 'from the repeat',
    'off repeat', 'onto repeat', 'onto his repeat', 'onto her repeat', 'onto their repeat',
    'on repeat', 'on his repeat', 'on her repeat', 'on their repeat', 'on the repeat',
    'to his repeat', 'to her repeat', 'to their repeat', 'to the repeat', 'to his repeats',
    'to her repeats'],
    'medication', 'routine', true, 'medicine change asked of the GP or in a medication section');

SELECT @extschema@.add_default_rules(ARRAY[
    'review*', 'see', 'sees', 'visit*', 'home visit', 'contact*', 'call', 'telephone', 'phone', 'speak to', 'assess', 'clinical assessment', 'medical assessment', 'same day assessment',
    'examine', 'seen', 'follow up', 'check on', 'bp check', 'blood pressure check',
    'check her blood pressure', 'check his blood pressure', 'check blood pressure', 'check her bp',
    'check his bp', 'lying and standing', 'bp to be checked',
    'blood pressure to be checked', 'bp checked', 'blood pressure checked', 'bp rechecked', 'bp to be rechecked', 'postural', 'recheck her blood pressure', 'recheck his blood pressure', 'recheck her bp', 'recheck his bp', 'recheck the bp', 'recheck bp', 'repeat her bp', 'repeat his bp', 'wound check', 'consult',
    'reassess', 're assess', 'review her', 'review him', 'see her', 'see him', 'visit her', 'visit him',
    'contact the patient', 'call the patient', 'phone the patient', 'ring the patient',
    'telephone the patient', 'speak to the patient', 'see the patient', 'review the patient',
    'removal of sutures', 'suture removal', 'sutures removed', 'remove sutures', 'remove the sutures',
    'remove her sutures', 'remove his sutures', 'removal of stitches', 'stitches removed',
    'remove stitches', 'remove the stitches', 'removal of clips', 'clip removal', 'clips removed',
    'remove clips', 'remove the clips', 'removal of staples', 'staple removal', 'staples removed',
    'remove staples', 'remove the staples', 'check the wound', 'check her wound', 'check his wound',
    'wound review', 'dressing change', 'change of dressing', 'change the dressing',
    'practice nurse visit', 'go round', 'call round', 'pop round', 'come round', 'removal of the sutures',
    'removal of the stitches',
    'check the wounds', 'check her wounds', 'check his wounds',
    'ring him', 'ring her', 'ring them', 'ring back', 'ring mr', 'ring mrs', 'ring ms', 'ring miss',
    'give him a ring', 'give her a ring', 'give them a ring', 'give him a call', 'give her a call',
    'give him a bell', 'give her a bell', 'give mum a bell', 'give mum a ring', 'give mum a call',
    'give dad a bell', 'give dad a ring', 'give dad a call',
    'come out', 'come and see', 'come out to see', 'call out', 'be examined', 'be seen', 'be checked over',
    'see a doctor', 'see a gp', 'see the doctor', 'see the gp', 'examined'],
    'review', 'routine', true, 'the GP is asked to see, call or review the patient');

-- a call to someone close to the patient is about the patient ("please telephone the
-- father today", "call his wife back"): read in analyse.c for the relation words (the
-- other-person modifiers) and for "contact the family", "ring the next of kin"; these
-- are the rest, whose verb is no rule of its own
SELECT @extschema@.add_default_rules(ARRAY(
    SELECT v || ' ' || d || ' ' || r
      FROM pg_catalog.unnest(ARRAY['contact', 'ring', 'speak with']) AS v,
           pg_catalog.unnest(ARRAY['her', 'his', 'their']) AS d,
           pg_catalog.unnest(ARRAY['family', 'next of kin', 'guardian', 'carers', 'parent',
                                   'foster carer', 'foster carers']) AS r),
    'review', 'routine', true, 'the GP is asked to call someone about the patient');

-- a patient or relative writing asks for a call to themselves ("PLEASE CAN A DOCTOR RING
-- ME TODAY", "could someone call us back", "would like a doctor to ring her tomorrow"); a clinician's "please call me if ..." is an
-- offer (the ignore-phrases "call me", "contact me"), so only a call asked of a doctor,
-- the GP or someone counts
SELECT @extschema@.add_default_rules(ARRAY(
    SELECT w || ' ' || t || v || ' ' || o
      FROM pg_catalog.unnest(ARRAY['someone', 'somebody', 'doctor', 'gp']) AS w,
           pg_catalog.unnest(ARRAY['', 'to ']) AS t,
           pg_catalog.unnest(ARRAY['ring', 'call', 'phone', 'contact']) AS v,
           pg_catalog.unnest(ARRAY['me', 'us', 'her', 'him', 'back']) AS o),
    'review', 'routine', false, 'a patient or relative asks for a call from the practice');
-- ... or for an appointment, in their own words ("Could a doctor give me a call sometime this
-- week?", "Could I have an appointment with you in the next week or two?": the question is the
-- request, see the request modifiers "could i", "can i")
SELECT @extschema@.add_default_rules(ARRAY(
    SELECT w || ' give ' || o || ' a call'
      FROM pg_catalog.unnest(ARRAY['someone', 'doctor', 'gp']) AS w,
           pg_catalog.unnest(ARRAY['me', 'her', 'him']) AS o
    UNION ALL
    SELECT pg_catalog.unnest(ARRAY['i would like an appointment', 'i''d like an appointment',
                                   'id like an appointment', 'could she be seen', 'could he be seen',
                                   'i would like an appt', 'i''d like an appt'])
    UNION ALL
    -- as reception writes it down: "Rang asking for an appt this week"
    SELECT v || ' ' || o
      FROM pg_catalog.unnest(ARRAY['asking for', 'asked for', 'asks for', 'rang for', 'called for', 'phoned for', 'requesting',
                                   'wants', 'would like']) AS v,
           pg_catalog.unnest(ARRAY['an appointment', 'an appt', 'a same day appointment',
                                   'an urgent appointment']) AS o),
    'review', 'routine', false, 'a patient or relative asks for an appointment or a call');
SELECT @extschema@.add_default_rules(ARRAY[
    'have an appointment', 'get an appointment', 'book an appointment', 'have a call', 'have a phone call',
    'have an appt', 'get an appt', 'book an appt', 'have an apointment', 'have an appoinment',
    'doctor please advise', 'doctor to advise', 'gp please advise', 'gp to advise', 'doctor advise',
    'gp advise', 'a doctor could advise', 'the doctor could advise',
    'look at it', 'look at her', 'look at him', 'have a look at', 'take a look at', 'having a look at',
    'look in on her', 'look in on him', 'pop in on her', 'pop in on him',
    'bring him in', 'bring her in', 'bring him to the surgery', 'bring her to the surgery', 'pop in',
    'pop over', 'speak to us', 'speak to me', 'talk to us', 'talk to me',
    'have a home visit', 'book a home visit'],
    'review', 'routine', true, 'an appointment or a call asked for');

-- advice asked with its urgency in the phrase ("Please advise urgently")
SELECT @extschema@.add_default_rules(ARRAY['please advise today'], 'review', 'immediate', true,
    'advice asked of the GP today');
SELECT @extschema@.add_default_rules(ARRAY['please advise asap', 'please advise urgently'], 'review', 'urgent', true,
    'advice asked of the GP urgently');

-- a referral or an appointment asked for ("Please could I be referred", "I would like to
-- be referred", "could the GP offer her a bereavement appointment")
SELECT @extschema@.add_default_rules(ARRAY['be referred'],
    'referral', 'routine', true, 'the GP is asked to refer the patient');
SELECT @extschema@.add_default_rules(ARRAY['offer her a', 'offer him a', 'offer her an', 'offer him an'],
    'review', 'routine', true, 'the GP is asked to offer the patient an appointment');
SELECT @extschema@.add_default_rules(ARRAY['like to be referred', 'like a referral'],
    'referral', 'routine', false, 'a patient asks to be referred');
-- a patient's own ask to talk to a doctor ("I need to talk to a doctor today")
SELECT @extschema@.add_default_rules(ARRAY[
    'talk to a doctor', 'speak to a doctor', 'talk to the doctor', 'speak to the doctor', 'talk to a gp',
    'speak to a gp', 'talk to the gp', 'speak to the gp', 'talk to someone', 'speak to someone'],
    'review', 'routine', true, 'a patient asks to talk to a doctor');
-- abuse told in a patient's own words
SELECT @extschema@.add_default_rules(ARRAY[
    'been left on his own', 'been left on her own', 'was left on his own', 'was left on her own',
    'flag on the family', 'flag the family',
    'he pushed me', 'she pushed me', 'he hit me', 'she hit me', 'he hits me', 'he beat me', 'he beats me',
    'he kicked me', 'he punched me', 'he strangled me', 'he choked me'],
    'safeguarding', 'routine', false, 'a safeguarding concern raised');
-- a risk of harm now: someone afraid to go home, threatened, or children at home
-- with the one who harms; within a working day
SELECT @extschema@.add_default_rules(ARRAY[
    'scared to go home', 'afraid to go home', 'frightened to go home', 'scared to return home',
    'afraid to return home', 'frightened to return home', 'does not feel safe at home',
    'doesn''t feel safe at home', 'not safe to return home', 'not safe to go home', 'fears for her safety',
    'fears for his safety', 'fears for her life', 'fears for his life', 'threatened to kill me',
    'threatens to kill me',
    'at home with the partner', 'at home with her partner', 'at home with his partner',
    'at home with the perpetrator', 'at home with the alleged perpetrator', 'living with the perpetrator',
    'returned to the perpetrator', 'frightened he will kill', 'scared he will kill', 'afraid he will kill',
    'frightened of him', 'frightened of her', 'scared of him', 'scared of her', 'afraid of him', 'afraid of her'],
    'safeguarding', 'urgent', false, 'a risk of harm now');
-- a child left without an adult: the same day
SELECT @extschema@.add_default_rules(ARRAY[
    'left home alone', 'been left home alone', 'left alone in the house', 'left on his own all',
    'left on her own all', 'left on their own all', 'home alone since', 'been home alone', 'home alone all'],
    'safeguarding', 'immediate', false, 'a child left without an adult');
-- a patient sent to the practice by another service to be seen
SELECT @extschema@.add_default_rules(ARRAY[
    'onward referral to gp', 'referred to own gp for', 'referred to their own gp for', 'referred to the gp for',
    'referred to his gp for', 'referred to her gp for'],
    'review', 'routine', false, 'a patient sent to the practice to be seen');
-- a call to a child's parent, named as the family names them ("please ring mum today about Jake")
SELECT @extschema@.add_default_rules(ARRAY[
    'ring mum', 'call mum', 'phone mum', 'telephone mum', 'contact mum', 'speak to mum', 'ring dad',
    'call dad', 'phone dad', 'telephone dad', 'contact dad', 'speak to dad'],
    'review', 'routine', true, 'the GP is asked to call a child''s parent');
-- stitches, staples or clips to come out at the practice
SELECT @extschema@.add_default_rules(ARRAY[
    'sutures to be removed', 'stitches to be removed', 'staples to be removed', 'clips to be removed',
    'removal of sutures', 'removal of stitches', 'removal of staples', 'removal of clips', 'suture removal',
    'stitch removal', 'staple removal', 'remove the sutures', 'remove the stitches', 'remove the staples',
    'remove the clips', 'sutures removed', 'stitches removed', 'staples removed', 'skin clips', 'skin staples',
    'removal of the clips', 'removal of the skin clips', 'removal of skin clips', 'removal of the staples',
    'removal of the stitches', 'clips out', 'stitches out', 'sutures out', 'staples out'],
    'review', 'routine', true, 'the practice is asked to remove sutures');
-- a resuscitation decision or an escalation plan asked of the GP: a talk with the patient
SELECT @extschema@.add_default_rules(ARRAY[
    'dnacpr form', 'dnacpr decision', 'dnar form', 'respect form', 'new dnacpr', 'complete a dnacpr',
    'complete the dnacpr', 'treatment escalation plan', 'advance care plan', 'advance care planning'],
    'review', 'routine', true, 'the GP is asked for a resuscitation decision or care plan');
-- an assessment or a recall asked of the GP
SELECT @extschema@.add_default_rules(ARRAY[
    'gp assessment', 'capacity assessment', 'assessment of his capacity', 'assessment of her capacity',
    'assess his capacity', 'assess her capacity', 'assess capacity', 'be recalled', 'recall the patient',
    'recall her', 'recall him', 'recalled for'],
    'review', 'routine', true, 'the GP is asked to assess or recall the patient');
-- a supply asked for ("please issue by Wednesday", "issue an alternative")
SELECT @extschema@.add_default_rules(ARRAY[
    'set up her medication', 'set up his medication', 'set up her repeat', 'set up his repeat',
    'set up a repeat', 'set up repeats', 'send a script', 'send the script', 'have my repeat', 'my repeat of',
    'reissue', 're-issue', 're issue',
    'please issue by', 'issue her', 'issue his', 'issue a new',
    'issue an alternative', 'issue today', 'issue urgently', 'send a new prescription',
    'send a prescription', 'send the prescription', 'new rx', 'send an rx', 'send the rx', 'issue an rx',
    'cancel and re-issue', 'cancel and reissue', 'cancel it and send', 'cancel the prescription',
    'cancel the script', 'can a prescriber', 'could a prescriber', 'for a prescriber to',
    'prescription early', 'my repeat early', 'his repeat early', 'her repeat early', 'medication early',
    'tablets early', 'medicines early', 'meds early', 'issue a corrected', 'corrected prescription',
    'amended prescription', 'issue an amended', 'authorise it', 'authorise the repeat', 'authorise his repeat',
    'authorise her repeat', 'authorise their repeat', 'authorise the prescription', 'authorize it',
    'authorize the repeat', 'issue the rescue pack', 'issue a rescue pack', 'issue his rescue pack',
    'issue her rescue pack', 'repeat be authorised', 'send it through'],
    'medication', 'routine', true, 'the GP is asked to issue a prescription');
-- the writer's own medicine run out: a prescription asked for without saying so
-- ("I've run out of my inhaler", "I ran out yesterday"); how soon from the
-- letter's time words, at least the next working day
SELECT @extschema@.add_default_rules(ARRAY[
    'i have run out', 'i''ve run out', 'ive run out', 'i have ran out', 'i''ve ran out', 'i ran out',
    'ran out of my', 'i''m out of my', 'im out of my', 'i am out of my', 'i have none left',
    'i''ve none left', 'i have no tablets left', 'i''ve no tablets left', 'i have no more tablets',
    'i''ve got none left', 'i have got none left', 'ran out yesterday', 'ran out today',
    'ran out this morning', 'ran out last night', 'ran out at the weekend'],
    'medication', 'urgent', false, 'the writer''s own medicine has run out');
-- insulin run out: a dose missed today is a danger today
SELECT @extschema@.add_default_rules(ARRAY[
    'run out of insulin', 'ran out of insulin', 'no insulin left', 'out of insulin', 'run out of his insulin',
    'run out of her insulin', 'run out of my insulin', 'ran out of my insulin', 'no insulin', 'last insulin pen',
    'used my last insulin', 'my last pen',
    'pens are finished', 'pens is finished', 'pens have run out', 'without insulin', 'without her insulin',
    'without his insulin'],
    'medication', 'immediate', false, 'insulin has run out');
-- a relative's or a resident's medicine run out, told by the one who looks after them
SELECT @extschema@.add_default_rules(ARRAY[
    'he''s run out of his', 'she''s run out of her', 'he has run out of his', 'she has run out of her',
    'he ran out of his', 'she ran out of her', 'he has none left', 'she has none left', 'he''s got none left',
    'she''s got none left', 'he has no tablets left', 'she has no tablets left'],
    'medication', 'urgent', false, 'the patient''s medicine has run out');
-- prescriptions limited to a week at a time: a change to how the GP prescribes
SELECT @extschema@.add_default_rules(ARRAY[
    'prescriptions are issued weekly', 'prescriptions issued weekly', 'issued weekly', 'weekly prescriptions',
    'weekly prescribing', '7 day prescriptions', 'seven day prescriptions', '7-day prescriptions',
    'weekly dispensing', 'dispensed weekly'],
    'medication', 'routine', true, 'the GP is asked to limit prescriptions');
-- a record flag or a withheld address asked for to protect someone at risk
SELECT @extschema@.add_default_rules(ARRAY[
    'flag her record', 'flag his record', 'flag the record', 'flag her notes', 'flag his notes',
    'flag the notes', 'flag on her record', 'flag on his record', 'not disclose her address',
    'not disclose his address', 'address is not disclosed', 'address not disclosed',
    'address must not be disclosed'],
    'safeguarding', 'routine', true, 'the GP is asked to protect someone at risk');
-- a MARAC named as a meeting: its time is the practice's time to share what it holds
SELECT @extschema@.add_default_rules(ARRAY[
    'marac meeting', 'marac meets', 'marac conference', 'multi agency risk assessment conference',
    'child protection conference', 'initial child protection conference', 'review child protection conference',
    'core group meeting'],
    'safeguarding', 'routine', false, 'a safeguarding meeting on the concern');
SELECT @extschema@.add_default_rules(ARRAY['financially abused', 'being abused', 'section 42', 's42 enquiry'],
    'safeguarding', 'routine', false, 'a safeguarding concern raised');
-- an organism resistant to the antibiotic the patient is taking: change it now
SELECT @extschema@.add_default_rules(ARRAY[
    'resistant to the antibiotic', 'resistant to the current antibiotic', 'resistant to the prescribed',
    'resistant to current therapy', 'resistant to current treatment', 'resistant to the current treatment',
    'resistant to her current', 'resistant to his current'],
    'medication', 'urgent', false, 'the organism is resistant to the antibiotic given');
-- a positive blood culture reported is a critical result (as a report says it: a
-- discharge summary's narrative "cultures grew Gram-negative rods" is past care)
SELECT @extschema@.add_default_rules(ARRAY[
    'blood cultures have grown', 'blood culture has grown', 'positive blood culture', 'blood cultures flagged positive',
    'blood culture flagged positive', 'blood cultures have flagged positive'],
    'test', 'immediate', false, 'a positive blood culture reported: a critical result');

-- an NHS Pathways disposition in a 111 message: the practice is to speak to the patient
SELECT @extschema@.add_default_rules(ARRAY[
    'speak to a primary care service', 'contact a primary care service',
    'speak to a primary care', 'contact primary care', 'speak to primary care'],
    'review', 'routine', true, 'a 111 disposition: primary care to speak to the patient');
-- the older dispositions, which name the practice with a time ("Contact GP practice within 2 hours")
SELECT @extschema@.add_default_rules(ARRAY[
    'contact gp practice within', 'contact the gp practice within', 'contact gp surgery within',
    'contact gp within', 'speak to gp within', 'speak to gp practice within', 'see gp within',
    'gp to contact within', 'gp to call within'],
    'review', 'routine', false, 'a 111 disposition: the practice to speak to the patient');

-- a service's advice to the patient to see their own GP at a time it gives ("Advised to see own
-- GP on return home for wound review within 48 hours", "asked to contact own GP practice next
-- working day"): the GP is to see the patient.  Only with the time straight after: "advised to
-- see her GP if her fever returns" is safety-netting, "to book an appointment" the patient's task.
SELECT @extschema@.add_default_rules(ARRAY(
    SELECT v || ' ' || o || ' ' || t
      FROM pg_catalog.unnest(ARRAY['advised to see', 'advised to contact']) AS v,
           pg_catalog.unnest(ARRAY['own gp', 'her gp', 'his gp', 'their gp']) AS o,
           pg_catalog.unnest(ARRAY['within', 'on', 'tomorrow', 'today', 'when', 'practice within',
                                   'practice on', 'practice today', 'practice when']) AS t
    UNION ALL SELECT 'advised to contact own practice ' || t
      FROM pg_catalog.unnest(ARRAY['within', 'on', 'tomorrow', 'today', 'when']) AS t),
    'review', 'routine', false, 'the patient advised to see their GP');

SELECT @extschema@.add_default_rules(ARRAY[
    'gp review', 'review by the gp', 'review by her gp', 'review by his gp', 'review by gp',
    'gp to see', 'gp to review', 'gp to visit', 'gp home visit', 'practice to review', 'review in surgery',
    'review at the surgery', 'review in the practice', 'see in surgery', 'gp appointment',
    'review with her gp', 'review with his gp', 'practice nurse review', 'review by the practice',
    'seen by a gp', 'seen by the gp', 'seen by her gp', 'seen by his gp', 'seen by their gp',
    'reviewed by a gp', 'reviewed by the gp', 'reviewed by her gp', 'reviewed by his gp',
    'reviewed by the practice', 'seen in the practice', 'seen at the practice', 'seen in surgery'],
    'review', 'routine', false, 'a GP review asked for');
-- the same asked in the passive, with what is to be checked named first ("arrange for the
-- wound to be checked by the practice nurse within 48 hours")
SELECT @extschema@.add_default_rules(ARRAY[
    'checked by the practice nurse', 'checked by a practice nurse', 'checked by the practice',
    'checked by the gp', 'checked by a gp', 'checked by her gp', 'checked by his gp',
    'seen by the practice nurse', 'seen by a practice nurse', 'reviewed by the practice nurse',
    'reviewed by a practice nurse', 'looked at by the practice nurse', 'looked at by the gp'],
    'review', 'routine', true, 'a review by the practice asked for in the passive');

SELECT @extschema@.add_default_rules(ARRAY['refer', 'referral', 're refer', 'refer her', 'refer him'],
    'referral', 'routine', true, 'the GP is asked to refer');

SELECT @extschema@.add_default_rules(ARRAY[
    '2ww', 'two week wait', '2 week wait', '2 week rule', 'two week rule', 'suspected cancer referral',
    'suspected cancer pathway', 'urgent suspected cancer', 'fast track referral', 'fast track',
    'cancer pathway referral', 'ng12'],
    'referral', 'urgent', true, 'suspected-cancer (2-week-wait) referral');
-- the pathway named by its site: "refer on the suspected prostate cancer pathway"
SELECT @extschema@.add_default_rules(ARRAY['cancer pathway', 'cancer referral'],
    'referral', 'urgent', true, 'suspected-cancer (2-week-wait) referral');

SELECT @extschema@.add_default_rules(ARRAY[
    'bloods', 'blood test', 'blood tests', 'u&e', 'u&es', 'u+e', 'u+es', 'u and e', 'u and es', 'ues',
    'renal function', 'kidney function', 'lfts', 'lft', 'liver function', 'fbc', 'full blood count',
    'tfts', 'tft', 'thyroid function', 'tsh', 'hba1c', 'inr', 'ecg', 'x ray', 'xray', 'cxr', 'ultrasound',
    'scan', 'swab', 'urine', 'msu', 'urinalysis', 'psa', 'crp', 'esr', 'ferritin', 'b12', 'folate',
    'vitamin d', 'lipids', 'cholesterol', 'electrolytes', 'creatinine', 'egfr', 'acr', 'spirometry',
    'echocardiogram', 'echo', 'doppler', 'duplex', 'ct', 'ct scan', 'mri', 'mri scan', 'holter',
    'drug level', 'levels', 'monitoring bloods', 'stool sample', 'fit test', 'sputum',
    'culture', 'potassium', 'sodium', 'calcium', 'magnesium', 'glucose', 'result', 'results', 'test',
    'tests', 'repeat', 'chase', 'bone profile', 'coagulation',
    'clotting', 'serology', 'smear', 'bp monitoring', 'ambulatory', 'drug levels',
    'lithium level', 'digoxin level', 'phenytoin level', 'valproate level', 'carbamazepine level',
    'tacrolimus level', 'ciclosporin level', 'theophylline level', 'gentamicin level',
    'vancomycin level', 'trough level', 'serum level', 'blood level', 'recheck in'],
    'test', 'routine', true, 'the GP is asked to arrange, repeat or chase a test');

SELECT @extschema@.add_default_rules(ARRAY[
    'repeat bloods', 'repeat blood test', 'repeat blood tests', 'repeat u&e', 'repeat u&es', 'repeat u+e',
    'repeat fbc', 'repeat lfts', 'repeat inr', 'repeat potassium', 'repeat renal function', 'repeat tfts',
    'repeat tsh', 'repeat ecg', 'repeat the bloods', 'repeat calcium', 'repeat sodium', 'repeat hba1c',
    'repeat psa', 'recheck bloods', 'recheck u&e', 'recheck u&es', 'recheck her potassium',
    'recheck his potassium', 'inr check', 'check inr', 'check her inr', 'check his inr',
    'blood test in', 'blood tests in', 'bloods in', 'u&e in', 'u&es in', 'u+e in', 'fbc in', 'inr in',
    'tsh in', 'tfts in', 'lfts in', 'hba1c in', 'ecg in', 'psa in', 'renal function in',
    'bloods at the practice', 'bloods at the surgery', 'bloods with the practice', 'bloods via the gp'],
    'test', 'routine', false, 'a test for the GP to arrange');

-- a result the laboratory itself calls critical is phoned or sent for action the same
-- day, whatever the value ("not a critical result" is negated)
SELECT @extschema@.add_default_rules(ARRAY[
    'critical result', 'critical results', 'critical value', 'critical values'],
    'test', 'immediate', false, 'a result the laboratory calls critical');

SELECT @extschema@.add_default_rules(ARRAY[
    'urgent', 'urgently', 'as a matter of urgency', 'asap', 'as soon as possible', 'without delay',
    'high priority', 'promptly', 'priority', 'expedite', 'at the earliest opportunity',
    'at your earliest opportunity', 'at the first opportunity', 'at the earliest possible opportunity'],
    NULL, 'urgent', false, 'urgency word: raises the GP actions of its sentence');

SELECT @extschema@.add_default_rules(ARRAY[
    'urgent treatment centre', 'urgent care centre', 'urgent care', 'urgent and emergency care',
    'emergency department', 'same day emergency care', 'sdec', 'ambulatory emergency care',
    'minor injuries unit', 'urgent community response', 'urgent eye', 'acute medical unit',
    'deceased donor', 'deceased-donor', 'living donor', 'you hold', 'we hold', 'they hold', 'information held', 'records held', 'give us a call',
    'give me a call', 'give me a ring', 'give the team a call', 'give the ward a call', 'give the clinic a call',
    'see attached', 'see below', 'see above', 'see overleaf', 'see enclosed', 'contact me', 'contact us',
    'contact the team', 'contact the ward', 'contact the department', 'contact the clinic',
    'contact our', 'contact details', 'call us', 'telephone us', 'phone us', 'ring us',
    'do not hesitate', 'nice to see', 'pleased to see', 'good to see', 'clinic review',
    'review in clinic', 'review in the clinic', 'outpatient review', 'review in outpatients',
    'see her in clinic', 'see him in clinic', 'see her again', 'see him again', 'review her again',
    'review him again', 'stopped smoking', 'stop smoking', 'stopped drinking', 'new patient',
    'new diagnosis', 'follow up appointment in', 'test results were', 'results were normal',
    'at risk of falls', 'risk of falls', 'at risk of pressure', 'prescription charges',
    'start date', 'started to', 'started having', 'changed her mind', 'changed his mind',
    'see you', 'inr clinic', 'anticoagulation clinic', 'bloods were', 'bloods showed',
    'bloods today', 'scan showed', 'scan shows', 'ultrasound showed', 'x ray showed', 'results show',
    'review date', 'on call', 'last seen', 'was last seen', 'previously seen', 'own supply', 'supply of', 'day supply', 'week supply', 'weeks supply', 'see the enclosed', 'see the attached', 'see letter', 'see report', 'call me',
    'phone me', 'telephone me', 'ring me', 'follow up in clinic', 'follow up in outpatients',
    'see and treat', 'see & treat', 'health visitor', 'health visitors', 'health visiting', 'cancel my smear', 'cancel my blood test', 'cancel my appointment',
    'cancel my review', 'cancel her appointment', 'cancel his appointment', 'cancel the appointment', 'seen alone', 'be seen alone', 'is seen alone', 'patient safety', 'contact the patient safety', 'contact the patient advice',
    'non urgent', 'non urgently', 'not urgent', 'not clinically urgent', 'not urgently', 'as of today', 'from today', 'starting today',
    'with effect from today', 'see me', 'sees me', 'seeing me', 'contact the', 'call the', 'phone the',
    'ring the', 'telephone the', 'speak to the', 'speak to a mental health', 'speak to mental health',
    'contact a mental health', 'contact mental health', 'speak to a dental', 'contact a dental',
    'speak to a dentist', 'contact a dentist', 'speak to a pharmacist', 'contact a pharmacist',
    'speak to a community pharmacist', 'contact a community pharmacist', 'speak to a midwife',
    'contact a midwife', 'speak to an optometrist', 'contact an optometrist', 'speak to a clinician from',
    'contact dental', 'speak to dental', 'contact optometrist', 'speak to optometrist',
    'contact community pharmacist', 'speak to community pharmacist', 'contact crisis', 'speak to crisis',
    'contact the crisis', 'speak to the crisis',
    'nurse visit', 'nurse visits', 'nursing visit',
    'nursing visits', 'stop taking', 'start taking', 'keep taking', 'continue taking',
    'please stop taking', 'please start taking', 'before the test', 'before your test', 'for the test',
    'after the test', 'before the procedure', 'ct report', 'mri report', 'scan report',
    'x ray report', 'ultrasound report', 'ecg report', 'echo report', 'doppler report',
    'slipped away from', 'child protection information system', 'child protection information sharing',
    'child protection - information sharing', 'cp-is', 'cp is check',
    'call 999', 'dial 999', 'ring 999', 'phone 999', 'call 111', 'dial 111', 'ring 111', 'phone 111',
    'call an ambulance', 'ring for an ambulance', 'call for an ambulance',
    -- a laboratory's add-on tests, not a medicine added
    'added to this sample', 'added to the sample', 'added to the original sample', 'added on to the sample',
    'added to the request', 'added to this request', 'have been added to this sample',
    'has been added to this sample', 'have been added to the sample', 'has been added to the sample',
    'was added to the sample', 'were added to the sample', 'have been added to the request',
    'has been added to the request'],
    NULL, NULL, false, 'ignore-phrase: cancels the rules it covers (place names, set phrases)');

DROP FUNCTION @extschema@.add_default_rules(text[], text, @extschema@.urgency, boolean, text);

-- modifiers(phrases, category, direction, scope)
CREATE FUNCTION @extschema@.add_default_modifiers(phrases text[], cat text, dir text, sc integer)
    RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, pg_temp
    AS $$ INSERT INTO @extschema@.modifier (phrase, category, direction, scope, dump)
          SELECT p, cat, dir, sc, false FROM pg_catalog.unnest(phrases) AS p $$;

SELECT @extschema@.add_default_modifiers(ARRAY[
    'no', 'not', 'nor', 'denies', 'denied', 'deny', 'denying', 'without', 'absence of', 'absent',
    'negative for', 'free of', 'free from', 'no evidence of', 'no signs of', 'no sign of', 'no history of',
    'never', 'neither', 'no longer', 'cannot', 'can''t', 'doesn''t', 'didn''t', 'don''t', 'isn''t',
    'wasn''t', 'won''t', 'aren''t', 'haven''t', 'hasn''t', 'no need', 'no need to', 'unnecessary',
    'declined', 'declines', 'refused', 'refuses', 'rather than', 'ruled out', 'rules out', 'excluded',
    'no further', 'resolution of', 'fails to reveal', 'not demonstrate', 'no suggestion of',
    'nothing to suggest', 'unlikely to be', 'not consistent with', 'negative', 'no new', 'nil',
    'no abnormal', 'no acute', 'no clinical', 'no obvious', 'no significant', 'no definite',
    'no convincing', 'no features of', 'there is no', 'there are no', 'was not', 'is not', 'did not',
    'does not', 'do not', 'has not', 'have not'],
    'negated', 'forward', 8);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'not required', 'not needed', 'not necessary', 'not indicated', 'not present', 'none', 'ruled out',
    'was ruled out', 'has been ruled out', 'excluded', 'resolved', 'has resolved', 'have resolved',
    'negative', 'was negative', 'were negative', 'is negative', 'unlikely', 'not seen', 'not identified',
    'not found', 'not detected', 'absent', 'free', 'declined', 'nil', 'not appropriate', 'not raised',
    'not applicable', 'n/a', 'none known', 'nil known', 'none identified', 'none reported',
    'not suspected', 'not a concern', 'not a problem', 'no longer', 'below threshold',
    'did not meet the threshold', 'does not meet the threshold', 'not meet the threshold',
    'no further action'],
    'negated', 'backward', 5);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'if', 'should you', 'should the practice', 'if you feel', 'should he', 'should she', 'should they', 'should there', 'should symptoms', 'should his',
    'should her', 'should the', 'should this', 'should any', 'in case', 'in the event', 'unless',
    'whether', 'may', 'might', 'to rule out', 'rule out', 'r/o', 'to exclude', 'exclude',
    'prevent', 'prevention of', 'prophylaxis', 'in future', 'in the future', 'return if',
    'seek', 'safety net', 'safety netting', 'safety netted', 'would need', 'would require', 'watch for', 'look out for', 'monitor for', 'were to', 'evaluate for', 'evaluation of', 'assess for',
    'screen for', 'screening for', 'in order to', 'to check for', 'welcome to', 'feel free to',
    'happy to see', 'happy to review', 'happy to re', 'would be happy to', 'do not hesitate to',
    'may wish to', 'wish to consider'],
    'hypothetical', 'forward', 0);
-- a risk names its hazard, a few words long ("the risk of refeeding syndrome
-- and cardiac complications"), not the ask written after it in the sentence
SELECT @extschema@.add_default_modifiers(ARRAY['risk of', 'at risk of'],
    'hypothetical', 'forward', 4);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'if needed', 'if required', 'if necessary', 'if indicated', 'as required', 'prn', 'if symptoms persist',
    'if concerned', 'if concerns', 'if appropriate', 'if it recurs', 'if this recurs', 'if worse',
    'if it worsens', 'if symptoms worsen', 'if he develops', 'if she develops', 'if they develop',
    'if there are', 'if there is', 'if persistent', 'if persists', 'if no improvement', 'if not improving',
    'should it', 'should they', 'should this', 'should symptoms', 'is suspected', 'was suspected',
    'cannot be excluded', 'can not be excluded', 'not excluded', 'to be excluded', 'is possible', 'are possible', 'was possible', 'remains possible', 'also possible', 'seems possible', 'likely',
    'unless', 'in the future', 'in future', 'in due course'],
    'hypothetical', 'backward', 6);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'history of', 'h/o', 'hx of', 'previous', 'previously', 'prior', 'in the past', 'past history',
    'known', 'background of', 'status post', 's/p', 'last year', 'former', 'formerly', 'remote',
    'childhood', 'as a child', 'at the age of', 'back in', 'earlier this year', 'resolved', 'historic', 'historical', 'last month', 'last week',
    'you will recall', 'you may recall', 'as you will recall', 'as you may recall', 'you may remember'],
    'historical', 'forward', 6);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'ago', 'years ago', 'months ago', 'previously', 'in the past', 'now closed', 'closed', 'was closed',
    'has since closed', 'last year', 'as a child', 'in childhood', 'historically', 'since resolved',
    'completed', 'has completed', 'course completed', 'previously treated', 'last month', 'last week',
    'earlier this year', 'earlier this month', 'which was treated', 'was treated at the time',
    'treated at the time', 'for years', 'for many years', 'for some years'],
    'historical', 'backward', 6);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'father', 'mother', 'brother', 'sister', 'son', 'daughter', 'husband', 'wife', 'partner', 'uncle',
    'aunt', 'grandmother', 'grandfather', 'grandparent', 'grandparents', 'cousin', 'sibling', 'siblings',
    'parents', 'relative', 'relatives', 'nephew', 'niece', 'twin', 'dad', 'mum', 'mom', 'fiance',
    'friend', 'neighbour', 'late husband', 'late wife', 'father''s', 'mother''s', 'husband''s',
    'wife''s', 'brother''s', 'sister''s', 'grandad', 'granddad', 'grandma', 'grandpa', 'gran', 'nan',
    'nana', 'nanna', 'stepfather', 'stepmother', 'stepdad', 'stepmum', 'stepson', 'stepdaughter',
    'girlfriend', 'boyfriend', 'fiancé', 'fiancée', 'fiancee', 'godfather', 'godmother', 'carer',
    'another resident', 'other resident', 'other residents', 'fellow resident', 'another patient',
    'other patients', 'a resident', 'next bed', 'dog', 'cat', 'pet', 'puppy', 'kitten', 'rabbit', 'horse',
    'goldfish', 'fish', 'hamster', 'guinea pig', 'budgie', 'parrot', 'tortoise', 'gerbil', 'pony'],
    'other_person', 'forward', 3);
-- a notice withdrawn: "the death notification was sent in error; please disregard it"
SELECT @extschema@.add_default_modifiers(ARRAY[
    'sent in error', 'was sent in error', 'in error', 'please disregard', 'is not deceased', 'is alive'],
    'negated', 'backward', 6);
-- (a relative who tells of their own parent, child or spouse tells of the patient,
-- "her daughter told us that her mother had died", and so does a call made to tell
-- of a death, "Mr Hale rang to say his wife died": read in kin.c)
SELECT @extschema@.add_default_modifiers(ARRAY[
    'family history', 'family history of', 'fh of', 'fhx', 'family hx', 'familial', 'in the family',
    'runs in the family', 'family member', 'family members'],
    'other_person', 'forward', 0);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'but', 'however', 'although', 'though', 'except', 'apart from', 'aside from', 'other than', 'which',
    'who', 'whose', 'because', 'due to', 'secondary to', 'cause of', 'causes of', 'source of',
    'sources of', 'reason for', 'reasons for', 'etiology', 'aetiology', 'still', 'yet', 'whereas',
    'while', 'nevertheless', 'otherwise', 'presents with', 'presented with', 'presenting with',
    'complains of', 'complaining of', 'reports', 'reported', 'on examination', 'says she', 'says he',
    'said she', 'said he', 'states she', 'states he',
    'as well as', 'and then', 'and is', 'and has', 'and was', 'and she', 'and he', 'as he', 'as she',
    'and to get', 'and to book', 'and to make', 'and to see', 'and to ask'],
    'termination', 'forward', 0);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'if possible', 'where possible', 'wherever possible', 'if at all possible', 'if feasible',
    'if this is not possible', 'if that is not possible', 'not too much trouble', 'if it is not too much trouble',
    'if it isn''t too much trouble', 'if it''s not too much trouble', 'i wonder whether',
    'i wonder if', 'i was wondering if', 'i was wondering whether', 'wondered whether', 'wondered if',
    'just wondering if', 'just wondering whether', 'when possible', 'whenever possible', 'just in case medicines',
    'just in case medication', 'just in case medications', 'just in case meds', 'made up', 'her own gp',
    'his own gp', 'their own gp', 'own gp', 'if not possible', 'if this isn''t possible',
    'if this is not convenient', 'if you are unable to', 'if you cannot', 'if you can''t',
    'not only', 'not necessarily', 'grateful if', 'be grateful if', 'appreciate it if', 'helpful if', 'if you could', 'if you would', 'if you can', 'if the practice could', 'if you are able', 'would be grateful', 'would be most grateful', 'would be appreciated', 'see the enclosed', 'see the attached', 'without difficulty', 'gram negative', 'whether or not', 'not certain if',
    'not certain whether', 'no increase', 'no interval change', 'no significant interval change',
    'not drain', 'not extend', 'not cause', 'please note', 'please find', 'please be aware',
    'please do not hesitate', 'please feel free', 'please contact me', 'please contact us',
    'please see attached', 'please see below', 'if you have any', 'if you would like', 'if you need',
    'if you require', 'if i can', 'if we can', 'if there is anything', 'no doubt', 'no problem',
    'none left', 'no spare', 'none at home', 'none remaining', 'no more left', 'please see the previous',
    'please see the attached', 'please see the enclosed',
    'nothing further', 'not been able', 'if so', 'if not', 'even if', 'as if', 'only if',
    'may be contacted', 'may contact', 'you may', 'you might', 'not to be', 'rather than wait',
    'not for resuscitation', 'not for cpr', 'not for hospital admission', 'not for admission',
    'no earlier than', 'not later than', 'no later than', 'not before', 'no later', 'does not require a',
    'negative pressure', 'is still', 'are still', 'still clinically', 'is due to see',
    'are due to see', 'is due to attend', 'is due to be seen', 'to be done', 'be done', 'not done',
    'not been done', 'have recommended', 'has recommended', 'had recommended',
    'still needs', 'still need', 'still requires', 'still require', 'still wishes', 'still wants',
    'asked if', 'asks if', 'asking if', 'asked whether', 'asks whether', 'asking whether',
    'we cannot', 'we can not', 'we can''t', 'we are unable to', 'we are not able to',
    'clinic is closed', 'surgery is closed', 'practice is closed', 'pharmacy is closed', 'office is closed',
    'department is closed', 'closed for', 'closed over',
    'cannot lift', 'can''t lift', 'unable to lift', 'cannot move', 'can''t move', 'unable to move',
    'cannot speak', 'can''t speak', 'unable to speak', 'cannot walk', 'can''t walk', 'unable to walk',
    'cannot stand', 'can''t stand', 'unable to stand', 'cannot swallow', 'can''t swallow', 'unable to swallow',
    'cannot get up', 'can''t get up', 'unable to get up', 'cannot feel', 'can''t feel',
    'unable to weight bear', 'cannot weight bear', 'can''t weight bear', 'can''t put', 'cannot put',
    'unable to put', 'can''t bear', 'cannot bear'],
    'pseudo', 'forward', 0);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'we have', 'we''ve', 'i have', 'i''ve', 'we will', 'we''ll', 'i will', 'i''ll', 'we are', 'we',
    'has been', 'have been', 'had been', 'already', 'by us', 'by our team', 'by the team', 'by the ward',
    'by the hospital', 'by the clinic', 'by the unit', 'by the department', 'by our', 'by myself',
    'our team will', 'the team will', 'the ward will', 'the clinic will', 'the hospital will',
    'we arranged', 'we referred', 'we requested', 'we booked', 'we organised', 'booked', 'arranged',
    'requested', 'organised', 'sent', 'was referred', 'were referred', 'was seen', 'was reviewed',
    'will be reviewed', 'will be seen', 'will be booked', 'will be sent', 'will follow', 'will be arranged',
    'will be contacted', 'will be repeated', 'will be checked', 'in clinic', 'at clinic', 'in our clinic',
    'on the ward', 'during admission', 'during her admission', 'during his admission', 'while in hospital',
    'whilst in hospital', 'before discharge', 'prior to discharge', 'on discharge', 'were taken',
    'was taken', 'was performed', 'were performed', 'was done', 'were done', 'was carried out',
    'performed', 'underwent', 'received', 'was given', 'were given', 'given in', 'administered',
    'was', 'were', 'attended', 'thank you for referring', 'thank you for your', 'thank you for seeing', 'referred by',
    'referred under', 'was referred under', 'has been referred', 'already been referred', 'i saw',
    'we saw', 'i reviewed', 'we reviewed', 'we discussed', 'i discussed', 'last month', 'last week', 'has attended', 'made', 'been made', 'is booked', 'are booked',
    'is arranged', 'is planned', 'are planned', 'planned', 'is scheduled', 'scheduled', 'done',
    'nurse to', 'nurses to', 'nurse will', 'nurses will', 'team to', 'service to', 'service will',
    'team will', 'cns to', 'cns will', 'matron to', 'matron will', 'therapist to', 'therapist will',
    'myself', 'ourselves'],
    'completed', 'both', 5);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'advised to', 'she has been advised', 'he has been advised', 'they have been advised', 'advised her',
    'advised him', 'advised them', 'told to', 'asked to', 'encouraged to', 'she will', 'he will',
    'they will', 'she should', 'he should', 'patient to', 'patient will', 'patient should', 'she knows',
    'he knows', 'she is aware', 'he is aware', 'she can', 'he can', 'self refer', 'self referral',
    'she may', 'he may', 'she is to', 'he is to', 'she would like', 'he would like', 'she plans',
    'he plans', 'family will', 'family to', 'family should', 'family are aware', 'she intends',
    'he intends', 'she has agreed', 'he has agreed', 'she agreed', 'he agreed', 'she is happy to',
    'he is happy to', 'she wishes', 'he wishes', 'her family', 'his family', 'carers will',
    'patient has been', 'she was advised', 'he was advised', 'to seek', 'to attend',
    'to ring', 'to phone', 'dial 999', 'call 999', 'ring 999', 'call 111',
    'she needs to', 'he needs to', 'she must', 'he must', 'they should', 'you should', 'his own',
    'her own', 'their own', 'will book his', 'will book her', 'will make an appointment'],
    'patient', 'forward', 6);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'please', 'grateful if', 'be grateful', 'would appreciate', 'could you', 'would you', 'can you',
    'could the practice', 'can the practice', 'kindly', 'gp to', 'gp please', 'practice to', 'for the gp',
    'for gp', 'action for gp', 'actions for gp', 'we ask', 'i ask', 'we would ask', 'i would ask',
    'we recommend', 'i recommend', 'we would recommend', 'i would recommend', 'recommend',
    'recommended', 'we suggest', 'i suggest', 'i would suggest', 'we would suggest', 'suggest',
    'consider', 'needs to be', 'need to be', 'needs', 'need', 'will need', 'should be', 'should have', 'must be',
    'requires', 'require', 'ensure', 'request that', 'we request', 'i request', 'ask that', 'i would be',
    'we would be', 'primary care', 'practice nurse',
    'is due', 'are due', 'needs to', 'need to', 'needed', 'if you could', 'if you would', 'if you can',
    'if the practice could', 'if you are able', 'asked that the practice', 'ask that the practice',
    'asked that you', 'ask that you', 'request that the practice', 'asks that the practice', 'asks that',
    'asks that the gp', 'asked that the gp',
    'referred to own gp', 'referred to their own gp', 'referred to the gp', 'referred to his gp',
    'referred to her gp', 'onward referral to gp',
    'i must', 'said i must', 'says i must', 'told me i must', 'told me to', 'told me i need to',
    'said i should', 'says i should', 'advised me to',
    'pls', 'plz', 'requesting that', 'we are requesting', 'we are asking', 'asking that',
    'would like the practice to', 'would like you to', 'ask the practice to', 'asked the practice to',
    'requests that', 'practice nurse to', 'warrants', 'merits',
    'ensure the patient has been', 'ensure that the patient has been', 'ensure she has been',
    'ensure he has been', 'ensure that she has been', 'ensure that he has been',
    'asked if a doctor', 'asked if the doctor', 'asked if a gp', 'asked if the gp', 'asked if someone',
    'asks if a doctor', 'asks if the doctor', 'asks if a gp', 'asks if the gp', 'asking if a doctor',
    'asking if the gp', 'asked whether a doctor', 'asked whether the gp',
    'request to the gp', 'request to the practice', 'requests to the gp', 'requests to the practice',
    'requested of the gp', 'requested of the practice', 'requested from the gp',
    'requested from the practice', 'recommends', 'meets criteria for', 'meets the criteria for',
    'requesting clinician to', 'referring clinician to', 'requester to', 'is required', 'are required',
    'is needed', 'are needed', 'required by', 'needed by', 'advises', 'we advise', 'i advise',
    'we would advise', 'i would advise', 'would advise'],
    'request', 'forward', 0);
-- a lay writer's "would like a doctor to ring her tomorrow" asks as "please" does
SELECT @extschema@.add_default_modifiers(ARRAY['doctor to', 'someone to', 'somebody to'],
    'request', 'forward', 2);
-- and so do a patient's questions: "Could a doctor give me a call", "Could I have an appointment"
SELECT @extschema@.add_default_modifiers(ARRAY['could a', 'can a', 'could i', 'can i', 'may i', 'could we', 'can we',
    'could someone', 'can someone', 'could somebody', 'can somebody', 'would it be possible',
    'is it possible', 'might be able to', 'would be able to'],
    'request', 'forward', 2);
SELECT @extschema@.add_default_modifiers(ARRAY['can the doctor', 'could the doctor', 'can the gp',
    'could the gp', 'can dr', 'could dr', 'can doctor', 'could doctor'],
    'request', 'forward', 4);
-- "I was wondering if the doctor could ring her": a request put politely, not a condition
SELECT @extschema@.add_default_modifiers(ARRAY['wondering if', 'wonder if', 'wondered if', 'wondering whether',
    'wonder whether', 'wondered whether', 'wonder whether it might be possible', 'wonder if it might be possible',
    'wondered whether it might be possible', 'wondered if it might be possible',
    'wondering whether it might be possible', 'wondering if it might be possible',
    'would be sensible to', 'would be reasonable to', 'would be advisable to', 'would be prudent to',
    'would be wise to', 'would be worth', 'we would be grateful', 'we would be most grateful',
    'we would be very grateful', 'is requested to', 'are requested to', 'is asked to', 'are asked to',
    'request gp', 'request a gp', 'request the gp', 'might be worth', 'may be worth', 'might be a good idea if',
    'would be a good idea if', 'might be a good idea', 'may feel it appropriate to', 'might feel it appropriate to',
    'feel it appropriate to'],
    'request', 'forward', 0);
-- "it might be possible for one of the doctors to give her a ring today"
SELECT @extschema@.add_default_modifiers(ARRAY(
    SELECT m || ' be possible for ' || w
      FROM pg_catalog.unnest(ARRAY['might', 'may', 'would']) AS m,
           pg_catalog.unnest(ARRAY['a doctor', 'the doctor', 'one of the doctors', 'a gp', 'the gp', 'someone',
                                   'you', 'the practice']) AS w),
    'request', 'forward', 0);
SELECT @extschema@.add_default_modifiers(ARRAY['is there any way', 'is there any chance', 'any chance',
    'is there a doctor', 'is there someone'],
    'request', 'forward', 6);
-- a 111 message's disposition is what the service it names is to do ("Disposition: speak
-- to own GP practice within 24 hours")
SELECT @extschema@.add_default_modifiers(ARRAY['disposition'], 'request', 'forward', 8);
-- and the older ones name the practice and its time ("Contact GP practice within 2 hours")
SELECT @extschema@.add_default_modifiers(ARRAY[
    'gp practice within', 'gp surgery within', 'gp within'], 'request', 'forward', 1);
-- what is wanted from the practice by a time: "information from the GP by 12:00 tomorrow"
SELECT @extschema@.add_default_modifiers(ARRAY[
    'from the gp', 'from the practice', 'from your practice', 'from the surgery', 'from yourselves'],
    'request', 'forward', 3);
SELECT @extschema@.add_default_modifiers(ARRAY[
    'please', 'by the gp', 'by her gp', 'by his gp', 'by their gp', 'by gp', 'by the practice',
    'by yourselves', 'by you', 'in primary care', 'with her gp', 'with his gp', 'with the gp',
    'at the surgery', 'in the practice', 'at the practice', 'in surgery', 'at your surgery', 'required',
    'is required', 'are required', 'needed', 'is needed', 'are needed', 'should be', 'needs', 'need',
    'is due', 'are due', 'due in', 'recommended', 'is recommended', 'are recommended', 'advised',
    'would be appreciated', 'thank you', 'many thanks', 'thanks', 'pls',
    'by the requesting clinician', 'by the referring clinician', 'by the requester'],
    'request', 'backward', 6);
-- what the practice is to arrange, said after it ("REPEAT INR IN 2 DAYS - GP practice to book")
SELECT @extschema@.add_default_modifiers(ARRAY[
    'gp practice to book', 'practice to book', 'gp to book', 'surgery to book', 'gp practice to arrange',
    'practice to arrange', 'gp to arrange', 'surgery to arrange'],
    'request', 'backward', 8);

DROP FUNCTION @extschema@.add_default_modifiers(text[], text, text, integer);

INSERT INTO @extschema@.section (heading, meaning, dump)
SELECT h, m, false
  FROM (VALUES
    ('actions for gp', 'actions'), ('action for gp', 'actions'), ('actions for the gp', 'actions'),
    ('action for the gp', 'actions'), ('gp actions', 'actions'), ('gp action', 'actions'),
    ('actions required', 'actions'), ('action required', 'actions'), ('actions', 'actions'),
    ('requests to gp', 'actions'), ('request to gp', 'actions'), ('requests', 'actions'),
    ('recommendations for gp', 'actions'), ('recommendations to gp', 'actions'),
    ('recommendations', 'actions'), ('for the gp', 'actions'),
    ('for gp', 'actions'),
    ('gp to', 'actions'), ('gp follow up', 'actions'), ('follow up by gp', 'actions'),
    ('follow up by the gp', 'actions'), ('to do', 'actions'), ('action', 'actions'),
    ('gp to do', 'actions'), ('gp', 'actions'), ('gp practice', 'actions'),
    ('actions for the practice', 'actions'), ('action for the practice', 'actions'),
    ('actions for practice', 'actions'), ('practice actions', 'actions'), ('for the practice', 'actions'),
    ('actions for primary care', 'actions'), ('for primary care', 'actions'),
    ('requests for the gp', 'actions'), ('request for gp', 'actions'),
    ('suggested action', 'actions'), ('suggested actions', 'actions'),
    ('advice to gp', 'actions'), ('advice to the gp', 'actions'), ('advice for gp', 'actions'),
    ('advice for the gp', 'actions'),
    ('medication changes', 'medication'), ('changes to medication', 'medication'),
    ('medicines changes', 'medication'), ('drug changes', 'medication'), ('new medication', 'medication'),
    ('new medications', 'medication'), ('medications started', 'medication'),
    ('medication started', 'medication'), ('medications stopped', 'medication'),
    ('medication stopped', 'medication'), ('medication', 'medication'), ('medications', 'medication'),
    ('medicines', 'medication'), ('drugs', 'medication'), ('discharge medication', 'medication'),
    ('medication on discharge', 'medication'), ('medications on discharge', 'medication'),
    ('tto', 'medication'), ('ttos', 'medication'), ('treatment', 'medication'),
    ('meds', 'medication'), ('meds on discharge', 'medication'), ('discharge meds', 'medication'),
    ('meds changed', 'medication'), ('meds changes', 'medication'), ('tto meds', 'medication'),
    ('past medical history', 'history'), ('pmh', 'history'), ('past history', 'history'),
    ('previous history', 'history'), ('medical history', 'history'), ('past surgical history', 'history'),
    ('psh', 'history'), ('background', 'history'), ('previous medical history', 'history'),
    ('past medical and surgical history', 'history'), ('relevant history', 'history'),
    ('family history', 'family'), ('fh', 'family'), ('family medical history', 'family'),
    ('information given to patient', 'patient'), ('information given to the patient', 'patient'),
    ('advice given', 'patient'), ('advice to patient', 'patient'), ('advice', 'patient'),
    ('patient advice', 'patient'), ('safety netting', 'patient'), ('safety net advice', 'patient'),
    ('information for the patient', 'patient'), ('patient information', 'patient'),
    ('advice given to patient', 'patient'), ('advice given to the patient', 'patient'),
    ('information given', 'patient'),
    ('diagnosis', 'none'), ('diagnoses', 'none'), ('presenting complaint', 'none'),
    ('history of presenting complaint', 'none'), ('hpc', 'none'), ('examination', 'none'),
    ('on examination', 'none'), ('o/e', 'none'), ('investigations', 'none'), ('results', 'none'),
    ('impression', 'none'), ('assessment', 'none'), ('summary', 'none'), ('procedure', 'none'),
    ('plan', 'none'), ('management', 'none'), ('follow up', 'none'), ('clinical summary', 'none'),
    ('hospital course', 'none'), ('progress', 'none'), ('outcome', 'none'), ('allergies', 'none'),
    ('social history', 'none'), ('history', 'none'), ('yours sincerely', 'none'), ('kind regards', 'none'),
    ('yours faithfully', 'none'), ('with best wishes', 'none'), ('letter id', 'none'),
    ('nhs number', 'none'), ('to', 'none'), ('from', 'none'), ('dated', 'none'), ('kind', 'none'),
    ('subject', 'none'), ('re', 'none'), ('patient', 'none'), ('consultant', 'none'),
    ('date of admission', 'none'), ('date of discharge', 'none'), ('reason for admission', 'none'),
    ('indication', 'none'), ('findings', 'none'), ('conclusion', 'none'), ('comments', 'none'), ('comment', 'none'), ('recommendation', 'none'),
    ('discussion', 'none')
  ) AS v(h, m);
