SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;

-- Classes of error found on letters written by people outside the project
-- (issue 25), each written for this test in words of our own, with controls.
CREATE TEMP TABLE letter (id text PRIMARY KEY, body text NOT NULL);
INSERT INTO letter VALUES
 -- "May" next to a day number or inside a sentence is the month, not a hypothesis
 ('may-month', E'Community Stroke Team\n\nWe arranged to visit Mr Oakes on 3 May. When our nurse called, his daughter told us that he had died at home during the night.\n\nWe have closed his episode of care.'),
 ('may-month-early', E'Dear Dr Roe,\nIn early May Mrs Hale passed away peacefully at the care home.'),
 -- the patient's death told by a relative: the relative is the subject of the
 -- telling, the patient of the dying; a name in apposition is the same person
 ('death-told-by-son', E'Dear Dr Roe,\nMrs Penn did not attend the memory clinic. When we rang, her son said she died last Tuesday.'),
 ('other-death-apposition', E'Out of hours summary\n\nMrs Penn rang in tears because her husband, Mr Walter Penn, had died at home an hour earlier. Our nurse verified his death.\n\nFor information only.'),
 ('other-death-control', E'Dear Dr Roe,\nHer father died of a stroke when she was 40.'),
 -- asked to call someone about the patient: the deadline is the call's
 ('call-relative-today', E'Dear Dr Roe,\nThe child''s swab has grown group A streptococcus. Please could you telephone her father today.'),
 ('relative-event-today', E'Dear Dr Roe,\nHer husband had a fall today and is in hospital; no action is needed.'),
 -- US wording of a death; an expired prescription is no death
 ('death-expired', E'DISCHARGE SUMMARY\nHOSPITAL COURSE: Despite maximal support her blood pressure fell and she subsequently expired with her family at the bedside.'),
 ('death-pronounced', E'The family agreed to comfort care. Ventilation was withdrawn and he was pronounced expired at 03:10.'),
 ('expired-not-death', E'Dear Dr Roe,\nHer medical exemption certificate has expired; she has been given the form to renew it.'),
 -- a call to a relative about the patient is asked of the GP
 ('call-the-mother', E'Health visitor\n\nThe baby has lost weight again. Please could the GP contact the mother today to arrange a review.'),
 ('call-the-team', E'Dear Dr Roe,\nPlease contact the ward if you have any questions.'),
 -- an NHS Pathways disposition: primary care to speak to the patient within hours
 ('pathways-disposition', E'NHS 111 post event message\n\nSymptom: abdominal pain, vomiting\nDisposition: Speak to a Primary Care Service within 2 hours\nCare advice given.'),
 -- a hedge is not a condition
 ('hedge-if-possible', E'Dear Dr Roe,\nShe is much more breathless. Please could you see her at home today, before her admission if possible.'),
 ('real-condition', E'Dear Dr Roe,\nIf she becomes more breathless, please see her the same day.'),
 -- a weekday or the weekend as a deadline; a weekday on which something was done is not one
 ('tf-on-weekday', E'Dear Dr Roe,\nHis sodium has fallen to 126. Please could the practice repeat his U&E on Monday morning.'),
 ('tf-before-weekend', E'Dear Dr Roe,\nPlease review her wound before the weekend.'),
 ('weekday-done', E'Dear Dr Roe,\nShe was seen in our clinic on Monday; please review her medication in 4 weeks.'),
 -- a safeguarding notification whose deadline is the practice's
 ('sg-deadline', E'Children''s Social Care\n\nRe: Kayden (age 4)\nA child protection strategy discussion is being held and the social worker needs information from the practice by 10:00 tomorrow.'),
 ('sg-narrated-today', E'Dear Dr Roe,\nShe disclosed domestic abuse at our clinic today; a MARAC referral has been made by us.'),
 -- medicines stopped because the patient died are no medication change for the GP
 ('death-meds-stopped', E'Hospice notification\n\nMr Lund died peacefully on the ward last night. His syringe driver was removed and his repeat prescriptions have been discontinued.'),
 ('death-call-family', E'Verification of death\n\nMrs Cole died at home at 05:10. Please issue the MCCD and telephone her daughter when it is ready.'),
 ('meds-stopped-alive', E'Dear Dr Roe,\nHis repeat prescriptions for ramipril have been discontinued because of his kidney function.'),
 -- "treatment" alone names no medicine; with one named it is a medication change
 ('treatment-unnamed', E'Dear Dr Roe,\nPlease could a GP see her at home within 24 hours about her new confusion and decide on treatment.'),
 ('treatment-named', E'Dear Dr Roe,\nHer chlamydia test is positive. Please could the practice arrange treatment with doxycycline this week.'),
 -- a scan the rules did not know; a report sent on is no test; a new clause ends what the sender did
 ('doppler-asked', E'Dear Dr Roe,\nWe have started apixaban. Please arrange a venous Doppler of the left leg within 48 hours.'),
 ('scan-report-attached', E'Dear Dr Roe,\nPlease refer him to the chest clinic, attaching the CT report.'),
 ('clause-ends-done', E'Dear Dr Roe,\nPlease see him next week with an FBC, and if the bleeding has been settled please restart his aspirin.'),
 ('may-modal', E'Dear Dr Roe,\nMr Oakes may have died: his carers could not get into his flat this morning and the police are attending.'),
 -- a relative telling of their own parent or spouse tells of the patient; the patient's own family history does not
 ('death-teller-own-parent', E'District nursing\n\nRe: Mrs Ada Quinn\nAt the planned visit her son told us that his mother had died at home on Saturday night.'),
 ('death-caller-spouse', E'Telephone message\n\nRe patient: Mrs Joan Baines\nMr Baines phoned to say his wife Joan died in hospital early today.'),
 ('teller-own-sibling', E'Dear Dr Roe,\nHer son told us that his brother died last year; she is low in mood. Please review her in 4 weeks.'),
 ('fh-patient-tells', E'Dear Dr Roe,\nShe told me that her mother died of a stroke at 70. Please check her blood pressure in 3 months.'),
 -- the teller far from what they tell, across commas; the patient's sex decides whose parent it is
 ('teller-far', E'Rheumatology\n\nHer daughter telephoned the clinic reception this morning to cancel the appointment and told our staff that, sadly, her mother passed away at home last week.'),
 ('teller-wrong-sex', E'Dear Dr Roe,\nHer son rang to say his father died last week; she is coping. Please review her in a month.'),
 ('teller-in-law', E'Dear Dr Roe,\nHis daughter informed us that her mother-in-law has died. Please review him in 6 weeks.'),
 -- a call made to tell, not one made because of a death; a death years ago is history
 ('caller-to-say', E'Message taken by the team\n\nCaller: Karen (daughter)\nKaren rang the team line to say that her dad went to sleep and didn''t wake up overnight.'),
 ('caller-because', E'Out of hours summary\n\nPatient: Mrs Eileen Marsh\nMrs Marsh telephoned 111 in distress because her husband, Mr Arnold Marsh, had died at home shortly before.'),
 ('death-years-ago', E'Dear Dr Roe,\nHe lives alone; his wife died in 2019. Please review his mood in 4 weeks.'),
 -- a death named by the patient's name, not by a relation
 ('named-death', E'Home oxygen service\n\nFollowing notification from his son on 25/11 of Mr Vaughan''s death at home, we have closed his oxygen order.'),
 ('relation-death', E'Dear Dr Roe,\nSince her husband''s death in May she has been low. Please review her in 2 weeks.'),
 ('own-death-plan', E'Palliative care\n\nWe discussed his wishes around his death and his preferred place of care.'),
 -- a lead-in's time frame is its items'; a patient's own request for a call
 ('lead-in-frame', E'Dear Dr Roe,\nPlease could the practice within the next 48 hours:\n - arrange FBC and U&E\n - see her for a lying and standing BP\nThank you.'),
 ('lay-call-request', E'Dear Doctors,\nI found a lump a week ago and the first appointment is in three weeks. Please could someone ring me in the next day or two.'),
 ('clinician-call-offer', E'Dear Dr Roe,\nHis wound has healed and he is discharged. Please call me if you have any questions.'),
 ('lay-call-relative', E'Telephone message\n\nCaller: daughter\nSusan would like a doctor to ring her tomorrow morning about his new water tablets.'),
 -- a field label with nothing under it, a copy list: no concern raised
 ('label-none', E'Dear Dr Roe,\nShe was discharged well after a short stay.\n\nSafeguarding: none.\n\nMedication changes: none\n\ncc: Named Nurse for Safeguarding Children'),
 ('label-concern', E'Dear Dr Roe,\nShe was discharged well.\n\nSafeguarding: concerns about neglect at home; a referral has been made by the ward.'),
 -- a measurement made today gives no deadline to the request before it
 ('today-measured', E'Dear Dr Roe,\nI would be grateful if you could prescribe mirabegron 50 mg once daily. Her BP today was 128/76.'),
 -- a call and then a second task: both
 ('call-then-change', E'Microbiology comment: the organism is resistant. Please contact the patient today and change antibiotic to cefalexin 500 mg twice daily.'),
 -- a report addressed to the requester: its recommendation is asked of them; a deadline "required by"
 ('report-requester', E'Radiology report\n\nConclusion: complex adnexal mass, high suspicion of malignancy.\nURGENT suspected cancer (2WW) referral by the requesting clinician.'),
 ('report-meets-criteria', E'Clinical Biochemistry\n\nPSA 14.6 ug/L. Lab comment: this meets criteria for referral on the suspected prostate cancer pathway (2WW).'),
 ('sg-report-required', E'Child protection conference\n\nAn initial child protection conference will be held following a Section 47 enquiry regarding neglect. Your report is required no later than 16:00 on Tuesday.'),
 ('issue-remaining', E'Out of hours\n\nACTION FOR GP: Please issue the remaining 5 days of clarithromycin 500 mg BD before her supply runs out on Monday.'),
 -- an outside tester's: the teller in the sentence before, reports of a call, unowned and in-law, step- and
 -- foster relations, a quoted "my mum"; and relatives' own deaths, the patient's sex from "Mr X's", carers
 ('kin-prev-sentence', E'Telephone message\n\nMr Reid''s daughter telephoned on Monday. She told us that her father had died at home.'),
 ('kin-prev-call', E'Ward message\n\nHer son rang the ward at 07:15. He said that his mother had died peacefully overnight.'),
 ('kin-message-from', E'Message from Mrs Kaur''s son - his mum passed away at 2am today.'),
 ('kin-unowned', E'Daughter rang - mum passed away last night at home, family with her. DN visit cancelled.'),
 ('kin-informed-by', E'District nurses\n\nWe were informed by her son that his mum had passed away peacefully on Tuesday.'),
 ('kin-told-nurse', E'Call from son, Mark Jones, who told the nurse that his father passed away overnight.'),
 ('kin-in-law', E'Hospice\n\nHer son-in-law phoned to tell us that his mother-in-law passed away in the hospice yesterday.'),
 ('kin-step', E'Message\n\nHis step-son rang to say his step-father died this morning.'),
 ('kin-quoted', E'Message\n\nHer son rang to say "my mum passed away last night".'),
 ('kin-grandad', E'Dear Dr Roe,\nShe told me her grandad died last week. Please stop her warfarin and repeat her INR within 48 hours.'),
 ('kin-title-sex', E'Dear Dr Roe,\nMr Reid''s son rang to say his mother died last night. Please could you review Mr Reid today as he is very low.'),
 ('kin-carer', E'Message\n\nHer carer rang to say her mother died.'),
 ('kin-pronoun-patient', E'Dear Dr Roe,\nHer daughter visited. She said her mother had died last year. Please review her mood in 4 weeks.'),
 -- a second tester's: the caller's pronoun of the patient's sex, a name's possessive written s', unowned spouses, "found dead"
 ('kin-pronoun-caller', E'Phone message\n\nMr Dunmore''s son called. He said his dad died yesterday evening in the hospice.'),
 ('kin-s-apostrophe', E'Message\n\nMrs Lyons'' son called to say his mother died.'),
 ('kin-s-apostrophe-other', E'Message\n\nMr Jones'' daughter rang to say her mother passed away.'),
 ('kin-unowned-spouse', E'Message\n\nWife rang to say husband died in his sleep.'),
 ('death-found-dead', E'Message\n\nHer son rang to say his mother was found dead this morning.'),
 -- the same tester's left cases: a teller of the pronoun's sex, "had passed", a writer who says who they are
 ('kin-pronoun-teller-sex', E'Note\n\nMrs Patel''s daughter came into the surgery today. She said her mum passed away on Thursday.'),
 ('death-had-passed', E'Care home\n\nStaff found that Mr Ince had passed peacefully at 03:10.'),
 ('death-passed-weekday', E'Message\n\nHis wife rang: he passed on Thursday at home.'),
 ('death-typo', E'Message\n\nSon rang, his mum past away last night.'),
 ('passed-urine', E'District nurses\n\nCatheter removed on Monday; she has passed urine since without difficulty.'),
 ('passed-assessment', E'Dear Dr Roe,\nHe has passed his driving assessment. No action needed.'),
 ('writer-declares', E'HELLO MY MUM DIED LAST NIGHT AT HOME. I AM HER DAUGHTER. WHAT DO WE DO NOW'),
 ('writer-own-bereavement', E'Hello, my mum died last week and I am struggling to sleep, could I have an appointment next month?'),
 ('writer-declares-other-sex', E'Hi, I am her son. My dad died in 2019 and mum has been low since. Could she be seen in the next few weeks?'),
 -- requests read as the GP's: a call asked of the GP for the patient, a test wanted "done"
 ('ring-him', E'Phone message\n\nMr Walsh asked if the GP could ring him tomorrow.'),
 ('ring-named', E'Message\n\nPlease ask the GP to ring Mr Shah today.'),
 ('needs-bloods-done', E'Message\n\nMrs Dean needs her bloods done this week.'),
 ('bloods-were-done', E'Message\n\nMrs Dean had her bloods done this week; results normal.'),
 -- from an eleventh blind set: a subject line's urgency label, an alternative offered "if this is not
 -- possible", a cancer pathway named by its site, a deadline two sentences after the request
 ('sg-subject-label', E'Subject: URGENT - strategy discussion TODAY 14:00\n\nA strategy discussion is planned about the baby.'),
 ('sg-alternative', E'MASH\n\nA Section 47 strategy discussion takes place at 14:00. We would be grateful if a GP could join or, if this is not possible, please telephone the MASH before 13:00 today with any information you hold on the family.'),
 ('cancer-site-pathway', E'Biochemistry\n\nComment: PSA is above the referral threshold. Please refer on the suspected prostate cancer pathway.'),
 ('deadline-two-on', E'Dear Doctor,\n\nCould the GP please review his medicines and let us know which can be crushed. Our pharmacy will need new prescriptions. As he has missed his doses, please could this be done by tomorrow at the latest.'),
 ('lay-come-out', E'What would you like\nCAN A DOCTOR COME OUT TODAY PLEASE HES 91'),
 ('you-hold', E'Records request\n\nPlease send us any information you hold about her within 28 days.'),
 ('lay-give-call', E'What would you like us to do?\nCould a doctor give me a call sometime this week? Not today necessarily.'),
 ('lay-appointment', E'Dear Dr Chaudhry,\nCould I have an appointment with you sometime in the next week or two?'),
 ('clinician-call-offer-2', E'Dear Dr Roe,\nIf you have any questions, please give us a call on the number above.'),
 -- a date as a deadline, from the letter's own date (none: the date says nothing)
 ('date-by', E'Date: 10/06/2025\n\nPlease start amlodipine 5 mg by 12/06/2025.'),
 ('date-by-undated', E'Dear Dr Roe,\nPlease start amlodipine 5 mg by 12/06/2025.'),
 ('date-weekday-week-on', E'Date: 10/03/2025\n\nPlease could you arrange an INR check on Monday 17/03/2025 and let us know the result.'),
 ('date-weekday-past', E'Date: 10/06/2025\n\nShe was reviewed on Monday 09/06/2025. Please review her in 6 weeks.'),
 ('date-same-day', E'Dated: 2025-03-10 09:12\nKind: other\n\nPlease phone Mrs Abbott before 10 March 2025 16:00.'),
 ('date-month-name', E'Letter date: 3 March 2025\n\nPlease repeat her U&E no later than 24th March.'),
 ('date-supply', E'Date: 14/03/2025\nPlease issue a further supply before his TTO runs out on 21/03/2025.'),
 ('date-invalid', E'Date: 10/03/2025\n\nDear Dr Roe, thank you for seeing her. Please refer her to the falls clinic by 31/02/2025.'),
 ('date-of-birth-not-letter', E'Date of birth: 01/02/2030\n\nPlease review her by 03/02/2030.'),
 -- from a twelfth blind set: a relative said to be "of the patient", a deceased donor's organ
 ('kin-of-the-patient', E'Booking centre\n\nWe received a call from Mr Paul Caldwell, the son of the above patient. Mr Caldwell informed us that his mother passed away at home on Saturday.'),
 ('kin-of-a-neighbour', E'Booking centre\n\nWe had a call from the son of her neighbour. He said his mother had died.'),
 ('deceased-donor', E'Renal transplant clinic\n\nDear Dr Begum, he had a deceased-donor renal transplant some years ago and is well. We have reduced his tacrolimus to two milligrams twice daily.'),
 -- a third outside tester's: deaths told in other ways, a notice sent in error, asks hedged or in lay words
 ('t3-email-from-son', E'Email from her son: Mum passed last night at the hospice.'),
 ('t3-your-patient', E'Hi, just letting you know that my nan, your patient Irene Walsh, has died. Sorry for the short email, we are all in bits.'),
 ('t3-mum-lowercase', E'Just to say mum has passed, the carers found her at 8 this morning.'),
 ('t3-named-subject', E'The neighbour told our carer that Mrs Lee had died over the weekend; her niece has since confirmed this to us. We have stopped the care package.'),
 ('t3-relative-named', E'Her husband, Mr Lee, died last year. She is coping well.'),
 ('t3-late-mr', E'Funeral director: We are acting for the family of the late Mr George Hall and require the cremation form to be completed by his GP.'),
 ('t3-did-not-survive', E'Emergency department: unfortunately despite full resuscitation efforts he did not survive. His family were present.'),
 ('t3-his-passing', E'Following his passing on 1 December, the family would like to thank the practice for all the care given.'),
 ('t3-life-ended', E'We are sorry to tell you that your patient''s life ended peacefully at 02:00 on the hospice ward.'),
 ('t3-deduction', E'Letter from PCSE: patient deducted from your list, reason for deduction: death. Please return the records.'),
 ('t3-typo', E'DN team: Mr Owen dieed at home last night, verified by DN at 22:10.'),
 ('t3-another-resident', E'Care home: another resident died of norovirus this week; Mr Ford is well with no symptoms. For information only.'),
 ('t3-apposition', E'The patient''s brother, also registered with you, died last night at home. She was his carer and is very distressed; please could the GP phone her tomorrow.'),
 ('t3-apposition-who', E'Care home\n\nHer sister Joan, who was also a resident here until she went into hospital last week, sadly passed away at the hospital on Sunday night.'),
 ('t3-sent-in-error', E'Correction: Mr Ian Ford is not deceased. The earlier death notification was sent in error; please disregard it.'),
 ('t3-own-mother-named', E'Dear Surgery,\nI am writing to let you know that my mother, Mrs Ellen Nolan, passed away on 2nd February. Please remove the carer note from my record.'),
 ('t3-give-a-bell', E'Mum''s daughter here - could the doctor give Mum a bell today please, she''s not right, very confused since this morning.'),
 ('t3-not-too-much-trouble', E'Would it be possible, if it is not too much trouble, for the GP to review him tomorrow?'),
 ('t3-wonder-whether', E'I wonder whether you might be able to see her sometime in the next 24 hours, if at all possible.'),
 ('t3-give-him-a-ring', E'Could someone from the surgery give him a ring this afternoon about his blood results?'),
 ('t3-no-longer', E'His wife asked if their GP could visit him at home tomorrow as he can no longer manage the stairs.'),
 ('t3-label-relative', E'Email from a relative: Mum passed last night at the hospice, I thought you should know.'),
 ('t4-notice-own-relative', E'Hi, I''m ringing to let you know my father, John Smith, has sadly passed on. He went on Tuesday evening.'),
 ('t4-found-relative', E'I found my husband dead in bed this morning when I woke up. What happens now?'),
 ('t4-bereaved-patient', E'My husband died in May and since then I have not been sleeping. Could I have an appointment next week?'),
 ('t4-notice-not-registered', E'Just to let you know my dad, Tom Reed, died on Sunday. He was not registered with you, but I wanted you to know as I am his carer.'),
 ('t4-passed-at-clock', E'Care home: sorry to report that Mr Price passed at 21:30 last night. Staff verified. Family informed.'),
 ('t4-passed-on-to', E'The message was passed on to the duty doctor at 14:00 and the patient was passed fit to fly.'),
 ('t4-passed-passive', E'Urine was passed at 06:00 after the catheter was removed.'),
 ('t4-pet', E'His beloved dog Max passed away last week and he is low in mood; no GP action needed.'),
 ('t4-next-bed', E'Ward note: the man in the next bed died overnight; Mr Hill is distressed but otherwise well.'),
 ('t4-fetal-death', E'An intrauterine fetal death was confirmed on ultrasound at 34 weeks. Please see her for her 6-week postnatal check.'),
 ('t4-abbrev-death', E'OOH note: Pt dec''d 14/03. ROLE completed by ambulance crew at 04:10.'),
 ('t4-brought-in-dead', E'ED: brought in dead by ambulance at 03:20; referred to the coroner.'),
 ('t4-question-time', E'Could the doctor phone me in the next day or two about my dizziness?'),
 ('t4-impossible-year', E'Date: 10/03/2025\n\nPlease review her wound by 14/03/9999.'),
 ('t4-we-lost-name', E'Care home: just to let you know we lost Doris overnight, it was very peaceful. Family are aware.'),
 ('t4-we-lost-notes', E'We lost her notes in the move and we lost contact with the family in May; please send a copy of her summary.'),
 ('t4-nan-as-name', E'Email from the patient''s granddaughter: Nan passed away last night at home.'),
 ('t4-late-relative-notice', E'Dear Doctor, I am writing on behalf of my late mother, Mary Evans, to ask for her medical records to be released to our solicitor.'),
 ('t4-late-relative-own', E'My late husband used to do the garden and I am struggling to sleep; could I have an appointment next month?'),
 ('t4-grateful-doctor', E'She would be grateful if the doctor could see her within the next day or two about the lump in her breast.'),
 ('t4-doctor-will', E'Outpatient clinic: the doctor will see her in clinic in six weeks with a repeat scan.'),
 ('t4-question-call-me', E'I''m Mum''s carer. Could a doctor please ring me this morning? I don''t think she can come in.'),
 ('t4-clinician-call-me', E'Please call me if you have any questions; could you ring me on extension 2231 to discuss?'),
 ('t4-start-on-date', E'Dated: 2025-03-12 15:31\n\nRequest to GP: please prescribe the remaining enoxaparin 40mg plus a sharps bin, to start on 14/03/2025.'),
 ('t4-sent-line-date', E'Sent: Tuesday, 11 March 2025 10:14\n\nPlease could you review her wound by 12/03/2025.'),
 ('t4-date-line-alone', E'Rheumatology Department\n\n11 March 2025\n\nPlease repeat her LFTs by 25/03/2025.'),
 ('t4-son-answered', E'When our administrator telephoned his home to arrange the appointment, his son, Mr Gary Payne, answered. He told us that his dad "had a fall and never really recovered - he died in hospital about ten days ago".'),
 ('t4-negation-dash', E'No chest pain - he has a productive cough; please review him this week.'),
 ('t4-head-label', E'URGENT - PLEASE ACTION TODAY\n\nDear Dr Akintola\n\nHis 28-day repeat prescription for mirtazapine is due to be issued; please issue it as a 7-day supply only.\n\nThank you'),
 ('t4-death-me-referral', E'Community death notification. Mr Fry died at home this morning, verified by the district nurse. Could the GP please complete the medical examiner referral form with the proposed cause of death.'),
 ('t4-relative-clause', E'Mood: she misses her late sister, who died last autumn. Please review her mood in 1 week.'),
 ('t4-sg-meeting-today', E'Health visitor: unexplained bruising to the face. A strategy meeting is at 15:00 today; the GP is asked to send a report before the meeting.'),
 -- a death in lay words, and the same words said of something else
 ('t5-gone-sleep', E'Message from the warden at Oak Court: when she checked on him at 7am Mr Hollis had gone in his sleep.'),
 ('t5-gone-home', E'Dear Dr Roe,\nShe has gone home with her daughter and the pain has gone. He had gone downhill before admission.'),
 ('t5-shes-gone', E'Phone call from Mr Byrne at 05:10: "She''s gone, about half an hour ago." He asks for someone to come out.'),
 ('t5-left-us', E'Thank you all for your care of my husband Tom. He left us peacefully at home on Sunday.'),
 ('t5-left-us-discharge', E'District nursing: her wound was healing when she left us on 14/05; it has broken down since.'),
 ('t5-own-life', E'I am writing to let you know that my brother Paul took his own life last week.'),
 ('t5-is-dead', E'The carer let us know that Mr Amos is dead; the police are at the house.'),
 ('t5-line-dead', E'We rang twice but the line was dead; we will write to her.'),
 ('t5-dead-set', E'His wife says he is dead set against a care home.'),
 ('t5-your-patient', E'Mr Ford rang: his mother, your patient Mrs Edna Ford, passed on in her sleep at the care home.'),
 ('t5-at-peace-with', E'She is at peace with the decision not to have chemotherapy.'),
 ('t5-at-peace', E'Just to let you know she''s at peace now, the nurses were with her at the end.'),
 ('t5-at-peace-living', E'He appears comfortable and at peace now. Please review his syringe driver today.'),
 ('t5-call-family', E'Please contact the family today about the scan result.'),
 ('t5-speak-daughter', E'Please could you speak with his daughter tomorrow about the plan.'),
 -- a negation inside a rule's phrase negates nothing after it
 ('t5-own-negation', E'Police: please make sure his address is not disclosed to his ex-partner and flag his record today.'),
 -- lay asks: a doctor by name, "can the doctor", a relative who needs a visit
 ('t5-dr-name-ring', E'Could Dr Okafor give me a ring at lunchtime? It is about my tablets.'),
 ('t5-can-the-doctor', E'can the doctor ring me back this afternoon about mums tablets'),
 ('t5-my-dad-needs', E'Hello, my dad needs a home visit today please, he has been sick all night.'),
 ('t5-capacity', E'We would be grateful for an assessment of her capacity by the GP within 48 hours.'),
 ('t5-issue-by', E'Pharmacy: no prescription received for her levothyroxine; please issue by Friday.'),
 -- a positive blood culture reported, and one told as past care
 ('t5-blood-culture', E'Microbiology: positive blood culture - Staphylococcus aureus. Please recall the patient today.'),
 ('t5-culture-treated', E'Blood cultures positive for E. coli, treated with 14 days of IV antibiotics, now completed.'),
 ('t5-culture-narrative', E'During admission cultures grew Gram-negative rods and she completed IV antibiotics.'),
 -- the writer's own relation, and a bereaved writer asking for their own care
 ('t5-this-is-son', E'Text reply: "sorry this is his son, dad passed 3 days ago so he will not be at the clinic"'),
 ('t5-bereaved-patient', E'My wife Joan passed away in March and since then I cannot settle. Could I have something to help me sleep?'),
 ('t5-with-the-lord', E'Please remove my mother from your list; she went home to be with the Lord on Sunday.'),
 -- when a supply ends, told before the ask; a dose plan is its own sentence's
 ('t5-runs-out', E'Her inhalers were not on the discharge letter. She runs out tomorrow. Please could the GP issue a prescription.'),
 ('t5-titration', E'Start at 5 mg, increasing after 2 weeks to 10 mg. Please continue this on repeat.'),
 -- "not urgent" says how soon, and negates nothing; a passive ask by the practice
 ('t5-not-urgent', E'Could someone ring her back about her tablets please - not urgent, sometime next week is fine.'),
 ('t5-seen-by-practice', E'Please arrange for the patient to be seen by the practice within the next 2 weeks.'),
 ('t5-appt', E'can i have an appt please, after 5 is best'),
 ('t5-set-up-meds', E'Please could the practice set up his medication before he runs out on Friday.'),
 -- a report's advice to refer on a suspected cancer pathway, and a report that names the pathway it came by
 ('t5-report-2ww', E'Radiology report\n\nExamination: CT abdomen\nFindings: a 3 cm mass in the pancreatic head.\n\nRecommendation: urgent referral on the suspected cancer (2WW) pathway.'),
 ('t5-report-2ww-came-by', E'Radiology report\n\nReferrer: Lung 2WW clinic\nFindings: the lungs are clear and there is no mass or nodule in either lung.\n\nComment: a normal study of the chest for a man of his age.'),
 -- the organism resistant to the antibiotic given
 ('t5-resistant', E'Urine culture: E. coli, resistant to trimethoprim.\nComment: the organism is resistant to the antibiotic stated in the clinical details. Please review treatment.'),
 -- more deaths in lay words, told through other people
 ('t6-we-lost-mum', E'Just to let the surgery know we lost mum in the early hours, the nurses were with her.'),
 ('t6-last-breath', E'Mr Peel took his last breath at 04:10 with his wife beside him.'),
 ('t6-didnt-make-it', E'I am sorry to tell you my husband did not make it through the night.'),
 ('t6-our-dad', E'Hello, our dad Alan Rees is no longer with us, he went in his sleep on Sunday.'),
 ('t6-she-d-gone', E'Her daughter rang at 7: she''d gone in her sleep, the nurse is coming to verify.'),
 ('t6-mums-passed', E'Hi, just to say mum''s passed. The hospice has her notes.'),
 ('t6-in-law', E'I''m afraid my mother-in-law, Rose Dean, has died; she was registered with you.'),
 -- the MCCD asked for "when possible" is still asked for
 ('t6-when-possible', E'Care home: Mr Ode died at 05:40, verified by our nurse. Please could the GP complete the MCCD when possible.'),
 -- calls asked outright, to the writer or to the writer's relative; a clinician's offer is not
 ('t6-please-ring-today', E'Please ring me today, my son has a rash and a temperature.'),
 ('t6-ring-my-dad', E'Could one of the doctors ring my dad this afternoon? He is confused.'),
 ('t6-call-us-back', E'Care home: can the GP please call us back this morning about Mrs Fox?'),
 ('t6-offer-call', E'Please ring me today if you have any questions about the plan.'),
 -- a prescription asked for in lay words; "just in case" medicines; "her own GP"
 ('t6-send-script', E'Can you send a script for her tablets to the chemist asap please.'),
 ('t6-jic', E'Palliative care: just in case medicines need prescribing today, please.'),
 ('t6-own-gp', E'Out of hours: please could her own GP visit today to review her pain.'),
 -- a pack "made up on Thursday" is to be made up: the deadline of the change asked before it
 ('t6-made-up', E'Pharmacy: please could the GP stop her digoxin before her next blister pack is made up on Thursday.'),
 -- the same words of a death in a living patient's care, and in a relative's notice that asks for something
 ('t6-care-plan', E'Anticipatory care plan: the community nurses can verify death when the time comes. Please prescribe just in case medicines today.'),
 ('t6-not-woken-at-night', E'She has not woken up at night short of breath since starting the furosemide.'),
 ('t6-arm-dead', E'Her left arm has been dead since this morning and she cannot lift it.'),
 ('t6-role-gone', E'The District Nurse has gone. It''s passed, the pain, but please review her today.'),
 ('t6-notice-asks', E'I am writing to let you know my dad, John Smith, passed away last night. Could I have a copy of his records?'),
 -- a prohibition still forbids what is joined to it; "previously seen" keeps its time
 ('t6-do-not-or', E'Please do not restart her ramipril or refer her to renal.'),
 ('t6-previously-seen', E'Previously seen by cardiology and started on bisoprolol.'),
 -- abuse needs a person who does it; "safe to be left on her own" is no neglect
 ('t6-pain-hit-me', E'The pain hit me suddenly in the night.'),
 ('t6-safe-alone', E'She is safe to be left on her own for short periods.'),
 -- a request after a comma is the GP's, not the person named before it; calls asked in so many words
 ('t7-death-then-ask', E'My nan died on Sunday, please can you call me back this afternoon.'),
 ('t7-please-can-dr', E'Please can Dr Khan give me a ring this afternoon about my tablets'),
 ('t7-no-question-mark', E'Could you ring me back tonight please'),
 ('t7-colleague-asked', E'Please could a pharmacist ring us back today to confirm the strength.'),
 ('t7-need-a-call', E'I need a phone call from the surgery before 5pm today.'),
 ('t7-call-if', E'I would like a call from the GP if the results are abnormal today.'),
 ('t7-before-clock', E'Care home: can the GP please phone us back before 3pm? She is not eating.'),
 ('t7-any-chance', E'hiya any chance a dr cud phone me back tonite or today, the cream isnt working'),
 ('t7-before-clock-past', E'She had taken her morning tablets before 9am and was well.'),
 -- things and symptoms that die off are no deaths; a person who died "down the road" is
 ('t7-battery-died', E'Sorry I missed your call, my phone died yesterday.'),
 ('t7-rash-died-down', E'The rash has died down since the cream was started.'),
 ('t7-died-down-road', E'Mr Hale died down the road at the care home yesterday.'),
 ('t7-found-relative-dead', E'We found Nana dead in her bed when we went round at 8.'),
 ('t7-found-thing-dead', E'We found the smoke alarm dead so could not hear it.'),
 -- "remove" removes a medicine only where a medicine or its list is named
 -- a symptom that needs a clinician today, in a message asking for help; not in a history, a condition or a denial
 ('t7-redflag-asked', E'Sorry to message so late, my husband''s face has dropped on the left and he is slurring his words. Should I bring him down to you?'),
 ('t7-redflag-doubt', E'i think mum may of taken an overdose, she has taken too many tablets i think, what do i do'),
 ('t7-redflag-history', E'Discharge summary: admitted with slurred speech, CT normal, TIA clinic booked. Please review in 2 weeks.'),
 ('t7-redflag-condition', E'Advice given: if his lips look blue or he is struggling to breathe, call 999. Any questions, ring us.'),
 ('t7-redflag-denied', E'He is not struggling to breathe now and his inhaler is working. Can he have a review next week?'),
 ('t7-redflag-timed', E'Could a GP see her tomorrow? She has new confusion and a temperature.'),
 ('t7-redflag-request', E'he says he doesnt want to be here anymore and has been saving his tablets. please can somebody ring me'),
 -- a caller a message names by their relation tells of the patient
 ('t7-caller-relation', E'Message taken 09:10\nCaller: Paul Rice (son)\nRe: Mrs Jean Rice\nCaller says his mum passed away in the night at home.'),
 ('t7-caller-own-care', E'Message taken 09:10\nCaller: Paul Rice (son)\nCaller would like an appointment for his knee next week.'),
 -- "should" of a subject is no condition
 ('t7-subject-should', E'Can the doctor please ring me today about whether he should carry on with the new tablets.'),
 ('t7-device-died', E'My glucose monitor died last night, can I get a new sensor prescribed, no rush.'),
 ('t7-tremor-died-away', E'The tremor has died away since the dose was lowered, thanks.'),
 ('t7-past-then-ask', E'My wife died in the hospice last month, please can the doctor ring me today, I am not sleeping.'),
 ('t7-redflag-lately', E'worst headache of my life came on suddenly about an hour ago, been sick, what should i do'),
 ('t7-redflag-own-news', E'ive been coughing up blood since this morning'),
 ('t7-redflag-clinician-note', E'I saw him in clinic: he had been coughing up blood in 2019, now settled. Routine review.'),
 ('t7-none-left', E'Pharmacy: patient''s warfarin prescription needed today, she has none left'),
 ('t7-remove-note', E'Please could you remove the old address from my record.'),
 ('t7-remove-repeat', E'Please remove it from her repeat prescription.'),
 -- news of "my <relative>" dated to the last day is the patient's, told by kin
 ('t8-kin-death-today', E'Hello, my father passed away at home earlier today, the nurses were with him.'),
 ('t8-kin-death-aside', E'My dad, who you saw last week, passed away this morning at home.'),
 ('t8-kin-death-old', E'My father passed away in 2015 and I would like to update my family history please.'),
 ('t8-kin-own-appointment', E'My husband died this morning so I cannot come to my smear appointment on Thursday.'),
 -- red flags of the moment and an overdose counted in tablets
 ('t8-chest-pain-now', E'my husband has had a tight chest for about twenty minutes and feels sick'),
 ('t8-chest-pain-past', E'I had chest pain in March, the cardiologist says it was reflux. Can I have my ECG result?'),
 ('t8-tablets-taken', E'my son has swallowed about 25 paracetamol after a row, what should I do'),
 ('t8-tablets-few', E'I took 2 paracetamol for my headache and it has gone, thanks'),
 ('t8-not-breathing', E'please come my nan is not breathing properly and won''t wake up'),
 ('t8-passed-on', E'NHS 111 message for information only. Caller: wife. Collapsed at home this evening, '
                  'ambulance sent. No action is required by the practice.'),
 -- the writer's own medicine run out
 ('t8-run-out', E'I''ve run out of my blood pressure tablets, can you do a prescription'),
 ('t8-ran-out-other', E'The shop ran out of bread so I came late, sorry.'),
 -- "before 12": a clock time
 ('t8-before-hour', E'Could the doctor ring me before 12 please'),
 ('t8-before-count', E'She had 3 falls before 2019 and none since.'),
 -- a call asked outright in a few lines needs no time; a clinician's letter's does
 -- "possible" before a noun qualifies the noun, not an ask before it; "X is possible" is a doubt
 ('t8-possible-noun', E'He needs to be seen by a GP within the next 48 hours for an assessment, including possible causes of pain.'),
 ('t8-possible-doubt', E'A fracture is possible. We will review the X-ray on Monday.'),
 -- a condition right after a time frame governs it; further on, the nearer ask
 ('t8-condition-far', E'Please could a GP see him within 24 hours to assess and start antibiotics if appropriate.'),
 ('t8-condition-near', E'Please repeat his bloods within 48 hours if needed.'),
 -- "at the earliest opportunity" is as soon as possible; "at your earliest convenience" is not
 ('t8-earliest-opportunity', E'Please could you contact him at the earliest opportunity and advise him to attend the clinic.'),
 ('t8-earliest-convenience', E'Please could you review her medication at your earliest convenience.'),
 -- a rash with a fever, told by a parent who asks: the same day; a rash alone is not
 ('t8-febrile-rash', E'PLS RING ME RE MY DAUGHTERS TEMP 39.8 WONT COME DOWN AND SHE HAS A RASH ON HER LEGS'),
 ('t8-rash-alone', E'Could I have some cream for the rash on my hands please?'),
 -- a sign of a cancer told by the one who has it and asks to be seen: urgent; a clinician's is the subject
 ('t8-cancer-sign-own', E'I found a lump in my right breast last week, it is hard and has not gone. Can I be seen please?'),
 ('t8-cancer-sign-tomorrow', E'I have found a lump in my neck. I can come in tomorrow or Thursday.'),
 ('t8-cancer-sign-clinic', E'Breast Clinic: I saw Mrs Nair today with a new breast lump. We have referred her on the '
                           '2 week wait pathway ourselves; no GP action is needed.'),
 -- a risk of harm now raises a safeguarding concern to a working day; a child left alone, the same day
 ('t8-sg-afraid-home', E'Health visitor: mum disclosed that her partner hit her last night and she is frightened to go home. '
                      'MARAC referral made. For GP awareness.'),
 ('t8-sg-children-with', E'ED: mother attended with injuries consistent with domestic abuse; her children are at home with '
                        'the partner. Please be aware.'),
 ('t8-sg-left-alone', E'I''m worried about the boy next door, he''s with your surgery. He''s been left on his own all '
                     'weekend again and his mum hasn''t been back since Friday.'),
 ('t8-sg-history', E'Safeguarding: she was frightened to go home in 2019; MARAC closed in 2020, no current concerns.'),
 -- advice relayed by a clinician the writer saw asks the practice
 ('t8-relayed-advice', E'The pharmacist I saw this morning said I must speak to a doctor today about my swollen calf.'),
 -- an older 111 disposition names the practice and its time; safety-netting with the same words does not ask
 ('t8-disposition-gp', E'NHS 111: contact GP practice within 2 hours. Symptoms: abdominal pain and vomiting.'),
 ('t8-disposition-advice', E'If symptoms worsen, contact GP within 24 hours.'),
 -- a relative who wants a call back wants it about the patient
 ('t8-relative-wants-call', E'Message for Dr Rahman: the patient''s daughter would like a call back before 5pm today about her mum.'),
 -- a resuscitation decision asked of the GP; one in place is not asked
 ('t8-dnacpr-asked', E'Could the GP please do a new DNACPR / ReSPECT form before the weekend? She has capacity.'),
 ('t8-dnacpr-in-place', E'She has a DNACPR form in place and a ReSPECT form, both seen at the house.'),
 -- a value beyond the usual critical limits is more critical, not less; a scan's "1O8" is no value 1
 ('t8-lab-extreme-k', E'BIOCHEMISTRY\nPotassium 10.2 mmol/L (3.5-5.3) HH'),
 ('t8-lab-zero-neut', E'FBC today: neutrophils 0.0 x10^9/L. Please stop methotrexate and contact her.'),
 ('t8-lab-zero-plt', E'Platelets 0 x10^9/L'),
 ('t8-lab-hb-grams', E'Hb 20 g/L'),
 ('t8-lab-hb-normal', E'Hb 125 g/L, platelets 250, potassium 4.1 mmol/L. No action needed.'),
 ('t8-lab-ocr', E'Full blood count: Hb 1O8 g/L, WCC 6.1. No action needed.'),
 -- a request after a spaced dash is a clause of its own: the negation before it does not reach it
 ('t9-dash-request', E'Subject: CD prescription cannot be dispensed - needs reissue today'),
 -- a relative's medicine run out, told by the one who looks after them
 ('t9-relative-run-out', E'My dad has run out of his insulin. He''s run out of his penfills and the pharmacy has nothing from you.'),
 -- prescriptions limited to a week at a time
 ('t9-weekly-scripts', E'Because of overdose risk, please ensure all her prescriptions are issued weekly.'),
 -- a 111 disposition to another service is not the practice's
 ('t9-disposition-elsewhere', E'Disposition: Speak to mental health crisis service within 1 hour. Outcome: transferred to the crisis team.'),
 ('t9-disposition-dental', E'Disposition: Contact a dental service within 24 hours. No GP action required.'),
 -- stitches to come out at the practice
 ('t9-sutures', E'Plan: please arrange for sutures to be removed at the GP practice in 10 days.'),
 -- a call asked for on someone's behalf, with a time
 ('t9-asking-for-call', E'He is asking for a telephone call from Dr Lennox sometime this week to talk about how he is feeling.'),
 -- "not responding" is a red flag of a person, not of a treatment
 ('t9-not-responding-person', E'My dad is not responding and very cold, please help'),
 ('t9-not-responding-treatment', E'Her acne is not responding to topicals, please try lymecycline for 3 months.'),
 -- red flags of a few lines, whoever writes them (an outside tester's wordings, rephrased)
 ('t9-redflag-plan', E'I have a plan to end my life tonight.'),
 ('t9-redflag-no-pronoun', E'Vomiting blood since this morning.'),
 ('t9-redflag-reception', E'Patient rang: crushing central chest pain for 20 minutes, sweaty, pain going down left arm.'),
 ('t9-redflag-grey', E'My dad has chest pain and is grey and sweaty.'),
 ('t9-redflag-retention', E'I haven''t been able to pass urine since yesterday and it''s really painful.'),
 ('t9-redflag-passing', E'He is able to pass urine normally now and is eating well.'),
 ('t9-redflag-pills', E'I''ve taken all my pills. I just want it to stop.'),
 ('t9-sugar-low', E'My mum is diabetic and her sugar is 1.9, she''s confused.'),
 -- the patient's death told by a relative in a reception's words
 ('t9-kin-states', E'Daughter states mum has died.'),
 ('t9-kin-on-the-phone', E'Mr Ahmed''s son on the phone: his father, who had the chest infection, has died.'),
 ('t9-kin-of-your-patient', E'The son of your patient Mrs Clarke called: his mother has died.'),
 ('t9-kin-states-other', E'Her son states his brother has died.'),
 -- words broken across lines by a scan or a narrow column are read whole; a prefix's hyphen stays
 ('t9-broken-words', E'Please con-\ntact the pa-\n   tient to-\nday.'),
 ('t9-broken-prefix', E'She needs a self-\nreferral to physiotherapy in due course.'),
 -- times as typed in haste or read by a scan; a time of day with its day unsaid is as a clock time
 ('t9-time-typed', E'pls ring pt 2day re bloods'),
 ('t9-time-misspelt', E'Please repeat the bloods tommorow.'),
 ('t9-time-ocr', E'Please review T0DAY.'),
 ('t9-time-close-of-play', E'Please send the report by close of play tomorrow.'),
 ('t9-time-within-hour', E'Please ring the patient within the hour.'),
 -- a call to a child's parent as the family names them
 ('t9-ring-mum', E'PLEASE RING MUM TODAY ABOUT JAKE''S MEDICATION.'),
 -- a red flag of years ago is history; headings answered "not applicable" raise nothing
 ('t9-redflag-years-ago', E'The patient had a paracetamol overdose 10 years ago. She is now well.'),
 ('t9-sg-not-applicable', E'Safeguarding: no concerns. Child protection: not applicable. MARAC: N/A.'),
 -- a MARAC or a child protection conference named as a meeting sets the practice's time
 ('t9-marac-meeting', E'MARAC meeting on Thursday. Please provide information on the victim and children.'),
 -- a call in the imperative with the one to call after it; "Call from son" is none
 ('t9-call-imperative', E'Subject: Call the patient today\n\nThank you.'),
 ('t9-call-noun', E'Call from son: he is worried about his dad''s memory. For information.'),
 -- a few lines that tell of the care a red flag has had report it; they do not ask
 ('t9-redflag-cared-for', E'ED: collapsed at home yesterday, CT head normal, discharged with safety netting.'),
 ('t9-redflag-admitted', E'Admitted with vomiting blood, OGD normal, discharged home.'),
 -- more red flags: swelling of the lips and tongue, flashing lights, seeing what is not there, a bleeding catheter,
 -- tablets counted "of her" own; none in a letter that tells of the care given
 ('t10-angioedema', E'Woke up with my lips and one side of my tongue really swollen. I started lisinopril a month ago. Should I keep taking it?'),
 ('t10-flashing-lights', E'My wife is 34 weeks pregnant and since lunchtime has a bad headache and is seeing flashing lights. Can a doctor ring?'),
 ('t10-not-there', E'nan keeps seeing children in her room that arent there, started yesterday, she is normally with it. can a dr ring me pls'),
 ('t10-catheter-blood', E'There''s been bright red blood in his catheter bag since yesterday with clots. He is on apixaban.'),
 ('t10-tablets-of-hers', E'my wife took about 20 of her paracetamol last night after a row. what should I do, please ring me'),
 ('t10-care-given', E'See and treat: lip and tongue swelling after cashew nuts, adrenaline given, full resolution. Please prescribe 2 adrenaline auto-injectors.'),
 -- a patient sent to the practice by another service, with a time
 ('t10-onward-referral', E'Pharmacy First: outside PGD criteria. Patient referred to own GP for SAME DAY assessment.'),
 -- a negation does not reach past "says she"
 ('t10-says-she', E'Headache not helped by paracetamol, says she is seeing flashing lights. Can the doctor call her?'),
 -- signs of a cancer in the patient's words: blood when coughing, food sticking when swallowing
 ('t10-cancer-weight', E'ive had this cough for a month and a bit of blood when i cough. lost about half a stone without trying. can I see someone please.'),
 ('t10-cancer-swallow', E'Can I get a prescription for omeprazole please. Food has started sticking halfway down when I swallow.'),
 -- "could we have an appointment" asks as "could I" does; a culture resistant to the current therapy
 ('t10-could-we', E'Could we have an appointment for Oliver in the next few days please?'),
 ('t10-resistant-current', E'Urine culture: E. coli, organism resistant to current therapy. Please change treatment.'),
 -- a bound beyond the measuring range is a value; a threshold in an instruction is conditional
 ('t10-lab-bound', E'Potassium >10.0 mmol/L. Please contact the patient.'),
 ('t10-lab-threshold', E'If K > 6.5 please admit.'),
 -- a value withdrawn by its sample or by the value of now; "not haemolysed" withdraws nothing
 ('t10-lab-clumped', E'Platelets 0 on a clumped sample, repeat 245.'),
 ('t10-lab-then-now', E'Her potassium was 6.8 on admission, now 4.5 after treatment.'),
 ('t10-lab-not-haemolysed', E'Potassium 7.1 (sample not haemolysed).'),
 -- a week or more asked for is no judgement of a red flag; a day or two is
 ('t10-redflag-later-ask', E'Vomiting blood since this morning. Could you see me after next week?'),
 ('t10-redflag-tomorrow', E'His speech is slurred, could a GP visit tomorrow?'),
 -- more red flags' wordings; a rash with a fever denied is none
 ('t10-redflag-threw-up', E'been throwing up blood since last night, what do i do'),
 ('t10-redflag-fetal', E'I''m 36 weeks and the baby hasn''t moved since yesterday evening.'),
 ('t10-rash-no-fever', E'My son has a rash on his tummy, no temperature, he is eating fine. Can I book an appointment?'),
 ('t10-redflag-a-and-e', E'I went to A&E with chest pain on Sunday and they sent me home, can I have my sick note?'),
 -- insulin run out; a child home alone; a time typed in haste
 ('t10-insulin-out', E'Ran out of insulin, none left. Please send a prescription to the chemist.'),
 ('t10-home-alone', E'The 4 year old next door has been home alone since Friday, I can hear him crying.'),
 ('t10-time-am', E'Please ring her this am re the results.'),
 -- "my dad has died" is news; a patient updating their family history tells of their own family
 ('t10-kin-has-died', E'My dad has died. What do we do about the certificate?'),
 ('t10-kin-family-history', E'My father has died and I would like to update my family history.'),
 -- a pet's death told as news is no relative's
 ('t10-pet-news', E'Our goldfish died yesterday and my son is very upset, can we have an appointment for him?'),
 -- laboratory abbreviations
 ('t10-lab-abbrev', E'Bloods today: Na 117, Plts 8, neut 0.1. Please contact the patient.'),
 -- breathing through the nose is no red flag
 ('t10-breathe-nose', E'I''m struggling to breathe through my nose with this cold, what can I take?'),
 ('t10-breathe', E'I can''t breathe, please help'),
 ('t11-question-no', E'Headache for three weeks.\nRed flag questions:\n- Fever, neck stiffness or rash? No\n- Sudden onset? No\nI would like an appointment next week.'),
 ('t11-question-yes', E'Headache for three weeks.\n- Fever, neck stiffness or rash? Yes\nI would like an appointment.'),
 ('t11-answer-no-then-ask', E'Any chest pain or breathlessness? No. Please see her next week.'),
 ('t11-number-sign', E'Bed No 5. Please see her today.'),
 ('t11-number-sign-dot', E'Ward No. 12: please review him today.'),
 ('t11-checked-by-nurse', E'Please arrange for the wound to be checked by the practice nurse within 48 hours.'),
 ('t11-advises', E'Phoned to the duty doctor. The registrar advises same-day clinical assessment.'),
 ('t11-ask-then-own-clause', E'I would like an appointment, I have had a cough for 2 weeks.'),
 ('t11-asks-by-itself-timed', E'GP review in 2 weeks.'),
 ('t11-own-ask-today', E'I would like an appointment today.'),
 ('t11-review-dated-past', E'She had a GP review 2 weeks ago.'),
 ('t11-consider-referral', E'Please see her this week and consider a referral to the memory clinic if you feel this is appropriate.'),
 ('t11-consider-2ww', E'Please consider urgent referral via the suspected prostate cancer (2WW) pathway.'),
 ('t11-call-999-advice', E'Information given: FAST leaflet - call 999 immediately for any new symptoms.'),
 ('t11-should-i-call-999', E'Daughter rang: mum collapsed, should I call 999?'),
 ('t11-cp-is', E'Checked against the child protection information system: no current plan. Dressing applied.'),
 ('t11-lab-acted-on', E'Potassium 7.1 mmol/L - critical - phoned to the OOH GP. Patient sent to ED by ambulance and admitted. Copy to the registered GP for information only.'),
 ('t11-lab-for-information', E'Potassium 7.1 mmol/L - critical. For information only.'),
 ('t11-negated-verb-comma', E'Tel msg: headache since last night, not going with paracetamol, seeing flashing lights this morning. Asking for an appt.'),
 ('t11-negated-list', E'No fever, vomiting or rash. Please see her next week.'),
 ('t11-reception-appt', E'Rang asking for an appt this week, cough for a month.'),
 ('t11-band-chest', E'Rang for an appointment. A tight band across his chest this morning with sweating, feels OK now.'),
 ('t12-quoted-phrase', E'Tel msg for duty GP. Said she felt a "tight band" across her chest at 6am, with nausea, fine now.'),
 ('t12-clock-afternoon', E'Pharmacy here. We cannot supply the morphine as written. Please re-issue it before we close at 5.30pm.'),
 ('t12-clock-morning', E'Please re-issue the morphine prescription by 10am.'),
 ('t12-clock-day-said', E'Please call her back by 4pm on Friday.'),
 ('t12-prescriber', E'The lorazepam script has the wrong strength. Please can a prescriber cancel it and send the 1mg tablets?'),
 ('t12-new-rx', E'Out of stock until March. Could you send a new Rx for the capsules instead, ideally by tomorrow?'),
 ('t12-callers-wish', E'Tel msg: his wife rang, he is 70, new weakness of his left arm since this morning and slurred speech. She asked for an appt tomorrow as he does not want to make a fuss.'),
 ('t12-clinicians-time', E'Care home nurse: new weakness of his left arm since this morning. Could a GP visit him tomorrow?'),
 ('t12-advised-gp-time', E'Seen in the minor injuries unit with a cut to the shin, sutured. Advised to see own GP practice within 5 days for a wound check.'),
 ('t12-advised-gp-if', E'Seen in the minor injuries unit with a sprained ankle. Advised to see her GP if the swelling returns.'),
 ('t12-table-timescale', E'Actions for the GP\n| Action | By when |\n|---|---|\n| Started bisoprolol 2.5 mg. Please check his pulse and BP. | 1 week |\n| Clinic review in 3 months. | booked by us |'),
 ('t12-supply-left', E'Hi, please could you send a prescription for my inhalers, I have only 2 days left. Thanks'),
 ('t12-week-left', E'Please could I have my repeat of ramipril, I have about a week left.'),
 ('t12-early-morning', E'A repeat early-morning urine sample is needed to confirm the raised ACR.'),
 ('t12-need-doing', E'Community nursing: she can no longer swallow her tablets. Her end of life medicines need prescribing today.'),
 ('t12-lab-bracket', E'CHEMICAL PATHOLOGY\nPotassium (serum, unhaemolysed)  6.8 mmol/L  HH\nPhoned to the surgery at 15:05.'),
 ('t12-lab-range', E'Potassium (3.5-5.3) 4.1 mmol/L. No action needed.'),
 ('t12-wondering-if', E'Hi, just wondering if a doctor might be able to visit dad at home tomorrow? His leg is red and hot.'),
 ('t12-if-condition', E'If she becomes more breathless the GP may wish to visit her at home.'),
 ('t12-table-duration', E'Actions for the GP\n| Medicine | Status | Duration |\n|---|---|---|\n| Doxycycline | STARTED | 5 days |'),
 ('t12-possible-for', E'I wonder whether it might be possible for one of the doctors to ring him today? He sounded low.'),
 ('t12-possible-not-asked', E'It may be possible for her to reduce the dose next year.'),
 ('t12-lithium', E'Therapeutic drug monitoring\nLithium 1.74 mmol/L (0.40-1.00) H\nVomiting for 2 days.'),
 ('t12-lithium-dose', E'Lithium carbonate 400 mg at night, level 0.7 mmol/L in range.'),
 ('t12-table-who-gp', E'Heart failure nurse visit. More breathless, ankles swollen, weight up 3 kg.\n\nPlan as agreed:\n| Item | Detail | Who | When |\n| Bumetanide | increased to 2 mg om | HF nurse | done today |\n| U&E | repeat after the increase | GP | within 48 hours |\n| Review | home visit | HF nurse | next week |'),
 ('t12-table-who-us', E'Clinic letter. Stable angina.\n\n| Action | By whom | When |\n|---|---|---|\n| Exercise ECG | Cardiology | within 2 weeks |\n| Clinic review | Us | 3 months |'),
 ('t12-seen-date-supply', E'Eye Casualty\nDate seen: 02/12/2024\n\nDear Dr Rees,\nWe started prednisolone 60 mg daily and supplied 3 days. Please could you issue a further supply before her supply runs out on 05/12/2024.'),
 ('t12-seen-date-later', E'Memory clinic\nDate seen: 02/12/2024\n\nPlease could you repeat her bloods by 20/12/2024.'),
 ('t12-acute-abdomen', E'Care home message: Mr Lees has not opened his bowels for a week and has vomited three times since last night. His tummy is swollen and hard. Could the doctor please advise.'),
 ('t12-practice-to-book', E'INR 4.8 today, one dose omitted under our protocol. Repeat INR in 2 days - GP practice to book, we are not visiting.'),
 ('t12-number-to-call', E'Your appointment letter. To change it please call 01632 960010 within 2 weeks.'),
 ('t12-call-patient-number', E'Potassium 6.7 mmol/L. Please call her on 07700 900123 today.'),
 ('t12-see-and-treat', E'Ambulance service: see and treat. Fall at home, no injury, left at home with her daughter.'),
 ('t12-patient-safety', E'We are sorry for the delay. If you have any queries please contact the patient safety team.'),
 ('t12-team-will', E'Discharged home after her hip replacement. The hospital team will manage all follow-up.'),
 ('t12-pulse-low', E'Message from his daughter: Dad has been dizzy since Sunday. I took his pulse with my watch and it said 36. Should he still take his tablets?'),
 ('t12-pulse-normal', E'Her pulse was 88 and regular. Could a doctor ring us about her cough?'),
 ('t12-pulse-date', E'Could the practice nurse check his pulse and BP around 28-31 January and email us the readings?'),
 ('t12-sats-low', E'Care home: sats 84% on air, breathless and drowsy. Can someone visit?'),
 ('t12-advice-gp-named', E'Acute oncology telephone triage.\nAdvice: capecitabine stopped for this cycle, loperamide as needed. Please could her GP see her tomorrow and check U&E.'),
 ('t12-advice-patient', E'Advice: please see your GP if the diarrhoea lasts more than a week.'),
 ('t12-clinic-closed', E'INR 6.1 today. Please arrange the next INR at the practice in 2 days - our clinic is closed for training that day.'),
 ('t12-case-closed', E'The safeguarding referral from 2021 is now closed.'),
 ('t12-no-rush', E'Could I have a phone call about my sertraline dose? There is no rush at all, a call in the next few weeks would be fine.'),
 ('t12-no-rush-days', E'No rush, but could a doctor ring her tomorrow about the new tablets?'),
 ('t12-asks-someone', E'Hello, a few things: 1) could the district nurse come and change his dressing, 2) since this morning there is blood in his catheter bag with clots and not much coming out. Thanks, Jean (wife)'),
 ('t12-welfare', E'I live across the road from Mr Hale, he lives alone. His curtains have been shut since Friday and he is not answering the door. I am really worried about him. Sue (neighbour)'),
 ('t13-inability-no-negation', E'Tel msg from his wife: since 7am he cannot lift his left arm and his face looks droopy on one side. She wants to know if she should wait for a call.'),
 ('t13-no-urine', E'Care home: Mr Bell has had no urine output since last night and his lower tummy is swollen. Could someone visit?'),
 ('t13-head-anticoag', E'Nursing home: Mrs Ray slipped in the bathroom at 7am and banged her head. She takes rivaroxaban. Staff would appreciate advice from the GP.'),
 ('t13-head-no-anticoag', E'Nursing home: Mrs Ray slipped in the bathroom last week and banged her head, no injury. Staff would appreciate advice about her walking frame.'),
 ('t13-does-not-know-me', E'Dad has had a high temperature since yesterday and now he does not know who I am. Could a doctor call me?'),
 ('t13-111-contact-gp', E'NHS 111 message 05:40. Abdominal pain and bleeding at 7 weeks pregnant. Outcome: advised to contact her GP practice when it opens this morning for a same-day appointment.'),
 ('t13-corrected-rx', E'Pharmacy: the morphine prescription has no total quantity in words, so we cannot supply it. Please can a GP issue a corrected prescription before 5.30pm.'),
 ('t13-authorise', E'Pharmacy message: she has 2 days left of her lamotrigine and the repeat has lapsed. Could the prescriber please authorise it.'),
 ('t13-when-hours', E'Actions for GP\n| Action | Who | When |\n|---|---|---|\n| Repeat potassium | GP | 48 hours |'),
 ('t13-wonder-possible', E'I wonder whether it might be possible, ideally in the next day or two, to repeat her U&E.'),
 ('t13-would-be-sensible', E'I examined her today and found a hard breast lump. I think it would be sensible to refer her on the suspected cancer pathway; I have not done so.'),
 ('t13-square-range', E'BIOCHEMISTRY\nPotassium [3.5-5.3] 6.9 mmol/L *\nSodium [133-146] 139 mmol/L'),
 ('t13-recalled-value', E'You will recall she was admitted in May with a sodium of 117, which was treated at the time. Today it is 137. No action needed.'),
 ('t13-plan-friday', E'His partner rang: he has been saving up his tablets and has a plan for when she is away on Friday. Please can someone ring him today.'),
 ('t13-no-insulin', E'Hostel staff: he has type 1 diabetes and his pens are finished since Sunday, he is being sick. Can the doctor send a prescription?'),
 ('t13-bleed-anticoag', E'My dad is on warfarin and has had a nosebleed on and off since last night. Please can someone call me.'),
 ('t13-bleed-no-anticoag', E'My son had a nosebleed at school yesterday, it stopped after ten minutes. Please can someone call me about his asthma review.'),
 ('t13-hip', E'Care home: she fell last night and this morning cannot put any weight on her right leg, which looks shorter than the left. Could the doctor come and see her?'),
 ('t13-tarry', E'NHS 111: black, tarry stools for two days and dizzy on standing. Forwarded to the practice for follow-up.'),
 ('t13-glass-test', E'Tel msg: his daughter has a temperature and purple spots on her legs, the glass test did not make them fade. Asking for an appointment.'),
 ('t13-we-would-be-grateful', E'Maternity services take referrals from GPs only. Please make a referral for booking - we would be grateful if this could be done by Monday.'),
 ('t13-we-have-done', E'We have referred her to maternity services for booking.'),
 ('t13-missed-critical', E'Speech therapy: she has not been able to swallow her tablets since Monday, so she has missed her co-careldopa. Please change her medicines to a form she can take.'),
 ('t13-cannot-swallow-standing', E'He cannot swallow tablets, so please prescribe levetiracetam as the oral solution from next month.'),
 ('t13-follow-up-test', E'The 6 mm lung nodule needs a follow-up CT chest at 12 months, which we will request.'),
 ('t13-seen-alone', E'Domestic abuse notification. Please ensure she is seen alone at every appointment.'),
 ('t13-drug-class', E'Please review his antihypertensives within the next week, his BP was 98/60 sitting.'),
 ('t13-and-to-get', E'Online consultation: the midwife said it might be mastitis and to get a GP appointment in the next couple of days.'),
 ('t13-pregnant-teratogen', E'I did a test this morning and I think I am pregnant. I take sodium valproate for my epilepsy. What should I do?'),
 ('t13-pregnant-safe', E'I think I am pregnant. I take folic acid and paracetamol sometimes. Could I book a pregnancy appointment?'),
 ('t13-ensure-from-today', E'Crisis team: because of overdose risk, please ensure that from today all his prescriptions are issued weekly.'),
 ('t13-started-from-today', E'We have started aspirin 150 mg at night from today until 36 weeks.'),
 ('t13-than-weekday-date', E'Date: 02/12/2024\n\nPlease issue the detox prescription to the pharmacy no later than Wednesday 04/12, so that they can order stock.'),
 ('t14-negation-new-clause', E'Mum won''t be needing her inhalers any more, she died on Sunday. Please cancel her repeats. Ann (daughter)'),
 ('t14-your-patient', E'Mrs Lowe rang. Her husband Len (your patient) died at home last night. She is asking for a call.'),
 ('t14-no-signs-of-life', E'Home care agency: our carer went in at 8am and found Mr Dee on the floor, cold, no signs of life. Paramedics have confirmed.'),
 ('t14-ordinal-day', E'Please check her INR on the 12th as usual and let us know.'),
 ('t14-advise-urgently', E'Please advise urgently: 3 days after his operation, his calf is swollen and he is short of breath.'),
 ('t14-last-pen', E'I am type 1 diabetic and I used my last insulin pen this morning. The chemist needs a prescription. Please help.'),
 ('t14-head-scan-clear', E'My husband banged his head last Tuesday. He is on warfarin so we went straight to A&E and the scan was clear. Could he book his INR for next month?'),
 ('t14-not-on-thinners', E'My daughter had a nosebleed this morning that stopped after five minutes. She is not on any blood thinners. Do we need to do anything?'),
 ('t14-advised-if', E'Minor injuries: cellulitis, flucloxacillin given. Advised to see own GP within 48 hours if the redness spreads.'),
 ('t14-advised-sooner-if', E'Advised to see own GP on Tuesday for a wound review within 48 hours; sooner if spreading redness.'),
 ('t14-cancel-appointment', E'Sorry, I need to cancel my smear appointment today, my dog has been hurt.'),
 ('t14-stroke-fine-last-night', E'Care home: since this morning her face droops on the left and her speech is slurred. She was fine at 10pm last night. Can a GP ring us now?'),
 ('t14-ed-now', E'Microbiology: Gram negative bacilli in both blood culture bottles. Please contact the patient and arrange for her to attend ED now.'),
 ('t14-close-of-play-today', E'Please could you issue his rescue pack before close of play today; he is away tomorrow.'),
 ('t14-is-requested', E'111 clinical assessment: the practice is requested to contact the patient within 2 hours about emergency contraception.'),
 ('t14-on-date', E'Dated: 11/03/2025\n\nPlease arrange a home visit for Mrs Lake on 11/03/2025; she is newly confused with a fever.'),
 ('t14-beats-a-minute', E'His watch keeps saying 35 beats a minute and he feels faint. Can someone call?'),
 ('t14-bpm-report', E'The ECG patch showed short runs of tachycardia up to 190 bpm, no AF. No action needed from the practice.'),
 ('t14-health-visitor', E'The GP practice is asked to note the plan and to inform the health visitor of any missed appointments.'),
 ('t14-rescue-pack', E'Please could you issue his COPD rescue pack before close of play today; he flies to Spain tomorrow.'),
 ('t14-be-authorised', E'Care home MAR check: she has 2 days left of her levetiracetam. Could a repeat be authorised please.'),
 ('t14-recheck', E'Discharged after pneumonia. Sodium 127 on discharge - please recheck in 48h.'),
 ('t14-might-be-worth', E'PCN pharmacist: her eGFR has fallen to 21 and she is still on metformin. Might be worth someone having a look at this, ideally in the next day or two?'),
 ('t14-good-idea', E'Volunteer driver: she has been falling more and is not eating. It might be a good idea if the GP could look in on her in the next day or so.'),
 ('t14-for-years', E'My grandad has been seeing things that aren''t there for years, it is his macular degeneration. Could he have his eye drops repeated?'),
 ('t14-paramedics-came', E'Carer at Elm House: Mr Cole had chest pain last night, the paramedics came and his ECG was normal. Could the GP review his omeprazole next week?'),
 ('t14-not-your-patient', E'My mum, who is not your patient as she lives in Wales, collapsed this morning. Can I have a sick note for two weeks?'),
 ('t15-far-range', E'Biochemistry - PSA\n\nPSA 48.6 ug/L (age-specific reference <6.5). Previous PSA: none on record.'),
 ('t15-near-range', E'Biochemistry - PSA\n\nPSA 7.1 ug/L (age-specific reference <6.5). The test was requested by the practice for his symptoms and the result is sent to you for your information.'),
 ('t15-far-lower', E'Biochemistry report\n\nFerritin 4 ug/L (15-300)'),
 ('t15-halved', E'Haematology - FBC\n\nHb 61 g/L (previous 124 on 14/11/2024)\nMCV 88, Platelets 198, WCC 9.8'),
 ('t15-steady', E'Haematology - FBC\n\nHb 121 g/L (previous 124 on 14/11/2024)\nMCV 88, Platelets 198, WCC 9.8'),
 ('t15-critical-flag', E'Biochemistry report\n\nSodium 124 LL mmol/L'),
 ('t15-far-with-plan', E'Biochemistry report\n\nFerritin 4 ug/L (15-300). Please start oral iron and repeat in 3 months.'),
 ('t15-far-not-report', E'Dear Dr Hale, I saw Mr Oduya in the prostate clinic. PSA 48.6 (<6.5) on our own test; we have arranged an MRI and will see him next week.'),
 ('t12-table-none', E'Care plan review\n| Area | Status |\n| Skin | Intact |\n| Safeguarding | No concerns |\n| Medication | No changes |'),
 ('t8-call-short', E'Please ring me about my son.'),
 ('t8-call-letter', E'Dermatology Clinic\nDear Dr Hale,\nI reviewed Mr Oduya today with his plaque psoriasis. '
                    'His scalp and elbows have improved on the combined steroid and vitamin D preparation and the '
                    'nail changes are stable. He is using his emollient twice a day. I have not changed anything '
                    'and I will see him again in the clinic in six months. His joints are not painful or swollen '
                    'and I have given him the leaflet on psoriatic arthritis. Please call me on 01632 960123.');

SELECT id, (t).urgency, (t).actions, (t).needs_review
  FROM (SELECT id, letters_triage.classify(body) AS t FROM letter) s ORDER BY id;

-- the evidence behind some of them: what counted and what did not, and why
SELECT l.id, e.pattern, e.action, e.urgency, e.context, e.counted, e.why_not
  FROM letter l, letters_triage.evidence(l.body) e
 WHERE l.id IN ('may-month', 'may-modal', 'death-told-by-son', 'other-death-apposition', 'call-relative-today',
                'expired-not-death', 'pathways-disposition', 'hedge-if-possible',
                'tf-on-weekday', 'weekday-done', 'sg-deadline', 'death-meds-stopped', 'death-call-family',
                'treatment-unnamed', 'treatment-named',
                'scan-report-attached', 'clause-ends-done', 'passed-urine', 'writer-own-bereavement',
                'needs-bloods-done', 'bloods-were-done', 'sg-alternative', 'you-hold',
                't4-notice-not-registered', 't4-passed-on-to', 't4-passed-passive', 't4-pet', 't4-fetal-death',
                't4-we-lost-notes', 't5-gone-home', 't5-left-us-discharge', 't5-line-dead', 't5-dead-set',
                't5-call-family', 't5-speak-daughter', 't5-own-negation', 't5-issue-by', 't5-bereaved-patient', 't5-runs-out', 't5-not-urgent',
                't6-offer-call', 't6-jic', 't6-care-plan', 't6-not-woken-at-night',
                't7-death-then-ask', 't7-colleague-asked', 't7-battery-died', 't7-remove-note', 't7-found-relative-dead',
                't7-redflag-asked', 't7-redflag-history', 't7-redflag-condition', 't7-redflag-timed',
                't7-caller-relation', 't8-kin-death-today', 't8-kin-own-appointment', 't8-chest-pain-past',
                't8-tablets-few', 't8-passed-on', 't8-before-hour', 't9-broken-words',
                't11-question-no', 't11-number-sign', 't12-quoted-phrase', 't12-clock-afternoon',
                't12-clock-day-said', 't12-callers-wish', 't12-clinicians-time',
                't12-table-timescale', 't12-table-none', 't12-table-duration', 't12-table-who-gp',
                't12-table-who-us', 't15-far-range', 't15-halved')
 ORDER BY l.id, e.char_offset, e.pattern;
