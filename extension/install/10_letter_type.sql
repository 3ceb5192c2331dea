
-- ---------------------------------------------------------------------------
-- The letter type (extension/letter.c, extension/letter_parse.c, include/letter.h,
-- include/letter_parse.h)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.letter;

CREATE FUNCTION @extschema@.letter_in(cstring) RETURNS @extschema@.letter
    AS 'MODULE_PATHNAME', 'letter_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_in(cstring) IS
    'text input of a letter: an optional header block, a blank line, the body; any text is a letter';

CREATE FUNCTION @extschema@.letter_out(@extschema@.letter) RETURNS cstring
    AS 'MODULE_PATHNAME', 'letter_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_out(@extschema@.letter) IS
    'text output of a letter: the text it was given, byte for byte';

CREATE FUNCTION @extschema@.letter_recv(internal) RETURNS @extschema@.letter
    AS 'MODULE_PATHNAME', 'letter_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_recv(internal) IS
    'binary input of a letter (COPY BINARY, drivers): text''s binary format, validated as text''s input; also the format 1 of earlier builds';

CREATE FUNCTION @extschema@.letter_send(@extschema@.letter) RETURNS bytea
    AS 'MODULE_PATHNAME', 'letter_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_send(@extschema@.letter) IS
    'binary output of a letter: text''s binary format (the text in the client encoding)';

CREATE TYPE @extschema@.letter (
    INPUT = @extschema@.letter_in,
    OUTPUT = @extschema@.letter_out,
    RECEIVE = @extschema@.letter_recv,
    SEND = @extschema@.letter_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended,
    -- a string type like text (as citext is): with the implicit cast to
    -- text, COALESCE, CASE and UNION mixing letters with text resolve to text
    CATEGORY = 'S',
    -- collatable like text: COLLATE on a letter column or expression works,
    -- a column keeps a collation, and ordering follows it as text's does
    COLLATABLE = true
);
COMMENT ON TYPE @extschema@.letter IS
    'a clinical letter from a trust to a GP practice: its text, kept byte for byte, read as headers (Letter-Id, NHS-Number, To, From, Dated, Kind, Subject, others) and a body';

-- Accessors ------------------------------------------------------------------

