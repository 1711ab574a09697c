Feature: One account for each address in a company
  An e-mail address names one person in a company, however it is written:
  capitals, mixed case or full-width letters are the same address. Adding a
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

  @chaos
  Scenario: One new address given to ten colleagues at the same moment makes one account
    When Olivia adds a colleague with one new address 10 times at the same moment, behind a long job holding the company's records
    Then one colleague is added, and each other addition is refused because the address already has an account
