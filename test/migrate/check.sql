-- After pg_restore on the new major: each query returns "name t" when all is well.
SELECT 'extension_restored', count(*) = 1 FROM pg_extension WHERE extname = 'letters_triage';
SELECT 'library_matches_script', letters_triage.version() = extversion FROM pg_extension WHERE extname = 'letters_triage';
