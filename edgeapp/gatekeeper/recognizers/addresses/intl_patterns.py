"""The patterns and word tables of the international address shapes (see `intl`): house numbers,
postcodes of many countries, towns, the lines of a postal block, units and floors, street corners, the
cues that announce an address, and addresses in scripts without Latin letters. Data only."""

from __future__ import annotations

import regex

UP = r"\p{Lu}"
NAMEWORD = r"\p{Lu}[\p{L}\p{M}'’.-]*"
PARTICLE = (
    r"(?:de|del|de la|da|do|dos|das|di|della|van|von|der|den|du|des|le|la|el|y|e|'s|am|an|im|v|na|nad|pod|"
    r"sur|en|bei)"
)
HOUSE = r"\d{1,5}(?:\s?[A-Za-z](?![\p{L}]|[.:]\s?\d))?(?:\s?[/-]\s?\d{1,4}[A-Za-z]?)?"
POSTCODE = (
    r"(?:(?:[A-Z]{1,2}-)?\d{4,6}(?:-\d{3,4})?|\d{2}-\d{3}|\d{3}\s\d{2}|\d{3}-\d{4}|\d{4}\s?[A-Z]{2}"
    r"|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]\d{2}\s?[A-Z\d]{4}|"
    r"[A-Z]\d{4}(?:[A-Z]{3})?)"
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
TOWN_LOW = r"\p{Ll}[\p{Ll}\p{M}'-]+(?:[ \t]\p{Ll}[\p{Ll}\p{M}'-]+)?"
TOWN_AFTER_LOW = regex.compile(
    r"\G(?:,[ \t]*|[ \t]+)(?P<v>(?i:"
    + POSTCODE
    + r")[ \t]+"
    + TOWN_LOW
    + r"|"
    + TOWN_LOW
    + r"[ \t]+(?i:"
    + POSTCODE
    + r"))(?![\p{L}\d])"
)
# ", lisboa", ", sao paulo", ", rio de janeiro": a town in lower case after an address, up to the end of
# the clause
LOW_PLACE = regex.compile(
    r"\G,[ \t]*(?P<v>\p{Ll}[\p{Ll}\p{M}-]+(?:[ \t]+(?:(?:de|do|da|del|la|los|las|di|am|an|sur|upon)[ \t]+)?"
    r"\p{Ll}[\p{Ll}\p{M}-]+){0,2}?)(?=[ \t]*(?:$|[,.;!?\n]|and\b))|"
    r"\G,[ \t]*(?P<v>\p{Ll}[\p{Ll}\p{M}-]+)(?![\p{L}])"
)
# "... Björkgränd 44 in 5729-680 Vendas Novas": a postcode and a town after "in"
TOWN_AFTER_IN = regex.compile(
    r"\G[ \t]+in[ \t]+(?P<v>(?i:"
    + POSTCODE
    + r")[ \t]+(?:"
    + TOWN_PLUS
    + r"|"
    + TOWN_LOW
    + r"))(?![\p{L}\d])"
)
# postcodes whose shape is distinctive (Polish, Czech/Slovak/Swedish/Greek, Brazilian, US ZIP+4, Portuguese)
DISTINCT_POSTCODE = regex.compile(
    r"(?<![\p{L}\d/.,:-])(?:\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{5}-\d{3,4}|\d{4}-\d{3})(?![\p{L}\d/-]|[.,]\d)"
)
PLACE_CUE = regex.compile(
    r"(?i)\b(?:deliver(?:y|s|ed|ing)?|courier|ship(?:ping|ped)?|post(?:al|ed)?|near|nearest|area|zone|region|"
    r"district|town|"
    r"city|located|live[sd]?|living|address|coast|rural|around|neighbou?rhood|moved?|parcel|package)\b"
)
TOWN_AFTER_POSTCODE = regex.compile(r"\G[ \t]+(?P<v>" + TOWN_PLUS + r")(?=[ \t]*(?:$|[,.;!?\n]))")
# a district between a street and its town ("..., Yeongdeungpo-gu, Seoul 07332", "... - Consolação, São
# Paulo - SP, ...")
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
SEGMENT = regex.compile(
    r"(?:(?:"
    + NAMEWORD
    + r"|\d{1,5}(?:st|nd|rd|th)?[\p{L}]?(?:[-/]\d{1,4}[\p{L}]?)*|#[\d-]+|"
    + PARTICLE
    + r")(?:[ \t]+|$))+"
)
UNIT = regex.compile(
    r"(?<![\p{L}\d])(?:Apt\.?|APT\.?|Apartment|Suite|SUITE|Ste\.?|Unit|UNIT|Flat|Apto\.?|apto\.?|Piso|piso|"
    r"Whg\.?|"
    r"Wohnung|Floor|Fl\.|Room|Rm\.?|Bldg\.?|Building|Block|Blk\.?|Lot|Box|"
    r"#)\s?#?\s?\d{1,5}[A-Za-z]?(?:-\d{1,4}[A-Za-z]?)?"
    r"(?![\p{L}\d])"
)
CORNER_TYPE = (
    r"(?:rue|avenue|boulevard|chemin|calle|via|rua|ul\.|ulica|aleja|strada|avenida)\s+(?:"
    + PARTICLE
    + r"\s+)?"
)
CORNER_WORD = r"(?:" + NAMEWORD + r"|\d{1,3}(?:st|nd|rd|th))"  # "5th Avenue and 42nd Street"
CORNER = regex.compile(
    r"(?i:corner|intersection|junction|crossing)\s+of\s+(?P<v>(?:"
    + CORNER_TYPE
    + r")?"
    + CORNER_WORD
    + r"(?:\s+(?:"
    + NAMEWORD
    + r"|"
    + PARTICLE
    + r")){0,4}\s+(?:and|&|with)\s+(?:"
    + CORNER_TYPE
    + r")?"
    + CORNER_WORD
    + r"(?:\s+(?:"
    + NAMEWORD
    + r"|"
    + PARTICLE
    + r")){0,4})"
)
POSTCODE_CUE = regex.compile(
    r"(?i)(?:zip|zip\s?code|eircode|postcode|post\s?code|postal\s?code|postal|cep|plz|pin\s?code|pincode|"
    r"code\s+postal|"
    r"c[oó]digo\s+postal|codice\s+postale|postnummer|postinumero|irányítószám|kod\s+pocztowy)"
    r"(?:\s*(?:is|was|:|=|-|#|there|here|of|for|my|the|number|no\.?)){0,4}\s*$"
)
ADDRESS_CUE = regex.compile(
    r"(?i)(?:address|adresse|adres|dirección|direccion|endereço|indirizzo|ship(?:ping)?\s+to|"
    r"deliver(?:y)?\s+to|"
    r"send\s+(?:it\s+)?to|post\s+(?:it\s+)?to|mail\s+(?:it\s+)?to|i\s+live|we\s+live|lives|living|moved\s+to|"
    r"located|billing|wohne|wohnen|home:|office:|visit\s+us|headquarters|bill\s+to|ship\s+to)"
)
ADDRESS_HEADER = regex.compile(
    r"(?i)^[ \t>]*(?:(?:(?:home|postal|mailing|billing|shipping|delivery|street|new|current|my|our|permanent|"
    r"residential|business|office|work)\s+)?(?:address|adresse|adres|dirección|direccion|endereço|indirizzo|"
    r"anschrift)"
    r"|(?:ship|deliver|send|bill|mail)\s+(?:it\s+)?to)\s*(?:\([^)]*\))?\s*(?::|[-–—](?=\s))\s*"
)
# a form's place fields, whose value is part of an address with or without a number ("City: Marousi",
# "Address line 2: Unit 5", "Street: Kifissias Ave")
PLACE_FIELD = regex.compile(
    r"(?i)^[ \t>*-]*(?:address(?:\s+line)?\s*[2-4]|street(?:\s+address)?|street\s+name|apartment|apt\.?|"
    r"suite|"
    r"flat|city|town|town\s*/\s*city|city\s*/\s*town|district|neighbou?rhood|suburb|county|province|"
    r"village|locality|municipality|ciudad|ville|stadt|ort|wohnort|cidade|città|miasto|barrio|bairro|colonia|"
    r"comuna|provincia|estado|bundesland|kanton)\s*:[ \t]*(?P<v>[^\n;|]{2,60}?)[ \t.,]*$",
    regex.M,
)
# "i live at tabor 760", "we are at 19772 nguyen springs": what follows, to the end of the clause, when it
# has a number
LIVE_AT = regex.compile(
    r"(?i)(?<![\p{L}])(?:(?:i|we|they|he|she)\s+(?:live|lives|lived)|living|(?:i'?m|i\s+am|we'?re|we\s+are|"
    r"im)(?:\s+now)?|"
    r"(?:my|our|the|his|her|their)\s+(?:new\s+|current\s+|home\s+|postal\s+)?address\s+is|staying|located|"
    r"resid(?:e|es|ing)|moved|deliver(?:ed)?|ship(?:ped)?|send\s+it|goes|going|sent|send|post\s+it|mail\s+it|"
    r"(?:are|is)(?:\s+now)?(?=\s+at\s))\s+(?:(?:it|them|this|that|everything)\s+(?=(?:at|to)\s))?(?:(?:at|to|"
    r"on|in|is)\s+)?(?P<v>(?:(?!\s+(?:and|but|if|so|because|or)\s|\.\s+(?-i:\p{Lu}))[^,;!?\n]){3,60}?"
    r"(?:,\s*(?:\p{L}[^,;!?\n]{0,30}?)?\d[^,;!?\n]{0,30}?|(?<=\b(?:i|"
    r"we)\s+live\s+at\s+\d{1,5}[a-z]?(?:[/-]\d{1,5})?),\s*"
    r"\p{L}[^,;!?\n]{2,40}?)?)(?=\s+(?:and|but|if|so|because|or)\s|[,;!?\n]|\.\s+(?-i:\p{Lu})|\.\s*$|\s+-\s|"
    r"$)"
)
SENT_TO = regex.compile(
    r"(?i)(?:deliver(?:ed)?|ship(?:ped)?|send|sent|post|mail)(?:\s+(?:it|them|this|that|the\s+\w+))?\s+to"
    r"\s*$|moved\s+to\s*$"
)
STRONG_LIVE = regex.compile(
    r"(?i)(?:(?:live|lives|lived|living|i'?m|am|we'?re|are|staying)\s+at|address\s+is)\s*$"
)
# the words of a flat, floor or building part after a street ("Apt", "Piso", "Whg", "Bâtiment")
SECONDARY_WORDS = sorted(
    frozenset(
        """Bl Blk Block Bloco Bloque Sc Scala Esc Escalera Escalier Ap Apt Apto Apart Apartamento
        Appartamento Apartment App Appt Et Etaj Edif Edificio Depto Dpto Departamento Interior Int Interno
        Piso Planta Piano Suite Unit Flat Ste Stg Stiege Top Tür Whg Wohnung Etage Floor Fl No Nr Casa Lote
        Lot Torre Bus Boîte Bte Puerta Pta Sala Conj Cj Loja Lj Room Rm lok lokal lgh Daire Kat Bât Bat
        Bâtiment Porte House Villa Plot Shop Office Building Bldg""".split()
    ),
    key=lambda w: (-len(w), w),
)
SECONDARY = regex.compile(
    r"\G(?:,?[ \t]+|[ \t]*,[ \t]*|[ \t]+[-–][ \t]+)(?:"
    r"(?:"
    + "|".join(SECONDARY_WORDS)
    + r")\.?:?[ \t]*#?[ \t]*(?:\d{1,5}\p{L}?(?:[-/]\d{1,4}\p{L}?)?|\p{L}(?![\p{L}]))\.?"
    r"|(?:m\.|D:|d\.)[ \t]*\d{1,4}\p{L}?"
    r"|\d{1,2}[ \t]?[ºª°](?:[ \t]?\d{1,2}[ \t]?[ªºa])?(?:[ \t]?(?:izq(?:uierda|da)?|dcha|dcho|der(?:echa)?|"
    r"centro|ctro|\p{Lu}(?![\p{L}])))?\.?"
    r"|\d{1,2}\.[ \t]?(?:sal\.?[ \t]?)?(?:th|tv|mf)\.?|st\.[ \t]?(?:th|tv|mf)\.?"
    r"|\d{1,2}\.[ \t]?(?:OG|Stock|Etage|étage|floor|kat)(?![\p{L}])"
    r"|(?:bajo|entlo|entresuelo|ático|atico)(?:[ \t]?(?:izq(?:uierda|da)?|dcha|\p{Lu}(?![\p{L}])))?\.?"
    r"|\d{1,2}(?:st|nd|rd|th|e|er|ème)[ \t]+(?:floor|étage|piso|stock)"
    r"|Hinterhaus|Vorderhaus|Seitenflügel|Gartenhaus"
    r")(?![\p{L}\d])",
    regex.IGNORECASE,
)
# a stairwell letter and flat number right after a house number ("Mannerheimintie 5 B 21", "Storgata 5 C")
SECONDARY_LOWER = frozenset(w.lower() for w in SECONDARY_WORDS)
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
    r"(?<![\p{L}\d])(?P<words>(?:[\p{L}\p{M}'’.-]+[ \t]+){0,6}?[\p{L}\p{M}'’.-]+)(?:,[ \t]*|[ \t]+)(?:(?:Nr|"
    r"No|N[°º]|n[°º]|nº)\.?:?[ \t]*)?"
    r"(?P<num>"
    + HOUSE
    + r")(?![\d/-]|[.,]\d|\s?%|\s?(?:km|m(?!\.[ \t]?\d)|kg|cm|mm|h|min|am|pm)\b)"  # "84/92 m. 15": a flat
)
# "77, Kadakia Marg", "1777 Çetin Fords", "12 rue de la Paix", "3-2-1 Nishi-Shinjuku"
NUMBER_THEN_STREET = regex.compile(
    r"(?<![\p{L}\d/.,-])(?P<num>\d{1,5}[A-Za-z]?(?:-\d{1,4}){0,2}),?[ \t]+"
    r"(?P<words>(?:[\p{L}\p{M}'’.-]+[ \t]+){0,5}"
    r"[\p{L}\p{M}'’.-]+)(?![\p{L}\d])"
)


