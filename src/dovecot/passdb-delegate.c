/* The "delegate" passdb: Exchange-style delegate access ([MS-OXPOP3]
   2.2.2, USER domain/delegate/principal) on top of Dovecot's master-user
   login. This file only translates: the login grammar is
   ntlm-delegate.c, the map and the name resolution ntlm-delegate-map.c.
   It is the same for every Dovecot generation; how the passdb gets its
   settings is not: passdb-delegate-args.c (2.3, args) and
   passdb-delegate-settings.c (2.4, settings).

   Listed first among the passdbs, it is consulted twice per delegate
   login:

   1. The login name parses as a delegate login (and no master user is
      set yet): the user becomes the delegate, login_user the principal,
      and the result is NEXT, so the following passdbs verify the
      delegate's own password. When one of them succeeds, Dovecot turns
      the request into a master login (master_user = delegate, user =
      principal) and restarts the passdb chain at this passdb.

   2. A master user is set and its password was verified (this also
      covers SASL PLAIN with an authorisation identity): the map decides
      whether master_user may open user's mailbox. Refused: USER_DISABLED
      and a log line with the reason. Allowed: NEXT, and the following
      passdbs look the principal up, which must exist.

   Any other login passes through untouched (NEXT). Never cached. */

#include "auth-common.h"
#include "auth.h"
#include "passdb.h"
#include "str-sanitize.h"
#include "module-dir.h"

#include "ntlm-delegate.h"
#include "ntlm-delegate-map.h"
#include "passdb-delegate.h"

/* Longest client-chosen string put into a log line. */
#define LOG_NAME_MAX 64


const char *authdb_delegate_version = DOVECOT_ABI_VERSION;
void authdb_delegate_init(struct module *module);
void authdb_delegate_deinit(void);

static struct delegate_passdb_module *
delegate_module(struct auth_request *request)
{
	return container_of(request->passdb->passdb,
			    struct delegate_passdb_module, module);
}

/* The current map. The core re-reads the file when it changed (a stat()
   per call), so a grant or a revocation takes effect with the next
   login. NULL with *error_r when the map is unusable. */
static const struct ntlm_delegate_map *
delegate_map_get(struct delegate_passdb_module *module, const char **error_r)
{
	const struct ntlm_delegate_map *map;
	struct ntlm_delegate_map_error error;
	const char *path = module->map_path;
	int ret;

	ret = ntlm_delegate_map_cache_get(module->map_cache, &map, &error);
	if (ret < 0) {
		if (error.syscall != NULL) {
			*error_r = t_strdup_printf("%s(%s) failed: %s",
						   error.syscall, path,
						   error.error);
		} else if (error.line != 0) {
			*error_r = t_strdup_printf("%s line %u: %s", path,
						   error.line, error.error);
		} else {
			*error_r = t_strdup_printf("%s: %s", path,
						   error.error);
		}
		return NULL;
	}
	if (ret > 0) {
		i_info("passdb delegate: %s read: %zu grants, %zu aliases",
		       path, ntlm_delegate_map_grant_count(map),
		       ntlm_delegate_map_alias_count(map));
	}
	return map;
}

static enum passdb_result
delegate_refuse(struct auth_request *request, const char *reason)
{
	const char *master = request->fields.master_user;

	e_info(authdb_event(request),
	       "delegate login refused: %s (master_user=%s, user=%s)", reason,
	       master == NULL ? "-" : str_sanitize(master, LOG_NAME_MAX),
	       str_sanitize(request->fields.user, LOG_NAME_MAX));
	/* Before the password check the client gets "Authentication
	   failed"; after it (master_user set) Dovecot answers
	   "Authorization failed", the same for an unlisted delegate and a
	   principal that does not exist. */
	return PASSDB_RESULT_USER_DISABLED;
}

static bool delegate_rule_continues(enum auth_db_rule rule)
{
	return rule == AUTH_DB_RULE_CONTINUE ||
		rule == AUTH_DB_RULE_CONTINUE_OK ||
		rule == AUTH_DB_RULE_CONTINUE_FAIL;
}

