Feature: One account for each address in a company
  An e-mail address names one person in a company, however it is written:
  capitals, mixed case or full-width letters are the same address, and so are
  a domain written in its own letters and in its ASCII spelling. Adding a
  colleague with an address someone already has is refused, naming the address
  as taken, and nobody is added, even when several additions are sent at once.

  Scenario Outline: Sam's address written <how> cannot be given to a second colleague
    When Olivia adds a colleague with Sam's address written <how>
    Then the addition is refused because the address already has an account
    And the company's people are as they were

    Examples:
      | how                   |
      | as it is              |
      | in capitals           |
      | in mixed case         |
      | in full-width letters |

  Scenario Outline: An address added with its domain <first> is one account with its domain <then>
    Given Olivia has added a colleague at "<added>"
    When Olivia adds a colleague at "<again>"
    Then the addition is refused because the address already has an account
    And the company's people are as they were
    And the colleague added signs in at "<again>"

    Examples:
      | first                 | then                            | added                      | again                      |
      | in its own letters    | in its ASCII spelling           | jörg@bücher.example        | jörg@xn--bcher-kva.example |
      | in its ASCII spelling | in its own letters, in capitals | jörg@xn--bcher-kva.example | JÖRG@BÜCHER.EXAMPLE        |

  @chaos
  Scenario: One new address given to ten colleagues at the same moment makes one account
    When Olivia adds a colleague with one new address 10 times at the same moment, behind a long job holding the company's records
    Then one colleague is added, and each other addition is refused because the address already has an account
