"""frgen.py: synthetic but plausible workshop sessions, for the benchmarks.

Shared by bench/gen-sessions (a tree of many ordinary sessions) and
bench/gen-workload (one large session: a big workshop or an online
consultation). Texts are French sentences assembled from word lists about
territorial development (acteurs, collectivités, filières...), with the
Markdown facilitators really write: some **bold**, *italic*, « guillemets »,
links. Everything is drawn from random.Random seeded by the caller, so the
same arguments always give the same bytes.

The sessions are valid and free of warnings: every reference (question,
participant, table, round, section) points at something declared, group
sizes fall in the planned range, kit expectations match what the groups
wrote, every table of the rotation meets every question.

YAML is written by hand (emit()), not with a YAML library: the generator
must run with the standard library only, and hand-writing lets it choose the
forms people use (flow lists for ranges and tags, literal blocks for long
Markdown).
"""

import math
import random
import re

# ---- word lists -----------------------------------------------------------

ACTEURS = [
    "les élus", "les habitants", "les agriculteurs", "les associations",
    "les entreprises locales", "les chercheurs", "les collectivités",
    "les communes", "les intercommunalités", "les EPCI", "les départements",
    "les régions", "les Parcs naturels régionaux", "les chambres consulaires",
    "les artisans", "les commerçants", "les jeunes", "les retraités",
    "les nouveaux arrivants", "les acteurs de l'économie sociale et solidaire",
    "les services de l'État", "les bailleurs sociaux", "les enseignants",
    "les agents de développement", "les professionnels de santé",
    "les structures d'insertion", "les exploitants forestiers",
    "les offices de tourisme", "les centres sociaux", "les usagers",
]

VERBES_INF = [
    "valoriser", "mutualiser", "accompagner", "structurer", "développer",
    "soutenir", "renforcer", "co-construire", "favoriser", "animer",
    "préserver", "diversifier", "relocaliser", "pérenniser", "coordonner",
    "expérimenter", "financer", "rendre visibles", "mettre en réseau",
    "faire connaître", "simplifier", "évaluer", "transmettre", "rapprocher",
]

VERBES_3P = [
    "portent", "attendent", "proposent", "défendent", "découvrent",
    "réclament", "soutiennent", "questionnent", "expérimentent", "partagent",
    "construisent", "financent", "animent", "redécouvrent",
]

OBJETS = [
    "les circuits courts", "la filière bois-énergie", "l'offre de mobilité",
    "le tissu associatif", "les services de proximité", "l'habitat partagé",
    "la ressource en eau", "le patrimoine bâti", "les tiers-lieux",
    "la couverture numérique", "la transmission des exploitations",
    "l'accueil de nouvelles populations", "les savoir-faire locaux",
    "la restauration collective", "les commerces de centre-bourg",
    "l'installation des jeunes agriculteurs", "les énergies renouvelables",
    "la rénovation énergétique", "le covoiturage", "les espaces de coworking",
    "les maisons de santé", "la vie culturelle", "les sentiers de randonnée",
    "l'économie circulaire", "les monnaies locales", "la filière laine",
    "les produits du terroir", "l'emploi saisonnier", "la gouvernance locale",
    "les projets alimentaires territoriaux", "la biodiversité ordinaire",
    "l'ingénierie territoriale", "les démarches de recherche-action",
]

NOMS = [
    "concertation", "confiance", "coordination", "financement", "visibilité",
    "ingénierie", "transversalité", "lisibilité", "temps", "formation",
    "dialogue", "reconnaissance", "mobilité", "logement", "portage politique",
    "animation", "stratégie", "données partagées", "coopération",
    "continuité", "implication citoyenne", "vision commune",
]

