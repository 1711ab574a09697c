@perf @time_limit:600 @allure.issue:31
Feature: People working at once get each answer nearly as fast as the network alone would give it
  The seeds promise answers under half a second with many people at work. A
  hundred people of four companies read their company's deals again and
  again, all at once, over every instance; the same people read the
  yardstick, a bare server that answers each read with a list of one deal
  and does no work, served the same way, as often. The slowest twentieth's
  wait is held to a few times the yardstick's and to half a second, and the
  answers a second to a share of the yardstick's. The thresholds, and the
  figures the last runs gave, are in features/performance/thresholds.toml.
  Run by make perf.

  Scenario: A hundred people reading at once each get a whole answer within a few times the bare server's wait
    Given 4 companies of 25 people each
    And the yardstick runs beside the platform
    When each of them reads the company's deals 20 times, one answer after another, over every instance
    And as many people read the yardstick's bare list as often
    Then every answer is a whole list showing the reader's own company's deal and no other
    And the slowest twentieth's wait and the answers a second are within their thresholds
