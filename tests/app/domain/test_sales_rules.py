import pytest

from app.domain.errors import InvalidTransition
from app.domain.sales import (
    LeadStatus,
    Stage,
    ensure_can_convert,
    ensure_can_disqualify,
    ensure_can_move_to,
    ensure_can_qualify,
    ensure_open,
)


def test_only_a_qualified_lead_converts():
    ensure_can_convert(LeadStatus.QUALIFIED)
    for status in (LeadStatus.NEW, LeadStatus.DISQUALIFIED, LeadStatus.CONVERTED):
        with pytest.raises(InvalidTransition):
            ensure_can_convert(status)


def test_only_a_new_lead_is_qualified():
    ensure_can_qualify(LeadStatus.NEW)
    with pytest.raises(InvalidTransition):
        ensure_can_qualify(LeadStatus.DISQUALIFIED)


def test_a_converted_lead_cannot_be_disqualified():
    ensure_can_disqualify(LeadStatus.QUALIFIED)
    with pytest.raises(InvalidTransition):
        ensure_can_disqualify(LeadStatus.CONVERTED)


@pytest.mark.parametrize("closed", [Stage.WON, Stage.LOST])
def test_a_closed_deal_cannot_be_won_lost_or_moved(closed):
    with pytest.raises(InvalidTransition):
        ensure_open(closed)
    with pytest.raises(InvalidTransition):
        ensure_can_move_to(closed, Stage.PROPOSAL)


def test_an_open_deal_cannot_be_moved_to_a_closed_stage():
    ensure_can_move_to(Stage.PROSPECTING, Stage.NEGOTIATION)
    with pytest.raises(InvalidTransition):
        ensure_can_move_to(Stage.PROSPECTING, Stage.WON)


def test_deal_title_stays_within_its_limit_for_the_longest_company_name():
    from app.domain.sales import TITLE_LIMIT, deal_title_for

    assert deal_title_for("Globex") == "Globex deal"
    assert len(deal_title_for("G" * 200)) == TITLE_LIMIT


def test_a_ticket_closes_only_once_answered_and_takes_no_answer_once_closed():
    from app.domain.tickets import TicketStatus, ensure_can_answer, ensure_can_close

    ensure_can_close(TicketStatus.ANSWERED)
    for status in (TicketStatus.OPEN, TicketStatus.CLOSED):
        with pytest.raises(InvalidTransition):
            ensure_can_close(status)
    with pytest.raises(InvalidTransition):
        ensure_can_answer(TicketStatus.CLOSED)
