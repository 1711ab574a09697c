@chaos @needs_platform_code
Feature: The limits an operator tunes are taken by every instance without a restart
  Some settings change while the platform runs: the assistant's look-up limits,
  the circuits' threshold and pause, the log level, the sign-in limits and the
  token keys. The operator writes them to the settings file and asks once; every
  instance takes them from its next question or request on, without a restart,
  and says in its log who asked. Asked while Redis is away, the others cannot be
  told: each reads the file again as soon as it hears the others again.

  @journey
  Scenario: The operator allows two look-ups a question: Sam's next one that keeps looking ends at the second, on the other instance too
    Given the model asks for the same look-up again and again when Sam asks
    When the operator sets ASSISTANT_MAX_TOOL_CALLS_PER_RUN to 2 on every instance in one call
    Then the operator is told ASSISTANT_MAX_TOOL_CALLS_PER_RUN changed and 1 other instance was told
    And every instance's log says the operator asked for it
    When Sam asks the assistant "What is our open pipeline?" through instance 2
    Then the run fails because it asked for too many look-ups
    And the run set off 2 look-ups before it was stopped

  @journey
  Scenario: Asked while Redis is away, the other instance takes the change as soon as it hears Redis again
    Given the model asks for the same look-up again and again when Sam asks
    When Redis goes down
    And the operator sets ASSISTANT_MAX_TOOL_CALLS_PER_RUN to 2 in one call while Redis is away
    Then the operator is told ASSISTANT_MAX_TOOL_CALLS_PER_RUN changed and no other instance was told
    When Redis is back
    And Sam asks the assistant "What is our open pipeline?" through instance 2
    Then the run fails because it asked for too many look-ups
    And the run set off 2 look-ups before it was stopped
