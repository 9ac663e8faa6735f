/* The delegate passdb's settings on Dovecot 2.4: passdb_delegate_map,
   _domains, _domain_check and _upn (DELEGATE_SETTINGS_LIST), declared by
   the settings module and written "map = FILE" etc. inside
   "passdb delegate { }". doveconf already refused values of the wrong
   type; a missing map or domain list fails the passdb's preinit, which
   stops the auth process with the reason. */

#include "auth-common.h"
#include "passdb.h"
#include "settings.h"

#include "passdb-delegate.h"
#include "ntlm-settings-info.h"

#define DELEGATE_DV_STR_BOOL(v) ((v) ? "yes" : "no")
#define DELEGATE_DV_STR_STR(v) (v)
#define DELEGATE_DV_STR_ENUM(v) (v)
#define DELEGATE_DV_APPLY(type, name, def, values) \
	if (ret == 0) { \
		ret = delegate_module_set(module, pool, #name, \
			DELEGATE_DV_STR_##type(set->passdb_delegate_##name), \
			&error); \
	}

static int
passdb_delegate_preinit(pool_t pool, struct event *event,
			PASSDB_PREINIT_PARAMS
			struct passdb_module **module_r, const char **error_r)
{
	const struct passdb_delegate_settings *set;
	struct delegate_passdb_module *module;
	const char *error;
	int ret = 0;

	if (settings_get(event, &passdb_delegate_setting_parser_info, 0,
			 &set, error_r) < 0)
		return -1;
	module = delegate_module_new(pool);
	DELEGATE_SETTINGS_LIST(DELEGATE_DV_APPLY)
	settings_free(set);
	if (ret == 0)
		ret = delegate_module_check(module, &error);
	if (ret < 0) {
		*error_r = t_strdup_printf("passdb delegate: %s", error);
		return -1;
	}
	*module_r = &module->module;
	return 0;
}

void passdb_delegate_set_preinit(struct passdb_module_interface *iface)
{
	iface->preinit = passdb_delegate_preinit;
}
