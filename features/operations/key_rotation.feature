@chaos @needs_platform_code
Feature: The token signing key is rotated without signing anyone out
  A signing key must be replaceable at any time (a leak, a routine rotation). People
  signed in with the old key keep working until their session would have ended anyway;
  new sessions carry the new key; once the old key is retired, its sessions end. A key
  is taken by a restart, by a signal to each instance, or at the operator's one call,
  which the instance called passes on to every other one; each logs who asked.

  @journey
  Scenario: The previous key is honoured while it is kept, and refused once it is retired
    Given Fiona signed in before the rotation
    When instance 2 is restarted with a new signing key, keeping the previous one
    Then Fiona's earlier session is still taken on instance 2
    When Fiona signs in again on instance 2
    Then her new session is signed with the new key
    When instance 2 is restarted with the new signing key only
    Then Fiona's earlier session is refused on instance 2, asking her to sign in again
    And Fiona's new session is still taken on instance 2

  @journey
  Scenario: The key is rotated on every instance without a restart, and the previous one retired the same way
    Given Fiona signed in before the rotation
    When every instance takes a new signing key without a restart, keeping the previous one
    Then Fiona's earlier session is still taken on instance 2
    When Fiona signs in again on instance 2
    Then her new session is signed with the new key
    When every instance retires the previous signing key without a restart
    Then Fiona's earlier session is refused on instance 2, asking her to sign in again
    And Fiona's new session is still taken on instance 2

  Scenario: A change that needs a restart is refused as a whole without one, and the running key stays
    Given Fiona signed in before the rotation
    When every instance is given a new signing key and REDIS_URL "redis://elsewhere.example:6379/0" without a restart
    Then every instance refuses the whole change, naming REDIS_URL, and never repeats the key
    And Fiona's earlier session is still taken on instance 2

  @journey
  Scenario: The operator rotates the key on every instance with one call, and retires the previous one the same way
    Given Fiona signed in before the rotation
    When the operator asks for a new signing key on every instance in one call, keeping the previous one
    Then the operator is told TOKEN_SECRET, TOKEN_PREVIOUS_SECRETS changed and 1 other instance was told
    And every instance's log says the operator asked for it
    And Fiona's earlier session is still taken on instance 2
    When Fiona signs in again on instance 2
    Then her new session is signed with the new key
    When the operator retires the previous signing key on every instance in one call
    Then Fiona's earlier session is refused on instance 2, asking her to sign in again
    And Fiona's new session is still taken on instance 2

  Scenario: The operator's call with a change that needs a restart is refused as a whole, and the running key stays
    Given Fiona signed in before the rotation
    When the operator asks in one call for a new signing key and REDIS_URL "redis://elsewhere.example:6379/0"
    Then the operator is told the whole change is refused, naming REDIS_URL, never the key
    And Fiona's earlier session is still taken on instance 1
