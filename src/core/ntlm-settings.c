#include "ntlm-settings.h"

#include <stdlib.h>
#include <string.h>

/* Longest line and longest key in the settings file. */
#define SETTINGS_MAX_LINE 2048

#define NTLM_SETTING_DEF(type, name, def, values, risk) \
	{ #name, NTLM_SETTING_##type, def, values, risk },
const struct ntlm_setting_def ntlm_setting_defs[] = {
	NTLM_SETTINGS_LIST(NTLM_SETTING_DEF)
	{ NULL, NTLM_SETTING_BOOL, NULL, NULL, NULL }
};
#undef NTLM_SETTING_DEF

void ntlm_settings_init(struct ntlm_settings *set_r)
{
	const struct ntlm_setting_def *def;
	const char *error;
	int ret;

	memset(set_r, 0, sizeof(*set_r));
	ntlm_policy_init_strict(&set_r->policy);
	set_r->version.revision = 15;
	/* the table's defaults are valid: a unit test parses each */
	for (def = ntlm_setting_defs; def->key != NULL; def++) {
		ret = ntlm_settings_set(set_r, def->key, def->default_value,
					&error);
		(void)ret;
	}
}

static int parse_bool(const char *value, bool *value_r,
		      const char **error_r)
{
	if (strcmp(value, "yes") == 0) {
		*value_r = true;
		return 0;
	}
	if (strcmp(value, "no") == 0) {
		*value_r = false;
		return 0;
	}
	*error_r = "value must be yes or no";
	return -1;
}

static int parse_uint(const char *value, unsigned long max,
		      unsigned long *value_r, const char **error_r)
{
	unsigned long n = 0;
	const char *p;

	if (*value == '\0') {
		*error_r = "value must be a number";
		return -1;
	}
	for (p = value; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			*error_r = "value must be a number";
			return -1;
		}
		if (n > (max - (unsigned long)(*p - '0')) / 10) {
			*error_r = "number too large";
			return -1;
		}
		n = n * 10 + (unsigned long)(*p - '0');
	}
	*value_r = n;
	return 0;
}

static int parse_name(const char *value, char *out, const char **error_r)
{
	size_t len = strlen(value);
	size_t i;

	if (len >= NTLM_SETTINGS_NAME_SIZE) {
		*error_r = "name too long";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) {
			*error_r = "name contains a control character";
			return -1;
		}
	}
	memcpy(out, value, len + 1);
	return 0;
}

static int parse_list(const char *value, char *out, const char **error_r)
{
	size_t len = strlen(value);
	size_t i;

	if (len >= NTLM_LIST_SIZE) {
		*error_r = "list too long";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (((unsigned char)value[i] < 0x20 && value[i] != '\t') ||
		    value[i] == 0x7f) {
			*error_r = "list contains a control character";
			return -1;
		}
	}
	memcpy(out, value, len + 1);
	return 0;
}

/* "major.minor.build" */
static int parse_version(const char *value, struct ntlm_version *version_r,
			 const char **error_r)
{
	char buf[32], *dot1, *dot2;
	unsigned long major, minor, build;

	if (strlen(value) >= sizeof(buf)) {
		*error_r = "version must be major.minor.build";
		return -1;
	}
	strcpy(buf, value);
	dot1 = strchr(buf, '.');
	dot2 = dot1 == NULL ? NULL : strchr(dot1 + 1, '.');
	if (dot1 == NULL || dot2 == NULL) {
		*error_r = "version must be major.minor.build";
		return -1;
	}
	*dot1 = '\0';
	*dot2 = '\0';
	if (parse_uint(buf, 255, &major, error_r) < 0 ||
	    parse_uint(dot1 + 1, 255, &minor, error_r) < 0 ||
	    parse_uint(dot2 + 1, 65535, &build, error_r) < 0)
		return -1;
	version_r->major = (uint8_t)major;
	version_r->minor = (uint8_t)minor;
	version_r->build = (uint16_t)build;
	version_r->revision = 15;
	return 0;
}

