/* main.c: the atelier command line: check, build, init, formats, help.
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
#include "bind.h"
#include "output.h"
#include "template.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef struct cli {
	int verbose;
	int werror;
	int color;        /* -1 auto */
	at_limits limits;
	/* build */
	const char *out_dir;
	const char *formats;
	int lang;         /* -1: the session's */
	int front_matter, unsafe, csv_bom;
} cli;

static const char usage_main[] =
	"usage: atelier COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Turns a workshop described in YAML into its compte-rendu.\n"
	"\n"
	"commands:\n"
	"  check FILE...     check session files and report every problem\n"
	"  build FILE...     check, then write the reports (md, html, json)\n"
	"  init [FILE]       write a commented template (default session.yaml)\n"
	"  formats           list the output formats\n"
	"  schema            print the JSON Schema of the format, for editors\n"
	"  help COMMAND      explain a command\n"
	"\n"
	"options:\n"
	"  -h, --help        this help\n"
	"  -V, --version     print the version\n"
	"\n"
	"exit status: 0 no error (warnings allowed), 1 the input has errors,\n"
	"2 usage or I/O error.\n"
	"The format of session files: docs/format.md, or man atelier.\n";

static const char usage_check[] =
	"usage: atelier check [OPTIONS] FILE...\n"
	"\n"
	"Reads each session file and reports every problem found, sorted by\n"
	"position, as file:line:column: severity: message. Prints nothing\n"
	"when a file is clean.\n"
	"\n"
	"options:\n"
	"  -v, --verbose       say which files are clean, with their counts\n"
	"      --werror        treat warnings as errors\n"
	"      --color=WHEN    auto (default: on a terminal, unless NO_COLOR\n"
	"                      is set), always or never\n"
	"      --max-input=N   refuse files larger than N bytes (default 64M;\n"
	"                      suffixes K, M, G)\n"
	"\n"
	"exit status: 0 no error, 1 errors (or warnings with --werror),\n"
	"2 usage or I/O error.\n";

static const char usage_build[] =
	"usage: atelier build [OPTIONS] FILE...\n"
	"\n"
	"Checks each session file, then writes its reports, named after it\n"
	"(moulins.yaml -> moulins.md, moulins.html, ...). A file with errors\n"
	"gets no output at all. Outputs are replaced atomically: a failure\n"
	"never leaves a half-written report.\n"
	"\n"
	"options:\n"
	"  -o, --output=DIR    write into DIR (default: beside each input);\n"
	"                      '-' writes the one format given to stdout\n"
	"  -f, --formats=LIST  comma-separated formats (default: every\n"
	"                      document format; see atelier formats)\n"
	"      --lang=fr|en    language of the report (default: the session's)\n"
	"      --front-matter  md: start with YAML front matter\n"
	"      --unsafe        md: let raw HTML written in the session through\n"
	"      --csv-bom       csv: start with a UTF-8 byte-order mark\n"
	"  -v, --verbose       name each file written\n"
	"      --werror        treat warnings as errors\n"
	"      --color=WHEN    auto, always or never\n"
	"      --max-input=N   refuse files larger than N bytes\n"
	"\n"
	"SOURCE_DATE_EPOCH, when set, fixes the timestamps inside files.\n"
	"exit status: 0 built, 1 an input has errors, 2 usage or I/O error.\n";

static const char usage_init[] =
	"usage: atelier init [FILE]\n"
	"\n"
	"Writes a commented template of a two-question workshop (rotation,\n"
	"then sub-groups) to FILE (default session.yaml; '-' for stdout).\n"
	"Refuses to overwrite an existing file. The template passes check.\n";

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

static const char *const commands[] = {"check", "build", "init", "formats",
				       "schema", "help"};

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("atelier: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see 'atelier --help')\n", stderr);
	return EXIT_USAGE;
}

