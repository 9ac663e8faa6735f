/* Dovecot 2.4 setting_parser_infos generated from the settings tables
   (see ntlm-settings-info.h). Compiled into the settings module, which
   the config process loads, and into the auth modules, which look the
   settings up by the same names. */

#include "lib.h"
#include "settings-parser.h"

#include "ntlm-settings-info.h"

#define NTLM_DV_DEF_BOOL(name, st) SETTING_DEFINE_STRUCT_BOOL(#name, name, st),
#define NTLM_DV_DEF_UINT(name, st) SETTING_DEFINE_STRUCT_UINT(#name, name, st),
#define NTLM_DV_DEF_NAME(name, st) SETTING_DEFINE_STRUCT_STR_NOVARS(#name, name, st),
#define NTLM_DV_DEF_STR(name, st) SETTING_DEFINE_STRUCT_STR_NOVARS(#name, name, st),
#define NTLM_DV_DEF_ENUM(name, st) SETTING_DEFINE_STRUCT_ENUM(#name, name, st),
#define NTLM_DV_DEF_VERSION(name, st) SETTING_DEFINE_STRUCT_STR_NOVARS(#name, name, st),
#define NTLM_DV_DEF_LIST(name, st) SETTING_DEFINE_STRUCT_STR_NOVARS(#name, name, st),

/* The defaults struct holds what Dovecot's types need (an enum's list of
   values, "" for strings); the defaults themselves come from the tables
   as strings, on top of it (default_settings). */
#define NTLM_DV_ZERO_BOOL(name, values) .name = FALSE,
#define NTLM_DV_ZERO_UINT(name, values) .name = 0,
#define NTLM_DV_ZERO_NAME(name, values) .name = "",
#define NTLM_DV_ZERO_STR(name, values) .name = "",
#define NTLM_DV_ZERO_ENUM(name, values) .name = values,
#define NTLM_DV_ZERO_VERSION(name, values) .name = "",
#define NTLM_DV_ZERO_LIST(name, values) .name = "",

/* --- ntlm_* ------------------------------------------------------- */

#define NTLM_DV_DEF(type, name, def, values, risk) \
	NTLM_DV_DEF_##type(name, struct ntlm_dovecot_settings)
#define NTLM_DV_ZERO(type, name, def, values, risk) \
	NTLM_DV_ZERO_##type(name, values)
#define NTLM_DV_KV(type, name, def, values, risk) { #name, def },

static const struct setting_define ntlm_setting_defines[] = {
	NTLM_SETTINGS_LIST(NTLM_DV_DEF)
	SETTING_DEFINE_LIST_END
};

static const struct ntlm_dovecot_settings ntlm_default_settings = {
	NTLM_SETTINGS_LIST(NTLM_DV_ZERO)
};

static const struct setting_keyvalue ntlm_default_settings_keyvalue[] = {
	NTLM_SETTINGS_LIST(NTLM_DV_KV)
	{ NULL, NULL }
};

#define NTLM_DV_STR_BOOL(v) ((v) ? "yes" : "no")
#define NTLM_DV_STR_UINT(v) dec2str(v)
#define NTLM_DV_STR_NAME(v) (v)
#define NTLM_DV_STR_STR(v) (v)
#define NTLM_DV_STR_ENUM(v) (v)
#define NTLM_DV_STR_VERSION(v) (v)
#define NTLM_DV_STR_LIST(v) (v)
#define NTLM_DV_APPLY(type, name, def, values, risk) \
	if (ntlm_settings_set(set_r, #name, \
			      NTLM_DV_STR_##type(dset->name), &error) < 0) { \
		*error_r = t_strdup_printf(#name " = %s: %s", \
					   NTLM_DV_STR_##type(dset->name), \
					   error); \
		return -1; \
	}

int ntlm_dovecot_settings_apply(const struct ntlm_dovecot_settings *dset,
				struct ntlm_settings *set_r,
				const char **error_r)
{
	const char *error;

	NTLM_SETTINGS_LIST(NTLM_DV_APPLY)
	return 0;
}

/* doveconf and the auth process both run this: a value the core would
   refuse (a name too long, a version not major.minor.build, a clock skew
   beyond ten years) is refused with the same words. */
static bool ntlm_settings_check(void *_set, pool_t pool ATTR_UNUSED,
				const char **error_r)
{
	struct ntlm_dovecot_settings *set = _set;
	struct ntlm_settings parsed;

	ntlm_settings_init(&parsed);
	return ntlm_dovecot_settings_apply(set, &parsed, error_r) == 0;
}

const struct setting_parser_info ntlm_setting_parser_info = {
	.name = "ntlm",

	.defines = ntlm_setting_defines,
	.defaults = &ntlm_default_settings,
	.default_settings = ntlm_default_settings_keyvalue,

	.struct_size = sizeof(struct ntlm_dovecot_settings),
	.pool_offset1 = 1 + offsetof(struct ntlm_dovecot_settings, pool),
	.check_func = ntlm_settings_check,
};

/* --- passdb delegate { } ------------------------------------------ */

/* Declared as passdb_delegate_K: inside "passdb delegate { }" Dovecot
   finds a key K as passdb_<name>_K, so the block reads "map = ...". */
#define DELEGATE_DV_DEF(type, name, def, values) \
	NTLM_DV_DEF_##type(passdb_delegate_##name, \
			   struct passdb_delegate_settings)
#define DELEGATE_DV_ZERO(type, name, def, values) \
	NTLM_DV_ZERO_##type(passdb_delegate_##name, values)
#define DELEGATE_DV_KV(type, name, def, values) \
	{ "passdb_delegate_" #name, def },

static const struct setting_define passdb_delegate_setting_defines[] = {
	{ .type = SET_FILTER_NAME, .key = "passdb_delegate", },
	DELEGATE_SETTINGS_LIST(DELEGATE_DV_DEF)
	SETTING_DEFINE_LIST_END
};

static const struct passdb_delegate_settings passdb_delegate_default_settings = {
	DELEGATE_SETTINGS_LIST(DELEGATE_DV_ZERO)
};

static const struct setting_keyvalue passdb_delegate_default_settings_keyvalue[] = {
	DELEGATE_SETTINGS_LIST(DELEGATE_DV_KV)
	{ NULL, NULL }
};

const struct setting_parser_info passdb_delegate_setting_parser_info = {
	.name = "passdb_delegate",

	.defines = passdb_delegate_setting_defines,
	.defaults = &passdb_delegate_default_settings,
	.default_settings = passdb_delegate_default_settings_keyvalue,

	.struct_size = sizeof(struct passdb_delegate_settings),
	.pool_offset1 = 1 + offsetof(struct passdb_delegate_settings, pool),
};
