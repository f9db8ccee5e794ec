"""Hand-kept word tables about names, shared by the name recognizers and the resolution stage.

Data only: this module imports nothing of the gatekeeper.
"""

from __future__ import annotations

# words that end a name or are never one; the last line: form and banking words that are first names
# somewhere too ("Iban", "Pin")
NOT_NAME = frozenset(
    """a an the and or but of to in on at for from with by as is are was were be been am i me my mine
    you your we our us they them their he him his she her it its this that these those there here
    what which who whom how why when where all any some no not everyone everybody team guys folks
    sir madam there again please thanks thank can could would should will shall may might must do
    does did have has had just also so then now today tomorrow yesterday about after before into
    over under up down out off very really good great new old my mom dad mother father son daughter
    wife husband boss friend friends customer customers support manager doctor teacher landlord
    tenant sales hr it admin world everyone back name names iban bic swift cvv cvc pin ssn vat tin
    nif nie dni pesel bsn ein sort ref""".split()
)

# numbers written as words: a name stops at one ("Sally Four")
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million billion dozen half quarter third fourth fifth twice thrice""".split()
)

# past forms a dictionary of base words does not list
IRREGULAR = frozenset(
    """brought bought caught taught thought sought fought paid said laid held told sold sent spent lent
    built felt kept left meant met read slept swept wept dealt dreamt knelt leapt lost shot stood
    understood won got made had heard found gave came became began ran swam drank sang rang wrote
    rode drove ate fell forgot forgotten gone done seen taken given written driven eaten fallen
    known shown grown thrown flown drawn worn torn sworn broke broken chose chosen froze frozen
    spoke spoken stole stolen woke woken wore tore swore threw flew drew grew knew blew hid hidden
    slain slew sung swum rung drunk sank sunk shrank stank bit bitten led fed fled bled sped stuck
    struck hung dug spun won shook shaken took mistook""".split()
)

# software, services, assistants and brands people write about as if they spoke ("Django says",
# "Kubernetes is very reliable", "Zoom says", "Figma crashed"): no person has these names. Names that
# people do have (Alexa, Claude, Jenkins, Kafka) are not here.
PRODUCTS = frozenset(
    """kubernetes terraform ansible django docker podman siri cortana chatgpt copilot webpack nginx
    postgres postgresql mongodb mysql sqlite redis jira github gitlab bitbucket heroku netlify
    vercel firebase supabase laravel symfony pytorch tensorflow numpy pandas scipy matplotlib excel
    outlook gmail whatsapp spotify netflix tiktok instagram facebook youtube linkedin airbnb paypal
    venmo zelle revolut monzo dropbox onedrive icloud jupyter vscode pycharm intellij xcode android
    ubuntu debian fedora centos macos ios ipados linux kotlin golang rustc typescript javascript
    fastapi nodejs npm pnpm yarn vite nextjs nuxt svelte tailwind bootstrap graphql grpc openai
    anthropic huggingface ollama llama gguf qwen mistral google microsoft amazon nvidia samsung
    huawei xiaomi tesla uber lyft stripe shopify salesforce ibm sony nintendo adobe discord telegram
    reddit twitter pinterest snapchat wechat alibaba tencent baidu deloitte accenture pwc kpmg
    bitcoin ethereum iphone ipad macbook imac airpods playstation xbox kindle zoom slack notion
    figma canva asana trello zapier hubspot zendesk intercom twilio sendgrid mailchimp squarespace
    wix wordpress godaddy cloudflare akamai fastly datadog splunk grafana kibana elasticsearch kafka
    hadoop snowflake databricks tableau looker oracle sap workday servicenow atlassian okta auth0
    twitch roblox minecraft fortnite duolingo grammarly chrome firefox safari bing yahoo duckduckgo
    ebay etsy walmart costco ikea aldi lidl tesco carrefour zara uniqlo nike adidas gucci prada
    starbucks mcdonalds kfc dominos doordash grubhub deliveroo ubereats instacart fedex dhl ups usps
    comcast verizon vodafone xfinity hulu disney hbo crunchyroll audible goodreads quora substack
    patreon kickstarter gofundme coinbase binance robinhood klarna afterpay citibank hsbc barclays
    santander natwest expedia trivago skyscanner ryanair easyjet lufthansa emirates lenovo asus acer
    razer logitech intel amd qualcomm oneplus oppo motorola nokia ericsson cisco vmware citrix
    mozilla wikipedia gemini perplexity midjourney replit postman vagrant circleci gitea sentry
    pagerduty opsgenie prometheus""".split()
)

# chat words that are no English dictionary word and no name, and greetings, thanks and forms of
# address from other languages that English chat borrows (a pair of them is no name)
SLANG = frozenset(
    """lol lmao rofl btw ok okay pls plz thx thnx ty tysm np u ur im ive id idk omg tbh imo imho msg
    txt gonna wanna gotta ya yeah yep yup nope nah hmm hmmm haha hahaha hehe bc cuz coz tmrw tmr tho
    rn brb ily smh bday hbd asap fyi irl dm iirc ngl jk ikr wyd hbu wbu dont cant wont didnt isnt
    wasnt doesnt havent hasnt shouldnt couldnt wouldnt youre thats whats theres hes shes were theyre
    ill itll lemme gimme kinda sorta dunno aint yall ppl bro sis fam wifey hubby bf gf bff mum mom
    dad mama papa babe bae hun hon sweetie buddy dude guys gal gals ok-ish ah oh uh um eh ugh wow
    yay nvm k kk alr aight sry srsly obv prob probs def defo tmi fomo wfh ooo eta merci beaucoup
    gracias amigo amigos hola adios adiós hasta luego mañana manana buenos buenas dias días noches
    tardes danke schön schon bitte tschüss tschuss arigato arigatou gozaimasu konnichiwa sayonara
    inshallah mashallah alhamdulillah habibi habibti yalla wallah khalas shukran namaste namaskar
    bhai yaar achha accha nahi theek shukriya dhanyavad ciao grazie prego obrigado obrigada tchau
    valeu bonjour bonsoir salut oui bisous asante jambo habari spasibo privet dziękuję dziekuje tack
    takk kiitos sensei senpai oppa unnie hyung noona salamat mabuhay sayang terima kasih xiexie
    nihao""".split()
)

# verbs that open a re-cased line before a name ("EMAIL DEBORAH PHAM" is "Email Deborah Pham")
LEADING_VERBS = frozenset(
    """email mail call phone text message ping ask tell contact meet invite thank thanks send remind
    pay visit help write reply welcome congratulate dear""".split()
)

# particles inside a name ("van", "de", "bin")
PARTICLES = frozenset(
    {"van", "von", "der", "de", "da", "di", "del", "la", "le", "bin", "al", "du", "den", "ter"}
)
# month and day names: in the English word list, and never a name on their own
MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday""".split()
)
# the titles before a name, as a regular expression's alternatives
TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Rev|Fr|Capt|Col|Sgt|Hon)"
