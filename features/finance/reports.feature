@allure.issue:5
Feature: Financial reports are exact to the cent and always current
  Finance decides on these figures: the forecast, money still owed and how
  late it is, and profit. Each is exact to the cent, and a new deal or
  payment shows at once even though reports are cached.

  Scenario Outline: The forecast weighs an open deal of <amount> EUR at the <stage> stage by its chance of closing
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

  Scenario Outline: Money exactly <later> days past due is aged on the right side of the bucket's edge
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT, due in 0 days
    Then <later> days from today, 1,210.00 EUR is due in the <bucket> bucket of receivables

    Examples:
      | later | bucket        |
      | 0     | current       |
      | 1     | 1 to 30 days  |
      | 30    | 1 to 30 days  |
      | 31    | 31 to 60 days |
      | 60    | 31 to 60 days |
      | 61    | 61 to 90 days |
      | 90    | 61 to 90 days |
      | 91    | over 90 days  |

  Scenario: The same receivables read as of different days are aged for each of those days
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT, due in 30 days
    Then 10 days from today, 1,210.00 EUR is due in the current bucket of receivables
    And 45 days from today, 1,210.00 EUR is due in the 1 to 30 days bucket of receivables
    And 100 days from today, 1,210.00 EUR is due in the 61 to 90 days bucket of receivables

  Scenario: An invoice due today is overdue for the assistant with what is still due, one due later is not
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT, due in 0 days
    And Globex has paid 210.00 EUR by card
    And Fiona has issued an invoice to "Initech" for 500.00 EUR at 0% VAT, due in 30 days
    When Fiona asks the assistant "Which invoices are overdue?"
    Then the answer mentions "Overdue invoices: 1 (Globex owes 1,000.00 EUR)"

  Scenario Outline: An invoice the assistant is asked about <when> is <counted>
    Given the company's clock stands still
    And Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 0% VAT, due in 0 days
    And the company's clock has moved on <seconds> seconds
    When Fiona asks the assistant "Which invoices are overdue?"
    Then the answer mentions "<the answer>"

    Examples:
      | when                            | counted         | seconds | the answer                                     |
      | at the very moment it falls due | not yet overdue | 0       | Overdue invoices: 0                            |
      | a second after it falls due     | overdue         | 1       | Overdue invoices: 1 (Globex owes 1,000.00 EUR) |

  Scenario: Receivables add up what is still due on every invoice, and leave out the paid and the void
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT, due in 30 days
    And Globex has paid 210.00 EUR by card
    And Fiona has issued an invoice to "Initech" for 500.00 EUR at 0% VAT, due in 30 days
    And Initech has paid 500.00 EUR by card
    And Fiona has issued an invoice to "Umbrella Corporation" for 300.00 EUR at 0% VAT, due in 30 days
    And Fiona has voided the invoice because "raised in error"
    And Fiona has issued an invoice to "Hooli" for 100.00 EUR at 0% VAT, due in 30 days
    Then 10 days from today, 1,100.00 EUR is due in the current bucket of receivables
    And the sales summary shows 0.00 EUR open, 1,900.00 EUR won, 1,810.00 EUR invoiced, 710.00 EUR received and 1,100.00 EUR outstanding

  Scenario: The forecast adds up every open deal, and leaves out the won and the lost
    Given Sam has an open deal with "Globex" worth 10,000.00 EUR at the prospecting stage
    And Sam has an open deal with "Initech" worth 1,000.00 EUR at the proposal stage
    And Sam has an open deal with "Umbrella" worth 100.00 EUR at the negotiation stage
    And Sam has an open deal with "Hooli" worth 50,000.00 EUR at the negotiation stage
    And Sam has won the deal
    And Sam has an open deal with "Stark Industries" worth 70,000.00 EUR at the proposal stage
    And Sam has lost the deal because "went elsewhere"
    Then the forecast shows 1,470.00 EUR weighted from 11,100.00 EUR open

  @critical
  Scenario: Profit is revenue invoiced less the commissions it earned
    Given Fiona has issued an invoice to "Initech" for 10,000.00 EUR at 21% VAT
    When Initech pays 12,100.00 EUR by card
    Then this month's profit and loss shows revenue 10,000.00 EUR, cost of sales 1,210.00 EUR and gross profit 8,790.00 EUR
    And this month's revenue received is 12,100.00 EUR
    And the sales summary shows 0.00 EUR open, 10,000.00 EUR won, 12,100.00 EUR invoiced, 12,100.00 EUR received and 0.00 EUR outstanding

  Scenario: An invoice counts in the profit and loss of the month it was issued in, on either side of each edge
    Given Fiona issued these invoices at 0% VAT, each dated at the instant shown
      | client   | net        | issued at (UTC)     |
      | Globex   | 100.00 EUR | 2025-11-30 23:59:59 |
      | Initech  | 200.00 EUR | 2025-12-01 00:00:00 |
      | Umbrella | 400.00 EUR | 2025-12-31 23:59:59 |
      | Hooli    | 800.00 EUR | 2026-01-01 00:00:00 |
    Then the profit and loss shows this revenue for each span of whole months
      | from    | months | revenue      |
      | 2025-10 | 1      | nothing      |
      | 2025-11 | 1      | 100.00 EUR   |
      | 2025-12 | 1      | 600.00 EUR   |
      | 2026-01 | 1      | 800.00 EUR   |
      | 2026-02 | 1      | nothing      |
      | 2025-11 | 2      | 700.00 EUR   |
      | 2025-12 | 2      | 1,400.00 EUR |
      | 2025-10 | 4      | 1,500.00 EUR |

  Scenario: A commission counts in the cost of sales of the month it was earned, on either side of each edge
    Given Fiona invoiced these clients at 0% VAT, each paid in full, its commission dated at the instant shown
      | client   | net        | earned at (UTC)     |
      | Globex   | 100.00 EUR | 2025-11-30 23:59:59 |
      | Initech  | 200.00 EUR | 2025-12-01 00:00:00 |
      | Umbrella | 400.00 EUR | 2025-12-31 23:59:59 |
      | Hooli    | 800.00 EUR | 2026-01-01 00:00:00 |
    Then the profit and loss shows this cost of sales for each span of whole months
      | from    | months | cost of sales |
      | 2025-10 | 1      | nothing       |
      | 2025-11 | 1      | 10.00 EUR     |
      | 2025-12 | 1      | 60.00 EUR     |
      | 2026-01 | 1      | 80.00 EUR     |
      | 2026-02 | 1      | nothing       |
      | 2025-11 | 2      | 70.00 EUR     |
      | 2025-12 | 2      | 140.00 EUR    |
      | 2025-10 | 4      | 150.00 EUR    |

  Scenario: A payment counts in the revenue of the month it was received in, on either side of each edge
    Given Fiona invoiced these clients at 0% VAT, each paid in full at the instant shown
      | client   | net        | received at (UTC)   |
      | Globex   | 100.00 EUR | 2025-11-30 23:59:59 |
      | Initech  | 200.00 EUR | 2025-12-01 00:00:00 |
      | Umbrella | 400.00 EUR | 2025-12-31 23:59:59 |
      | Hooli    | 800.00 EUR | 2026-01-01 00:00:00 |
    Then the revenue received shows these months
      | month   | received   |
      | 2025-11 | 100.00 EUR |
      | 2025-12 | 600.00 EUR |
      | 2026-01 | 800.00 EUR |

  Scenario: A payment shows in the cached receivables at once
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT, due in 0 days
    And Olivia has read today's receivables
    When Initech pays 1,210.00 EUR by card
    Then today nothing is due

  Scenario: A cold report asked for by many at once is computed once
    Given Sam has an open deal with "Globex" worth 5,000.00 EUR at the proposal stage
    When 20 people read the forecast at the same time
    Then the forecast was computed once

  Scenario Outline: A cached report that cannot be read is computed again, never served: <garbage>
    Given Sam has an open deal with "Globex" worth 5,000.00 EUR at the proposal stage
    And Olivia has read the forecast
    When someone overwrites the cached forecast with <garbage>
    Then the forecast shows 2,000.00 EUR weighted from 5,000.00 EUR open

    Examples:
      | garbage               |
      | text that is not JSON |
      | a JSON list           |
      | half of the report    |
