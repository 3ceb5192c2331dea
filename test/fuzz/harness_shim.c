/*
 * harness_shim.c — the few server services the classifier's text core (the
 * files test/fuzz/core-files lists) links against, provided outside the
 * server for the libFuzzer harnesses (test/fuzz/libfuzzer).  Nothing here changes the design: the core is
 * compiled from the same sources as the extension, against the server's
 * headers, and these functions stand in for the postgres binary.
 *
 *   - memory contexts: every context is a list of malloc'd blocks (so that
 *     AddressSanitizer sees each palloc'd chunk with its own red zones);
 *     deleting a context frees its blocks and its children;
 *   - ereport/elog: an ERROR (or worse) prints the message and aborts, which
 *     libFuzzer reports as a crash: the text core promises never to raise an
 *     error because of the text it is given (include/triage.h);
 *   - StringInfo, pg_snprintf, pg_qsort, pg_strncasecmp: plain libc versions;
 *   - the database encoding: UTF8 or SQL_ASCII, chosen per input by the
 *     harness (shim_encoding); the conversions are never needed for those.
 *
 * The core calls no SPI, catalog or invalidation function: nothing stands in
 * for them, so a call would fail to link.
 */
#include "postgres.h"

#include "harness_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#pragma GCC diagnostic pop

/* ---------------------------------------------------------- memory */

typedef struct ShimBlock
{
	struct ShimBlock *prev;
	struct ShimBlock *next;
	struct ShimCxt *cxt;
	size_t		size;
} ShimBlock;

typedef struct ShimCxt
{
	ShimBlock	head;			/* circular list of blocks */
	struct ShimCxt *parent;
	struct ShimCxt *next_all;	/* every live context */
	const char *name;
	size_t		total;			/* bytes allocated, for shim_context_bytes */
} ShimCxt;

static ShimCxt *all_contexts;

static ShimCxt *
cxt_new(ShimCxt *parent, const char *name)
{
	ShimCxt    *c = calloc(1, sizeof(ShimCxt));

	if (c == NULL)
		abort();
	c->head.prev = c->head.next = &c->head;
	c->parent = parent;
	c->name = name;
	c->next_all = all_contexts;
	all_contexts = c;
	return c;
}

static ShimCxt *
current(void)
{
	if (CurrentMemoryContext == NULL)
		CurrentMemoryContext = (MemoryContext) cxt_new(NULL, "TopMemoryContext");
	return (ShimCxt *) CurrentMemoryContext;
}

MemoryContext CurrentMemoryContext = NULL;
MemoryContext CacheMemoryContext = NULL;
MemoryContext TopMemoryContext = NULL;

