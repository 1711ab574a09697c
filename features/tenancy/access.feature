@allure.issue:4
Feature: Only a signed-in person with the right role gets in
  A session proves who is asking and for which company; the role decides what
  they may do. Anything less is asked to sign in, and a role without the right
  is refused, on every operation the platform offers.

  Background:
    Given Globex has a record of every kind

  @critical @slow
  Scenario: Every operation asks a caller without a session to sign in
    When someone without a session tries every operation of the platform on them
    Then every attempt answers as the rule says
    And Globex's records are unchanged

  @critical @slow
  Scenario: Every role is held to its rights on every operation
    Given the rights of each role are:
      | right               | owner | sales | finance | compliance | analyst |
      | manage users        | yes   | no    | no      | no         | no      |
      | see users           | yes   | yes   | yes     | yes        | yes     |
      | sell                | yes   | yes   | no      | no         | no      |
      | see sales           | yes   | yes   | yes     | yes        | yes     |
      | see projects        | yes   | yes   | yes     | yes        | yes     |
      | bill                | yes   | no    | yes     | no         | no      |
      | see billing         | yes   | no    | yes     | yes        | yes     |
      | take payments       | yes   | no    | yes     | no         | no      |
      | see commissions     | yes   | yes   | yes     | yes        | yes     |
      | see the audit trail | yes   | no    | no      | yes        | no      |
      | see reports         | yes   | yes   | yes     | yes        | yes     |
      | decide approvals    | yes   | no    | no      | yes        | no      |
      | see analytics       | yes   | no    | yes     | no         | yes     |
    When each role tries every operation of the platform on them
    Then every attempt answers as the rule says
    And Globex's records are unchanged

  Scenario Outline: A session that is <state> is asked to sign in again
    When Sam's session is <state>
    Then Sam is asked to sign in again

    Examples:
      | state                   |
      | tampered with           |
      | signed with another key |
      | signed out              |

    @needs_token_secret
    Examples: made with the platform's own key
      | state   |
      | expired |
