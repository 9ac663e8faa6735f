/* Tests for src/core/ntlm-delegate-map.c: the delegate map and the
   resolution of delegate-login names to accounts. */

#include "test-common.h"
#include "ntlm-delegate-map.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char sample_map[] =
	"# who may open whose mailbox\n"
	"bob: alice\n"
	"john.smith: alice carol@example.com   # two delegates\n"
	"john.smith: dave\n"
	"ghost: alice\n"
	"nobody-delegates:\n"
	"*: postmaster\n"
	"\n"
	"   \t\n"
	"jsmith = john.smith\n"
	"John.Smith@Example.com = john.smith\n"
	"alice@example.com = alice\n"
	"jsmith = somebody.else   # a second line for a name is ignored\n"
	"r\xc3\xa9mi = remi\r\n";

static const struct ntlm_delegate_names names_checked = {
	.domains = "CORP, example.com,corp.example.com",
	.check_domain = true,
	.upn_local_part = false,
};

static const struct ntlm_delegate_names names_unchecked = {
	.domains = NULL,
	.check_domain = false,
	.upn_local_part = false,
};

static const struct ntlm_delegate_names names_local = {
	.domains = "example.com",
	.check_domain = true,
	.upn_local_part = true,
};

/* The parsed sample map, for the lookup tests. */
static struct ntlm_delegate_map *sample;

static struct ntlm_delegate_map *parse_ok(const char *text, size_t len)
{
	struct ntlm_delegate_map *map = NULL;
	unsigned int line = 99;
	const char *error = NULL;

	CU_ASSERT_EQUAL(ntlm_delegate_map_parse(text, len, &map, &line,
						&error), 0);
	CU_ASSERT_PTR_NOT_NULL(map);
	return map;
}

static int suite_init(void)
{
	unsigned int line;
	const char *error;

	return ntlm_delegate_map_parse(sample_map, strlen(sample_map),
				       &sample, &line, &error) == 0 ? 0 : -1;
}

static int suite_cleanup(void)
{
	ntlm_delegate_map_free(&sample);
	return 0;
}

/* ------------------------------------------------------------------ */
/* map syntax */

static void test_map_check_valid(void)
{
	unsigned int line = 99;
	const char *error = NULL;

	CU_ASSERT_EQUAL(ntlm_delegate_map_check(sample_map,
						strlen(sample_map), &line,
						&error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check("", 0, &line, &error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check("a:b", 3, &line, &error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check("# only\n", 7, &line,
						&error), 0);
}

struct bad_map {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen */
	unsigned int line;
};

static const struct bad_map bad_maps[] = {
	{ "lone name", "bob\n", 0, 1 },
	{ "no principal", "ok: a\n: alice\n", 0, 2 },
	{ "two colons", "bob: alice: carol\n", 0, 1 },
	{ "equals in a grant", "bob: alice = carol\n", 0, 1 },
	{ "alias without account", "a: b\n\njsmith =\n", 0, 3 },
	{ "alias with two accounts", "jsmith = john smith\n", 0, 1 },
	{ "alias of *", "* = root\n", 0, 1 },
	{ "slash in a name", "corp/bob: alice\n", 0, 1 },
	{ "backslash in a name", "bob: CORP\\alice\n", 0, 1 },
	{ "control character", "bob: al\x01ice\n", 0, 1 },
	{ "NUL byte", "bob: a\0b\n", 10, 1 },
	{ "colon then equals", "bob := alice\n", 0, 1 },
};

static void test_map_check_invalid(void)
{
	struct ntlm_delegate_map *map;
	unsigned int i, line;
	const char *error;

	for (i = 0; i < N_ELEMENTS(bad_maps); i++) {
		const struct bad_map *c = &bad_maps[i];
		size_t len = c->len != 0 ? c->len : strlen(c->text);

		line = 0;
		error = NULL;
		ROW_ASSERT(c->name, ntlm_delegate_map_check(c->text, len,
							    &line,
							    &error) == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, line == c->line);
		/* an invalid map is not usable at all, not even its valid
		   lines */
		map = (struct ntlm_delegate_map *)1;
		line = 0;
		ROW_ASSERT(c->name, ntlm_delegate_map_parse(c->text, len,
							    &map, &line,
							    &error) == -1);
		ROW_ASSERT(c->name, line == c->line);
		ROW_ASSERT(c->name, map == (struct ntlm_delegate_map *)1);
	}
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(NULL, "ok", "a"));
}

static void test_map_limits(void)
{
	char name[NTLM_DELEGATE_NAME_MAX + 2 + 4];
	char *big;
	unsigned int line;
	const char *error;
	size_t len;

	/* a name of exactly the maximum length, then one byte more */
	memset(name, 'n', sizeof(name));
	memcpy(name + NTLM_DELEGATE_NAME_MAX, ": a", 3);
	len = NTLM_DELEGATE_NAME_MAX + 3;
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(name, len, &line, &error), 0);
	memset(name, 'n', sizeof(name));
	memcpy(name + NTLM_DELEGATE_NAME_MAX + 1, ": a", 3);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(name, len + 1, &line,
						&error), -1);

	/* the size cap (one long comment: quick to check) */
	big = malloc(NTLM_DELEGATE_MAP_MAX_SIZE + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, ' ', NTLM_DELEGATE_MAP_MAX_SIZE + 1);
	big[0] = '#';
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(big,
						NTLM_DELEGATE_MAP_MAX_SIZE,
						&line, &error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(big,
						NTLM_DELEGATE_MAP_MAX_SIZE + 1,
						&line, &error), -1);
	free(big);
}

