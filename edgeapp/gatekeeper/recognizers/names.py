"""Person names that spaCy's small model misses.

spaCy finds most capitalised names; this adds names after a title ("Dr Louis Jones"), after
phrases that announce a name ("my name is ...", "beneficiary ...", "Dear ..."), in any case,
and leaves the all-caps / lower-case text to a re-cased spaCy pass in the engine.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult

from .base import SpanRecognizer

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Rev|Fr|Capt|Col|Sgt|Hon)"
_NAME = r"[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)?"
_PARTICLE = r"(?:(?:van|von|der|de|da|di|del|la|le|bin|al)[ \t]+)?"
TITLED = re.compile(  # the name ends at its line ("Dr. Nomsa Dube\nHead of Science")
    r"(?<![\w-])(?:"
    + TITLES
    + r"|"
    + TITLES.upper()
    + r")\.?[ \t]+(?:"
    + _NAME
    + r"|[A-Z]\.)(?:[ \t]+"
    + _PARTICLE
    + _NAME
    + r"){0,2}(?![\w-])"
)
# cues after which the next one to three words are a name, whatever their case
_STRONG_CUES = (
    r"mr\.?|mrs\.?|ms\.?|miss|dr\.?|prof\.?|my name is|my name's|name:|full name:|i am called|i'm called|named|called|signed|regards,|"
    r"customer:|client:|guest:|passenger:|recipient:|sender:|owner:|applicant:|student:|contact:|payee:|"
    r"sincerely,|cheers,|dear|hi|hello|hey|beneficiary|account holder|cardholder|attn:?|attention:?|"
    r"i'm|i am|contact person:?|patient:?|tenant:?|employee:?|this is|ask for|speak to|talk to|cc:?|from:|to:"
)
# the name follows on the same line, or on the next after a "Name:" or "Regards," (not "MS" above "SEAT 14C")
CUE = re.compile(
    r"(?i)(?<![\w-])(?:"
    + _STRONG_CUES
    + r")(?:[ \t]+|(?<=[:,])[ \t]*\n[ \t]*)(?P<title>(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+)?(?P<name>[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Za-z][A-Za-z'’-]+){0,2})"
)
NOT_NAME = set(
    """a an the and or but of to in on at for from with by as is are was were be been am i me my mine you your
    we our us they them their he him his she her it its this that these those there here what which who whom
    how why when where all any some no not everyone everybody team guys folks sir madam there again please
    thanks thank can could would should will shall may might must do does did have has had just also so then
    now today tomorrow yesterday about after before into over under up down out off very really good great
    new old my mom dad mother father son daughter wife husband boss friend friends customer customers support
    manager doctor teacher landlord tenant sales hr it admin world everyone back name names
    iban bic swift cvv cvc pin ssn vat tin nif nie dni pesel bsn ein sort ref""".split()
)  # the last line: form and banking words that are first names somewhere too ("Iban", "Pin")
NUMBER_WORDS = set(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million
    billion dozen half quarter third fourth fifth twice thrice""".split()
)
# past forms a dictionary of base words does not list
IRREGULAR = set(
    """brought bought caught taught thought sought fought paid said laid held told sold sent spent lent
    built felt kept left meant met read slept swept wept dealt dreamt knelt leapt lost shot stood understood won got
    made had heard found gave came became began ran swam drank sang rang wrote rode drove ate fell forgot forgotten
    gone done seen taken given written driven eaten fallen known shown grown thrown flown drawn worn torn sworn broke
    broken chose chosen froze frozen spoke spoken stole stolen woke woken wore tore swore threw flew drew grew knew
    blew hid hidden slain slew sung swum rung drunk sank sunk shrank stank bit bitten led fed fled bled sped stuck struck hung dug spun won shook shaken took mistook""".split()
)
# software, services and assistants people write about as if they spoke ("Django says", "Kubernetes is very
# reliable"): no person has these names. Names that people do have (Alexa, Claude, Jenkins, Kafka) are not here.
PRODUCTS = set(
    """kubernetes terraform ansible django docker podman siri cortana chatgpt copilot webpack nginx postgres
    postgresql mongodb mysql sqlite redis jira github gitlab bitbucket heroku netlify vercel firebase supabase laravel
    symfony pytorch tensorflow numpy pandas scipy matplotlib excel outlook gmail whatsapp spotify netflix tiktok
    instagram facebook youtube linkedin airbnb paypal venmo zelle revolut monzo dropbox onedrive icloud jupyter
    vscode pycharm intellij xcode android ubuntu debian fedora centos macos ios ipados linux kotlin golang rustc
    typescript javascript fastapi nodejs npm pnpm yarn vite nextjs nuxt svelte tailwind bootstrap graphql grpc
    openai anthropic huggingface ollama llama gguf qwen mistral google microsoft amazon nvidia samsung huawei xiaomi
    tesla uber lyft stripe shopify salesforce ibm sony nintendo adobe discord telegram reddit twitter pinterest
    snapchat wechat alibaba tencent baidu deloitte accenture pwc kpmg bitcoin ethereum iphone ipad macbook imac airpods
    playstation xbox kindle """
    # services and brands that are written like a name and say, send or call things ("Zoom says", "Figma crashed")
    """zoom slack notion figma canva asana trello zapier hubspot zendesk intercom twilio sendgrid mailchimp squarespace
    wix wordpress godaddy cloudflare akamai fastly datadog splunk grafana kibana elasticsearch kafka hadoop snowflake
    databricks tableau looker oracle sap workday servicenow atlassian okta auth0 twitch roblox minecraft fortnite
    duolingo grammarly chrome firefox safari bing yahoo duckduckgo ebay etsy walmart costco ikea aldi lidl tesco
    carrefour zara uniqlo nike adidas gucci prada starbucks mcdonalds kfc dominos doordash grubhub deliveroo ubereats
    instacart fedex dhl ups usps comcast verizon vodafone xfinity hulu disney hbo crunchyroll audible goodreads quora
    substack patreon kickstarter gofundme coinbase binance robinhood klarna afterpay citibank hsbc barclays santander
    natwest expedia trivago skyscanner ryanair easyjet lufthansa emirates lenovo asus acer razer logitech intel amd
    qualcomm oneplus oppo motorola nokia ericsson cisco vmware citrix mozilla wikipedia gemini perplexity midjourney
    replit postman vagrant circleci gitea sentry pagerduty opsgenie prometheus""".split()
)
# chat words that are no English dictionary word and no name
SLANG = set(
    """lol lmao rofl btw ok okay pls plz thx thnx ty tysm np u ur im ive id idk omg tbh imo imho msg txt gonna wanna
    gotta ya yeah yep yup nope nah hmm hmmm haha hahaha hehe bc cuz coz tmrw tmr tho rn brb ily smh bday hbd asap fyi
    irl dm iirc ngl jk ikr wyd hbu wbu dont cant wont didnt isnt wasnt doesnt havent hasnt shouldnt couldnt wouldnt
    youre thats whats theres hes shes were theyre ill itll lemme gimme kinda sorta dunno aint yall ppl bro sis fam
    wifey hubby bf gf bff mum mom dad mama papa babe bae hun hon sweetie buddy dude guys gal gals ok-ish ah oh uh um eh ugh
    wow yay nvm k kk alr aight sry srsly obv prob probs def defo tmi fomo wfh ooo eta""".split()
    # greetings, thanks and forms of address from other languages that English chat borrows: a pair of them is no name
    + """merci beaucoup gracias amigo amigos hola adios adiós hasta luego mañana manana buenos buenas dias días
    noches tardes danke schön schon bitte tschüss tschuss arigato arigatou gozaimasu konnichiwa sayonara inshallah
    mashallah alhamdulillah habibi habibti yalla wallah khalas shukran namaste namaskar bhai yaar achha accha nahi
    theek shukriya dhanyavad ciao grazie prego obrigado obrigada tchau valeu bonjour bonsoir salut oui bisous asante
    jambo habari spasibo privet dziękuję dziekuje tack takk kiitos sensei senpai oppa unnie hyung noona salamat
    mabuhay sayang terima kasih xiexie nihao""".split()
)
LEADING_VERBS = set(
    """email mail call phone text message ping ask tell contact meet invite thank thanks send remind pay
    visit help write reply welcome congratulate dear""".split()
)
PARTICLES = {"van", "von", "der", "de", "da", "di", "del", "la", "le", "bin", "al", "du", "den", "ter"}


