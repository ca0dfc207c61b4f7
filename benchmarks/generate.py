#!/usr/bin/env python3
"""Seeded generator of synthetic English newswire articles for the benchmarks.

Why synthetic: five sample articles cannot show how the index behaves at
20k or 100k articles, and a real corpus cannot be shipped. The articles copy
the shapes of the samples in ``articles/`` (optional headline, ``By A and B``
byline, `` date YYYY-MM-DD`` marker, a dateline opening the body, paragraphs
separated by blank lines, curly or straight quotes, web-scrape trailers) and
about 1% are Markdown files with YAML front matter.

Word frequencies follow a Zipf law (exponent 1.1) over real common English
words followed by ~30k pseudo-words, plus a thin uniform tail of rare coinages
so that "appears in five articles" words exist at every corpus size. People,
organisations and places come from a seeded cast, mentioned in the patterns
newswire uses ("Treasury Secretary X said", "X, chief executive of Y Corp.,
said", "in Beijing"), so spaCy has realistic entities to find.

Every article is a pure function of ``(seed, number)``: generation runs in
parallel, the corpus for a size and seed is byte-identical on every machine,
and the first M articles of a 100k corpus are the 20k corpus's first M.

    python benchmarks/generate.py --size 20000 --out benchmarks/corpora/20k --seed 1
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

PER_FOLDER = 1000
ZIPF_EXPONENT = 1.1
PSEUDO_WORDS = 30_000
RARE_RATE = 0.006  # share of filler words drawn from the rare-coinage tail
MARKDOWN_RATE = 0.01

# -- built-in lists -----------------------------------------------------------

FEMALE_FIRST = """
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy
Lisa Margaret Sandra Ashley Emily Donna Michelle Carol Amanda Melissa Deborah
Stephanie Rebecca Laura Sharon Cynthia Kathleen Amy Angela Anna Ruth Brenda
Pamela Nicole Katherine Samantha Christine Emma Rachel Janet Catherine Maria
Heather Diane Julie Joyce Victoria Kelly Christina Lauren Joan Evelyn Olivia
Judith Megan Cheryl Martha Andrea Hannah Jacqueline Gloria Sara Janice Julia
Lingling Yoko Mei Xiaoling Priya Ananya Sofia Lucia Isabel Fatima Aisha Ingrid
Astrid Giulia Chiara Natalia Olga Yuki Hana Min Ji Gina Nancy Kamala Ursula
Christine Layla Noor Amara Chloe Claire Elena Irina
""".split()

MALE_FIRST = """
James Robert John Michael David William Richard Joseph Thomas Charles
Christopher Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua
Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel
Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose
Adam Nathan Henry Douglas Zachary Peter Kyle Noah Ethan Jeremy Walter Christian
Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan
Jesse Bryan Billy Bruce Gabriel Joe Logan Alan Juan Wei Jian Hao Lei Feng
Keqiang Rahul Arjun Vikram Carlos Luis Miguel Diego Pedro Ahmed Omar Hassan
Yusuf Lars Sven Hans Klaus Marco Luca Giovanni Dmitry Sergei Ivan Hiroshi Kenji
Takeshi Jae Sung Olaf Pierre Emmanuel Jacob Scott Brad Bob Larry
""".split()

LAST_NAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee
Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young
Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall
Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez
Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes
Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell
Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales
Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham
Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis
Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez
McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker
Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw
Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd
Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson
Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Wei Wang Zhang Liu
Li Zhao Huang Zhou Wu Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Tanaka Suzuki Sato
Watanabe Kubota Yamamoto Nakamura Kobayashi Park Choi Jung Kang Singh Sharma
Gupta Kumar Shah Mehta Rao Reddy Muller Schneider Fischer Weber Becker Hoffmann
Rossi Russo Ferrari Esposito Bianchi Romano Dubois Moreau Laurent Lefebvre
Ivanov Petrov Smirnov Popov Kowalski Nowak Novak Jansen Andersson Johansson
Nilsson Larsen Hansen Lighthizer Mnuchin Raimondo Yellen Kudlow Rometty Triolo
Reback Kennedy Davis Dixon
""".split()

