@allure.issue:5
Feature: Each company's activity is counted exactly, day by day
  Owners watch how busy their company is. Every business event counts once,
  for its own company and day, however many happen at the same moment.

  Scenario: After bursts of activity in two companies each day's counts and sums are exact
    Given Globex and Initech both run their business on the platform
    When Sam of Globex captures 20 leads worth 250.00 EUR each at the same time
    And Sam of Initech captures 3 leads worth 100.05 EUR each at the same time
    Then Globex's activity today shows 20 leads captured worth 5,000.00 EUR
    And Initech's activity today shows 3 leads captured worth 300.15 EUR
    And Initech's activity today shows 1 company created, moving no money
    And Globex's activity yesterday and tomorrow shows no leads captured

  Scenario: An event counts in the day it happened, on either side of midnight
    Given Sam captured these leads, each recorded in the trail at the instant shown
      | client   | worth      | recorded at (UTC)   |
      | Globex   | 100.00 EUR | 2025-11-30 23:59:59 |
      | Initech  | 200.00 EUR | 2025-12-01 00:00:00 |
      | Umbrella | 400.00 EUR | 2025-12-01 23:59:59 |
      | Hooli    | 800.00 EUR | 2025-12-02 00:00:00 |
    Then the activity of each day shows these leads captured
      | day        | leads captured | worth      |
      | 2025-11-29 | none           |            |
      | 2025-11-30 | 1              | 100.00 EUR |
      | 2025-12-01 | 2              | 600.00 EUR |
      | 2025-12-02 | 1              | 800.00 EUR |
      | 2025-12-03 | none           |            |
