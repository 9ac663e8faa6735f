/* CUnit tests of dovecot-ntlm-probe's text layer, linked against the
   tool's own objects (src/tool/libprobetext.la), not its main(): the
   base64 codec (probe-codec.c, over OpenSSL's), the terminal sanitizer
   and word lists, and the line reader (probe-line.c) over canned chunks
   and over a real pipe. */

#include "test-common.h"
#include "probe-codec.h"
#include "probe-line.h"

#include <CUnit/Basic.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* base64                                                              */

/* RFC 4648 section 10 */
static const struct {
	const char *plain, *b64;
} rfc4648[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static void test_base64_rfc4648(void)
{
	char b64[16], error[128];
	uint8_t out[16];
	unsigned int i;
	size_t len;

	for (i = 0; i < N_ELEMENTS(rfc4648); i++) {
		const char *plain = rfc4648[i].plain;

		probe_base64_encode((const uint8_t *)plain, strlen(plain), b64);
		ROW_ASSERT(rfc4648[i].b64, strcmp(b64, rfc4648[i].b64) == 0);
		len = 99;
		ROW_ASSERT(rfc4648[i].b64,
			   probe_base64_decode(rfc4648[i].b64, out,
					       sizeof(out), &len, error,
					       sizeof(error)) == 0);
		ROW_ASSERT(rfc4648[i].b64, len == strlen(plain) &&
			   memcmp(out, plain, len) == 0);
	}
}

static const struct {
	const char *in;
	const char *error;
} bad_base64[] = {
	{ "Zm9!", "invalid base64 character 0x21 at offset 3" },
	{ "Zm9v\x01", "invalid base64 character 0x01 at offset 4" },
	{ "Zm-v", "invalid base64 character 0x2d at offset 2" },
	{ "=Zm9", "misplaced '=' padding at offset 0" },
	{ "Z=m9", "misplaced '=' padding at offset 1" },
	{ "Zg===", "misplaced '=' padding at offset 4" },
	{ "Zg==Zm9v", "data after '=' padding at offset 4" },
	{ "Zm8=Zg==", "data after '=' padding at offset 4" },
	{ "Zm9", "base64 is truncated (3 characters, not a multiple of 4)" },
	{ "Zm9vY", "base64 is truncated (5 characters, not a multiple of 4)" },
	{ "Zg=", "base64 is truncated (3 characters, not a multiple of 4)" },
};

static void test_base64_strict(void)
{
	char error[128];
	uint8_t out[16];
	unsigned int i;
	size_t len;

	for (i = 0; i < N_ELEMENTS(bad_base64); i++) {
		error[0] = '\0';
		ROW_ASSERT(bad_base64[i].error,
			   probe_base64_decode(bad_base64[i].in, out,
					       sizeof(out), &len, error,
					       sizeof(error)) == -1);
		ROW_ASSERT(bad_base64[i].error,
			   strcmp(error, bad_base64[i].error) == 0);
	}
	/* whitespace anywhere is skipped, the offsets count it */
	CU_ASSERT_EQUAL(probe_base64_decode(" Zm9v\r\n Ym\tFy \n", out,
					    sizeof(out), &len, error,
					    sizeof(error)), 0);
	CU_ASSERT_EQUAL(len, 6);
	CU_ASSERT_EQUAL(memcmp(out, "foobar", 6), 0);
	CU_ASSERT_EQUAL(probe_base64_decode("Zm 9!", out, sizeof(out), &len,
					    error, sizeof(error)), -1);
	CU_ASSERT_STRING_EQUAL(error,
			       "invalid base64 character 0x21 at offset 4");
	CU_ASSERT_EQUAL(probe_base64_decode("Zg= =", out, sizeof(out), &len,
					    error, sizeof(error)), 0);
	CU_ASSERT_EQUAL(len, 1);
	/* only whitespace is nothing */
	CU_ASSERT_EQUAL(probe_base64_decode(" \r\n", out, sizeof(out), &len,
					    error, sizeof(error)), 0);
	CU_ASSERT_EQUAL(len, 0);
	/* as before the split: the bits under the padding are not checked */
	CU_ASSERT_EQUAL(probe_base64_decode("TR==", out, sizeof(out), &len,
					    error, sizeof(error)), 0);
	CU_ASSERT_EQUAL(len, 1);
	CU_ASSERT_EQUAL(out[0], 'M');
}

/* The decoder never writes past out_size: a canary after it stays. */
static void test_base64_size(void)
{
	uint8_t data[300], out[300 + 8];
	char b64[PROBE_BASE64_ENCODED_SIZE(300)], error[128];
	size_t n, size, len;
	int ret;

	for (n = 0; n < sizeof(data); n++)
		data[n] = (uint8_t)(n * 37 + 11);
	for (n = 0; n <= sizeof(data); n++) {
		probe_base64_encode(data, n, b64);
		CU_ASSERT_EQUAL_FATAL(strlen(b64), (n + 2) / 3 * 4);
		for (size = n >= 2 ? n - 2 : 0; size <= n; size++) {
			memset(out, 0xa5, sizeof(out));
			error[0] = '\0';
			ret = probe_base64_decode(b64, out, size, &len, error,
						  sizeof(error));
			if (size < n) {
				CU_ASSERT_EQUAL(ret, -1);
				CU_ASSERT_PTR_NOT_NULL(strstr(error,
							      "longer than"));
			} else {
				CU_ASSERT_EQUAL(ret, 0);
				CU_ASSERT_EQUAL(len, n);
				CU_ASSERT_EQUAL(memcmp(out, data, n), 0);
			}
			CU_ASSERT_EQUAL(out[size], 0xa5);
		}
	}
	/* a message of the largest size the probe reads, in one long line
	   with whitespace, through several of the decoder's chunks */
	{
		static uint8_t big[NTLM_MAX_MESSAGE_SIZE], back[sizeof(big)];
		static char big64[PROBE_BASE64_ENCODED_SIZE(sizeof(big)) * 2];
		static char enc[PROBE_BASE64_ENCODED_SIZE(sizeof(big))];
		size_t i, j = 0;

		for (i = 0; i < sizeof(big); i++)
			big[i] = (uint8_t)(i ^ (i >> 8));
		probe_base64_encode(big, sizeof(big) - 1, enc);
		for (i = 0; enc[i] != '\0'; i++) {
			big64[j++] = enc[i];
			if (i % 61 == 60)
				big64[j++] = '\n';
		}
		big64[j] = '\0';
		CU_ASSERT_EQUAL(probe_base64_decode(big64, back, sizeof(back),
						    &len, error,
						    sizeof(error)), 0);
		CU_ASSERT_EQUAL(len, sizeof(big) - 1);
		CU_ASSERT_EQUAL(memcmp(back, big, sizeof(big) - 1), 0);
	}
}

/* ------------------------------------------------------------------ */
/* the sanitizer and word lists                                        */

static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *out;
} sanitize_rows[] = {
	{ "ASCII", "+OK Dovecot ready.", 18, "+OK Dovecot ready." },
	{ "ESC (C0)", "\x1b[31mred", 8, "\\x1b[31mred" },
	{ "CR, LF, TAB", "a\r\n\tb", 5, "a\\x0d\\x0a\\x09b" },
	{ "DEL", "\x7f", 1, "\\x7f" },
	{ "NUL", "a\0b", 3, "a\\x00b" },
	{ "UTF-8", "j\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x98\x80", 14,
	  "j\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "C1 CSI as UTF-8", "\xc2\x9b" "31m", 5, "\\u009b31m" },
	{ "C1 U+0080", "\xc2\x80", 2, "\\u0080" },
	{ "NBSP is not C1", "\xc2\xa0", 2, "\xc2\xa0" },
	{ "raw 0x9b (8-bit CSI)", "\x9b" "31m", 4, "\\x9b31m" },
	{ "overlong /", "\xc0\xaf", 2, "\\xc0\\xaf" },
	{ "overlong 3-byte", "\xe0\x80\xaf", 3, "\\xe0\\x80\\xaf" },
	{ "surrogate", "\xed\xa0\x80", 3, "\\xed\\xa0\\x80" },
	{ "past U+10FFFF", "\xf4\x90\x80\x80", 4,
	  "\\xf4\\x90\\x80\\x80" },
	{ "truncated sequence", "\xe2\x82", 2, "\\xe2\\x82" },
	{ "truncated at the end", "ok\xe2", 3, "ok\\xe2" },
	{ "lone continuation", "\x80z", 2, "\\x80z" },
};

static void test_sanitizer(void)
{
	unsigned int i;
	char *buf;
	size_t size;
	FILE *out;

	for (i = 0; i < N_ELEMENTS(sanitize_rows); i++) {
		buf = NULL;
		out = open_memstream(&buf, &size);
		CU_ASSERT_PTR_NOT_NULL_FATAL(out);
		probe_fput_sanitized(out, sanitize_rows[i].in,
				     sanitize_rows[i].len);
		CU_ASSERT_EQUAL_FATAL(fclose(out), 0);
		ROW_ASSERT(sanitize_rows[i].name,
			   strcmp(buf, sanitize_rows[i].out) == 0);
		free(buf);
	}
}

static void test_has_word(void)
{
	CU_ASSERT_TRUE(probe_has_word("PLAIN NTLM LOGIN", "NTLM"));
	CU_ASSERT_TRUE(probe_has_word("plain ntlm", "NTLM"));
	CU_ASSERT_TRUE(probe_has_word("  NTLM  ", "NTLM"));
	CU_ASSERT_TRUE(probe_has_word("IMAP4rev1 AUTH=NTLM", "AUTH=NTLM"));
	CU_ASSERT_FALSE(probe_has_word("NTLMX PLAIN", "NTLM"));
	CU_ASSERT_FALSE(probe_has_word("XNTLM", "NTLM"));
	CU_ASSERT_FALSE(probe_has_word("NTL", "NTLM"));
	CU_ASSERT_FALSE(probe_has_word("", "NTLM"));
}

/* ------------------------------------------------------------------ */
/* the line reader                                                     */

struct chunks {
	const char *const *parts;
	const size_t *lens;
	unsigned int count, next;
	/* hand out at most this many bytes a call (0: all of a part) */
	size_t step;
	size_t offset;
	const char *error;
};

static ssize_t chunks_read(void *context, void *buf, size_t size,
			   const char **error_r)
{
	struct chunks *c = context;
	size_t len;

	if (c->next == c->count) {
		if (c->error != NULL) {
			*error_r = c->error;
			return -1;
		}
		return 0;
	}
	len = c->lens[c->next] - c->offset;
	if (c->step != 0 && len > c->step)
		len = c->step;
	if (len > size)
		len = size;
	memcpy(buf, c->parts[c->next] + c->offset, len);
	c->offset += len;
	if (c->offset == c->lens[c->next]) {
		c->next++;
		c->offset = 0;
	}
	return (ssize_t)len;
}

/* Start reader on the parts (step 0: each part in one read). */
static void chunks_start(struct probe_line_reader *reader, struct chunks *c,
			 const char *const *parts, const size_t *lens,
			 unsigned int count, size_t step)
{
	memset(c, 0, sizeof(*c));
	c->parts = parts;
	c->lens = lens;
	c->count = count;
	c->step = step;
	probe_line_reader_init(reader, chunks_read, c);
}

static void test_line_split(void)
{
	static const char *const parts[] = {
		"+OK ready\r\nCA", "PA\n", "SASL NTLM\r", "\n\n.\r\nrest",
	};
	static const size_t lens[] = { 13, 3, 10, 9 };
	static const char *const lines[] = {
		"+OK ready", "CAPA", "SASL NTLM", "", ".",
	};
	struct probe_line_reader *reader;
	struct chunks c;
	const char *error;
	unsigned int i;
	size_t step;

	reader = malloc(sizeof(*reader));
	CU_ASSERT_PTR_NOT_NULL_FATAL(reader);
	/* the same lines whether the bytes come at once or one by one */
	for (step = 0; step <= 3; step++) {
		chunks_start(reader, &c, parts, lens, N_ELEMENTS(parts), step);
		for (i = 0; i < N_ELEMENTS(lines); i++) {
			CU_ASSERT_EQUAL(probe_line_read(reader, &error), 0);
			CU_ASSERT_STRING_EQUAL(reader->line, lines[i]);
		}
		/* what came with the last line is still there (the
		   STARTTLS check looks at it) */
		if (step == 0)
			CU_ASSERT_EQUAL(probe_line_pending(reader), 4);
		error = NULL;
		CU_ASSERT_EQUAL(probe_line_read(reader, &error), -1);
		CU_ASSERT_STRING_EQUAL(error, "server closed the connection");
		CU_ASSERT_EQUAL(probe_line_pending(reader), 4);
	}
	free(reader);
}

static void test_line_bad(void)
{
	static const char *const nul[] = { "ok\nbad\0line\n" };
	static const size_t nul_len[] = { 12 };
	static const char *const cr[] = { "a\rb\r\r\n" };
	static const size_t cr_len[] = { 6 };
	struct probe_line_reader *reader;
	struct chunks c;
	const char *error;
	char *longest;

	reader = malloc(sizeof(*reader));
	longest = malloc(PROBE_LINE_MAX + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(reader);
	CU_ASSERT_PTR_NOT_NULL_FATAL(longest);

	chunks_start(reader, &c, nul, nul_len, 1, 0);
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), 0);
	CU_ASSERT_STRING_EQUAL(reader->line, "ok");
	error = NULL;
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), -1);
	CU_ASSERT_STRING_EQUAL(error, "server sent a NUL byte");

	/* only the CR before the LF goes */
	chunks_start(reader, &c, cr, cr_len, 1, 0);
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), 0);
	CU_ASSERT_STRING_EQUAL(reader->line, "a\rb\r");

	/* the longest line fits; one byte more does not */
	{
		const char *parts[1] = { longest };
		size_t lens[1];

		memset(longest, 'A', PROBE_LINE_MAX);
		longest[PROBE_LINE_MAX - 1] = '\n';
		lens[0] = PROBE_LINE_MAX;
		chunks_start(reader, &c, parts, lens, 1, 0);
		CU_ASSERT_EQUAL(probe_line_read(reader, &error), 0);
		CU_ASSERT_EQUAL(strlen(reader->line), PROBE_LINE_MAX - 1);

		longest[PROBE_LINE_MAX - 1] = 'A';
		longest[PROBE_LINE_MAX] = '\n';
		lens[0] = PROBE_LINE_MAX + 1;
		chunks_start(reader, &c, parts, lens, 1, 0);
		error = NULL;
		CU_ASSERT_EQUAL(probe_line_read(reader, &error), -1);
		CU_ASSERT_STRING_EQUAL(error, "server sent an overlong line");
	}

	/* the source's own error comes through */
	chunks_start(reader, &c, cr, cr_len, 0, 0);
	c.error = "timed out waiting for the server";
	error = NULL;
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), -1);
	CU_ASSERT_STRING_EQUAL(error, "timed out waiting for the server");
	free(longest);
	free(reader);
}