ORG_STEMS = """
Meridian Atlas Harbor Summit Pinnacle Horizon Keystone Sterling Granite Cobalt
Beacon Crescent Evergreen Frontier Liberty Monarch Northwind Oakridge Pioneer
Redwood Silverline Titan Vanguard Westbrook Apex Bluewater Cardinal Delta Eagle
Falcon Genesis Heritage Ironwood Juniper Kestrel Lakeside Magnolia Nimbus
Orion Paragon Quantum Riverstone Sapphire Trident Unity Vertex Willow Zenith
Alder Birchwood Cascade Dominion Ember Fairway Glacier Highland Ivory Jade
Kingsway Lumen Mariner Northstar Olympus Prairie Quarry Ridgeline Solstice
Tidewater Upland Voyager Waverly Yellowstone Aurora Boreal Citadel Dragonfly
Eastgate Foxhall Greystone Hawthorne Inland Jetstream Kinetic Lodestar Mosaic
Nova Obsidian Pacifica Quicksilver Rampart Sequoia Tamarack Ultramarine Vista
Wildflower Amberly Bridgewater Coastal Dynamo Everest Fulcrum Gateway Helix
Insight Jubilee Kalmar Lattice Meadowlark Nexus Outpost Polaris Radiant Sentinel
Tempest Umbra Valiant Windward Axiom Brightwater Cypress Driftwood Elmstead
Firestone Goldcrest Hollister Ironbridge Jasper Knightsbridge Longview Marlowe
Newhaven Overland Pemberton Redfield Stonegate Thornbury Whitehall
""".split()

ORG_SUFFIXES = (
    "Inc.", "Corp.", "Ltd.", "Holdings Ltd.", "Group", "PLC", "AG", "Co.",
    "Technologies Inc.", "Capital", "Bank", "Energy Corp.", "Motors",
    "Pharmaceuticals Inc.", "Group Holding Ltd.", "Systems Inc.", "Partners",
    "Industries Ltd.", "Financial Corp.", "Semiconductor Co.",
)

INSTITUTIONS = (
    "Commerce Ministry", "Foreign Ministry", "Finance Ministry", "Federal Reserve",
    "European Central Bank", "World Trade Organization", "International Monetary Fund",
    "World Bank", "State Council", "Securities and Exchange Commission",
    "Department of Justice", "Treasury Department", "Pentagon", "United Nations",
    "European Commission", "Bank of Japan", "People's Bank of China",
    "Center for Strategic and International Studies", "Eurasia Group",
    "Brookings Institution", "Peterson Institute for International Economics",
    "U.S.-China Business Council", "Chamber of Commerce", "Supreme Court",
)

CITIES = """
Beijing Shanghai Shenzhen Guangzhou Hong_Kong Taipei Tokyo Osaka Seoul Busan
Singapore Jakarta Manila Bangkok Hanoi Kuala_Lumpur New_Delhi Mumbai Bangalore
Karachi Dhaka Kabul Tehran Baghdad Riyadh Dubai Abu_Dhabi Doha Jerusalem
Tel_Aviv Beirut Amman Cairo Istanbul Ankara Athens Rome Milan Madrid Barcelona
Lisbon Paris Lyon Marseille Brussels Amsterdam Rotterdam The_Hague Frankfurt
Berlin Munich Hamburg Zurich Geneva Vienna Prague Warsaw Budapest Bucharest
Kyiv Moscow Stockholm Oslo Copenhagen Helsinki Dublin London Manchester
Edinburgh Reykjavik Lagos Nairobi Johannesburg Cape_Town Accra Addis_Ababa
Kinshasa Casablanca Algiers Tunis Washington New_York Chicago Los_Angeles
San_Francisco Seattle Boston Houston Dallas Atlanta Miami Denver Phoenix
Detroit Philadelphia Pittsburgh Minneapolis St._Louis Nashville Austin
Toronto Montreal Vancouver Ottawa Mexico_City Guadalajara Havana Bogota Lima
Santiago Buenos_Aires Sao_Paulo Rio_de_Janeiro Brasilia Caracas Quito
Sydney Melbourne Auckland Wellington Canberra Guiyang Wuhan Chengdu Chongqing
Tianjin Hangzhou Nanjing Xiamen Hainan Macau Ulaanbaatar Astana Tashkent Baku
Tbilisi Yerevan Minsk Vilnius Riga Tallinn Sofia Belgrade Zagreb Sarajevo
Davos Brasov Porto Seville Valencia Naples Turin Geneva Basel Lausanne Lille
Bordeaux Cologne Stuttgart Leipzig Dresden Gdansk Krakow Odesa Kharkiv
Yokohama Kyoto Nagoya Sapporo Incheon Kaohsiung Chennai Kolkata Hyderabad
Lahore Islamabad Colombo Kathmandu Yangon Phnom_Penh Vientiane Perth Brisbane
Honolulu Anchorage Sacramento Portland Las_Vegas Charlotte Raleigh Baltimore
Cleveland Cincinnati Columbus Indianapolis Milwaukee Kansas_City Omaha Tulsa
""".split()

