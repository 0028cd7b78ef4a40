/* main.c: the atelier command line: check, build, merge, init, formats,
 * help.
 *
 * Exit codes: 0 clean (warnings allowed), 1 the input has errors, 2 usage
 * or I/O error. Messages go to stderr; success prints nothing unless -v. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atelier/atelier.h"
#include "atelier/emitter.h"
#include "suggest.h"
#include "buf.h"
#include "cli.h"
#include "hash.h"
#include "i18n.h"
#include "figure.h"
#include "template.h"

/* The bounds that keep a hostile file from exhausting memory or time
 * (at_limits), shared by check and build. */
#define LIMITS_HELP \
	"      --max-input=N   refuse files larger than N bytes (default 64M;\n" \
	"                      suffixes K, M, G)\n" \
	"      --max-depth=N   refuse nesting deeper than N levels (default\n" \
	"                      256, at most 4096)\n" \
	"      --max-nodes=N   refuse files that expand, aliases included, to\n" \
	"                      more than N values (default 4194304)\n" \
	"      --max-items=N   refuse sessions of more than N contributions\n" \
	"                      (default 1000000)\n" \
	"      --max-text=N    refuse a text longer than N bytes (default 1M;\n" \
	"                      suffixes K, M, G)\n" \
	"      --allow-outside-figures\n" \
	"                      read figures from anywhere, not only from the\n" \
	"                      session's folder (your own machine only)\n"

/* The budgets of one session's build, which a worker enforces. */
#define BUDGETS_HELP \
	"      --max-cpu=N     stop a session after N seconds of CPU time\n" \
	"                      (default 10, plus 1 per MiB of its file)\n" \
	"      --max-output=N  stop a session whose outputs pass N bytes\n" \
	"                      together (default 64M, plus 32 bytes per byte\n" \
	"                      of its file; suffixes K, M, G)\n"

static const char usage_main[] =
	"usage: atelier COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Turns a workshop described in YAML into its compte-rendu.\n"
	"\n"
	"commands:\n"
	"  check FILE...     check session files and report every problem\n"
	"  build FILE...     check, then write the reports (md, html, json,\n"
	"                    xlsx: see atelier formats)\n"
	"  merge DIR... -o OUT\n"
	"                    join the outputs of a folder built in shards\n"
	"                    (build --shard) into one, index and workbook\n"
	"  init [FILE]       write a commented template (default session.yaml)\n"
	"  formats           list the output formats\n"
	"  schema            print the JSON Schema of the format, for editors\n"
	"  help COMMAND      explain a command\n"
	"\n"
	"options:\n"
	"  -h, --help        this help\n"
	"  -V, --version     print the version\n"
	"      --messages=fr|en\n"
	"                    language of messages (default: the locale's)\n"
	"\n"
	"exit status: 0 no error (warnings allowed), 1 the input has errors,\n"
	"2 usage or I/O error.\n"
	"The format of session files: docs/format.md, or man atelier.\n";

static const char usage_check[] =
	"usage: atelier check [OPTIONS] FILE...\n"
	"\n"
	"Reads each session file and reports every problem found, sorted by\n"
	"position, as file:line:column: severity: message. Prints nothing\n"
	"when a file is clean. FILE '-' reads standard input, named <stdin>.\n"
	"\n"
	"options:\n"
	"  -v, --verbose       say which files are clean, with their counts\n"
	"      --werror        treat warnings as errors\n"
	"      --color=WHEN    auto (default: on a terminal, unless NO_COLOR\n"
	"                      is set), always or never\n"
	LIMITS_HELP
	"      --diagnostics=human|github|json\n"
	"                      github adds GitHub Actions annotations on\n"
	"                      stdout; json writes JSON lines on stdout\n"	"      --messages=fr|en\n"
	"                      language of messages (default: the locale's,\n"
	"                      from LANGUAGE, LC_ALL, LC_MESSAGES, LANG)\n"

	"\n"
	"exit status: 0 no error, 1 errors (or warnings with --werror),\n"
	"2 usage or I/O error.\n";

