@allure.issue:5
Feature: Financial reports are exact to the cent and always current
  Finance decides on these figures: the forecast, money still owed and how
  late it is, and profit. Each is exact to the cent, and a new deal or
  payment shows at once even though reports are cached.

  Scenario Outline: The forecast weighs an open deal at the <stage> stage by its chance of closing
    Given Sam has an open deal with "Globex" worth <amount> EUR at the <stage> stage
    Then the forecast shows <weighted> EUR weighted from <amount> EUR open

    Examples:
      | stage       | amount    | weighted |
      | prospecting | 10,000.00 | 1,000.00 |
      | proposal    | 10,000.00 | 4,000.00 |
      | negotiation | 33.33     | 23.33    |
      | prospecting | 0.05      | 0.01     |

  Scenario Outline: Money still due <later> days after issue, on <terms>-day terms, is aged <bucket>
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT, due in <terms> days
    Then <later> days from today, 1,210.00 EUR is due in the <bucket> bucket of receivables

    Examples:
      | terms | later | bucket        |
      | 30    | 10    | current       |
      | 30    | 45    | 1 to 30 days  |
      | 0     | 45    | 31 to 60 days |
      | 0     | 75    | 61 to 90 days |
      | 0     | 120   | over 90 days  |

  @critical
  Scenario: Profit is revenue invoiced less the commissions it earned
    Given Fiona has issued an invoice to "Initech" for 10,000.00 EUR at 21% VAT
    When Initech pays 12,100.00 EUR by card
    Then this month's profit and loss shows revenue 10,000.00 EUR, cost of sales 1,210.00 EUR and gross profit 8,790.00 EUR
    And this month's revenue received is 12,100.00 EUR

  Scenario: A payment shows in the cached receivables at once
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT, due in 0 days
    And Olivia has read today's receivables
    When Initech pays 1,210.00 EUR by card
    Then today nothing is due

  Scenario: A cold report asked for by many at once is computed once
    Given Sam has an open deal with "Globex" worth 5,000.00 EUR at the proposal stage
    When 20 people read the forecast at the same time
    Then the forecast was computed once