/* Whether a passdb listed before the delegate passdb can never end a
   login successfully: after a master login Dovecot restarts the chain at
   the first passdb, so one that could would log the master user in as
   the principal before the map is consulted. */
static bool delegate_passdb_before_is_safe(const struct auth_passdb *passdb)
{
	if (passdb->set->deny || passdb->skip == AUTH_PASSDB_SKIP_AUTHENTICATED)
		return TRUE;
	return delegate_rule_continues(passdb->result_success) &&
		(delegate_rule_continues(passdb->result_failure) ||
		 passdb->result_failure == AUTH_DB_RULE_RETURN_FAIL) &&
		(delegate_rule_continues(passdb->result_internalfail) ||
		 passdb->result_internalfail == AUTH_DB_RULE_RETURN_FAIL);
}

/* Whether the chain of this auth guarantees that the map decides over
   every delegate and master login. NULL if so, else why not (and
   *before_r tells whether a passdb before the delegate passdb is the
   cause, which also lets master logins past the map). */
static bool delegate_is_self(const struct auth_passdb *passdb,
			     const struct passdb_module *module)
{
	if (module != NULL)
		return passdb->passdb == module;
	return strcmp(passdb->passdb->iface.name, "delegate") == 0;
}

/* module is the delegate passdb the request is at, or NULL for an auth's
   first delegate passdb: Dovecot 2.3 shares one module between the auths
   of all protocols, 2.4 gives each "protocol X { }" auth its own
   instance. An auth without a delegate passdb has nothing to check. */
static const char *
delegate_chain_error(const struct auth *auth,
		     const struct passdb_module *module, bool *before_r)
{
	const struct auth_passdb *passdb, *self = NULL;
	const char *deny_error = NULL;
	unsigned int n = 0;

	*before_r = FALSE;
	for (passdb = auth->passdbs; passdb != NULL; passdb = passdb->next) {
		if (delegate_is_self(passdb, module))
			break;
	}
	if (passdb == NULL)
		return NULL;
	for (passdb = auth->passdbs; passdb != NULL; passdb = passdb->next) {
		n++;
		if (delegate_is_self(passdb, module)) {
			self = passdb;
			break;
		}
		if (passdb->set->deny && deny_error == NULL) {
			/* it cannot end a login, but it sees the login name
			   and then the principal, never the delegate */
			deny_error = t_strdup_printf(
				"passdb #%u (driver %s) is a deny passdb listed "
				"before the delegate passdb: it never sees the "
				"delegate, so a denied user would get in as "
				"anyone's delegate; list it right after the "
				"delegate passdb", n, passdb->set->driver);
		}
		if (!delegate_passdb_before_is_safe(passdb)) {
			*before_r = TRUE;
			return t_strdup_printf(
				"passdb #%u (driver %s) is listed before the "
				"delegate passdb and can end a login: after a "
				"master login Dovecot restarts at the first "
				"passdb, so it would skip the delegate map; list "
				"the delegate passdb first (or give that passdb "
				"skip = authenticated)", n, passdb->set->driver);
		}
	}
	if (deny_error != NULL)
		return deny_error;
	i_assert(self != NULL);
	if (self->skip != AUTH_PASSDB_SKIP_NEVER ||
	    DELEGATE_PASSDB_MECHANISMS(self) != NULL ||
	    self->username_filter != NULL) {
		*before_r = TRUE;
		return "the delegate passdb has skip, mechanisms or "
			"username_filter set: it must be consulted for every "
			"login";
	}
	for (passdb = self->next; passdb != NULL; passdb = passdb->next) {
		n++;
		if (passdb->set->deny ||
		    delegate_rule_continues(passdb->result_success))
			continue;
		return t_strdup_printf(
			"passdb #%u (driver %s) returns on success: delegate "
			"logins need result_success = continue-ok on every "
			"passdb after the delegate passdb", n,
			passdb->set->driver);
	}
	return NULL;
}

/* The same check for one request: a login that the map would not decide
   is refused. */