static int want_color(const cli *c)
{
	if (c->color >= 0)
		return c->color;
	const char *no = getenv("NO_COLOR");
	if (no && *no)
		return 0;
	return isatty(STDERR_FILENO);
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

/* Loads and checks one file, prints its diagnostics, and hands back the
 * document when it may be emitted. Returns the exit code for this file. */
static int check_one(const cli *c, const char *path, at_document **keep)
{
	at_diags d;
	at_diags_init(&d);
	at_document *doc = NULL;
	at_status st = at_document_load_file(path, &c->limits, &doc, &d);
	if (c->werror)
		at_diags_promote_warnings(&d);
	at_diags_sort(&d);
	size_t len;
	const char *src = at_document_source(doc, &len);
	at_render_opts ro = {want_color(c), 1};
	at_diags_render(&d, stderr, path, src, len, &ro);
	int rc = 0;
	if (st == AT_EIO || st == AT_ENOMEM)
		rc = EXIT_USAGE;
	else if (at_diags_has_errors(&d) || !at_document_session(doc))
		rc = EXIT_INPUT;
	if (rc == 0 && c->verbose) {
		const at_session *s = at_document_session(doc);
		fprintf(stderr, "%s: ok (%zu contributions, %zu warnings)\n",
			path, at_session_count(s), d.warnings);
	}
	at_diags_free(&d);
	if (rc == 0 && keep)
		*keep = doc;
	else
		at_document_free(doc);
	return rc;
}

static int worst(int a, int b)
{
	return a > b ? a : b;
}

static int cmd_check(const cli *c, int argc, char **argv)
{
	if (argc == 0)
		return usage_error("check needs at least one FILE");
	int rc = 0;
	for (int i = 0; i < argc; i++)
		rc = worst(rc, check_one(c, argv[i], NULL));
	return rc;
}

/* ---- build ---- */

static long long timestamp_for(const at_session *s)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (e && *e) {
		char *end;
		errno = 0;
		long long v = strtoll(e, &end, 10);
		if (!*end && !errno && v >= 0)
			return v;
	}
	/* The session's date at noon UTC: the same input, the same bytes.
	 * Days from the civil date (H. Hinnant's algorithm): timegm is not
	 * standard C and mktime would apply the local time zone. */
	int y = s->date.year - (s->date.month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned mp = (unsigned)(s->date.month + (s->date.month > 2 ? -3 : 9));
	unsigned doy = (153 * mp + 2) / 5 + (unsigned)s->date.day - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = (long long)era * 146097 + (long long)doe - 719468;
	return days * 86400 + 12 * 3600;
}

/* "dir/moulins.yaml" -> "moulins" (malloc'd). */
static char *stem_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, base, n);
		s[n] = '\0';
	}
	return s;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* The emitters to run, from -f or the default set. */
static int select_formats(const cli *c, const at_emitter **sel, size_t *n)
{
	size_t count;
	const at_emitter *const *all = at_emitters(&count);
	*n = 0;
	if (!c->formats) {
		for (size_t i = 0; i < count; i++)
			if (all[i]->document)
				sel[(*n)++] = all[i];
		return 0;
	}
	char *list = strdup(c->formats);
	if (!list)
		return -1;
	int rc = 0;
	for (char *save, *tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const at_emitter *e = at_emitter_find(tok);
		if (!e) {
			const char *names[32];
			for (size_t i = 0; i < count && i < 32; i++)
				names[i] = all[i]->name;
			const char *hint = at_suggest(tok, names, count);
			fprintf(stderr, "atelier: unknown format '%s'", tok);
			if (hint)
				fprintf(stderr, " (did you mean '%s'?)", hint);
			fputs(": see 'atelier formats'\n", stderr);
			rc = -1;
			break;
		}
		int dup = 0;
		for (size_t i = 0; i < *n; i++)
			dup |= sel[i] == e;
		if (!dup && *n < 32)
			sel[(*n)++] = e;
	}
	free(list);
	return rc;
}

static int build_one(const cli *c, const char *path, const at_emitter **sel,
		     size_t n_sel)
{
	at_document *doc = NULL;
	int rc = check_one(c, path, &doc);
	if (rc)
		return rc;
	const at_session *s = at_document_session(doc);
	int to_stdout = c->out_dir && strcmp(c->out_dir, "-") == 0;
	char *dir = to_stdout ? NULL
			      : c->out_dir ? strdup(c->out_dir) : dir_of(path);
	char *stem = stem_of(path);
	at_output outs[32];
	memset(outs, 0, sizeof outs);
	if ((!to_stdout && !dir) || !stem) {
		fputs("atelier: out of memory\n", stderr);
		rc = EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < n_sel; i++) {
		outs[i].emitter = sel[i];
		if (to_stdout)
			continue;
		size_t len = strlen(dir) + strlen(stem) + strlen(sel[i]->ext) + 3;
		outs[i].path = malloc(len);
		if (!outs[i].path) {
			rc = EXIT_USAGE;
			goto done;
		}
		snprintf(outs[i].path, len, "%s/%s.%s", dir, stem, sel[i]->ext);
	}
	at_emit_options o;
	memset(&o, 0, sizeof o);
	o.lang = c->lang >= 0 ? (at_lang)c->lang : s->lang;
	o.front_matter = c->front_matter;
	o.unsafe = c->unsafe;
	o.csv_bom = c->csv_bom;
	o.out_dir = dir;
	o.timestamp = timestamp_for(s);
	at_diags d;
	at_diags_init(&d);
	at_status st = at_outputs_write(s, outs, n_sel, &o, &d);
	at_diags_sort(&d);
	size_t len;
	const char *src = at_document_source(doc, &len);
	at_render_opts ro = {want_color(c), 1};
	at_diags_render(&d, stderr, path, src, len, &ro);
	at_diags_free(&d);
	if (st == AT_EINPUT)
		rc = EXIT_INPUT;
	else if (st != AT_OK)
		rc = EXIT_USAGE;
	else if (c->verbose)
		for (size_t i = 0; i < n_sel; i++)
			if (outs[i].path)
				fprintf(stderr, "wrote %s\n", outs[i].path);
done:
	for (size_t i = 0; i < n_sel; i++)
		free(outs[i].path);
	free(stem);
	free(dir);
	at_document_free(doc);
	return rc;
}