/* ------------------------------------------------------------------ */
/* domains */

static void test_domains(void)
{
	const uint8_t *corp = (const uint8_t *)"corp";

	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_checked, corp, 4));
	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"EXAMPLE.COM", 11));
	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"corp.example.com", 16));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"example", 7));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"corpx", 5));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"cor", 3));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		corp, 0));
	/* unchecked: anything goes */
	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_unchecked,
		(const uint8_t *)"evil", 4));
	/* checked without domains: nothing goes */
	struct ntlm_delegate_names none = { .domains = NULL,
					    .check_domain = true };
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&none, corp, 4));
	none.domains = " , ";
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&none, corp, 4));
}

/* ------------------------------------------------------------------ */
/* resolution */

struct resolve_case {
	const char *name;
	const struct ntlm_delegate_names *set;
	const char *login_name;
	const char *account; /* NULL: refused */
};

static const struct resolve_case resolve_cases[] = {
	{ "account as is", &names_checked, "bob", "bob" },
	{ "alias line (KB Q191558)", &names_checked, "jsmith", "john.smith" },
	{ "alias, other case", &names_checked, "JSmith", "john.smith" },
	{ "UPN line, other case", &names_checked, "john.smith@EXAMPLE.com",
	  "john.smith" },
	{ "UPN without a line stays whole", &names_checked,
	  "carol@example.com", "carol@example.com" },
	{ "UPN in a refused domain", &names_checked, "alice@evil.com", NULL },
	{ "UPN with two '@'", &names_checked, "a@b@example.com", NULL },
	{ "UPN without local part", &names_checked, "@example.com", NULL },
	{ "UPN without domain", &names_checked, "alice@", NULL },
	{ "UPN, domain ignored", &names_unchecked, "alice@evil.com",
	  "alice@evil.com" },
	{ "UPN local part as alias", &names_local, "jsmith@example.com",
	  "john.smith" },
	{ "UPN local part as account", &names_local, "bob@example.com",
	  "bob" },
	{ "UPN line wins over the local part", &names_local,
	  "alice@example.com", "alice" },
	{ "UPN local part, domain still checked", &names_local,
	  "bob@corp.example.com", NULL },
	{ "first line for a name wins", &names_checked, "jsmith",
	  "john.smith" },
	{ "UTF-8 alias", &names_checked, "r\xc3\xa9mi", "remi" },
	{ "name with a space", &names_checked, "bo b", NULL },
	{ "name with a slash", &names_checked, "a/b", NULL },
	{ "empty name", &names_checked, "", NULL },
};