static ssize_t fd_read(void *context, void *buf, size_t size,
		       const char **error_r)
{
	ssize_t n;

	do {
		n = read(*(int *)context, buf, size);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		*error_r = strerror(errno);
	return n;
}

/* Over a real pipe: what the kernel hands over in one read() does not
   matter. */
static void test_line_pipe(void)
{
	static const char text[] =
		"* OK [CAPABILITY IMAP4rev1 AUTH=NTLM] ready\r\n"
		"p1 OK done\r\n+ \r\nlast";
	struct probe_line_reader *reader;
	const char *error;
	int fds[2];

	reader = malloc(sizeof(*reader));
	CU_ASSERT_PTR_NOT_NULL_FATAL(reader);
	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	CU_ASSERT_EQUAL_FATAL(write(fds[1], text, sizeof(text) - 1),
			      (ssize_t)sizeof(text) - 1);
	close(fds[1]);
	probe_line_reader_init(reader, fd_read, &fds[0]);
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), 0);
	CU_ASSERT_STRING_EQUAL(reader->line,
			       "* OK [CAPABILITY IMAP4rev1 AUTH=NTLM] ready");
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), 0);
	CU_ASSERT_STRING_EQUAL(reader->line, "p1 OK done");
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), 0);
	CU_ASSERT_STRING_EQUAL(reader->line, "+ ");
	/* a last line without its LF is not a line */
	error = NULL;
	CU_ASSERT_EQUAL(probe_line_read(reader, &error), -1);
	CU_ASSERT_STRING_EQUAL(error, "server closed the connection");
	close(fds[0]);
	free(reader);
}

