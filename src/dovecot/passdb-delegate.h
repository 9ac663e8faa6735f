#ifndef PASSDB_DELEGATE_H
#define PASSDB_DELEGATE_H

/* Shared between passdb-delegate.c (the authorisation, the same on every
   Dovecot) and the file of the Dovecot settings generation that gives
   the passdb its settings: passdb-delegate-args.c (2.3) or
   passdb-delegate-settings.c (2.4). */

#include "passdb.h"
#include "ntlm-delegate-map.h"
#include "passdb-delegate-config.h"

struct delegate_passdb_module {
	struct passdb_module module;
	const char *map_path;
	struct ntlm_delegate_names names;
	/* the parsed map, re-read when the file changes */
	struct ntlm_delegate_map_cache *map_cache;
	bool master_warned;
};

/* A module with the defaults of DELEGATE_SETTINGS_LIST. */
struct delegate_passdb_module *delegate_module_new(pool_t pool);
/* Apply one setting of DELEGATE_SETTINGS_LIST by its short name (map,
   domains, ...). Returns -1 with *error_r for an unknown one or a bad
   value. */
int delegate_module_set(struct delegate_passdb_module *module, pool_t pool,
			const char *key, const char *value,
			const char **error_r);
/* After all settings: -1 with *error_r if a required one is missing;
   else sets up the map cache. */
int delegate_module_check(struct delegate_passdb_module *module,
			  const char **error_r);

/* Set the settings generation's preinit in the interface. */
void passdb_delegate_set_preinit(struct passdb_module_interface *iface);

/* Dovecot 2.4.3 and later pass preinit the passdb's parameters
   (configure probes passdb.h for struct passdb_parameters). */
#ifdef HAVE_STRUCT_PASSDB_PARAMETERS
#  define PASSDB_PREINIT_PARAMS \
	const struct passdb_parameters *passdb_params ATTR_UNUSED,
#else
#  define PASSDB_PREINIT_PARAMS
#endif

/* 2.4 renamed auth_passdb.mechanisms, and "service" to "protocol" in
   struct auth and auth_default_service() (configure probes auth.h). */
#ifdef HAVE_AUTH_PASSDB_MECHANISMS_FILTER
#  define DELEGATE_PASSDB_MECHANISMS(passdb) ((passdb)->mechanisms_filter)
#else
#  define DELEGATE_PASSDB_MECHANISMS(passdb) ((passdb)->mechanisms)
#endif
#ifdef HAVE_AUTH_DEFAULT_PROTOCOL
#  define DELEGATE_AUTH_PROTOCOL(auth) ((auth)->protocol)
#else
#  define DELEGATE_AUTH_PROTOCOL(auth) ((auth)->service)
#endif

/* Dovecot 2.4.5's credentials callback also takes the scheme (configure
   probes passdb.h). */
#ifdef HAVE_LOOKUP_CREDENTIALS_SCHEME
#  define DELEGATE_CREDENTIALS_CALLBACK(callback, result, request) \
	callback(result, NULL, 0, NULL, request)
#else
#  define DELEGATE_CREDENTIALS_CALLBACK(callback, result, request) \
	callback(result, NULL, 0, request)
#endif

#endif
