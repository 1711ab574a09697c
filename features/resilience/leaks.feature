@allure.issue:6
Feature: Long work leaves nothing behind
  The platform gives back what it takes. Its connection pools may grow to the
  size the work needs, but every connection it holds is one of its pools', back
  in its pool once the work is done; more journeys must not make it hold more
  open files, nor much more memory (Python keeps some of what it frees, hence a
  margin): whatever grows with the work is a leak.

  @chaos @slow @time_limit:300
  Scenario: After 300 lead-to-cash journeys the platform holds no more connections, open files or memory than after the first 100
    Given 100 lead-to-cash journeys have run, 8 at a time, and the platform's connections, open files and memory are measured
    When 200 more lead-to-cash journeys run, 8 at a time
    Then all 200 invoices are paid
    And the platform holds no connection outside its pools nor in use, no more open files than after the first journeys, and no instance more than 2 MB more memory
    And the company's money is in its steady state
