/* Suite for src/core/ntlm-settings.c: the settings file parser and the
   user name mapping. */

#include "test-common.h"
#include "ntlm-settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_settings_defaults(void)
{
	struct ntlm_settings set;

	ntlm_settings_init(&set);
	CU_ASSERT_TRUE(set.policy.allow_lmv2);
	CU_ASSERT_FALSE(set.policy.allow_ntlmv1);
	CU_ASSERT_FALSE(set.policy.allow_ntlmv1_ess);
	CU_ASSERT_FALSE(set.policy.allow_lm);
	CU_ASSERT_FALSE(set.policy.allow_anonymous);
	CU_ASSERT_FALSE(set.policy.require_mic);
	CU_ASSERT_EQUAL(set.policy.max_clock_skew_secs, 3600);
	CU_ASSERT_TRUE(set.target_is_domain);
	CU_ASSERT_TRUE(set.send_version);
	CU_ASSERT_EQUAL(set.username_map, NTLM_USERNAME_MAP_USER);
	CU_ASSERT_STRING_EQUAL(set.netbios_name, "");
}

static void test_settings_parse_file(void)
{
	static const char text[] =
		"# comment\n"
		"\n"
		"  ntlm_allow_ntlmv1 = yes\r\n"
		"ntlm_allow_lmv2=no\n"
		"ntlm_require_mic = yes   \n"
		"ntlm_max_clock_skew = 0\n"
		"ntlm_netbios_name = MAIL\n"
		"ntlm_netbios_domain = EXAMPLE\n"
		"ntlm_dns_name = mail.example.com\n"
		"ntlm_dns_domain = example.com\n"
		"ntlm_target_type = server\n"
		"ntlm_send_version = no\n"
		"ntlm_version = 10.0.20348\n"
		"ntlm_username = user@domain";
	struct ntlm_settings set;
	unsigned int line = 0;
	const char *error = NULL;

	ntlm_settings_init(&set);
	CU_ASSERT_EQUAL_FATAL(ntlm_settings_parse(&set, text, strlen(text),
						  &line, &error), 0);
	CU_ASSERT_TRUE(set.policy.allow_ntlmv1);
	CU_ASSERT_FALSE(set.policy.allow_lmv2);
	CU_ASSERT_TRUE(set.policy.require_mic);
	CU_ASSERT_EQUAL(set.policy.max_clock_skew_secs, 0);
	CU_ASSERT_STRING_EQUAL(set.netbios_name, "MAIL");
	CU_ASSERT_STRING_EQUAL(set.netbios_domain, "EXAMPLE");
	CU_ASSERT_STRING_EQUAL(set.dns_name, "mail.example.com");
	CU_ASSERT_STRING_EQUAL(set.dns_domain, "example.com");
	CU_ASSERT_FALSE(set.target_is_domain);
	CU_ASSERT_FALSE(set.send_version);
	CU_ASSERT_EQUAL(set.version.major, 10);
	CU_ASSERT_EQUAL(set.version.minor, 0);
	CU_ASSERT_EQUAL(set.version.build, 20348);
	CU_ASSERT_EQUAL(set.version.revision, 15);
	CU_ASSERT_EQUAL(set.username_map, NTLM_USERNAME_MAP_USER_AT_DOMAIN);
}

static const struct bad_line_case {
	const char *name;
	const char *text;
	unsigned int line;
} bad_line_cases[] = {
	{ "unknown key", "ntlm_allow_everything = yes\n", 1 },
	{ "boolean not yes/no", "ntlm_allow_ntlmv1 = true\n", 1 },
	{ "no equals sign", "\nntlm_allow_ntlmv1\n", 2 },
	{ "negative skew", "ntlm_max_clock_skew = -1\n", 1 },
	{ "skew overflows", "ntlm_max_clock_skew = 99999999999999999999\n", 1 },
	{ "version with two parts", "ntlm_version = 6.1\n", 1 },
	{ "version major over 255", "ntlm_version = 256.0.0\n", 1 },
	{ "bad target type", "ntlm_target_type = forest\n", 1 },
	{ "bad username map", "ntlm_username = domain\\\\user\n", 1 },
	{ "control character in name", "ntlm_netbios_name = A\033B\n", 1 },
	{ "bad line after good ones",
	  "ntlm_allow_lm = no\n# x\nntlm_allow_lm = maybe\n", 3 },
};

