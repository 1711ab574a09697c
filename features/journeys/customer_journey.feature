@allure.issue:5
Feature: From a marketing campaign to a supported customer
  The whole life of a customer in one story: a campaign brings the lead, the
  deal is won and delivered, the invoice is paid, support answers the client,
  and the campaign's return shows what the budget brought in.

  @critical @journey
  Scenario: A campaign's lead becomes a paying, supported customer, and the campaign shows its return
    Given Olivia runs the "Spring Launch" campaign with a budget of 2,000.00 EUR
    And Sam has a qualified lead from "Globex" worth 10,000.00 EUR from the campaign
    When Sam wins the deal
    Then a delivery project is opened for Globex with its kick-off tasks
    When Fiona invoices the project at 21% VAT
    And Globex pays the invoice in full by card
    Then the invoice is paid
    When Globex opens a support ticket "The new portal rejects our logins"
    And Sam answers the ticket "We reset your single sign-on secret"
    And Sam closes the ticket
    Then the ticket is closed with the answer "We reset your single sign-on secret"
    And the "Spring Launch" campaign shows 1 lead, 1 won deal, 12,100.00 EUR received and a return of 10,100.00 EUR
    And the audit trail shows, in order: campaign started, lead captured, lead qualified, lead converted, deal won, project opened, invoice drafted, invoice issued, payment received, commission earned, ticket opened, ticket answered, ticket closed

  Scenario: A ticket answered twice shows its latest answer, and the trail keeps both
    Given Sam is delivering a project for "Initech"
    When Initech opens a support ticket "Where is the kick-off agenda?"
    And Sam answers the ticket "It is in your inbox"
    And Sam answers the ticket "Sorry, it is on its way again"
    Then the ticket is answered with the answer "Sorry, it is on its way again"
    And Cleo finds each answer given on the ticket in the audit trail, in order
      | answer                        |
      | It is in your inbox           |
      | Sorry, it is on its way again |

  Scenario: An unanswered ticket cannot be closed
    Given Sam is delivering a project for "Initech"
    When Initech opens a support ticket "Where is the kick-off agenda?"
    And Sam tries to close the ticket
    Then the ticket stays open, because an unanswered ticket cannot be closed

  Scenario: Support starts once a client's delivery has started, whatever is delivered to others
    Given Sam is delivering a project for "Initech"
    And Sam has an open deal with "Umbrella" worth 4,000.00 EUR
    When Umbrella tries to open a support ticket "Can we start before the kick-off?"
    Then the ticket is refused, because support starts once the client's delivery has started

  Scenario: Money refunded to a campaign's client leaves the campaign's return, and other leads do not count
    Given Olivia runs the "Spring Launch" campaign with a budget of 2,000.00 EUR
    And Sam has a qualified lead from "Umbrella" worth 8,000.00 EUR from the campaign
    And Olivia runs the "Autumn Push" campaign with a budget of 1,000.00 EUR
    And Sam has captured a lead from "Initech" worth 3,000.00 EUR
    And Sam has a qualified lead from "Globex" worth 5,000.00 EUR from the campaign
    When Sam wins the deal
    And Fiona invoices the project at 0% VAT
    And Globex pays the invoice in full by card
    And Fiona refunds 1,500.00 EUR of the payment
    Then the "Autumn Push" campaign shows 1 lead, 1 won deal, 3,500.00 EUR received and a return of 2,500.00 EUR

  Scenario: Money a campaign brought in another currency is shown apart, never added to its return
    Given Olivia runs the "Summer Tour" campaign with a budget of 1,000.00 EUR
    And Sam has a qualified lead from "Wayne Enterprises" worth 2,000.00 USD from the campaign
    When Sam wins the deal
    And Fiona invoices the project at 0% VAT
    And Wayne Enterprises pays the invoice in full by card
    Then the "Summer Tour" campaign shows 1 lead, 1 won deal, 0.00 EUR received and a return of -1,000.00 EUR
    And the "Summer Tour" campaign shows 2,000.00 USD received in another currency, apart from its return

  Scenario: A campaign whose lead is not won yet shows nothing received, and its whole budget as the return
    Given Olivia runs the "Winter Fair" campaign with a budget of 800.00 EUR
    And Sam has a qualified lead from "Hooli" worth 4,000.00 EUR from the campaign
    Then the "Winter Fair" campaign shows 1 lead, 0 won deal, 0.00 EUR received and a return of -800.00 EUR
