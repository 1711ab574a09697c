@allure.issue:6
Feature: Long work leaves nothing behind
  The platform gives back what it takes: after hundreds of journeys it holds no
  more database connections and no more open files than it did before them.

  @chaos @slow
  Scenario: After 200 lead-to-cash journeys the platform's connections and open files are back to their baseline
    Given the platform's connections and open files are measured after 10 warm-up journeys, 8 at a time
    When 200 lead-to-cash journeys run, 8 at a time
    Then all 200 invoices are paid
    And the platform's connections and open files are back to their baseline
    And the company's money is in its steady state
