@allure.issue:6
Feature: Many hands at once never move money twice, nor take rights twice
  Payments, refunds and decisions arriving together are serialised where money
  or rights are at stake: an invoice is never paid beyond its total, a payment
  never refunded beyond what it brought in, a payment held for approval is
  approved, and charged, once, and two owners never take each other's rights.
  Only writers wait for each other: reading an invoice never waits for a
  payment being charged on it.

  @critical
  Scenario: Fifty payments at once on one invoice never exceed its total
    Given Fiona has issued an invoice to "Cyberdyne Systems" for 1,000.00 EUR at 0% VAT
    When 50 payments of 30.00 EUR arrive at once over every platform instance
    Then 33 payments are accepted and 17 refused because it exceeds the amount due
    And the invoice is partially paid with 10.00 EUR still due
    And the card was charged 33 times
    And the company's money is in its steady state

  Scenario: One payment sent five times at the same moment with its key is taken once
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 0% VAT
    When the same payment of 100.00 EUR arrives 5 times at once with one key over every platform instance
    Then it is taken once, and each other copy is answered with that payment or told its key is still in use
    And the card was charged once
    And the company's money is in its steady state

  Scenario: Twenty refunds at once of one payment never give back more than it brought in
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 0% VAT
    And Initech has paid 1,000.00 EUR by card
    When 20 refunds of 150.00 EUR of the payment arrive at once over every platform instance
    Then 6 refunds are accepted and 14 refused because it exceeds what was paid
    And the company's money is in its steady state

  @chaos
  Scenario: An invoice voided while a payment on it is in flight is not voided, and the payment counts
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 0% VAT
    When Fiona voids the invoice while a payment of 100.00 EUR waits on a processor answering in 2 seconds
    Then the void is refused because the invoice has payments, and the payment is accepted
    And the company's money is in its steady state

  Scenario: Two approvers approving the same payment at once charge it once
    Given the company's approval threshold is 10,000.00 EUR
    And Fiona has issued an invoice to "Initech" for 10,000.00 EUR at 21% VAT
    When Fiona takes a card payment of 12,100.00 EUR for the invoice
    And Olivia and Cleo approve the payment at the same moment
    Then one approval counts and the other is told it was already decided
    And the card was charged once
    And the invoice is paid
    And the company's money is in its steady state

  Scenario: A deal won ten times at the same moment is won once, with one delivery project
    Given Sam has an open deal with "Globex" worth 5,000.00 EUR
    When Sam wins the deal 10 times at the same moment
    Then the deal was won once, and the 9 other tries were told it is no longer open

  @chaos
  Scenario: Two owners taking each other's role at the same moment leave the company one of them as owner
    Given Olivia has changed Fiona's role to owner
    When Olivia and Fiona change each other's role to analyst at the same moment, while a long job holds the company's records
    Then one of the two changes to analyst is made, and the other is refused because its maker is no longer an owner
    And Cleo finds 1 change to the analyst role in the audit trail

  @chaos
  Scenario: Reading an invoice never waits for a payment in flight on it
    Given Fiona has issued an invoice to "Cyberdyne Systems" for 1,000.00 EUR at 0% VAT
    When Fiona reads the invoice 5 times while a payment of 100.00 EUR waits on a processor answering in 2 seconds
    Then each of her reads was answered within 0.5 seconds, without waiting for the payment
    And the payment is accepted
    And the company's money is in its steady state
