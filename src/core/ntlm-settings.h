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
#include "ntlm-server.h"
#include "ntlm-binding.h"

#define NTLM_SETTINGS_NAME_SIZE (NTLM_MAX_SERVER_NAME * 4 + 1)

/* The one definition of every setting: its name, type, default (as
   written in a file or dovecot.conf), the allowed values of an enum (the
   default first, ':'-separated, as Dovecot's SET_ENUM wants them) and, for
   the settings that weaken the policy, the risk in one line. It drives
   the core's defaults and parser here, the Dovecot 2.3 settings file and
   the Dovecot 2.4 settings (src/dovecot/ntlm-settings-info.c). Types:
     BOOL     yes or no
     UINT     a decimal number (range checked by ntlm_settings_set())
     NAME     a UTF-8 name without control characters
     ENUM     one of the values
     VERSION  major.minor.build
     LIST     names or paths separated by spaces or commas (UTF-8, no
              control characters, at most NTLM_LIST_SIZE - 1 bytes)
   X(type, name, default, enum values or NULL, risk or NULL) */
#define NTLM_SETTINGS_LIST(X) \
	X(BOOL, ntlm_allow_lmv2, "yes", NULL, \
	  "an LMv2-only response carries no AV pairs, so no MIC can " \
	  "protect the exchange (CVE-2019-1338)") \
	X(BOOL, ntlm_allow_ntlmv1_ess, "no", NULL, \
	  "DES-based: the response can be cracked to the " \
	  "password-equivalent NT hash; no relay protection") \
	X(BOOL, ntlm_allow_ntlmv1, "no", NULL, \
	  "DES-based, and a fixed challenge lets rainbow tables recover " \
	  "the NT hash outright") \
	X(BOOL, ntlm_allow_lm, "no", NULL, \
	  "LM falls to brute force in minutes") \
	X(BOOL, ntlm_allow_anonymous, "no", NULL, \
	  "anyone can log in as auth_anonymous_username") \
	X(BOOL, ntlm_require_mic, "no", NULL, NULL) \
	X(UINT, ntlm_max_clock_skew, "3600", NULL, NULL) \
	X(NAME, ntlm_netbios_name, "", NULL, NULL) \
	X(NAME, ntlm_netbios_domain, "", NULL, NULL) \
	X(NAME, ntlm_dns_name, "", NULL, NULL) \
	X(NAME, ntlm_dns_domain, "", NULL, NULL) \
	X(NAME, ntlm_dns_tree, "", NULL, NULL) \
	X(ENUM, ntlm_target_type, "domain", "domain:server", NULL) \
	X(BOOL, ntlm_send_version, "yes", NULL, NULL) \
	X(VERSION, ntlm_version, "6.1.0", NULL, NULL) \
	X(ENUM, ntlm_username, "user", "user:user@domain", NULL) \
	X(ENUM, ntlm_channel_binding, "never", \
	  "never:when-present:required", NULL) \
	X(LIST, ntlm_channel_binding_certs, "", NULL, NULL) \
	X(LIST, ntlm_target_names, "", NULL, NULL)

enum ntlm_setting_type {
	NTLM_SETTING_BOOL,
	NTLM_SETTING_UINT,
	NTLM_SETTING_NAME,
	NTLM_SETTING_ENUM,
	NTLM_SETTING_VERSION,
	NTLM_SETTING_LIST,
};

struct ntlm_setting_def {
	const char *key;
	enum ntlm_setting_type type;
	const char *default_value;
	const char *enum_values;
	/* Non-NULL for the settings that let weaker variants in. */
	const char *risk;
};

/* NTLM_SETTINGS_LIST as data, ending with a NULL key. */
extern const struct ntlm_setting_def ntlm_setting_defs[];

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
	/* relay defence (ntlm-binding.h) */
	enum ntlm_cb_mode cb_mode;
	/* PEM files of the certificates to bind to; the glue reads them */
	char cb_certs[NTLM_LIST_SIZE];
	/* accepted MsvAvTargetName values; empty accepts any */
	char target_names[NTLM_LIST_SIZE];
};

/* The defaults of NTLM_SETTINGS_LIST: the strict policy, target type
   domain, VERSION 6.1.0 rev 15, username map "user", names empty. */
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

/* Fill the names the settings leave empty from the host's: the DNS
   computer name from fqdn, the DNS domain from what follows its first
   dot, the NetBIOS computer name from hostname's first label and the
   NetBIOS domain from the DNS domain's first label (else "WORKGROUP").
   A NetBIOS name is upper-cased (ASCII) and cut at
   NTLM_NETBIOS_NAME_MAX bytes, never inside a UTF-8 sequence. */
#define NTLM_NETBIOS_NAME_MAX 15
void ntlm_settings_host_defaults(struct ntlm_settings *set,
				 const char *hostname, const char *fqdn);

/* Build the configuration every exchange shares from the settings:
   names, policy, target type and VERSION. Returns -1 with a static
   *error_r if a name is unusable (see ntlm_server_config_init()). */
int ntlm_settings_server_config(const struct ntlm_settings *set,
				struct ntlm_server_config *config_r,
				const char **error_r);

/* Map the names a client sent onto a login name (UTF-8) per map. Returns
   -1 with a static *error_r if the result is empty or does not fit. */
int ntlm_map_username(enum ntlm_username_map map, const char *user,
		      const char *domain, char *out, size_t out_size,
		      const char **error_r);

#endif
