@allure.issue:4
Feature: Cached reports stay with their company
  Reports are cached to answer fast. A cache shared by every company must
  never hand one company's figures to another.

  Scenario: Every cache entry belongs to one company
    Given Sam has an open deal with "Globex" worth 5,000.00 EUR
    When Olivia reads the sales summary
    Then every cache entry belongs to one company, and this company's sales summary is among them

  @critical
  Scenario: One company's cached report never answers another
    Given Globex and Initech both run their business on the platform
    And Sam has an open deal with "Wayne Enterprises" worth 12,000.00 EUR
    And Olivia of Globex has read the sales summary
    When Olivia of Initech reads the sales summary
    Then Olivia of Initech sees an open pipeline of 0.00 EUR
    And Olivia of Globex sees an open pipeline of 12,000.00 EUR

  Scenario: A new deal shows in the cached sales summary at once
    Given Sam has an open deal with "Globex" worth 5,000.00 EUR
    And Olivia has read the sales summary
    When Sam opens a deal with "Hooli" worth 2,500.00 EUR
    Then Olivia sees an open pipeline of 7,500.00 EUR