static bool delegate_chain_ok(struct auth_request *request)
{
	const char *error;
	bool before;

	error = delegate_chain_error(auth_request_get_auth(request),
				     request->passdb->passdb, &before);
	if (error == NULL)
		return TRUE;
	e_error(authdb_event(request), "%s", error);
	return FALSE;
}

/* Master passdbs without pass = yes end a master login themselves: their
   users open any mailbox without the map. That is Dovecot's meaning of a
   master user, so only warn, once. */
static void delegate_check_masterdbs(struct auth_request *request)
{
	struct delegate_passdb_module *module = delegate_module(request);
	const struct auth_passdb *passdb;

	if (module->master_warned)
		return;
	module->master_warned = TRUE;
	for (passdb = auth_request_get_auth(request)->masterdbs;
	     passdb != NULL; passdb = passdb->next) {
		if (!passdb->set->deny &&
		    !delegate_rule_continues(passdb->result_success)) {
			i_warning("passdb delegate: master passdb %s without "
				  "pass = yes: its master users open any "
				  "mailbox without the delegate map",
				  passdb->set->driver);
		}
	}
}

/* Phase 1: a delegate login becomes "verify the delegate, then log in as
   the principal". */
static enum passdb_result
delegate_login(struct auth_request *request, bool credentials)
{
	struct delegate_passdb_module *module = delegate_module(request);
	struct ntlm_delegate_login login;
	const struct ntlm_delegate_map *map;
	char delegate[NTLM_DELEGATE_NAME_MAX + 1];
	char principal[NTLM_DELEGATE_NAME_MAX + 1];
	const char *name = request->fields.user, *error;
	int ret;

	ret = ntlm_delegate_parse(name, strlen(name), &login, &error);
	if (ret == 0) {
		e_debug(authdb_event(request), "not a delegate login");
		return PASSDB_RESULT_NEXT;
	}
	if (ret < 0)
		return delegate_refuse(request, error);
	if (credentials) {
		return delegate_refuse(request,
			"delegate logins need a plaintext mechanism "
			"(USER/PASS, LOGIN, PLAIN)");
	}
	if (request->fields.skip_password_check ||
	    request->fields.requested_login_user != NULL) {
		return delegate_refuse(request,
			"delegate login after another passdb authenticated "
			"(the delegate passdb must be listed first)");
	}
	if (!delegate_chain_ok(request))
		return delegate_refuse(request, "passdb chain misconfigured");
	map = delegate_map_get(module, &error);
	if (map == NULL) {
		e_error(authdb_event(request), "delegate map: %s", error);
		return delegate_refuse(request, "delegate map unusable");
	}
	ret = ntlm_delegate_login_accounts(map, &module->names,
					   &login, delegate, sizeof(delegate),
					   principal, sizeof(principal),
					   &error);
	if (ret < 0) {
		return delegate_refuse(request,
			t_strdup_printf("%s (%s)", error,
					ntlm_delegate_form_name(login.form)));
	}
	e_debug(authdb_event(request),
		"delegate login (%s): verifying delegate %s for principal %s",
		ntlm_delegate_form_name(login.form),
		str_sanitize(delegate, LOG_NAME_MAX),
		str_sanitize(principal, LOG_NAME_MAX));
	auth_request_set_field(request, "user", delegate, NULL);
	auth_request_set_field(request, "login_user", principal, NULL);
	return PASSDB_RESULT_NEXT;
}