/* Two inputs named alike (a/x.yaml, b/x.yaml into one -o) would overwrite
 * each other's reports: refuse before writing anything. */
static int check_collisions(const cli *c, int argc, char **argv)
{
	if (!c->out_dir || strcmp(c->out_dir, "-") == 0)
		return 0;
	for (int i = 0; i < argc; i++)
		for (int j = 0; j < i; j++) {
			char *a = stem_of(argv[i]), *b = stem_of(argv[j]);
			int same = a && b && strcmp(a, b) == 0;
			free(a);
			free(b);
			if (same) {
				fprintf(stderr,
					"atelier: %s and %s would both write "
					"%s/%s.*: build them into different "
					"folders\n",
					argv[j], argv[i], c->out_dir,
					argv[i]);
				return -1;
			}
		}
	return 0;
}

static int cmd_build(const cli *c, int argc, char **argv)
{
	if (argc == 0)
		return usage_error("build needs at least one FILE");
	const at_emitter *sel[32];
	size_t n_sel;
	if (select_formats(c, sel, &n_sel))
		return EXIT_USAGE;
	if (c->out_dir && strcmp(c->out_dir, "-") == 0) {
		if (!c->formats || n_sel != 1 || argc != 1)
			return usage_error("-o - writes one format of one file "
					   "to standard output: give -f%s",
					   " FORMAT and one FILE");
		if (sel[0]->binary && isatty(STDOUT_FILENO))
			return usage_error("%s is binary: not written to a "
					   "terminal",
					   sel[0]->name);
	} else if (c->out_dir) {
		struct stat st;
		if (stat(c->out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "atelier: output folder %s: %s\n",
				c->out_dir,
				errno == 0 || S_ISREG(st.st_mode)
					? "not a folder"
					: strerror(errno));
			return EXIT_USAGE;
		}
	}
	if (check_collisions(c, argc, argv))
		return EXIT_USAGE;
	at_outputs_install_signal_cleanup();
	int rc = 0;
	for (int i = 0; i < argc; i++)
		rc = worst(rc, build_one(c, argv[i], sel, n_sel));
	return rc;
}

/* ---- init, formats, help ---- */

static int cmd_init(int argc, char **argv)
{
	if (argc > 1)
		return usage_error("init takes one FILE at most");
	const char *path = argc ? argv[0] : "session.yaml";
	const char *tmpl = (const char *)at_template_yaml;
	size_t len = strlen(tmpl);
	if (strcmp(path, "-") == 0) {
		if (fwrite(tmpl, 1, len, stdout) != len ||
		    fflush(stdout) != 0) {
			perror("atelier: standard output");
			return EXIT_USAGE;
		}
		return 0;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		if (errno == EEXIST)
			fprintf(stderr,
				"atelier: %s exists already: not overwritten "
				"(choose another name)\n",
				path);
		else
			fprintf(stderr, "atelier: cannot create %s: %s\n", path,
				strerror(errno));
		return EXIT_USAGE;
	}
	ssize_t w = write(fd, tmpl, len);
	if (w < 0 || (size_t)w != len || close(fd) != 0) {
		fprintf(stderr, "atelier: cannot write %s: %s\n", path,
			strerror(errno));
		unlink(path);
		return EXIT_USAGE;
	}
	fprintf(stderr, "wrote %s: fill it in, then run 'atelier check %s'\n",
		path, path);
	return 0;
}

static int print_text(const char *text)
{
	if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
		perror("atelier: standard output");
		return EXIT_USAGE;
	}
	return 0;
}

static int cmd_formats(void)
{
	size_t n;
	const at_emitter *const *all = at_emitters(&n);
	for (size_t i = 0; i < n; i++)
		printf("%-6s %c %s\n", all[i]->name, all[i]->document ? '*' : ' ',
		       all[i]->description);
	return 0;
}

static const char *usage_of(const char *cmd)
{
	if (strcmp(cmd, "check") == 0)
		return usage_check;
	if (strcmp(cmd, "build") == 0)
		return usage_build;
	if (strcmp(cmd, "init") == 0)
		return usage_init;
	if (strcmp(cmd, "formats") == 0)
		return usage_formats;
	if (strcmp(cmd, "schema") == 0)
		return usage_schema;
	if (strcmp(cmd, "help") == 0)
		return usage_main;
	return NULL;
}

