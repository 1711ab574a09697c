@allure.issue:6
Feature: A model outage during a chat is contained, and the chat goes on
  When the language model keeps failing, every platform instance stops calling
  it for a while (the circuit opens) and each run fails at once with a clear
  reason. Once the model is back the circuit closes and the same conversation
  goes on.

  @chaos @journey
  Scenario: The model fails during a conversation, its circuit opens, and its return closes it
    Given the circuit to the model is closed on every platform instance
    And Sam has asked the assistant "What is our open pipeline?"
    And the language model service is down
    When Sam asks the assistant in the same conversation "What is our open pipeline?"
    Then the run fails because the language model is unavailable
    When Sam asks the assistant in the same conversation "What is our open pipeline?"
    Then the run fails because the language model is unavailable
    And the circuit to the model is open on every platform instance
    And Sam asking again "What is our open pipeline?" on every instance is refused at once without reaching the model
    When the language model service is back
    Then the circuit to the model is closed on every platform instance
    When Sam asks the assistant in the same conversation "What is our open pipeline?"
    Then the run ends with an answer

  @chaos
  Scenario: Model errors with an answer between them never add up to an open circuit
    Given the circuit to the model is closed on every platform instance
    And the language model will fail its next 2 requests
    And Sam has asked the assistant "What can you do?"
    And the language model will fail its next 2 requests
    And Sam has asked the assistant "What can you do?"
    And the language model will fail its next 2 requests
    When Sam asks the assistant "What can you do?"
    Then the run ends with an answer
    And the circuit to the model is closed on every platform instance
    And the circuit to the model opened 0 times since the scenario began
