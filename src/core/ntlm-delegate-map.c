/* The delegate map and delegate-login name resolution. See
   ntlm-delegate-map.h. */

#include "ntlm-delegate-map.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* Check the map; count its grants and alias lines. */
static int map_scan(const char *map, size_t map_len, size_t *grants_r,
		    size_t *aliases_r, unsigned int *line_r,
		    const char **error_r)
{
	struct map_line line;
	struct token tok;
	size_t pos = 0, tpos, grants = 0, aliases = 0;
	unsigned int lineno = 0;
	int ret;

	*line_r = 0;
	if (map_len > NTLM_DELEGATE_MAP_MAX_SIZE) {
		*error_r = "the map is too large";
		return -1;
	}
	for (;;) {
		lineno++;
		ret = next_line(map, map_len, &pos, &line, error_r);
		if (ret == 0)
			break;
		if (ret < 0) {
			*line_r = lineno;
			return -1;
		}
		if (line.type == LINE_ALIAS)
			aliases++;
		else if (line.type == LINE_GRANT) {
			tpos = 0;
			while (next_token(line.rest.data, line.rest.len,
					  &tpos, &tok, error_r) > 0)
				grants++;
		}
		if (grants > NTLM_DELEGATE_MAP_MAX_ENTRIES ||
		    aliases > NTLM_DELEGATE_MAP_MAX_ENTRIES) {
			*line_r = lineno;
			*error_r = "more grants or aliases than the map may "
				"hold";
			return -1;
		}
	}
	*grants_r = grants;
	*aliases_r = aliases;
	return 0;
}

int ntlm_delegate_map_check(const char *map, size_t map_len,
			    unsigned int *line_r, const char **error_r)
{
	size_t grants, aliases;

	return map_scan(map, map_len, &grants, &aliases, line_r, error_r);
}

/* ------------------------------------------------------------------ */
/* the index: two open-addressing hash tables (linear probing) over the
   map text. A slot names one or two spans of the text; an empty slot
   has a_len 0 (names are never empty). */

struct map_slot {
	uint32_t a_off, b_off;
	uint8_t a_len, b_len;
};

struct map_table {
	struct map_slot *slots;
	/* a power of two */
	size_t mask;
	size_t count;
};

struct ntlm_delegate_map {
	/* the map text; the slots point into it */
	char *text;
	size_t len;
	/* principal + delegate of every grant */
	struct map_table grants;
	/* name -> account of the first line for each name */
	struct map_table aliases;
};

/* FNV-1a over the lower-cased bytes, then a final mix. */
static uint32_t hash_name(uint32_t h, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= ascii_lower(data[i]);
		h *= 16777619u;
	}
	return h;
}

