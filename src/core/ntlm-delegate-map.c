/* The delegate map and delegate-login name resolution. See
   ntlm-delegate-map.h. */

#include "ntlm-delegate-map.h"

#include <string.h>

enum token_type {
	TOKEN_NAME,
	TOKEN_COLON,
	TOKEN_EQUALS,
};

struct token {
	enum token_type type;
	struct ntlm_slice name;
};

enum line_type {
	LINE_EMPTY,
	LINE_ALIAS,
	LINE_GRANT,
};

struct map_line {
	enum line_type type;
	/* the alias name, or the principal of a grant */
	struct ntlm_slice first;
	/* the account of an alias */
	struct ntlm_slice second;
	/* a grant's delegates: the rest of the line, after ':' */
	struct ntlm_slice rest;
};

static uint8_t ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
}

static bool names_equal(const uint8_t *a, size_t a_len,
			const uint8_t *b, size_t b_len)
{
	size_t i;

	if (a_len != b_len)
		return false;
	for (i = 0; i < a_len; i++) {
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	}
	return true;
}

static bool slice_equals_str(const struct ntlm_slice *slice, const char *str)
{
	return names_equal(slice->data, slice->len, (const uint8_t *)str,
			   strlen(str));
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_name_byte(uint8_t c)
{
	if (c <= 0x20 || c == 0x7f)
		return false;
	return c != ':' && c != '=' && c != '#' && c != '/' && c != '\\';
}

/* The next token of a line (no '\n' inside, comment already cut).
   Returns 1 with *tok_r, 0 at the end, -1 with *error_r. */
static int next_token(const uint8_t *data, size_t len, size_t *pos,
		      struct token *tok_r, const char **error_r)
{
	size_t start;
	uint8_t c;

	while (*pos < len && is_space(data[*pos]))
		(*pos)++;
	if (*pos == len)
		return 0;
	c = data[*pos];
	if (c == ':' || c == '=') {
		tok_r->type = c == ':' ? TOKEN_COLON : TOKEN_EQUALS;
		(*pos)++;
		return 1;
	}
	if (!is_name_byte(c)) {
		*error_r = c == '/' || c == '\\' ?
			"a name contains '/' or '\\'" :
			"a control character outside a comment";
		return -1;
	}
	start = *pos;
	while (*pos < len && is_name_byte(data[*pos]))
		(*pos)++;
	if (*pos - start > NTLM_DELEGATE_NAME_MAX) {
		*error_r = "a name is too long";
		return -1;
	}
	tok_r->type = TOKEN_NAME;
	tok_r->name.data = data + start;
	tok_r->name.len = *pos - start;
	return 1;
}

/* Parse the line starting at *pos; *pos moves past its '\n'. Returns 1
   with *line_r, 0 at the end of the map, -1 with *error_r. */
static int next_line(const char *map, size_t map_len, size_t *pos,
		     struct map_line *line_r, const char **error_r)
{
	const uint8_t *data, *nl, *hash;
	struct token tokens[3], tok;
	size_t len, tpos = 0;
	unsigned int count = 0;
	int ret = 0;

	if (*pos >= map_len)
		return 0;
	data = (const uint8_t *)map + *pos;
	nl = memchr(data, '\n', map_len - *pos);
	len = nl == NULL ? map_len - *pos : (size_t)(nl - data);
	*pos += nl == NULL ? len : len + 1;

	if (memchr(data, '\0', len) != NULL) {
		*error_r = "a NUL byte";
		return -1;
	}
	hash = memchr(data, '#', len);
	if (hash != NULL)
		len = (size_t)(hash - data);

	memset(line_r, 0, sizeof(*line_r));
	line_r->type = LINE_EMPTY;
	/* the first two tokens decide the kind of line */
	while (count < 2 && (ret = next_token(data, len, &tpos,
					      &tokens[count], error_r)) > 0)
		count++;
	if (count < 2 && ret < 0)
		return -1;
	if (count == 0)
		return 1;
	if (count == 1 || tokens[0].type != TOKEN_NAME) {
		*error_r = "expected \"principal: delegates\" or "
			"\"name = account\"";
		return -1;
	}
	line_r->first = tokens[0].name;
	if (tokens[1].type == TOKEN_COLON) {
		/* grant: every further token must be a name */
		line_r->type = LINE_GRANT;
		line_r->rest.data = data + tpos;
		line_r->rest.len = len - tpos;
		while ((ret = next_token(data, len, &tpos, &tok,
					 error_r)) > 0) {
			if (tok.type != TOKEN_NAME) {
				*error_r = "a second ':' or '=' in a grant";
				return -1;
			}
		}
		return ret < 0 ? -1 : 1;
	}
	if (tokens[1].type != TOKEN_EQUALS) {
		*error_r = "expected ':' or '=' after the first name";
		return -1;
	}
	ret = next_token(data, len, &tpos, &tokens[2], error_r);
	if (ret < 0)
		return -1;
	if (ret == 0 || tokens[2].type != TOKEN_NAME) {
		*error_r = "\"name =\" without an account";
		return -1;
	}
	ret = next_token(data, len, &tpos, &tok, error_r);
	if (ret < 0)
		return -1;
	if (ret > 0) {
		*error_r = "more than one account after '='";
		return -1;
	}
	if (names_equal(tokens[0].name.data, tokens[0].name.len,
			(const uint8_t *)"*", 1)) {
		*error_r = "\"*\" cannot be an alias";
		return -1;
	}
	line_r->type = LINE_ALIAS;
	line_r->second = tokens[2].name;
	return 1;
}

int ntlm_delegate_map_check(const char *map, size_t map_len,
			    unsigned int *line_r, const char **error_r)
{
	struct map_line line;
	size_t pos = 0;
	unsigned int lineno = 0;
	int ret;

	if (map_len > NTLM_DELEGATE_MAP_MAX_SIZE) {
		*line_r = 0;
		*error_r = "the map is too large";
		return -1;
	}
	for (;;) {
		lineno++;
		ret = next_line(map, map_len, &pos, &line, error_r);
		if (ret == 0)
			return 0;
		if (ret < 0) {
			*line_r = lineno;
			return -1;
		}
	}
}

/* The account of a "name = account" line for name, if any. The map must
   have passed ntlm_delegate_map_check(). */
static bool map_alias(const char *map, size_t map_len,
		      const uint8_t *name, size_t name_len,
		      struct ntlm_slice *account_r)
{
	struct map_line line;
	const char *error;
	size_t pos = 0;

	while (next_line(map, map_len, &pos, &line, &error) > 0) {
		if (line.type == LINE_ALIAS &&
		    names_equal(line.first.data, line.first.len,
				name, name_len)) {
			*account_r = line.second;
			return true;
		}
	}
	return false;
}

bool ntlm_delegate_domain_accepted(const struct ntlm_delegate_names *set,
				   const uint8_t *domain, size_t len)
{
	const char *p, *start;

	if (!set->check_domain)
		return true;
	if (set->domains == NULL || len == 0)
		return false;
	p = set->domains;
	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return false;
		start = p;
		while (*p != '\0' && *p != ',' && *p != ' ' && *p != '\t')
			p++;
		if (names_equal((const uint8_t *)start, (size_t)(p - start),
				domain, len))
			return true;
	}
}