int ntlm_settings_set(struct ntlm_settings *set, const char *key,
		      const char *value, const char **error_r)
{
	struct ntlm_policy *policy = &set->policy;
	unsigned long n;

	if (strcmp(key, "ntlm_allow_lmv2") == 0)
		return parse_bool(value, &policy->allow_lmv2, error_r);
	if (strcmp(key, "ntlm_allow_ntlmv1_ess") == 0)
		return parse_bool(value, &policy->allow_ntlmv1_ess, error_r);
	if (strcmp(key, "ntlm_allow_ntlmv1") == 0)
		return parse_bool(value, &policy->allow_ntlmv1, error_r);
	if (strcmp(key, "ntlm_allow_lm") == 0)
		return parse_bool(value, &policy->allow_lm, error_r);
	if (strcmp(key, "ntlm_allow_anonymous") == 0)
		return parse_bool(value, &policy->allow_anonymous, error_r);
	if (strcmp(key, "ntlm_require_mic") == 0)
		return parse_bool(value, &policy->require_mic, error_r);
	if (strcmp(key, "ntlm_max_clock_skew") == 0) {
		/* at most 10 years, in seconds */
		if (parse_uint(value, 315360000UL, &n, error_r) < 0)
			return -1;
		policy->max_clock_skew_secs = (unsigned int)n;
		return 0;
	}
	if (strcmp(key, "ntlm_netbios_name") == 0)
		return parse_name(value, set->netbios_name, error_r);
	if (strcmp(key, "ntlm_netbios_domain") == 0)
		return parse_name(value, set->netbios_domain, error_r);
	if (strcmp(key, "ntlm_dns_name") == 0)
		return parse_name(value, set->dns_name, error_r);
	if (strcmp(key, "ntlm_dns_domain") == 0)
		return parse_name(value, set->dns_domain, error_r);
	if (strcmp(key, "ntlm_dns_tree") == 0)
		return parse_name(value, set->dns_tree, error_r);
	if (strcmp(key, "ntlm_target_type") == 0) {
		if (strcmp(value, "domain") == 0)
			set->target_is_domain = true;
		else if (strcmp(value, "server") == 0)
			set->target_is_domain = false;
		else {
			*error_r = "value must be domain or server";
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "ntlm_send_version") == 0)
		return parse_bool(value, &set->send_version, error_r);
	if (strcmp(key, "ntlm_version") == 0)
		return parse_version(value, &set->version, error_r);
	if (strcmp(key, "ntlm_username") == 0) {
		if (strcmp(value, "user") == 0)
			set->username_map = NTLM_USERNAME_MAP_USER;
		else if (strcmp(value, "user@domain") == 0)
			set->username_map = NTLM_USERNAME_MAP_USER_AT_DOMAIN;
		else {
			*error_r = "value must be user or user@domain";
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "ntlm_channel_binding") == 0) {
		if (strcmp(value, "never") == 0)
			set->cb_mode = NTLM_CB_NEVER;
		else if (strcmp(value, "when-present") == 0)
			set->cb_mode = NTLM_CB_WHEN_PRESENT;
		else if (strcmp(value, "required") == 0)
			set->cb_mode = NTLM_CB_REQUIRED;
		else {
			*error_r = "value must be never, when-present or "
				"required";
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "ntlm_channel_binding_certs") == 0)
		return parse_list(value, set->cb_certs, error_r);
	if (strcmp(key, "ntlm_target_names") == 0)
		return parse_list(value, set->target_names, error_r);
	*error_r = "unknown setting";
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int ntlm_settings_parse(struct ntlm_settings *set, const char *text,
			size_t len, unsigned int *line_r,
			const char **error_r)
{
	char line[SETTINGS_MAX_LINE];
	char *key, *value, *eq, *end;
	unsigned int lineno = 0;
	size_t pos = 0, n;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		n = nl == NULL ? len - pos : (size_t)(nl - (text + pos));
		lineno++;
		*line_r = lineno;
		if (n >= sizeof(line)) {
			*error_r = "line too long";
			return -1;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + (nl == NULL ? 0 : 1);
		if (memchr(line, '\0', n) != NULL) {
			*error_r = "NUL byte in the file";
			return -1;
		}

		key = line;
		while (is_space(*key))
			key++;
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			*error_r = "expected key = value";
			return -1;
		}
		value = eq + 1;
		end = eq;
		while (end > key && is_space(end[-1]))
			end--;
		*end = '\0';
		while (is_space(*value))
			value++;
		end = value + strlen(value);
		while (end > value && is_space(end[-1]))
			end--;
		*end = '\0';
		if (ntlm_settings_set(set, key, value, error_r) < 0)
			return -1;
	}
	return 0;
}