static const char usage_build[] =
	"usage: atelier build [OPTIONS] FILE|FOLDER...\n"
	"\n"
	"Checks each session file, then writes its reports named after it\n"
	"(moulins.yaml -> moulins.md, .html, .json, .xlsx: the formats marked\n"
	"* by atelier formats). FILE '-' reads standard input (reports named\n"
	"stdin.*). A file with errors gets no output at all; an output is\n"
	"only ever replaced whole.\n"
	"\n"
	"A FOLDER is searched for session files (.yaml and .yml files with a\n"
	"top-level 'atelier:' key; hidden folders skipped) and built into OUT\n"
	"mirroring the tree, incrementally, with OUT/index.md and\n"
	"OUT/index.html linking every report. A broken session does not stop\n"
	"the others; a summary line ends the build. More: man atelier,\n"
	"docs/ci.md.\n"
	"\n";

/* The build options apart: one string literal may hold 4095 bytes. */
static const char usage_build_options[] =
	"options:\n"
	"  -o, --output=DIR    write into DIR, created if missing (default:\n"
	"                      beside each input); '-' writes the one\n"
	"                      format given to stdout\n"
	"  -f, --formats=LIST  comma-separated formats (default: every\n"
	"                      document format; see atelier formats)\n"
	"  -j, --jobs=N        build N sessions at once (default: one per\n"
	"                      processor); the outputs do not depend on N\n"
	"      --force         rebuild everything, changed or not\n"
	"      --prune         remove the reports of sessions deleted since\n"
	"                      the last build\n"
	"      --shard=K/N     build only the K-th of N parts of a folder's\n"
	"                      sessions (a session always falls in the same\n"
	"                      part), without index or workbook: one job of a\n"
	"                      CI matrix; atelier merge joins the parts\n"
	"      --depfile=FILE  write make-style dependencies of the outputs\n"
	"                      (their session and figures); names with a\n"
	"                      control character are refused\n"
	"      --watch         rebuild whenever an input changes, until\n"
	"                      interrupted (needs Linux's inotify)\n"
	"      --lang=fr|en    language of the report (default: the session's)\n"
	"                      and of a folder's index and workbook (default:\n"
	"                      the sessions' when they agree, else French)\n"
	"      --front-matter  md: start with YAML front matter\n"
	"      --unsafe        md: let raw HTML written in the session through\n"
	"      --csv=rfc4180|excel\n"
	"                      csv: RFC 4180 (default: comma, no byte-order\n"
	"                      mark, for tools), or what Excel opens right\n"
	"                      (byte-order mark, ';' when the labels are\n"
	"                      French)\n"
	"      --csv-bom       csv: RFC 4180 with a UTF-8 byte-order mark\n"
	"      --figure-size=PX\n"
	"                      scale figures so that their long side is at\n"
	"                      most PX pixels (default 1600; 0: not scaled);\n"
	"                      they are always turned upright and stripped\n"
	"                      of their metadata (EXIF, GPS...)\n"
	"      --max-figure-pixels=N\n"
	"                      refuse a figure of more than N pixels, from\n"
	"                      its header (default 268435456)\n"
	"      --diagnostics=human|github|json\n"
	"                      github adds GitHub Actions annotations on\n"
	"                      stdout; json writes one JSON object per\n"
	"                      diagnostic on stdout instead\n"
	"      --messages=fr|en\n"
	"                      language of messages (default: the locale's,\n"
	"                      from LANGUAGE, LC_ALL, LC_MESSAGES, LANG)\n"
		"  -v, --verbose       name each file written, up to date or skipped\n"
	"                      (a build is otherwise quiet)\n"
	"      --werror        treat warnings as errors\n"
	"      --color=WHEN    auto, always or never\n"
	LIMITS_HELP
	BUDGETS_HELP
	"\n"
	"SOURCE_DATE_EPOCH, when set, fixes the timestamps inside files; a\n"
	"value that is not a number of seconds is an error.\n"
	"exit status: 0 built, 1 an input has errors, 2 usage or I/O error.\n";

