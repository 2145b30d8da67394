"""Every derived indicator the registries register is in the indicator catalogue (reporting's CSV)."""

import csv

from borderdesk.reporting.choices import Aggregation
from borderdesk.reporting.registry import derived_indicators
from borderdesk.reporting.services import CATALOGUE_CSV


def test_every_registered_derived_indicator_is_catalogued():
    import borderdesk.frontier.derived
    import borderdesk.gates.derived
    import borderdesk.outreach.derived  # noqa: F401 - registration happens on import

    with open(CATALOGUE_CSV, encoding="utf-8", newline="") as fh:
        rows = {row["code"]: row for row in csv.DictReader(fh)}
    registered = derived_indicators()
    assert {"frontier", "gates", "outreach"} <= {d.source for d in registered.values()}
    missing = sorted(code for code in registered if code not in rows)
    assert not missing, f"derived indicators missing from {CATALOGUE_CSV.name}: {missing}"
    for code in registered:
        row = rows[code]
        assert row["name_vi"] and row["name_en"] and row["unit"] and row["group"], code
        assert row["aggregation"] in Aggregation.values, (code, row["aggregation"])
