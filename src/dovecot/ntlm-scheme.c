/* The NTLM password scheme (hex of MD4 over the UTF-16LE password) and
   the LANMAN scheme, in a module of their own: doveadm loads the auth
   module directory too, but cannot load modules that need symbols only
   the auth process has (the mechanism), so "doveadm pw -s NTLM" works
   only if the schemes live apart. Both hashes are password-equivalent:
   whoever reads them can log in with NTLM.

   Where Dovecot knows weak schemes (2.4: struct password_scheme has
   .weak), both are marked weak. That changes only plaintext logins
   (USER/PASS, LOGIN, PLAIN) against a stored {NTLM} or {LANMAN} value:
   Dovecot refuses them ("Weak password scheme 'NTLM' used and refused")
   unless auth_allow_weak_schemes = yes. NTLM logins, which look the hash
   up as credentials, are not affected. */

#include "lib.h"
#include "array.h"
#include "password-scheme.h"
#include "module-dir.h"
#include "auth-settings.h"
#include "settings-parser.h"

#include "ntlm-crypto.h"
#include "ntlm-verify.h"

const char *ntlm_scheme_version = DOVECOT_ABI_VERSION;
void ntlm_scheme_init(struct module *module);
void ntlm_scheme_deinit(void);

static bool ntlm_scheme_crypto = FALSE;

/* This module is loaded eagerly, by the auth process and by doveadm; only
   the auth process has global_auth_settings, so it is referenced weakly
   (NULL in doveadm) to warn when winbind would take over NTLM. The
   mechanism module itself is never loaded then, so it cannot warn. */
#pragma weak global_auth_settings

/* auth_mechanisms as a list: a string on 2.3, a boollist on 2.4
   (configure probes auth-settings.h). */
#ifdef HAVE_AUTH_SETTINGS_MECHANISMS_ARRAY
static const char *const *
ntlm_scheme_mechanisms(const struct auth_settings *set)
{
	if (!array_is_created(&set->mechanisms))
		return NULL;
	return settings_boollist_get(&set->mechanisms);
}
#else
static const char *const *
ntlm_scheme_mechanisms(const struct auth_settings *set)
{
	if (set->mechanisms == NULL)
		return NULL;
	return t_strsplit_spaces(set->mechanisms, " ");
}
#endif

static void ntlm_scheme_check_winbind(void)
{
	const char *const *mechs;

	if (&global_auth_settings == NULL || global_auth_settings == NULL ||
	    !global_auth_settings->use_winbind)
		return;
	mechs = ntlm_scheme_mechanisms(global_auth_settings);
	if (mechs == NULL)
		return;
	for (; *mechs != NULL; mechs++) {
		if (strcasecmp(*mechs, "ntlm") == 0) {
			i_warning("NTLM: auth_use_winbind = yes, so Dovecot's "
				  "winbind NTLM handles NTLM logins and "
				  "dovecot-ntlm's mechanism is not used; set "
				  "auth_use_winbind = no to use it");
			return;
		}
	}
}

typedef int ntlm_scheme_hash_func(const char *password, size_t len,
				  uint8_t hash_r[16], const char **error_r);

/* password_generate cannot fail: an unusable password (not UTF-8, too
   long, or MD4 unavailable) gives an empty hash, which never matches
   and which the mechanism reports as such. */
static void
ntlm_scheme_hash(ntlm_scheme_hash_func *func, const char *plaintext,
		 const unsigned char **raw_password_r, size_t *size_r)
{
	unsigned char *hash = t_malloc0(16);
	const char *error;

	*raw_password_r = hash;
	*size_r = func(plaintext, strlen(plaintext), hash, &error) < 0 ?
		0 : 16;
}

static void
ntlm_scheme_generate(const char *plaintext,
		     const struct password_generate_params *params ATTR_UNUSED,
		     const unsigned char **raw_password_r, size_t *size_r)
{
	ntlm_scheme_hash(ntlm_nt_hash, plaintext, raw_password_r, size_r);
}

static void
lanman_scheme_generate(const char *plaintext,
		       const struct password_generate_params *params ATTR_UNUSED,
		       const unsigned char **raw_password_r, size_t *size_r)
{
	ntlm_scheme_hash(ntlm_lm_hash, plaintext, raw_password_r, size_r);
}

static const struct password_scheme ntlm_scheme = {
	.name = "NTLM",
	.default_encoding = PW_ENCODING_HEX,
	.raw_password_len = 16,
#ifdef HAVE_PASSWORD_SCHEME_WEAK
	.weak = TRUE,
#endif
	.password_verify = NULL,
	.password_generate = ntlm_scheme_generate,
};

static const struct password_scheme lanman_scheme = {
	.name = "LANMAN",
	.default_encoding = PW_ENCODING_HEX,
	.raw_password_len = 16,
#ifdef HAVE_PASSWORD_SCHEME_WEAK
	.weak = TRUE,
#endif
	.password_verify = NULL,
	.password_generate = lanman_scheme_generate,
};

void ntlm_scheme_init(struct module *module ATTR_UNUSED)
{
	const char *error;

	if (ntlm_crypto_init(&error) < 0)
		i_error("NTLM scheme: %s", error);
	else
		ntlm_scheme_crypto = TRUE;
	password_scheme_register(&ntlm_scheme);
	password_scheme_register(&lanman_scheme);
	T_BEGIN {
		ntlm_scheme_check_winbind();
	} T_END;
}

void ntlm_scheme_deinit(void)
{
	password_scheme_unregister(&ntlm_scheme);
	password_scheme_unregister(&lanman_scheme);
	if (ntlm_scheme_crypto)
		ntlm_crypto_deinit();
	ntlm_scheme_crypto = FALSE;
}
