"""A unit of work serves one company: asked to check a caller of another company once it is bound, it refuses,
and checking a caller of its own company binds nothing new (no request reaches the guard: a test holds it)."""

from __future__ import annotations

import uuid

import pytest

from app.adapters.unit_of_work import CompanyNotChosen, sql_unit_of_work
from tests.app.row_locks import company_with_person


def test_a_unit_of_work_bound_to_a_company_refuses_a_caller_of_another_and_takes_one_of_its_own(stack, database):
    company, person = company_with_person(stack.env["DATABASE_URL"], name="one company", role="owner")
    other, _ = company_with_person(stack.env["DATABASE_URL"], name="another company", role="owner")
    with sql_unit_of_work(database)(company=company) as u:
        with pytest.raises(CompanyNotChosen):
            u.enter_signed_in(other, person, uuid.uuid4().hex)
        found = u.enter_signed_in(company, person, uuid.uuid4().hex)
        assert found is not None and u.company == company, "its own company's caller is checked, the binding kept"
