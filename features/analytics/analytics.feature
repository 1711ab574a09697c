@allure.issue:32
Feature: The analytics count every business event once, and each company sees only its own
  Every business event the platform records (a lead captured, a deal won, an
  invoice issued, a payment, a refund...) reaches the analytics store within
  seconds, once, carrying its company. Olivia reads her company's funnel, the
  money received each day and the platform's use there, and they agree with
  the platform's own records to the cent, and with what the askers were told. Another company's events never count, and an outage
  of the store loses nothing: the events wait in the platform's audit trail.

  @critical
  Scenario: The funnel follows leads all the way to money received
    Given Sam has 3 leads worth 1,000.00 EUR each, qualified 2 of them and won a deal from 1
    When Fiona invoices the project at 0% VAT
    And Globex pays 400.00 EUR by card
    And Globex pays 600.00 EUR by card
    Then the analytics catch up within 10 seconds
    And this month's funnel shows 3 leads, 2 qualified, 1 won, 1 invoiced and 1 paid

  Scenario: The funnel shows how the leads of each campaign convert
    Given Olivia runs the "Spring fair" campaign with a budget of 5,000.00 EUR
    And Sam has captured 2 leads worth 100.00 EUR each
    And Sam has a qualified lead from "Globex" worth 10,000.00 EUR from the campaign
    And Sam has won the deal
    Then the analytics catch up within 10 seconds
    And this month's funnel shows the campaign's 1 lead and 1 won deal

  @critical
  Scenario: The money received each day agrees with the payments and refunds to the cent, and two invoices paid count twice
    Given Fiona has issued an invoice to "Wayne Enterprises" for 300.00 USD at 0% VAT
    And Wayne Enterprises has paid 300.00 USD by card
    And Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And Globex has paid 500.00 EUR by card
    And Globex has paid 210.10 EUR by card
    When Fiona refunds 100.05 EUR of the payment
    Then the analytics catch up within 10 seconds
    And today's money received in the analytics is 610.05 EUR and 300.00 USD, as the platform's own records say
    And this month's funnel shows 2 leads, 2 qualified, 2 won, 2 invoiced and 2 paid

  Scenario: The platform's use each day counts sign-ins, and the assistant's questions, answers, failures, tool calls and tokens
    Given someone has tried to sign in as Sam with a wrong password 2 times
    And Sam has asked the assistant "What is our open pipeline?"
    And Sam has asked the assistant "What is our revenue, and what is overdue?"
    And Sam has asked the assistant "Hello"
    And the model asks for the same look-up again and again when Sam asks
    When Sam asks the assistant "What is our open pipeline?"
    Then the analytics catch up within 10 seconds
    And today's use shows 2 failed sign-ins, 4 questions to the assistant, 3 answered and 1 failed
    And today's use counts every sign-in, tool call and token the people were told of, and no answer slower than was waited for

  @critical
  Scenario: Another company's events never count in a company's figures
    When Sam captures 3 leads worth 100.00 EUR each at the same time
    And Sam of Initech captures 5 leads worth 100.00 EUR each at the same time
    Then the analytics catch up within 10 seconds
    And Olivia sees 3 leads in this month's funnel
    And Olivia of Initech sees 5 leads in this month's funnel

  @needs_analytics_store
  Scenario: Events delivered twice are counted once
    Given Sam has captured 4 leads worth 100.00 EUR each
    And the analytics have caught up within 10 seconds
    When every event of the company reaches the analytics store a second time
    Then the events delivered twice are counted once
    And Olivia sees 4 leads in this month's funnel

  Scenario Outline: The funnel asked for <days> days from <from> is refused, naming <field>
    Then Olivia is refused the funnel of <days> days from <from>, naming <field>

    Examples:
      | from       | days | field |
      | 2026-12-01 | 0    | days  |
      | 2026-12-01 | 367  | days  |
      | 2026-12-01 | many | days  |
      | 2026-13-01 | 31   | from  |
      | yesterday  | 31   | from  |

  @chaos
  Scenario: With the analytics store slow the platform's own answers are not slowed, and the figures follow
    When the analytics store takes 800 ms to answer each query
    Then Sam captures 10 leads one after the other within 5 seconds
    And the analytics catch up within 20 seconds
    And Olivia sees 10 leads in this month's funnel

  @chaos @journey
  Scenario: With the analytics store down the events wait, the platform keeps working, and nothing is lost
    When the analytics store goes down
    And Sam captures 4 leads worth 100.00 EUR each at the same time
    Then Olivia is told the analytics are unavailable for now
    When the analytics store is back
    Then the analytics catch up within 15 seconds
    And Olivia sees 4 leads in this month's funnel

  @chaos @journey
  Scenario: Events recorded while every instance is killed and started again are copied once, none lost
    When the analytics store goes down
    And Sam captures 6 leads worth 100.00 EUR each at the same time
    And every platform instance is killed and started again
    And the analytics store is back
    Then the analytics catch up within 20 seconds
    And Olivia sees 6 leads in this month's funnel
    When Sam captures 2 leads worth 100.00 EUR each at the same time
    Then the analytics catch up within 10 seconds
    And Olivia sees 8 leads in this month's funnel
