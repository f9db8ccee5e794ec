"""People's names found from the structure and the words around them, whatever the name is
(given names no list knows: "Chidi", "Seo-yeon", "Tewodros"):

- a form field or header for a person ("Name:", "Full name:", "Nombre:", "Account holder:",
  "From:"), with the value on the same line or on the next one;
- a greeting ("Hi Seo-yeon,", "Hola Iker", "Hej Ylva") and the line under a closing ("Best,",
  "Kind regards", "Med vennlig hilsen", "--");
- a relation ("my friend Chidi", "our neighbour Mrs Okafor", "her colleague Tuan Ho");
- the subject of a verb that people do ("Chidi says...", "Tewodros and I...", "Seo-yeon texted"),
  when the word is not an English word, a place or a street type, and no date or place for spaCy;
- the speaker of a chat log line with a time stamp ("[10:42] Chidi: on my way");
- a list of three or more words that are no English words or places after words that announce people
  ("invited Kjeld, Obinna and Sunniva", "split the costs between ...");
- the name column of a CSV or Markdown table and the name fields of JSON ("customer": "...").

In a message typed in lower case the same cues hold for lower-case words that are no English word.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from ... import lexicon
from ...lexicon.name_words import IRREGULAR, NOT_NAME, NUMBER_WORDS, PARTICLES, PRODUCTS, SLANG
from ..base import NO_VALUE
from .word_lists import WordListNameRecognizer as LexiconNameRecognizer

_CAP = (
    r"(?:\p{Lu}['’])?\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{L}[\p{Ll}\p{M}]*)*"  # "Seo-yeon", "O'Sullivan", "Nguyễn"
)
_CAPS = r"\p{Lu}{2,}(?:['’-]\p{Lu}+)*"  # "OKAFOR" (a family name written first)
_INITIAL = r"\p{Lu}\."
_LOW = r"\p{Ll}[\p{Ll}\p{M}]+(?:['’-]\p{Ll}[\p{Ll}\p{M}]*)*"
_PART = (
    r"(?:"
    + "|".join(
        sorted(
            PARTICLES
            | {
                "dos",
                "das",
                "do",
                "della",
                "ní",
                "nic",
                "mac",
                "bin",
                "binti",
                "ibn",
                "el",
                "ter",
                "van",
                "de",
                "dela",
            },
            key=len,
            reverse=True,
        )
    )
    + r")"
)
# a run of one to four name words on one line: capitalised words, initials, particles inside
_LO = r"[\p{Han}\p{Hangul}\p{Katakana}\p{Hiragana}\p{Arabic}\p{Hebrew}\p{Thai}\p{Devanagari}ー・]{1,12}"  # scripts without case
NAME_RUN = (
    r"(?:"
    + _CAP
    + r"|"
    + _CAPS
    + r")(?:[ \t]+(?:(?:"
    + _PART
    + r")[ \t]+)*(?:"
    + _CAP
    + r"|"
    + _CAPS
    + r"|"
    + _INITIAL
    + r")){0,3}"
)
# after a strong cue (a form field, a greeting, a relation) a name may be in a script without capitals
CUED_RUN = r"(?:" + NAME_RUN + r"|" + _LO + r"(?:[ \t]" + _LO + r"){0,2})"
LOW_RUN = r"(?:" + _LOW + r")(?:[ \t]+" + _LOW + r"){0,2}"

# labels of a form field or header whose value is a person
_LABELS = (
    r"(?:full\s+|first\s+|last\s+|family\s+|given\s+|middle\s+|maiden\s+|contact\s+|account\s+|customer\s+|"
    r"patient\s+|guest\s+|student\s+|employee\s+|client\s+|applicant'?s?\s+|your\s+)?names?|surname|"
    r"nombre(?:\s+completo)?|apellidos?|nom(?:\s+complet)?|prénom|navn|namn|nimi|nome(?:\s+completo)?|"
    r"imię(?:\s+i\s+nazwisko)?|nazwisko|vorname|nachname|naam|achternaam|voornaam|isim|ad\s+soyad|"
    r"contact(?:\s+person)?|applicant|guest|customer|client|patient|tenant|landlord|landlady|passenger|recipient|"
    r"sender|addressee|account\s+holder|holder|cardholder|card\s+holder|beneficiary|payee|payer|attn|attention|"
    r"driver|emergency\s+contact|next\s+of\s+kin|signed(?:\s+by)?|employee|student|pupil|parent|guardian|owner|"
    r"buyer|seller|author|reporter|assignee|requester|requested\s+by|organi[sz]er|host|speaker|witness|spouse|"
    r"referee|reference|doctor|physician|from|to|cc|bcc|reply-to|wrote\s+by|written\s+by|prepared\s+by|attendee"
)
FIELD = regex.compile(
    r"(?im)(?:^|(?<=[;|][ \t]*))[ \t>*•-]*(?:"
    + _LABELS
    + r")(?:[ \t]*[:：][ \t]*(?:\n[ \t>]*)?|[ \t]+[-–—][ \t]+)"
    r"(?P<v>[^\n<(@\[{|\"]{2,70})"
)
# a mail header's display name in quotes, "Family, Given" as mail programs write it: From: "Okafor, Chinwe" <...>
# two or three capitalised Cyrillic or Greek words in a message written in Latin letters: a name ("send this to
# Иван Петров", "Γιώργος Παπαδόπουλος")
_CG_WORD = r"[А-ЯЁІЇЄҐΑ-ΩΆΈΉΊΌΎΏ][а-яёіїєґα-ωάέήίόύώϊϋΐΰς]+"
CYRILLIC_GREEK_NAME = regex.compile(
    r"(?<![\p{L}\p{M}])(?P<v>" + _CG_WORD + r"(?:[ \t]+" + _CG_WORD + r"){1,2})(?![\p{L}\p{M}])"
)
# a ticket's passenger name, SURNAME/GIVEN NAMES, with a title after it or a passenger cue before it on the
# line: "LEE/SEO YEON MS", "pax: SMITH/JOHN MR" (not "TCP/IP")
AIRLINE_NAME = regex.compile(
    r"(?m)(?:(?<=(?i:passenger|pax|traveller|traveler|name)[ \t]*:?[ \t]*)|(?=[A-Z'-]+/[A-Z'-]+(?:[ ][A-Z'-]+){0,3}"
    r"[ ]+(?:MR|MRS|MS|MISS|MSTR|DR|MX)\b))"
    r"(?P<v>\b[A-Z][A-Z'-]+/[A-Z][A-Z'-]+(?:[ ](?!(?:MR|MRS|MS|MISS|MSTR|DR|MX)\b)[A-Z][A-Z'-]+){0,3})\b"
)
QUOTED_SENDER = regex.compile(
    r'(?im)^[ \t>]*(?:from|to|cc|bcc|reply-to|sender)[ \t]*:[ \t]*"(?P<v>[^"\n]{2,60})"'
)
_GREETINGS = (
    r"hi|hello|hey|dear|hej|hola|salut|bonjour|bonsoir|ciao|hallo|olá|ola|hei|moi|merhaba|namaste|salam|"
    r"assalamu\s+alaikum|szia|ahoj|cześć|czesc|privet|sveiki|tere|halo|kia\s+ora|sawubona|jambo|habari|"
    r"good\s+(?:morning|afternoon|evening)|greetings|howdy|yo|sehr\s+geehrte[r]?|liebe[r]?|querid[oa]|cara?|caro|"
    r"beste|kære|kära|kjære|hyvä|estimad[oa]"
)
GREETING = regex.compile(
    r"(?im)(?:^|(?<=[.!?]\s))[ \t>]*(?:"
    + _GREETINGS
    + r")[ \t]+(?P<v>"
    + CUED_RUN
    + r")(?=[ \t]*[,!:\n—–-]|$)"
)
_CLOSINGS = (
    r"best(?:\s+regards|\s+wishes)?|kind\s+regards|warm\s+regards|warmest\s+regards|regards|cheers|thanks|thank\s+you|"
    r"many\s+thanks|thx|sincerely|yours(?:\s+sincerely|\s+truly|\s+faithfully)?|love|xoxo|take\s+care|"
    r"saludos(?:\s+cordiales)?|un\s+saludo|atentamente|cordialement|bien\s+à\s+vous|amitiés|bises|"
    r"mit\s+freundlichen\s+grüßen|viele\s+grüße|liebe\s+grüße|lg|beste\s+grüße|med\s+vennlig\s+hilsen|mvh|hilsen|"
    r"med\s+venlig\s+hilsen|venlig\s+hilsen|hälsningar|vänliga\s+hälsningar|mvh|terveisin|ystävällisin\s+terveisin|"
    r"groeten|met\s+vriendelijke\s+groet(?:en)?|groetjes|pozdrawiam|s\s+pozdravem|pozdrav|atenciosamente|abraços|"
    r"cumprimentos|beijos|distinti\s+saluti|cordiali\s+saluti|saluti|un\s+abbraccio|saygılarımla|üdvözlettel|"
    r"--|—|sent\s+from\s+\w+"
)
CLOSING = regex.compile(
    r"(?im)^[ \t>]*(?:" + _CLOSINGS + r")[ \t]*[,.!]?[ \t]*\n(?:[ \t]*\n)?[ \t>]*(?P<v>[^\n]{2,60})$"
)
_RELATIONS = (
    r"friend|best\s+friend|girlfriend|boyfriend|colleague|coworker|co-worker|workmate|classmate|teammate|neighbou?r|"
    r"flatmate|roommate|housemate|landlord|landlady|tenant|partner|wife|husband|fianc[ée]e?|spouse|ex|sister|brother|"
    r"sister-in-law|brother-in-law|mother-in-law|father-in-law|daughter-in-law|son-in-law|cousin|aunt|auntie|uncle|"
    r"niece|nephew|grandma|grandpa|granny|grandmother|grandfather|son|daughter|stepson|stepdaughter|stepmother|"
    r"stepfather|mom|mum|mother|dad|father|boss|manager|supervisor|assistant|intern|hire|student|pupil|tutor|teacher|"
    r"professor|coach|trainer|doctor|dentist|therapist|nanny|babysitter|cleaner|plumber|electrician|mechanic|"
    r"lawyer|accountant|client|customer|guest|mentor|mentee|buddy|pal|mate|contact|tenant|employee|employer"
)
RELATION = regex.compile(
    r"(?i:\b(?:my|our|his|her|their|your)\s+(?:(?:best|old|new|dear|little|big|younger|older|elder|late|ex-?)\s+)?"
    r"(?:" + _RELATIONS + r")),?[ \t]+(?:(?i:mr|mrs|ms|miss|dr|prof)\.?[ \t]+)?(?P<v>" + CUED_RUN + r")"
)
# "write to kaito", "tell ifeoma", "ask tobiloba": a lower-case word that is no English word after such a verb
CUE_LOW = regex.compile(
    r"\b(?:(?:thanks|thank[ \t]+you)(?:[ \t]+(?:so|very)[ \t]+much|[ \t]+a[ \t]+lot)?|write|writing|text|texting|"
    r"message|msg|tell|ask|remind|email|call|thank|invite|ping|dm|congratulate|dear|hi|hey|hello|told|asked|texted|"
    r"messaged|emailed|thanked|invited|reminded|pinged)[ \t]+(?:to[ \t]+)?(?P<v>"
    + _LOW
    + r")(?:[ \t]+(?:and|&)[ \t]+(?P<v2>"
    + _LOW
    + r"))?"
)  # "tell adebayo and funmi": the second of two names joined by "and" too
# "hey, it's ravshan.", "this is bekzod from accounting", "ticket opened by kalinda": who is speaking or did it
SELF_LOW = regex.compile(
    r"\b(?:it's|it’s|it is|this is|my name is|my name's|name's|(?:opened|sent|written|signed|reported|created|posted|"
    r"submitted|approved|reviewed|assigned)[ \t]+(?:by|to))[ \t]+(?P<v>" + _LOW + r")"
    r"(?=[ \t]*(?:[.,!?;:\n]|$|from\b|here\b|again\b|speaking\b|at\b))"
)
RELATION_LOW = regex.compile(
    r"\b(?:my|our|his|her|their|your)\s+(?:(?:best|old|new|little|big)\s+)?(?:"
    + _RELATIONS
    + r"),?[ \t]+(?P<v>"
    + _LOW
    + r")"
)
# states no company is in ("Tancredi is very reliable", "Oyelaran was late again"): a single word spaCy calls an
# organisation is still a person before them (PERSON_STATE)
_PERSON_ONLY_STATES = (
    r"reliable|unreliable|nice|kind|friendly|rude|late|early|busy|away|allergic|vegan|vegetarian|pregnant|sick|ill|"
    r"off\s+sick|on\s+leave|on\s+holiday|on\s+vacation|in\s+hospital|in\s+the\s+hospital|married|divorced|single|"
    r"retired|unemployed|upset|angry|happy|sad|worried|excited"
)
# and what people are, more loosely (a word that is no English word is a name before them)
_STATES = _PERSON_ONLY_STATES + (
    r"|my|our|his|her|their|a\s+friend|a\s+colleague|a\s+great|an\s+excellent|the\s+best|coming|leaving|moving|"
    r"visiting|staying|feeling|available|unavailable|responsible|born|turning|joining|hosting|cooking|driving|bringing|"
    r"helping|waiting|asking|wondering|in\s+charge|out\s+of\s+office|back|home|here|there|right|wrong|new\s+here|"
    r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|(?:twen|thir|for|fif|six|seven|"
    r"eigh|nine)ty(?:[- ]\w+)?)\s+(?:years?|months?)\s+old"
)
_IS = r"(?:is|was)\s+(?:(?:very|so|really|always|never|not|still|usually|super|quite|extremely)\s+)?"
PERSON_STATE = regex.compile(_IS + r"(?:" + _PERSON_ONLY_STATES + r")$")
# verbs a person is the subject of ("Chidi says", "Seo-yeon texted me", "Tewodros and I")
_PERSON_VERBS = (
    r"says|said|say|told|tells|asked|asks|wants|wanted|thinks|thought|texted|called|calls|emailed|messaged|replied|"
    r"mentioned|promised|agreed|refused|borrowed|lent|owes|invited|loves|hates|likes|misses|knows|finally|just|"
    r"and\s+I|and\s+me|and\s+my|can't|cannot|couldn't|won't|didn't|doesn't|isn't|wasn't|hasn't|is\s+not|will\s+not|"
    r"quit|married|lives|lived|studies|studied|graduated|visited|forgot|forgets|paid|bought|"
    r"just\s+\w+ed|apparently|wrote|writes|suggested|recommended|complained|explained|insisted|decided|"
    r"tried|hopes|hoped|wonders|wondered|reminded|joined|booked|cancel(?:l)?ed|"
    r"helped|met|saw|heard|cooked|brought|picked\s+up|dropped\s+off|offered|plans|planned|prefers|preferred|would|will|"
    r"logged\s+(?:in|on|out)|signed\s+(?:in|up|off|out|the)|changed\s+(?:his|her|their|the)|updated\s+(?:his|her|their|the)|"
    r"ordered|requested|submitted|registered|applied|uploaded|returned|transferred|confirmed|approved|"
    r"got\s+(?:married|engaged|divorced|promoted|fired|hired|sick)|won|drove|walked|sang|danced|laughed|cried|"
    r"smiled|slept|woke\s+up|ate|arrived|moved\s+(?:in|out|to|back)|turned\s+\d+|"
    + _IS
    + r"(?:"
    + _STATES
    + r")"
)
SUBJECT = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + NAME_RUN
    + r")(?:['’]s\s+(?:mom|dad|wife|husband|sister|brother|partner|boss))?"
    r"[ \t]+(?:" + _PERSON_VERBS + r")\b"
)
# "Meet Regina at the corner", "ask Toby", "text Dominika": a person is met, asked, texted
OBJECT = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<cue>(?i:meet|meeting|tell|ask|text|texting|email|e-mail|message|remind|ping|thank|thanks|"
    r"invite|congratulate|call|phone|dm|cc|told|asked|texted|emailed|messaged|thanked|invited|reminded|pinged|"
    r"phoned|met|paid|(?:check|checked|speak|spoke|talk|talked|chat|chatted|meet|catch[ \t]+up|caught[ \t]+up|"
    r"work|worked|lunch|dinner|coffee)[ \t]+(?:to|with)))[ \t]+(?P<v>" + NAME_RUN + r")(?![\p{L}\p{M}'’-])"
)
COORDINATED = regex.compile(r"(?<![\p{L}\p{M}'’.-])(?P<v>" + NAME_RUN + r")[ \t]+(?:and|&)[ \t]+\Z")
# the subject of a question about what a person does: "Did Halvard reply?", "Has Oyelaran signed?"
AUX_SUBJECT = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?:Did|Didn't|Does|Doesn't|Has|Hasn't|Will|Won't|Can|Could|Would|Should|Shall)[ \t]+"
    r"(?P<v>"
    + NAME_RUN
    + r")[ \t]+(?:already[ \t]+|ever[ \t]+|still[ \t]+)?(?:reply|replied|respond|responded|answer|"
    r"answered|call|called|ring|rang|text|texted|say|said|send|sent|sign|signed|pay|paid|come|arrive|arrived|leave|"
    r"left|agree|agreed|confirm|confirmed|email|emailed|write|written|wrote|finish|finished|join|joined|accept|"
    r"accepted|approve|approved|book|booked|bring|pick|mention|mentioned|remember|forget|forgot|tell|told|ask|asked|"
    r"visit|visited|meet|met|help|helped|drive|drove|cook|cooked)\b"
)
SUBJECT_LOW = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>" + _LOW + r")[ \t]+(?:" + _PERSON_VERBS.replace("I", "i") + r")\b"
)
TIMESTAMP_SPEAKER = regex.compile(
    r"(?m)^[ \t]*(?:\[?\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?[ \t]*)?\[?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?[ \t]*(?:[AaPp][Mm])?\]?"
    r"[ \t]*[-–]?[ \t]*(?P<v>" + NAME_RUN + r"|" + LOW_RUN + r")[ \t]*:"
)
JSON_FIELD = regex.compile(
    r"(?i)[\"'](?:name|full_?name|first_?name|last_?name|given_?name|family_?name|surname|customer(?:_?name)?|"
    r"client(?:_?name)?|guest(?:_?name)?|contact(?:_?name|_?person)?|author|recipient|sender|owner|patient|employee|"
    r"passenger|account_?holder|holder|cardholder|beneficiary|payee|driver|student|tenant|user_?full_?name)[\"']"
    r"\s*:\s*[\"'](?P<v>[^\"'\n]{2,60})[\"']"
)
NAME_HEADER = regex.compile(
    r"(?i)^(?:(?:full|first|last|given|family|customer|client|guest|contact|employee|student|patient|passenger)"
    r"[ _]?)?(?:name|names|surname|guest|customer|client|contact|person|employee|student|patient|passenger|tenant|"
    r"attendee|member|participant|owner|driver|recipient|nombre|nom|navn|namn|nimi|nome|naam)s?$"
)
# a list of three or more single capitalised words after words that announce people ("invited Kjersti, Otieno
# and Sjoerd", "The team this sprint is ...", "Seating plan: ..."); every word in it must be no English word,
# place or street type
PEOPLE_LIST = regex.compile(
    r"(?i:\b(?:invited?|inviting|with|between|among|team|guests?|seating|carpool|kids|children|friends|people|names|"
    r"attendees|participants|members|students|players|pupils|cousins|colleagues|siblings|cc|to|for|and\s+me|thanks?|"
    r"congrats|congratulations|welcome|hosts?|speakers|winners|passengers|tenants|parents|volunteers|staff)\b)"
    r"[^.!?\n]{0,40}?(?P<v>"
    + _CAP
    + r"(?:(?:[ \t]*,[ \t]*|,?[ \t]+(?:and|&|or|und|et|y|e|og|och|en|i)[ \t]+)"
    + _CAP
    + r"){2,9})(?![\p{L}])"
)
# "ok so ngozi and kemi are coming over": two lower-case words that are no English words, joined by "and"
PAIR_LOW = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<a>"
    + _LOW
    + r")[ \t]+(?:and|&|or)[ \t]+(?P<b>"
    + _LOW
    + r")[ \t]+(?:are|were|have|had|will|"
    r"can|can't|cant|want|wanna|said|say|told|went|came|come|both|just|got|get|left|arrived|invited|called|texted)\b"
)
# "outside Tigran Appiah's bakery": a name of two or three words before a possessive
POSSESSIVE = regex.compile(r"(?<![\p{L}\p{M}'’.-])(?P<v>" + _CAP + r"(?:[ \t]+" + _CAP + r"){1,2})['’]s\b")
# "Ravshan's laptop", "Giorgi's number is...": one word before a possessive and something a person has; what only a
# person has (a company has no mother, birthday or laptop of its own), and what a company may have too
_ONLY_PEOPLE_HAVE = frozenset(
    """mobile flat apartment house laptop bike passport wallet birthday wedding funeral mom mum
    mother dad father parents wife husband partner sister brother son daughter kids children baby family boyfriend
    girlfriend fiancé fiancée fiance fiancee boss manager desk salary appointment surgery diagnosis visa resume cv
    handwriting signature turn shift leave dog cat""".split()
)
_BELONGINGS = "|".join(
    sorted(
        _ONLY_PEOPLE_HAVE
        | {
            "number",
            "phone",
            "cell",
            "email",
            "e-mail",
            "address",
            "place",
            "room",
            "car",
            "party",
            "account",
            "contract",
            "flight",
            "idea",
            "fault",
        },
        key=len,
        reverse=True,
    )
)
POSSESSIVE_ONE = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + _CAP
    + r")['’]s[ \t]+(?:new[ \t]+|old[ \t]+)?(?P<what>"
    + _BELONGINGS
    + r")\b"
)
POSSESSIVE_LOW = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + _LOW
    + r")['’]s[ \t]+(?:new[ \t]+|old[ \t]+)?(?:"
    + _BELONGINGS
    + r"|flight|train|bus)\b"
)
# "reported by M Osei", "cc J Mensah": an initial and a surname after a word that names who did or gets something
BY_INITIAL = regex.compile(
    r"\b(?i:by|from|to|cc|with|for|and)[ \t]+(?P<v>\p{Lu}\.?[ \t]+" + _CAP + r")(?![\p{L}\p{M}'’-])"
)
# "Okafor A.B. submitted", "Mensah K. called": a surname with initials after it
INITIALS_AFTER = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>" + _CAP + r"[ \t]+(?:\p{Lu}\.[ \t]?){1,3})(?![\p{L}])"
)
# "the kids, Inti and Wayra, are...", "our twins Inti and Wayra": two names right after a word for people
PEOPLE_PAIR = regex.compile(
    r"(?i:\b(?:kids|children|sons|daughters|twins|grandchildren|grandkids|friends|parents|siblings|brothers|sisters|"
    r"cousins|guests|colleagues|roommates|flatmates|housemates|neighbou?rs|tenants|students|pupils|hosts|organi[sz]ers))"
    r"(?:[ \t]*[,:—–-][ \t]*|[ \t]+(?:are|were|named|called)[ \t]+)(?P<v>"
    + _CAP
    + r")[ \t]+(?:and|&)[ \t]+(?P<v2>"
    + _CAP
    + r")(?![\p{L}\p{M}'’-])"
)
# "the team is halvard, inti, wayra": lower-case names listed after a word for people
PEOPLE_LIST_LOW = regex.compile(
    r"\b(?:team|kids|children|guests|friends|people|attendees|participants|members|students|players|roommates|"
    r"flatmates|colleagues|siblings|cousins|twins|invitees|speakers|winners|volunteers)[ \t]+(?:is|are|were|will[ \t]+be|"
    r"=|:)[ \t]*(?P<v>"
    + _LOW
    + r"(?:(?:[ \t]*,[ \t]*|,?[ \t]+(?:and|&)[ \t]+)"
    + _LOW
    + r"){1,9})(?![\p{L}])"
)
# two to four capitalised words in a row, none of them an English word, place or stop word ("Haruto Sato",
# "Kgosi Mothibi", "Tõnis Tamm"): a full name whatever spaCy calls it
NAME_PAIR = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + _CAP
    + r"(?:[ \t]+(?:(?:"
    + _PART
    + r")[ \t]+)*(?:"
    + _CAP
    + r"|"
    + _INITIAL
    + r")){1,3})(?![\p{L}\p{M}'’-])"
)
# the same in a message typed in lower case ("ask kgosi mothibi for the keys"): one of the words must be on a list
# of first names or surnames, none an English word
LOW_NAME_PAIR = regex.compile(
    r"(?<![\p{L}\p{M}'’.-])(?P<v>"
    + _LOW
    + r"(?:[ \t]+(?:(?:"
    + _PART
    + r"|\p{Ll}\.?)[ \t]+)*"
    + _LOW
    + r"){1,3})(?![\p{L}\p{M}'’-])"
)
# cues only a person follows: a company is asked and called, but not met, invited or had coffee with
_ONLY_PEOPLE_CUE = regex.compile(
    r"(?i)meet|meeting|met|invite|invited|thank|thanks|thanked|congratulate|remind|reminded|text|texting|texted|dm|ping|"
    r"pinged|(?:lunch|dinner|coffee|catch[ \t]+up|caught[ \t]+up|chat|chatted)[ \t]+(?:to|with)"
)


# a person after what only a person is: "Is Pemba coming tonight?", "Fatoumata (HR) approved it", "Our new hire,
# Ashot, starts Monday", "signed by Yohannes", "say thanks to Wirihana", "What did Tsetseg say?"
def _person_slot(word: str) -> regex.Pattern[str]:
    return regex.compile(
        r"(?:(?<![\p{L}])(?i:is|was|are|isn't|wasn't)[ \t]+(?P<v>"
        + word
        + r")[ \t]+(?i:coming|going|joining|here|back|still|"
        r"around|free|okay|ok|alright|on[ \t]+(?:leave|holiday|vacation)|out[ \t]+sick|feeling|pregnant|married)\b"
        r"|(?<![\p{L}\p{M}'’.-])(?P<v>"
        + word
        + r")[ \t]+\((?i:hr|it|finance|sales|legal|ops|marketing|engineering|support|"
        r"accounting|admin|design|product|pm|qa|cto|ceo|cfo|coo|intern|manager|lead|she/her|he/him|they/them)\)"
        r"|(?i:new[ \t]+hire|new[ \t]+joiner|new[ \t]+starter|new[ \t]+colleague|intern|trainee),?[ \t]+(?P<v>"
        + word
        + r")(?=[ \t]*[,.]|[ \t]+(?i:starts|joins|will))"
        r"|(?i:signed|approved|reviewed|written|reported|submitted|prepared|authored|countersigned)[ \t]+by[ \t]+(?P<v>"
        + word
        + r")(?=[ \t]*(?:[.,;!?]|$))"
        r"|(?i:say[ \t]+(?:hi|hello|thanks|thank[ \t]+you|sorry|congrats)[ \t]+to|give[ \t]+my[ \t]+(?:love|best|regards)[ \t]+to|"
        r"hugs[ \t]+to|love[ \t]+to|regards[ \t]+to)[ \t]+(?P<v>" + word + r")(?![\p{L}])"
        r"|(?<![\p{L}])(?i:what|why|when|where|how|who)[ \t]+(?i:did|does|has|will|would|could|can|should)[ \t]+(?P<v>"
        + word
        + r")[ \t]+(?i:say|said|think|want|mean|do|decide|tell|reply|write|need|suggest|ask)\b"
        r"|(?i:add|added|adding)[ \t]+(?P<v>"
        + word
        + r")[ \t]+(?i:to|on)[ \t]+(?i:the|our|my)[ \t]+(?i:guest[ \t]+list|invite|"
        r"invitation|group|group[ \t]+chat|chat|call|meeting|thread|team|rota|roster|list)\b"
        r"|(?<![\p{L}\p{M}'’.-])(?P<v>"
        + word
        + r")[ \t]+(?i:will|is[ \t]+going[ \t]+to|can't|cannot|won't)[ \t]+(?i:join|attend|"
        r"be[ \t]+late|be[ \t]+there|be[ \t]+here|come|pick[ \t]+(?:you|me|us|them|him|her)|drive|bring|host|cook)\b"
        r"|(?:^|(?<=[.!?\n][ \t]*))(?P<v>"
        + word
        + r"),[ \t]+(?i:can|could|would|will|are|do|did|have|please|pls|when|where|"
        r"what|why)\b"
        r"|(?i:emergency[ \t]+contact|next[ \t]+of[ \t]+kin|contact[ \t]+person|attn\.?|c/o)[ \t]+(?P<v>"
        + word
        + r")(?=[ \t]*(?:$|[,.;(\n]))"
        r"|(?m:^)[ \t>]*(?P<v>"
        + word
        + r")[ \t]*(?:[-–—|,])[ \t]*(?i:(?:senior|junior|lead|chief|head|principal|staff|"
        r"associate|assistant|deputy|vice)[ \t]+)?(?i:engineer|developer|designer|manager|director|officer|consultant|"
        r"analyst|coordinator|specialist|intern|professor|lecturer|teacher|nurse|doctor|accountant|lawyer|recruiter|"
        r"architect|administrator|editor|writer|researcher|scientist|ceo|cto|cfo|coo|vp|founder|co-founder|owner|"
        r"head[ \t]+of[ \t]+\w+)\b"
        r"|(?m:^)[ \t]*(?P<v>"
        + word
        + r")[ \t]*:[ \t]+(?=(?i:I|I'm|I’m|I've|I'll|I'd|my|me|we|we're|ok|okay|yes|no|sure|thanks|"
        r"sorry|lol|haha|on my way|omw)\b)"
        r")"
    )


PERSON_SLOT = _person_slot(_CAP)
# the same in a message typed in lower case, and the lower-case cues of a person: "me and yaw are going",
# "i had coffee with ashot", "did chidi pay you back?", "send this to kalani"
PERSON_SLOT_LOW = _person_slot(LOW_RUN)
CUE_LOW_MORE = regex.compile(
    r"\b(?:me[ \t]+and|(?:coffee|lunch|dinner|drinks|tea|brunch)[ \t]+with|send[ \t]+(?:this|it|that)[ \t]+to|"
    r"forward[ \t]+(?:this|it|that)[ \t]+to|did|does|has|hasn't|didn't)[ \t]+(?P<v>" + LOW_RUN + r")"
    r"(?=[ \t]*(?:[.,!?;:\n]|$|['’]s\b|(?:are|were|is|pay|paid|reply|replied|call|called|say|said|come|send|sent|"
    r"yesterday|today|tonight|tomorrow|later|last|this|next|on|at|after|before)\b))"
)
# "New address for Mads:", "Notes from Chidi:": a name at the end of a heading line
HEADING_FOR = regex.compile(
    r"(?im)^[^\n:]{0,40}\b(?:for|from|to|with|by|about)[ \t]+(?P<v>" + NAME_RUN + r")[ \t]*:[ \t]*$"
)
_TABLE_ROW = regex.compile(r"^\s*\|(.*)\|\s*$")


class ContextNameRecognizer(LexiconNameRecognizer):
    # scores above spaCy's 0.85: Presidio keeps only one of two equal spans, and spaCy's lower-case
    # names are dropped later (see `engine._tidy`)
    FORMS = (
        ("s", ""),
        ("es", ""),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
        ("'s", ""),
        ("’s", ""),
        ("er", ""),
        ("est", ""),
        ("ly", ""),
    )
    MIN_STEM = 2

    # -- word tests --------------------------------------------------------------------------------
    def _english(self, low: str) -> bool:
        return self.english_form(low) or low in IRREGULAR

    def _stop(self, low: str) -> bool:
        return low in NOT_NAME or low in NUMBER_WORDS or low in SLANG or low in _MORE_STOP or low in PRODUCTS

    def _unknown_word(self, low: str) -> bool:
        """A word that is no English word, place, street type or stop word: likely a name."""
        return not (self._stop(low) or self._english(low) or low in self.places or low in self.streets)

    def _name_value(self, value: str, lower_ok: bool = False, strong: bool = True) -> tuple[int, int] | None:
        """The span inside a field's value that is a name (1-5 name words, no digits), or None."""
        if NO_VALUE.fullmatch(value.strip(" .")):
            return None  # "Name: N/A"
        cut = regex.search(r"[,;/|]|\s[-–—]\s|\s{3,}|\t", value)
        head = value[: cut.start()] if cut else value
        head = head.rstrip(" .")
        title = regex.match(
            r"(?i)(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|sr|sra|srta|mme|mlle|m)\.?\s+", head
        )
        lead = title.end() if title else 0
        head = head[lead:]
        words = head.split()
        if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in head) or "@" in head:
            return None
        lows = [w.strip(".'’").lower() for w in words]
        if any(self._stop(low) and low not in PARTICLES for low in lows if len(low) > 1):
            return None
        shaped = all(
            regex.fullmatch(r"\p{Lu}[\p{L}\p{M}'’.-]*|\p{Lu}\.?|" + _LO, w)
            or w.lower() in PARTICLES
            or w.lower() in _MORE_PARTICLES
            for w in words
        )
        if not shaped and not (lower_ok and head.islower()):
            return None
        if not strong and all(self._english(low) and low not in self.first for low in lows):
            return None
        if all(low in self.places or low in self.streets for low in lows):
            return None
        start = len(value) - len(value.lstrip())
        return start, start + lead + len(head)

    def _blocked(self, start: int, end: int, labels: set[str]) -> bool:
        return any(
            e.start_char < end and start < e.end_char and e.label_ in labels
            for e in getattr(self._doc, "ents", ()) or ()
        )

    def _run_ok(self, run: str, lower_mode: bool, strong_verb: bool, place_ok: bool = False) -> int:
        """How many leading words of `run` make a name (0 when none): a first word that is no English
        word, place or stop word (or a known first name before a verb only people do), then surnames."""
        words = run.split()
        low = words[0].strip(".'’").lower()
        if self._stop(low) or low in _MONTHS:
            return 0
        if not self._unknown_word(low) and not (
            strong_verb
            and low in self.first
            and (place_ok or low not in self.places)
            and words[0][:1].isupper()
        ):
            return 0
        n = 1
        for w in words[1:]:
            wl = w.strip(".'’").lower()
            if (
                len(wl) == 1
                or wl in PARTICLES
                or self._unknown_word(wl)
                or wl in self.last
                or wl in self.first
            ):
                n += 1
            else:
                break
        return n

    # -- scan --------------------------------------------------------------------------------------
    def spans(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        lower_mode = not regex.search(
            r"(?<![.!?:\n>]\s)(?<![.!?:\n>]\s\s)(?<!^)(?<!^\s)\b(?!I\b|I['’])\p{Lu}", text
        )
        for m in FIELD.finditer(text, overlapped=True):  # "student: X; guardian: Y"
            where = self._name_value(m.group("v"), lower_ok=lower_mode)
            if where:
                yield m.start("v") + where[0], m.start("v") + where[1], "PERSON", 0.9
        if len(regex.findall(r"[A-Za-z]", text)) > len(regex.findall(r"[\p{Cyrillic}\p{Greek}]", text)):
            for m in CYRILLIC_GREEK_NAME.finditer(text):
                yield m.start("v"), m.end("v"), "PERSON", 0.85
        for m in AIRLINE_NAME.finditer(text):
            yield m.start("v"), m.end("v"), "PERSON", 0.9
        for m in QUOTED_SENDER.finditer(text):
            offset = 0
            for part in m.group("v").split(","):
                where = self._name_value(part, lower_ok=True)
                if where:
                    yield m.start("v") + offset + where[0], m.start("v") + offset + where[1], "PERSON", 0.9
                offset += len(part) + 1
        for m in JSON_FIELD.finditer(text):
            where = self._name_value(m.group("v"), lower_ok=True)
            if where:
                yield m.start("v") + where[0], m.start("v") + where[1], "PERSON", 0.9
        yield from self._tables(text)
        yield from self._rows(text)
        for m in GREETING.finditer(text):
            n = self._greeted(m.group("v"))
            if n:
                yield self._words_span(m, n)
        for m in CLOSING.finditer(text):
            where = self._name_value(m.group("v"), lower_ok=lower_mode, strong=False)
            if where and not regex.search(r"[?!:]", m.group("v")):
                yield m.start("v") + where[0], m.start("v") + where[1], "PERSON", 0.9
        speakers = list(TIMESTAMP_SPEAKER.finditer(text))
        for m in speakers:
            # a chat log has two or more such lines ("10:30 Standup: ..." alone is an agenda)
            known = m.group("v").split()[0].lower() in self.first
            if known or (len(speakers) >= 2 and self._run_ok(m.group("v"), lower_mode, strong_verb=True)):
                yield m.start("v"), m.end("v"), "PERSON", 0.9
        for m in PEOPLE_LIST.finditer(text):
            items = list(regex.finditer(_CAP, m.group("v")))
            lows = [i.group(0).lower() for i in items]
            # every item a word no list knows or a first name; one of them no place, and spaCy calling none of the
            # names it could know a date or a number ("invited Oluwaseun, Marta and Joon": Marta is a town too)
            if (
                all(self._unknown_word(low) or low in self.first for low in lows)
                and any(self._unknown_word(low) or low not in self.places for low in lows)
                and not any(
                    self._blocked(m.start("v") + i.start(), m.start("v") + i.end(), _NOT_PERSON - _PLACES)
                    and not self._unknown_word(low)
                    for i, low in zip(items, lows, strict=True)
                )
            ):
                for i in items:
                    yield m.start("v") + i.start(), m.start("v") + i.end(), "PERSON", 0.9
        for m in POSSESSIVE.finditer(text, overlapped=True):
            if self._blocked(m.start("v"), m.end("v"), _NOT_PERSON | {"ORG"}):
                continue
            words = m.group("v").split()
            if all(
                self._unknown_word(w.lower()) or w.lower() in self.last or w.lower() in self.first
                for w in words
            ) and (self._unknown_word(words[0].lower()) or words[0].lower() in self.first):
                yield m.start("v"), m.end("v"), "PERSON", 0.9
        for m in NAME_PAIR.finditer(text, overlapped=True):
            if regex.search(r"\d[\w/-]*[ \t]+\Z", text[max(0, m.start() - 12) : m.start()]) or regex.match(
                r"[ \t]+\d{1,5}\b", text[m.end() :]
            ):
                continue  # "12 Nguyen Hue", "Rruga Myslym Shyri 22": a street before or after its house number
            if regex.search(r"(?i)\b(?:the|a|an)[ \t]+\Z", text[max(0, m.start() - 5) : m.start()]):
                continue  # "the Dacia Sandero", "a Pinot Noir": a thing, not a person
            n = self._full_name(m.group("v"))
            if n >= 2 and not self._blocked(
                m.start("v"), m.end("v"), _NOT_PERSON - {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
            ):
                yield self._words_span(m, n)
        for m in PERSON_SLOT.finditer(text):
            low = m.group("v").lower()
            # spaCy's label for a word it does not know is a guess; only a date or a number stops these
            if self._person_word(low) and not self._blocked(m.start("v"), m.end("v"), _NUMERIC):
                yield m.start("v"), m.end("v"), "PERSON", 0.9
        for m in POSSESSIVE_ONE.finditer(text):
            low = m.group("v").lower()
            # spaCy calls many a name it does not know an organisation; a company has no mother or birthday
            only_people = m.group("what").lower() in _ONLY_PEOPLE_HAVE
            if (
                self._person_word(low)
                and not self._blocked(m.start("v"), m.end("v"), _NOT_PERSON - _PLACES)
                and not (
                    low not in self.first
                    and not only_people
                    and self._blocked(m.start("v"), m.end("v"), {"ORG"})
                )
            ):
                yield m.start("v"), m.end("v"), "PERSON", 0.9
        for m in BY_INITIAL.finditer(text):
            initial, surname = m.group("v").split()
            low = surname.lower()
            if (
                initial[0] not in "AI"
                and not self._stop(low)
                and low not in _MONTHS
                and (self._unknown_word(low) or low in self.last)
            ):
                yield m.start("v"), m.end("v"), "PERSON", 0.9
        for m in INITIALS_AFTER.finditer(text):
            low = m.group("v").split()[0].lower()
            # one initial after a word no list knows is as likely a label ("Box A.", "Unit B.")
            several = m.group("v").count(".") >= 2
            if (
                not self._stop(low)
                and low not in _MONTHS
                and (several and self._unknown_word(low) or low in self.last and not self._english(low))
            ):
                yield m.start("v"), m.end("v"), "PERSON", 0.9
        for m in PEOPLE_PAIR.finditer(text):
            if all(self._person_word(m.group(k).lower()) for k in ("v", "v2")) and not self._blocked(
                m.start("v"), m.end("v2"), _NOT_PERSON - {"GPE", "NORP"}
            ):
                yield m.start("v"), m.end("v"), "PERSON", 0.9
                yield m.start("v2"), m.end("v2"), "PERSON", 0.9
        for m in HEADING_FOR.finditer(text):
            n = self._run_ok(m.group("v"), False, strong_verb=True)
            if n:
                yield self._words_span(m, n)
        for m in RELATION.finditer(text):
            words = m.group("v").split()
            n = 0
            for w in words:
                if self._stop(w.strip(".").lower()) or w.lower() in self.places and n == 0:
                    break
                n += 1
            if n:
                yield self._words_span(m, n)
        for m in OBJECT.finditer(text):
            low = m.group("v").lower()
            # a company is asked, called or e-mailed too: there only a name the lists know
            personal = m.group("cue").lower() not in (
                "ask",
                "call",
                "phone",
                "email",
                "e-mail",
                "cc",
                "asked",
                "emailed",
                "phoned",
                "paid",
            )
            if (
                not self._stop(low)
                and low not in _MONTHS
                and (personal and self._unknown_word(low) or low in self.first)
                and not self._blocked(m.start("v"), m.end("v"), _NOT_PERSON - _PLACES)
                and not (
                    " " not in m.group("v")
                    and low not in self.first
                    and low not in self.last
                    and not _ONLY_PEOPLE_CUE.fullmatch(m.group("cue"))
                    and self._blocked(m.start("v"), m.end("v"), {"ORG"})
                )
            ):  # "ask Google"
                yield self._words_span(
                    m, self._run_ok(m.group("v"), lower_mode, strong_verb=True, place_ok=True) or 1
                )
        for m in AUX_SUBJECT.finditer(text):
            low = m.group("v").split()[0].lower()
            if (
                not self._stop(low)
                and low not in _MONTHS
                and (self._unknown_word(low) or low in self.first)
                and not self._blocked(m.start("v"), m.end("v"), _NOT_PERSON - _PLACES)
            ):
                yield self._words_span(
                    m, self._run_ok(m.group("v"), lower_mode, strong_verb=True, place_ok=True) or 1
                )
        for m in SUBJECT.finditer(text, overlapped=True):  # "Yesterday Tuan Ho called": from each word on
            verb = " ".join(text[m.end("v") : m.end()].split()).lower()
            human = verb in _HUMAN or PERSON_STATE.search(verb) is not None  # "Gulnara is very reliable"
            if self._blocked(m.start("v"), m.end("v"), _NOT_PERSON - (_PLACES if human else set())):
                continue  # a place that logs in or says something is a person ("Regina logged in")
            run = m.group("v")
            # spaCy calls most single words it does not know an organisation, names as much as companies; the
            # companies and services people write about are on the PRODUCTS list ("Netflix says" stays); a short word
            # in capitals is an acronym ("A DIY will saves...", "NASA said")
            if run.isupper() and " " not in run and len(run) <= 5 and run.lower() not in self.first:
                continue
            n = self._run_ok(run, lower_mode, strong_verb=human, place_ok=human)
            if n:
                yield self._words_span(m, n)
                # "Ravshan and Dilnoza got married": the other subject joined by "and" is a person too
                before = COORDINATED.search(text, 0, m.start("v"))
                if (
                    before
                    and " " not in before.group("v")
                    and self._run_ok(before.group("v"), lower_mode, strong_verb=human, place_ok=True)
                ):
                    yield before.start("v"), before.end("v"), "PERSON", 0.9
        if lower_mode:
            for m in RELATION_LOW.finditer(text):
                low = m.group("v")
                if (
                    len(low) >= 3
                    and self._unknown_word(low)
                    or (low in self.first and not self._stop(low) and low not in self.english)
                ):
                    yield m.start("v"), m.end("v"), "PERSON", 0.9
            for m in SELF_LOW.finditer(text):
                if self._cued_low(m.group("v")) and not self._blocked(m.start("v"), m.end("v"), _NOT_PERSON):
                    yield m.start("v"), m.end("v"), "PERSON", 0.9
            for m in CUE_LOW.finditer(text, overlapped=True):
                low = m.group("v")
                # "write to amy", "tell timothy": after these a first name is one even when it is a word too
                if self._cued_low(low) and not self._blocked(m.start("v"), m.end("v"), _NOT_PERSON):
                    yield m.start("v"), m.end("v"), "PERSON", 0.9
                    if m.group("v2") and self._cued_low(m.group("v2")):
                        yield m.start("v2"), m.end("v2"), "PERSON", 0.9
            for m in PAIR_LOW.finditer(text):
                a, b = m.group("a"), m.group("b")
                if (
                    len(a) >= 3
                    and len(b) >= 3
                    and all(
                        self._unknown_word(w) or (w in self.first and w not in self.english) for w in (a, b)
                    )
                ):
                    yield m.start("a"), m.end("a"), "PERSON", 0.9
                    yield m.start("b"), m.end("b"), "PERSON", 0.9
            for m in LOW_NAME_PAIR.finditer(text, overlapped=True):
                n = self._full_name(m.group("v"))
                words = [w.strip(".") for w in m.group("v").split()[:n]]
                named = [w for w in words if len(w) > 2 and w not in PARTICLES and w not in _MORE_PARTICLES]
                if words and regex.fullmatch(_RELATIONS, words[0]):
                    continue  # "my flatmate kwabena": the relation is no part of the name
                # a word shaped like a verb or a plural ("liam bragged", "grayson recycles", "sarah didn't",
                # "cannolis allan") is a name in lower case only when a list knows it; a surname may end in -s
                if any(
                    regex.search(r"(?:ed|es|ing)$|['’]" if i else r"(?:ed|s|ing)$|['’]", w)
                    and w not in self.first
                    and w not in self.last
                    for i, w in enumerate(named)
                ):
                    continue
                # two words no list knows need a person around them ("ask ...", "signed by ...", "... said")
                if (
                    n >= 2
                    and len(named) >= 2
                    and (
                        any(w in self.first or w in self.last for w in named)
                        or all(len(w) >= 4 for w in named)
                        and self._person_around(
                            text, m.start("v"), m.start("v") + len(" ".join(m.group("v").split()[:n]))
                        )
                    )
                    and not self._blocked(m.start("v"), m.end("v"), _NOT_PERSON)
                ):
                    yield self._words_span(m, n)
            for m in [*PERSON_SLOT_LOW.finditer(text), *CUE_LOW_MORE.finditer(text)]:
                words = m.group("v").split()
                aux = regex.match(r"(?:did|does|has|hasn't|didn't)\b", m.group(0))
                if not self._cued_low(words[0]) or aux and self._english(words[0]):
                    continue  # "has faith", "did per sandwich": after an auxiliary an English word is no name
                n = 1  # "is aigerim nurlanovna coming": a surname after it, no English word
                for w in words[1:]:
                    if (
                        len(w) >= 3 and self._unknown_word(w) or w in self.last and not self._english(w)
                    ) and not regex.search(r"(?:ed|ing)$|['’]", w):
                        n += 1
                    else:
                        break
                span = self._words_span(m, n)
                if not self._blocked(
                    span[0], span[1], _NUMERIC
                ):  # "... with chidi yesterday": the date is after it
                    yield span
            for m in POSSESSIVE_LOW.finditer(text):
                low = m.group("v")
                if (
                    len(low) >= 3
                    and (self._unknown_word(low) or low in self.first and low not in self.english)
                    and not self._blocked(m.start("v"), m.end("v"), _NUMERIC)
                ):
                    yield m.start("v"), m.end("v"), "PERSON", 0.9
            for m in PEOPLE_LIST_LOW.finditer(text):
                items = list(regex.finditer(_LOW, m.group("v")))
                items = [i for i in items if i.group(0) not in ("and",)]
                if all(
                    len(i.group(0)) >= 3
                    and (
                        self._unknown_word(i.group(0))
                        or i.group(0) in self.first
                        and i.group(0) not in self.english
                    )
                    for i in items
                ):
                    for i in items:
                        yield m.start("v") + i.start(), m.start("v") + i.end(), "PERSON", 0.9
            for m in SUBJECT_LOW.finditer(text):
                low = m.group("v")
                if len(low) >= 3 and self._unknown_word(low):
                    yield m.start("v"), m.end("v"), "PERSON", 0.9

    def _full_name(self, run: str) -> int:
        """How many leading words of `run` make a full name with no list's help: a first word that is no English
        word, place or stop word (or a first name that is no English word), then surnames of the same kind,
        particles and initials; two words at least, the last one a name word."""
        words = run.split()
        first = words[0].lower()
        if not (
            self._unknown_word(first)
            or first in self.first
            and not self._english(first)
            and first not in self.places
        ):
            return 0
        n, last_name_at = 1, 0
        for i, w in enumerate(words[1:], 1):
            low = w.strip(".").lower()
            if len(low) == 1 or low in PARTICLES or low in _MORE_PARTICLES:
                n += 1
                continue
            if (
                self._stop(low)
                or low in _MONTHS
                or low in self.streets
                or not (
                    self._unknown_word(low)
                    or low in self.last
                    and not self._english(low)
                    or low in self.first
                    and not self._english(low)
                )
            ):
                break
            n, last_name_at = n + 1, i
        return last_name_at + 1 if last_name_at else 0

    @staticmethod
    def _person_around(text: str, start: int, end: int) -> bool:
        """A lower-case run sits where a person's name goes: after a word that names a person or is said to one,
        at the head of a list item or a quoted line, or before what a person does."""
        return bool(
            _LOW_PERSON_BEFORE.search(text, max(0, start - 30), start) or _LOW_PERSON_AFTER.match(text, end)
        )

    def _person_word(self, low: str) -> bool:
        """A capitalised word that can be a name on its own: no English word, place or stop word, or a
        first name that is no place ("Ravshan", "Molly"; not "Monday", "Lisbon", "Google")."""
        return (
            not self._stop(low)
            and low not in _MONTHS
            and (self._unknown_word(low) or low in self.first and low not in self.places)
        )

    def _cued_low(self, low: str) -> bool:
        """A lower-case word after a person cue ("write to amy", "tell timothy") is a name when it is a
        first name, even one that is a word too, or a word that is no English word, place or stop word."""
        known = len(low) >= 3 and low in self.first and not self._stop(low) and low not in _MONTHS
        return known or len(low) >= 4 and self._unknown_word(low)

    def _greeted(self, run: str) -> int:
        words = run.split()
        n = 0
        for w in words:
            low = w.strip(".").lower()
            if (self._stop(low) or low in _NOT_GREETED) and not (w.islower() and low in PARTICLES):
                break  # "Dear Taavi van der Berg": a particle inside the name goes on
            n += 1
        return n

    @staticmethod
    def _words_span(m, n: int) -> tuple[int, int, str, float]:
        value = m.group("v")
        words = list(regex.finditer(r"\S+", value))[:n]
        return m.start("v"), m.start("v") + words[-1].end(), "PERSON", 0.9

    def _rows(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        """A name in a table or CSV row with no header ("| 3 | Dagny Aasen | approved |", "Ahmed,22 21 57 83,active"):
        a cell of two or three capitalised words that are no English words (surnames and first names allowed), or
        a cell that is a known first name and nothing else."""
        pos = 0
        for line in text.split("\n"):
            cells, sep = _cells(line)
            if len(cells) >= 3 and (sep == "|" or sum(bool(regex.search(r"\d", c)) for c in cells) >= 1):
                offset = 0
                for cell in cells:
                    at = line.index(cell, offset)
                    offset = at + len(cell)
                    value = cell.strip()
                    words = value.split()
                    if not regex.fullmatch(NAME_RUN, value) or not 1 <= len(words) <= 3:
                        continue
                    lows = [w.lower() for w in words]
                    if len(words) == 1:
                        ok = (
                            lows[0] in self.first
                            and not self._english(lows[0])
                            and lows[0] not in self.places
                            and not self._stop(lows[0])
                        )
                    else:
                        ok = self._person_word(lows[0]) and all(
                            not self._stop(w) and (self._unknown_word(w) or w in self.last or w in self.first)
                            for w in lows[1:]
                        )
                    if ok:
                        lead = len(cell) - len(cell.lstrip())
                        yield pos + at + lead, pos + at + lead + len(value), "PERSON", 0.9
            pos += len(line) + 1

    def _tables(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        """The name column of a CSV (comma, semicolon or tab) or a Markdown table."""
        lines, pos = [], 0
        for piece in text.split("\n"):
            lines.append((pos, piece))
            pos += len(piece) + 1
        i = 0
        while i < len(lines):
            _, header = lines[i]
            cells, sep = _cells(header)
            column = [k for k, c in enumerate(cells) if NAME_HEADER.match(c.strip())] if cells else []
            if not column or len(cells) < 2:
                i += 1
                continue
            j = i + 1
            while j < len(lines):
                start, line = lines[j]
                row, row_sep = _cells(line)
                if regex.fullmatch(r"[\s|:-]+", line) and line.strip():
                    j += 1
                    continue  # the |---|---| line
                if row_sep != sep or len(row) < 2:
                    break
                offset = 0
                for k, cell in enumerate(row):
                    at = line.index(cell, offset)
                    offset = at + len(cell)
                    if k in column:
                        where = self._name_value(cell, lower_ok=True, strong=False)
                        bare = regex.fullmatch(
                            r"(?i)names?|nombre|nom|navn|namn|nimi|nome|naam", cells[k].strip()
                        )
                        if (
                            where
                            and bare
                            and len(cell.split()) < 2
                            and cell.strip().lower() not in self.first
                        ):
                            where = (
                                None  # "name" alone heads product lists too: one word must be a known name
                            )
                        if where:
                            yield start + at + where[0], start + at + where[1], "PERSON", 0.9
                j += 1
            i = j


def _cells(line: str) -> tuple[list[str], str]:
    table = _TABLE_ROW.match(line)
    if table:
        return table.group(1).split("|"), "|"
    for sep in ("\t", ";", ","):
        if line.count(sep) >= 1 and not regex.search(r"[.!?]\s", line):
            return line.split(sep), sep
    return [], ""


_LOW_PERSON_BEFORE = regex.compile(
    r"(?:\b(?:with|by|to|for|from|ask|tell|call|text|email|contact|cc|hi|hey|hello|dear|meet|met|thanks|thank\s+you|"
    r"invite|add|person|hire|mr|mrs|ms|dr|and|&)[ \t]*[-:,]?|^[ \t]*[-*•>][ \t]*|(?:thanks|regards|best|cheers),?[ \t]*\n)"
    r"[ \t]*\Z",
    regex.M,
)
_LOW_PERSON_AFTER = regex.compile(
    r"[ \t]*(?:['’]s\b|\((?:hr|it|ops|finance|sales|legal)\)|[ \t]+(?:said|says|called|texted|wrote|will|would|has|had|can|"
    r"could|approved|signed|joined|replied|and[ \t]+i|is[ \t]+my|was[ \t]+my|is[ \t]+coming|is[ \t]+our)\b|[ \t]*(?:-|—|–)[ \t]|:|,[ \t]+can\b)"
)
_SPEECH = {
    "says",
    "said",
    "told",
    "tells",
    "asked",
    "asks",
    "texted",
    "called",
    "emailed",
    "messaged",
    "replied",
    "and i",
    "and me",
    "wants",
    "thinks",
    "mentioned",
    "promised",
    "wrote",
}
# a first name that is an English word or a place too ("Molly", "Toby", "Regina") is a person before these
_HUMAN = _SPEECH | {
    "paid",
    "booked",
    "logged in",
    "logged on",
    "logged out",
    "signed in",
    "signed up",
    "signed the",
    "ordered",
    "requested",
    "submitted",
    "registered",
    "invited",
    "borrowed",
    "lent",
    "owes",
    "married",
    "forgot",
    "promised",
    "agreed",
    "refused",
    "complained",
    "insisted",
    "decided",
    "joined",
    "quit",
    "changed his",
    "changed her",
    "changed their",
    "changed the",
    "updated his",
    "updated her",
    "updated their",
    "updated the",
    "uploaded",
    "confirmed",
    "approved",
    "cancelled",
    "canceled",
    "got married",
    "got engaged",
    "got divorced",
}
_NOT_PERSON = {
    "DATE",
    "TIME",
    "MONEY",
    "QUANTITY",
    "CARDINAL",
    "ORDINAL",
    "PERCENT",
    "GPE",
    "LOC",
    "FAC",
    "NORP",
    "LANGUAGE",
    "LAW",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
}
_MONTHS = lexicon.MONTHS_AND_DAYS
_PLACES = {"GPE", "LOC", "FAC", "NORP"}
_NUMERIC = {"DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "PERCENT"}
_MORE_PARTICLES = {
    "dos",
    "das",
    "do",
    "della",
    "ní",
    "nic",
    "mac",
    "bin",
    "binti",
    "ibn",
    "el",
    "ter",
    "dela",
    "y",
    "e",
}
_MORE_STOP = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sir",
    "madam",
    "dame",
    "lady",
    "lord",
    "hi",
    "hey",
    "hello",
    "dear",
    "yes",
    "no",
    "please",
    "via",
    "re",
    "fw",
    "fwd",
    "cc",
    "bcc",
    "subject",
    "sent",
    "from",
    "to",
    "date",
    "name",
    "address",
    "phone",
    "email",
    "e-mail",
    "tel",
    "fax",
    "mobile",
    "office",
    "street",
    "road",
    "team",
    "all",
    "everyone",
    "everybody",
    "there",
    "guys",
    "folks",
    "friends",
    "colleagues",
    "both",
    "again",
    "support",
    "admin",
    "customer",
    "service",
    "sales",
    "hr",
    "it",
    "n/a",
    "na",
    "none",
    "unknown",
    "tbd",
    "anonymous",
    "me",
    "myself",
    "someone",
    "somebody",
    "nobody",
    "anyone",
    "anybody",
    "he",
    "she",
    "they",
    "we",
    "you",
    "i",
    "who",
    "whoever",
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
    "this",
    "that",
    "then",
    "now",
    "also",
    "ok",
    "okay",
    "sorry",
    "thanks",
}
_NOT_GREETED = {
    "there",
    "all",
    "team",
    "everyone",
    "everybody",
    "guys",
    "folks",
    "friends",
    "sir",
    "madam",
    "hiring",
    "manager",
    "colleagues",
    "again",
    "world",
    "both",
    "you",
    "mom",
    "mum",
    "dad",
    "sister",
    "brother",
    "customer",
    "support",
    "ladies",
    "gentlemen",
    "community",
    "neighbours",
    "neighbors",
    "future",
    "sirs",
    "partners",
    "members",
    "parents",
    "students",
    "teacher",
    "doctor",
    "professor",
    "class",
}
