Feature: A lead moves only forward, and only the ways the sales process allows
  A lead is new until a seller qualifies or disqualifies it; only a qualified lead becomes
  a deal; a disqualified or converted lead is finished. Every move from every state is
  tried: the allowed ones move the lead, the others are refused and change nothing.

  Scenario Outline: Sam tries to <action> when a lead is <state>
    Given a lead that is <state>
    When Sam tries to <action>
    Then the move is <outcome> and the lead is <after>

    Examples:
      | state        | action        | outcome | after        |
      | new          | qualify it    | allowed | qualified    |
      | new          | disqualify it | allowed | disqualified |
      | new          | convert it    | refused | new          |
      | qualified    | qualify it    | refused | qualified    |
      | qualified    | disqualify it | allowed | disqualified |
      | qualified    | convert it    | allowed | converted    |
      | disqualified | qualify it    | refused | disqualified |
      | disqualified | disqualify it | refused | disqualified |
      | disqualified | convert it    | refused | disqualified |
      | converted    | qualify it    | refused | converted    |
      | converted    | disqualify it | refused | converted    |
      | converted    | convert it    | refused | converted    |
