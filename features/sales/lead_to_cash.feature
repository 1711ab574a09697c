@allure.issue:2
Feature: Lead to cash
  A deal is only worth something once it is paid. These journeys follow one
  deal from the first contact to the money received, and check that sales,
  delivery, finance and the audit trail agree at every step.

  @critical @smoke @journey
  Scenario: A won deal is delivered, invoiced and paid in full
    Given Sam has a qualified lead from "Globex" worth 12,000.00 EUR
    When Sam wins the deal
    Then a delivery project is opened for Globex with its kick-off tasks
    When Fiona invoices the project at 21% VAT
    Then the invoice total is 14,520.00 EUR
    When Globex pays 14,520.00 EUR by card
    Then the invoice is paid
    And Sam has earned 1,452.00 EUR in commission
    And no commission is recorded for Olivia
    And the audit trail shows, in order: lead captured, lead qualified, lead converted, deal won, project opened, invoice drafted, invoice issued, payment received, commission earned

  @critical @journey
  Scenario: An invoice paid in instalments is partially paid, then paid
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT
    When Initech pays 500.00 EUR by card
    Then the invoice is partially paid with 710.00 EUR still due
    When Initech pays 710.00 EUR by card
    Then the invoice is paid
    And the invoice's payments add up to 1,210.00 EUR
    And Sam has earned 121.00 EUR in commission

  Scenario: A disqualified lead never becomes a deal
    Given Sam has captured a lead from "Hooli" worth 8,000.00 EUR
    When Sam disqualifies the lead because "no budget this year"
    Then Sam cannot turn the lead into a deal
    And Hooli has no deal and no delivery project
    And the audit trail shows, in order: lead captured, lead disqualified

  Scenario: A lost deal opens no project
    Given Sam has an open deal with "Umbrella" worth 20,000.00 EUR
    When Sam loses the deal because "chose a competitor"
    Then the deal is lost
    And no delivery project is opened for Umbrella
    And the audit trail shows, in order: lead captured, lead qualified, lead converted, deal lost

  Scenario: A seller on no commission earns none, and none is recorded for her
    Given Olivia has a qualified lead from "Soylent" worth 5,000.00 EUR
    When Olivia wins the deal
    And Fiona invoices the project at 21% VAT
    And Soylent pays 6,050.00 EUR by card
    Then the invoice is paid
    And no commission is recorded for Olivia
    And the audit trail ends with: invoice issued, payment received
