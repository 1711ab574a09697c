@perf @time_limit:900 @allure.issue:31
Feature: A thousand people asking at once are answered nearly as fast as the network alone would
  The seeds promise a thousand people at once, answered in full. Each figure
  here is measured against a yardstick in the same run: a bare socket that
  speaks the assistant's protocol with no work behind it, served the same way
  and asked by the same people. What the burst costs the platform (its CPU
  for each question, its memory) is held to figures of this kind of machine.
  The thresholds, and the figures the last runs gave, are in
  features/performance/thresholds.toml. Run by make perf.

  Scenario: A thousand people ask at once; the slowest twentieth wait at most a few times what the network alone takes
    Given 40 companies of 25 people each
    And the yardstick runs beside the platform
    When all of them ask the assistant "What is my pipeline and which invoices are overdue?" at the same time, over every instance
    And as many people ask the yardstick "What is my pipeline and which invoices are overdue?" at the same time
    Then each of the 1000 people receives every event of their own question once, in order, and nothing else
    And the wall time, the slowest twentieth's wait, the share told busy, the CPU for each question and the memory are within their thresholds
