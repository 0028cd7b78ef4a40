/* diag_formats.c: diagnostics for machines: GitHub Actions annotations and
 * JSON lines. The human form is in diag.c. */
#include "atelier/diag.h"

#include "json.h"

/* Workflow commands end at a newline and split properties at ',' and ':':
 * those characters must be percent-encoded (GitHub's own toolkit does the
 * same: escapeData and escapeProperty). */
static void github_escape(FILE *out, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			fputs("%25", out);
			break;
		case '\r':
			fputs("%0D", out);
			break;
		case '\n':
			fputs("%0A", out);
			break;
		case ':':
			fputs(property ? "%3A" : ":", out);
			break;
		case ',':
			fputs(property ? "%2C" : ",", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void at_diags_render_github(const at_diags *d, FILE *out, const char *path)
{
	for (size_t i = 0; i < d->n; i++) {
		const at_diag *g = &d->v[i];
		/* GitHub knows error, warning and notice. */
		const char *cmd = g->severity == AT_ERROR     ? "error"
				  : g->severity == AT_WARNING ? "warning"
							      : "notice";
		fprintf(out, "::%s file=", cmd);
		github_escape(out, path, 1);
		if (g->pos.line)
			fprintf(out, ",line=%u,col=%u", (unsigned)g->pos.line,
				(unsigned)g->pos.col);
		if (g->code) {
			fputs(",title=", out);
			github_escape(out, g->code, 1);
		}
		fputs("::", out);
		github_escape(out, g->message, 0);
		fputc('\n', out);
	}
}

void at_diags_render_json(const at_diags *d, FILE *out, const char *path)
{
	for (size_t i = 0; i < d->n; i++) {
		const at_diag *g = &d->v[i];
		fputs("{\"file\": ", out);
		at_json_string(out, path);
		fprintf(out, ", \"line\": %u, \"col\": %u, \"span\": %u, ",
			(unsigned)g->pos.line, (unsigned)g->pos.col,
			(unsigned)g->span);
		fprintf(out, "\"severity\": \"%s\", \"code\": ",
			at_severity_name(g->severity));
		at_json_string(out, g->code ? g->code : "");
		fputs(", \"message\": ", out);
		at_json_string(out, g->message);
		fputs("}\n", out);
	}
}