/* First label of name, ASCII upper-cased, at most NTLM_NETBIOS_NAME_MAX
   bytes and never cut inside a UTF-8 sequence. */
static void netbios_from_dns(const char *name, char *out, size_t size)
{
	size_t i, end = 0;

	for (i = 0; name[i] != '\0' && name[i] != '.' &&
		    i < NTLM_NETBIOS_NAME_MAX && i + 1 < size; i++) {
		unsigned char c = (unsigned char)name[i];

		out[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : (char)c;
		/* a boundary before every byte that does not continue a
		   sequence */
		if ((c & 0xc0) != 0x80)
			end = i;
	}
	/* the last sequence is whole only if the next byte starts one */
	if ((((unsigned char)name[i]) & 0xc0) != 0x80)
		end = i;
	out[end] = '\0';
}

void ntlm_settings_host_defaults(struct ntlm_settings *set,
				 const char *hostname, const char *fqdn)
{
	const char *dot = strchr(fqdn, '.');

	if (set->dns_name[0] == '\0' &&
	    strlen(fqdn) < sizeof(set->dns_name))
		strcpy(set->dns_name, fqdn);
	if (set->dns_domain[0] == '\0' && dot != NULL && dot[1] != '\0' &&
	    strlen(dot + 1) < sizeof(set->dns_domain))
		strcpy(set->dns_domain, dot + 1);
	if (set->netbios_name[0] == '\0')
		netbios_from_dns(hostname, set->netbios_name,
				 sizeof(set->netbios_name));
	if (set->netbios_domain[0] == '\0') {
		if (set->dns_domain[0] != '\0')
			netbios_from_dns(set->dns_domain, set->netbios_domain,
					 sizeof(set->netbios_domain));
		else
			strcpy(set->netbios_domain, "WORKGROUP");
	}
}

_Static_assert(sizeof(((struct ntlm_settings *)0)->target_names) ==
	       sizeof(((struct ntlm_server_config *)0)->target_names),
	       "the target name list is copied whole");

int ntlm_settings_server_config(const struct ntlm_settings *set,
				struct ntlm_server_config *config_r,
				const char **error_r)
{
	struct ntlm_server_names names;

	memset(&names, 0, sizeof(names));
	names.nb_computer = set->netbios_name;
	names.nb_domain = set->netbios_domain;
	names.dns_computer = set->dns_name;
	names.dns_domain = set->dns_domain;
	names.dns_tree = set->dns_tree;
	if (ntlm_server_config_init(config_r, &names, error_r) < 0)
		return -1;
	config_r->policy = set->policy;
	config_r->target_is_domain = set->target_is_domain;
	config_r->send_version = set->send_version;
	config_r->version = set->version;
	config_r->cb_mode = set->cb_mode;
	/* both NTLM_LIST_SIZE */
	memcpy(config_r->target_names, set->target_names,
	       sizeof(config_r->target_names));
	return 0;
}

int ntlm_map_username(enum ntlm_username_map map, const char *user,
		      const char *domain, char *out, size_t out_size,
		      const char **error_r)
{
	const char *backslash, *name = user, *dom = domain;
	size_t name_len, dom_len;

	name_len = strlen(user);
	dom_len = strlen(domain);
	/* DOMAIN\user in the user field (Thunderbird and other clients
	   that put the whole login string there). */
	backslash = strchr(user, '\\');
	if (backslash != NULL && dom_len == 0) {
		dom = user;
		dom_len = (size_t)(backslash - user);
		name = backslash + 1;
		name_len = strlen(name);
	} else if (backslash != NULL) {
		*error_r = "backslash in user name";
		return -1;
	}
	if (name_len == 0) {
		*error_r = "empty user name";
		return -1;
	}
	if (map == NTLM_USERNAME_MAP_USER || dom_len == 0 ||
	    memchr(name, '@', name_len) != NULL)
		dom_len = 0;
	if (name_len >= out_size ||
	    (dom_len > 0 && dom_len >= out_size - name_len - 1)) {
		*error_r = "user name too long";
		return -1;
	}
	memcpy(out, name, name_len);
	if (dom_len > 0) {
		out[name_len] = '@';
		memcpy(out + name_len + 1, dom, dom_len);
		name_len += 1 + dom_len;
	}
	out[name_len] = '\0';
	return 0;
}