static void *
block_alloc(ShimCxt *c, Size size, bool zero)
{
	ShimBlock  *b;

	if (!AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", (size_t) size);
	b = malloc(sizeof(ShimBlock) + size);
	if (b == NULL)
		elog(ERROR, "out of memory");
	b->cxt = c;
	b->size = size;
	b->next = c->head.next;
	b->prev = &c->head;
	c->head.next->prev = b;
	c->head.next = b;
	c->total += size;
	if (zero)
		memset(b + 1, 0, size);
	return b + 1;
}

static void
block_free(ShimBlock *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
	b->cxt->total -= b->size;
	free(b);
}

void *
palloc(Size size)
{
	return block_alloc(current(), size, false);
}

void *
palloc0(Size size)
{
	return block_alloc(current(), size, true);
}

void *
palloc_extended(Size size, int flags)
{
	return block_alloc(current(), size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return block_alloc((ShimCxt *) context, size, false);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return block_alloc((ShimCxt *) context, size, true);
}

void
pfree(void *pointer)
{
	block_free((ShimBlock *) pointer - 1);
}

void *
repalloc(void *pointer, Size size)
{
	ShimBlock  *old = (ShimBlock *) pointer - 1;
	void	   *p = block_alloc(old->cxt, size, false);

	memcpy(p, pointer, Min(size, old->size));
	block_free(old);
	return p;
}

char *
pstrdup(const char *in)
{
	size_t		n = strlen(in);
	char	   *r = palloc(n + 1);

	memcpy(r, in, n + 1);
	return r;
}

char *
pnstrdup(const char *in, Size len)
{
	size_t		n = strnlen(in, len);
	char	   *r = palloc(n + 1);

	memcpy(r, in, n);
	r[n] = '\0';
	return r;
}

MemoryContext
AllocSetContextCreateInternal(MemoryContext parent, const char *name,
							  Size minContextSize, Size initBlockSize, Size maxBlockSize)
{
	(void) minContextSize;
	(void) initBlockSize;
	(void) maxBlockSize;
	return (MemoryContext) cxt_new((ShimCxt *) parent, name);
}

void
MemoryContextSetParent(MemoryContext context, MemoryContext new_parent)
{
	((ShimCxt *) context)->parent = (ShimCxt *) new_parent;
}

static void
cxt_free_blocks(ShimCxt *c)
{
	while (c->head.next != &c->head)
		block_free(c->head.next);
}

/* Delete every child of c (and theirs), and free c's blocks. */
static void
cxt_empty(ShimCxt *c)
{
	bool		again = true;

	while (again)
	{
		again = false;
		for (ShimCxt *k = all_contexts; k; k = k->next_all)
			if (k->parent == c)
			{
				MemoryContextDelete((MemoryContext) k);
				again = true;
				break;
			}
	}
	cxt_free_blocks(c);
}

void
MemoryContextDelete(MemoryContext context)
{
	ShimCxt    *c = (ShimCxt *) context;
	ShimCxt   **pp;

	cxt_empty(c);
	for (pp = &all_contexts; *pp; pp = &(*pp)->next_all)
		if (*pp == c)
		{
			*pp = c->next_all;
			break;
		}
	if (CurrentMemoryContext == context)
		CurrentMemoryContext = NULL;
	free(c);
}

void
MemoryContextReset(MemoryContext context)
{
	cxt_empty((ShimCxt *) context);
}

MemoryContext
shim_context(const char *name)
{
	return (MemoryContext) cxt_new(NULL, name);
}

size_t
shim_context_bytes(MemoryContext context)
{
	return ((ShimCxt *) context)->total;
}

/* ---------------------------------------------------------- errors */

volatile sig_atomic_t InterruptPending = false;

void
ProcessInterrupts(void)
{
}

sigjmp_buf *PG_exception_stack = NULL;
ErrorContextCallback *error_context_stack = NULL;

static int	err_level;
static char err_msg[1024];

bool
errstart(int elevel, const char *domain)
{
	(void) domain;
	err_level = elevel;
	err_msg[0] = '\0';
	return elevel >= ERROR;		/* warnings and below are not interesting */
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

int
errcode(int sqlerrcode)
{
	(void) sqlerrcode;
	return 0;
}

int
errmsg(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(err_msg, sizeof(err_msg), fmt, ap);
	va_end(ap);
	return 0;
}

int
errhint(const char *fmt,...)
{
	(void) fmt;
	return 0;
}

/* (the same functions under the other names the server's headers declare) */
int			errmsg_internal(const char *fmt,...) __attribute__((alias("errmsg")));
int			errdetail(const char *fmt,...) __attribute__((alias("errhint")));

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	fprintf(stderr, "ereport(%d) at %s:%d (%s): %s\n", err_level, filename, lineno,
			funcname, err_msg);
	if (err_level >= ERROR)
		abort();
}

void
pg_re_throw(void)
{
	fprintf(stderr, "pg_re_throw outside the server\n");
	abort();
}

/* ---------------------------------------------------------- libc stand-ins */

int
pg_snprintf(char *str, size_t count, const char *fmt,...)
{
	va_list		ap;
	int			r;

	va_start(ap, fmt);
	r = vsnprintf(str, count, fmt, ap);
	va_end(ap);
	return r;
}

void
pg_qsort(void *base, size_t nel, size_t elsize, int (*cmp) (const void *, const void *))
{
	qsort(base, nel, elsize, cmp);
}

int
pg_strncasecmp(const char *s1, const char *s2, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		unsigned char a = (unsigned char) s1[i],
					b = (unsigned char) s2[i];

		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return (int) a - (int) b;
		if (a == 0)
			break;
	}
	return 0;
}

/* StringInfo (as in src/common/stringinfo.c, on palloc) */
void
initStringInfo(StringInfo str)
{
	str->maxlen = 1024;
	str->data = palloc(str->maxlen);
	str->len = 0;
	str->data[0] = '\0';
	str->cursor = 0;
}

void
enlargeStringInfo(StringInfo str, int needed)
{
	int			newlen;

	if (needed < 0 || (size_t) needed >= MaxAllocSize - (size_t) str->len)
		elog(ERROR, "out of memory: cannot enlarge string buffer");
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	if (newlen > (int) MaxAllocSize)
		newlen = (int) MaxAllocSize;
	str->data = repalloc(str->data, newlen);
	str->maxlen = newlen;
}

/* (its data argument is const void * from PostgreSQL 16 on) */
void
#if PG_VERSION_NUM >= 160000
appendBinaryStringInfo(StringInfo str, const void *data, int datalen)
#else
appendBinaryStringInfo(StringInfo str, const char *data, int datalen)
#endif
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

void
appendStringInfoString(StringInfo str, const char *s)
{
	appendBinaryStringInfo(str, s, strlen(s));
}

void
appendStringInfoChar(StringInfo str, char ch)
{
	appendBinaryStringInfo(str, &ch, 1);
}

void
appendStringInfo(StringInfo str, const char *fmt,...)
{
	for (;;)
	{
		va_list		ap;
		int			avail = str->maxlen - str->len,
					n;

		va_start(ap, fmt);
		n = vsnprintf(str->data + str->len, avail, fmt, ap);
		va_end(ap);
		if (n >= 0 && n < avail)
		{
			str->len += n;
			return;
		}
		enlargeStringInfo(str, n + 1);
	}
}

/* ---------------------------------------------------------- encodings */

int			shim_encoding = PG_UTF8;

int
GetDatabaseEncoding(void)
{
	return shim_encoding;
}

unsigned char *
pg_do_encoding_conversion(unsigned char *src, int len, int src_encoding, int dest_encoding)
{
	(void) len;
	if (src_encoding != dest_encoding && src_encoding != PG_SQL_ASCII &&
		dest_encoding != PG_SQL_ASCII)
	{
		fprintf(stderr, "encoding conversion %d -> %d outside the server\n",
				src_encoding, dest_encoding);
		abort();
	}
	return src;
}

char *
pg_any_to_server(const char *s, int len, int encoding)
{
	return (char *) pg_do_encoding_conversion((unsigned char *) s, len, encoding,
											  shim_encoding);
}

/* Longest prefix of at most limit bytes that does not cut a character. */
int
pg_mbcliplen(const char *mbstr, int len, int limit)
{
	int			n = Min(len, limit);

	if (shim_encoding != PG_UTF8 || n == len)
		return n;
	while (n > 0 && (((unsigned char) mbstr[n]) & 0xC0) == 0x80)
		n--;
	return n;
}

/* Characters in the first limit bytes (up to a NUL), as in the server. */
int
pg_mbstrlen_with_len(const char *mbstr, int limit)
{
	int			n = 0;

	for (int i = 0; (limit < 0 || i < limit) && mbstr[i] != '\0'; i++)
		if (shim_encoding != PG_UTF8 || (((unsigned char) mbstr[i]) & 0xC0) != 0x80)
			n++;
	return n;
}

bool
shim_valid_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = u[i];
		int			n;
		uint32		cp;

		if (c == 0)
			return false;
		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return false;
		if (i + n >= len)
			return false;		/* truncated sequence */
		for (int k = 1; k <= n; k++)
		{
			if ((u[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (u[i + k] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
			(n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		i += n + 1;
	}
	return true;
}