static const char usage_init[] =
	"usage: atelier init [--lang=fr|en] [FILE]\n"
	"\n"
	"Writes a commented template of a two-question workshop (rotation,\n"
	"then sub-groups) to FILE (default session.yaml; '-' for stdout).\n"
	"Refuses to overwrite an existing file. The template passes check.\n"
	"\n"
	"options:\n"
	"      --lang=fr|en    the template's language (comments, examples,\n"
	"                      the report's headings); default: the language\n"
	"                      of messages (the locale, or --messages)\n";

static const char usage_formats[] =
	"usage: atelier formats\n"
	"\n"
	"Lists the output formats build can write, with a one-line\n"
	"description; '*' marks those built by default.\n";

static const char usage_schema[] =
	"usage: atelier schema\n"
	"\n"
	"Prints the JSON Schema (draft-07) of the session format, so that an\n"
	"editor with a YAML language server completes and checks session files\n"
	"as they are typed. atelier check remains the reference: some rules\n"
	"(references, dates, figures) are beyond a schema.\n";

static const char usage_merge[] =
	"usage: atelier merge [OPTIONS] DIR... -o OUT\n"
	"\n"
	"Joins the outputs of a folder built in parts (atelier build --shard\n"
	"K/N, one DIR per part, as a CI matrix's jobs leave them) into OUT:\n"
	"every report copied, then OUT/index.md, OUT/index.html and, with the\n"
	"xlsx format, OUT/contributions.xlsx made from what the parts recorded,\n"
	"without reading a session again. OUT ends as one build of the whole\n"
	"folder would leave it; the reports of sessions no part has any more\n"
	"are removed.\n"
	"\n"
	"options:\n"
	"  -o, --output=OUT    the folder to write (required)\n"
	"      --lang=fr|en    language of the index and workbook (default: the\n"
	"                      sessions' when they agree, else French)\n"
	"  -v, --verbose       name each file written\n"
	"      --color=WHEN    auto, always or never\n"
	"\n"
	"exit status: 0 joined, 2 usage or I/O error, or parts that do not\n"
	"belong together (built with other options, or a session in two).\n";

static const char *const commands[] = {"check", "build", "merge", "init",
				       "formats", "schema", "help"};

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("atelier: ", stderr);
	vfprintf(stderr, _(fmt), ap);
	va_end(ap);
	fputs(_("\n(see 'atelier --help')\n"), stderr);
	return AT_EXIT_USAGE;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		return -1;
	unsigned long long mul = 1;
	if (*end == 'K' || *end == 'k')
		mul = 1ull << 10, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1ull << 20, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1ull << 30, end++;
	if (*end || v > SIZE_MAX / mul)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

/* A count: digits only, from 1 to max. */
static int parse_count(const char *s, size_t max, size_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno || v < 1 || v > max)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int cmd_check(const at_cli *c, int argc, char **argv)
{
	if (argc == 0)
		return usage_error("check needs at least one FILE");
	int rc = 0;
	for (int i = 0; i < argc; i++) {
		int r = at_cli_check_file(c, argv[i], stderr, stdout, NULL, NULL);
		rc = r > rc ? r : rc;
	}
	return rc;
}

/* ---- init, formats, help ---- */