static void test_resolve(void)
{
	char account[NTLM_DELEGATE_NAME_MAX + 1];
	unsigned int i;
	const char *error;
	int ret;

	for (i = 0; i < N_ELEMENTS(resolve_cases); i++) {
		const struct resolve_case *c = &resolve_cases[i];

		error = NULL;
		ret = ntlm_delegate_resolve(sample, c->set,
					    (const uint8_t *)c->login_name,
					    strlen(c->login_name), account,
					    sizeof(account), &error);
		if (c->account == NULL) {
			ROW_ASSERT(c->name, ret == -1);
			ROW_ASSERT(c->name, error != NULL);
		} else {
			ROW_ASSERT(c->name, ret == 0);
			ROW_ASSERT(c->name, ret == 0 &&
				   strcmp(account, c->account) == 0);
		}
	}
}

static void test_resolve_buffer(void)
{
	char small[4];
	const char *error = NULL;

	/* "bob" fits in 4 bytes, "john.smith" does not */
	CU_ASSERT_EQUAL(ntlm_delegate_resolve(sample, &names_checked,
					      (const uint8_t *)"bob", 3,
					      small, sizeof(small), &error), 0);
	CU_ASSERT_STRING_EQUAL(small, "bob");
	CU_ASSERT_EQUAL(ntlm_delegate_resolve(sample, &names_checked,
					      (const uint8_t *)"jsmith", 6,
					      small, sizeof(small), &error),
			-1);
}

/* ------------------------------------------------------------------ */
/* whole logins */

struct login_case {
	const char *name;
	const struct ntlm_delegate_names *set;
	const char *login;
	const char *delegate, *principal; /* NULL: refused */
};

static const struct login_case login_cases[] = {
	{ "domain/alias/alias", &names_checked, "CORP/alice/jsmith",
	  "alice", "john.smith" },
	{ "domain/alias/upn", &names_checked,
	  "corp.example.com/alice/john.smith@example.com",
	  "alice", "john.smith" },
	{ "upn/alias", &names_checked, "alice@example.com/jsmith",
	  "alice", "john.smith" },
	{ "upn/upn", &names_checked,
	  "alice@example.com/john.smith@example.com", "alice", "john.smith" },
	{ "unknown domain", &names_checked, "EVIL/alice/bob", NULL, NULL },
	{ "unknown domain ignored", &names_unchecked, "EVIL/alice/bob",
	  "alice", "bob" },
	{ "delegate UPN in unknown domain", &names_checked,
	  "alice@evil.com/bob", NULL, NULL },
	{ "principal UPN in unknown domain", &names_checked,
	  "CORP/alice/bob@evil.com", NULL, NULL },
};

static void test_login_accounts(void)
{
	char delegate[NTLM_DELEGATE_NAME_MAX + 1];
	char principal[NTLM_DELEGATE_NAME_MAX + 1];
	struct ntlm_delegate_login login;
	unsigned int i;
	const char *error;
	int ret;

	for (i = 0; i < N_ELEMENTS(login_cases); i++) {
		const struct login_case *c = &login_cases[i];

		error = NULL;
		ROW_ASSERT(c->name, ntlm_delegate_parse(c->login,
							strlen(c->login),
							&login, &error) == 1);
		ret = ntlm_delegate_login_accounts(sample, c->set,
						   &login, delegate,
						   sizeof(delegate), principal,
						   sizeof(principal), &error);
		if (c->delegate == NULL) {
			ROW_ASSERT(c->name, ret == -1);
			ROW_ASSERT(c->name, error != NULL);
			continue;
		}
		ROW_ASSERT(c->name, ret == 0);
		ROW_ASSERT(c->name, ret == 0 &&
			   strcmp(delegate, c->delegate) == 0 &&
			   strcmp(principal, c->principal) == 0);
	}
}

/* ------------------------------------------------------------------ */
/* grants */

struct allow_case {
	const char *name;
	const char *principal, *delegate;
	bool allowed;
};