# street types too short or too English to be recognised glued to a name ("Spring", "Hungarian")
NOT_GLUED = frozenset(
    """ring pad hof lei tor top end dip row run way key gap dam tie gang para part port land line link stand
    lane rise view well wall walk park camp ford fort mill hill dale vale edge turn rest reach""".split()
)
# street types written in lower case before the name, in the languages that do so
LOWER_FIRST = frozenset(
    """rue chemin allée impasse quai boulevard bd avenue av. rua calle via viale ul. ulica aleja al.
    utca strada travessa avenida gg. jl. jalan piazza plac ulice náměstí trieda cesta calea
    bulevardul aleea soseaua""".split()
)


# words before a house number that are no part of a street's name ("My address is Nørrebrogade 110")
ANCHOR_NOT_STREET = frozenset(
    """i my our we me the it this please pls send ship deliver to address new is at in moved""".split()
)
# words after an address that are no part of it ("... polna 7 m. 3 now")
TRAILING = frozenset("now today tonight already again too pls please btw lol thanks asap".split())
# particles inside a street's name ("Calle de Alcalá", "rue de la Paix")
PARTICLES = frozenset(
    "de del la las los da do dos das di della van von der den du des le el y e i am an im auf sur lo".split()
)


EXTRA_TYPES = frozenset(
    """caddesi cad. cd. sokak sokağı sk. sok. bulvarı blv. mahallesi mah. mh. marg nagar layout
    salai veedhi gali chowk lorong jalan jln. tỉnh đường phố ngõ hẻm""".split()
)
HYPHEN_TYPE = regex.compile(r"(?i)^\p{L}{2,}-(?:ro|gil|daero|dong|ri|dori|dōri|machi|chō|cho)$")
# "Carrera 7 # 32-16", "Calle 85 No. 11-53": a Colombian address, the street's number, then the cross
# street's and the
# house's
CO_STREET = regex.compile(
    r"(?<![\p{L}])(?:Carrera|Cra\.?|Kr\.?|Calle|Cl\.?|Avenida|Av\.?|Transversal|Tv\.?|Diagonal|Dg\.?|"
    r"Autopista)[ \t]+"
    r"\d{1,3}[A-Z]?(?:[ \t]+(?:Bis|Sur|Este|Norte))?[ \t]*(?:#|No\.?|"
    r"N[°º])[ \t]*\d{1,3}[A-Z]?[ \t]*-[ \t]*\d{1,3}(?![\d])"
)
# "2-11-3 Meguro", "1-5 Umeda 2-chome": Japanese block numbers
JP_BLOCK = regex.compile(r"(?<![\p{L}\d/.,-])\d{1,2}-\d{1,2}-\d{1,3}[ \t]+\p{Lu}[\p{L}\p{M}-]+")
PO_BOX_INTL = regex.compile(
    r"(?i)(?<![\p{L}\d])(?:p\.?\s?o\.?\s+box|postfach|caixa\s+postal|apartado(?:\s+de\s+correos)?|"
    r"casilla(?:\s+de\s+correo)?|"
    r"bo[iî]te\s+postale|b\.?p\.?|postbus|postboks|skrytka\s+pocztowa|pl\.?|"
    r"box)\s+\d{1,6}(?:-\d{3,5})?(?![\p{L}\d])"
)