COMPLEMENTS = [
    "à l'échelle intercommunale", "avec les habitants", "sur le temps long",
    "en lien avec la recherche", "dans le cadre du PLUi",
    "entre territoires urbains et ruraux", "au-delà des limites administratives",
    "avec l'appui de la région", "dès l'école", "autour d'un projet commun",
    "sans alourdir les procédures", "à partir des initiatives existantes",
    "en s'appuyant sur les associations", "à l'échelle du bassin de vie",
    "avec des moyens pérennes", "dans chaque commune",
    "en lien avec les entreprises", "pour les publics les plus éloignés",
    "par des appels à projets adaptés", "grâce aux outils numériques",
]

# Adjectives that agree with any noun (epicene).
ADJECTIFS = [
    "durable", "solidaire", "réaliste", "efficace", "lisible", "pragmatique",
    "exemplaire", "accessible", "modeste", "utile", "démocratique",
    "économe", "fiable", "souple",
]

TERRITOIRES = [
    "le Livradois-Forez", "la Nièvre", "le Morvan", "la montagne bourbonnaise",
    "les Combrailles", "le Cantal", "la Creuse", "le Haut-Allier",
    "le Pays de Saint-Flour", "l'Aubrac", "le Pilat", "les Monts du Forez",
    "le Val d'Allier", "la Margeride", "le Bocage bourbonnais",
    "le Pays d'Issoire", "le Sancy", "la Haute-Loire", "le Limousin",
    "les Cévennes", "le Velay", "la Xaintrie", "le plateau de Millevaches",
]

COMMUNES = [
    "Moulins", "Thiers", "Ambert", "Aurillac", "Saint-Flour", "Guéret",
    "Aubusson", "Issoire", "Riom", "Vichy", "Montluçon", "Brioude",
    "Le Puy-en-Velay", "Yssingeaux", "Mauriac", "Ussel", "Tulle",
    "Château-Chinon", "Nevers", "Clamecy", "Autun", "Mende", "Millau",
    "Rodez", "Figeac", "Murat", "Langeac", "Saint-Pourçain-sur-Sioule",
    "Gannat", "Lapalisse", "Billom", "Courpière", "Arlanc", "Felletin",
]

REGIONS = [
    "auvergne", "limousin", "bourgogne", "rhone-alpes", "occitanie",
    "centre-val-de-loire",
]

LIEUX = [
    "Salle des fêtes", "Maison des associations", "Médiathèque",
    "Salle du conseil municipal", "Lycée agricole", "Tiers-lieu",
    "Maison du Parc", "Centre social", "Foyer rural",
]

ORGANISATEURS = [
    "Plateforme « Dynamiques territoriales du Massif Central »",
    "Communauté de communes", "Parc naturel régional", "Conseil de développement",
    "Pays", "Agence de développement", "Réseau rural régional",
    "Chambre d'agriculture", "Pôle d'équilibre territorial et rural",
]

PRENOMS = [
    "Jeanne", "Paul", "Marie", "Luc", "Sophie", "Antoine", "Claire", "Hugo",
    "Camille", "Julien", "Léa", "Mathieu", "Anne", "Nicolas", "Élodie",
    "Pierre", "Hélène", "Thomas", "Céline", "Bruno", "Agnès", "Yves",
    "Martine", "Rémi", "Nathalie", "Olivier", "Isabelle", "Denis",
]

NOMS_FAMILLE = [
    "Martin", "Durand", "Bernard", "Petit", "Robert", "Richard", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David",
    "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
    "Fontaine", "Rousseau", "Vincent", "Chevalier", "Faure", "Blanc",
]

STRUCTURES = [
    "Mairie de {c}", "Communauté de communes", "Association Familles Rurales",
    "CGEA", "MACEO", "Chambre d'agriculture", "Université Clermont Auvergne",
    "INRAE", "CPIE", "Mission locale", "Conseil départemental",
    "Office de tourisme", "Coopérative forestière", "Centre social",
]

ROLES = [
    "élue", "élu", "chargée de mission", "chargé de mission", "directrice",
    "président", "animatrice", "chercheur", "agricultrice", "habitant",
    "technicienne", "bénévole",
]

SOUS_TITRES = ["territoriale", "de printemps", "d'automne", "des acteurs",
               "citoyenne", "de restitution"]