static void test_settings_bad_lines(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(bad_line_cases);
	     i++) {
		const struct bad_line_case *c = &bad_line_cases[i];
		struct ntlm_settings set;
		unsigned int line = 0;
		const char *error = NULL;
		int ret;

		ntlm_settings_init(&set);
		ret = ntlm_settings_parse(&set, c->text, strlen(c->text),
					  &line, &error);
		if (ret != -1 || line != c->line) {
			CU_FAIL(c->name);
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL(error);
	}
}

static void test_settings_nul_and_long_lines(void)
{
	static const char with_nul[] = "ntlm_allow_lm = no\0yes\n";
	char long_line[4096];
	struct ntlm_settings set;
	unsigned int line = 0;
	const char *error;

	ntlm_settings_init(&set);
	CU_ASSERT_EQUAL(ntlm_settings_parse(&set, with_nul,
					    sizeof(with_nul) - 1, &line,
					    &error), -1);
	memset(long_line, 'a', sizeof(long_line));
	CU_ASSERT_EQUAL(ntlm_settings_parse(&set, long_line,
					    sizeof(long_line), &line,
					    &error), -1);
	CU_ASSERT_EQUAL(line, 1);
}

static const struct map_case {
	const char *name;
	enum ntlm_username_map map;
	const char *user, *domain, *expected;
} map_cases[] = {
	{ "plain user", NTLM_USERNAME_MAP_USER, "john", "EXAMPLE", "john" },
	{ "upn stays whole", NTLM_USERNAME_MAP_USER, "john@example.com", "",
	  "john@example.com" },
	{ "DOMAIN\\user split", NTLM_USERNAME_MAP_USER, "EXAMPLE\\john", "",
	  "john" },
	{ "empty domain", NTLM_USERNAME_MAP_USER, "john", "", "john" },
	{ "user@domain appends", NTLM_USERNAME_MAP_USER_AT_DOMAIN, "john",
	  "example.com", "john@example.com" },
	{ "user@domain from DOMAIN\\user",
	  NTLM_USERNAME_MAP_USER_AT_DOMAIN, "EXAMPLE\\john", "",
	  "john@EXAMPLE" },
	{ "user@domain keeps upn", NTLM_USERNAME_MAP_USER_AT_DOMAIN,
	  "john@example.com", "EXAMPLE", "john@example.com" },
	{ "user@domain without domain", NTLM_USERNAME_MAP_USER_AT_DOMAIN,
	  "john", "", "john" },
	{ "non-ASCII kept", NTLM_USERNAME_MAP_USER, "j\xc3\xb6rg", "",
	  "j\xc3\xb6rg" },
};

static void test_settings_map_username(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(map_cases); i++) {
		const struct map_case *c = &map_cases[i];
		char out[128];
		const char *error;

		if (ntlm_map_username(c->map, c->user, c->domain, out,
				      sizeof(out), &error) < 0 ||
		    strcmp(out, c->expected) != 0)
			CU_FAIL(c->name);
	}
}

static void test_settings_map_username_refused(void)
{
	char out[8];
	const char *error;

	CU_ASSERT_EQUAL(ntlm_map_username(NTLM_USERNAME_MAP_USER, "", "D",
					  out, sizeof(out), &error), -1);
	CU_ASSERT_EQUAL(ntlm_map_username(NTLM_USERNAME_MAP_USER, "DOM\\",
					  "", out, sizeof(out), &error), -1);
	CU_ASSERT_EQUAL(ntlm_map_username(NTLM_USERNAME_MAP_USER, "a\\b",
					  "DOM", out, sizeof(out), &error), -1);
	/* exact fit: 7 characters and the NUL */
	CU_ASSERT_EQUAL(ntlm_map_username(NTLM_USERNAME_MAP_USER, "abcdefg",
					  "", out, sizeof(out), &error), 0);
	CU_ASSERT_EQUAL(ntlm_map_username(NTLM_USERNAME_MAP_USER, "abcdefgh",
					  "", out, sizeof(out), &error), -1);
	CU_ASSERT_EQUAL(ntlm_map_username(NTLM_USERNAME_MAP_USER_AT_DOMAIN,
					  "abc", "defg", out, sizeof(out),
					  &error), -1);
	CU_ASSERT_EQUAL(ntlm_map_username(NTLM_USERNAME_MAP_USER_AT_DOMAIN,
					  "abc", "def", out, sizeof(out),
					  &error), 0);
	CU_ASSERT_STRING_EQUAL(out, "abc@def");
}