static uint32_t hash_final(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

static uint32_t hash_key(const uint8_t *a, size_t a_len,
			 const uint8_t *b, size_t b_len)
{
	uint32_t h = hash_name(2166136261u, a, a_len);

	if (b != NULL) {
		/* a separator no name contains */
		h ^= ':';
		h *= 16777619u;
		h = hash_name(h, b, b_len);
	}
	return hash_final(h);
}

static int table_init(struct map_table *table, size_t entries)
{
	size_t size = 16;

	/* load factor at most 2/3 */
	while (size < entries + entries / 2)
		size *= 2;
	table->slots = calloc(size, sizeof(*table->slots));
	if (table->slots == NULL)
		return -1;
	table->mask = size - 1;
	table->count = 0;
	return 0;
}

/* The slot of the key, or the empty slot where it would go. b == NULL
   looks up an alias (one name). */
static struct map_slot *
table_find(const struct ntlm_delegate_map *map, const struct map_table *table,
	   const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	const uint8_t *text = (const uint8_t *)map->text;
	size_t i = hash_key(a, a_len, b, b_len) & table->mask;
	struct map_slot *slot;

	for (;; i = (i + 1) & table->mask) {
		slot = &table->slots[i];
		if (slot->a_len == 0)
			return slot;
		if (!names_equal(text + slot->a_off, slot->a_len, a, a_len))
			continue;
		if (b == NULL ||
		    names_equal(text + slot->b_off, slot->b_len, b, b_len))
			return slot;
	}
}

static void table_add(struct ntlm_delegate_map *map, struct map_table *table,
		      const struct ntlm_slice *a, const struct ntlm_slice *b,
		      bool pair)
{
	struct map_slot *slot;

	slot = table_find(map, table, a->data, a->len,
			  pair ? b->data : NULL, b->len);
	if (slot->a_len != 0) {
		/* a repeated grant, or a later line for an alias: the
		   first line for a name wins */
		return;
	}
	slot->a_off = (uint32_t)(a->data - (const uint8_t *)map->text);
	slot->a_len = (uint8_t)a->len;
	slot->b_off = (uint32_t)(b->data - (const uint8_t *)map->text);
	slot->b_len = (uint8_t)b->len;
	table->count++;
}

static bool table_lookup(const struct ntlm_delegate_map *map,
			 const struct map_table *table,
			 const uint8_t *a, size_t a_len,
			 const uint8_t *b, size_t b_len,
			 struct ntlm_slice *b_r)
{
	const struct map_slot *slot;

	if (a_len == 0 || a_len > NTLM_DELEGATE_NAME_MAX ||
	    (b != NULL && (b_len == 0 || b_len > NTLM_DELEGATE_NAME_MAX)))
		return false;
	slot = table_find(map, table, a, a_len, b, b_len);
	if (slot->a_len == 0)
		return false;
	if (b_r != NULL) {
		b_r->data = (const uint8_t *)map->text + slot->b_off;
		b_r->len = slot->b_len;
	}
	return true;
}

void ntlm_delegate_map_free(struct ntlm_delegate_map **_map)
{
	struct ntlm_delegate_map *map = *_map;

	if (map == NULL)
		return;
	*_map = NULL;
	free(map->grants.slots);
	free(map->aliases.slots);
	free(map->text);
	free(map);
}

/* Index text (malloc()ed, owned by the map from now on, also on
   failure). */
static int map_build(char *text, size_t len, struct ntlm_delegate_map **map_r,
		     unsigned int *line_r, const char **error_r)
{
	struct ntlm_delegate_map *map;
	struct map_line line;
	struct token tok;
	size_t grants, aliases, pos = 0, tpos;
	const char *error;

	if (map_scan(text, len, &grants, &aliases, line_r, error_r) < 0) {
		free(text);
		return -1;
	}
	map = calloc(1, sizeof(*map));
	if (map == NULL) {
		free(text);
		*error_r = "out of memory";
		return -1;
	}
	map->text = text;
	map->len = len;
	if (table_init(&map->grants, grants) < 0 ||
	    table_init(&map->aliases, aliases) < 0) {
		ntlm_delegate_map_free(&map);
		*error_r = "out of memory";
		return -1;
	}
	/* checked above: every line parses */
	while (next_line(text, len, &pos, &line, &error) > 0) {
		if (line.type == LINE_ALIAS) {
			table_add(map, &map->aliases, &line.first,
				  &line.second, false);
		} else if (line.type == LINE_GRANT) {
			tpos = 0;
			while (next_token(line.rest.data, line.rest.len,
					  &tpos, &tok, &error) > 0) {
				table_add(map, &map->grants, &line.first,
					  &tok.name, true);
			}
		}
	}
	*map_r = map;
	return 0;
}

int ntlm_delegate_map_parse(const char *text, size_t len,
			    struct ntlm_delegate_map **map_r,
			    unsigned int *line_r, const char **error_r)
{
	char *copy;

	*line_r = 0;
	if (len > NTLM_DELEGATE_MAP_MAX_SIZE) {
		*error_r = "the map is too large";
		return -1;
	}
	copy = malloc(len + 1);
	if (copy == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	return map_build(copy, len, map_r, line_r, error_r);
}

size_t ntlm_delegate_map_grant_count(const struct ntlm_delegate_map *map)
{
	return map->grants.count;
}

size_t ntlm_delegate_map_alias_count(const struct ntlm_delegate_map *map)
{
	return map->aliases.count;
}

/* The account of the first "name = account" line for name, if any. */
static bool map_alias(const struct ntlm_delegate_map *map,
		      const uint8_t *name, size_t name_len,
		      struct ntlm_slice *account_r)
{
	return table_lookup(map, &map->aliases, name, name_len, NULL, 0,
			    account_r);
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

int ntlm_delegate_resolve(const struct ntlm_delegate_map *map,
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
	if (map_alias(map, name, name_len, &account)) {
		return copy_account(account.data, account.len, account_r,
				    account_size, error_r);
	}
	if (at != NULL && set->upn_local_part) {
		name_len = (size_t)(at - name);
		if (map_alias(map, name, name_len, &account)) {
			return copy_account(account.data, account.len,
					    account_r, account_size, error_r);
		}
	}
	return copy_account(name, name_len, account_r, account_size, error_r);
}

int ntlm_delegate_login_accounts(const struct ntlm_delegate_map *map,
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
	if (ntlm_delegate_resolve(map, set, login->delegate.data,
				  login->delegate.len, delegate_r,
				  delegate_size, error_r) < 0)
		return -1;
	return ntlm_delegate_resolve(map, set, login->principal.data,
				     login->principal.len, principal_r,
				     principal_size, error_r);
}

bool ntlm_delegate_map_allows(const struct ntlm_delegate_map *map,
			      const char *principal, const char *delegate)
{
	size_t p_len, d_len;

	if (map == NULL)
		return false;
	p_len = strlen(principal);
	d_len = strlen(delegate);
	if (p_len == 0 || d_len == 0)
		return false;
	return table_lookup(map, &map->grants, (const uint8_t *)principal,
			    p_len, (const uint8_t *)delegate, d_len, NULL) ||
		table_lookup(map, &map->grants, (const uint8_t *)"*", 1,
			     (const uint8_t *)delegate, d_len, NULL);
}

/* ------------------------------------------------------------------ */
/* the cache of one file */

struct map_identity {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

struct ntlm_delegate_map_cache {
	char *path;
	/* the file last read, and what came of it */
	bool have_identity;
	struct map_identity identity;
	/* modified within the second before it was read: read again */
	bool racy;
	struct ntlm_delegate_map *map;
	/* the parse error of that file when map is NULL */
	const char *error;
	unsigned int error_line;
};

static void identity_of(const struct stat *st, struct map_identity *id_r)
{
	memset(id_r, 0, sizeof(*id_r));
	id_r->dev = st->st_dev;
	id_r->ino = st->st_ino;
	id_r->size = st->st_size;
	id_r->mtime = st->st_mtim;
	id_r->ctime = st->st_ctim;
}

static bool timespec_equal(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static bool identity_equal(const struct map_identity *a,
			   const struct map_identity *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
		timespec_equal(&a->mtime, &b->mtime) &&
		timespec_equal(&a->ctime, &b->ctime);
}

struct ntlm_delegate_map_cache *ntlm_delegate_map_cache_init(const char *path)
{
	struct ntlm_delegate_map_cache *cache;

	cache = calloc(1, sizeof(*cache));
	if (cache == NULL)
		return NULL;
	cache->path = strdup(path);
	if (cache->path == NULL) {
		free(cache);
		return NULL;
	}
	return cache;
}

static void cache_forget(struct ntlm_delegate_map_cache *cache)
{
	ntlm_delegate_map_free(&cache->map);
	cache->have_identity = false;
	cache->racy = false;
	cache->error = NULL;
	cache->error_line = 0;
}

void ntlm_delegate_map_cache_deinit(struct ntlm_delegate_map_cache **_cache)
{
	struct ntlm_delegate_map_cache *cache = *_cache;

	if (cache == NULL)
		return;
	*_cache = NULL;
	cache_forget(cache);
	free(cache->path);
	free(cache);
}

static void sys_error(struct ntlm_delegate_map_error *error_r,
		      const char *syscall, int err)
{
	error_r->syscall = syscall;
	error_r->sys_errno = err;
	error_r->error = strerror(err);
}

/* A file's ctime has the granularity of the kernel's coarse clock (a
   tick, at most 10 ms). A file changed less than this long before it
   was read could change again with the same times and size. */
#define MAP_RACY_WINDOW_NSEC 100000000LL

static bool recently_changed(const struct stat *st)
{
	struct timespec now;
	long long diff;

	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return true;
	diff = ((long long)now.tv_sec - (long long)st->st_ctim.tv_sec) *
		1000000000LL + (now.tv_nsec - st->st_ctim.tv_nsec);
	return diff < MAP_RACY_WINDOW_NSEC;
}

/* Read the file at fd whole (its fstat() is *st). Returns 1 with *text_r
   (malloc()ed, NUL-terminated) and *len_r, 0 when it changed while being
   read, -1 with *error_r. */
static int read_whole(int fd, const struct stat *st, char **text_r,
		      size_t *len_r, struct ntlm_delegate_map_error *error_r)
{
	struct map_identity before, after;
	struct stat st2;
	size_t size, len = 0;
	ssize_t ret;
	char *text;

	/* one byte more than the size notices a file that grew */
	size = (size_t)st->st_size + 1;
	text = malloc(size + 1);
	if (text == NULL) {
		error_r->error = "out of memory";
		return -1;
	}
	while (len < size) {
		ret = read(fd, text + len, size - len);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			sys_error(error_r, "read", errno);
			free(text);
			return -1;
		}
		if (ret == 0)
			break;
		len += (size_t)ret;
	}
	if (fstat(fd, &st2) < 0) {
		sys_error(error_r, "fstat", errno);
		free(text);
		return -1;
	}
	identity_of(st, &before);
	identity_of(&st2, &after);
	if (len != (size_t)st->st_size || !identity_equal(&before, &after)) {
		free(text);
		return 0;
	}
	text[len] = '\0';
	*text_r = text;
	*len_r = len;
	return 1;
}

/* Read and parse the file again. Returns 1 with the new map, -1 with
   *error_r (cache->map is NULL then). */
static int cache_reload(struct ntlm_delegate_map_cache *cache,
			struct ntlm_delegate_map_error *error_r)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	unsigned int attempt;
	int fd, ret = 0;

	cache_forget(cache);
	for (attempt = 0; attempt < 3 && ret == 0; attempt++) {
		fd = open(cache->path, O_RDONLY | O_NOCTTY | O_CLOEXEC |
			  O_NONBLOCK);
		if (fd == -1) {
			sys_error(error_r, "open", errno);
			return -1;
		}
		if (fstat(fd, &st) < 0) {
			sys_error(error_r, "fstat", errno);
			close(fd);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			close(fd);
			error_r->error = "not a regular file";
			return -1;
		}
		if (st.st_size > NTLM_DELEGATE_MAP_MAX_SIZE) {
			close(fd);
			/* remembered like a parse error: not read again
			   until it changes */
			ret = -2;
			break;
		}
		ret = read_whole(fd, &st, &text, &len, error_r);
		close(fd);
		if (ret < 0)
			return -1;
	}
	if (ret == 0) {
		error_r->error = "the map kept changing while being read";
		return -1;
	}
	cache->have_identity = true;
	identity_of(&st, &cache->identity);
	/* changed within the timestamp granularity before this read: a
	   second edit might keep the size and the times; read again */
	cache->racy = recently_changed(&st);
	if (ret == -2) {
		cache->error = "the map is too large";
		cache->error_line = 0;
	} else if (map_build(text, len, &cache->map, &cache->error_line,
			     &cache->error) == 0) {
		return 1;
	}
	error_r->error = cache->error;
	error_r->line = cache->error_line;
	return -1;
}

int ntlm_delegate_map_cache_get(struct ntlm_delegate_map_cache *cache,
				const struct ntlm_delegate_map **map_r,
				struct ntlm_delegate_map_error *error_r)
{
	struct map_identity id;
	struct stat st;

	memset(error_r, 0, sizeof(*error_r));
	*map_r = NULL;
	if (stat(cache->path, &st) < 0) {
		/* a missing map grants nothing; forget the old one */
		sys_error(error_r, "stat", errno);
		cache_forget(cache);
		return -1;
	}
	identity_of(&st, &id);
	if (cache->have_identity && !cache->racy &&
	    identity_equal(&id, &cache->identity)) {
		if (cache->map == NULL) {
			error_r->error = cache->error;
			error_r->line = cache->error_line;
			return -1;
		}
		*map_r = cache->map;
		return 0;
	}
	if (cache_reload(cache, error_r) < 0)
		return -1;
	*map_r = cache->map;
	return 1;
}