/* Phase 2: a verified master user wants the user's mailbox. */
static enum passdb_result
delegate_authorise(struct auth_request *request, bool credentials)
{
	struct delegate_passdb_module *module = delegate_module(request);
	const struct ntlm_delegate_map *map;
	char principal[NTLM_DELEGATE_NAME_MAX + 1];
	const char *delegate = request->fields.master_user;
	const char *user = request->fields.user, *error;
	bool allowed;

	if (!request->fields.skip_password_check) {
		return delegate_refuse(request,
			"master user without a verified password");
	}
	/* With a credentials mechanism Dovecot marks a master login
	   verified as soon as a "pass = yes" master passdb has merely looked
	   up the master's credentials, and then gives the mechanism the
	   principal's: nobody checked the master's own password. */
	if (credentials) {
		return delegate_refuse(request,
			"master logins need a plaintext mechanism (the master "
			"user's password is not verified with credentials "
			"lookups)");
	}
	if (!delegate_chain_ok(request))
		return delegate_refuse(request, "passdb chain misconfigured");
	map = delegate_map_get(module, &error);
	if (map == NULL) {
		e_error(authdb_event(request), "delegate map: %s", error);
		return delegate_refuse(request, "delegate map unusable");
	}
	if (ntlm_delegate_resolve(map, &module->names,
				  (const unsigned char *)user, strlen(user),
				  principal, sizeof(principal),
				  &error) < 0) {
		return delegate_refuse(request,
			t_strdup_printf("principal: %s", error));
	}
	/* one's own mailbox needs no grant, but only the very same account:
	   with a case-preserving auth_username_format "Bob" is not "bob" */
	allowed = strcmp(principal, delegate) == 0 ||
		ntlm_delegate_map_allows(map, principal, delegate);
	if (!allowed) {
		return delegate_refuse(request, t_strdup_printf(
			"%s is not a listed delegate of %s",
			str_sanitize(delegate, LOG_NAME_MAX),
			str_sanitize(principal, LOG_NAME_MAX)));
	}
	if (strcmp(principal, user) != 0)
		auth_request_set_field(request, "user", principal, NULL);
	e_info(authdb_event(request),
	       "delegate access granted: master_user=%s user=%s",
	       str_sanitize(delegate, LOG_NAME_MAX),
	       str_sanitize(principal, LOG_NAME_MAX));
	/* The delegate's verified password must not count as the
	   principal's lookup: the following passdbs must find the
	   principal, or the login fails. */
	request->passdb_success = FALSE;
	return PASSDB_RESULT_NEXT;
}

static enum passdb_result
delegate_lookup(struct auth_request *request, bool credentials)
{
	enum passdb_result result;

	T_BEGIN {
		delegate_check_masterdbs(request);
		if (request->fields.master_user != NULL)
			result = delegate_authorise(request, credentials);
		else
			result = delegate_login(request, credentials);
	} T_END;
	return result;
}

static void
passdb_delegate_verify_plain(struct auth_request *request,
			     const char *password ATTR_UNUSED,
			     verify_plain_callback_t *callback)
{
	callback(delegate_lookup(request, FALSE), request);
}

static void
passdb_delegate_lookup_credentials(struct auth_request *request,
				   lookup_credentials_callback_t *callback)
{
	DELEGATE_CREDENTIALS_CALLBACK(callback,
				      delegate_lookup(request, TRUE), request);
}

struct delegate_passdb_module *delegate_module_new(pool_t pool)
{
	struct delegate_passdb_module *module;
	const char *error;
	int ret;