COUNTRIES = """
China Japan South_Korea North_Korea Taiwan India Pakistan Indonesia Vietnam
Thailand Malaysia Philippines Australia New_Zealand Russia Ukraine Germany
France Britain Italy Spain Portugal Netherlands Belgium Switzerland Austria
Poland Sweden Norway Denmark Finland Ireland Greece Turkey Israel Iran Iraq
Saudi_Arabia Egypt Nigeria Kenya Ethiopia South_Africa Brazil Argentina Chile
Peru Colombia Venezuela Mexico Canada the_United_States Cuba Mongolia
Kazakhstan Bangladesh Myanmar Cambodia Singapore Qatar
""".split()

CITY_LIST = sorted({c.replace("_", " ") for c in CITIES})
CITY_NAMES = frozenset(CITY_LIST)
SOURCES = ("AP", "Reuters", "AFP", "Bloomberg", "Xinhua", "Kyodo", "dpa", "UPI")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

OFFICIAL_ROLES = (
    "Treasury Secretary", "Commerce Secretary", "Commerce Minister",
    "Foreign Minister", "Finance Minister", "Premier", "Vice Premier",
    "Trade Representative", "Defense Secretary", "Prime Minister", "President",
    "Sen.", "Rep.", "Gov.", "Mayor", "Vice President", "Secretary of State",
    "Labor Secretary", "Energy Minister", "Economy Minister",
)
CORPORATE_ROLES = (
    "chief executive", "chief executive", "chief financial officer", "president",
    "chairman", "founder", "chief operating officer", "general counsel",
)
EXPERT_ROLES = (
    "an analyst at", "an economist at", "a spokesman for", "a spokeswoman for",
    "a senior fellow at", "a partner at", "a director at", "a researcher at",
)

# Real words, function words first in rough frequency order, so that the top
# Zipf ranks look like English; content words are then interleaved with the
# pseudo-words.
FUNCTION_WORDS = """
the of to and a in that is for on said it with as was he by at from his be
have are has an but not its they were this which who their had been would
will also more after about than over up or out one new two she her all into
we there what when can last year could some other first people years i
time only could no so if like most him them just because may any while
before through back since three against under during still between our
those where such many then both did even much being very you well how these
""".split()

