@allure.issue:4
Feature: A lead with a mistake in it is turned away, and nothing is saved
  Leads are typed in by people and sent by other systems. A mistake must come
  back at once, naming the field to fix, and must leave nothing half-saved.

  Scenario Outline: A lead with <mistake> is refused, naming the <field>
    When Sam sends a lead with <mistake>
    Then Sam is told to fix the <field>
    And no lead is saved

    Examples:
      | mistake                                           | field           |
      | a negative amount                                 | estimated value |
      | a zero amount                                     | estimated value |
      | an amount in fractions of a cent                  | estimated value |
      | an amount of a trillion euros                     | estimated value |
      | an amount written as a floating-point number      | estimated value |
      | an empty company name                             | company         |
      | a company name of 201 letters                     | company         |
      | a company name that is only spaces                | company         |
      | a control character in the company name           | company         |
      | a character that shows the company name backwards | company         |
      | an unknown currency                               | currency        |
      | an unknown discount field                         | discount        |
      | a form instead of JSON                            | content type    |
      | a body of two megabytes                           | body            |
      | broken JSON                                       | body            |

  Scenario: A company name in any script is saved exactly as written
    When Sam captures a lead from "Zürich Ünïcødé 北京 Ltd 😀" worth 1,000.00 EUR
    Then the lead is saved with the company name "Zürich Ünïcødé 北京 Ltd 😀" exactly as written

  Scenario: A lead asked for by a malformed reference is refused, naming the reference
    When Sam looks for a lead by a malformed reference
    Then Sam is told to fix the lead reference
