Feature: A support ticket is answered before it is closed, and a closed ticket takes nothing more
  An open or answered ticket can be answered (again); only an answered ticket can be
  closed. Every action from every status is tried.

  Scenario Outline: Sam tries to <action> when a ticket is <state>
    Given a ticket that is <state>
    When Sam tries to <action>
    Then the move is <outcome> and the ticket is <after>

    Examples:
      | state    | action    | outcome | after    |
      | open     | answer it | allowed | answered |
      | open     | close it  | refused | open     |
      | answered | answer it | allowed | answered |
      | answered | close it  | allowed | closed   |
      | closed   | answer it | refused | closed   |
      | closed   | close it  | refused | closed   |
