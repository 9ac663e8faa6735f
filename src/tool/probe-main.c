/* dovecot-ntlm-probe: the operator's side of dovecot-ntlm.

     dovecot-ntlm-probe [--pop3|--imap|--smtp] [--starttls|--tls]
                        HOST[:PORT] --user U [--domain D] ...
         log in with NTLM and report every step ([MS-OXPOP3] 3.1)
     dovecot-ntlm-probe decode BASE64|-
         pretty-print any NTLM message
     dovecot-ntlm-probe selftest
         check the crypto against [MS-NLMP] 4.2
     dovecot-ntlm-probe hash
         read a password, print its {NTLM} value

   Built only on the NTLM core (ntlm_client_*, ntlm_decode_*): there is no
   second NTLM implementation. The probe prints the server's CHALLENGE
   decoded but never a password, a hash or a response it sends; only
   their lengths.

   This file: usage, the options and the dispatch. The rest:
   probe-exchange.c (the login and its verdict), probe-pop3.c,
   probe-imap.c, probe-smtp.c (one per protocol), probe-conn.c (TCP and
   TLS), probe-line.c (the line reader), probe-dump.c (the dumper),
   probe-commands.c (decode, selftest, hash), probe-password.c,
   probe-codec.c (base64, hex, the terminal sanitizer). */

#include "dovecot-ntlm-config.h"

#include "probe.h"

#include "ntlm-crypto.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void probe_usage(FILE *out)
{
	fprintf(out,
"usage: dovecot-ntlm-probe [--pop3|--imap|--smtp] [--starttls|--tls]\n"
"                          HOST[:PORT] --user USER [--domain DOMAIN]\n"
"                          [--workstation NAME] [--variant v2|lmv2|ess|v1]\n"
"                          [--no-mic] [--password-file FILE]\n"
"                          [--cafile FILE] [--insecure] [--source ADDR]\n"
"                          [--timeout SECS] [--no-channel-binding]\n"
"                          [--target-name SPN]\n"
"       dovecot-ntlm-probe decode BASE64|-\n"
"       dovecot-ntlm-probe selftest\n"
"       dovecot-ntlm-probe hash [--password-file FILE]\n"
"\n"
"The password is read from FILE, from the environment variable\n"
"NTLM_PASSWORD, or from a prompt; never from the command line.\n"
"Exit status of a login: 0 logged in, 1 credentials refused, 2 NTLM not\n"
"offered, 3 protocol error, 4 connection or TLS error, 64 usage.\n"
"See dovecot-ntlm-probe(1).\n");
}

/* HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address. */
static int parse_target(struct probe_settings *set, const char *arg)
{
	const char *colon, *host = arg, *port = NULL;
	size_t hlen;

	if (arg[0] == '[') {
		colon = strchr(arg, ']');
		if (colon == NULL || (colon[1] != '\0' && colon[1] != ':'))
			return -1;
		host = arg + 1;
		hlen = (size_t)(colon - host);
		if (colon[1] == ':')
			port = colon + 2;
	} else if ((colon = strchr(arg, ':')) != NULL &&
		   strchr(colon + 1, ':') == NULL) {
		hlen = (size_t)(colon - arg);
		port = colon + 1;
	} else {
		hlen = strlen(arg);
	}
	if (hlen == 0 || hlen >= sizeof(set->host) ||
	    (port != NULL && (port[0] == '\0' ||
			      strlen(port) >= sizeof(set->port))))
		return -1;
	memcpy(set->host, host, hlen);
	set->host[hlen] = '\0';
	if (port != NULL)
		snprintf(set->port, sizeof(set->port), "%s", port);
	return 0;
}

enum probe_option {
	OPT_POP3 = 256, OPT_IMAP, OPT_SMTP, OPT_STARTTLS, OPT_TLS,
	OPT_INSECURE, OPT_NO_MIC, OPT_PASSWORD, OPT_USER, OPT_DOMAIN,
	OPT_WORKSTATION, OPT_PASSWORD_FILE, OPT_CAFILE, OPT_SOURCE,
	OPT_VARIANT, OPT_TIMEOUT, OPT_NO_CHANNEL_BINDING, OPT_TARGET_NAME,
};

static const struct option probe_options[] = {
	{ "pop3", no_argument, NULL, OPT_POP3 },
	{ "imap", no_argument, NULL, OPT_IMAP },
	{ "smtp", no_argument, NULL, OPT_SMTP },
	{ "starttls", no_argument, NULL, OPT_STARTTLS },
	{ "tls", no_argument, NULL, OPT_TLS },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "no-mic", no_argument, NULL, OPT_NO_MIC },
	/* only to say why not */
	{ "password", no_argument, NULL, OPT_PASSWORD },
	{ "user", required_argument, NULL, OPT_USER },
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "workstation", required_argument, NULL, OPT_WORKSTATION },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "cafile", required_argument, NULL, OPT_CAFILE },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "variant", required_argument, NULL, OPT_VARIANT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "no-channel-binding", no_argument, NULL, OPT_NO_CHANNEL_BINDING },
	{ "target-name", required_argument, NULL, OPT_TARGET_NAME },
	{ NULL, 0, NULL, 0 },
};

