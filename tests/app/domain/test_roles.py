from app.domain.roles import Permission, Role, role_allows


def test_owner_may_do_everything():
    assert all(role_allows(Role.OWNER, p) for p in Permission)


def test_only_owner_and_compliance_decide_approvals():
    assert {r for r in Role if role_allows(r, Permission.DECIDE_APPROVALS)} == {Role.OWNER, Role.COMPLIANCE}


def test_sales_may_not_take_payments_or_read_the_audit():
    assert not role_allows(Role.SALES, Permission.TAKE_PAYMENTS)
    assert not role_allows(Role.SALES, Permission.READ_AUDIT)


def test_analyst_only_reads():
    writes = {Permission.WRITE_SALES, Permission.WRITE_BILLING, Permission.TAKE_PAYMENTS, Permission.MANAGE_USERS}
    assert not any(role_allows(Role.ANALYST, p) for p in writes)