static int cmd_init(int argc, char **argv, int lang)
{
	if (argc > 1)
		return usage_error("init takes one FILE at most");
	const char *path = argc ? argv[0] : "session.yaml";
	if (lang < 0)
		lang = strcmp(at_i18n_lang(), "fr") == 0 ? AT_LANG_FR
							  : AT_LANG_EN;
	const char *tmpl = lang == AT_LANG_FR
				   ? (const char *)at_template_fr_yaml
				   : (const char *)at_template_yaml;
	size_t len = strlen(tmpl);
	if (strcmp(path, "-") == 0) {
		if (fwrite(tmpl, 1, len, stdout) != len ||
		    fflush(stdout) != 0) {
			perror("atelier: standard output");
			return AT_EXIT_USAGE;
		}
		return 0;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			fprintf(stderr,
				_("atelier: %s exists already: not overwritten "
				  "(choose another name)\n"),
				path);
		else
			fprintf(stderr, _("atelier: cannot create %s: %s\n"),
				path, strerror(errno));
		return AT_EXIT_USAGE;
	}
	ssize_t w = write(fd, tmpl, len);
	if (w < 0 || (size_t)w != len || close(fd) != 0) {
		fprintf(stderr, _("atelier: cannot write %s: %s\n"), path,
			strerror(errno));
		unlink(path);
		return AT_EXIT_USAGE;
	}
	fprintf(stderr, _("wrote %s: fill it in, then run 'atelier check %s'\n"),
		path, path);
	return 0;
}

static int print_text(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
		perror("atelier: standard output");
		return AT_EXIT_USAGE;
	}
	return 0;
}

static int cmd_formats(void)
{
	size_t n;
	const at_emitter *const *all = at_emitters(&n);
	for (size_t i = 0; i < n; i++)
		printf("%-6s %c %s\n", all[i]->name, all[i]->flags & AT_EMITTER_DOCUMENT ? '*' : ' ',
		       all[i]->description);
	return 0;
}

/* A command's help: its text, then more of it (or NULL). */
typedef struct usage_text {
	const char *cmd, *text, *more;
} usage_text;

static const usage_text usages[] = {
	{"check", usage_check, NULL},
	{"build", usage_build, usage_build_options},
	{"merge", usage_merge, NULL},
	{"init", usage_init, NULL},
	{"formats", usage_formats, NULL},
	{"schema", usage_schema, NULL},
	{"help", usage_main, NULL},
};

static const usage_text *usage_of(const char *cmd)
{
	for (size_t i = 0; i < sizeof usages / sizeof usages[0]; i++)
		if (strcmp(cmd, usages[i].cmd) == 0)
			return &usages[i];
	return NULL;
}

static void print_usage(const usage_text *u)
{
	fputs(u->text, stdout);
	if (u->more)
		fputs(u->more, stdout);
}

static int unknown_command(const char *cmd)
{
	const char *hint = at_suggest(cmd, commands,
				      sizeof commands / sizeof commands[0]);
	fprintf(stderr, _("atelier: unknown command '%s'"), cmd);
	if (hint)
		fprintf(stderr, _(" (did you mean '%s'?)"), hint);
	fputs(_("\n(see 'atelier --help')\n"), stderr);
	return AT_EXIT_USAGE;
}

