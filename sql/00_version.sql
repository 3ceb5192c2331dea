-- The extension installs, its schema is fixed and the C library matches the
-- install script.
CREATE EXTENSION letters_triage;
SELECT letters_triage.version() = extversion AS library_matches_script
  FROM pg_extension WHERE extname = 'letters_triage';
SELECT extnamespace::regnamespace AS schema, extrelocatable
  FROM pg_extension WHERE extname = 'letters_triage';
-- Nobody but the owner may create objects in the extension's schema.
SELECT has_schema_privilege('public', 'letters_triage', 'CREATE') AS public_may_create;
-- Every function the extension ships has a comment.
SELECT p.proname
  FROM pg_proc p
 WHERE p.pronamespace = 'letters_triage'::regnamespace
   AND obj_description(p.oid, 'pg_proc') IS NULL;
-- Its settings' prefix is reserved once the library is loaded: a misspelt
-- setting is refused, not kept as a placeholder nobody reads.
SET letters_triage.databses = 'clinical';
SHOW letters_triage.allow_drop_letter_columns;
