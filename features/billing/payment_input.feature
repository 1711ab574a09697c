@allure.issue:4
Feature: A payment with a mistake in it charges nothing
  A payment request that is wrong in any way is refused before any card is
  charged, and the invoice stays exactly as it was.

  Background:
    Given Fiona has issued an invoice to "Stark Industries" for 2,000.00 EUR at 21% VAT

  @critical
  Scenario Outline: A payment with <mistake> is refused, naming the <field>, and nothing is charged
    When Fiona takes a payment with <mistake>
    Then Fiona is told to fix the <field>
    And no payment is recorded for the invoice
    And the card was not charged
    And the invoice is issued with 2,420.00 EUR still due

    Examples:
      | mistake                                      | field        |
      | a negative amount                            | amount       |
      | a zero amount                                | amount       |
      | an amount in fractions of a cent             | amount       |
      | an amount of a trillion euros                | amount       |
      | an amount written as a floating-point number | amount       |
      | an unknown discount field                    | discount     |
      | a form instead of JSON                       | content type |
      | a body of two megabytes                      | body         |
      | broken JSON                                  | body         |
      | no payment key                               | payment key  |
      | a card reference with markup                 | card         |