static int cmd_help(int argc, char **argv)
{
	if (argc == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	const usage_text *u = usage_of(argv[0]);
	if (!u)
		return unknown_command(argv[0]);
	print_usage(u);
	return 0;
}

enum {
	OPT_WERROR = 256,
	OPT_COLOR,
	OPT_MAX_INPUT,
	OPT_MAX_DEPTH,
	OPT_MAX_NODES,
	OPT_MAX_ITEMS,
	OPT_MAX_TEXT,
	OPT_LANG,
	OPT_FRONT_MATTER,
	OPT_UNSAFE,
	OPT_CSV_BOM,
	OPT_CSV,
	OPT_DIAGNOSTICS,
	OPT_FORCE,
	OPT_PRUNE,
	OPT_SHARD,
	OPT_DEPFILE,
	OPT_WATCH,
	OPT_MAX_CPU,
	OPT_MAX_OUTPUT,
	OPT_ANY_FIGURE,
	OPT_MESSAGES,
	OPT_FIGURE_SIZE,
	OPT_FIGURE_PIXELS
};

static const struct option long_opts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"verbose", no_argument, NULL, 'v'},
	{"output", required_argument, NULL, 'o'},
	{"formats", required_argument, NULL, 'f'},
	{"jobs", required_argument, NULL, 'j'},
	{"werror", no_argument, NULL, OPT_WERROR},
	{"color", required_argument, NULL, OPT_COLOR},
	{"max-input", required_argument, NULL, OPT_MAX_INPUT},
	{"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
	{"max-nodes", required_argument, NULL, OPT_MAX_NODES},
	{"max-items", required_argument, NULL, OPT_MAX_ITEMS},
	{"max-text", required_argument, NULL, OPT_MAX_TEXT},
	{"diagnostics", required_argument, NULL, OPT_DIAGNOSTICS},
	{"lang", required_argument, NULL, OPT_LANG},
	{"front-matter", no_argument, NULL, OPT_FRONT_MATTER},
	{"unsafe", no_argument, NULL, OPT_UNSAFE},
	{"csv-bom", no_argument, NULL, OPT_CSV_BOM},
	{"csv", required_argument, NULL, OPT_CSV},
	{"force", no_argument, NULL, OPT_FORCE},
	{"prune", no_argument, NULL, OPT_PRUNE},
	{"shard", required_argument, NULL, OPT_SHARD},
	{"depfile", required_argument, NULL, OPT_DEPFILE},
	{"watch", no_argument, NULL, OPT_WATCH},
	{"max-cpu", required_argument, NULL, OPT_MAX_CPU},
	{"max-output", required_argument, NULL, OPT_MAX_OUTPUT},
	{"allow-outside-figures", no_argument, NULL, OPT_ANY_FIGURE},
	{"messages", required_argument, NULL, OPT_MESSAGES},
	{"figure-size", required_argument, NULL, OPT_FIGURE_SIZE},
	{"max-figure-pixels", required_argument, NULL, OPT_FIGURE_PIXELS},
	{NULL, 0, NULL, 0}};

/* The options of long_opts that change neither a report, nor a
 * diagnostic, nor the exit status of a session's build (they choose where
 * outputs go, how diagnostics are shown, how the work is run). Every
 * other option, one added later included, takes part in the options key
 * (at_cli.options_key): a folder build run with another value rebuilds
 * what the last build made, rather than keep reports, warnings or a
 * success that the new value would change. */
static const char *const unkeyed_opts[] = {
	"help",  "version",	"verbose", "output", "jobs", "color",
	"force", "diagnostics", "prune",   "depfile", "watch", "shard"};

static int keyed(const char *name)
{
	for (size_t i = 0; i < sizeof unkeyed_opts / sizeof *unkeyed_opts; i++)
		if (strcmp(unkeyed_opts[i], name) == 0)
			return 0;
	return 1;
}

#define N_OPTS (sizeof long_opts / sizeof *long_opts)

/* What atelier merge takes: it copies and joins, it builds nothing. */
static int merge_takes(const char *name)
{
	static const char *const takes[] = {"output", "lang", "verbose",
					    "color", "messages"};
	for (size_t i = 0; i < sizeof takes / sizeof *takes; i++)
		if (strcmp(takes[i], name) == 0)
			return 1;
	return 0;
}

/* Remembers opt's value (the last one given wins, as when parsed). */
static void note_option(const char **given, int opt, const char *arg)
{
	for (size_t i = 0; i + 1 < N_OPTS; i++)
		if (long_opts[i].val == opt) {
			given[i] = arg ? arg : "";
			return;
		}
}

/* "name=value" of each keyed option given, in the table's order: the same
 * options give the same key whatever their order on the command line. */
static uint64_t options_key(const char *const *given)
{
	at_buf k;
	at_buf_init(&k);
	for (size_t i = 0; i + 1 < N_OPTS; i++)
		if (given[i] && keyed(long_opts[i].name))
			at_buf_printf(&k, "%s=%s\n", long_opts[i].name,
				      given[i]);
	uint64_t h = at_hash_bytes(at_buf_cstr(&k), k.len);
	at_buf_free(&k);
	return h;
}

