Feature: An approval is decided once, and the decision is final
  A pending request is approved or rejected by someone other than the person who asked;
  an approved or rejected request takes no second decision. Sam's won deal above the
  threshold asks for the approval; Olivia decides.

  Scenario Outline: Olivia tries to <action> when an approval is <state>
    Given an approval that is <state>
    When Olivia tries to <action>
    Then the move is <outcome> and the approval is <after>

    Examples:
      | state    | action     | outcome | after    |
      | pending  | approve it | allowed | approved |
      | pending  | reject it  | allowed | rejected |
      | approved | approve it | refused | approved |
      | approved | reject it  | refused | approved |
      | rejected | approve it | refused | rejected |
      | rejected | reject it  | refused | rejected |
