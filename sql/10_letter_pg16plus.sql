SET client_min_messages = warning;
DROP EXTENSION IF EXISTS letters_triage CASCADE;
CREATE EXTENSION letters_triage;
RESET client_min_messages;
-- Soft input errors (PostgreSQL 16 and later): any text is a valid letter.
SELECT t, pg_input_is_valid(t, 'letters_triage.letter') AS valid
  FROM (VALUES (''), ('plain'), (E'Kind: death\n\nb'), (E'NHS-Number: 1\n\nproblems are not errors'),
               (E'\nKind: x\n\n')) AS v(t);
SELECT * FROM pg_input_error_info(E'To: nowhere\n\nb', 'letters_triage.letter');
