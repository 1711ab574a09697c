@allure.issue:2
Feature: Card payments
  Money moves once, and only as far as the invoice allows: a retry never
  charges twice, nothing is taken beyond what is due, and a refused payment
  changes nothing.

  Background:
    Given Fiona has issued an invoice to "Stark Industries" for 2,000.00 EUR at 21% VAT

  @critical
  Scenario: An overpayment is refused and nothing is recorded
    When Stark Industries tries to pay 2,420.01 EUR by card
    Then the payment is refused because it exceeds the amount due
    And the invoice is issued with 2,420.00 EUR still due
    And no payment is recorded for the invoice
    And the card was not charged

  @critical
  Scenario: A payment retried with the same key charges the card once
    When Stark Industries pays 1,000.00 EUR by card
    And the same payment is sent again
    Then both answers describe the same payment
    And the card was charged once
    And the invoice is partially paid with 1,420.00 EUR still due
    And the invoice's payments add up to 1,000.00 EUR

  Scenario: A payment key cannot be reused for a different amount
    When Stark Industries pays 1,000.00 EUR by card
    And the same payment is sent again for 900.00 EUR
    Then the payment is refused because its key was already used
    And the card was charged once
    And the invoice's payments add up to 1,000.00 EUR

  Scenario Outline: A payment's key sent again <how> is answered as that key's contract says
    When Stark Industries pays 1,000.00 EUR by card
    And the same payment's key is sent again <how>
    Then it is answered as the key's contract says
    And the card was charged once

    Examples:
      | how                                     |
      | on another invoice of the company       |
      | by Olivia, for the same payment         |
      | by another company, for its own invoice |

  Scenario: A voided invoice cannot be paid
    When Fiona voids the invoice because "raised in error"
    And Stark Industries tries to pay 2,420.00 EUR by card
    Then the payment is refused because the invoice is void
    And the invoice is void
    And no payment is recorded for the invoice
    And the card was not charged

  Scenario: A declined card leaves the invoice unpaid
    When Stark Industries tries to pay 2,420.00 EUR with a card that is declined
    Then the payment is refused because the card was declined
    And the processor received 1 charge request for it
    And the invoice is issued with 2,420.00 EUR still due
    And no payment is recorded for the invoice
    And the audit trail ends with: payment declined

  Scenario Outline: After <amount> is paid the invoice is <state> with <due> still due
    When Stark Industries pays <amount> by card
    Then the invoice is <state> with <due> still due

    Examples:
      | amount       | state          | due          |
      | 0.01 EUR     | partially paid | 2,419.99 EUR |
      | 1.00 EUR     | partially paid | 2,419.00 EUR |
      | 2,419.99 EUR | partially paid | 0.01 EUR     |
      | 2,420.00 EUR | paid           | 0.00 EUR     |