static int unknown_command(const char *cmd)
{
	const char *hint = at_suggest(cmd, commands,
				      sizeof commands / sizeof commands[0]);
	fprintf(stderr, "atelier: unknown command '%s'", cmd);
	if (hint)
		fprintf(stderr, " (did you mean '%s'?)", hint);
	fputs("\n(see 'atelier --help')\n", stderr);
	return EXIT_USAGE;
}

static int cmd_help(int argc, char **argv)
{
	if (argc == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	const char *u = usage_of(argv[0]);
	if (!u)
		return unknown_command(argv[0]);
	fputs(u, stdout);
	return 0;
}

enum {
	OPT_WERROR = 256,
	OPT_COLOR,
	OPT_MAX_INPUT,
	OPT_LANG,
	OPT_FRONT_MATTER,
	OPT_UNSAFE,
	OPT_CSV_BOM
};

static const struct option long_opts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"verbose", no_argument, NULL, 'v'},
	{"output", required_argument, NULL, 'o'},
	{"formats", required_argument, NULL, 'f'},
	{"werror", no_argument, NULL, OPT_WERROR},
	{"color", required_argument, NULL, OPT_COLOR},
	{"max-input", required_argument, NULL, OPT_MAX_INPUT},
	{"lang", required_argument, NULL, OPT_LANG},
	{"front-matter", no_argument, NULL, OPT_FRONT_MATTER},
	{"unsafe", no_argument, NULL, OPT_UNSAFE},
	{"csv-bom", no_argument, NULL, OPT_CSV_BOM},
	{NULL, 0, NULL, 0}};

int main(int argc, char **argv)
{
	cli c;
	memset(&c, 0, sizeof c);
	c.color = -1;
	c.lang = -1;
	at_limits_default(&c.limits);

	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("atelier %s (format %d)\n", ATELIER_VERSION,
		       ATELIER_FORMAT_VERSION);
		return 0;
	}
	const char *usage = usage_of(cmd);
	if (!usage)
		return unknown_command(cmd);
	int is_build = strcmp(cmd, "build") == 0;

	/* Options after the command; getopt sees argv[1..] as its program. */
	char **av = argv + 1;
	int opt;
	opterr = 0;
	while ((opt = getopt_long(argc - 1, av, ":hVvo:f:", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			printf("atelier %s (format %d)\n", ATELIER_VERSION,
			       ATELIER_FORMAT_VERSION);
			return 0;
		case 'v':
			c.verbose = 1;
			break;
		case OPT_WERROR:
			c.werror = 1;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "always") == 0)
				c.color = 1;
			else if (strcmp(optarg, "never") == 0)
				c.color = 0;
			else if (strcmp(optarg, "auto") == 0)
				c.color = -1;
			else
				return usage_error("--color takes auto, always "
						   "or never, not '%s'",
						   optarg);
			break;
		case OPT_MAX_INPUT:
			if (parse_size(optarg, &c.limits.max_input))
				return usage_error("--max-input takes a size "
						   "such as 64M, not '%s'",
						   optarg);
			break;
		case 'o':
		case 'f':
		case OPT_LANG:
		case OPT_FRONT_MATTER:
		case OPT_UNSAFE:
		case OPT_CSV_BOM:
			if (!is_build)
				return usage_error("this option belongs to "
						   "'atelier build', not '%s'",
						   cmd);
			if (opt == 'o')
				c.out_dir = optarg;
			else if (opt == 'f')
				c.formats = optarg;
			else if (opt == OPT_FRONT_MATTER)
				c.front_matter = 1;
			else if (opt == OPT_UNSAFE)
				c.unsafe = 1;
			else if (opt == OPT_CSV_BOM)
				c.csv_bom = 1;
			else if (strcmp(optarg, "fr") == 0)
				c.lang = AT_LANG_FR;
			else if (strcmp(optarg, "en") == 0)
				c.lang = AT_LANG_EN;
			else
				return usage_error("--lang takes fr or en, not "
						   "'%s'",
						   optarg);
			break;
		case ':':
			return usage_error("option '%s' needs a value",
					   av[optind - 1]);
		default:
			return usage_error("unknown option '%s'",
					   av[optind - 1]);
		}
	}
	int rest = argc - 1 - optind;
	char **args = av + optind;
	if (strcmp(cmd, "check") == 0)
		return cmd_check(&c, rest, args);
	if (is_build)
		return cmd_build(&c, rest, args);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(rest, args);
	if (strcmp(cmd, "formats") == 0)
		return rest ? usage_error("formats takes no argument")
			    : cmd_formats();
	if (strcmp(cmd, "schema") == 0)
		return rest ? usage_error("schema takes no argument")
			    : print_text((const char *)at_schema_json);
	return cmd_help(rest, args);
}