CONTENT_WORDS = """
government market trade deal talks officials companies company country state
economy percent billion million week month day told report president minister
business foreign technology data cloud security law policy issues public
national world federal bank banks money
tariffs prices growth investors shares stock price oil energy power workers
jobs plan plans support pressure access access agreement negotiations
negotiators meeting meetings summit leaders leader party election vote voters
court judge case police city house senate congress administration ministry
department agency spokesman statement comment comments according interview
reporters officials expected increase decline rise fell rose cut cuts higher
lower sales revenue profit earnings quarter industry firms firm services
service products production manufacturing exports imports goods demand supply
chain chains investment investments capital funds fund debt loans lending
credit rates rate inflation interest central economic financial political
military defense war forces troops border region regional global international
local community health care hospital patients doctors virus pandemic schools
students education children families women men home homes housing rent
property water climate weather storm fire emissions carbon gas coal electric
vehicles cars car auto airline airlines flights travel tourism hotel
construction infrastructure roads rail transport shipping port ports network
networks internet online digital software chips chip devices phone smartphone
computing research science scientists study studies experts analyst analysts
executive executives chief board director directors chairman members union
unions strike talks protest protesters rights human freedom media press news
newspaper television social platform users customers consumers retail stores
food farmers farm crops soybeans prices price energy nuclear weapons missile
intelligence spy spying cyber hackers attack attacks threat threats sanctions
controls export import restrictions rules regulations regulators regulatory
approval license licenses competition competitors merger acquisition bid
offer offers proposal proposals concessions compromise dispute disputes
conflict crisis risk risks concern concerns uncertainty confidence forecast
outlook recovery recession slowdown boom surge drop jump gain gains losses
loss budget spending tax taxes revenue deficit surplus reform reforms
program programs project projects initiative strategy effort efforts move
decision decisions step steps action actions measures measure changes change
development developments progress challenge challenges problem problems
question questions answer response responses warning warnings signal signs
""".split()

# Weighted toward single consonants and vowels so pseudo-words stay word-sized
# ("vendarix", "plomet") rather than "trionggysnureang".
FUNCTION_SET = frozenset(FUNCTION_WORDS)

SYLLABLE_ONSETS = tuple("bcdfghklmnprstvwz") * 3 + ("br", "ch", "cl", "dr", "fl", "gr", "pl",
                                                     "pr", "sh", "st", "th", "tr", "")
SYLLABLE_VOWELS = tuple("aeiou") * 4 + ("ai", "ea", "ou", "io", "y")
SYLLABLE_CODAS = ("",) * 8 + ("n", "r", "l", "s", "t", "m", "x", "nd", "rt", "ck")
INFLECTIONS = ("s", "ed", "ing", "er", "ly")


# -- vocabulary and cast ---------------------------------------------------------


def _syllable(rng: random.Random) -> str:
    return rng.choice(SYLLABLE_ONSETS) + rng.choice(SYLLABLE_VOWELS) + rng.choice(SYLLABLE_CODAS)


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool
    role: str  # "Treasury Secretary", "chief executive", "an analyst at"
    affiliation: str  # an org for corporate and expert roles, else ""

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def honorific(self) -> str:
        return f"{'Ms.' if self.female else 'Mr.'} {self.last}"


@dataclass
class World:
    """Everything shared by all articles of one seed: vocabulary and cast."""

    vocabulary: list[str]
    cumulative: list[float]
    people: list[Person]
    people_cumulative: list[float]
    orgs: list[str]
    orgs_cumulative: list[float]
    places: list[str]
    places_cumulative: list[float]


def _zipf_cumulative(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / rank**exponent for rank in range(1, n + 1)))