THEMES = [
    "Alimentation", "Énergie", "Mobilité", "Habitat", "Santé", "Culture",
    "Tourisme", "Forêt et bois", "Numérique", "Emploi", "Jeunesse", "Eau",
]

TAGS = [
    "mobilité", "alimentation", "énergie", "gouvernance", "numérique",
    "santé", "logement", "emploi", "culture", "jeunesse", "eau", "forêt",
    "tourisme", "financement", "formation", "coopération",
]

LIENS = [
    "https://www.agrilocal63.fr/", "https://adml63.org",
    "https://www.reseaurural.fr/", "https://www.massif-central.eu/",
    "https://www.parc-livradois-forez.org/", "https://www.cget.gouv.fr/",
]

QUESTION_TITRES = [
    "Comment {v} {o} {c} ?",
    "Le territoire peut-il {v} {o} ?",
    "Quelles conditions réunir pour {v} {o} ?",
    "En quoi {a} peuvent-ils {v} {o} ?",
    "Quels partenariats imaginer pour {v} {o} ?",
    "Quelle place pour {o} dans le projet de territoire ?",
]


def cap(s):
    return s[:1].upper() + s[1:]


CONTRACTIONS = [(re.compile(r"\b([dD])e les\b"), r"\1es"),
                (re.compile(r"\b([dD])e le\b"), r"\1u"),
                (re.compile(r"\b([àÀ]) les\b"), "aux"),
                (re.compile(r"\b([àÀ]) le\b"), "au"),
                (re.compile(r"\b([dD])e ([aeéèêiîoôuAEÉÈIOU])"), r"\1'\2")]


def contract(s):
    """de les -> des, à le -> au: the word lists combine freely."""
    for pat, rep in CONTRACTIONS:
        s = pat.sub(rep, s)
    return s


class Writer:
    """Sentences and small structures from one seeded random source."""

    def __init__(self, rng):
        self.r = rng

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def sentence(self):
        r = self.r
        p = self.pick
        form = r.randrange(12)
        if form == 0:
            s = f"{cap(p(VERBES_INF))} {p(OBJETS)} {p(COMPLEMENTS)}"
        elif form == 1:
            s = f"{cap(p(ACTEURS))} {p(VERBES_3P)} {p(OBJETS)} {p(COMPLEMENTS)}"
        elif form == 2:
            s = f"Manque de {p(NOMS)} pour {p(VERBES_INF)} {p(OBJETS)}"
        elif form == 3:
            s = f"{cap(p(NOMS))} : {p(VERBES_INF)} {p(OBJETS)}"
        elif form == 4:
            s = (f"Comment {p(VERBES_INF)} {p(OBJETS)} {p(COMPLEMENTS)} "
                 f"sans oublier {p(ACTEURS)} ?")
        elif form == 5:
            s = (f"Dans {p(TERRITOIRES)}, {p(ACTEURS)} {p(VERBES_3P)} déjà "
                 f"{p(OBJETS)}")
        elif form == 6:
            s = f"Un projet {p(ADJECTIFS)} pour {p(VERBES_INF)} {p(OBJETS)}"
        elif form == 7:
            s = (f"Besoin de {p(NOMS)} entre {p(ACTEURS)} et {p(ACTEURS)}")
        elif form == 8:
            s = (f"Mieux faire connaître {p(OBJETS)} auprès de {p(ACTEURS)}, "
                 f"puis {p(VERBES_INF)} {p(OBJETS)} {p(COMPLEMENTS)}")
        elif form == 9:
            s = f"Une démarche « {p(ADJECTIFS)} » {p(COMPLEMENTS)}"
        elif form == 10:
            s = f"{cap(p(VERBES_INF))} et {p(VERBES_INF)} {p(OBJETS)}"
        else:
            s = (f"L'exemple de {p(COMMUNES)} montre qu'on peut "
                 f"{p(VERBES_INF)} {p(OBJETS)} {p(COMPLEMENTS)}")
        return self.markup(contract(s))

    def markup(self, s):
        """Now and then, the emphasis or the link a facilitator adds."""
        r = self.r.random()
        if r < 0.06:
            words = s.split(" ")
            if len(words) > 4:
                i = self.r.randrange(1, len(words) - 2)
                if words[i].isalpha() and words[i + 1].isalpha():
                    words[i] = f"**{words[i]} {words[i + 1]}**"
                    del words[i + 1]
                    s = " ".join(words)
        elif r < 0.09:
            words = s.split(" ")
            i = self.r.randrange(len(words))
            if words[i].isalpha():
                words[i] = f"*{words[i]}*"
            s = " ".join(words)
        elif r < 0.10:
            s = f"{s} ([voir]({self.pick(LIENS)}))"
        return s

    def paragraph(self, n_min=2, n_max=4):
        n = self.r.randint(n_min, n_max)
        return " ".join(self.sentence().rstrip(" ?") + "." for _ in range(n))

    def block(self):
        """A Markdown block: paragraphs, sometimes a list."""
        parts = [self.paragraph()]
        if self.r.random() < 0.4:
            parts.append("\n".join(f"- {self.sentence()}"
                                   for _ in range(self.r.randint(2, 4))))
        if self.r.random() < 0.5:
            parts.append(self.paragraph(1, 3))
        return "\n\n".join(parts) + "\n"

    def question_title(self):
        t = self.pick(QUESTION_TITRES)
        return t.format(v=self.pick(VERBES_INF), o=self.pick(OBJETS),
                        c=self.pick(COMPLEMENTS), a=self.pick(ACTEURS))

    def person(self):
        return f"{self.pick(PRENOMS)} {self.pick(NOMS_FAMILLE)}"