def tidy_name(value: str) -> str:
    """The part of a detected name that is a name: stop at a number word ("Sally Four"), a stop
    word, or a lower-case word after a capitalised one ("John ate"); "" when nothing is left."""
    kept: list[str] = []
    for word in value.split():
        bare = word.strip(".,;:!?'’").lower()
        if not kept and bare in LEADING_VERBS:  # "EMAIL DEBORAH PHAM" re-cased is "Email Deborah Pham"
            continue
        if bare in NUMBER_WORDS or bare in NOT_NAME:
            break
        if kept and word[:1].islower() and bare not in PARTICLES and any(w[:1].isupper() for w in kept):
            break
        kept.append(word)
    return " ".join(kept)


def locate(text: str, name: str, start: int = 0) -> tuple[int, int] | None:
    """Where the words of `name` (as `tidy_name` joined them, by single spaces) stand in `text`,
    whatever whitespace separates them there ("Usual Suspects:\nOptions")."""
    m = re.compile(r"\s+".join(map(re.escape, name.split()))).search(text, start)
    return (m.start(), m.end()) if m else None


def name_words(candidate: str) -> str:
    """The leading words of `candidate` that can be part of a name."""
    kept: list[str] = []
    for word in candidate.split():
        if word.lower() in NOT_NAME or word.lower() in NUMBER_WORDS:
            break
        kept.append(word)
    return " ".join(kept)


