Feature: A deal is named after its client
  A seller finds a deal by its client's name, so a new deal is titled after the
  client with "deal" added, as long as the title stays within the 200
  characters a title may have; a longer name is kept whole rather than cut.

  Scenario Outline: A client's name of <length> characters gives a deal titled <title>
    Given Sam has a qualified lead from a client whose name is <length> characters long
    When Sam turns the lead into a deal
    Then the deal is titled <title>

    Examples:
      | length | title                        |
      | 1      | the client's name and "deal" |
      | 195    | the client's name and "deal" |
      | 196    | the client's name alone      |
      | 200    | the client's name alone      |
