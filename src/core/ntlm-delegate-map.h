#ifndef NTLM_DELEGATE_MAP_H
#define NTLM_DELEGATE_MAP_H

/* Who may open whose mailbox: the delegate map of the "delegate" passdb,
   and turning the names of a delegate login (ntlm-delegate.h) into
   account names. The map text is checked and indexed once
   (ntlm_delegate_map_parse()): alias and grant lookups are hash-table
   probes, never a scan of the map. ntlm_delegate_map_cache keeps the
   parsed map of a file and re-reads it only when the file changed.

   The map, one entry a line:

     # comment (also after an entry)
     principal: delegate delegate ...     grant (deny by default)
     name = account                        another name of an account

   A grant line names accounts: the principal whose mailbox is opened
   and the accounts allowed to open it. Several grant lines for one
   principal add up; a principal with no names after ':' has no
   delegates. The principal "*" stands for every mailbox (for the
   operator's own master users). A "name = account" line gives an alias
   or a UPN that differs from the account name (Microsoft KB Q191558:
   never assume the alias is the account); the first line for a name
   wins and the account is not resolved again. Names are compared
   case-insensitively (ASCII). A name is 1..NTLM_DELEGATE_NAME_MAX bytes,
   none of them a control character, a space, ':', '=', '#', '/' or '\'.
   Bytes from 0x80 up (UTF-8) are allowed. */

#include "ntlm-common.h"
#include "ntlm-delegate.h"

/* Largest map accepted. 64 MiB holds 100,000 principals with 8
   delegates each even with 60-byte names (100,000 lines of about 550
   bytes: 55 MB), next to 100,000 alias lines. */
#define NTLM_DELEGATE_MAP_MAX_SIZE (64 * 1024 * 1024)
/* Most grants (principal-delegate pairs) and most alias lines accepted:
   the index costs 18 to 36 bytes per entry on top of the text (12-byte
   slots, a power-of-two table at most 2/3 full), so the largest map
   accepted stays below 64 MiB + 2 x 50 MB. */
#define NTLM_DELEGATE_MAP_MAX_ENTRIES 2000000
/* Longest name in the map or account resolved, without the NUL. */
#define NTLM_DELEGATE_NAME_MAX 255

/* A checked and indexed map (opaque). */
struct ntlm_delegate_map;

struct ntlm_delegate_names {
	/* Accepted domains, separated by commas or spaces, compared
	   case-insensitively: the leading domain of "domain/alias/..." and
	   the part after '@' of a UPN. NetBIOS and DNS names alike. */
	const char *domains;
	/* false: domains are not checked at all. */
	bool check_domain;
	/* What a UPN without a "name = account" line names: false the
	   whole UPN (accounts are addresses), true its local part, which
	   is then looked up as an alias itself. */
	bool upn_local_part;
};

/* Check the whole map text. Returns 0, or -1 with the 1-based *line_r
   (0 when the error is not on one line) and a static *error_r. A map
   that fails this must not be used at all. */
int ntlm_delegate_map_check(const char *map, size_t map_len,
			    unsigned int *line_r, const char **error_r);

/* Check and index the map text (copied). Returns 0 with *map_r, or -1
   with *line_r and a static *error_r as ntlm_delegate_map_check() (also
   "out of memory", line 0). */
int ntlm_delegate_map_parse(const char *text, size_t len,
			    struct ntlm_delegate_map **map_r,
			    unsigned int *line_r, const char **error_r);
void ntlm_delegate_map_free(struct ntlm_delegate_map **map);

/* Numbers of distinct grants (principal-delegate pairs) and of distinct
   alias names in the map. */
size_t ntlm_delegate_map_grant_count(const struct ntlm_delegate_map *map);
size_t ntlm_delegate_map_alias_count(const struct ntlm_delegate_map *map);

/* Is domain (not NUL-terminated) one of set->domains? Always true when
   set->check_domain is false. */
bool ntlm_delegate_domain_accepted(const struct ntlm_delegate_names *set,
				   const uint8_t *domain, size_t len);

/* Resolve one name, an alias or a UPN, to an account name: its
   "name = account" line if there is one, otherwise the name itself (or
   for a UPN with set->upn_local_part, its local part, resolved in turn).
   A UPN's domain must be accepted. Writes the NUL-terminated account to
   account_r. Returns 0, or -1 with a static *error_r. */
int ntlm_delegate_resolve(const struct ntlm_delegate_map *map,
			  const struct ntlm_delegate_names *set,
			  const uint8_t *name, size_t name_len,
			  char *account_r, size_t account_size,
			  const char **error_r);

/* The accounts of a parsed delegate login: checks the leading domain,
   then resolves the delegate and the principal. Returns 0, or -1 with a
   static *error_r. */
int ntlm_delegate_login_accounts(const struct ntlm_delegate_map *map,
				 const struct ntlm_delegate_names *set,
				 const struct ntlm_delegate_login *login,
				 char *delegate_r, size_t delegate_size,
				 char *principal_r, size_t principal_size,
				 const char **error_r);

/* Does a grant line give the delegate account access to the principal
   account? true only when listed (by the principal or "*"). No map
   (NULL) grants nothing. */
bool ntlm_delegate_map_allows(const struct ntlm_delegate_map *map,
			      const char *principal, const char *delegate);

/* The parsed map of one file, re-read only when the file changed: a
   stat() per lookup compares st_dev, st_ino, size, mtime and ctime (all
   with nanoseconds) with the file that was read, so both an edit in
   place and a new file moved over the path with mv are picked up at the
   next lookup. A file changed less than 100 ms before it was read is
   read again at the next lookup (a second edit within the timestamp
   granularity would otherwise go unseen). A map that fails to parse is
   remembered with its error, so it is not parsed again until it
   changes, and refuses every lookup meanwhile. */
struct ntlm_delegate_map_cache;

struct ntlm_delegate_map_error {
	/* static text */
	const char *error;
	/* the failed system call ("open", "stat", "read") with its errno,
	   or NULL */
	const char *syscall;
	int sys_errno;
	/* 1-based line of a syntax error, 0 when not on one line */
	unsigned int line;
};

/* NULL when out of memory. path is copied. */
struct ntlm_delegate_map_cache *ntlm_delegate_map_cache_init(const char *path);
void ntlm_delegate_map_cache_deinit(struct ntlm_delegate_map_cache **cache);

/* The current map: 1 when it was (re)read by this call, 0 when the
   cached one is current, -1 with *error_r when the file cannot be read
   or does not parse (then no map is usable: refuse). *map_r stays valid
   until the next call or deinit. */
int ntlm_delegate_map_cache_get(struct ntlm_delegate_map_cache *cache,
				const struct ntlm_delegate_map **map_r,
				struct ntlm_delegate_map_error *error_r);

#endif
