"""Postal addresses: the recognizer in Presidio's registry for every address shape.

Its own shapes are the US, UK and EU ones, military addresses and postcodes in context: shapes, not
lists of places: a house number or a flat/unit prefix, capitalised street words ending in a street
type (USPS / Royal Mail suffixes), then optionally a town and a state + ZIP or a UK postcode. A
street-and-town pair that ends in a state + ZIP or a UK postcode is an address even when the street
type is unusual. The shapes of other countries are `intl.IntlAddresses`, which it runs between its
street shapes and its lone postcodes (rules, in order: `_street_shapes`, `_cued_us_streets`,
`_intl_shapes`, `_postcodes_in_context`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ..base import Span, SpanRecognizer, context_words, near
from .intl import IntlAddresses

STREET_TYPES = (
    "Alley Allee Annex Arcade Avenue Ave Bayou Beach Bend Bluffs? Bottom Boulevard Blvd Branch Bridge Brook"
    " Brooks Burgs? Bypass Camp Canyon Cape Causeway Centers? Ctr Circles? Cir Cliffs? Close Club Common"
    " Corners? Course Courts? Ct Coves? Crescent Cres Creek Crest Crossing Crossroad Curve Dale Dam Divide"
    " Drives? Dr Estates? Expressway Expy Extensions? Falls? Ferry Fields? Flats? Fords? Forest Forges?"
    " Forks? Fort Freeway Fwy Gardens? Gateway Glens? Greens? Groves? Harbors? Harbour Haven Heights Hts"
    " Highway Hwy Hills? Hollow Inlet Islands? Isle Junctions? Keys? Knolls? Lakes? Land Landing Lane Ln"
    " Light Lights Loaf Locks? Lodge Loop Mall Manors? Meadows? Mews Mill Mills Mission Motorway Mount"
    " Mountains? Neck Orchard Oval Overpass Parade Parks? Parkways? Pass Passage Path Pike Pines? Place Pl"
    " Plains? Plaza Points? Ports? Prairie Promenade Radial Ramp Ranch Rapids? Rest Ridges? Rise River Road"
    " Rd Roads Route Row Rue Run Shoals? Shores? Skyway Springs? Spurs? Squares? Sq Station Stravenue Stream"
    " Street St Streets Summit Terrace Ter Throughway Trace Track Trafficway Trail Trl Trailer Tunnel"
    " Turnpike Underpass Unions? Valleys? Viaduct Views? Villages? Ville Vista Walks? Wall Way Ways Wells?"
    " Wharf Wynd Yard"
).split()
_TYPE = r"(?:" + "|".join(STREET_TYPES) + r")\.?"
_WORD = r"[A-Z][A-Za-z'’-]*"
_UNIT = (
    r"(?:Flat|Studio|Unit|Apartment|Apt\.?|Suite|Ste\.?|Room|Floor|Fl\.?|Building|Bldg\.?|No\.?|Plot|Villa|"
    r"Blk\.?|Block|House|Lot|Shop|#)"
)
_HOUSE = r"\d{1,6}[A-Za-z]?(?:-\d{1,4}[A-Za-z]?)?"
_SECONDARY = r"(?:,?\s+" + _UNIT + r"\s*[\w-]{1,6})"
_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND"
    " OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP FM MH PW AA AE AP"
).split()
_STATE_ZIP = r"(?:" + "|".join(_STATES) + r")\.?\s+\d{5}(?:-\d{4})?"
UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|GIR\s?0AA)"
_TOWN = r"(?:" + _WORD + r"(?:[ -]" + _WORD + r"){0,3})"
_STREET = r"(?:" + _WORD + r"(?:\s+" + _WORD + r"){0,4})"

_UNIT_PREFIX = r"(?:" + _UNIT + r"\s*[\w-]{1,6},?\s+)"
_TAIL = r"(?:,\s*" + _TOWN + r"(?:,?\s+(?:" + _STATE_ZIP + r"|" + UK_POSTCODE + r"))?)?"

# "41 Sam Glens, Lake Abdul, SP4R 7UE", "Flat 8, Duncan Forges, ...", "548 Maria Drive Apt. 302, Ryanview,
# IL 21608"
STREET_ADDRESS = re.compile(
    r"(?<![\w-])(?:"
    + _UNIT_PREFIX
    + r"?"
    + _HOUSE
    + r",?\s+|"
    + _UNIT_PREFIX
    + r")"
    + _STREET
    + r"\s+"
    + _TYPE
    + r"(?![\w-])"
    + _SECONDARY
    + r"?"
    + _TAIL
)
# street types we do not know, but a town and a state+ZIP / postcode follow
ANCHORED_ADDRESS = re.compile(
    r"(?<![\w-])(?:"
    + _UNIT_PREFIX
    + r"?"
    + _HOUSE
    + r",?\s+|"
    + _UNIT_PREFIX
    + r")"
    + _STREET
    + _SECONDARY
    + r"?,\s*"
    + _TOWN
    + r",?\s+(?:"
    + _STATE_ZIP
    + r"|"
    + UK_POSTCODE
    + r")(?![\w-])"
)
MILITARY = re.compile(
    r"(?<![\w-])(?:(?:PSC|CMR|Unit)\s+\d{3,5},?\s+Box\s+\d{1,5}|(?:USNS|USS|USCGC|USNV)\s+"
    + _WORD
    + r"),?\s+(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}(?![\w-])"
)
PO_BOX = re.compile(r"(?i)(?<![\w-])P\.?\s?O\.?\s+Box\s+\d{1,6}(?![\w-])")
# EU: "Hauptstraße 12, 10115 Berlin", "Kerkstraat 5, 1012 AB Amsterdam", "12 rue de la Paix, 75002 Paris"
EU_STREET = re.compile(
    r"(?<![\w-])(?:"
    r"[A-ZÄÖÜ][\wäöüßéè'-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ring|ufer|laan|straat|gracht|"
    r"plein|kade|dijk|steeg|vej|gade|gatan|vägen|gata)\s+\d{1,4}(?:\s?[a-zA-Z](?![\w]))?"
    r"|(?:Calle|Avenida|Av\.|Plaza|Paseo|Via|Viale|Piazza|Corso|Largo|Rua|Praça|Travessa)"
    r"\s+(?:[\wáéíóúàèìòùç'.-]+\s+){1,4}\d{1,4}"
    r"|\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)"
    r"\s+(?:[\wéèêàâîôûç'-]+\s?){1,5}?(?=,|\s\d{5}|$)"
    r")(?:,?\s+(?:\d{4}\s?[A-Z]{2}|\d{4,5})\s+[A-ZÄÖÜ][\wäöüéè-]+)?"
)
# any case, right after "at", "to", "on" or "address is": a house number, a direction, a numbered or named
# street and its type, a unit, a town and a state ("meet me at 350 5th ave new york ny", "ship to 221 w 42nd
# st apt 5")
_LOW_TYPES = (
    "ave|avenue|st|street|rd|road|blvd|boulevard|dr|drive|ln|lane|way|pl|place|ct|court|ter|terrace|hwy|"
    "highway|pkwy|parkway|sq|square|cir|circle"
)
CUED_US_STREET = re.compile(
    r"(?i)(?:\b(?:at|to|on)|address(?:\s+is)?:?)\s+"
    r"(?P<v>\d{1,6}[a-z]?\s+(?:(?:n|s|e|w|north|south|east|west)\.?\s+)?"
    r"(?:\d{1,3}(?:st|nd|rd|th)|[a-z][a-z'’-]+(?:\s+[a-z][a-z'’-]+){0,2})\s+(?:"
    + _LOW_TYPES
    + r")\.?(?![\w-])"
    r"(?:,?\s+(?:apt|unit|suite|ste|#)\.?\s*[\w-]{1,6})?"
    r"(?:,?\s+[a-z]+(?:\s+[a-z]+){0,2},?\s+(?:" + "|".join(_STATES) + r")\b(?:\s+\d{5}(?:-\d{4})?)?)?)"
)
POSTCODE_ALONE = re.compile(r"(?<![\w-])(?:" + UK_POSTCODE + r"|\d{5}(?:-\d{4})?)(?![\w-])")
POSTCODE_CONTEXT = context_words("postcode", "post code", "zip", "zipcode", "postal code", "postal")


# the street shapes of this module and their scores, in the order they are tried
SHAPES = (
    (STREET_ADDRESS, 0.7),
    (ANCHORED_ADDRESS, 0.8),
    (MILITARY, 0.9),
    (PO_BOX, 0.7),
    (EU_STREET, 0.65),
)
_NEAR_A_HOME = re.compile(r"\b(?:live|lives|living|address|at|in)\b")


def _street_shapes(text: str) -> Iterable[Span]:
    for pattern, score in SHAPES:
        for m in pattern.finditer(text):
            yield m.start(), m.end(), "ADDRESS", score


def _cued_us_streets(text: str) -> Iterable[Span]:
    for m in CUED_US_STREET.finditer(text):
        yield m.start("v"), m.end("v"), "ADDRESS", 0.65


def _postcodes_in_context(text: str) -> Iterable[Span]:
    """A postcode near a postcode word, or a UK postcode near "live", "address", "at"..."""
    for m in POSTCODE_ALONE.finditer(text):
        value = m.group(0)
        if near(text, m.start(), m.end(), POSTCODE_CONTEXT, window=25) or (
            not value[0].isdigit()
            and re.search(r"[A-Z]{1,2}\d", value)
            and " " in value
            and near(text, m.start(), m.end(), _NEAR_A_HOME, 40)
        ):
            yield m.start(), m.end(), "ADDRESS", 0.6


class AddressRecognizer(SpanRecognizer):
    """Postal addresses of every shape (see the module's docstring), with spaCy's places at hand."""

    ENTITIES = ("ADDRESS",)

    def __init__(self) -> None:
        super().__init__()
        self._intl = IntlAddresses()
        self._places: list[tuple[int, int]] = []

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        ents = doc.ents if doc is not None else ()
        self._places = [(e.start_char, e.end_char) for e in ents if e.label_ in ("GPE", "LOC", "FAC")]
        try:
            return super().analyze(text, entities, nlp_artifacts)
        finally:
            self._places = []

    def _intl_shapes(self, text: str, shaped: list[tuple[int, int]]) -> Iterable[Span]:
        """The international shapes, given spaCy's places and the street shapes found here."""
        for start, end, score in self._intl(text, self._places, shaped):
            yield start, end, "ADDRESS", score

    def spans(self, text: str) -> Iterable[Span]:
        found = [*_street_shapes(text), *_cued_us_streets(text)]
        shaped = [(start, end) for start, end, _, _ in found]
        yield from found
        yield from self._intl_shapes(text, shaped)
        yield from _postcodes_in_context(text)
