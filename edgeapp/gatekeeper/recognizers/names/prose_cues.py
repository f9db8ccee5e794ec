"""The cue words of prose around a person's name, shared by the rules for capitalised names
(`in_prose`) and for messages typed in lower case (`in_lower_case`): relations ("my friend ..."), the
verbs and states a person is the subject of ("... says", "... is very reliable"), what only a person
has ("...'s birthday"), and the slots only a person fills (`person_slot`)."""

from __future__ import annotations

import regex

RELATIONS = (
    r"friend|best\s+friend|girlfriend|boyfriend|colleague|coworker|co-worker|workmate|classmate|teammate|"
    r"neighbou?r|"
    r"flatmate|roommate|housemate|landlord|landlady|tenant|partner|wife|husband|fianc[ée]e?|spouse|ex|sister|"
    r"brother|"
    r"sister-in-law|brother-in-law|mother-in-law|father-in-law|daughter-in-law|son-in-law|cousin|aunt|auntie|"
    r"uncle|"
    r"niece|nephew|grandma|grandpa|granny|grandmother|grandfather|son|daughter|stepson|stepdaughter|"
    r"stepmother|"
    r"stepfather|mom|mum|mother|dad|father|boss|manager|supervisor|assistant|intern|hire|student|pupil|tutor|"
    r"teacher|"
    r"professor|coach|trainer|doctor|dentist|therapist|nanny|babysitter|cleaner|plumber|electrician|mechanic|"
    r"lawyer|accountant|client|customer|guest|mentor|mentee|buddy|pal|mate|contact|tenant|employee|employer"
)
# states no company is in ("Tancredi is very reliable", "Oyelaran was late again"): a single word spaCy
# calls an organisation is still a person before them (in_prose.PERSON_STATE)
PERSON_ONLY_STATES = (
    r"reliable|unreliable|nice|kind|friendly|rude|late|early|busy|away|allergic|vegan|vegetarian|pregnant|"
    r"sick|"
    r"ill|"
    r"off\s+sick|on\s+leave|on\s+holiday|on\s+vacation|in\s+hospital|in\s+the\s+hospital|married|divorced|"
    r"single|"
    r"retired|unemployed|upset|angry|happy|sad|worried|excited"
)
# and what people are, more loosely (a word that is no English word is a name before them)
STATES = PERSON_ONLY_STATES + (
    r"|my|our|his|her|their|a\s+friend|a\s+colleague|a\s+great|an\s+excellent|the\s+best|coming|leaving|"
    r"moving|"
    r"visiting|staying|feeling|available|unavailable|responsible|born|turning|joining|hosting|cooking|"
    r"driving|"
    r"bringing|"
    r"helping|waiting|asking|wondering|in\s+charge|out\s+of\s+office|back|home|here|there|right|wrong|"
    r"new\s+here|"
    r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
    r"(?:twen|thir|for|fif|six|seven|"
    r"eigh|nine)ty(?:[- ]\w+)?)\s+(?:years?|months?)\s+old"
)
IS = r"(?:is|was)\s+(?:(?:very|so|really|always|never|not|still|usually|super|quite|extremely)\s+)?"
# verbs a person is the subject of ("Chidi says", "Seo-yeon texted me", "Tewodros and I")
PERSON_VERBS = (
    r"says|said|say|told|tells|asked|asks|wants|wanted|thinks|thought|texted|called|calls|emailed|messaged|"
    r"replied|"
    r"mentioned|promised|agreed|refused|borrowed|lent|owes|invited|loves|hates|likes|misses|knows|finally|"
    r"just|"
    r"and\s+I|and\s+me|and\s+my|can't|cannot|couldn't|won't|didn't|doesn't|isn't|wasn't|hasn't|is\s+not|"
    r"will\s+not|"
    r"quit|married|lives|lived|studies|studied|graduated|visited|forgot|forgets|paid|bought|"
    r"just\s+\w+ed|apparently|wrote|writes|suggested|recommended|complained|explained|insisted|decided|"
    r"tried|hopes|hoped|wonders|wondered|reminded|joined|booked|cancel(?:l)?ed|"
    r"helped|met|saw|heard|cooked|brought|picked\s+up|dropped\s+off|offered|plans|planned|prefers|preferred|"
    r"would|will|"
    r"logged\s+(?:in|on|out)|signed\s+(?:in|up|off|out|the)|changed\s+(?:his|her|their|the)|"
    r"updated\s+(?:his|her|their|the)|"
    r"ordered|requested|submitted|registered|applied|uploaded|returned|transferred|confirmed|approved|"
    r"got\s+(?:married|engaged|divorced|promoted|fired|hired|sick)|won|drove|walked|sang|danced|laughed|"
    r"cried|"
    r"smiled|slept|woke\s+up|ate|arrived|moved\s+(?:in|out|to|back)|turned\s+\d+|"
    + IS
    + r"(?:"
    + STATES
    + r")"
)
# what only a person has (a company has no mother, birthday or laptop of its own), and what a company may
# have too
ONLY_PEOPLE_HAVE = frozenset(
    """mobile flat apartment house laptop bike passport wallet birthday wedding funeral mom mum mother dad
    father parents wife husband partner sister brother son daughter kids children baby family boyfriend
    girlfriend fiancé fiancée fiance fiancee boss manager desk salary appointment surgery diagnosis visa
    resume cv handwriting signature turn shift leave dog cat""".split()
)
# what a company may have too
SHARED_BELONGINGS = frozenset(
    "number phone cell email e-mail address place room car party account contract flight idea fault".split()
)
BELONGINGS = "|".join(sorted(ONLY_PEOPLE_HAVE | SHARED_BELONGINGS, key=lambda w: (-len(w), w)))