# ---- YAML ---------------------------------------------------------------

class Flow(list):
    """A list written inline: [5, 8], [vélo, santé]."""


class Block(str):
    """A text written as a literal block (|)."""


class Date(str):
    """A date, written plain: 2016-06-30."""


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Texts people leave unquoted: no indicator first, no ": " or " #"
# inside, nothing YAML 1.1 would read as another type.
PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@` ")
PLAIN_SPECIAL = re.compile(
    r"^(?:[-+.0-9][-+.0-9eE:_]*|~|null|true|false|yes|no|on|off|y|n)$",
    re.IGNORECASE)


def plain_ok(s, flow):
    if not s or s[0] in PLAIN_BAD_START or s[-1] in " :":
        return False
    if ": " in s or " #" in s or "\n" in s or "\t" in s or '"' in s:
        return False
    if flow and any(c in s for c in ",[]{}"):
        return False
    return not PLAIN_SPECIAL.match(s)


def scalar(v, flow=False):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, Date) or plain_ok(v, flow):
        return v
    return quote(v)


def emit(out, v, ind):
    """Appends the YAML of v (a dict, list or scalar) at indentation ind to
    the list of strings out. Dicts keep their insertion order."""
    pad = " " * ind
    if isinstance(v, dict):
        for k, x in v.items():
            emit_entry(out, f"{pad}{k}:", x, ind)
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict) and x:
                first = True
                for k, y in x.items():
                    lead = f"{pad}- {k}:" if first else f"{pad}  {k}:"
                    emit_entry(out, lead, y, ind + 2)
                    first = False
            else:
                emit_entry(out, f"{pad}-", x, ind + 2)


def emit_entry(out, lead, x, ind):
    if isinstance(x, Flow):
        out.append(f"{lead} [{', '.join(scalar(y, True) for y in x)}]\n")
    elif isinstance(x, Block):
        out.append(f"{lead} |\n")
        for line in x.rstrip("\n").split("\n"):
            out.append(f"{' ' * (ind + 2)}{line}\n" if line else "\n")
    elif isinstance(x, dict):
        out.append(lead + "\n")
        emit(out, x, ind + 2)
    elif isinstance(x, list):
        out.append(lead + "\n")
        emit(out, x, ind + 2)
    else:
        out.append(f"{lead} {scalar(x)}\n")


def to_yaml(doc, header=""):
    out = [header] if header else []
    emit(out, doc, 0)
    return "".join(out)


# ---- items ----------------------------------------------------------------

class Ctx:
    """What items of one session may refer to."""

    def __init__(self, participants=(), tables=(), n_rounds=0,
                 rich=0.25, force=False):
        self.participants = list(participants)
        self.tables = list(tables)
        self.n_rounds = n_rounds
        self.rich = rich      # share of items written as a mapping
        self.force = force    # drivers/brakes: weights make sense


def item_extras(w, ctx, m):
    """Fills the optional keys of a mapping item m."""
    r = w.r
    if ctx.participants and r.random() < 0.3:
        k = 1 if r.random() < 0.8 else 2
        by = r.sample(ctx.participants, min(k, len(ctx.participants)))
        m["by"] = by[0] if len(by) == 1 else Flow(by)
    if ctx.n_rounds and r.random() < 0.3:
        m["round"] = r.randint(1, ctx.n_rounds)
    if ctx.tables and r.random() < 0.3:
        m["table"] = w.pick(ctx.tables)
    if ctx.force and r.random() < 0.5:
        m["weight"] = r.randint(1, 5)
    if r.random() < 0.3:
        tags = r.sample(TAGS, r.randint(1, 3))
        m["tags"] = tags[0] if len(tags) == 1 else Flow(tags)
    if r.random() < 0.25:
        m["votes"] = r.randint(0, 40)
    if r.random() < 0.05:
        m["link"] = w.pick(LIENS)
    if r.random() < 0.06:
        m["note"] = Block(w.paragraph(1, 2) + "\n")


def gen_items(w, ctx, n, depth=0, max_depth=3, width=(2, 7)):
    """A list of items holding exactly n contributions, nested at most
    max_depth levels deep (depth counts from 0)."""
    r = w.r
    items = []
    while n > 0:
        kids = 0
        if depth + 1 < max_depth and n > 2 and r.random() < 0.22:
            kids = min(n - 1, r.randint(*width))
        text = w.sentence()
        n -= 1 + kids
        m = {"text": text}
        if r.random() < ctx.rich:
            item_extras(w, ctx, m)
        if kids:
            m["items"] = gen_items(w, ctx, kids, depth + 1, max_depth, width)
        # Nobody writes a mapping for a bare text.
        items.append(m if len(m) > 1 else text)
    return items


def split(r, n, k, least=1):
    """n split into k positive parts of random sizes (each >= least when
    n allows)."""
    if k <= 0:
        return []
    least = min(least, n // k)
    rest = n - least * k
    cuts = sorted(r.randint(0, rest) for _ in range(k - 1))
    parts, prev = [], 0
    for c in cuts + [rest]:
        parts.append(least + c - prev)
        prev = c
    return parts


# ---- one session ----------------------------------------------------------

def slug(s):
    table = str.maketrans("àâäéèêëîïôöùûüç' ", "aaaeeeeiioouuuc--")
    return "".join(ch for ch in s.lower().translate(table)
                   if ch.isalnum() or ch == "-")


def session(rng, n_contrib, year=None, rich=0.25, shape="auto"):
    """One session of about n_contrib contributions (exactly, unless the
    structure needs a few more: every question gets at least one). shape:
    "auto" (drawn at random: plenary or rotation, with or without
    sub-groups), "workshop" (rotation then sub-groups and a kit) or
    "consultation" (an online consultation: many questions, nested
    replies, no sub-groups). Returns (dict, exact contribution count)."""
    consultation = shape == "consultation"
    workshop = shape == "workshop"
    w = Writer(rng)
    r = rng
    year = year or r.randint(2014, 2024)
    month, day = r.randint(1, 12), r.randint(1, 28)
    commune = w.pick(COMMUNES)
    theme = w.pick(OBJETS)
    doc = {"atelier": 1, "lang": "fr"}
    if consultation:
        doc["title"] = f"Consultation en ligne : {theme} en {w.pick(TERRITOIRES)}"
    else:
        doc["title"] = f"Atelier « {cap(theme)} »"
    if r.random() < 0.5:
        doc["subtitle"] = "Rencontre " + w.pick(SOUS_TITRES)
    doc["organiser"] = w.pick(ORGANISATEURS)
    doc["date"] = Date(f"{year:04d}-{month:02d}-{day:02d}")
    doc["place"] = f"{w.pick(LIEUX)}, {commune}"
    n_fac = r.randint(0, 3)
    if n_fac:
        doc["facilitators"] = [w.person() for _ in range(n_fac)]

    participants = []
    if consultation or workshop or r.random() < 0.55:
        n_part = r.randint(8, 40) if not consultation else max(
            50, min(5000, n_contrib // 20))
        seen = set()
        plist = []
        for i in range(n_part):
            first, last = w.pick(PRENOMS), w.pick(NOMS_FAMILLE)
            pid = slug(f"{first[0]}{last}")
            if pid in seen:
                pid = f"{pid}{i}"
            seen.add(pid)
            p = {"id": pid, "name": f"{first} {last}"}
            if r.random() < 0.7:
                p["organisation"] = w.pick(STRUCTURES).format(c=commune)
            if r.random() < 0.5:
                p["role"] = w.pick(ROLES)
            plist.append(p)
            participants.append(pid)
        doc["participants"] = plist
    else:
        doc["attendance"] = r.randint(10, 60)
    if r.random() < 0.8:
        doc["context"] = Block(w.block())

    n_q = 1 if consultation and n_contrib < 50 else (
        r.randint(6, 12) if consultation else 3 if workshop else
        w.pick([1, 2, 2, 2, 3, 3, 4]))
    qids = [f"q{i + 1}" for i in range(n_q)]
    questions = []
    for q in qids:
        qd = {"id": q, "title": w.question_title()}
        if r.random() < 0.7:
            qd["prompts"] = [w.sentence() for _ in range(r.randint(1, 5))]
        questions.append(qd)
    doc["questions"] = questions

    # How the workshop ran. A consultation is one long brainstorm.
    rotation = workshop or (not consultation and r.random() < 0.4)
    with_groups = workshop or (not consultation and r.random() < 0.85)
    gmin = r.randint(3, 5)
    gmax = gmin + r.randint(1, 3)
    phases = []
    if rotation:
        phases.append({"kind": "rotation", "minutes": w.pick([15, 20, 30]),
                       "text": Block(w.paragraph(1, 2) + "\n")})
    elif not consultation:
        phases.append({"kind": "plenary", "minutes": w.pick([20, 30, 45]),
                       "text": Block(w.paragraph(1, 2) + "\n")})
    if with_groups:
        phases.append({"kind": "subgroups", "group_size": Flow([gmin, gmax]),
                       "text": Block(w.paragraph(1, 2) + "\n")})
    if not consultation:
        phases.append({"kind": "synthesis"})
        doc["method"] = f"L'atelier s'est déroulé en {len(phases)} temps :"
        doc["phases"] = phases

    tables, n_rounds = [], 0
    if rotation:
        n_t = r.randint(2, 4)
        tables = [f"t{i + 1}" for i in range(n_t)]
        doc["tables"] = [{"id": t, "name": f"Table {w.pick(['verte', 'bleue', 'rouge', 'jaune', 'du fond', 'de la fenêtre'])}",
                          "host": w.person()} for t in tables]
        # Each table meets each question: round k sends table i to
        # question (i + k) mod n_q.
        n_rounds = max(n_q, 2)
        rounds = []
        for k in range(n_rounds):
            cells = {}
            for i, t in enumerate(tables):
                cells.setdefault(qids[(i + k) % n_q], []).append(t)
            rounds.append({"minutes": 20,
                           "tables": {q: (v[0] if len(v) == 1 else Flow(v))
                                      for q, v in cells.items()}})
        doc["rounds"] = rounds

    # Contributions: brainstorm, groups, kit asks.
    n_kit_asks = 0 if consultation or not with_groups else r.randint(1, 3) * n_q
    budget = max(n_contrib - n_kit_asks, n_q)
    share = 1.0 if not with_groups else r.uniform(0.25, 0.55)
    n_brain = max(n_q, int(budget * share)) if share else 0
    n_groups_total = budget - n_brain if with_groups else 0
    per_q = split(r, n_brain, n_q)
    brain_ctx = Ctx(participants, tables, n_rounds, rich)
    width = (2, 12) if consultation else (2, 7)
    doc["brainstorm"] = {q: gen_items(w, brain_ctx, k, width=width)
                         for q, k in zip(qids, per_q) if k}
    count = sum(per_q)

    if with_groups and n_groups_total > 0:
        sub, kit = {}, {}
        per_q = split(r, n_groups_total, n_q)
        for q, k in zip(qids, per_q):
            if k <= 0:
                continue
            n_g = max(1, min(12, k // r.randint(12, 40)))
            works = {}
            if r.random() < 0.5:
                works["brief"] = Block(w.paragraph(1, 3) + "\n")
            groups = []
            by_themes = r.random() < 0.25
            counts = {}   # section -> top-level items of each group
            for gi, gk in enumerate(split(r, k, n_g, 4)):
                g = {}
                if by_themes:
                    g["theme"] = THEMES[gi % len(THEMES)]
                else:
                    g["name"] = f"Sous-groupe {gi + 1}"
                g["size"] = r.randint(gmin, gmax)
                secs = ["practices", "conditions", "drivers", "brakes"]
                parts = split(r, gk, 4, 1)
                for sec, sk in zip(secs, parts):
                    if sk <= 0:
                        continue
                    ctx = Ctx(participants, (), 0, rich,
                              force=sec in ("drivers", "brakes"))
                    # Drivers and brakes are lists of forces, rarely nested.
                    depth = 3 if sec in ("practices", "conditions") else 2
                    its = gen_items(w, ctx, sk, max_depth=depth)
                    if r.random() < 0.08:
                        g[sec] = {"label": f"{cap(w.pick(NOMS))} : ce qui "
                                           f"compte pour le groupe",
                                  "items": its}
                    else:
                        g[sec] = its
                    counts.setdefault(sec, []).append(len(its))
                for sec in secs:
                    if sec not in g:
                        counts.setdefault(sec, []).append(0)
                groups.append(g)
            works["groups"] = groups
            sub[q] = works
            count += k
            # The kit: two steps, the second expecting what groups gave.
            n_asks = n_kit_asks // n_q
            if n_asks:
                s1 = {"step": "Temps 1", "title": "État des lieux de vos pratiques",
                      "prompt": w.question_title(),
                      "asks": [w.sentence()]}
                s2 = {"step": "Temps 2", "title": "Comment faire autrement ?",
                      "asks": [w.sentence() for _ in range(max(1, n_asks - 1))]}
                expect = {}
                for sec in ("drivers", "brakes"):
                    lo, hi = min(counts[sec]), max(counts[sec])
                    if lo >= 1:
                        expect[sec] = Flow([lo, hi])
                if expect:
                    s2["expect"] = expect
                steps = [s1, s2] if n_asks > 1 else [s1]
                kit[q] = steps
                count += sum(len(s["asks"]) for s in steps)
        doc["subgroups"] = sub
        if kit:
            doc["kit"] = kit
    if r.random() < 0.7:
        doc["synthesis"] = Block(w.block())
    return doc, count


def sizes(rng, n):
    """Contribution counts of n sessions: most a few dozen to a few hundred,
    some larger (log-uniform within each band)."""
    out = []
    for _ in range(n):
        u = rng.random()
        lo, hi = (24, 250) if u < 0.80 else (250, 700) if u < 0.97 else (700, 2500)
        out.append(int(math.exp(rng.uniform(math.log(lo), math.log(hi)))))
    return out
