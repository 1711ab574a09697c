@perf @time_limit:600 @allure.issue:13
Feature: A thousand people ask at once and each gets their whole answer
  The assistant serves every person of many companies at the same time. At
  that scale each person still receives every stage of their own question,
  once and in order, and nothing of anyone else's, whichever instance they
  reach. How fast it is belongs to the benchmark; here the figures are only
  recorded.

  Scenario: A thousand people in forty companies ask at once over every instance
    Given 40 companies of 25 people each
    When all of them ask the assistant "What is my pipeline and which invoices are overdue?" at the same time, over every instance
    Then each of the 1000 people receives every event of their own question once, in order, and nothing else
