"""E-mail addresses: Presidio's own recognizer, kept from reaching the internet."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer


def offline_email_recognizer() -> EntityRecognizer:
    """Presidio's EmailRecognizer, but tldextract never fetches the suffix list from the internet."""
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return bool(extractor(pattern_text).fqdn)

    return OfflineEmailRecognizer()