static const struct allow_case allow_cases[] = {
	{ "listed", "bob", "alice", true },
	{ "listed, other case", "BOB", "Alice", true },
	{ "second of two", "john.smith", "carol@example.com", true },
	{ "grant lines add up", "john.smith", "dave", true },
	{ "not listed", "bob", "carol@example.com", false },
	{ "grants are not symmetric", "alice", "bob", false },
	{ "unknown principal", "nobody", "alice", false },
	{ "principal with no delegates", "nobody-delegates", "alice", false },
	{ "prefix of a listed name", "bob", "alic", false },
	{ "listed name is a prefix", "bob", "alice2", false },
	{ "grant lines name accounts, not aliases", "jsmith", "alice",
	  false },
	{ "comment is not a delegate", "john.smith", "two", false },
	{ "wildcard principal", "anyone", "postmaster", true },
	{ "wildcard is no delegate", "bob", "*", false },
	{ "empty delegate", "bob", "", false },
	{ "empty principal", "", "alice", false },
};

static void test_allows(void)
{
	struct ntlm_delegate_map *map;
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(allow_cases); i++) {
		const struct allow_case *c = &allow_cases[i];

		ROW_ASSERT(c->name, ntlm_delegate_map_allows(
				sample, c->principal, c->delegate) ==
			   c->allowed);
	}
	/* deny by default: an empty map grants nothing */
	map = parse_ok("", 0);
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(map, "bob", "alice"));
	CU_ASSERT_EQUAL(ntlm_delegate_map_grant_count(map), 0);
	ntlm_delegate_map_free(&map);
	CU_ASSERT_PTR_NULL(map);
	/* a repeated grant is one grant */
	map = parse_ok("bob: alice ALICE\nBob: alice\n", 28);
	CU_ASSERT_EQUAL(ntlm_delegate_map_grant_count(map), 1);
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map, "bob", "alice"));
	ntlm_delegate_map_free(&map);
	/* the sample: 6 grants, 4 distinct aliases (jsmith twice) */
	CU_ASSERT_EQUAL(ntlm_delegate_map_grant_count(sample), 6);
	CU_ASSERT_EQUAL(ntlm_delegate_map_alias_count(sample), 4);
}

static void test_grant_revoke(void)
{
	/* granting is adding a name, revoking is removing it */
	const char *text_granted = "bob: carol alice\n";
	const char *text_revoked = "bob: carol\n";
	struct ntlm_delegate_map *granted, *revoked;

	granted = parse_ok(text_granted, strlen(text_granted));
	revoked = parse_ok(text_revoked, strlen(text_revoked));
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(granted, "bob", "alice"));
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(revoked, "bob", "alice"));
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(revoked, "bob", "carol"));
	ntlm_delegate_map_free(&granted);
	ntlm_delegate_map_free(&revoked);
}

/* ------------------------------------------------------------------ */
/* large maps */

#define LARGE_PRINCIPALS 100000
#define LARGE_DELEGATES 4

static char *large_map(size_t *len_r)
{
	size_t size = (size_t)LARGE_PRINCIPALS * 120, len = 0;
	char *text = malloc(size);
	unsigned int i, j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	for (i = 0; i < LARGE_PRINCIPALS; i++) {
		len += (size_t)snprintf(text + len, size - len, "user%06u:", i);
		for (j = 0; j < LARGE_DELEGATES; j++) {
			len += (size_t)snprintf(text + len, size - len,
						" d%06u", (i + j * 7919) %
						LARGE_PRINCIPALS);
		}
		len += (size_t)snprintf(text + len, size - len,
					"\nAlias%06u = user%06u\n", i, i);
		CU_ASSERT_FATAL(len < size);
	}
	*len_r = len;
	return text;
}

static void test_large_map(void)
{
	struct ntlm_delegate_map *map;
	char principal[32], delegate[32], alias[32];
	char account[NTLM_DELEGATE_NAME_MAX + 1];
	const char *error;
	unsigned int i, j, wrong = 0;
	size_t len;
	char *text;

	text = large_map(&len);
	map = parse_ok(text, len);
	free(text);
	if (map == NULL)
		return;
	CU_ASSERT_EQUAL(ntlm_delegate_map_grant_count(map),
			(size_t)LARGE_PRINCIPALS * LARGE_DELEGATES);
	CU_ASSERT_EQUAL(ntlm_delegate_map_alias_count(map), LARGE_PRINCIPALS);
	for (i = 0; i < LARGE_PRINCIPALS; i += 7) {
		snprintf(principal, sizeof(principal), "USER%06u", i);
		for (j = 0; j < LARGE_DELEGATES; j++) {
			snprintf(delegate, sizeof(delegate), "d%06u",
				 (i + j * 7919) % LARGE_PRINCIPALS);
			if (!ntlm_delegate_map_allows(map, principal, delegate))
				wrong++;
		}
		/* a delegate of the neighbour only */
		snprintf(delegate, sizeof(delegate), "d%06u",
			 (i + 1) % LARGE_PRINCIPALS);
		if (ntlm_delegate_map_allows(map, principal, delegate))
			wrong++;
		snprintf(alias, sizeof(alias), "alias%06u", i);
		if (ntlm_delegate_resolve(map, &names_unchecked,
					  (const uint8_t *)alias,
					  strlen(alias), account,
					  sizeof(account), &error) != 0 ||
		    strcasecmp(account, principal) != 0)
			wrong++;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(map, "user100000", "d000000"));
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(map, "user00000", "d000000"));
	ntlm_delegate_map_free(&map);
}

