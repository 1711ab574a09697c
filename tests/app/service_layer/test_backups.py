"""An operator's backup of a company is told to the operators' log: which company, by name and id, and how many
of its rows the backup holds (a backup holds its people's password hashes: who took one must be traceable)."""

from __future__ import annotations

import logging
import uuid
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from app.service_layer.backups import back_up


def test_a_backup_is_logged_with_the_company_s_name_its_id_and_its_rows(caplog):
    company = uuid.uuid4()
    held = {"company": {"id": str(company), "slug": "globex"}, "tables": {"users": [{}, {}], "deals": [{}]}}
    work = SimpleNamespace(companies=SimpleNamespace(backup_of=lambda company_id: held))

    @contextmanager
    def uow(**_: Any):
        yield work

    with caplog.at_level(logging.WARNING, logger="app.operations"):
        backup = back_up(uow, company)  # type: ignore[arg-type]
    assert backup["rows"] == 3
    assert [r.getMessage() for r in caplog.records] == [f"operator backed up the company globex ({company}): 3 rows"]
