@allure.issue:3
Feature: The assistant shows every stage of its work
  People trust an assistant they can watch: it says when it starts, what it
  is thinking, which tool it uses and what came back, and ends with exactly
  one answer or one clear failure.

  @critical @smoke
  Scenario: A question that needs a tool goes through every stage in order
    Given Sam has an open deal with "Globex" worth 12,000.00 EUR
    When Sam asks the assistant "What is our open pipeline?"
    Then Sam sees the assistant starts, thinks, uses a tool, gets the tool's result, thinks, answers, in that order
    And every stage arrives once, in order, and nothing follows the end

  Scenario: Several tools in one question are each paired with their result
    When Fiona asks the assistant "Show me the open pipeline, the overdue invoices and the revenue"
    Then the assistant used the pipeline, overdue invoices and revenue tools, each paired with its result
    And every stage arrives once, in order, and nothing follows the end

  Scenario: Research runs several look-ups at once in one tool
    When Fiona asks the assistant "Research everything about our business"
    Then the assistant used the research tool, paired with its result
    And the answer mentions "Open pipeline"
    And the answer mentions "Overdue invoices"
    And the answer mentions "Revenue received by month"
