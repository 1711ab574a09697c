"""A company's data version never names two states of its data, not even across a removal and a restore.

Every cached report's key holds the version (``company_data_version``), so a report cached at a version is
served as long as the version holds. It was the audit sequence alone, and a restore rewinds it: a company backed
up at entry 7, written to once (entry 8, a report cached), removed while Redis was away (its cached reports
stay) and restored (entry 8 again: the restore's own entry) met the report cached before its removal, with
records the restored company does not hold.
"""

from __future__ import annotations

import uuid

import redis
from fastapi.encoders import jsonable_encoder

from app.adapters.tenancy_repository import company_data_version
from app.adapters.unit_of_work import sql_unit_of_work
from app.entrypoints.http.schemas.tenancy import BackupIn
from app.service_layer.backups import back_up, restore
from app.service_layer.tenancy import remove_company
from tests.app.row_locks import company_with_person

REDIS_AWAY = "redis://127.0.0.1:9/0"  # nothing listens there: the removal cannot forget the company's cache


def test_a_company_restored_to_its_last_entry_number_has_another_data_version(stack, database):
    company, person = company_with_person(stack.env["DATABASE_URL"], name="Versions", role="owner")
    uow = sql_unit_of_work(database)

    def one_business_write() -> None:
        with uow(company=company) as u:
            u.audit.append(action="lead_created", actor_id=person, entity_type="lead", entity_id=str(uuid.uuid4()))

    one_business_write()
    backup = BackupIn.model_validate(jsonable_encoder(back_up(uow, company))).model_dump(mode="json")
    one_business_write()
    cached_at = company_data_version(database, company)
    with redis.Redis.from_url(REDIS_AWAY, socket_connect_timeout=0.5) as away:
        remove_company(uow, away, company)
    restore(uow, backup)
    restored = company_data_version(database, company)
    assert restored != cached_at, (
        f"the restored company's data version is {restored!r}, the one a report was cached at before its removal: "
        "that report would be served as the restored company's"
    )