/* dovecot-ntlm.conf.example shows every setting at its default: with
   every "#ntlm_..." line uncommented it must parse and change nothing. */
static void test_settings_example_file(void)
{
	static char text[65536];
	const char *srcdir = getenv("top_srcdir");
	struct ntlm_settings defaults, set;
	char path[4096], line[1024];
	unsigned int lineno = 0, settings = 0;
	const char *error = "";
	size_t len = 0;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(srcdir);
	snprintf(path, sizeof(path), "%s/dovecot-ntlm.conf.example", srcdir);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *p = line;
		size_t n;

		if (strncmp(line, "#ntlm_", 6) == 0) {
			p = line + 1;
			settings++;
		}
		n = strlen(p);
		CU_ASSERT_FATAL(len + n < sizeof(text));
		memcpy(text + len, p, n);
		len += n;
	}
	fclose(f);
	/* every setting the parser knows is documented */
	CU_ASSERT_EQUAL(settings, 19);

	ntlm_settings_init(&defaults);
	ntlm_settings_init(&set);
	if (ntlm_settings_parse(&set, text, len, &lineno, &error) < 0)
		fprintf(stderr, "\nexample line %u: %s\n", lineno, error);
	CU_ASSERT_EQUAL_FATAL(ntlm_settings_parse(&set, text, len, &lineno,
						  &error), 0);
	CU_ASSERT_EQUAL(memcmp(&set.policy, &defaults.policy,
			       sizeof(set.policy)), 0);
	CU_ASSERT_EQUAL(set.target_is_domain, defaults.target_is_domain);
	CU_ASSERT_EQUAL(set.send_version, defaults.send_version);
	CU_ASSERT_EQUAL(set.version.major, defaults.version.major);
	CU_ASSERT_EQUAL(set.version.minor, defaults.version.minor);
	CU_ASSERT_EQUAL(set.version.build, defaults.version.build);
	CU_ASSERT_EQUAL(set.username_map, defaults.username_map);
	CU_ASSERT_STRING_EQUAL(set.netbios_name, "");
	CU_ASSERT_STRING_EQUAL(set.dns_tree, "");
	CU_ASSERT_EQUAL(set.cb_mode, NTLM_CB_NEVER);
	CU_ASSERT_STRING_EQUAL(set.cb_certs, "");
	CU_ASSERT_STRING_EQUAL(set.target_names, "");
}

/* The table that drives the settings file and Dovecot 2.4's settings:
   every default parses, an enum's default is its first value (Dovecot's
   SET_ENUM takes the first as the default), every value of an enum
   parses, and the policy relaxations carry their risk. */
static void test_settings_table(void)
{
	const struct ntlm_setting_def *def;
	struct ntlm_settings set;
	const char *error = NULL;
	char values[128], *value, *next;
	unsigned int n = 0;

	for (def = ntlm_setting_defs; def->key != NULL; def++, n++) {
		ntlm_settings_init(&set);
		CU_ASSERT_EQUAL(ntlm_settings_set(&set, def->key,
						  def->default_value,
						  &error), 0);
		CU_ASSERT_EQUAL(strncmp(def->key, "ntlm_", 5), 0);
		if (def->type == NTLM_SETTING_ENUM) {
			CU_ASSERT_PTR_NOT_NULL_FATAL(def->enum_values);
			CU_ASSERT_EQUAL(strncmp(def->enum_values,
						def->default_value,
						strlen(def->default_value)), 0);
			CU_ASSERT_TRUE(strlen(def->enum_values) < sizeof(values));
			strcpy(values, def->enum_values);
			for (value = values; value != NULL; value = next) {
				next = strchr(value, ':');
				if (next != NULL)
					*next++ = '\0';
				CU_ASSERT_EQUAL(ntlm_settings_set(&set,
					def->key, value, &error), 0);
			}
		} else {
			CU_ASSERT_PTR_NULL(def->enum_values);
		}
		if (strncmp(def->key, "ntlm_allow_", 11) == 0 &&
		    strcmp(def->default_value, "no") == 0)
			CU_ASSERT_PTR_NOT_NULL(def->risk);
	}
	CU_ASSERT_EQUAL(n, 19);
}