CREATE FUNCTION @extschema@.body(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_body' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.body(@extschema@.letter) IS
    'the body of a letter, byte for byte';

CREATE FUNCTION @extschema@.header(@extschema@.letter, name text) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_header' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.header(@extschema@.letter, text) IS
    'value of the first header of that name (case-insensitive), or NULL';

CREATE FUNCTION @extschema@.headers(@extschema@.letter, OUT name text, OUT value text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'letter_headers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION @extschema@.headers(@extschema@.letter) IS
    'every header of a letter as (name, value), known headers first in their fixed order';

CREATE FUNCTION @extschema@.nhs_number(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_nhs_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nhs_number(@extschema@.letter) IS
    'the NHS-Number header as 10 digits; NULL if absent or not a valid NHS number';

CREATE FUNCTION @extschema@.recipient(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_recipient' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.recipient(@extschema@.letter) IS
    'the To header as an upper-case ODS practice code (letter + 5 digits); NULL if absent or malformed';

CREATE FUNCTION @extschema@.sender(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_sender' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sender(@extschema@.letter) IS
    'the From header without trailing blanks, or NULL';

CREATE FUNCTION @extschema@.subject(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_subject' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.subject(@extschema@.letter) IS
    'the Subject header without trailing blanks, or NULL';

CREATE FUNCTION @extschema@.letter_id(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_letter_id' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_id(@extschema@.letter) IS
    'the Letter-Id header without trailing blanks, or NULL';

CREATE FUNCTION @extschema@.kind(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_kind' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kind(@extschema@.letter) IS
    'the kind named by the Kind header: discharge, outpatient, community, death, result or other; NULL if absent or unknown';

CREATE FUNCTION @extschema@.dated(@extschema@.letter) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'letter_dated' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.dated(@extschema@.letter) IS
    'the Dated header as timestamptz (ISO 8601; without an offset read as Europe/London time); NULL if absent or unparseable';

CREATE FUNCTION @extschema@.problems(@extschema@.letter) RETURNS text[]
    AS 'MODULE_PATHNAME', 'letter_problems' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.problems(@extschema@.letter) IS
    'problem codes of a letter''s headers (empty array if none): nhs_number_format, nhs_number_check_digit, recipient_format, dated_unparseable, kind_unknown, duplicate_header';

CREATE FUNCTION @extschema@.is_valid(@extschema@.letter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'letter_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_valid(@extschema@.letter) IS
    'true when problems() is empty; usable in a CHECK constraint';

-- Constructors and casts -----------------------------------------------------

CREATE FUNCTION @extschema@.letter(body text, nhs_number text DEFAULT NULL,
        recipient text DEFAULT NULL, dated timestamptz DEFAULT NULL, kind text DEFAULT NULL,
        subject text DEFAULT NULL, sender text DEFAULT NULL, letter_id text DEFAULT NULL)
    RETURNS @extschema@.letter
    AS 'MODULE_PATHNAME', 'letter_letter' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter(text, text, text, timestamptz, text, text, text, text) IS
    'build a letter from a body (kept verbatim, never parsed for headers) and header values (NULL = absent); NULL if body is NULL';

CREATE FUNCTION @extschema@.letter_from_jsonb(jsonb) RETURNS @extschema@.letter
    AS 'MODULE_PATHNAME', 'letter_from_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_from_jsonb(jsonb) IS
    'build a letter from {"headers": [[name, value], ...] or {name: value, ...}, "body": text}';

CREATE FUNCTION @extschema@.letter_to_jsonb(l @extschema@.letter) RETURNS jsonb
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_catalog.jsonb_build_object(
        'headers', COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(h.name, h.value) ORDER BY h.n)
                               FROM @extschema@.headers(l) WITH ORDINALITY AS h(name, value, n)),
                            '[]'::jsonb),
        'body', @extschema@.body(l))
    $$;
COMMENT ON FUNCTION @extschema@.letter_to_jsonb(@extschema@.letter) IS
    'a letter as {"headers": [[name, value], ...], "body": text}';

CREATE FUNCTION @extschema@.letter_to_text(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.letter_to_text(@extschema@.letter) IS
    'the text of a letter, byte for byte as it was given (the implicit cast to text)';

CREATE FUNCTION @extschema@.letter_from_bpchar(character) RETURNS @extschema@.letter
    AS 'MODULE_PATHNAME', 'letter_from_bpchar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_from_bpchar(character) IS
    'the cast from char(n): the value without its trailing spaces, as char(n) becomes text';

CREATE FUNCTION @extschema@.canonical(@extschema@.letter) RETURNS text
    AS 'MODULE_PATHNAME', 'letter_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.canonical(@extschema@.letter) IS
    'canonical text of a letter: known headers first in a fixed order and spelling, the others, LF line ends, a blank line, the body';

-- text and varchar become letters on assignment (INSERT, UPDATE, COPY); a
-- letter is text wherever text is wanted (implicit), so every text operator
-- and function works on a letter column without the extension's schema on
-- the search_path, and a comparison with text, varchar or an untyped
-- parameter is a comparison of texts
CREATE CAST (text AS @extschema@.letter) WITH INOUT AS ASSIGNMENT;
CREATE CAST (character varying AS @extschema@.letter) WITH INOUT AS ASSIGNMENT;
-- char(n) loses its trailing spaces, as in the cast from char(n) to text
CREATE CAST (character AS @extschema@.letter) WITH FUNCTION @extschema@.letter_from_bpchar(character) AS ASSIGNMENT;
CREATE CAST (@extschema@.letter AS text) WITH FUNCTION @extschema@.letter_to_text(@extschema@.letter) AS IMPLICIT;
CREATE CAST (@extschema@.letter AS character varying) WITH FUNCTION @extschema@.letter_to_text(@extschema@.letter) AS IMPLICIT;
-- No casts between letter and jsonb: a letter column converted from text
-- keeps text's meaning of body::jsonb (the text read as JSON, by I/O
-- conversion); the parsed view as jsonb is letter_to_jsonb().

-- NHS numbers on plain text --------------------------------------------------

CREATE FUNCTION @extschema@.nhs_number_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'lt_nhs_number_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nhs_number_valid(text) IS
    'true if the text is an NHS number: 10 digits (a space or hyphen allowed after the 3rd and 6th) with a valid Modulus 11 check digit';

CREATE FUNCTION @extschema@.nhs_number(text) RETURNS text
    AS 'MODULE_PATHNAME', 'lt_nhs_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nhs_number(text) IS
    'the canonical 10 digits of a valid NHS number, else NULL';

-- Comparison, hashing --------------------------------------------------------

CREATE FUNCTION @extschema@.letter_eq(@extschema@.letter, @extschema@.letter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'letter_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.letter_eq(@extschema@.letter, @extschema@.letter) IS
    'equality of letters: their texts equal under the collation (byte for byte under a deterministic one, as text)';
CREATE FUNCTION @extschema@.letter_ne(@extschema@.letter, @extschema@.letter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'letter_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.letter_ne(@extschema@.letter, @extschema@.letter) IS
    'inequality of letters';
CREATE FUNCTION @extschema@.letter_lt(@extschema@.letter, @extschema@.letter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'letter_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_lt(@extschema@.letter, @extschema@.letter) IS
    'letter order: the order of their texts under the collation, as text';
CREATE FUNCTION @extschema@.letter_le(@extschema@.letter, @extschema@.letter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'letter_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_le(@extschema@.letter, @extschema@.letter) IS
    'letter order: the order of their texts under the collation, as text';
CREATE FUNCTION @extschema@.letter_gt(@extschema@.letter, @extschema@.letter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'letter_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_gt(@extschema@.letter, @extschema@.letter) IS
    'letter order: the order of their texts under the collation, as text';
CREATE FUNCTION @extschema@.letter_ge(@extschema@.letter, @extschema@.letter) RETURNS boolean
    AS 'MODULE_PATHNAME', 'letter_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_ge(@extschema@.letter, @extschema@.letter) IS
    'letter order: the order of their texts under the collation, as text';
CREATE FUNCTION @extschema@.letter_cmp(@extschema@.letter, @extschema@.letter) RETURNS integer
    AS 'MODULE_PATHNAME', 'letter_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_cmp(@extschema@.letter, @extschema@.letter) IS
    'btree support: -1, 0 or 1 in letter order (the texts under the collation, as text)';
CREATE FUNCTION @extschema@.letter_hash(@extschema@.letter) RETURNS integer
    AS 'MODULE_PATHNAME', 'letter_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_hash(@extschema@.letter) IS
    'hash support: hash of the text, consistent with = under the collation';
CREATE FUNCTION @extschema@.letter_hash_extended(@extschema@.letter, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'letter_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.letter_hash_extended(@extschema@.letter, bigint) IS
    'hash support: seeded 64-bit hash of the text, consistent with = under the collation';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.letter, RIGHTARG = @extschema@.letter,
    FUNCTION = @extschema@.letter_eq, COMMUTATOR = OPERATOR(@extschema@.=),
    NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
COMMENT ON OPERATOR @extschema@.= (@extschema@.letter, @extschema@.letter) IS 'equal letters (the same text)';
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.letter, RIGHTARG = @extschema@.letter,
    FUNCTION = @extschema@.letter_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
    NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.letter, @extschema@.letter) IS 'different letters';
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.letter, RIGHTARG = @extschema@.letter,
    FUNCTION = @extschema@.letter_lt, COMMUTATOR = OPERATOR(@extschema@.>),
    NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
COMMENT ON OPERATOR @extschema@.< (@extschema@.letter, @extschema@.letter) IS 'earlier in letter order';
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.letter, RIGHTARG = @extschema@.letter,
    FUNCTION = @extschema@.letter_le, COMMUTATOR = OPERATOR(@extschema@.>=),
    NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
COMMENT ON OPERATOR @extschema@.<= (@extschema@.letter, @extschema@.letter) IS 'earlier in letter order or equal';
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.letter, RIGHTARG = @extschema@.letter,
    FUNCTION = @extschema@.letter_gt, COMMUTATOR = OPERATOR(@extschema@.<),
    NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
COMMENT ON OPERATOR @extschema@.> (@extschema@.letter, @extschema@.letter) IS 'later in letter order';
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.letter, RIGHTARG = @extschema@.letter,
    FUNCTION = @extschema@.letter_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
    NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR @extschema@.>= (@extschema@.letter, @extschema@.letter) IS 'later in letter order or equal';

CREATE OPERATOR CLASS @extschema@.letter_ops DEFAULT FOR TYPE @extschema@.letter USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.letter_cmp(@extschema@.letter, @extschema@.letter);
COMMENT ON OPERATOR CLASS @extschema@.letter_ops USING btree IS
    'letter order: the texts under the column''s or expression''s collation, as for text (so an index follows the collation and, like a text index, needs a REINDEX when the collation''s library changes its order)';

CREATE OPERATOR CLASS @extschema@.letter_ops DEFAULT FOR TYPE @extschema@.letter USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.letter_hash(@extschema@.letter),
    FUNCTION 2 @extschema@.letter_hash_extended(@extschema@.letter, bigint);
COMMENT ON OPERATOR CLASS @extschema@.letter_ops USING hash IS
    'hashing of letters, consistent with =';
