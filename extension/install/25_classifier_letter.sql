-- ---------------------------------------------------------------------------
-- The classifier on letters_triage.letter values (extension/classify_letter.c):
-- the header block counts too (Kind, Subject).
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.classify(l @extschema@.letter) RETURNS @extschema@.triage
    AS 'MODULE_PATHNAME', 'letter_classify'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.classify(@extschema@.letter) IS
    'triage of a letter, its Kind and Subject headers included ("Kind: death" is a death notification)';

CREATE FUNCTION @extschema@.urgency(l @extschema@.letter) RETURNS @extschema@.urgency
    AS 'MODULE_PATHNAME', 'letter_urgency'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.urgency(@extschema@.letter) IS 'how soon the GP must act on a letter (as classify(l).urgency)';

CREATE FUNCTION @extschema@.actions(l @extschema@.letter) RETURNS text[]
    AS 'MODULE_PATHNAME', 'letter_actions'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.actions(@extschema@.letter) IS 'the GP actions a letter asks for (as classify(l).actions)';

CREATE FUNCTION @extschema@.evidence(l @extschema@.letter,
        OUT rule bigint, OUT pattern text, OUT source text, OUT action text,
        OUT urgency @extschema@.urgency, OUT char_offset integer, OUT char_length integer,
        OUT matched text, OUT context text, OUT section text, OUT counted boolean, OUT why_not text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'letter_evidence'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION @extschema@.evidence(@extschema@.letter) IS
    'why a letter was classified as it was; offsets in characters of body(l); matches in the Kind/Subject headers have source header and no offset';