	module = p_new(pool, struct delegate_passdb_module, 1);
#define DELEGATE_DEFAULT(type, name, def, values) \
	ret = delegate_module_set(module, pool, #name, def, &error); \
	i_assert(ret == 0);
	DELEGATE_SETTINGS_LIST(DELEGATE_DEFAULT)
#undef DELEGATE_DEFAULT
	/* never cached: a revoked delegate is refused at the next login */
	module->module.default_cache_key = NULL;
	module->module.blocking = FALSE;
	return module;
}

static int delegate_bool(const char *key, const char *value, bool *value_r,
			 const char **error_r)
{
	if (strcmp(value, "yes") == 0)
		*value_r = TRUE;
	else if (strcmp(value, "no") == 0)
		*value_r = FALSE;
	else {
		*error_r = t_strdup_printf("%s=%s: expected yes or no", key,
					   value);
		return -1;
	}
	return 0;
}

int delegate_module_set(struct delegate_passdb_module *module, pool_t pool,
			const char *key, const char *value,
			const char **error_r)
{
	if (strcmp(key, "map") == 0) {
		module->map_path = p_strdup(pool, value);
		return 0;
	}
	if (strcmp(key, "domains") == 0) {
		module->names.domains = p_strdup(pool, value);
		return 0;
	}
	if (strcmp(key, "domain_check") == 0) {
		return delegate_bool(key, value, &module->names.check_domain,
				     error_r);
	}
	if (strcmp(key, "upn") == 0) {
		if (strcmp(value, "whole") == 0)
			module->names.upn_local_part = FALSE;
		else if (strcmp(value, "local") == 0)
			module->names.upn_local_part = TRUE;
		else {
			*error_r = t_strdup_printf(
				"upn=%s: expected whole or local", value);
			return -1;
		}
		return 0;
	}
	*error_r = t_strdup_printf("unknown setting: %s", key);
	return -1;
}

int delegate_module_check(struct delegate_passdb_module *module,
			  const char **error_r)
{
	if (module->map_path == NULL || module->map_path[0] == '\0') {
		*error_r = "map=<file> is required";
		return -1;
	}
	if (module->names.check_domain &&
	    (module->names.domains == NULL ||
	     module->names.domains[0] == '\0')) {
		*error_r = "domains=<list> is required (or domain_check=no)";
		return -1;
	}
	module->map_cache = ntlm_delegate_map_cache_init(module->map_path);
	if (module->map_cache == NULL)
		i_fatal_status(FATAL_OUTOFMEM, "passdb delegate: out of memory");
	return 0;
}

/* At start: a chain in which the map would not decide is an error. When
   a passdb before the delegate passdb could end a login and master
   passdbs exist, PLAIN with an authorisation identity (and
   auth_master_user_separator logins) would reach the principal's mailbox
   without ever consulting this passdb, so nothing could refuse them per
   login: refuse to start instead. Every auth is checked: a
   "protocol X { }" block gives X an auth of its own (the global passdbs,
   then X's), and its master passdbs may exist only there. */
static void delegate_check_chain_at_start(void)
{
	static bool checked = FALSE;
	struct auth *auth;
	const char *error, *where;
	bool before;

	/* once for all auths, however many module instances there are */
	if (checked)
		return;
	checked = TRUE;
	array_foreach_elem(&auths, auth) T_BEGIN {
		where = DELEGATE_AUTH_PROTOCOL(auth) == NULL ? "" :
			t_strdup_printf("protocol %s: ",
					DELEGATE_AUTH_PROTOCOL(auth));
		error = delegate_chain_error(auth, NULL, &before);
		if (error != NULL && before && auth->masterdbs != NULL) {
			i_fatal("passdb delegate: %s%s (master logins would "
				"bypass the delegate map)", where, error);
		}
		if (error != NULL) {
			i_error("passdb delegate: %s%s; delegate logins are "
				"refused", where, error);
		}
	} T_END;
}

static void passdb_delegate_init(struct passdb_module *_module)
{
	struct delegate_passdb_module *module =
		container_of(_module, struct delegate_passdb_module, module);
	const char *error;

	delegate_check_chain_at_start();
	/* only a warning: the map may be fixed while Dovecot runs, and
	   until then delegate logins are refused */
	T_BEGIN {
		if (delegate_map_get(module, &error) == NULL)
			i_warning("passdb delegate: %s", error);
	} T_END;
}

static void passdb_delegate_deinit(struct passdb_module *_module)
{
	struct delegate_passdb_module *module =
		container_of(_module, struct delegate_passdb_module, module);

	ntlm_delegate_map_cache_deinit(&module->map_cache);
}

/* .preinit is the settings generation's (passdb_delegate_set_preinit) */
static struct passdb_module_interface passdb_delegate = {
	.name = "delegate",
	.init = passdb_delegate_init,
	.deinit = passdb_delegate_deinit,
	.verify_plain = passdb_delegate_verify_plain,
	.lookup_credentials = passdb_delegate_lookup_credentials,
};

void authdb_delegate_init(struct module *module ATTR_UNUSED)
{
	passdb_delegate_set_preinit(&passdb_delegate);
	passdb_register_module(&passdb_delegate);
}

void authdb_delegate_deinit(void)
{
	passdb_unregister_module(&passdb_delegate);
}
