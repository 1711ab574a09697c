@allure.issue:6
Feature: Long work leaves nothing behind
  The platform gives back what it takes. Its connection pools may grow to the
  size the work needs, but after that, more journeys must not make it hold any
  more database connections or open files: whatever grows with the work is a
  leak.

  @chaos @slow
  Scenario: After 200 lead-to-cash journeys the platform holds no more connections and open files than after the first 100
    Given 100 lead-to-cash journeys have run, 8 at a time, and the platform's connections and open files are measured
    When 100 more lead-to-cash journeys run, 8 at a time
    Then all 100 invoices are paid
    And the platform holds no more connections and open files than after the first journeys
    And the company's money is in its steady state
