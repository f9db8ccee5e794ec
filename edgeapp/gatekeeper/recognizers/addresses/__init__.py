"""Postal addresses, by shape:

- `postal`: the recognizer (`AddressRecognizer`), with the US, UK and EU shapes, military addresses
  and postcodes in context;
- `intl`: the shapes of many other countries, run by `postal`; their rules are in `intl_streets`
  (one street shape each), `intl_blocks` (comma chains and postal blocks) and `intl_tails` (the towns,
  postcodes and units after an address), their patterns and word tables in `intl_patterns`, the word
  tests they share in `street_words`.
"""
