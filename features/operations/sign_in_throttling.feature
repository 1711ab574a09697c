Feature: Repeated wrong passwords are refused for a while, for every account alike
  Guessing passwords must cost an attacker time. The pause must not tell them which
  accounts exist, and must not keep the real person out for longer than the window.
  (This stack counts failures over 3 seconds: 5 per account, 20 per address.)

  @journey
  Scenario: Four wrong passwords leave the account open, and her signing in forgives them
    When someone tries to sign in as Fiona with a wrong password 4 times
    Then attempts 1 to 4 are refused as unknown
    And Fiona signs in with her own password
    When someone tries to sign in as Fiona with a wrong password 4 times
    Then attempts 1 to 4 are refused as unknown
    And Fiona signs in with her own password

  @journey
  Scenario: After five wrong passwords even the right one waits until the window has passed
    When someone tries to sign in as Fiona with a wrong password 5 times
    Then attempts 1 to 5 are refused as unknown
    When Fiona signs in with her own password
    Then she is told to try again within 3 seconds
    And after that wait Fiona signs in with her own password

  @journey
  Scenario Outline: Wrong passwords for Fiona's address written <how> count against her own account
    When someone tries to sign in as Fiona with a wrong password 5 times, her address written <how>
    Then attempts 1 to 5 are refused as unknown
    When Fiona signs in with her own password
    Then she is told to try again within 3 seconds

    Examples:
      | how                   |
      | in capitals           |
      | in mixed case         |
      | in full-width letters |

  Scenario: Twenty wrong passwords sent at the same moment are five guesses, not twenty
    When someone tries to sign in as Fiona with a wrong password 20 times at once
    Then 5 of the attempts are refused as unknown and the other 15 are told to try again within 3 seconds

  Scenario: An account that does not exist is treated exactly like one that does
    When someone tries to sign in as "nobody@nowhere.example" with a wrong password 6 times
    Then attempts 1 to 5 are refused as unknown
    And the last attempt is told to try again within 3 seconds

  @journey
  Scenario: One address guessing many accounts is refused, another address is not
    When someone at 127.0.0.9 tries 20 different accounts with a wrong password
    Then attempts 1 to 20 are refused as unknown
    When Fiona signs in from 127.0.0.9 with her own password
    Then she is told to try again within 3 seconds
    When Fiona signs in from 127.0.0.10 with her own password
    Then she is signed in

  @journey
  Scenario: An address saying it passes on others' requests is still counted as itself
    When someone at 127.0.0.11 tries 20 different accounts with a wrong password, each claiming to forward for another address
    Then attempts 1 to 20 are refused as unknown
    When Fiona signs in from 127.0.0.11 with her own password
    Then she is told to try again within 3 seconds
