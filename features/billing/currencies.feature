@allure.issue:30
Feature: Money keeps its currency
  A client is invoiced, charged and reported in the currency the deal was won
  in. No amount is ever taken, recorded or added up as if it were in another
  currency.

  @critical
  Scenario: A client invoiced in dollars pays in dollars
    Given Fiona has issued an invoice to "Wayne Enterprises" for 1,000.00 USD at 0% VAT
    When Wayne Enterprises pays 600.00 USD by card
    Then the card was charged 600.00 USD once
    And the invoice is partially paid with 400.00 USD still due
    And the invoice's payments add up to 600.00 USD

  Scenario: A refund is told in the currency of the payment
    Given Fiona has issued an invoice to "Wayne Enterprises" for 500.00 GBP at 0% VAT
    And Wayne Enterprises has paid 500.00 GBP by card
    When Fiona tries to refund 600.00 GBP of the payment
    Then Fiona is told 500.00 GBP is left to refund