static int print_version(void)
{
	printf("atelier %s (format %d)\n", ATELIER_VERSION,
	       ATELIER_FORMAT_VERSION);
	return 0;
}

/* The largest --figure-size: libvips' own limit is far above. */
#define FIGURE_SIZE_MAX 65535

/* Items, sections and texts are walked recursively: the depth limit also
 * bounds the stack, and past this many levels 8 MiB of it may not do. */
#define MAX_DEPTH_CAP 4096

/* --max-*: 1 handled, 0 not one of them, <0 the exit code of a usage
 * error. */
static int limit_option(at_limits *l, int opt, const char *arg)
{
	switch (opt) {
	case OPT_MAX_INPUT:
		if (parse_size(arg, &l->max_input))
			return -usage_error("--max-input takes a size such as "
					    "64M, not '%s'",
					    arg);
		return 1;
	case OPT_MAX_TEXT:
		if (parse_size(arg, &l->max_text))
			return -usage_error("--max-text takes a size such as "
					    "1M, not '%s'",
					    arg);
		return 1;
	case OPT_MAX_DEPTH:
		if (parse_count(arg, MAX_DEPTH_CAP, &l->max_depth))
			return -usage_error("--max-depth takes a number of "
					    "levels from 1 to %d, not '%s'",
					    MAX_DEPTH_CAP, arg);
		return 1;
	case OPT_MAX_NODES:
		if (parse_count(arg, SIZE_MAX, &l->max_nodes))
			return -usage_error("--max-nodes takes a number of "
					    "values, not '%s'",
					    arg);
		return 1;
	case OPT_ANY_FIGURE:
		l->figures_anywhere = 1;
		return 1;
	case OPT_MAX_ITEMS:
		if (parse_count(arg, SIZE_MAX, &l->max_items))
			return -usage_error("--max-items takes a number of "
					    "contributions, not '%s'",
					    arg);
		return 1;
	}
	return 0;
}

/* Options every command takes. 1: handled, 0: not one of them, <0: the
 * exit code of a usage error. */
static int common_option(at_cli *c, int opt, const char *arg)
{
	int r = limit_option(&c->limits, opt, arg);
	if (r)
		return r;
	switch (opt) {
	case 'v':
		c->verbose = 1;
		return 1;
	case OPT_MESSAGES: /* applied before the options: see messages_option */
		return 1;
	case OPT_WERROR:
		c->werror = 1;
		return 1;
	case OPT_COLOR:
		if (strcmp(arg, "always") == 0)
			c->color = 1;
		else if (strcmp(arg, "never") == 0)
			c->color = 0;
		else if (strcmp(arg, "auto") == 0)
			c->color = -1;
		else
			return -usage_error("--color takes auto, always or "
					    "never, not '%s'",
					    arg);
		return 1;
	case OPT_DIAGNOSTICS:
		if (strcmp(arg, "human") == 0)
			c->diag_format = AT_DIAGS_HUMAN;
		else if (strcmp(arg, "github") == 0)
			c->diag_format = AT_DIAGS_GITHUB;
		else if (strcmp(arg, "json") == 0)
			c->diag_format = AT_DIAGS_JSON;
		else
			return -usage_error("--diagnostics takes human, github "
					    "or json, not '%s'",
					    arg);
		return 1;
	}
	return 0;
}

/* --shard K/N, 1 <= K <= N <= AT_SHARDS_MAX. */
static int parse_shard(at_cli *c, const char *arg)
{
	size_t k, n;
	const char *slash = strchr(arg, '/');
	char head[16];
	if (!slash || (size_t)(slash - arg) >= sizeof head)
		k = 0;
	else {
		memcpy(head, arg, (size_t)(slash - arg));
		head[slash - arg] = '\0';
		if (parse_count(head, AT_SHARDS_MAX, &k) ||
		    parse_count(slash + 1, AT_SHARDS_MAX, &n) || k > n)
			k = 0;
	}
	if (!k)
		return -usage_error("--shard takes K/N, the part K of N (1 <= K "
				    "<= N <= %d), not '%s'",
				    AT_SHARDS_MAX, arg);
	c->shard_k = (unsigned)k;
	c->shard_n = (unsigned)n;
	return 1;
}

