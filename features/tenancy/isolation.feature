@allure.issue:4
Feature: Companies never see each other's data
  Every company on the platform trusts that its leads, deals, invoices and
  books are its own. A user of another company is told such a record does not
  exist, never that it is forbidden, so not even its existence leaks.

  Background:
    Given Globex and Initech both run their business on the platform
    And Globex has a record of every kind

  @critical
  Scenario Outline: A user of another company is told Globex's <kind> does not exist
    When Olivia of Initech looks for Globex's <kind>
    Then she is told it does not exist

    Examples:
      | kind               |
      | lead               |
      | deal               |
      | client             |
      | delivery project   |
      | invoice            |
      | invoice's payments |
      | conversation       |

  Scenario Outline: Initech's <listing> listing shows nothing of Globex
    When Olivia of Initech lists the <listing>
    Then she sees none of Globex's records

    Examples:
      | listing           |
      | leads             |
      | deals             |
      | clients           |
      | delivery projects |
      | invoices          |
      | users             |
      | commissions       |
      | audit trail       |

  @critical @slow
  Scenario: Every operation of the platform on another company's records answers that they do not exist
    When Olivia of Initech tries every operation of the platform on them
    Then every attempt answers as the rule says
    And Globex's records are unchanged

  Scenario Outline: Naming Globex <where> reads and writes nothing of Globex
    When Olivia of Initech asks for leads naming Globex <where>
    Then nothing of Globex's is seen or written

    Examples:
      | where          |
      | in the address |
      | in the query   |
      | in a header    |
      | in the body    |
