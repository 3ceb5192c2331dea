-- A database as a trust would have it before moving to a new PostgreSQL major.
CREATE EXTENSION letters_triage;
