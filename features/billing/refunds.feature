@allure.issue:5
Feature: Refunds give money back and take the commission back with it
  A refund is money leaving again: the invoice owes it once more, and the
  sales rep's commission on it is reversed, to the cent.

  Background:
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And Globex has paid 1,210.00 EUR by card

  @critical
  Scenario: A partial refund reopens the invoice and reverses the commission on it
    When Fiona refunds 210.00 EUR of the payment
    Then the invoice is partially paid with 210.00 EUR still due
    And Sam has earned 100.00 EUR in commission
    And the audit trail ends with: refund issued, commission reversed

  Scenario Outline: A refund's key sent again <how> is answered as that key's contract says
    When Fiona refunds 210.00 EUR of the payment
    And the same refund's key is sent again <how>
    Then it is answered as the refund key's contract says

    Examples:
      | how                                     |
      | by Olivia, for the same refund          |
      | for another amount                      |
      | on another payment of the company       |
      | by another company, for its own payment |

  Scenario: A refund of more than was paid is refused and changes nothing
    When Fiona tries to refund 1,210.01 EUR of the payment
    Then the refund is refused because it exceeds what was paid
    And the invoice is paid
    And Sam has earned 121.00 EUR in commission

  Scenario: A payment refunded in full leaves the invoice owing everything, and no commission
    When Fiona refunds 1,210.00 EUR of the payment
    Then the invoice is issued with 1,210.00 EUR still due
    And Sam has earned 0.00 EUR in commission

  Scenario: A second refund of exactly what the first left is accepted
    When Fiona refunds 500.00 EUR of the payment
    And Fiona refunds 710.00 EUR of the payment
    Then the invoice is issued with 1,210.00 EUR still due
    And Sam has earned 0.00 EUR in commission

  Scenario: A second refund of more than the first left is refused, saying how much is left
    When Fiona refunds 500.00 EUR of the payment
    And Fiona tries to refund 710.01 EUR of the payment
    Then the refund is refused because it exceeds what was paid
    And Fiona is told 710.00 EUR is left to refund
    And the invoice is partially paid with 500.00 EUR still due
    And Sam has earned 71.00 EUR in commission
