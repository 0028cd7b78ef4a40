/* labels.c: the French and English label sets. */
#include "labels.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const at_labels fr = {
	.lang = "fr",
	.report = "Compte-rendu",
	.workshop_of = "Atelier du",
	.organiser = "Organisation",
	.date = "Date",
	.place = "Lieu",
	.facilitators = "Animation",
	.contents = "Sommaire",
	.setup = "Mise en place de l'atelier",
	.context = "Préalables",
	.questions = "Les questions posées",
	.question = "Question",
	.prompts = "Pistes de réflexion",
	.method = "Déroulement de l'atelier",
	.phase = {"Agitation d'idées en rotation", "Travail en sous-groupes",
		  "Plénière", "Synthèse collective", "Autre temps"},
	.minutes = "%d min",
	.group_size = "groupes de %d à %d personnes",
	.group_size_one = "groupes de %d personnes",
	.rotation_plan = "Plan de rotation",
	.round = "Tour",
	.table = "Table",
	.host = "animée par",
	.brainstorm = "Mise à plat des idées fortes : brainstorming",
	.subgroups = "Travail en sous-groupes",
	.brief = "Consigne",
	.group = "Sous-groupe",
	.size = "%d personnes",
	.members = "Membres",
	.section = {"Pratiques en cours / exemples, réflexions",
		    "Autres conditions au changement",
		    "Les moteurs au changement", "Les freins"},
	.conditions_for_change = "Conditions au changement : freins et "
				 "moteurs",
	.force_field = "Champ de forces",
	.force_field_alt = "%s : %zu %s, %zu %s",
	.driver_word = {"moteur", "moteurs"},
	.brake_word = {"frein", "freins"},
	.force_drivers = "Moteurs",
	.force_brakes = "Freins",
	/* ---- the force field (html_forcefield.c; a PDF will draw the
	 * same figure) ---- */
	.ff_caption = "Champ de forces — Question %zu.",
	.ff_counts = "%zu %s, %zu %s.",
	.ff_weight = "poids %g",
	.ff_legend = "Les moteurs (+, en vert) poussent au changement, les "
		     "freins (−, en orange) le retiennent ; la longueur de "
		     "chaque flèche suit le poids donné (1 par défaut).",
	/* ---- end of the force field ---- */
	.colon = " : ",
	.kit = "Rappel de l'organisation du temps de travail par groupes",
	.expect = "attendu : %s de %d à %d",
	.synthesis = "Synthèse",
	.annex = "Annexe : liste des présents",
	.participants_count = "%d participants",
	.no_list = "La liste des présents n'est pas publiée.",
	.name = "Nom",
	.organisation = "Structure",
	.role = "Fonction",
	.by = "par",
	.votes = "votes",
	.weight = "poids",
	.tags = "mots-clés",
	.note = "note",
	.link = "lien",
	.born_at = "tour %d, table %s",
	.born_round = "tour %d",
	.born_table = "table %s",
	.figure = "Figure",
	.generated = "Compte-rendu produit par atelier %s",
	.months = {"janvier", "février", "mars", "avril", "mai", "juin",
		   "juillet", "août", "septembre", "octobre", "novembre",
		   "décembre"},
	/* ---- outline ---- */
	.part_title = "%d. %s",
	.born_at_named = "tour %d, %s",
	.born_table_named = "%s",
	.table_named = "%s",
	.table_unnamed = "Table %s",
	.votes_n = {"%ld vote", "%ld votes"},
	.weight_is = "poids : %g",
	.space = " ",
	.sep = " \xc2\xb7 ",
	.list_sep = ", ",
	.semicolon = " ; ",
	.theme_sep = " \xe2\x80\x94 ",
	.dash = " \xe2\x80\x94 ",
	.open = "(",
	.close = ")",
};

