@allure.issue:6
Feature: Without Redis the business goes on, with the right figures
  Redis holds the report cache, rate limits, circuit states and live feeds. Its
  outage may make the platform slower and its limits looser (documented), never
  wrong: reports are computed from the database, payments are taken once, and
  once Redis is back the cached figures include everything written meanwhile.

  @chaos @critical @journey
  Scenario: Redis stops in the middle of a journey and comes back
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT
    And Sam has an open deal with "Globex" worth 5,000.00 EUR
    And Olivia has read the sales summary
    When Redis stops
    And Sam opens a deal with "Hooli" worth 2,500.00 EUR
    And Initech pays 1,210.00 EUR by card
    Then Olivia sees an open pipeline of 7,500.00 EUR
    And the invoice is paid with 0.00 EUR still due
    And readiness reports the cache down, the platform degraded but ready, and every circuit's state unknown
    When Redis is back
    Then Olivia sees an open pipeline of 7,500.00 EUR
    And the company's money is in its steady state

  @chaos @journey
  Scenario: Redis stops answering for a while: a write made meanwhile still shows in the cached report
    Given Sam has an open deal with "Globex" worth 5,000.00 EUR
    And Olivia has read the sales summary
    When Redis stops answering for 3 seconds
    And Sam opens a deal with "Hooli" worth 2,500.00 EUR
    Then Olivia sees an open pipeline of 7,500.00 EUR
    When Redis answers again
    Then Olivia sees an open pipeline of 7,500.00 EUR
