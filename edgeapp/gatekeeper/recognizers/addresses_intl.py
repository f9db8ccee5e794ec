"""Street addresses beyond the US/UK shapes: house number after the street ("Hauptstraße 12",
"ul. Marszałkowska 104/122", "Rua Augusta 1450"), the lines of a postal block (a unit line such as
"Apt. 3" or "Suite 400", a postcode-and-town line in the shapes of many countries), a town or
country named right after an address, a postcode said with a cue ("my zip code is 90210-170"),
and street corners ("the corner of Bathurst and Queen").

Street types come from Faker's street suffixes and prefixes of about 40 locales (see `lexicon`);
a line counts as part of a postal block only next to another address line or after an address cue,
so a sentence that starts with a number and a capitalised word is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from .. import lexicon
from .base import NO_VALUE

UP = r"\p{Lu}"
NAMEWORD = r"\p{Lu}[\p{L}\p{M}'’.-]*"
PARTICLE = r"(?:de|del|de la|da|do|dos|das|di|della|van|von|der|den|du|des|le|la|el|y|e|'s|am|an|im|v|na|nad|pod|sur|en|bei)"
HOUSE = r"\d{1,5}(?:\s?[A-Za-z](?![\p{L}]|[.:]\s?\d))?(?:\s?[/-]\s?\d{1,4}[A-Za-z]?)?"
POSTCODE = (
    r"(?:(?:[A-Z]{1,2}-)?\d{4,6}(?:-\d{3,4})?|\d{2}-\d{3}|\d{3}\s\d{2}|\d{3}-\d{4}|\d{4}\s?[A-Z]{2}"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]\d{2}\s?[A-Z\d]{4}|[A-Z]\d{4}(?:[A-Z]{3})?)"
)
TOWN = r"(?:" + NAMEWORD + r"|'s-" + NAMEWORD + r")(?:[ -](?:" + NAMEWORD + r"|" + PARTICLE + r"))*"
TOWN_PLUS = TOWN + r"(?:[ \t]\d{1,2}(?=[ \t]*(?:$|[,\n;])))?(?:[ \t]\(\p{Lu}[\p{L}\p{M}. -]{1,30}\))?"
STATE = r"(?:\p{Lu}{2,3}\.?)"
TOWN_LINE = regex.compile(
    r"(?m)^[ \t>]*(?P<v>(?:(?:"
    + POSTCODE
    + r"|\d{7,8})\s+"
    + TOWN_PLUS
    + r"(?:(?:,?\s+|[ \t]+[-–][ \t]+)"
    + STATE
    + r"(?![\p{L}\d]))?"
    r"|"
    + TOWN_PLUS
    + r"(?:,?\s+"
    + STATE
    + r")?(?:,?\s+|[ \t]+[-–][ \t]+)"
    + POSTCODE
    + r")[ \t]*(?:,[ \t]*"
    + TOWN
    + r")?)[ \t.]*$"
)
TOWN_AFTER = regex.compile(
    r"\G(?:,\s*|\s+-\s+|\s+)(?P<v>"
    + POSTCODE
    + r"\s+"
    + TOWN_PLUS
    + r"(?:,?[ \t]+"
    + STATE
    + r"(?![\p{L}\d]))?|"
    + TOWN_PLUS
    + r"(?:,?\s+"
    + STATE
    + r")?(?:,?\s+|\s+[-–]\s+"
    + STATE
    + r",\s*|[ \t]+[-–][ \t]+)"
    + POSTCODE
    + r")(?![\p{L}\d])"
)
DISTRICT_LINE = regex.compile(
    r"(?:Col\.|Colonia|Bairro|Barrio|Quartier|Sector)?[ \t]*" + TOWN_PLUS + r"(?:[ \t]+State)?"
)
_TOWN_LOW = r"\p{Ll}[\p{Ll}\p{M}'-]+(?:[ \t]\p{Ll}[\p{Ll}\p{M}'-]+)?"
TOWN_AFTER_LOW = regex.compile(
    r"\G(?:,[ \t]*|[ \t]+)(?P<v>(?i:"
    + POSTCODE
    + r")[ \t]+"
    + _TOWN_LOW
    + r"|"
    + _TOWN_LOW
    + r"[ \t]+(?i:"
    + POSTCODE
    + r"))(?![\p{L}\d])"
)
# ", lisboa", ", sao paulo", ", rio de janeiro": a town in lower case after an address, up to the end of the clause
LOW_PLACE = regex.compile(
    r"\G,[ \t]*(?P<v>\p{Ll}[\p{Ll}\p{M}-]+(?:[ \t]+(?:(?:de|do|da|del|la|los|las|di|am|an|sur|upon)[ \t]+)?"
    r"\p{Ll}[\p{Ll}\p{M}-]+){0,2}?)(?=[ \t]*(?:$|[,.;!?\n]|and\b))|\G,[ \t]*(?P<v>\p{Ll}[\p{Ll}\p{M}-]+)(?![\p{L}])"
)
# "... Björkgränd 44 in 5729-680 Vendas Novas": a postcode and a town after "in"
TOWN_AFTER_IN = regex.compile(
    r"\G[ \t]+in[ \t]+(?P<v>(?i:"
    + POSTCODE
    + r")[ \t]+(?:"
    + TOWN_PLUS
    + r"|"
    + _TOWN_LOW
    + r"))(?![\p{L}\d])"
)
# postcodes whose shape is distinctive (Polish, Czech/Slovak/Swedish/Greek, Brazilian, US ZIP+4, Portuguese)
DISTINCT_POSTCODE = regex.compile(
    r"(?<![\p{L}\d/.,:-])(?:\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{5}-\d{3,4}|\d{4}-\d{3})(?![\p{L}\d/-]|[.,]\d)"
)
PLACE_CUE = regex.compile(
    r"(?i)\b(?:deliver(?:y|s|ed|ing)?|courier|ship(?:ping|ped)?|post(?:al|ed)?|near|nearest|area|zone|region|district|town|"
    r"city|located|live[sd]?|living|address|coast|rural|around|neighbou?rhood|moved?|parcel|package)\b"
)
TOWN_AFTER_POSTCODE = regex.compile(r"\G[ \t]+(?P<v>" + TOWN_PLUS + r")(?=[ \t]*(?:$|[,.;!?\n]))")
# a district between a street and its town ("..., Yeongdeungpo-gu, Seoul 07332", "... - Consolação, São Paulo - SP, ...")
DISTRICT_AFTER = regex.compile(
    r"\G(?:,[ \t]*|[ \t]+[-–][ \t]+)(?P<v>" + TOWN_PLUS + r")(?=,[ \t]*|[ \t]+[-–][ \t]+)"
)
# a town + postcode (or postcode + town) inside a line: the end of a comma-separated address
INLINE_TOWN = regex.compile(
    r"(?<![\p{L}\d])(?P<v>"
    + TOWN_PLUS
    + r"(?:,?[ \t]+"
    + STATE
    + r")?(?:,?[ \t]+|[ \t]+[-–][ \t]+)(?P<pc>"
    + POSTCODE
    + r")|(?P<pc2>"
    + POSTCODE
    + r")[ \t]+"
    + TOWN_PLUS
    + r")(?![\p{L}\d])(?=[ \t]*(?:$|[,.;:!?)\n]))"
)
_SEGMENT = regex.compile(
    r"(?:(?:"
    + NAMEWORD
    + r"|\d{1,5}(?:st|nd|rd|th)?[\p{L}]?(?:[-/]\d{1,4}[\p{L}]?)*|#[\d-]+|"
    + PARTICLE
    + r")(?:[ \t]+|$))+"
)
UNIT = regex.compile(
    r"(?<![\p{L}\d])(?:Apt\.?|APT\.?|Apartment|Suite|SUITE|Ste\.?|Unit|UNIT|Flat|Apto\.?|apto\.?|Piso|piso|Whg\.?|"
    r"Wohnung|Floor|Fl\.|Room|Rm\.?|Bldg\.?|Building|Block|Blk\.?|Lot|Box|#)\s?#?\s?\d{1,5}[A-Za-z]?(?:-\d{1,4}[A-Za-z]?)?"
    r"(?![\p{L}\d])"
)
_CORNER_TYPE = (
    r"(?:rue|avenue|boulevard|chemin|calle|via|rua|ul\.|ulica|aleja|strada|avenida)\s+(?:"
    + PARTICLE
    + r"\s+)?"
)
_CORNER_WORD = r"(?:" + NAMEWORD + r"|\d{1,3}(?:st|nd|rd|th))"  # "5th Avenue and 42nd Street"
CORNER = regex.compile(
    r"(?i:corner|intersection|junction|crossing)\s+of\s+(?P<v>(?:"
    + _CORNER_TYPE
    + r")?"
    + _CORNER_WORD
    + r"(?:\s+(?:"
    + NAMEWORD
    + r"|"
    + PARTICLE
    + r")){0,4}\s+(?:and|&|with)\s+(?:"
    + _CORNER_TYPE
    + r")?"
    + _CORNER_WORD
    + r"(?:\s+(?:"
    + NAMEWORD
    + r"|"
    + PARTICLE
    + r")){0,4})"
)
POSTCODE_CUE = regex.compile(
    r"(?i)(?:zip|zip\s?code|eircode|postcode|post\s?code|postal\s?code|postal|cep|plz|pin\s?code|pincode|code\s+postal|"
    r"c[oó]digo\s+postal|codice\s+postale|postnummer|postinumero|irányítószám|kod\s+pocztowy)"
    r"(?:\s*(?:is|was|:|=|-|#|there|here|of|for|my|the|number|no\.?)){0,4}\s*$"
)
ADDRESS_CUE = regex.compile(
    r"(?i)(?:address|adresse|adres|dirección|direccion|endereço|indirizzo|ship(?:ping)?\s+to|deliver(?:y)?\s+to|"
    r"send\s+(?:it\s+)?to|post\s+(?:it\s+)?to|mail\s+(?:it\s+)?to|i\s+live|we\s+live|lives|living|moved\s+to|"
    r"located|billing|wohne|wohnen|home:|office:|visit\s+us|headquarters|bill\s+to|ship\s+to)"
)
ADDRESS_HEADER = regex.compile(
    r"(?i)^[ \t>]*(?:(?:(?:home|postal|mailing|billing|shipping|delivery|street|new|current|my|our|permanent|"
    r"residential|business|office|work)\s+)?(?:address|adresse|adres|dirección|direccion|endereço|indirizzo|anschrift)"
    r"|(?:ship|deliver|send|bill|mail)\s+(?:it\s+)?to)\s*(?:\([^)]*\))?\s*(?::|[-–—](?=\s))\s*"
)
# a form's place fields, whose value is part of an address with or without a number ("City: Marousi",
# "Address line 2: Unit 5", "Street: Kifissias Ave")
PLACE_FIELD = regex.compile(
    r"(?i)^[ \t>*-]*(?:address(?:\s+line)?\s*[2-4]|street(?:\s+address)?|street\s+name|apartment|apt\.?|suite|"
    r"flat|city|town|town\s*/\s*city|city\s*/\s*town|district|neighbou?rhood|suburb|county|province|"
    r"village|locality|municipality|ciudad|ville|stadt|ort|wohnort|cidade|città|miasto|barrio|bairro|colonia|"
    r"comuna|provincia|estado|bundesland|kanton)\s*:[ \t]*(?P<v>[^\n;|]{2,60}?)[ \t.,]*$",
    regex.M,
)
# "i live at tabor 760", "we are at 19772 nguyen springs": what follows, to the end of the clause, when it has a number
LIVE_AT = regex.compile(
    r"(?i)(?<![\p{L}])(?:(?:i|we|they|he|she)\s+(?:live|lives|lived)|living|(?:i'?m|i\s+am|we'?re|we\s+are|im)(?:\s+now)?|"
    r"(?:my|our|the|his|her|their)\s+(?:new\s+|current\s+|home\s+|postal\s+)?address\s+is|staying|located|"
    r"resid(?:e|es|ing)|moved|deliver(?:ed)?|ship(?:ped)?|send\s+it|goes|going|sent|send|post\s+it|mail\s+it|"
    r"(?:are|is)(?:\s+now)?(?=\s+at\s))\s+(?:(?:it|them|this|that|everything)\s+(?=(?:at|to)\s))?(?:(?:at|to|on|in|is)\s+)?(?P<v>(?:(?!\s+(?:and|but|if|so|because|or)\s|\.\s+(?-i:\p{Lu}))[^,;!?\n]){3,60}?"
    r"(?:,\s*(?:\p{L}[^,;!?\n]{0,30}?)?\d[^,;!?\n]{0,30}?|(?<=\b(?:i|we)\s+live\s+at\s+\d{1,5}[a-z]?(?:[/-]\d{1,5})?),\s*"
    r"\p{L}[^,;!?\n]{2,40}?)?)(?=\s+(?:and|but|if|so|because|or)\s|[,;!?\n]|\.\s+(?-i:\p{Lu})|\.\s*$|\s+-\s|$)"
)
SENT_TO = regex.compile(
    r"(?i)(?:deliver(?:ed)?|ship(?:ped)?|send|sent|post|mail)(?:\s+(?:it|them|this|that|the\s+\w+))?\s+to"
    r"\s*$|moved\s+to\s*$"
)
STRONG_LIVE = regex.compile(
    r"(?i)(?:(?:live|lives|lived|living|i'?m|am|we'?re|are|staying)\s+at|address\s+is)\s*$"
)
_SECONDARY_WORDS = sorted(
    set(
        """Bl Blk Block Bloco Bloque Sc Scala Esc Escalera Escalier Ap Apt Apto Apart Apartamento
    Appartamento Apartment App Appt Et Etaj Edif Edificio Depto Dpto Departamento Interior Int Interno Piso Planta Piano
    Suite Unit Flat Ste Stg Stiege Top Tür Whg Wohnung Etage Floor Fl No Nr Casa Lote Lot Torre Bus Boîte Bte Puerta Pta
    Sala Conj Cj Loja Lj Room Rm lok lokal lgh Daire Kat Bât Bat Bâtiment Porte House Villa Plot Shop Office Building
    Bldg""".split()
    ),
    key=len,
    reverse=True,
)
SECONDARY = regex.compile(
    r"\G(?:,?[ \t]+|[ \t]*,[ \t]*|[ \t]+[-–][ \t]+)(?:"
    r"(?:"
    + "|".join(_SECONDARY_WORDS)
    + r")\.?:?[ \t]*#?[ \t]*(?:\d{1,5}\p{L}?(?:[-/]\d{1,4}\p{L}?)?|\p{L}(?![\p{L}]))\.?"
    r"|(?:m\.|D:|d\.)[ \t]*\d{1,4}\p{L}?"
    r"|\d{1,2}[ \t]?[ºª°](?:[ \t]?\d{1,2}[ \t]?[ªºa])?(?:[ \t]?(?:izq(?:uierda|da)?|dcha|dcho|der(?:echa)?|centro|ctro|\p{Lu}(?![\p{L}])))?\.?"
    r"|\d{1,2}\.[ \t]?(?:sal\.?[ \t]?)?(?:th|tv|mf)\.?|st\.[ \t]?(?:th|tv|mf)\.?"
    r"|\d{1,2}\.[ \t]?(?:OG|Stock|Etage|étage|floor|kat)(?![\p{L}])"
    r"|(?:bajo|entlo|entresuelo|ático|atico)(?:[ \t]?(?:izq(?:uierda|da)?|dcha|\p{Lu}(?![\p{L}])))?\.?"
    r"|\d{1,2}(?:st|nd|rd|th|e|er|ème)[ \t]+(?:floor|étage|piso|stock)"
    r"|Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus"
    r")(?![\p{L}\d])",
    regex.IGNORECASE,
)
# a stairwell letter and flat number right after a house number ("Mannerheimintie 5 B 21", "Storgata 5 C")
_SECONDARY_LOWER = {w.lower() for w in _SECONDARY_WORDS}
STAIR = regex.compile(r"\G[ \t]+[A-H](?:[ \t]+\d{1,3})?(?=[ \t]*(?:,|$|\n|\.(?:\s|$)))")

# "Einsteinova 57, 075923 Ulhasnagar": a street of any name when a postcode and a town follow
ANCHORED = regex.compile(
    r"(?<![\p{L}\d])(?P<v>\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]+[\p{L}\p{M}'’.-]+){0,4}[ \t]+"
    + HOUSE
    + r"),[ \t]*"
    + POSTCODE
    + r"[ \t]+"
    + NAMEWORD
)
FIELD = regex.compile(r"^[\p{L} ]{2,25}:")
# "Calle de Alcalá 48", "ul. Marszałkowska 104/122", "Hauptstraße 12", "Næsbyholm Allé 77", "Praça Melo, 46"
STREET_THEN_NUMBER = regex.compile(
    r"(?<![\p{L}\d])(?P<words>(?:[\p{L}\p{M}'’.-]+[ \t]+){0,6}?[\p{L}\p{M}'’.-]+)(?:,[ \t]*|[ \t]+)(?:(?:Nr|No|N[°º]|n[°º]|nº)\.?:?[ \t]*)?"
    r"(?P<num>"
    + HOUSE
    + r")(?![\d/-]|[.,]\d|\s?%|\s?(?:km|m(?!\.[ \t]?\d)|kg|cm|mm|h|min|am|pm)\b)"  # "84/92 m. 15": a flat
)
# "77, Kadakia Marg", "1777 Çetin Fords", "12 rue de la Paix", "3-2-1 Nishi-Shinjuku"
NUMBER_THEN_STREET = regex.compile(
    r"(?<![\p{L}\d/.,-])(?P<num>\d{1,5}[A-Za-z]?(?:-\d{1,4}){0,2}),?[ \t]+(?P<words>(?:[\p{L}\p{M}'’.-]+[ \t]+){0,5}"
    r"[\p{L}\p{M}'’.-]+)(?![\p{L}\d])"
)


# street types too short or too English to be recognised glued to a name ("Spring", "Hungarian")
_NOT_GLUED = {
    "ring",
    "pad",
    "hof",
    "lei",
    "tor",
    "top",
    "end",
    "dip",
    "row",
    "run",
    "way",
    "key",
    "gap",
    "dam",
    "tie",
    "gang",
    "para",
    "part",
    "port",
    "land",
    "line",
    "link",
    "stand",
    "lane",
    "rise",
    "view",
    "well",
    "wall",
    "walk",
    "park",
    "camp",
    "ford",
    "fort",
    "mill",
    "hill",
    "dale",
    "vale",
    "edge",
    "turn",
    "rest",
    "reach",
}
# street types written in lower case before the name, in the languages that do so
_LOWER_FIRST = {
    "rue",
    "chemin",
    "allée",
    "impasse",
    "quai",
    "boulevard",
    "bd",
    "avenue",
    "av.",
    "rua",
    "calle",
    "via",
    "viale",
    "ul.",
    "ulica",
    "aleja",
    "al.",
    "utca",
    "strada",
    "travessa",
    "avenida",
    "gg.",
    "jl.",
    "jalan",
    "piazza",
    "plac",
    "ulice",
    "náměstí",
    "trieda",
    "cesta",
    "calea",
    "bulevardul",
    "aleea",
    "soseaua",
}


_ANCHOR_NOT_STREET = {
    "i",
    "my",
    "our",
    "we",
    "me",
    "the",
    "it",
    "this",
    "please",
    "pls",
    "send",
    "ship",
    "deliver",
    "to",
    "address",
    "new",
    "is",
    "at",
    "in",
    "moved",
}
_TRAILING = {
    "now",
    "today",
    "tonight",
    "already",
    "again",
    "too",
    "pls",
    "please",
    "btw",
    "lol",
    "thanks",
    "asap",
}
_PARTICLES = {
    "de",
    "del",
    "la",
    "las",
    "los",
    "da",
    "do",
    "dos",
    "das",
    "di",
    "della",
    "van",
    "von",
    "der",
    "den",
    "du",
    "des",
    "le",
    "el",
    "y",
    "e",
    "i",
    "am",
    "an",
    "im",
    "auf",
    "sur",
    "lo",
}


EXTRA_TYPES = frozenset(
    """caddesi cad. cd. sokak sokağı sk. sok. bulvarı blv. mahallesi mah. mh. marg nagar layout
    salai veedhi gali chowk lorong jalan jln. tỉnh đường phố ngõ hẻm""".split()
)
HYPHEN_TYPE = regex.compile(r"(?i)^\p{L}{2,}-(?:ro|gil|daero|dong|ri|dori|dōri|machi|chō|cho)$")
# "Carrera 7 # 32-16", "Calle 85 No. 11-53": a Colombian address, the street's number, then the cross street's and the
# house's
CO_STREET = regex.compile(
    r"(?<![\p{L}])(?:Carrera|Cra\.?|Kr\.?|Calle|Cl\.?|Avenida|Av\.?|Transversal|Tv\.?|Diagonal|Dg\.?|Autopista)[ \t]+"
    r"\d{1,3}[A-Z]?(?:[ \t]+(?:Bis|Sur|Este|Norte))?[ \t]*(?:#|No\.?|N[°º])[ \t]*\d{1,3}[A-Z]?[ \t]*-[ \t]*\d{1,3}(?![\d])"
)
# "2-11-3 Meguro", "1-5 Umeda 2-chome": Japanese block numbers
JP_BLOCK = regex.compile(r"(?<![\p{L}\d/.,-])\d{1,2}-\d{1,2}-\d{1,3}[ \t]+\p{Lu}[\p{L}\p{M}-]+")
PO_BOX_INTL = regex.compile(
    r"(?i)(?<![\p{L}\d])(?:p\.?\s?o\.?\s+box|postfach|caixa\s+postal|apartado(?:\s+de\s+correos)?|casilla(?:\s+de\s+correo)?|"
    r"bo[iî]te\s+postale|b\.?p\.?|postbus|postboks|skrytka\s+pocztowa|pl\.?|box)\s+\d{1,6}(?:-\d{3,5})?(?![\p{L}\d])"
)

LOWER_PART = regex.compile(
    r"\G,[ \t]*(?P<v>[^,;!?\n]{2,40}?)(?=[ \t]*(?:,|$|[.;!?\n]|[ \t]+(?:before|after|last|next|this|tomorrow|today|tonight|"
    r"and|but|so|or|come|pls|please|thanks|asap|by)\b))"
)


PO_BOX_TOWNS = regex.compile(r"\G(?:,[ \t]*" + TOWN + r"){1,3}(?=[ \t]*(?:$|[.;!?\n]))", regex.M)


def out_near(out, start: int, end: int) -> bool:
    """A found address within a line of this span."""
    return any(fs - 60 <= end and start <= fe + 60 for fs, fe, _ in out)


# addresses in scripts without Latin letters: Japanese and Chinese (an administrative or street suffix, then a
# number), Korean road names ("테헤란로 152"), Cyrillic street types ("ул. Тверская, д. 7, кв. 12"), Greek, Arabic
NON_LATIN = [
    regex.compile(p)
    for p in (
        r"(?:〒[ \t]?\d{3}-?\d{4}[ \t]*)?[\p{Han}\p{Katakana}\p{Hiragana}ー]{1,12}(?:都|道|府|県|市|区|町|村|丁目|省|县|縣|路|街|巷|弄|镇|鎮)"
        r"[\p{Han}\p{Katakana}\p{Hiragana}ー\d０-９－−-]*[\d０-９]+(?:[－−-][\d０-９]+)*(?:番地?|号|號|丁目)?(?:[\d０-９]+(?:号|號|室|楼|樓|階))*",
        r"(?:[\p{Hangul}]+(?:특별시|광역시|시|도|구|군|동|읍|면)[ \t]+)*[\p{Hangul}\d]+(?:로|길|대로)[ \t]?\d+(?:-\d+)?(?:번길[ \t]?\d+(?:-\d+)?)?"
        r"(?:,?[ \t]?\d+동)?(?:[ \t]?\d+호)?",
        r"(?i:ул\.|улица|просп\.|проспект|пр-т|пер\.|переулок|бул\.|бульвар|ш\.|шоссе|наб\.|набережная|пл\.|площадь|вул\.|"
        r"вулиця|мкр\.|микрорайон)[ \t]?\p{Lu}[\p{L}-]+(?:[ \t]\p{L}[\p{L}-]+){0,2},?[ \t]?(?:(?i:д\.|дом)[ \t]?)?\d+[\p{L}]?"
        r"(?:(?:,[ \t]?|[ \t])(?i:кв\.|корп\.|стр\.|к\.|оф\.|под\.|эт\.)[ \t]?\d+)*",
        r"(?:Οδός|οδός|Οδ\.|Λεωφόρος|Λεωφ\.|Πλατεία)[ \t]\p{L}+(?:[ \t]\p{L}+)?[ \t]\d+",
        r"(?:شارع|طريق|حي)[ \t][\p{Arabic} ]{2,30}?[ \t]?[\d٠-٩]+",
    )
]


class IntlAddresses:
    def __init__(self) -> None:
        lexicon.load_all()
        self.streets = lexicon.street_words() | EXTRA_TYPES
        self.places = lexicon.places()
        self.english = lexicon.english_lower()
        # street types written glued to the name ("Kastanienallee", "Skolvägen", "Dosentinkuja")
        self._glued: dict[int, frozenset[str]] = {}
        for w in self.streets:
            if len(w) >= 3 and not w.endswith(".") and w not in _NOT_GLUED:
                self._glued.setdefault(len(w), set()).add(w)
        self._glued = {n: frozenset(ws) for n, ws in sorted(self._glued.items(), reverse=True)}

    def glued(self, low: str) -> bool:
        """A street type glued to a name of at least three letters ("kastanienallee", "skolvägen"), or
        a Korean or Japanese one after a hyphen ("teheran-ro", "dosan-daero")."""
        return any(len(low) >= n + 3 and low[-n:] in ws for n, ws in self._glued.items()) or bool(
            HYPHEN_TYPE.match(low)
        )

    def _type_word(self, word: str) -> bool:
        low = word.lower()
        if low in self.streets or low.rstrip(".") + "." in self.streets:
            return True
        bare = low.rstrip(".,")
        return self.glued(bare) and bare not in self.english and bare.rstrip("s") not in self.english

    def _street_words(self, words: list[str]) -> int | None:
        """Index of the first word of a street name that ends just before a house number, or None.
        The name needs a street type (capitalised, or one of `_LOWER_FIRST` opening it) and a name
        word (a capitalised word that is no street type, or a type glued to a name)."""
        start, has_type, has_name, k = None, False, False, len(words) - 1
        while k >= 0:
            word = words[k].rstrip(",")
            if words[k].endswith(",") and k != len(words) - 1:
                break
            low = word.lower()
            if word[:1].isupper():
                if self._type_word(word):
                    has_type = True
                    has_name = has_name or self.glued(low.rstrip("."))
                else:
                    has_name = True
                start = k
            elif low in _LOWER_FIRST and start is not None:
                has_type, start = True, k
                break  # "aleja Okrężna", "rue de la Paix": the type opens the name
            elif low in _PARTICLES and start is not None:
                start = k
            else:
                break
            k -= 1
        if start is None or not (has_type and has_name):
            return None
        while start < len(words) - 1 and words[start].lower() in _PARTICLES:
            start += 1
        return start

    def _streetish(self, line: str) -> bool:
        """A short line with a house number and a capitalised word: "Vlaška 0a/6", "2144 Moore Terrace"."""
        bare = line.strip(" \t>")
        words = bare.split()
        if not 2 <= len(words) <= 9 or "@" in bare or regex.search(r"[?!:;]", bare):
            return False
        if sum(ch.isdigit() for ch in bare) > 8 or not regex.search(
            r"(?<![\p{L}\d])\d{1,5}[A-Za-z]?(?![\p{L}\d])", bare
        ):
            return False
        return any(w[:1].isupper() and any(ch.islower() for ch in w) for w in words)

    def _blocks(self, text: str, found: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
        """The lines of a postal block: a street line, unit lines and a postcode-and-town line in a row;
        and the lines after an address header ("Billing address:")."""
        lines, pos = [], 0
        for piece in text.split("\n"):
            lines.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        covered = lambda s, e: any(fs < e and s < fe for fs, fe, _ in found + out)  # noqa: E731
        out: list[tuple[int, int, float]] = []

        def whole(s: int, e: int) -> tuple[int, int, float]:
            line = text[s:e]
            lead = len(line) - len(line.lstrip(" \t>"))
            return (s + lead, s + len(line.rstrip(" \t,.")), 0.6)

        for i, (s, e) in enumerate(lines):
            line = text[s:e]
            header = ADDRESS_HEADER.match(line)
            if header:
                rest = line[header.end() :].strip()
                if rest and any(ch.isdigit() for ch in rest):
                    out.append(
                        (
                            s
                            + header.end()
                            + (len(line[header.end() :]) - len(line[header.end() :].lstrip())),
                            s + len(line.rstrip(" \t,.")),
                            0.65,
                        )
                    )
                elif not rest:
                    for s2, e2 in lines[i + 1 : i + 7]:
                        nxt = text[s2:e2].strip(" \t>")
                        if not nxt or "@" in nxt or FIELD.match(nxt) or len(nxt) > 60:
                            break
                        out.append(whole(s2, e2))
                continue
            place = PLACE_FIELD.match(line)
            if (
                place
                and regex.search(r"[\p{L}\d]", place.group("v"))
                and not NO_VALUE.fullmatch(place.group("v").strip())
            ):
                out.append((s + place.start("v"), s + place.end("v"), 0.6))
                continue
            town = TOWN_LINE.match(line)
            if not town:
                continue
            k, units = i - 1, []
            while k >= 0 and UNIT.fullmatch(text[lines[k][0] : lines[k][1]].strip(" \t>,")):
                units.append(lines[k])
                k -= 1
            # one or two district lines between the street and the town ("Victoria Island", "Col. Roma Norte")
            kk, districts = k, []
            while (
                kk >= 0
                and len(districts) < 2
                and DISTRICT_LINE.fullmatch(text[lines[kk][0] : lines[kk][1]].strip(" \t>,"))
            ):
                districts.append(lines[kk])
                kk -= 1
            while districts and kk >= 0 and UNIT.fullmatch(text[lines[kk][0] : lines[kk][1]].strip(" \t>,")):
                districts.append(lines[kk])
                kk -= 1
            if (
                districts
                and kk >= 0
                and (covered(*lines[kk]) or self._streetish(text[lines[kk][0] : lines[kk][1]]))
            ):
                units += districts
                k = kk
            street = lines[k] if k >= 0 else None
            street_ok = street is not None and (
                covered(*street) or self._streetish(text[street[0] : street[1]])
            )
            cue = bool(ADDRESS_CUE.search(text[max(0, s - 120) : s]))
            if not (street_ok or units or cue):
                continue
            out.append((s + town.start("v"), s + town.end("v"), 0.6))
            out += [whole(*u) for u in units if not covered(*u)]
            if street_ok and not covered(*street):
                out.append(whole(*street))
        # a unit line under an address line, or above one
        for i, (s, e) in enumerate(lines):
            if covered(s, e) or not UNIT.fullmatch(text[s:e].strip(" \t>,")):
                continue
            if (i > 0 and covered(*lines[i - 1])) or (i + 1 < len(lines) and covered(*lines[i + 1])):
                out.append(whole(s, e))
        # under an address line: a line that is only a postcode ("LS6 2QW" under "Leeds"), or only a town or
        # region the place lists know ("Lagos", "Nairobi")
        gpe = getattr(self, "_gpe", ())
        for i, (s, e) in enumerate(lines):
            if i == 0 or covered(s, e):
                continue
            bare = text[s:e].strip(" \t>,.")
            lead = s + len(text[s:e]) - len(text[s:e].lstrip(" \t>"))
            postcode = regex.fullmatch(POSTCODE, bare) and not regex.fullmatch(r"\d{4}", bare)
            town = (
                DISTRICT_LINE.fullmatch(bare)
                and len(bare.split()) <= 3
                and (
                    bare.split()[0].lower() in self.places
                    or any(ps <= lead and lead + len(bare) <= pe for ps, pe in gpe)
                )
            )
            if covered(*lines[i - 1]) and (postcode or town):
                out.append(whole(s, e))
            elif (
                postcode
                and i >= 2
                and covered(*lines[i - 2])
                and DISTRICT_LINE.fullmatch(text[lines[i - 1][0] : lines[i - 1][1]].strip(" \t>,."))
            ):
                out += [whole(*lines[i - 1]), whole(s, e)]  # "Sheffield" / "S10 2BP" under a street line
        return out

    def spans(
        self, text: str, places: list[tuple[int, int]], seeds: list[tuple[int, int]] = ()
    ) -> list[tuple[int, int, float]]:
        self._gpe = places
        out: list[tuple[int, int, float]] = []
        for m in STREET_THEN_NUMBER.finditer(text):
            seg = m.group("words")
            words = seg.split()
            k = self._street_words(words)
            if k is None:
                continue
            lead = len(seg) - len(seg.lstrip())
            offsets, pos = [], m.start("words") + lead
            for w in words:
                pos = text.index(w, pos)
                offsets.append(pos)
                pos += len(w)
            if "\n" in text[offsets[k] : m.end("num")]:
                continue
            out.append((offsets[k], m.end("num"), 0.7))
        for m in NUMBER_THEN_STREET.finditer(text):
            words = m.group("words").split()
            cut = None
            for i, w in enumerate(words):
                bare = w.strip(",")
                leading = (
                    i == 0 and bare.lower() in _LOWER_FIRST and len(words) > 1 and words[1][:1].isupper()
                )
                glued = self.glued(bare.lower()) and bare[:1].isupper()
                if leading or (self._type_word(bare) and bare[:1].isupper() and (i > 0 or glued)):
                    cut = i  # "Rue Royale", "Hauptstraße", "Steven Outlook"; not "Green Pears" or "Lakes"
                    if i > 0:
                        break
            if cut is None:
                continue
            # the name runs on over capitalised words after a leading type ("12 rue de la Paix")
            end_i = cut
            while (
                end_i + 1 < len(words)
                and (
                    words[end_i + 1][:1].isupper()
                    or words[end_i + 1] in ("de", "la", "du", "des", "del", "di", "da")
                )
                and not words[end_i].endswith(",")
            ):
                end_i += 1
            if any(
                not (
                    w[:1].isupper()
                    or w.lower() in ("de", "la", "du", "des", "del", "di", "da", "le", "of")
                    or self._type_word(w.strip(","))
                )
                for w in words[: cut + 1]
            ):
                continue
            pos = m.start("words")
            for w in words[: end_i + 1]:
                pos = text.index(w, pos) + len(w)
            if "\n" in text[m.start() : pos]:
                continue
            out.append((m.start(), pos - (1 if text[pos - 1] in ",." else 0), 0.65))
        for m in ANCHORED.finditer(text):
            # the street's name is the run of capitalised words, particles and types before the number: "My address
            # is Nørrebrogade 110, 2200 København" starts at "Nørrebrogade"
            words = list(regex.finditer(r"\S+", m.group("v")))
            k = len(words) - 1
            while k > 0 and (
                words[k - 1].group(0)[:1].isupper()
                or words[k - 1].group(0).lower() in _PARTICLES
                or words[k - 1].group(0).lower() in _LOWER_FIRST
                or words[k - 1].group(0).lower() not in self.english
                and words[k - 1].group(0).lower() not in _ANCHOR_NOT_STREET
            ):
                k -= 1  # "Suché mýto 1": a word in lower case that is no English word is part of the name
            while k < len(words) - 1 and words[k].group(0).lower() in _ANCHOR_NOT_STREET:
                k += 1
            out.append((m.start("v") + words[k].start(), m.end("v"), 0.6))
        for m in CORNER.finditer(text):
            out.append((m.start("v"), m.end("v"), 0.7))
        for m in regex.finditer(r"(?<![\p{L}\d-])" + POSTCODE + r"(?![\p{L}\d-])", text):
            if POSTCODE_CUE.search(text[max(0, m.start() - 30) : m.start()]):
                out.append((m.start(), m.end(), 0.6))
        for m in DISTINCT_POSTCODE.finditer(text):  # "does the courier deliver to 39-103?"
            if PLACE_CUE.search(text[max(0, m.start() - 40) : m.end() + 40]):
                out.append((m.start(), m.end(), 0.55))
        lower = not regex.search(r"\p{Lu}", text[1:])
        for m in LIVE_AT.finditer(text):
            value = m.group("v")
            if not regex.search(
                r"(?<![\d.,])\d{1,6}[A-Za-z]?(?![\d.,]\d|\s?(?:%|percent|km|miles?|hours?|minutes?|days?|"
                r"years?|times|people|dollars|euros?|kg|m)\b)",
                value,
            ):
                continue
            words = value.lower().rstrip(".").split()  # "i live at fürdőhalasi utca 132. and my number is..."
            while len(words) > 2 and words[-1] in _TRAILING:
                words.pop()  # "... polna 7 m. 3 now"
            head = (
                regex.split(r",|\s+in\s+(?=\d)", value)[0].lower().split()
            )  # "havnegade 5 in 1058 københavn"
            # a house number opens or closes an address ("23 gartlan street", "tabor 760", "no. 3", "5a", "0a/6")
            if not (
                regex.match(r"\d", words[0])
                or regex.match(r"\d{1,5}[a-z]?(?:/\d+)?$", words[-1])
                or (len(head) >= 2 and regex.match(r"\d{1,5}[a-z]?(?:/\d+)?$", head[-1]))
                or (
                    len(words) > 2
                    and regex.match(r"\d", words[-1])
                    and words[-2].rstrip(".") in ("m", "apt", "lok")
                )
                or (
                    len(words) > 2 and regex.match(r"\d", words[-2]) and words[-3].rstrip(".") in ("no", "nr")
                )
            ):
                continue
            strong = STRONG_LIVE.search(text[m.start() : m.start("v")])
            # after "ship to", "deliver to", "moved to": a capitalised name next to a house number is a street
            # ("Deliver to Shevchenka St 5, apt 3, Kyiv 01001", "ship it to 12 Nguyen Hue, District 1")
            strong = strong or (
                SENT_TO.search(text[m.start() : m.start("v")]) and self._named_number(value, lower)
            )
            if strong or any(w.strip(",.") in self.streets or self._type_word(w.strip(",.")) for w in words):
                if len(words) <= 14:
                    kept = value
                    while len(kept.split()) > 2 and kept.split()[-1].lower() in _TRAILING:
                        kept = kept.rstrip().rsplit(None, 1)[0]
                    end = m.start("v") + len(kept)
                    if (
                        lower and strong
                    ):  # "... 5-2-1 ginza, chuo-ku, tokyo 104-0061 before noon": the town parts
                        end = self._lower_parts(text, end)
                    lead = regex.match(
                        r"(?i)(?:at|to|on|in|is)[ \t]+(?=\d)", value
                    )  # "im at 19, ...": a short number
                    out.append((m.start("v") + (lead.end() if lead else 0), end, 0.6))
        out += [(fs, fe, 0.7) for fs, fe in seeds]
        if regex.search(r"[^\p{Latin}\p{Common}\p{Inherited}]", text):
            for pattern in NON_LATIN:
                out += [(m.start(), m.end(), 0.65) for m in pattern.finditer(text)]
        for m in CO_STREET.finditer(text):
            out.append((m.start(), m.end(), 0.7))
        for m in JP_BLOCK.finditer(text):
            out.append((m.start(), m.end(), 0.6))
        for m in PO_BOX_INTL.finditer(text):
            if (
                not m.group(0).lower().startswith(("pl", "box", "b"))
                or out_near(out, m.start(), m.end())
                or m.group(0).lower().startswith(("p.o", "po ", "p o"))
            ):
                out.append((m.start(), m.end(), 0.7))
                # "PO Box 1234, Gaborone, Botswana": the towns and country after the box, to the end of the line
                towns = PO_BOX_TOWNS.match(text, m.end())
                if towns and all(
                    self._place(t) or not self._english_tail(t.lower())
                    for t in regex.findall(TOWN, towns.group(0))
                ):
                    out.append((m.start(), towns.end(), 0.7))
        out += self._chains(text, places)
        out = [(fs, self._secondary(text, fe), sc) for fs, fe, sc in out]
        out += self._blocks(text, out)
        unit_after = regex.compile(r"\G,?\s*(" + UNIT.pattern + r")")
        unit_before = regex.compile(r"(" + UNIT.pattern + r"),?\s*$")
        seen: set[tuple[int, int]] = set()
        for _ in range(4):  # a tail may have a tail: "..., Yeongdeungpo-gu, Seoul 07332"
            added = []
            for fs, fe, _ in out:
                if (fs, fe) in seen:
                    continue
                seen.add((fs, fe))
                after_in = TOWN_AFTER_IN.match(text, fe)
                if after_in and "\n" not in after_in.group(0) and not self._english_tail(after_in.group("v")):
                    added.append((after_in.start("v"), after_in.end("v"), 0.55))
                tail = TOWN_AFTER.match(text, fe)
                if tail and "\n" not in text[fe : tail.end("v")]:
                    added.append((tail.start("v"), self._secondary(text, tail.end("v")), 0.6))
                    town = TOWN_AFTER_POSTCODE.match(text, tail.end("v"))
                    if town and regex.search(r"\d$", tail.group("v")):  # "Konak 35210 İzmir"
                        added.append((town.start("v"), town.end("v"), 0.55))
                district = DISTRICT_AFTER.match(text, fe)
                if district and "\n" not in district.group(0) and not tail:
                    after = TOWN_AFTER.match(text, district.end("v"))
                    if after and "\n" not in after.group(0):
                        added.append((district.start("v"), district.end("v"), 0.55))
                if lower:  # "12 elm grove, york yo1 7hh", "lindenweg 4, 60311 frankfurt", "..., lisboa"
                    low_tail = TOWN_AFTER_LOW.match(text, fe)
                    if (
                        low_tail
                        and "\n" not in low_tail.group(0)
                        and not self._english_tail(low_tail.group("v"))
                    ):
                        added.append((low_tail.start("v"), low_tail.end("v"), 0.55))
                    place = LOW_PLACE.match(text, fe)
                    first = lexicon.fold(place.group("v").split()[0]) if place else ""
                    if (
                        place
                        and (first in self.places or place.group("v").split()[0] in self.places)
                        and (" " in place.group("v") or first not in self.english)
                    ):
                        added.append((place.start("v"), place.end("v"), 0.55))
                unit = unit_after.match(text, fe)
                if unit and "\n" not in unit.group(0):
                    added.append((unit.start(1), self._secondary(text, unit.end(1)), 0.6))
                before = unit_before.search(text[max(0, fs - 20) : fs])
                if before:
                    added.append((max(0, fs - 20) + before.start(1), fs, 0.6))
            if not added:
                break
            out += added
        # a town, region or country spaCy found right after an address ("..., Lekki, Lagos")
        grew = True
        while grew:
            grew = False
            for ps, pe in places:
                if any(fs <= ps and pe <= fe for fs, fe, _ in out):
                    continue
                if any(
                    0 <= ps - fe <= 3 and regex.fullmatch(r"[,\s-]*", text[fe:ps]) and "\n" not in text[fe:ps]
                    for fs, fe, _ in out
                ):
                    out.append((ps, pe, 0.55))
                    grew = True
        return out

    def _named_number(self, value: str, lower: bool) -> bool:
        """A house number with a street's name next to it: a capitalised word, or in a lower-case message a word
        no English list knows or a street word ("12 Nguyen Hue", "shevchenka st 5", "5-2-1 ginza"; not "3 different
        offices")."""
        words = value.replace(",", " ").split()
        for i, w in enumerate(words):
            if not regex.fullmatch(r"\d{1,5}(?:[-/]\d{1,4}){0,3}[A-Za-z]?", w):
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(words):
                    nb = words[j].strip(".'")
                    if (
                        nb[:1].isupper()
                        if not lower
                        else (nb.isalpha() and (not self._english_tail(nb.lower()) or self._type_word(nb)))
                    ):
                        return True
        return False

    def _lower_parts(self, text: str, end: int) -> int:
        """The end of a lower-case address after the parts that follow it with commas, each a place, a street,
        a postcode or words no English list knows ("..., chuo-ku, tokyo 104-0061", "..., lekki, lagos")."""
        while (part := LOWER_PART.match(text, end)) and "\n" not in part.group(0):
            words = regex.findall(r"[\p{L}\p{M}'-]+", part.group("v"))
            if not words and not regex.search(r"\d", part.group("v")):
                break
            if any(
                w in self.english and w not in self.streets and w not in self.places and len(w) > 3
                for w in words
            ):
                break
            end = part.end("v")
        return end

    def _english_tail(self, value: str) -> bool:
        """A lower-case 'town' that is only English words ("1500 grams", "3 people"): no town."""
        words = [w for w in regex.findall(r"\p{L}[\p{L}\p{M}'-]*", value)]
        return not words or all(w in self.english or w.rstrip("s") in self.english for w in words)

    @staticmethod
    def _secondary(text: str, end: int) -> int:
        """The end of an address after its flat, floor and building parts ("Calle de Toledo 87, 3º izq.",
        "Via Po 18, scala B, int. 7", "Blegdamsvej 9, 3. tv.", "Mannerheimintie 5 B 21")."""
        stair = STAIR.match(text, end) if end and text[end - 1].isdigit() else None
        if stair:
            end = stair.end()
        while (more := SECONDARY.match(text, end)) and "\n" not in more.group(0):
            end = more.end()
        return end

    def _place(self, value: str) -> bool:
        words = [w.lower() for w in regex.findall(r"\p{L}[\p{L}\p{M}'’-]*", value)]
        return bool(words) and (words[0] in self.places or any(w in self.places for w in words[:2]))

    def _address_part(self, part: str) -> bool:
        """A piece with a house, flat or plot number: "17 Yeouido-ro", "Flat 12", "5th Main", "#08-221",
        "Kirchgasse 14" (a number and a street or unit word)."""
        if not regex.search(r"\d", part) or regex.fullmatch(r"(?:19|20)\d\d", part.strip()):
            return False
        words = part.split()
        if regex.match(r"\d|#", words[0]):
            return len(words) >= 2 or words[0].startswith("#")
        return any(self._type_word(w) or w.rstrip(".").lower() in _SECONDARY_LOWER for w in words)

    def _chains(self, text: str, places: list[tuple[int, int]] | None = None) -> list[tuple[int, int, float]]:
        """A comma-separated address that ends in a town and a postcode on one line: "Flat 12, Lakeview
        Residency, 5th Main, HSR Layout, Bengaluru - 560102", "17 Yeouido-ro, Yeongdeungpo-gu, Seoul 07332".
        The parts before the town are taken back to the first that is not a short run of capitalised
        words and numbers; one of them must hold a number (house, flat or plot)."""
        out: list[tuple[int, int, float]] = []
        for m in INLINE_TOWN.finditer(text):
            pc = m.group("pc") or m.group("pc2")
            if m.group("pc") and regex.fullmatch(r"(?:19|20)\d\d", pc):
                continue  # "Madrid 2025": a year
            if (
                regex.fullmatch(r"\d{4}", pc)
                and not self._place(m.group("v"))
                and not any(ps < m.end("v") and m.start("v") < pe for ps, pe in places or ())
            ):
                continue  # four digits after a word that is no known place: a quantity ("Bananas 1500")
            line_start = text.rfind("\n", 0, m.start()) + 1
            pieces = text[line_start : m.start()].split(",")
            if len(pieces) < 2 or pieces[-1].strip():
                continue  # the town must follow a comma
            starts, at = [], line_start
            for piece in pieces:
                starts.append(at)
                at += len(piece) + 1
            taken, numbered = [], False
            for piece, pos in zip(reversed(pieces[:-1]), reversed(starts[:-1]), strict=True):
                pos -= 1  # `at` below counts from the comma before the piece
                body = piece.strip()
                if not body:
                    break
                fit = None
                for k in regex.finditer(r"(?:^|(?<=\s))", body):  # the longest tail of the piece that fits
                    if _SEGMENT.fullmatch(body[k.start() :]):
                        fit = body[k.start() :]
                        break
                if not fit or len(fit.split()) > 5:
                    break
                at = pos + 1 + piece.index(body) + len(body) - len(fit)
                taken.append((at, at + len(fit)))
                numbered = numbered or bool(regex.search(r"\d", fit))
                if fit != body or len(taken) >= 5:
                    break
            if taken and numbered and any(self._address_part(text[a:b]) for a, b in taken):
                out += [(a, b, 0.6) for a, b in taken]
                out.append((m.start("v"), m.end("v"), 0.6))
        return out

    def __call__(
        self, text: str, places: list[tuple[int, int]], seeds: list[tuple[int, int]] = ()
    ) -> Iterable[tuple[int, int, float]]:
        for start, end, score in self.spans(text, places, list(seeds)):
            while end > start and text[end - 1] in " \t\n,;:.":
                end -= 1
            while start < end and text[start] in " \t\n,;:":
                start += 1
            if end > start:
                yield start, end, score
