#ifndef NTLM_SETTINGS_INFO_H
#define NTLM_SETTINGS_INFO_H

/* Dovecot 2.4: the ntlm_* settings and the delegate passdb's settings as
   real Dovecot settings, generated from the one definition of each
   (NTLM_SETTINGS_LIST in src/core/ntlm-settings.h, DELEGATE_SETTINGS_LIST
   in passdb-delegate-config.h). The config process learns them from the
   settings module (ntlm-settings-module.c, MODULEDIR/settings), so
   doveconf shows them and refuses bad values; the auth modules read them
   with settings_get(). */

#include "settings-parser.h"
#include "ntlm-settings.h"
#include "passdb-delegate-config.h"

#define NTLM_DV_FIELD_BOOL(name) bool name;
#define NTLM_DV_FIELD_UINT(name) unsigned int name;
#define NTLM_DV_FIELD_NAME(name) const char *name;
#define NTLM_DV_FIELD_STR(name) const char *name;
#define NTLM_DV_FIELD_ENUM(name) const char *name;
#define NTLM_DV_FIELD_VERSION(name) const char *name;
#define NTLM_DV_FIELD_LIST(name) const char *name;
#define NTLM_DV_FIELD(type, name, def, values, risk) NTLM_DV_FIELD_##type(name)
#define DELEGATE_DV_FIELD(type, name, def, values) \
	NTLM_DV_FIELD_##type(passdb_delegate_##name)

struct ntlm_dovecot_settings {
	pool_t pool;
	NTLM_SETTINGS_LIST(NTLM_DV_FIELD)
};

struct passdb_delegate_settings {
	pool_t pool;
	DELEGATE_SETTINGS_LIST(DELEGATE_DV_FIELD)
};

extern const struct setting_parser_info ntlm_setting_parser_info;
extern const struct setting_parser_info passdb_delegate_setting_parser_info;

/* Apply the settings struct to *set_r through the core's parser, so the
   values are checked exactly as the 2.3 settings file's are. */
int ntlm_dovecot_settings_apply(const struct ntlm_dovecot_settings *dset,
				struct ntlm_settings *set_r,
				const char **error_r);

#endif
