@allure.issue:5
Feature: High-value transactions wait for someone else's approval
  Above the company's threshold, a deal is not invoiced and a payment is not
  charged until a compliance officer (or the owner) approves it, and never by
  the person who asked. A rejection is final and says why. An amount in
  another currency than the threshold's cannot be compared with it (the
  platform keeps no exchange rates), so a person decides it.

  Background:
    Given the company's approval threshold is 10,000.00 EUR

  @critical @journey
  Scenario: A deal above the threshold cannot be invoiced until it is approved
    Given Sam has won a deal with "Globex" worth 12,000.00 EUR
    When Fiona tries to invoice the project at 21% VAT
    Then Fiona is told the deal awaits approval
    When Cleo approves the deal
    And Fiona invoices the project at 21% VAT
    Then the invoice total is 14,520.00 EUR
    And the audit trail shows, in order: lead captured, lead qualified, lead converted, deal won, project opened, approval requested, approval granted, invoice drafted, invoice issued

  Scenario: A deal at the threshold needs no approval
    Given Sam has won a deal with "Globex" worth 10,000.00 EUR
    When Fiona invoices the project at 0% VAT
    Then the invoice total is 10,000.00 EUR

  Scenario: Once the owner removes the threshold, a deal above it is won and invoiced without an approval
    Given Olivia has removed the company's approval threshold
    And Sam has won a deal with "Globex" worth 12,000.00 EUR
    When Fiona invoices the project at 21% VAT
    Then the invoice total is 14,520.00 EUR

  Scenario: A deal in another currency than the threshold's waits for a person, however small
    Given Sam has won a deal with "Globex" worth 5,000.00 USD
    When Fiona tries to invoice the project at 0% VAT
    Then Fiona is told the deal awaits approval

  @critical @journey
  Scenario: A payment above the threshold is held, and charged once it is approved
    Given Fiona has issued an invoice to "Initech" for 10,000.00 EUR at 21% VAT
    When Fiona takes a card payment of 12,100.00 EUR for the invoice
    Then the payment is held for approval
    And the card was not charged
    And the invoice is issued with 12,100.00 EUR still due
    When Cleo approves the payment
    Then the card was charged once
    And the approval names the payment it let through
    And the invoice is paid

  @journey
  Scenario: A payment held for approval is withdrawn when its invoice is voided, and nobody can approve it after
    Given Fiona has issued an invoice to "Initech" for 10,000.00 EUR at 21% VAT
    When Fiona takes a card payment of 12,100.00 EUR for the invoice
    And Fiona voids the invoice because "issued to the wrong client"
    Then the payment's approval is withdrawn because "the invoice was voided"
    And nothing waits for Cleo's decision
    When Cleo tries to approve the payment
    Then the decision is refused because it was already decided
    And the card was not charged

  @journey
  Scenario: Nobody approves their own request
    Given Fiona has issued an invoice to "Initech" for 10,000.00 EUR at 21% VAT
    When Olivia takes a card payment of 12,100.00 EUR for the invoice
    And Olivia tries to approve the payment
    Then the decision is refused because nobody approves their own request
    And the card was not charged
    When Cleo approves the payment
    Then the invoice is paid

  @journey
  Scenario: A rejected payment is never charged, and the rejection is final
    Given Fiona has issued an invoice to "Initech" for 10,000.00 EUR at 21% VAT
    When Fiona takes a card payment of 12,100.00 EUR for the invoice
    And Cleo rejects the payment because "card holder not verified"
    Then the rejection is recorded with the reason "card holder not verified"
    And the card was not charged
    And nothing waits for Cleo's decision
    When Cleo tries to approve the payment
    Then the decision is refused because it was already decided
    And the invoice is issued with 12,100.00 EUR still due
