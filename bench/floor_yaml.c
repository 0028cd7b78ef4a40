/* floor_yaml.c: the floor of reading a session file with libyaml, for the
 * benchmarks (docs/performance.md): parse the whole file with the event
 * API and discard every event. Nothing is built, nothing is checked; this
 * is the least work any program reading the YAML with libyaml must do.
 *
 *   build/bench/floor_yaml FILE
 *
 * Prints the number of events on stdout; exit 1 on a parse error. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: floor_yaml FILE\n", stderr);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		return 2;
	}
	yaml_parser_set_input_file(&p, f);
	unsigned long events = 0;
	int rc = 0;
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			fprintf(stderr, "%s:%lu: %s\n", argv[1],
				(unsigned long)p.problem_mark.line + 1,
				p.problem ? p.problem : "parse error");
			rc = 1;
			break;
		}
		int done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		events++;
		if (done)
			break;
	}
	yaml_parser_delete(&p);
	fclose(f);
	printf("%lu events\n", events);
	return rc;
}