def build_world(seed: int) -> World:
    """The vocabulary and the cast; deterministic for a seed."""
    rng = random.Random(f"world:{seed}")
    pseudo: list[str] = []
    seen = set(FUNCTION_WORDS) | set(CONTENT_WORDS)
    while len(pseudo) < PSEUDO_WORDS:
        word = "".join(_syllable(rng) for _ in range(rng.choice((1, 2, 2, 2, 3, 3))))
        if len(word) >= 4 and word not in seen:
            seen.add(word)
            pseudo.append(word)
    content = list(dict.fromkeys(CONTENT_WORDS))
    rng.shuffle(content)
    # Content words take every other rank after the function words, then the
    # pseudo-words fill the long tail.
    tail = [w for pair in itertools.zip_longest(content, pseudo[: len(content)]) for w in pair if w]
    vocabulary = list(dict.fromkeys(FUNCTION_WORDS)) + tail + pseudo[len(content):]

    people, names = [], set()
    firsts = [(n, True) for n in FEMALE_FIRST] + [(n, False) for n in MALE_FIRST]
    orgs = sorted({f"{stem} {suffix}" for stem in ORG_STEMS for suffix in ORG_SUFFIXES})
    rng.shuffle(orgs)
    orgs = orgs[:400] + list(INSTITUTIONS)
    rng.shuffle(orgs)
    while len(people) < 600:
        first, female = rng.choice(firsts)
        last = rng.choice(LAST_NAMES)
        if (first, last) in names:
            continue
        names.add((first, last))
        kind = rng.random()
        if kind < 0.3:
            people.append(Person(first, last, female, rng.choice(OFFICIAL_ROLES), ""))
        elif kind < 0.7:
            people.append(Person(first, last, female, rng.choice(CORPORATE_ROLES), rng.choice(orgs)))
        else:
            role = rng.choice(EXPERT_ROLES)
            role = role.replace("spokeswoman", "spokesman") if not female else role.replace("spokesman", "spokeswoman")
            people.append(Person(first, last, female, role, rng.choice(orgs)))
    places = [p.replace("_", " ") for p in CITIES + COUNTRIES]
    places = list(dict.fromkeys(places))
    rng.shuffle(places)
    return World(
        vocabulary=vocabulary,
        cumulative=_zipf_cumulative(len(vocabulary), ZIPF_EXPONENT),
        people=people,
        people_cumulative=_zipf_cumulative(len(people), 1.0),
        orgs=orgs,
        orgs_cumulative=_zipf_cumulative(len(orgs), 1.0),
        places=places,
        places_cumulative=_zipf_cumulative(len(places), 1.0),
    )


# -- one article -------------------------------------------------------------------