static void test_large_map_limit(void)
{
	/* one grant line with more delegates than the map may hold */
	size_t n = NTLM_DELEGATE_MAP_MAX_ENTRIES + 1, len, i;
	struct ntlm_delegate_map *map = NULL;
	unsigned int line = 0;
	const char *error = NULL;
	char *text;

	text = malloc(3 + n * 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memcpy(text, "\np:", 3);
	len = 3;
	for (i = 0; i < n; i++) {
		text[len++] = ' ';
		text[len++] = 'a';
	}
	CU_ASSERT_EQUAL(ntlm_delegate_map_parse(text, len, &map, &line,
						&error), -1);
	CU_ASSERT_EQUAL(line, 2);
	CU_ASSERT_PTR_NULL(map);
	/* one fewer fits */
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(text, len - 2, &line,
						&error), 0);
	free(text);
}

/* ------------------------------------------------------------------ */
/* the file cache */

static char cache_dir[64];
static char cache_path[96];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(text, 1, strlen(text), f), strlen(text));
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* Wait until a file just written is past the cache's 100 ms window in
   which it is always read again. */
static void settle(void)
{
	struct timespec ts = { 0, 150 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static int cache_get(struct ntlm_delegate_map_cache *cache,
		     const struct ntlm_delegate_map **map_r,
		     struct ntlm_delegate_map_error *error_r)
{
	return ntlm_delegate_map_cache_get(cache, map_r, error_r);
}

static void test_cache(void)
{
	struct ntlm_delegate_map_cache *cache;
	const struct ntlm_delegate_map *map, *map2;
	struct ntlm_delegate_map_error error;
	char tmp_path[112];
	struct stat st;
	struct timespec times[2];

	snprintf(cache_dir, sizeof(cache_dir), "%s/test-map.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(cache_dir));
	snprintf(cache_path, sizeof(cache_path), "%s/map", cache_dir);
	snprintf(tmp_path, sizeof(tmp_path), "%s/map.new", cache_dir);
	cache = ntlm_delegate_map_cache_init(cache_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cache);

	/* no file: refused, with the system call */
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), -1);
	CU_ASSERT_PTR_NULL(map);
	CU_ASSERT_PTR_NOT_NULL(error.syscall);
	CU_ASSERT_STRING_EQUAL(error.syscall, "stat");

	/* first read, then the cached map */
	write_file(cache_path, "bob: alice\n");
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 1);
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map, "bob", "alice"));
	settle();
	/* still inside the window the first time: read once more */
	(void)cache_get(cache, &map, &error);
	CU_ASSERT_EQUAL(cache_get(cache, &map2, &error), 0);
	CU_ASSERT_PTR_EQUAL(map, map2);
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map2, "bob", "alice"));

	/* an edit in place, same size, at once: picked up */
	write_file(cache_path, "bob: carol\n");
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 1);
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(map, "bob", "alice"));
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map, "bob", "carol"));

	/* an edit in place that puts the old mtime back (same size): the
	   ctime tells */
	settle();
	(void)cache_get(cache, &map, &error);
	CU_ASSERT_EQUAL(stat(cache_path, &st), 0);
	write_file(cache_path, "bob: dave0\n");
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	CU_ASSERT_EQUAL(utimensat(AT_FDCWD, cache_path, times, 0), 0);
	settle();
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 1);
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map, "bob", "dave0"));
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 0);

	/* a new file moved over the path, same size and mtime: the inode
	   tells */
	CU_ASSERT_EQUAL(stat(cache_path, &st), 0);
	write_file(tmp_path, "bob: erin0\n");
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	CU_ASSERT_EQUAL(utimensat(AT_FDCWD, tmp_path, times, 0), 0);
	settle();
	CU_ASSERT_EQUAL(rename(tmp_path, cache_path), 0);
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 1);
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map, "bob", "erin0"));
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(map, "bob", "dave0"));

	/* a syntax error refuses everything and says where; it stays
	   refused (remembered, not parsed again) until the file changes */
	write_file(tmp_path, "bob: alice\n# fine\nbob\n");
	CU_ASSERT_EQUAL(rename(tmp_path, cache_path), 0);
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), -1);
	CU_ASSERT_PTR_NULL(map);
	CU_ASSERT_EQUAL(error.line, 3);
	CU_ASSERT_PTR_NULL(error.syscall);
	CU_ASSERT_PTR_NOT_NULL(error.error);
	settle();
	(void)cache_get(cache, &map, &error);
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), -1);
	CU_ASSERT_EQUAL(error.line, 3);

	/* fixed */
	write_file(cache_path, "bob: alice\n");
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 1);
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map, "bob", "alice"));

	/* too large (sparse): refused without being read */
	CU_ASSERT_EQUAL(truncate(cache_path,
				 NTLM_DELEGATE_MAP_MAX_SIZE + 1), 0);
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), -1);
	CU_ASSERT_PTR_NULL(map);
	CU_ASSERT_EQUAL(error.line, 0);
	CU_ASSERT_PTR_NOT_NULL(error.error);

	/* removed: the old map is gone too */
	write_file(cache_path, "bob: alice\n");
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 1);
	CU_ASSERT_EQUAL(unlink(cache_path), 0);
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), -1);
	CU_ASSERT_PTR_NULL(map);

	/* not a regular file */
	CU_ASSERT_EQUAL(mkdir(cache_path, 0700), 0);
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), -1);
	CU_ASSERT_PTR_NULL(map);
	CU_ASSERT_EQUAL(rmdir(cache_path), 0);

	ntlm_delegate_map_cache_deinit(&cache);
	CU_ASSERT_PTR_NULL(cache);
	CU_ASSERT_EQUAL(rmdir(cache_dir), 0);
}