# the slots only a person fills, one alternative each; NAME stands for the name's pattern
PERSON_SLOTS = (
    # "Is Pemba coming tonight?"
    r"(?<![\p{L}])(?i:is|was|are|isn't|wasn't)[ \t]+(?P<v>NAME)[ \t]+(?i:coming|going|joining|here|back|"
    r"still|"
    r"around|free|okay|ok|alright|on[ \t]+(?:leave|holiday|vacation)|out[ \t]+sick|feeling|pregnant|"
    r"married)\b",
    # "Fatoumata (HR) approved it"
    r"(?<![\p{L}\p{M}'’.-])(?P<v>NAME)[ \t]+\((?i:hr|it|finance|sales|legal|ops|marketing|engineering|"
    r"support|"
    r"accounting|admin|design|product|pm|qa|cto|ceo|cfo|coo|intern|manager|lead|she/her|he/him|"
    r"they/them)\)",
    # "Our new hire, Ashot, starts Monday"
    r"(?i:new[ \t]+hire|new[ \t]+joiner|new[ \t]+starter|new[ \t]+colleague|intern|trainee),?[ \t]+"
    r"(?P<v>NAME)(?=[ \t]*[,.]|[ \t]+(?i:starts|joins|will))",
    # "signed by Yohannes"
    r"(?i:signed|approved|reviewed|written|reported|submitted|prepared|authored|countersigned)"
    r"[ \t]+by[ \t]+(?P<v>NAME)(?=[ \t]*(?:[.,;!?]|$))",
    # "say thanks to Wirihana"
    r"(?i:say[ \t]+(?:hi|hello|thanks|thank[ \t]+you|sorry|congrats)[ \t]+to|"
    r"give[ \t]+my[ \t]+(?:love|best|regards)[ \t]+to|"
    r"hugs[ \t]+to|love[ \t]+to|regards[ \t]+to)[ \t]+(?P<v>NAME)(?![\p{L}])",
    # "What did Tsetseg say?"
    r"(?<![\p{L}])(?i:what|why|when|where|how|who)[ \t]+(?i:did|does|has|will|would|could|can|should)"
    r"[ \t]+(?P<v>NAME)[ \t]+(?i:say|said|think|want|mean|do|decide|tell|reply|write|need|suggest|ask)\b",
    # "add Kai to the group chat"
    r"(?i:add|added|adding)[ \t]+(?P<v>NAME)[ \t]+(?i:to|on)[ \t]+(?i:the|our|my)[ \t]+(?i:guest[ \t]+list|"
    r"invite|"
    r"invitation|group|group[ \t]+chat|chat|call|meeting|thread|team|rota|roster|list)\b",
    # "Sione will join"
    r"(?<![\p{L}\p{M}'’.-])(?P<v>NAME)[ \t]+(?i:will|is[ \t]+going[ \t]+to|can't|cannot|won't)[ \t]+(?i:join|"
    r"attend|"
    r"be[ \t]+late|be[ \t]+there|be[ \t]+here|come|pick[ \t]+(?:you|me|us|them|him|her)|drive|bring|host|"
    r"cook)\b",
    # "Ama, can you ...", also after a dialogue's dash ("— Halvard, did you lock up?")
    r"(?:^|(?<=[.!?\n][ \t]*)|(?<=(?:^|\n)[ \t]*[–—][ \t]*))(?P<v>NAME),[ \t]+"
    r"(?i:can|could|would|will|are|do|did|have|please|pls|when|"
    r"where|"
    r"what|why)\b",
    # "Emergency contact Lerato"
    r"(?i:emergency[ \t]+contact|next[ \t]+of[ \t]+kin|contact[ \t]+person|attn\.?|c/o)[ \t]+(?P<v>NAME)"
    r"(?=[ \t]*(?:$|[,.;(\n]))",
    # "Tomasz - Senior Engineer"
    r"(?m:^)[ \t>]*(?P<v>NAME)[ \t]*(?:[-–—|,])[ \t]*(?i:(?:senior|junior|lead|chief|head|principal|staff|"
    r"associate|assistant|deputy|vice)[ \t]+)?(?i:engineer|developer|designer|manager|director|officer|"
    r"consultant|"
    r"analyst|coordinator|specialist|intern|professor|lecturer|teacher|nurse|doctor|accountant|lawyer|"
    r"recruiter|"
    r"architect|administrator|editor|writer|researcher|scientist|ceo|cto|cfo|coo|vp|founder|co-founder|"
    r"owner|"
    r"head[ \t]+of[ \t]+\w+)\b",
    # "Ravshan: on my way" (a chat line)
    r"(?m:^)[ \t]*(?P<v>NAME)[ \t]*:[ \t]+(?=(?i:I|I'm|I’m|I've|I'll|I'd|my|me|we|we're|ok|okay|yes|no|sure|"
    r"thanks|"
    r"sorry|lol|haha|on my way|omw)\b)",
)


def person_slot(word: str) -> regex.Pattern[str]:
    """A person (`word`, a pattern) in one of the PERSON_SLOTS."""
    return regex.compile(r"(?:" + "|".join(slot.replace("NAME", word) for slot in PERSON_SLOTS) + r")")
