"""A synthetic conference: P paragraphs, D delegations x K proposals, A of them accepted.

:func:`generate` writes a real workspace (``drafting.yaml``, ``drafts/``,
``contributions/``, ``decisions/``) in a real git repository, in the files' own format
(the same writers ``submit`` and ``decide`` use), so every command reads it as it would
read a conference's workspace.

The text is deterministic for a seed: paragraphs of 40 to 120 words built from the
vocabulary of a disarmament text (an action plan: headings every ~6 paragraphs, actions
of States Parties), and proposals that are what delegations send:

- amendments: one to three word-level edits of the base paragraph (a phrase replaced,
  a qualifier inserted, a phrase deleted), with a skew towards "hot" paragraphs and hot
  places in them, so that accepted amendments overlap on the same words (bracketed
  alternatives in the composed version) as in a real round;
- new paragraphs (inserts after an anchor), deletions of paragraphs, comments;
- the Presidency's decisions: ``accepted`` (about 90 % of A) and ``modified`` (10 %, with
  the Presidency's wording), some ``rejected``, ``deferred`` and ``withdrawn``, comments
  ``noted`` or ``addressed``; the rest stay open.

The history is written with ``git fast-import`` in one process (set-up speed; submission
timing is measured separately by the runner): one commit for the config and the zero
draft, then **one commit per delegation's submission** (authored by the delegation, dated
with its submission time, with drafting's trailers), then **one commit per decision**
(authored by the Presidency), exactly the commits ``submit`` and ``decide`` would have
made; with ``decision_commits="bulk"`` the decisions are one commit.

The configuration lists the 193 Member States of the United Nations (the Presidency is
``LAO``), a few observers and a secretariat, and two input rounds: ``zero-draft-inputs``
(on the zero draft; the D delegations' proposals) and ``rev1-inputs`` (on ``rev1``, empty:
the runner's submissions go there).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCUMENT = "action-plan"
ROUND1 = "zero-draft-inputs"
ROUND2 = "rev1-inputs"
#: the rounds' deadlines (submissions from 1 July, decisions from 20 July 2026), and the
#: moments the benchmark runs at: the server's clock (``DRAFTING_CLOCK``) inside a round,
#: so that what it measures is a submission admitted, never one refused as late
ROUND1_DEADLINE = "2026-07-31"
ROUND2_DEADLINE = "2026-08-31"
DURING_ROUND1 = "2026-07-25T09:00:00Z"  # the zero draft's round: open, some of it decided
DURING_ROUND2 = "2026-08-10T09:00:00Z"  # the round on rev1: open
BASE = "zero-draft"
PRESIDENCY = "LAO"

# --------------------------------------------------------------------------- delegations

#: the 193 Member States of the United Nations (ISO 3166-1 alpha-3, UN short names)
UN_MEMBERS: tuple[tuple[str, str], ...] = (
    ("AFG", "Afghanistan"),
    ("ALB", "Albania"),
    ("DZA", "Algeria"),
    ("AND", "Andorra"),
    ("AGO", "Angola"),
    ("ATG", "Antigua and Barbuda"),
    ("ARG", "Argentina"),
    ("ARM", "Armenia"),
    ("AUS", "Australia"),
    ("AUT", "Austria"),
    ("AZE", "Azerbaijan"),
    ("BHS", "Bahamas"),
    ("BHR", "Bahrain"),
    ("BGD", "Bangladesh"),
    ("BRB", "Barbados"),
    ("BLR", "Belarus"),
    ("BEL", "Belgium"),
    ("BLZ", "Belize"),
    ("BEN", "Benin"),
    ("BTN", "Bhutan"),
    ("BOL", "Bolivia (Plurinational State of)"),
    ("BIH", "Bosnia and Herzegovina"),
    ("BWA", "Botswana"),
    ("BRA", "Brazil"),
    ("BRN", "Brunei Darussalam"),
    ("BGR", "Bulgaria"),
    ("BFA", "Burkina Faso"),
    ("BDI", "Burundi"),
    ("CPV", "Cabo Verde"),
    ("KHM", "Cambodia"),
    ("CMR", "Cameroon"),
    ("CAN", "Canada"),
    ("CAF", "Central African Republic"),
    ("TCD", "Chad"),
    ("CHL", "Chile"),
    ("CHN", "China"),
    ("COL", "Colombia"),
    ("COM", "Comoros"),
    ("COG", "Congo"),
    ("CRI", "Costa Rica"),
    ("CIV", "Côte d'Ivoire"),
    ("HRV", "Croatia"),
    ("CUB", "Cuba"),
    ("CYP", "Cyprus"),
    ("CZE", "Czechia"),
    ("PRK", "Democratic People's Republic of Korea"),
    ("COD", "Democratic Republic of the Congo"),
    ("DNK", "Denmark"),
    ("DJI", "Djibouti"),
    ("DMA", "Dominica"),
    ("DOM", "Dominican Republic"),
    ("ECU", "Ecuador"),
    ("EGY", "Egypt"),
    ("SLV", "El Salvador"),
    ("GNQ", "Equatorial Guinea"),
    ("ERI", "Eritrea"),
    ("EST", "Estonia"),
    ("SWZ", "Eswatini"),
    ("ETH", "Ethiopia"),
    ("FJI", "Fiji"),
    ("FIN", "Finland"),
    ("FRA", "France"),
    ("GAB", "Gabon"),
    ("GMB", "Gambia"),
    ("GEO", "Georgia"),
    ("DEU", "Germany"),
    ("GHA", "Ghana"),
    ("GRC", "Greece"),
    ("GRD", "Grenada"),
    ("GTM", "Guatemala"),
    ("GIN", "Guinea"),
    ("GNB", "Guinea-Bissau"),
    ("GUY", "Guyana"),
    ("HTI", "Haiti"),
    ("HND", "Honduras"),
    ("HUN", "Hungary"),
    ("ISL", "Iceland"),
    ("IND", "India"),
    ("IDN", "Indonesia"),
    ("IRN", "Iran (Islamic Republic of)"),
    ("IRQ", "Iraq"),
    ("IRL", "Ireland"),
    ("ISR", "Israel"),
    ("ITA", "Italy"),
    ("JAM", "Jamaica"),
    ("JPN", "Japan"),
    ("JOR", "Jordan"),
    ("KAZ", "Kazakhstan"),
    ("KEN", "Kenya"),
    ("KIR", "Kiribati"),
    ("KWT", "Kuwait"),
    ("KGZ", "Kyrgyzstan"),
    ("LAO", "Lao People's Democratic Republic"),
    ("LVA", "Latvia"),
    ("LBN", "Lebanon"),
    ("LSO", "Lesotho"),
    ("LBR", "Liberia"),
    ("LBY", "Libya"),
    ("LIE", "Liechtenstein"),
    ("LTU", "Lithuania"),
    ("LUX", "Luxembourg"),
    ("MDG", "Madagascar"),
    ("MWI", "Malawi"),
    ("MYS", "Malaysia"),
    ("MDV", "Maldives"),
    ("MLI", "Mali"),
    ("MLT", "Malta"),
    ("MHL", "Marshall Islands"),
    ("MRT", "Mauritania"),
    ("MUS", "Mauritius"),
    ("MEX", "Mexico"),
    ("FSM", "Micronesia (Federated States of)"),
    ("MCO", "Monaco"),
    ("MNG", "Mongolia"),
    ("MNE", "Montenegro"),
    ("MAR", "Morocco"),
    ("MOZ", "Mozambique"),
    ("MMR", "Myanmar"),
    ("NAM", "Namibia"),
    ("NRU", "Nauru"),
    ("NPL", "Nepal"),
    ("NLD", "Netherlands (Kingdom of the)"),
    ("NZL", "New Zealand"),
    ("NIC", "Nicaragua"),
    ("NER", "Niger"),
    ("NGA", "Nigeria"),
    ("MKD", "North Macedonia"),
    ("NOR", "Norway"),
    ("OMN", "Oman"),
    ("PAK", "Pakistan"),
    ("PLW", "Palau"),
    ("PAN", "Panama"),
    ("PNG", "Papua New Guinea"),
    ("PRY", "Paraguay"),
    ("PER", "Peru"),
    ("PHL", "Philippines"),
    ("POL", "Poland"),
    ("PRT", "Portugal"),
    ("QAT", "Qatar"),
    ("KOR", "Republic of Korea"),
    ("MDA", "Republic of Moldova"),
    ("ROU", "Romania"),
    ("RUS", "Russian Federation"),
    ("RWA", "Rwanda"),
    ("KNA", "Saint Kitts and Nevis"),
    ("LCA", "Saint Lucia"),
    ("VCT", "Saint Vincent and the Grenadines"),
    ("WSM", "Samoa"),
    ("SMR", "San Marino"),
    ("STP", "Sao Tome and Principe"),
    ("SAU", "Saudi Arabia"),
    ("SEN", "Senegal"),
    ("SRB", "Serbia"),
    ("SYC", "Seychelles"),
    ("SLE", "Sierra Leone"),
    ("SGP", "Singapore"),
    ("SVK", "Slovakia"),
    ("SVN", "Slovenia"),
    ("SLB", "Solomon Islands"),
    ("SOM", "Somalia"),
    ("ZAF", "South Africa"),
    ("SSD", "South Sudan"),
    ("ESP", "Spain"),
    ("LKA", "Sri Lanka"),
    ("SDN", "Sudan"),
    ("SUR", "Suriname"),
    ("SWE", "Sweden"),
    ("CHE", "Switzerland"),
    ("SYR", "Syrian Arab Republic"),
    ("TJK", "Tajikistan"),
    ("THA", "Thailand"),
    ("TLS", "Timor-Leste"),
    ("TGO", "Togo"),
    ("TON", "Tonga"),
    ("TTO", "Trinidad and Tobago"),
    ("TUN", "Tunisia"),
    ("TUR", "Türkiye"),
    ("TKM", "Turkmenistan"),
    ("TUV", "Tuvalu"),
    ("UGA", "Uganda"),
    ("UKR", "Ukraine"),
    ("ARE", "United Arab Emirates"),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"),
    ("TZA", "United Republic of Tanzania"),
    ("USA", "United States of America"),
    ("URY", "Uruguay"),
    ("UZB", "Uzbekistan"),
    ("VUT", "Vanuatu"),
    ("VEN", "Venezuela (Bolivarian Republic of)"),
    ("VNM", "Viet Nam"),
    ("YEM", "Yemen"),
    ("ZMB", "Zambia"),
    ("ZWE", "Zimbabwe"),
)

OBSERVERS: tuple[tuple[str, str], ...] = (
    ("ICRC", "International Committee of the Red Cross"),
    ("CMC", "Cluster Munition Coalition"),
    ("UNDP", "United Nations Development Programme"),
    ("UNICEF", "United Nations Children's Fund"),
    ("GICHD", "Geneva International Centre for Humanitarian Demining"),
    ("HI", "Humanity & Inclusion"),
    ("HRW", "Human Rights Watch"),
    ("MAG", "Mines Advisory Group"),
)
SECRETARIAT = ("ISU", "Implementation Support Unit")


def delegations() -> list[dict[str, str]]:
    out = []
    for code, name in UN_MEMBERS:
        out.append({"code": code, "name": name, "role": "presidency" if code == PRESIDENCY else "state-party"})
    for code, name in OBSERVERS:
        out.append({"code": code, "name": name, "role": "observer"})
    out.append({"code": SECRETARIAT[0], "name": SECRETARIAT[1], "role": "secretariat"})
    return out


def submitters(d: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """The ``d`` submitting delegations (code, name, role): Member States other than the
    Presidency first (in a seeded order), then observers (which may only comment)."""
    states = [(c, n, "state-party") for c, n in UN_MEMBERS if c != PRESIDENCY]
    random.Random(seed).shuffle(states)
    pool = states + [(c, n, "observer") for c, n in OBSERVERS]
    if d > len(pool):
        raise ValueError(f"at most {len(pool)} submitting delegations (asked for {d})")
    return pool[:d]


# ------------------------------------------------------------------------------ vocabulary

SECTIONS: tuple[tuple[str, str], ...] = (
    ("uni", "Universalization"),
    ("stk", "Stockpile destruction and retention"),
    ("clr", "Survey and clearance"),
    ("re", "Risk education"),
    ("va", "Victim assistance"),
    ("coop", "International cooperation and assistance"),
    ("tr", "Transparency measures"),
    ("nim", "National implementation measures"),
    ("comp", "Compliance"),
    ("gen", "Gender and diversity"),
    ("env", "Environmental protection"),
    ("fin", "Financial and institutional matters"),
    ("part", "Partnerships with civil society"),
    ("imp", "Implementation machinery"),
)

SUBJECTS = (
    "Each State Party",
    "States Parties",
    "Each affected State Party",
    "States Parties in a position to do so",
    "Each State Party with cluster munition remnants under its jurisdiction or control",
    "States Parties that retain cluster munitions for training purposes",
    "The Implementation Support Unit",
    "The Presidency, with the support of the Coordination Committee",
    "Each State Party with victims",
    "States Parties and relevant organisations",
    "The Meeting of States Parties",
)
MODALS = ("will", "shall", "should", "undertake to", "commit to", "are encouraged to", "will continue to")
VERB_PHRASES = (
    "complete the destruction of all stockpiled cluster munitions under its jurisdiction and control",
    "clear and destroy all cluster munition remnants located in contaminated areas",
    "provide adequate age- and gender-sensitive assistance to cluster munition victims",
    "report annually on the measures taken to implement the Convention",
    "adopt national legislation to prevent and suppress any activity prohibited by the Convention",
    "promote adherence to the Convention by all States not yet party",
    "conduct risk education programmes for the populations most at risk",
    "mobilise the technical, material and financial resources needed to meet their obligations",
    "share information on survey, clearance and land release methodologies",
    "integrate victim assistance into national health, disability, education and social protection frameworks",
    "develop a national strategy and a multi-year work plan with measurable annual milestones",
    "ensure the full, equal, meaningful and effective participation of women and men",
    "establish or maintain a national mine action authority with a clear mandate",
    "condemn any use of cluster munitions by any actor",
    "strengthen the collection and management of data on contamination and casualties",
    "ensure that survivors and their representative organisations participate in decisions that affect them",
    "seek extensions of their deadlines only in exceptional circumstances",
    "include information on the implementation of this Action Plan in their Article 7 reports",
    "coordinate their cooperation and assistance through the country coalition concept",
    "apply the International Mine Action Standards and relevant national standards",
)
QUALIFIERS = (
    "as soon as possible",
    "and in any case no later than 2030",
    "in accordance with Article 4 of the Convention",
    "taking into account the diverse needs of affected communities",
    "with the support of the Implementation Support Unit",
    "in cooperation with relevant international organisations and civil society",
    "on the basis of the best available evidence",
    "in a timely, transparent and inclusive manner",
    "with data disaggregated by sex, age and disability",
    "subject to the availability of resources",
    "in line with their obligations under international humanitarian law",
    "at the national, regional and international levels",
    "within existing resources",
    "in consultation with affected communities and survivors",
    "in a sustainable and nationally owned manner",
    "before each Meeting of States Parties",
    "using the guide to reporting adopted by the States Parties",
)
OPENERS = (
    "To this end,",
    "In doing so,",
    "Where appropriate,",
    "In addition,",
    "Furthermore,",
    "As a priority,",
    "Building on the Lausanne Action Plan,",
    "Recognising the progress made,",
)
#: what amendments put in: qualifiers, stronger or weaker verbs, short phrases
INSERTIONS = (
    "as a matter of priority",
    "where feasible",
    "as appropriate",
    "to the extent possible",
    "without delay",
    "in a gender-responsive manner",
    "with the full participation of survivors",
    "including through South-South cooperation",
    "in accordance with national legislation",
    "and report on progress annually",
    "by 2030 at the latest",
    "in close cooperation with the Implementation Support Unit",
    "and in line with the International Mine Action Standards",
    "taking into account environmental considerations",
    "including in urban areas",
    "on a voluntary basis",
)
SWAPS = {
    "will": ("shall", "should", "undertake to"),
    "shall": ("will", "should"),
    "should": ("shall", "will"),
    "promote": ("strengthen", "encourage", "support"),
    "ensure": ("seek to ensure", "guarantee", "promote"),
    "develop": ("adopt", "elaborate", "update"),
    "provide": ("ensure", "make available", "facilitate"),
    "possible": ("feasible", "practicable"),
    "adequate": ("sufficient", "appropriate", "effective"),
    "complete": ("fulfil", "finalise"),
    "strengthen": ("enhance", "reinforce"),
    "share": ("exchange", "publish"),
    "relevant": ("competent", "appropriate"),
    "annually": ("every year", "regularly"),
}
COMMENTS = (
    "{who} suggests aligning this paragraph with the corresponding action of the Lausanne Action Plan.",
    "{who} would welcome a clearer indicator to measure progress on this action.",
    "{who} wonders whether the timeline proposed here is realistic for all affected States Parties.",
    "{who} asks the Presidency to clarify how this paragraph relates to the reporting obligations under Article 7.",
    "{who} supports this paragraph as drafted.",
    "{who} can accept this paragraph but reserves its position on the reference to resources.",
    "{who} notes that the terminology should follow the International Mine Action Standards.",
)
RATIONALES = (
    "Consistency with the language agreed at the Second Review Conference.",
    "Strengthens the commitment without creating new obligations.",
    "The current wording does not reflect the situation of affected States Parties.",
    "Clarity: the obligation should be measurable.",
    "Brings the text in line with Article 5 of the Convention.",
)


def _sentence(rng: random.Random, first: bool) -> str:
    parts = []
    if not first and rng.random() < 0.5:
        parts.append(rng.choice(OPENERS))
        subj = rng.choice(SUBJECTS)
        subj = subj[0].lower() + subj[1:] if subj.startswith(("The ", "Each ")) else subj
    else:
        subj = rng.choice(SUBJECTS)
    parts += [subj, rng.choice(MODALS), rng.choice(VERB_PHRASES)]
    body = " ".join(parts)
    for _ in range(rng.choice((0, 1, 1, 2))):
        body += ", " + rng.choice(QUALIFIERS) if rng.random() < 0.6 else " " + rng.choice(QUALIFIERS)
    return body + "."


def paragraph_text(rng: random.Random, lo: int = 40, hi: int = 120) -> str:
    """A paragraph of ``lo`` to ``hi`` words."""
    target = rng.randint(lo, hi)
    while True:
        sentences: list[str] = []
        words = 0
        while words < target:
            s = _sentence(rng, not sentences)
            sentences.append(s)
            words += len(s.split())
        if lo <= words <= hi:
            return " ".join(sentences)
        if words > hi and len(sentences) > 1:
            text = " ".join(sentences[:-1])
            if len(text.split()) >= lo:
                return text
        target = rng.randint(lo, hi)


# ------------------------------------------------------------------------------ the draft


@dataclass
class Para:
    id: str
    section: str
    kind: str
    text: str
    tags: list[str] = field(default_factory=list)


def zero_draft(p: int, rng: random.Random) -> list[Para]:
    """``p`` paragraphs: a heading every 4 to 8 paragraphs, actions and some text."""
    out: list[Para] = []
    counters: dict[str, int] = {}
    rounds: dict[str, int] = {}
    s = 0
    while len(out) < p:
        prefix, title = SECTIONS[s % len(SECTIONS)]
        cycle = s // len(SECTIONS)
        s += 1
        rounds[prefix] = cycle
        name = title if cycle == 0 else f"{title} ({_roman(cycle + 1)})"
        hid = f"h-{prefix}" if cycle == 0 else f"h-{prefix}-{cycle + 1}"
        out.append(Para(hid, name, "heading", name, [prefix]))
        for _ in range(rng.randint(4, 8)):
            if len(out) >= p:
                break
            counters[prefix] = counters.get(prefix, 0) + 1
            kind = "action" if rng.random() < 0.8 else "text"
            out.append(Para(f"{prefix}-{counters[prefix]}", name, kind, paragraph_text(rng), [prefix]))
    return out[:p]


def _roman(n: int) -> str:
    vals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


# ------------------------------------------------------------------------------ proposals


def amend_text(text: str, rng: random.Random, hot: list[int] | None = None) -> str:
    """One to three word-level edits of ``text``: a phrase replaced, a phrase inserted, a
    phrase deleted. With ``hot`` (word positions), edits start at one of them, so that
    several delegations edit the same words."""
    words = text.split()
    for _ in range(3):
        new = list(words)
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            n = len(new)
            if n < 6:
                break
            if hot and rng.random() < 0.8:
                i = min(max(0, rng.choice(hot)), n - 2)
            else:
                i = rng.randrange(0, n - 1)
            kind = rng.random()
            if kind < 0.45:  # replace a word (or two) with a stronger/weaker wording
                w = new[i].rstrip(".,;")
                tail = new[i][len(w) :]
                if w in SWAPS:
                    new[i] = rng.choice(SWAPS[w]) + tail
                else:
                    span = rng.randint(1, 3)
                    last = min(n, i + span)
                    for j in range(i, last):  # stay inside the sentence
                        if new[j].endswith("."):
                            last = j + 1
                            break
                    tail = new[last - 1][len(new[last - 1].rstrip(".,;")) :]
                    new[i:last] = (rng.choice(INSERTIONS) + tail).split()
            elif kind < 0.8:  # insert a phrase
                phrase = rng.choice(INSERTIONS).split()
                new[i + 1 : i + 1] = phrase
            else:  # delete a phrase (never the paragraph's last word)
                span = rng.randint(2, 6)
                last = min(n - 1, i + span)
                for j in range(i, last):  # stop at the end of the sentence
                    if new[j].endswith("."):
                        last = j
                        break
                if last > i:
                    del new[i:last]
        out = " ".join(new)
        if out and out != text and len(new) >= 5:
            if out[0].islower():
                out = out[0].upper() + out[1:]
            return out
    return text + " " + rng.choice(INSERTIONS).capitalize() + "."


@dataclass
class Spec:
    """What to generate."""

    paragraphs: int = 300
    delegations: int = 193
    proposals_each: int = 50
    accepted: int = 1000
    seed: int = 20260914
    #: share of proposals by kind (the rest are amendments)
    insert_share: float = 0.12
    delete_share: float = 0.06
    comment_share: float = 0.22
    #: share of paragraphs that attract most amendments (and the share of amendments there)
    hot_paragraphs: float = 0.1
    hot_share: float = 0.5
    decision_commits: str = "each"  # "each" (one commit per decision) or "bulk"

    @property
    def total(self) -> int:
        return self.delegations * self.proposals_each

    def label(self) -> str:
        return f"P={self.paragraphs} D×K={self.delegations}×{self.proposals_each} A={self.accepted}"


@dataclass
class Generated:
    root: Path
    spec: Spec
    counts: dict[str, int]
    statuses: dict[str, int]
    commits: int
    bytes: dict[str, int]
    seconds: float
    #: (code, name) of the submitting delegations, in submission order
    submitted_by: list[tuple[str, str]]
    #: proposal ids still open (decide targets), by op
    open_ids: dict[str, list[str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "paragraphs": self.spec.paragraphs,
            "delegations": self.spec.delegations,
            "proposals_each": self.spec.proposals_each,
            "proposals": self.spec.total,
            "accepted_target": self.spec.accepted,
            "seed": self.spec.seed,
            "counts": self.counts,
            "statuses": self.statuses,
            "commits": self.commits,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "decision_commits": self.spec.decision_commits,
        }


def config_text(spec: Spec) -> str:
    from drafting.store import yamlio

    data = {
        "conference": "Fourth Review Conference (synthetic benchmark conference)",
        "venue": "Vientiane",
        "app": {"mode": "demo"},
        "presidency": PRESIDENCY,
        "documents": {DOCUMENT: {"title": "Vientiane Action Plan", "symbol": "BENCH/CONF/2026/PM.1"}},
        "delegations": delegations(),
        "rounds": [
            {"id": ROUND1, "document": DOCUMENT, "base": BASE, "deadline": ROUND1_DEADLINE},
            {"id": ROUND2, "document": DOCUMENT, "base": "rev1", "deadline": ROUND2_DEADLINE},
        ],
    }
    return (
        "# A synthetic conference written by drafting's benchmark (python -m bench).\n"
        f"# {spec.label()}, seed {spec.seed}.\n"
    ) + yamlio.dumps(data)


def generate(root: str | os.PathLike, spec: Spec, *, progress=None) -> Generated:
    """Write the workspace into ``root`` (which must not exist or be empty)."""
    from drafting.model.records import Contribution, Paragraph, Proposal, Version
    from drafting.model.validate import contribution_to_data, version_to_data
    from drafting.store import yamlio

    t0 = time.perf_counter()
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} exists and is not empty")
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed)
    say = progress or (lambda msg: None)

    # -- the zero draft
    paras = zero_draft(spec.paragraphs, rng)
    version = Version(
        DOCUMENT,
        BASE,
        tuple(Paragraph(p.id, p.text, p.section, p.kind, tuple(p.tags)) for p in paras),
        label="Zero draft",
        symbol="BENCH/CONF/2026/PM.1",
        date="2026-06-30",
    )
    draft_text = "# Zero draft of the synthetic action plan, circulated by the Presidency.\n" + yamlio.dumps(
        version_to_data(version)
    )
    cfg_text = config_text(spec)

    # -- proposals
    body = [p for p in paras if p.kind != "heading"]
    n_hot = max(1, int(len(body) * spec.hot_paragraphs))
    hot_paras = rng.sample(body, n_hot)
    hot_spots = {p.id: sorted(rng.sample(range(max(1, len(p.text.split()) - 2)), 2)) for p in hot_paras}
    who = submitters(spec.delegations, spec.seed)
    start = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
    span_s = 14 * 24 * 3600
    stamps = sorted(start + dt.timedelta(seconds=rng.randrange(span_s)) for _ in who)
    contributions: list[tuple[str, str, str, Contribution]] = []  # (code, name, stamp, contrib)
    counts = {"amend": 0, "insert": 0, "delete": 0, "comment": 0}
    all_props: list[Proposal] = []
    for (code, name, role), when in zip(who, stamps, strict=True):
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        props = []
        targets = rng.sample(body, min(len(body), spec.proposals_each))
        while len(targets) < spec.proposals_each:  # K > paragraphs: allow repeats
            targets.append(rng.choice(body))
        for k, target in enumerate(targets, start=1):
            r = rng.random()
            if role == "observer" or r < spec.comment_share:
                op = "comment"
            elif r < spec.comment_share + spec.insert_share:
                op = "insert"
            elif r < spec.comment_share + spec.insert_share + spec.delete_share:
                op = "delete"
            else:
                op = "amend"
            pid = f"{code}-{k}"
            common: dict[str, Any] = {
                "id": pid,
                "op": op,
                "delegation": code,
                "document": DOCUMENT,
                "round": ROUND1,
                "base": BASE,
                "submitted": stamp,
            }
            if op == "amend":
                if target.id not in hot_spots and rng.random() < spec.hot_share:
                    target = rng.choice(hot_paras)
                text = amend_text(target.text, rng, hot_spots.get(target.id))
                rationale = rng.choice(RATIONALES) if rng.random() < 0.3 else None
                p = Proposal(paragraph=target.id, text=text, rationale=rationale, **common)
            elif op == "insert":
                p = Proposal(
                    after=target.id,
                    text=paragraph_text(rng),
                    kind="action",
                    section=target.section,
                    rationale=rng.choice(RATIONALES) if rng.random() < 0.3 else None,
                    **common,
                )
            elif op == "delete":
                p = Proposal(paragraph=target.id, rationale=rng.choice(RATIONALES), **common)
            else:
                p = Proposal(paragraph=target.id, text=rng.choice(COMMENTS).format(who=name), **common)
            counts[op] += 1
            props.append(p)
        c = Contribution(code, DOCUMENT, ROUND1, BASE, tuple(props), submitted=stamp)
        contributions.append((code, name, stamp, c))
        all_props.extend(props)
    say(f"generated {len(paras)} paragraphs and {len(all_props)} proposals")

    # -- decisions
    decided: list[tuple[str, dict[str, Any]]] = []
    text_props = [p for p in all_props if p.op != "comment"]
    comments = [p for p in all_props if p.op == "comment"]
    order = list(text_props)
    rng.shuffle(order)
    n_acc = min(spec.accepted, len(order))
    # spread the accepted proposals over the paragraphs (at most ~1.5 x the average on one
    # paragraph, one more on hot ones), so that some overlap but Rev.1 is no bracket soup
    cap = max(2, -(-3 * n_acc // (2 * max(1, len(body)))))
    per: dict[str | None, int] = {}
    accepted: list[Proposal] = []
    rest: list[Proposal] = []
    for p in order:
        t = p.target
        limit = cap + (1 if t in hot_spots else 0)
        if len(accepted) < n_acc and per.get(t, 0) < limit:
            accepted.append(p)
            per[t] = per.get(t, 0) + 1
        else:
            rest.append(p)
    if len(accepted) < n_acc:
        more = rest[: n_acc - len(accepted)]
        accepted += more
        rest = rest[len(more) :]
    n_rej = min(len(rest), n_acc // 3)
    statuses: dict[str, int] = {}

    def add(pid: str, entry: dict[str, Any]) -> None:
        decided.append((pid, entry))
        statuses[entry["status"]] = statuses.get(entry["status"], 0) + 1

    for p in accepted:
        if p.op != "delete" and rng.random() < 0.1:
            add(
                p.id,
                {
                    "status": "modified",
                    "text": amend_text(p.text or "", rng),
                    "note": "Modified by the Presidency to reflect the discussion.",
                },
            )
        else:
            add(p.id, {"status": "accepted"})
    for p in rest[:n_rej]:
        add(p.id, {"status": "rejected", "note": "Outside the scope of the Action Plan."})
    extra = rest[n_rej : n_rej + max(1, n_acc // 20)]
    for i, p in enumerate(extra):
        add(p.id, {"status": "deferred" if i % 2 else "withdrawn"})
    undecided = rest[n_rej + len(extra) :]
    rng.shuffle(comments)
    n_com = len(comments) // 2
    for i, p in enumerate(comments[:n_com]):
        add(p.id, {"status": "noted" if i % 3 else "addressed"})
    open_ids = {"text": [p.id for p in undecided], "comment": [p.id for p in comments[n_com:]]}
    decided.sort(key=lambda kv: (rng.random(), kv[0]))
    statuses["open"] = len(all_props) - len(decided)

    header = (
        f"# Decisions of the Presidency on round {ROUND1} of {DOCUMENT}.\n"
        "# proposal: {status, text, note}; statuses: accepted, modified, rejected, deferred,\n"
        "# withdrawn, and for comments addressed or noted. Proposals not listed are open.\n"
    )
    entries = _split_top_level(yamlio.dumps(dict(decided))) if decided else []
    assert len(entries) == len(decided)
    say(f"decided {len(decided)} proposals ({statuses})")

    # -- files and history
    contrib_files: list[tuple[str, bytes, str, str, str, int]] = []
    texts = _dump_all([contribution_to_data(c) for _, _, _, c in contributions])
    for (code, name, stamp, c), dumped in zip(contributions, texts, strict=True):
        # the file exactly as `submit` writes it (service/inputs.py)
        text = (
            f"# Inputs of {c.delegation} on {c.document}, round {c.round}, written against {c.base}.\n"
            "# Written by drafting; a later submission by the same delegation replaces this file.\n" + dumped
        )
        rel = f"contributions/{DOCUMENT}/{ROUND1}/{code}.yaml"
        contrib_files.append((rel, text.encode("utf-8"), code, name, stamp, len(c.proposals)))
    dec_rel = f"decisions/{DOCUMENT}/{ROUND1}.yaml"
    draft_rel = f"drafts/{DOCUMENT}/{BASE}.yaml"
    dec_final = (header + "".join(entries)).encode("utf-8")

    for rel, data in [
        ("drafting.yaml", cfg_text.encode()),
        (draft_rel, draft_text.encode("utf-8")),
        *[(f[0], f[1]) for f in contrib_files],
        (dec_rel, dec_final),
    ]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    what = {p.id: (p.delegation, p.op) for p in all_props}
    commits = _write_history(
        root,
        cfg_text.encode(),
        draft_rel,
        draft_text.encode("utf-8"),
        contrib_files,
        dec_rel,
        header,
        entries,
        [(pid, e, *what[pid]) for pid, e in decided],
        spec.decision_commits,
    )
    say(f"wrote {commits} commits")
    sizes = {
        "drafting.yaml": len(cfg_text),
        "zero_draft": len(draft_text.encode()),
        "contributions": sum(len(f[1]) for f in contrib_files),
        "decisions": len(dec_final),
    }
    return Generated(
        root,
        spec,
        counts,
        dict(sorted(statuses.items())),
        commits,
        sizes,
        time.perf_counter() - t0,
        [(c[0], c[1]) for c in contributions],
        open_ids,
    )


def _dump_one(data: Any) -> str:
    from drafting.store import yamlio

    return yamlio.dumps(data)


def _dump_all(items: list[Any]) -> list[str]:
    """``yamlio.dumps`` of each item (drafting's own writer, pure Python and the slowest
    part of generating), spread over the machine's cores."""
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(items) < 8:
        return [_dump_one(x) for x in items]
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(workers) as pool:
        return pool.map(_dump_one, items, chunksize=max(1, len(items) // (workers * 4)))


def _split_top_level(text: str) -> list[str]:
    """A dumped mapping, one chunk per top-level key (each chunk ends with a newline)."""
    chunks: list[str] = []
    for line in text.splitlines(keepends=True):
        if line[:1] not in (" ", "") and not line.startswith("#"):
            chunks.append(line)
        else:
            chunks[-1] += line
    return chunks


# ------------------------------------------------------------------------------ git history

PRES_NAME = dict(UN_MEMBERS)[PRESIDENCY]


def _ident(name: str, code: str, when: dt.datetime) -> str:
    return f"{name} ({code}) <{code}@delegations.invalid> {int(when.timestamp())} +0000"


def _blob(data: bytes) -> bytes:
    return b"data %d\n" % len(data) + data + b"\n"


def _commit(
    out: list[bytes], ident: str, message: str, trailers: dict[str, str], files: list[tuple[str, bytes]]
) -> None:
    msg = message.rstrip() + "\n\n" + "".join(f"Drafting-{k}: {v}\n" for k, v in trailers.items())
    out.append(b"commit refs/heads/main\n")
    out.append(f"author {ident}\ncommitter {ident}\n".encode())
    out.append(_blob(msg.encode("utf-8")))
    for rel, data in files:
        out.append(f"M 100644 inline {rel}\n".encode())
        out.append(_blob(data))
    out.append(b"\n")


def _write_history(
    root: Path,
    cfg: bytes,
    draft_rel: str,
    draft: bytes,
    contribs: list[tuple[str, bytes, str, str, str, int]],
    dec_rel: str,
    header: str,
    entries: list[str],
    decided: list[tuple[str, dict, str, str]],
    mode: str,
) -> int:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    out: list[bytes] = []
    t = dt.datetime(2026, 6, 30, 10, 0, tzinfo=dt.UTC)
    _commit(
        out,
        _ident(PRES_NAME, PRESIDENCY, t),
        "Circulate the zero draft\n\nThe Presidency circulates the zero draft and opens the input rounds.",
        {"Action": "version", "Document": DOCUMENT, "Version": BASE},
        [("drafting.yaml", cfg), (draft_rel, draft)],
    )
    n = 1
    for rel, data, code, name, stamp, k in contribs:
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        _commit(
            out,
            _ident(name, code, when),
            f"Submit {code} inputs on {DOCUMENT} ({ROUND1}): {k} proposal{'s' if k != 1 else ''}",
            {"Action": "submit", "Document": DOCUMENT, "Round": ROUND1, "Delegation": code},
            [(rel, data)],
        )
        n += 1
    t = dt.datetime(2026, 7, 20, 9, 0, tzinfo=dt.UTC)
    if mode == "bulk" or not entries:
        _commit(
            out,
            _ident(PRES_NAME, PRESIDENCY, t),
            f"Record the Presidency's decisions on {ROUND1}",
            {"Action": "decide", "Document": DOCUMENT, "Round": ROUND1},
            [(dec_rel, (header + "".join(entries)).encode("utf-8"))],
        )
        n += 1
    else:
        text = header
        for i, ((pid, entry, code, op), chunk) in enumerate(zip(decided, entries, strict=True)):
            text += chunk
            when = t + dt.timedelta(seconds=20 * i)
            _commit(
                out,
                _ident(PRES_NAME, PRESIDENCY, when),
                f"Decide {pid} ({code}, {op}): {entry['status']}",
                {"Action": "decide", "Document": DOCUMENT, "Round": ROUND1, "Proposal": pid, "Status": entry["status"]},
                [(dec_rel, text.encode("utf-8"))],
            )
            n += 1
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(out), check=True, env=env)
    # the work tree already holds the files: make the index match HEAD (stat info refreshed)
    subprocess.run(["git", "-C", str(root), "reset", "-q"], check=True, env=env)
    return n