/* --figure-size and --max-figure-pixels: 1 handled, 0 not one of them,
 * <0 the exit code of a usage error. */
static int figure_option(at_cli *c, int opt, const char *arg)
{
	size_t v = 0; /* stays 0 for --figure-size=0 */
	if (opt == OPT_FIGURE_SIZE) {
		if (strcmp(arg, "0") != 0 && parse_count(arg, FIGURE_SIZE_MAX, &v))
			return -usage_error("--figure-size takes a number of "
					    "pixels from 0 to %d, not '%s'",
					    FIGURE_SIZE_MAX, arg);
		c->figure_size = (unsigned)v;
		return 1;
	}
	if (opt != OPT_FIGURE_PIXELS)
		return 0;
	if (parse_count(arg, SIZE_MAX, &v))
		return -usage_error("--max-figure-pixels takes a number of "
				    "pixels, not '%s'",
				    arg);
	c->figure_pixels = v;
	return 1;
}

/* Options of build only. */
static int build_option(at_cli *c, int opt, const char *arg)
{
	char *end;
	int r = figure_option(c, opt, arg);
	if (r)
		return r;
	switch (opt) {
	case 'o':
		c->out_dir = arg;
		return 1;
	case 'f':
		c->formats = arg;
		return 1;
	case 'j':
		c->jobs = (int)strtol(arg, &end, 10);
		if (*end || c->jobs < 1 || c->jobs > 64)
			return -usage_error("-j takes a number of jobs from 1 "
					    "to 64, not '%s'",
					    arg);
		return 1;
	case OPT_LANG:
		if (strcmp(arg, "fr") == 0)
			c->lang = AT_LANG_FR;
		else if (strcmp(arg, "en") == 0)
			c->lang = AT_LANG_EN;
		else
			return -usage_error("--lang takes fr or en, not '%s'",
					    arg);
		return 1;
	case OPT_FRONT_MATTER:
		c->front_matter = 1;
		return 1;
	case OPT_UNSAFE:
		c->unsafe = 1;
		return 1;
	case OPT_CSV_BOM:
		c->csv = AT_CSV_RFC4180_BOM;
		return 1;
	case OPT_CSV:
		if (strcmp(arg, "rfc4180") == 0)
			c->csv = AT_CSV_RFC4180;
		else if (strcmp(arg, "excel") == 0)
			c->csv = AT_CSV_EXCEL;
		else
			return -usage_error("--csv takes rfc4180 or excel, not "
					    "'%s'",
					    arg);
		return 1;
	case OPT_FORCE:
		c->force = 1;
		return 1;
	case OPT_PRUNE:
		c->prune = 1;
		return 1;
	case OPT_SHARD:
		return parse_shard(c, arg);
	case OPT_DEPFILE:
		c->depfile = arg;
		return 1;
	case OPT_WATCH:
		c->watch = 1;
		return 1;
	case OPT_MAX_CPU:
		if (parse_count(arg, 1000000, &c->limits.max_cpu))
			return -usage_error("--max-cpu takes seconds, from 1, "
					    "not '%s'",
					    arg);
		return 1;
	case OPT_MAX_OUTPUT:
		if (parse_size(arg, &c->limits.max_output) ||
		    !c->limits.max_output)
			return -usage_error("--max-output takes a size such as "
					    "512M, not '%s'",
					    arg);
		return 1;
	}
	return 0;
}

/* --messages=fr|en, looked for before the options are read, so that
 * their own errors are in that language; NULL when not given. */