/* The relay-defence settings: the mode's values, the lists. */
static void test_settings_relay(void)
{
	static char long_list[NTLM_LIST_SIZE + 1];
	struct ntlm_settings set;
	const char *error = NULL;

	ntlm_settings_init(&set);
	CU_ASSERT_EQUAL(set.cb_mode, NTLM_CB_NEVER);
	CU_ASSERT_EQUAL(ntlm_settings_set(&set, "ntlm_channel_binding",
					  "required", &error), 0);
	CU_ASSERT_EQUAL(set.cb_mode, NTLM_CB_REQUIRED);
	CU_ASSERT_EQUAL(ntlm_settings_set(&set, "ntlm_channel_binding",
					  "when-present", &error), 0);
	CU_ASSERT_EQUAL(set.cb_mode, NTLM_CB_WHEN_PRESENT);
	CU_ASSERT_EQUAL(ntlm_settings_set(&set, "ntlm_channel_binding",
					  "yes", &error), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(error, "when-present"));
	CU_ASSERT_EQUAL(set.cb_mode, NTLM_CB_WHEN_PRESENT);
	CU_ASSERT_EQUAL(ntlm_settings_set(&set, "ntlm_target_names",
					  "imap/a.example, pop/a.example",
					  &error), 0);
	CU_ASSERT_STRING_EQUAL(set.target_names,
			       "imap/a.example, pop/a.example");
	CU_ASSERT_EQUAL(ntlm_settings_set(&set, "ntlm_channel_binding_certs",
					  "/a.pem\t/b.pem", &error), 0);
	CU_ASSERT_EQUAL(ntlm_settings_set(&set, "ntlm_target_names",
					  "imap/a\001", &error), -1);
	memset(long_list, 'a', NTLM_LIST_SIZE);
	CU_ASSERT_EQUAL(ntlm_settings_set(&set, "ntlm_target_names",
					  long_list, &error), -1);
	CU_ASSERT_STRING_EQUAL(set.target_names,
			       "imap/a.example, pop/a.example");
}

/* The names the settings leave empty come from the host's. */
static void test_settings_host_defaults(void)
{
	static const struct {
		const char *name, *hostname, *fqdn;
		const char *netbios_name, *netbios_domain;
		const char *dns_name, *dns_domain;
	} rows[] = {
		{ .name = "host in a domain", .hostname = "mail",
		  .fqdn = "mail.example.com", .netbios_name = "MAIL",
		  .netbios_domain = "EXAMPLE", .dns_name = "mail.example.com",
		  .dns_domain = "example.com" },
		{ .name = "no domain", .hostname = "mail", .fqdn = "mail",
		  .netbios_name = "MAIL", .netbios_domain = "WORKGROUP",
		  .dns_name = "mail", .dns_domain = "" },
		{ .name = "trailing dot", .hostname = "mx", .fqdn = "mx.",
		  .netbios_name = "MX", .netbios_domain = "WORKGROUP",
		  .dns_name = "mx.", .dns_domain = "" },
		{ .name = "cut at 15 bytes",
		  .hostname = "a-very-long-host-name",
		  .fqdn = "a-very-long-host-name.corp.example.org",
		  .netbios_name = "A-VERY-LONG-HOS",
		  .netbios_domain = "CORP",
		  .dns_name = "a-very-long-host-name.corp.example.org",
		  .dns_domain = "corp.example.org" },
		/* 14 bytes + U+00E4: its 2-byte sequence would straddle
		   byte 15, so the name stops before it */
		{ .name = "never inside a UTF-8 sequence",
		  .hostname = "posteingangsse\xc3\xa4",
		  .fqdn = "x.d", .netbios_name = "POSTEINGANGSSE",
		  .netbios_domain = "D", .dns_name = "x.d",
		  .dns_domain = "d" },
		{ .name = "UTF-8 before the cut stays whole",
		  .hostname = "m\xc3\xa4il", .fqdn = "m\xc3\xa4il",
		  .netbios_name = "M\xc3\xa4IL",
		  .netbios_domain = "WORKGROUP", .dns_name = "m\xc3\xa4il",
		  .dns_domain = "" },
	};
	struct ntlm_settings set;
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(rows); i++) {
		ntlm_settings_init(&set);
		ntlm_settings_host_defaults(&set, rows[i].hostname,
					    rows[i].fqdn);
		CU_ASSERT_STRING_EQUAL(set.netbios_name, rows[i].netbios_name);
		CU_ASSERT_STRING_EQUAL(set.netbios_domain,
				       rows[i].netbios_domain);
		CU_ASSERT_STRING_EQUAL(set.dns_name, rows[i].dns_name);
		CU_ASSERT_STRING_EQUAL(set.dns_domain, rows[i].dns_domain);
		if (strcmp(set.netbios_name, rows[i].netbios_name) != 0)
			fprintf(stderr, "row '%s': %s\n", rows[i].name,
				set.netbios_name);
	}

	/* what the operator set stays */
	ntlm_settings_init(&set);
	strcpy(set.netbios_name, "SPA");
	strcpy(set.dns_domain, "mail.test");
	ntlm_settings_host_defaults(&set, "host", "host.example.com");
	CU_ASSERT_STRING_EQUAL(set.netbios_name, "SPA");
	CU_ASSERT_STRING_EQUAL(set.dns_domain, "mail.test");
	CU_ASSERT_STRING_EQUAL(set.netbios_domain, "MAIL");
	CU_ASSERT_STRING_EQUAL(set.dns_name, "host.example.com");
}