/* One option of a login; returns 0, or an exit code after reporting. */
static int probe_option(struct probe_settings *set, int opt, const char *arg)
{
	char *end;
	unsigned long n;

	switch (opt) {
	case OPT_POP3:
		set->proto = PROBE_POP3;
		break;
	case OPT_IMAP:
		set->proto = PROBE_IMAP;
		break;
	case OPT_SMTP:
		set->proto = PROBE_SMTP;
		break;
	case OPT_STARTTLS:
		set->tls = PROBE_TLS_STARTTLS;
		break;
	case OPT_TLS:
		set->tls = PROBE_TLS_IMPLICIT;
		break;
	case OPT_INSECURE:
		set->insecure = true;
		break;
	case OPT_NO_CHANNEL_BINDING:
		set->no_channel_binding = true;
		break;
	case OPT_TARGET_NAME:
		set->target_name = arg;
		break;
	case OPT_NO_MIC:
		set->send_mic = false;
		break;
	case OPT_PASSWORD:
		fprintf(stderr, "dovecot-ntlm-probe: no password on the "
			"command line (other users can read it): use "
			"--password-file, NTLM_PASSWORD or the prompt\n");
		return PROBE_EXIT_USAGE;
	case OPT_USER:
		set->user = arg;
		break;
	case OPT_DOMAIN:
		set->domain = arg;
		break;
	case OPT_WORKSTATION:
		set->workstation = arg;
		break;
	case OPT_PASSWORD_FILE:
		set->password_file = arg;
		break;
	case OPT_CAFILE:
		set->cafile = arg;
		break;
	case OPT_SOURCE:
		set->source = arg;
		break;
	case OPT_VARIANT:
		if (probe_variant_parse(arg, &set->variant) < 0) {
			fprintf(stderr, "dovecot-ntlm-probe: --variant is v2, "
				"lmv2, ess or v1\n");
			return PROBE_EXIT_USAGE;
		}
		break;
	case OPT_TIMEOUT:
		n = strtoul(arg, &end, 10);
		if (*end != '\0' || n == 0 || n > 3600) {
			fprintf(stderr, "dovecot-ntlm-probe: bad --timeout\n");
			return PROBE_EXIT_USAGE;
		}
		set->timeout = (unsigned int)n;
		break;
	default:
		probe_usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	return 0;
}

/* A login: argv[1..argc) are its options and HOST[:PORT]. */
static int cmd_probe(int argc, char **argv)
{
	struct probe_settings set;
	const char *target = NULL;
	int opt, ret;

	memset(&set, 0, sizeof(set));
	set.proto = PROBE_POP3;
	set.variant = NTLM_CLIENT_V2;
	set.send_mic = true;
	set.timeout = PROBE_DEFAULT_TIMEOUT;
	/* "-": HOST[:PORT] comes as opt 1, in its place among the options;
	   ":": a missing value comes as ':' */
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "-:", probe_options,
				  NULL)) != -1) {
		if (opt == 1) {
			if (target != NULL || optarg[0] == '-') {
				probe_usage(stderr);
				return PROBE_EXIT_USAGE;
			}
			target = optarg;
			continue;
		}
		if (opt == ':') {
			fprintf(stderr, "dovecot-ntlm-probe: %s needs a "
				"value\n", argv[optind - 1]);
			return PROBE_EXIT_USAGE;
		}
		if (opt == '?' && optopt == 0) {
			fprintf(stderr, "dovecot-ntlm-probe: unknown option "
				"%s\n", argv[optind - 1]);
		}
		if ((ret = probe_option(&set, opt, optarg)) != 0)
			return ret;
	}
	if (optind < argc) {
		/* arguments after "--" */
		probe_usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (target == NULL || set.user == NULL || set.user[0] == '\0') {
		fprintf(stderr, "dovecot-ntlm-probe: HOST[:PORT] and --user "
			"are required\n");
		probe_usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (set.domain != NULL && set.domain[0] == '\0')
		set.domain = NULL;
	snprintf(set.port, sizeof(set.port), "%s",
		 set.tls == PROBE_TLS_IMPLICIT ?
		 probe_proto_ops(set.proto)->tls_port :
		 probe_proto_ops(set.proto)->port);
	if (parse_target(&set, target) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: bad HOST[:PORT]: %s\n",
			target);
		return PROBE_EXIT_USAGE;
	}
	if ((set.cafile != NULL || set.insecure) &&
	    set.tls == PROBE_TLS_NONE) {
		fprintf(stderr, "dovecot-ntlm-probe: --cafile and --insecure "
			"need --starttls or --tls\n");
		return PROBE_EXIT_USAGE;
	}
	return probe_run(&set);
}

int main(int argc, char **argv)
{
	const char *error;
	int ret;

	if (argc < 2) {
		probe_usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		probe_usage(stdout);
		return PROBE_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("dovecot-ntlm-probe %s\n", PACKAGE_VERSION);
		return PROBE_EXIT_OK;
	}
	/* Every line at once, in order, even into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	(void)signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "decode") == 0)
		return probe_cmd_decode(argc - 2, argv + 2);
	if (ntlm_crypto_init(&error) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: %s\n", error);
		return PROBE_EXIT_SOFTWARE;
	}
	if (strcmp(argv[1], "selftest") == 0 && argc == 2)
		ret = probe_cmd_selftest();
	else if (strcmp(argv[1], "hash") == 0)
		ret = probe_cmd_hash(argc - 2, argv + 2);
	else
		ret = cmd_probe(argc, argv);
	ntlm_crypto_deinit();
	return ret;
}
