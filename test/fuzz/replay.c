/*
 * replay.c — runs a libFuzzer harness (harness_letter.c, harness_classify.c)
 * without libFuzzer, so that any C compiler with AddressSanitizer and UBSan
 * builds it (test/fuzz/sanitize uses the system's cc):
 *
 *   replay [-t SECONDS] [-s SEED] FILE...
 *
 * Every FILE is given to LLVMFuzzerTestOneInput() once, as it is; then, for
 * SECONDS (default 0), inputs made by mutating randomly chosen FILEs (bytes
 * flipped, inserted, deleted or duplicated, two inputs spliced, cut short) are
 * given to it, deterministically for a SEED.  A finding aborts the process:
 * the harness's own checks abort, the sanitizers are built with
 * -fno-sanitize-recover, and an ereport(ERROR) of the text core aborts in the
 * shim.  Prints the number of inputs run.
 *
 * With -DLT_REPLAY_ASSERT it also supplies ExceptionalCondition(), which the
 * server's Assert() calls when the core is built with -DUSE_ASSERT_CHECKING.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int			LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

typedef struct Input
{
	uint8_t    *data;
	size_t		size;
} Input;

static uint64_t rng_state;

/* xorshift64*: small, deterministic for a seed, good enough for mutation */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static Input
read_file(const char *path)
{
	Input		in = {NULL, 0};
	FILE	   *f = fopen(path, "rb");
	long		n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
	{
		fprintf(stderr, "replay: cannot read %s\n", path);
		exit(2);
	}
	in.size = (size_t) n;
	in.data = malloc(in.size ? in.size : 1);
	if (in.data == NULL || fread(in.data, 1, in.size, f) != in.size)
	{
		fprintf(stderr, "replay: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	return in;
}

/*
 * One mutant of a (and sometimes b), in a fresh exactly sized buffer so that
 * a read past its end is caught by AddressSanitizer.  The first byte (the
 * classify harness's flags) is mutated like any other.
 */
static Input
mutate(const Input *a, const Input *b)
{
	size_t		cap = a->size + b->size + 64;
	uint8_t    *buf = malloc(cap);
	size_t		len = a->size;
	int			rounds = 1 + (int) (rng() % 8);
	Input		out;

	memcpy(buf, a->data, a->size);
	for (int r = 0; r < rounds; r++)
	{
		size_t		pos = len ? (size_t) (rng() % len) : 0;

		switch (rng() % 6)
		{
			case 0:				/* flip bits of a byte */
				if (len)
					buf[pos] ^= (uint8_t) (1u << (rng() % 8));
				break;
			case 1:				/* insert a byte, often a structural one */
				if (len < cap)
				{
					static const char interesting[] = "\n\r\t :;,.()-/0123456789\xc3\xa9\x00";

					memmove(buf + pos + 1, buf + pos, len - pos);
					buf[pos] = (rng() % 2) ? (uint8_t) interesting[rng() % (sizeof(interesting) - 1)]
						: (uint8_t) rng();
					len++;
				}
				break;
			case 2:				/* delete a run */
				if (len)
				{
					size_t		n = 1 + (size_t) (rng() % 16);

					if (n > len - pos)
						n = len - pos;
					memmove(buf + pos, buf + pos + n, len - pos - n);
					len -= n;
				}
				break;
			case 3:				/* duplicate a run in place */
				if (len)
				{
					size_t		n = 1 + (size_t) (rng() % 32);

					if (n > len - pos)
						n = len - pos;
					if (len + n <= cap)
					{
						memmove(buf + pos + n, buf + pos, len - pos);
						len += n;
					}
				}
				break;
			case 4:				/* splice: a's start, b's end */
				if (b->size)
				{
					size_t		from = (size_t) (rng() % b->size);
					size_t		n = b->size - from;

					if (pos + n > cap)
						n = cap - pos;
					memcpy(buf + pos, b->data + from, n);
					len = pos + n;
				}
				break;
			default:			/* cut short */
				len = pos;
				break;
		}
	}
	out.data = malloc(len ? len : 1);
	memcpy(out.data, buf, len);
	out.size = len;
	free(buf);
	return out;
}

int
main(int argc, char **argv)
{
	double		seconds = 0;
	uint64_t	seed = 20261202;
	int			first = 1;
	int			n = 0;
	Input	   *inputs;
	long		ran = 0,
				mutants = 0;
	clock_t		start;

	while (first + 1 < argc && argv[first][0] == '-')
	{
		if (strcmp(argv[first], "-t") == 0)
			seconds = atof(argv[first + 1]);
		else if (strcmp(argv[first], "-s") == 0)
			seed = strtoull(argv[first + 1], NULL, 10);
		else
			break;
		first += 2;
	}
	if (first >= argc)
	{
		fprintf(stderr, "usage: replay [-t SECONDS] [-s SEED] FILE...\n");
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);

	inputs = malloc(sizeof(Input) * (size_t) (argc - first));
	for (int i = first; i < argc; i++)
	{
		inputs[n] = read_file(argv[i]);
		LLVMFuzzerTestOneInput(inputs[n].data, inputs[n].size);
		n++;
		ran++;
	}

	rng_state = seed ? seed : 1;
	start = clock();
	while (seconds > 0 && (double) (clock() - start) / CLOCKS_PER_SEC < seconds)
	{
		Input		m = mutate(&inputs[rng() % (uint64_t) n], &inputs[rng() % (uint64_t) n]);

		LLVMFuzzerTestOneInput(m.data, m.size);
		free(m.data);
		mutants++;
	}
	printf("%ld inputs, %ld mutants\n", ran, mutants);
	return 0;
}

/* After main(): postgres.h redefines the stdio functions used above. */
#ifdef LT_REPLAY_ASSERT
#include "postgres.h"

/* libc's, as in main() above: postgres.h maps fprintf to pg_fprintf */
#undef fprintf

#if PG_VERSION_NUM >= 160000
void
ExceptionalCondition(const char *conditionName, const char *fileName, int lineNumber)
{
	fprintf(stderr, "replay: assertion failed: \"%s\", %s:%d\n", conditionName, fileName, lineNumber);
	abort();
}
#else
void
ExceptionalCondition(const char *conditionName, const char *errorType,
					 const char *fileName, int lineNumber)
{
	fprintf(stderr, "replay: %s: \"%s\", %s:%d\n", errorType, conditionName, fileName, lineNumber);
	abort();
}
#endif
#endif