static const struct test_case probe_codec_tests[] = {
	{ "base64 RFC 4648 vectors", test_base64_rfc4648 },
	{ "base64 strictness and messages", test_base64_strict },
	{ "base64 output size", test_base64_size },
	{ "terminal sanitizer", test_sanitizer },
	{ "word lists", test_has_word },
};

static const struct test_case probe_line_tests[] = {
	{ "lines across reads", test_line_split },
	{ "NUL, CR and overlong lines", test_line_bad },
	{ "over a pipe", test_line_pipe },
};

int main(void)
{
	unsigned int failures, tests_run, tests_failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	if (test_register_suite("probe codec", NULL, NULL, probe_codec_tests,
				N_ELEMENTS(probe_codec_tests)) != 0 ||
	    test_register_suite("probe line reader", NULL, NULL,
				probe_line_tests,
				N_ELEMENTS(probe_line_tests)) != 0) {
		fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		CU_cleanup_registry();
		return 1;
	}
	tests_run = CU_get_number_of_tests_run();
	tests_failed = CU_get_number_of_tests_failed();
	failures = CU_get_number_of_failures() +
		CU_get_number_of_suites_failed();
	/* the line run-chroot.sh counts, as test-main.c's "unit: " */
	printf("\nprobe-unit: %u passed, %u failed\n",
	       tests_run - tests_failed, tests_failed);
	CU_cleanup_registry();
	return tests_run > 0 && failures == 0 ? 0 : 1;
}
