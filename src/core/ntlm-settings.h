#ifndef NTLM_SETTINGS_H
#define NTLM_SETTINGS_H

/* The operator's settings (dovecot-ntlm.conf) and the mapping of the
   names a client sends onto a login name. The file format is Dovecot's:
   "key = value" lines, "#" comments, blank lines; booleans are yes/no.
   Every setting and its risk is documented in dovecot-ntlm.conf.example.
   The parser works on text the caller has read; it does no I/O. */

#include "ntlm-common.h"
#include "ntlm-verify.h"
#include "ntlm-msg.h"

#define NTLM_SETTINGS_NAME_SIZE (NTLM_MAX_SERVER_NAME * 4 + 1)

enum ntlm_username_map {
	/* The user name alone. "DOMAIN\user" sent in the user field with an
	   empty domain is split first; "user@example.com" stays whole. */
	NTLM_USERNAME_MAP_USER,
	/* user@domain when the client sent a domain (or DOMAIN\user) and
	   the user name has no "@" yet; else as NTLM_USERNAME_MAP_USER. */
	NTLM_USERNAME_MAP_USER_AT_DOMAIN,
};

struct ntlm_settings {
	struct ntlm_policy policy;
	/* UTF-8; empty means "derive from the host name". */
	char netbios_name[NTLM_SETTINGS_NAME_SIZE];
	char netbios_domain[NTLM_SETTINGS_NAME_SIZE];
	char dns_name[NTLM_SETTINGS_NAME_SIZE];
	char dns_domain[NTLM_SETTINGS_NAME_SIZE];
	char dns_tree[NTLM_SETTINGS_NAME_SIZE];
	bool target_is_domain;
	bool send_version;
	struct ntlm_version version;
	enum ntlm_username_map username_map;
};

/* The defaults: the strict policy, target type domain, VERSION 6.1.0
   rev 15, username map "user", names empty. */
void ntlm_settings_init(struct ntlm_settings *set_r);

/* Apply one setting. Returns -1 with a static *error_r for an unknown
   key or an invalid value. */
int ntlm_settings_set(struct ntlm_settings *set, const char *key,
		      const char *value, const char **error_r);

/* Parse a whole file's text. On error returns -1 with the 1-based line
   number and a static reason. Settings before the bad line stay
   applied; callers treat any error as fatal. */
int ntlm_settings_parse(struct ntlm_settings *set, const char *text,
			size_t len, unsigned int *line_r,
			const char **error_r);

/* Map the names a client sent onto a login name (UTF-8) per map. Returns
   -1 with a static *error_r if the result is empty or does not fit. */
int ntlm_map_username(enum ntlm_username_map map, const char *user,
		      const char *domain, char *out, size_t out_size,
		      const char **error_r);

#endif