static const at_labels en = {
	.lang = "en",
	.report = "Report",
	.workshop_of = "Workshop of",
	.organiser = "Organiser",
	.date = "Date",
	.place = "Place",
	.facilitators = "Facilitation",
	.contents = "Contents",
	.setup = "Setting up the workshop",
	.context = "Preliminaries",
	.questions = "The questions asked",
	.question = "Question",
	.prompts = "Prompts",
	.method = "How the workshop ran",
	.phase = {"Rotating idea rounds", "Sub-group work", "Plenary",
		  "Collective synthesis", "Other"},
	.minutes = "%d min",
	.group_size = "groups of %d to %d people",
	.group_size_one = "groups of %d people",
	.rotation_plan = "Rotation plan",
	.round = "Round",
	.table = "Table",
	.host = "hosted by",
	.brainstorm = "Key ideas: brainstorming",
	.subgroups = "Sub-group work",
	.brief = "Brief",
	.group = "Sub-group",
	.size = "%d people",
	.members = "Members",
	.section = {"Current practices / examples, reflections",
		    "Other conditions for change", "Drivers of change",
		    "Brakes"},
	.conditions_for_change = "Conditions for change: drivers and brakes",
	.force_field = "Force field",
	.force_field_alt = "%s: %zu %s, %zu %s",
	.driver_word = {"driver", "drivers"},
	.brake_word = {"brake", "brakes"},
	.force_drivers = "Drivers",
	.force_brakes = "Brakes",
	/* ---- the force field (html_forcefield.c; a PDF will draw the
	 * same figure) ---- */
	.ff_caption = "Force field — Question %zu.",
	.ff_counts = "%zu %s, %zu %s.",
	.ff_weight = "weight %g",
	.ff_legend = "Drivers (+, in green) push for change, brakes (−, in "
		     "orange) hold it back; each arrow's length follows its "
		     "weight (1 by default).",
	/* ---- end of the force field ---- */
	.colon = ": ",
	.kit = "How the group work was organised",
	.expect = "expected: %s, %d to %d",
	.synthesis = "Synthesis",
	.annex = "Annex: list of participants",
	.participants_count = "%d participants",
	.no_list = "The list of participants is not published.",
	.name = "Name",
	.organisation = "Organisation",
	.role = "Role",
	.by = "by",
	.votes = "votes",
	.weight = "weight",
	.tags = "tags",
	.note = "note",
	.link = "link",
	.born_at = "round %d, table %s",
	.born_round = "round %d",
	.born_table = "table %s",
	.figure = "Figure",
	.generated = "Report produced by atelier %s",
	.months = {"January", "February", "March", "April", "May", "June",
		   "July", "August", "September", "October", "November",
		   "December"},
	/* ---- outline ---- */
	.part_title = "%d. %s",
	.born_at_named = "round %d, %s",
	.born_table_named = "%s",
	.table_named = "%s",
	.table_unnamed = "Table %s",
	.votes_n = {"%ld vote", "%ld votes"},
	.weight_is = "weight: %g",
	.space = " ",
	.sep = " \xc2\xb7 ",
	.list_sep = ", ",
	.semicolon = "; ",
	.theme_sep = " \xe2\x80\x94 ",
	.dash = " \xe2\x80\x94 ",
	.open = "(",
	.close = ")",
};

const at_labels *at_labels_for(at_lang lang)
{
	return lang == AT_LANG_EN ? &en : &fr;
}

void at_labelf(at_buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	at_buf_vprintf(out, fmt, ap);
	va_end(ap);
}

void at_format_group_size(at_buf *out, const at_labels *l, const at_range *r)
{
	if (!r->min)
		return;
	if (r->min == r->max)
		at_labelf(out, l->group_size_one, r->min);
	else
		at_labelf(out, l->group_size, r->min, r->max);
}

int at_plural(const at_labels *l, size_t n)
{
	return l == &fr ? n > 1 : n != 1;
}

void at_format_date(const at_labels *l, const at_date *d, char *buf,
		    size_t size)
{
	if (!d->year || d->month < 1 || d->month > 12) {
		if (size)
			buf[0] = '\0';
		return;
	}
	/* French writes the first of the month "1er". */
	const char *suffix = l == &fr && d->day == 1 ? "er" : "";
	snprintf(buf, size, "%d%s %s %d", d->day, suffix,
		 l->months[d->month - 1], d->year);
}

const char *at_section_def_label(const at_labels *l, const at_section_def *d)
{
	if (d->label)
		return d->label;
	return d->builtin ? l->section[d->builtin->label] : d->id.s;
}

const char *at_section_label(const at_labels *l, const at_section *s)
{
	return s->label ? s->label : at_section_def_label(l, s->def);
}

const char *at_phase_label(const at_labels *l, const at_phase *p)
{
	return p->title ? p->title : l->phase[p->kind];
}

const char *at_group_label(const at_group *g)
{
	return g->name ? g->name : g->theme;
}
