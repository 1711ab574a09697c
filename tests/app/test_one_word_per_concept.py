"""One word per concept in the platform's code: a company (never a tenant) and a deal (never an opportunity).

The features say "company" and "deal", and so does the code. The older names live on only at the edges the
code cannot rename without breaking someone: the database's tables and columns (``tenants``, ``tenant_id``,
``opportunities``, ``opportunity_id``) and the v1 API (``/admin/tenants``, the sign-in's ``tenant``,
``/opportunities``, their operation ids and schema names), which the pinned contract keeps additive.
"""

import io
import tokenize
from pathlib import Path

from hamcrest import assert_that, empty

APP = Path(__file__).resolve().parents[2] / "app"
RECORDS = APP / "domain" / "records.py"
OLD_WORDS = ("tenant", "opportunit")
TABLES = {"tenants", "tenant_settings", "opportunities"}
COLUMNS = {"tenant_id", "opportunity_id"}
API_NAMES = {  # the v1 API's operation ids, path parameters, fields and schema names
    "create_tenant",
    "remove_tenant",
    "tenant_id",
    "tenant",
    "opportunity_id",
    "TenantIn",
    "TenantOut",
    "OpportunityOut",
    "list_opportunities",
    "get_opportunity",
    "move_opportunity",
    "win_opportunity",
    "lose_opportunity",
}


def old_names(path: Path) -> list[str]:
    """The names in one module that use an old word where the code's own word belongs."""
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(path.read_text()).readline) if t.type != tokenize.NL]
    found = []
    api_edge = path.is_relative_to(APP / "entrypoints" / "http")
    for i, token in enumerate(tokens):
        name = token.string
        if token.type != tokenize.NAME or not any(word in name.lower() for word in OLD_WORDS):
            continue
        before = [t.string for t in tokens[max(0, i - 2) : i]]
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        column = (
            name in COLUMNS
            and (
                before[-2:] == ["c", "."]  # a table's column
                or (after == "=" and before[-1:] in (["("], [","]))  # a value given for a column
                or (after == ":" and path == RECORDS)  # a record's key: its table's column
            )
        )
        if name in TABLES or column or (api_edge and name in API_NAMES):
            continue
        found.append(f"{path.relative_to(APP.parent)}:{token.start[0]}: {name}")
    return found


def test_the_code_says_company_and_deal():
    modules = [p for p in APP.rglob("*.py") if "migrations" not in p.parts]
    assert_that(
        [name for module in modules for name in old_names(module)],
        empty(),
        "names that say tenant or opportunity where the code's word is company or deal",
    )
