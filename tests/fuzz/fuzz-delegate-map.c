/* libFuzzer target: ntlm_delegate_map_parse() and the lookups on
   arbitrary bytes.

   Invariants checked: parse and ntlm_delegate_map_check() agree; a
   refused map gives no map, an error and a line no larger than the
   number of lines; an accepted map holds no more grants than half its
   size and no more aliases than its lines; every name of the input (the
   bytes between separators, as a principal, a delegate and an alias)
   looks up without fault, a resolved account is 1..255 bytes of name
   bytes, and a grant found for (p, d) is found again in other letter
   case. */

#include "fuzz-common.h"
#include "ntlm-delegate-map.h"


static bool fuzz_name_byte(uint8_t c)
{
	return c > 0x20 && c != 0x7f && c != ':' && c != '=' && c != '#' &&
		c != '/' && c != '\\';
}

static void fuzz_swap_case(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
		else if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ntlm_delegate_names names = {
		.domains = "CORP,example.com",
		.check_domain = true,
		.upn_local_part = true,
	};
	struct ntlm_delegate_map *map = NULL;
	char prev[NTLM_DELEGATE_NAME_MAX + 1] = "";
	char name[NTLM_DELEGATE_NAME_MAX + 1];
	char account[NTLM_DELEGATE_NAME_MAX + 1];
	const char *error = NULL, *error2 = NULL;
	unsigned int line = 0, line2 = 0, lines = 1, found = 0;
	size_t i, start, len, lookups = 0;
	int ret, ret2;

	fuzz_crypto_init();
	for (i = 0; i < size; i++) {
		if (data[i] == '\n')
			lines++;
	}
	ret = ntlm_delegate_map_parse((const char *)data, size, &map, &line,
				      &error);
	ret2 = ntlm_delegate_map_check((const char *)data, size, &line2,
				       &error2);
	fuzz_assert(ret == ret2);
	if (ret < 0) {
		fuzz_assert(ret == -1);
		fuzz_assert(map == NULL);
		fuzz_assert(error != NULL);
		fuzz_assert(line == line2);
		fuzz_assert(line <= lines);
		return 0;
	}
	fuzz_assert(ret == 0 && map != NULL);
	fuzz_assert(ntlm_delegate_map_grant_count(map) <= size / 2);
	fuzz_assert(ntlm_delegate_map_alias_count(map) <= lines);

	/* every name in the input, against the previous one */
	for (i = 0; i < size && lookups < 256; ) {
		while (i < size && !fuzz_name_byte(data[i]))
			i++;
		start = i;
		while (i < size && fuzz_name_byte(data[i]))
			i++;
		len = i - start;
		if (len == 0 || len > NTLM_DELEGATE_NAME_MAX)
			continue;
		memcpy(name, data + start, len);
		name[len] = '\0';
		lookups++;
		if (ntlm_delegate_resolve(map, &names, data + start, len,
					  account, sizeof(account),
					  &error) == 0) {
			fuzz_assert(strlen(account) >= 1 &&
				    strlen(account) <= NTLM_DELEGATE_NAME_MAX);
			fuzz_assert(fuzz_name_byte((uint8_t)account[0]));
		} else {
			fuzz_assert(error != NULL);
		}
		if (prev[0] != '\0' &&
		    ntlm_delegate_map_allows(map, prev, name)) {
			found++;
			fuzz_swap_case(prev);
			fuzz_swap_case(name);
			fuzz_assert(ntlm_delegate_map_allows(map, prev, name));
		}
		memcpy(prev, name, len + 1);
	}
	fuzz_assert(!ntlm_delegate_map_allows(map, "", "x"));
	fuzz_assert(!ntlm_delegate_map_allows(map, "x", ""));
	(void)found;
	ntlm_delegate_map_free(&map);
	fuzz_assert(map == NULL);
	return 0;
}