class ArticleWriter:
    """Writes one article; holds the per-article state (cast, quote style)."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world = world
        self.rng = rng
        self.curly = rng.random() < 0.6
        self.people = self._pick(world.people, world.people_cumulative, rng.randint(1, 4))
        self.orgs = self._pick(world.orgs, world.orgs_cumulative, rng.randint(1, 3))
        self.places = self._pick(world.places, world.places_cumulative, rng.randint(1, 3))
        city = next((p for p in self.places if p in CITY_NAMES), None)
        self.city = city or rng.choice(CITY_LIST)
        self.introduced: set[str] = set()

    def _pick(self, items: list, cumulative: list[float], k: int) -> list:
        return list(dict.fromkeys(self.rng.choices(items, cum_weights=cumulative, k=k)))

    # words ---------------------------------------------------------------------

    def words(self, n: int) -> str:
        rng, world = self.rng, self.world
        out = rng.choices(world.vocabulary, cum_weights=world.cumulative, k=n)
        for i in range(n):
            r = rng.random()
            if r < RARE_RATE:
                out[i] = _syllable(rng) + _syllable(rng) + _syllable(rng)
            elif r < 0.06 and len(out[i]) > 4 and out[i][-1] != "s" and out[i] not in FUNCTION_SET:
                out[i] += rng.choice(INFLECTIONS)
        return " ".join(out)

    def clause(self, low: int = 6, high: int = 16) -> str:
        return self.words(self.rng.randint(low, high))

    def quote(self, text: str) -> str:
        return f"“{text}”" if self.curly else f'"{text}"'

    def apostrophe(self) -> str:
        return "’" if self.curly else "'"

    # entities ------------------------------------------------------------------

    def person(self) -> str:
        """Full name with role on first mention, then Mr./Ms. Last or Last."""
        p = self.rng.choice(self.people)
        if p.name in self.introduced:
            return p.honorific if self.rng.random() < 0.6 else p.last
        self.introduced.add(p.name)
        if p.role in OFFICIAL_ROLES:
            return f"{p.role} {p.name}"
        if p.role in CORPORATE_ROLES:
            return f"{p.name}, {p.role} of {p.affiliation},"
        return f"{p.name}, {p.role} {p.affiliation},"

    def org(self) -> str:
        return self.rng.choice(self.orgs)

    def place(self) -> str:
        return self.rng.choice(self.places)

    def number(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            return f"{rng.randint(1, 60)}%"
        if kind < 0.7:
            return f"${rng.choice((1, 2, 3, 5, 10, 15, 20, 50, 100, 200, 250))} {rng.choice(('million', 'billion'))}"
        if kind < 0.85:
            return f"${rng.randint(1, 99)}.{rng.randint(1, 9)} billion"
        return str(rng.choice((3, 5, 10, 12, 15, 20, 30, 50, 90, 100, 150, 200, 500)))

    def sentence(self) -> str:
        rng = self.rng
        c = self.clause
        pattern = rng.randrange(16)
        if pattern == 0:
            s = f"{self.person()} said {c()}"
        elif pattern == 1:
            s = f"{c()}, {self.person()} said"
        elif pattern == 2:
            s = f"{c()} in {self.place()} on {rng.choice(WEEKDAYS)}"
        elif pattern == 3:
            s = f"{self.quote(c().capitalize() + ',')} {self.person()} said"
        elif pattern == 4:
            s = f"{self.quote(c().capitalize() + ',')} said {self.person()}"
        elif pattern == 5:
            move = rng.choice(("rose", "fell", "jumped", "slid"))
            s = f"Shares of {self.org()} {move} {rng.randint(1, 15)}% in {self.place()} trading"
        elif pattern == 6:
            s = f"{self.org()} said in a statement that {c()}"
        elif pattern == 7:
            s = f"{c()}, according to {self.org()}"
        elif pattern == 8:
            s = f"{c()} {self.number()} {c(3, 9)}"
        elif pattern == 9:
            s = f"{self.person()} told reporters in {self.place()} that {c()}"
        elif pattern == 10:
            org = self.org()
            s = f"{org}{self.apostrophe()}{'' if org.endswith('s') else 's'} {c(4, 10)}"
        elif pattern == 11:
            s = f"{c()}, people familiar with the matter said"
        elif pattern == 12:
            s = f"{c()} in {rng.choice(MONTHS)}, {self.person()} said"
        else:
            s = c(8, 22)
        s = s.rstrip(",")
        return s[0].upper() + s[1:] + ("" if s.endswith(".") else ".")

    def headline(self) -> str:
        rng = self.rng
        verb = rng.choice(("rejects", "weighs", "plans", "cuts", "raises", "faces", "warns of",
                           "backs", "seeks", "wins", "delays", "expands", "agrees to"))
        subject = rng.choice((self.org(), self.place(), self.words(2).capitalize()))
        text = f"{subject} {verb} {self.words(rng.randint(3, 8))}"
        return text + (": report" if rng.random() < 0.05 else "")

    def byline(self) -> str:
        names = [p.name for p in self.rng.sample(self.world.people[:200], self.rng.choice((1, 1, 1, 2, 2, 3)))]
        if len(names) == 1:
            return f"By {names[0]}"
        return "By " + ", ".join(names[:-1]) + " and " + names[-1]

    def dateline(self) -> str:
        rng = self.rng
        city = self.city.upper()
        style = rng.randrange(5)
        if style == 0:
            return f"{city} -- "
        if style == 1:
            return f"{city}--"
        if style == 2:
            return f"{city} ({rng.choice(SOURCES)}) — "
        if style == 3:
            return f"{city} (Reuters) - "
        return f"{city}, {rng.choice(MONTHS)} {rng.randint(1, 28)} — "

    def body(self, target_words: int) -> list[str]:
        rng = self.rng
        paragraphs, count = [], 0
        while count < target_words:
            sentences = [self.sentence() for _ in range(rng.choices((1, 2, 3), (45, 40, 15))[0])]
            paragraph = " ".join(sentences)
            count += paragraph.count(" ") + 1
            paragraphs.append(paragraph)
        return paragraphs


def _target_words(rng: random.Random) -> int:
    """Body words wanted: lognormal, 1% long features; ~140 words per file on average.

    Paragraphs overshoot the target by half a paragraph and the header adds a
    few words, hence the lower centre.
    """
    if rng.random() < 0.01:
        return rng.randint(600, 2000)
    return max(20, int(rng.lognormvariate(4.45, 0.55)))


def render_article(world: World, seed: int, number: int) -> tuple[str, str]:
    """Return ``(suffix, text)`` for article ``number``; pure in (seed, number)."""
    rng = random.Random(seed * 10_000_019 + number)
    w = ArticleWriter(world, rng)
    headline = w.headline() if rng.random() < 0.85 else ""
    byline = w.byline() if rng.random() < 0.55 else ""
    date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paragraphs = w.body(_target_words(rng))
    if rng.random() < 0.6:
        paragraphs[0] = w.dateline() + paragraphs[0]
    extra = rng.random()
    if extra < 0.08 and byline:
        paragraphs.append(f"{w.byline()[3:]} contributed to this article.")
    elif extra < 0.11:
        paragraphs.append(f"Twitter: @{rng.choice(w.people).last}{rng.choice(LAST_NAMES)}_{rng.choice(SOURCES)}")
    elif extra < 0.13:
        paragraphs += ["Source: post", "No posts to display"]

    if rng.random() < MARKDOWN_RATE:
        authors = byline[3:].replace(" and ", ", ").split(", ") if byline else []
        tags = sorted({rng.choice(CONTENT_WORDS) for _ in range(rng.randint(1, 4))})
        front = ["---", f'title: "{headline or w.headline()}"', f"date: {date}"]
        front += (["authors:"] + [f"  - {a}" for a in authors]) if authors else ["authors: []"]
        front += [f"source: {rng.choice(SOURCES)}", f"tags: [{', '.join(tags)}]", "---", ""]
        return ".md", "\n".join(front) + "\n" + "\n\n".join(paragraphs) + "\n"

    # Like the samples: headline, then a line with the date marker and/or byline
    # (" date 2019-03-28 By A"), then the body; some scrapes double the blank lines.
    separator = "\n\n\n" if rng.random() < 0.1 else "\n\n"
    marker = f" date {date}" if rng.random() < 0.4 else ""
    meta = " ".join(x for x in (marker, byline) if x)
    header = [line for line in (headline, meta) if line]
    text = separator.join(paragraphs)
    if header:
        text = "\n\n".join(header) + separator + text
    return ".txt", text + "\n"


# -- the corpus ----------------------------------------------------------------------

_WORLD: World | None = None


def _world(seed: int) -> World:
    global _WORLD
    if _WORLD is None:
        _WORLD = build_world(seed)
    return _WORLD


def _write_folder(job: tuple[Path, int, int, int]) -> int:
    out, seed, start, stop = job
    world = _world(seed)
    folder = out / f"{start // PER_FOLDER:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(start, stop):
        suffix, text = render_article(world, seed, number)
        data = text.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=8).hexdigest()
        (folder / f"{number:06d}_{digest}{suffix}").write_bytes(data)
    return stop - start


def article_files(folder: Path) -> list[Path]:
    """The corpus's article files in generation order."""
    return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())


def generate(size: int, out: Path, seed: int = 1, jobs: int | None = None) -> bool:
    """Write ``size`` articles under ``out``; False when they were already there."""
    if out.is_dir() and len(article_files(out)) == size:
        return False
    out.mkdir(parents=True, exist_ok=True)
    _world(seed)  # built once, inherited by the forked workers
    chunks = [(out, seed, s, min(s + PER_FOLDER, size)) for s in range(0, size, PER_FOLDER)]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(chunks) == 1:
        for chunk in chunks:
            _write_folder(chunk)
    else:
        with Pool(jobs) as pool:
            for _ in pool.imap_unordered(_write_folder, chunks):
                pass
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if generate(args.size, args.out, args.seed, args.jobs):
        print(f"wrote {args.size} articles to {args.out} in {time.perf_counter() - started:.1f}s")
    else:
        print(f"{args.out} already has {args.size} articles; nothing to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