static void test_cache_large(void)
{
	struct ntlm_delegate_map_cache *cache;
	const struct ntlm_delegate_map *map;
	struct ntlm_delegate_map_error error;
	char dir[64], path[96];
	size_t len;
	char *text;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/test-map.XXXXXX",
		 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/map", dir);
	text = large_map(&len);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fwrite(text, 1, len, f), len);
	CU_ASSERT_EQUAL(fclose(f), 0);
	free(text);
	cache = ntlm_delegate_map_cache_init(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cache);
	CU_ASSERT_EQUAL(cache_get(cache, &map, &error), 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(map);
	CU_ASSERT_EQUAL(ntlm_delegate_map_grant_count(map),
			(size_t)LARGE_PRINCIPALS * LARGE_DELEGATES);
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(map, "user099999",
						"d099999"));
	ntlm_delegate_map_cache_deinit(&cache);
	CU_ASSERT_EQUAL(unlink(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static const struct test_case delegate_map_tests[] = {
	{ "valid maps", test_map_check_valid },
	{ "invalid maps", test_map_check_invalid },
	{ "name and size limits", test_map_limits },
	{ "domains", test_domains },
	{ "name resolution", test_resolve },
	{ "resolution buffer", test_resolve_buffer },
	{ "login accounts", test_login_accounts },
	{ "grants", test_allows },
	{ "grant and revoke", test_grant_revoke },
	{ "large map (100,000 principals)", test_large_map },
	{ "grant count limit", test_large_map_limit },
	{ "file cache: reload on edit, mv, errors", test_cache },
	{ "file cache: large map", test_cache_large },
};

int test_delegate_map_register(void)
{
	return test_register_suite("delegate-map", suite_init, suite_cleanup,
				   delegate_map_tests,
				   N_ELEMENTS(delegate_map_tests));
}