static const char *messages_option(int argc, char **argv)
{
	const char *lang = NULL;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--messages=", 11) == 0)
			lang = argv[i] + 11;
		else if (strcmp(argv[i], "--messages") == 0 && i + 1 < argc)
			lang = argv[++i];
	}
	return lang;
}

int main(int argc, char **argv)
{
	const char *messages = messages_option(argc, argv);
	if (at_i18n_init(messages) != 0) {
		at_i18n_init(NULL);
		return usage_error("--messages takes fr or en, not '%s'",
				   messages);
	}
	at_cli c;
	memset(&c, 0, sizeof c);
	c.color = -1;
	c.lang = -1;
	c.figure_size = AT_FIGURE_SIZE_DEFAULT;
	c.figure_pixels = AT_FIGURE_PIXELS_DEFAULT;
	at_limits_default(&c.limits);

	if (argc < 2) {
		fputs(usage_main, stderr);
		return AT_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
		return print_version();
	const usage_text *usage = usage_of(cmd);
	if (!usage)
		return unknown_command(cmd);
	int is_build = strcmp(cmd, "build") == 0;
	int is_merge = strcmp(cmd, "merge") == 0; /* build's -o, --lang */
	int is_init = strcmp(cmd, "init") == 0; /* takes --lang too */

	/* Options after the command; getopt sees argv[1..] as its program. */
	char **av = argv + 1;
	int opt;
	const char *given[N_OPTS] = {NULL};
	opterr = 0;
	while ((opt = getopt_long(argc - 1, av, ":hVvo:f:j:", long_opts,
				  NULL)) != -1) {
		if (opt == 'h') {
			print_usage(usage);
			return 0;
		}
		if (opt == 'V')
			return print_version();
		if (opt == ':')
			return usage_error("option '%s' needs a value",
					   av[optind - 1]);
		note_option(given, opt, optarg);
		int r = common_option(&c, opt, optarg);
		if (r < 0)
			return -r;
		if (r)
			continue;
		r = is_build || is_merge ? build_option(&c, opt, optarg)
		    : is_init && opt == OPT_LANG ? build_option(&c, opt, optarg)
						 : 0;
		if (r < 0)
			return -r;
		if (r)
			continue;
		/* Known, not common: every such option is build's. */
		if (opt != '?')
			return usage_error("this option belongs to 'atelier "
					   "build', not '%s'",
					   cmd);
		return usage_error("unknown option '%s'", av[optind - 1]);
	}
	for (size_t i = 0; is_merge && i + 1 < N_OPTS; i++)
		if (given[i] && !merge_takes(long_opts[i].name))
			return usage_error("this option belongs to 'atelier "
					   "build', not '%s'",
					   cmd);
	c.options_key = options_key(given);
	int rest = argc - 1 - optind;
	char **args = av + optind;
	int stdin_args = 0;
	for (int i = 0; i < rest; i++)
		stdin_args += strcmp(args[i], "-") == 0;
	if (stdin_args > 1 && strcmp(cmd, "init") != 0)
		return usage_error("'-' (standard input) can be read only once");
	long long epoch;
	if (is_build && at_cli_source_date_epoch(&epoch) < 0)
		return usage_error("SOURCE_DATE_EPOCH must be a whole number of "
				   "seconds since 1970-01-01, not '%s'",
				   getenv("SOURCE_DATE_EPOCH"));
	if (strcmp(cmd, "check") == 0)
		return cmd_check(&c, rest, args);
	if (is_build) {
		int rc = c.watch ? at_cmd_watch(&c, rest, args)
				 : at_cmd_build(&c, rest, args);
		at_figure_shutdown();
		return rc;
	}
	if (is_merge)
		return at_cmd_merge(&c, rest, args);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(rest, args, c.lang);
	if (strcmp(cmd, "formats") == 0)
		return rest ? usage_error("formats takes no argument")
			    : cmd_formats();
	if (strcmp(cmd, "schema") == 0)
		return rest ? usage_error("schema takes no argument")
			    : print_text((const char *)at_schema_json);
	return cmd_help(rest, args);
}