static int copy_account(const uint8_t *data, size_t len, char *account_r,
			size_t account_size, const char **error_r)
{
	size_t i;

	if (len == 0) {
		*error_r = "empty name";
		return -1;
	}
	if (len > NTLM_DELEGATE_NAME_MAX || len >= account_size) {
		*error_r = "name too long";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!is_name_byte(data[i])) {
			*error_r = "name contains a character not allowed "
				"in a delegate map name";
			return -1;
		}
	}
	memcpy(account_r, data, len);
	account_r[len] = '\0';
	return 0;
}

int ntlm_delegate_resolve(const char *map, size_t map_len,
			  const struct ntlm_delegate_names *set,
			  const uint8_t *name, size_t name_len,
			  char *account_r, size_t account_size,
			  const char **error_r)
{
	struct ntlm_slice account;
	const uint8_t *at;
	size_t i, ats = 0;

	for (i = 0; i < name_len; i++) {
		if (name[i] == '@')
			ats++;
	}
	if (ats > 1) {
		*error_r = "UPN with more than one '@'";
		return -1;
	}
	at = ats == 0 ? NULL : memchr(name, '@', name_len);
	if (at != NULL) {
		if (at == name || at == name + name_len - 1) {
			*error_r = "UPN without a local part or domain";
			return -1;
		}
		if (!ntlm_delegate_domain_accepted(set, at + 1,
				name_len - (size_t)(at + 1 - name))) {
			*error_r = "UPN domain not accepted";
			return -1;
		}
	}
	if (map_alias(map, map_len, name, name_len, &account)) {
		return copy_account(account.data, account.len, account_r,
				    account_size, error_r);
	}
	if (at != NULL && set->upn_local_part) {
		name_len = (size_t)(at - name);
		if (map_alias(map, map_len, name, name_len, &account)) {
			return copy_account(account.data, account.len,
					    account_r, account_size, error_r);
		}
	}
	return copy_account(name, name_len, account_r, account_size, error_r);
}

int ntlm_delegate_login_accounts(const char *map, size_t map_len,
				 const struct ntlm_delegate_names *set,
				 const struct ntlm_delegate_login *login,
				 char *delegate_r, size_t delegate_size,
				 char *principal_r, size_t principal_size,
				 const char **error_r)
{
	if (!login->delegate_is_upn &&
	    !ntlm_delegate_domain_accepted(set, login->domain.data,
					   login->domain.len)) {
		*error_r = "domain not accepted";
		return -1;
	}
	if (ntlm_delegate_resolve(map, map_len, set, login->delegate.data,
				  login->delegate.len, delegate_r,
				  delegate_size, error_r) < 0)
		return -1;
	return ntlm_delegate_resolve(map, map_len, set, login->principal.data,
				     login->principal.len, principal_r,
				     principal_size, error_r);
}

bool ntlm_delegate_map_allows(const char *map, size_t map_len,
			      const char *principal, const char *delegate)
{
	struct map_line line;
	struct token tok;
	const char *error;
	unsigned int lineno;
	size_t pos = 0, tpos;

	if (ntlm_delegate_map_check(map, map_len, &lineno, &error) < 0)
		return false;
	if (*principal == '\0' || *delegate == '\0')
		return false;
	while (next_line(map, map_len, &pos, &line, &error) > 0) {
		if (line.type != LINE_GRANT)
			continue;
		if (!slice_equals_str(&line.first, principal) &&
		    !slice_equals_str(&line.first, "*"))
			continue;
		tpos = 0;
		while (next_token(line.rest.data, line.rest.len, &tpos, &tok,
				  &error) > 0) {
			if (slice_equals_str(&tok.name, delegate))
				return true;
		}
	}
	return false;
}