LOWER_PART = regex.compile(
    r"\G,[ \t]*(?P<v>[^,;!?\n]{2,40}?)(?=[ \t]*(?:,|$|[.;!?\n]|[ \t]+(?:before|after|last|next|this|tomorrow|"
    r"today|tonight|"
    r"and|but|so|or|come|pls|please|thanks|asap|by)\b))"
)


PO_BOX_TOWNS = regex.compile(r"\G(?:,[ \t]*" + TOWN + r"){1,3}(?=[ \t]*(?:$|[.;!?\n]))", regex.M)


# addresses in scripts without Latin letters: Japanese and Chinese (an administrative or street suffix, then a
# number), Korean road names ("테헤란로 152"), Cyrillic street types ("ул. Тверская, д. 7, кв. 12"), Greek,
# Arabic
NON_LATIN = [
    regex.compile(p)
    for p in (
        r"(?:〒[ \t]?\d{3}-?\d{4}[ \t]*)?[\p{Han}\p{Katakana}\p{Hiragana}ー]{1,12}"
        r"(?:都|道|府|県|市|区|町|村|丁目|省|县|縣|路|街|巷|弄|镇|鎮)"
        r"[\p{Han}\p{Katakana}\p{Hiragana}ー\d０-９－−-]*[\d０-９]+(?:[－−-][\d０-９]+)*(?:番地?|号|號|丁目)?"
        r"(?:[\d０-９]+(?:号|號|室|楼|樓|階))*",
        r"(?:[\p{Hangul}]+(?:특별시|광역시|시|도|구|군|동|읍|면)[ \t]+)*[\p{Hangul}\d]+(?:로|길|"
        r"대로)[ \t]?\d+(?:-\d+)?(?:번길[ \t]?\d+(?:-\d+)?)?"
        r"(?:,?[ \t]?\d+동)?(?:[ \t]?\d+호)?",
        r"(?i:ул\.|улица|просп\.|проспект|пр-т|пер\.|переулок|бул\.|бульвар|ш\.|шоссе|наб\.|набережная|пл\.|"
        r"площадь|вул\.|"
        r"вулиця|мкр\.|микрорайон)[ \t]?\p{Lu}[\p{L}-]+(?:[ \t]\p{L}[\p{L}-]+){0,2},?[ \t]?(?:(?i:д\.|"
        r"дом)[ \t]?)?\d+[\p{L}]?"
        r"(?:(?:,[ \t]?|[ \t])(?i:кв\.|корп\.|стр\.|к\.|оф\.|под\.|эт\.)[ \t]?\d+)*",
        r"(?:Οδός|οδός|Οδ\.|Λεωφόρος|Λεωφ\.|Πλατεία)[ \t]\p{L}+(?:[ \t]\p{L}+)?[ \t]\d+",
        r"(?:شارع|طريق|حي)[ \t][\p{Arabic} ]{2,30}?[ \t]?[\d٠-٩]+",
    )
]
