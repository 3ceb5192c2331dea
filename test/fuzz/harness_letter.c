/*
 * harness_letter.c — libFuzzer targets for the letter type's text core
 * (extension/letter_parse.c), built outside the server; see
 * test/fuzz/libfuzzer.  The checks are those of the random harness
 * test/fuzz/fuzz_letter.c (included here, its main() renamed), so the two
 * harnesses assert the same properties:
 *
 *   target "letter": the input is a letter's text; parse, print, round trip
 *     text and binary, the stored layout's invariants, nothing lost, and the
 *     field checks (NHS number, ODS code, Kind, Dated) on the whole input;
 *   target "wire" (-DLT_FUZZ_WIRE): the input is binary format 1, which
 *     letter_recv still receives (COPY BINARY, drivers): decoded and built
 *     with the checks letter_recv applies, then printed and re-parsed
 *     (the binary format letter_send writes is text's, the text itself: target
 *     "letter").
 *
 * A failed check aborts (a crash for libFuzzer) with the input described.
 */
#define main fuzz_letter_main
#include "fuzz_letter.c"
#undef main

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *) data;

	if (size > 4 * 1024 * 1024)
		return 0;
#ifdef LT_FUZZ_WIRE
	check_wire(in, size);
#else
	check_text(in, size);
	check_fields(in, size);
	{
		/* the parsed letter's binary form, through the decoder */
		Buf			w = {0};
		size_t		s;
		LtLetter   *l = lt_letter_parse(in, size, &s);

		if (l != NULL)
		{
			encode(l, &w);
			check_wire(w.p, w.len);
			free(w.p);
		}
	}
#endif
	arena_reset();
	if (failures > 0)
		abort();
	return 0;
}
