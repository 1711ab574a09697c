Feature: An open deal moves between the open stages until it is won or lost, then never again
  Prospecting, proposal and negotiation are open stages a seller may move between in any
  order; winning or losing closes the deal for good. Every move from every stage is tried.

  Scenario Outline: Sam tries to <action> when a deal is <state>
    Given a deal that is <state>
    When Sam tries to <action>
    Then the move is <outcome> and the deal is <after>

    Examples:
      | state          | action                 | outcome | after          |
      | prospecting    | move it to proposal    | allowed | in proposal    |
      | prospecting    | move it to negotiation | allowed | in negotiation |
      | prospecting    | win it                 | allowed | won            |
      | prospecting    | lose it                | allowed | lost           |
      | in proposal    | move it to prospecting | allowed | prospecting    |
      | in proposal    | move it to negotiation | allowed | in negotiation |
      | in proposal    | win it                 | allowed | won            |
      | in proposal    | lose it                | allowed | lost           |
      | in negotiation | move it to proposal    | allowed | in proposal    |
      | in negotiation | win it                 | allowed | won            |
      | in negotiation | lose it                | allowed | lost           |
      | won            | move it to negotiation | refused | won            |
      | won            | win it                 | refused | won            |
      | won            | lose it                | refused | won            |
      | lost           | move it to proposal    | refused | lost           |
      | lost           | win it                 | refused | lost           |
      | lost           | lose it                | refused | lost           |