/* The server configuration carries what the settings say. */
static void test_settings_server_config(void)
{
	static const char text[] =
		"ntlm_allow_lm = yes\n"
		"ntlm_require_mic = yes\n"
		"ntlm_max_clock_skew = 60\n"
		"ntlm_target_type = server\n"
		"ntlm_send_version = no\n"
		"ntlm_version = 10.0.20348\n";
	struct ntlm_settings set;
	struct ntlm_server_config config;
	unsigned int line;
	const char *error = NULL;

	ntlm_settings_init(&set);
	CU_ASSERT_EQUAL_FATAL(ntlm_settings_parse(&set, text, strlen(text),
						  &line, &error), 0);
	ntlm_settings_host_defaults(&set, "mail", "mail.example.com");
	CU_ASSERT_EQUAL_FATAL(ntlm_settings_server_config(&set, &config,
							  &error), 0);
	CU_ASSERT_TRUE(config.policy.allow_lm);
	CU_ASSERT_TRUE(config.policy.require_mic);
	CU_ASSERT_FALSE(config.policy.allow_ntlmv1);
	CU_ASSERT_EQUAL(config.policy.max_clock_skew_secs, 60);
	CU_ASSERT_FALSE(config.target_is_domain);
	CU_ASSERT_FALSE(config.send_version);
	CU_ASSERT_EQUAL(config.version.major, 10);
	CU_ASSERT_EQUAL(config.version.minor, 0);
	CU_ASSERT_EQUAL(config.version.build, 20348);
	/* TargetName for TARGET_TYPE_SERVER: "MAIL" in UTF-16LE */
	CU_ASSERT_EQUAL(config.target_name_utf16_len[1], 8);
	CU_ASSERT_EQUAL(memcmp(config.target_name_utf16[1],
			       "M\0A\0I\0L\0", 8), 0);
	CU_ASSERT_EQUAL(config.target_name_utf16_len[0], 14);
	CU_ASSERT_EQUAL(memcmp(config.target_name_utf16[0],
			       "E\0X\0A\0M\0P\0L\0E\0", 14), 0);

	/* no names at all (no host defaults): refused */
	ntlm_settings_init(&set);
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_settings_server_config(&set, &config, &error),
			-1);
	CU_ASSERT_STRING_EQUAL(error,
		"server name is empty");
}

static const struct test_case settings_tests[] = {
	{ "host names as defaults", test_settings_host_defaults },
	{ "server configuration from the settings",
	  test_settings_server_config },
	{ "relay defence settings", test_settings_relay },
	{ "defaults", test_settings_defaults },
	{ "the settings table", test_settings_table },
	{ "parse a file", test_settings_parse_file },
	{ "bad lines", test_settings_bad_lines },
	{ "NUL and long lines", test_settings_nul_and_long_lines },
	{ "map user names", test_settings_map_username },
	{ "refused user names", test_settings_map_username_refused },
	{ "example file shows the defaults", test_settings_example_file },
};

int test_settings_register(void)
{
	return test_register_suite("settings", NULL, NULL, settings_tests,
				   N_ELEMENTS(settings_tests));
}