class PersonRecognizer(SpanRecognizer):
    ENTITIES = ("PERSON",)

    def spans(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        for m in TITLED.finditer(text):
            title, _, rest = m.group(0).partition(" ")
            name = tidy_name(rest.strip())
            where = locate(m.group(0), name, len(title)) if name else None
            if where:
                yield m.start(), m.start() + where[1], "PERSON", 0.85
        for m in CUE.finditer(text):
            cue = m.group(0)[: m.start("name") - m.start()].strip().lower()
            name = name_words(m.group("name"))
            if name[
                :1
            ].isupper():  # "Mrs Adjoa Frimpong keeps ...": a capitalised name ends at a lower-case word
                name = " ".join(
                    itertools.takewhile(lambda w: w[:1].isupper() or w.lower() in PARTICLES, name.split())
                )
            elif len(name.split()) > 1:  # "mr jones used ...": a lower-case name ends before an English word
                from . import lexicon

                english = lexicon.english_lower()
                words = name.split()
                name = " ".join(
                    [
                        words[0],
                        *itertools.takewhile(
                            lambda w, english=english: (
                                w.lower().rstrip("'’s") not in english and w.lower() not in english
                            ),
                            words[1:],
                        ),
                    ]
                )
            if not name:
                continue
            capitalised = all(w[0].isupper() for w in name.split())
            weak_cue = cue in {"hi", "hello", "hey", "this is", "to:", "from:", "called", "cc", "cc:", "dear"}
            if weak_cue and not capitalised and not m.group("title"):
                continue
            if cue in {"i'm", "i am"} and not (capitalised and len(name.split()) >= 2):
                continue
            if not capitalised and len(name.split()) == 1 and cue not in {"my name is", "my name's", "named"}:
                continue
            start = m.start("name")
            yield start, start + len(name), "PERSON", 0.8 if capitalised else 0.7


_ORG_WORDS = set(
    """inc ltd llc plc corp corporation company co group bank school university college academy institute
    park lake river mountain street road avenue city county state north south east west new san santa saint st
    store shop market mall restaurant cafe hotel hospital clinic church club team center centre airlines air
    motors foods news times post press records studios pictures games labs systems solutions services
    international national united american british european global department ministry office council
    committee association society foundation trust fund day week month year morning evening night""".split()
)
_ORG_SHAPE = re.compile(r"^[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?(?:\s+[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?){1,2}$")


def looks_like_full_name(value: str) -> bool:
    """ "Tiffany Diaz" yes; "Home Depot Inc", "North Ryan", "The Store" no."""
    if not _ORG_SHAPE.match(value):
        return False
    words = [w.lower() for w in value.split()]
    return not any(w in _ORG_WORDS or w in NOT_NAME for w in words)


class OrgNameRecognizer(SpanRecognizer):
    """spaCy's small model tags many full names as ORG; take those that have a name's shape."""

    ENTITIES = ("PERSON",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        self._entities = list(getattr(nlp_artifacts, "entities", None) or [])
        return super().analyze(text, entities, nlp_artifacts)

    def spans(self, text: str) -> Iterable[tuple[int, int, str, float]]:
        for ent in self._entities:
            if ent.label_ == "ORGANIZATION" and looks_like_full_name(ent.text):
                yield ent.start_char, ent.end_char, "PERSON", 0.6
