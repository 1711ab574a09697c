@allure.issue:3
Feature: The assistant stays within its limits and always ends cleanly
  A slow tool is stopped, a person can change their mind, nobody can flood
  the assistant, and when the language model is away the assistant says so
  and is ready again when it returns.

  Scenario: A tool that takes too long is stopped, writes nothing, and the run still answers
    Given the assistant's tools may take at most 300 milliseconds
    And Sam is delivering a project for "Globex"
    And a long-running job holds the company's records
    When Sam asks the assistant "Please create a follow-up for 'Globex'"
    Then the follow-up tool is reported as timed out
    And the run ends with an answer
    And every stage arrives once, in order, and nothing follows the end
    And the project has no task "Follow up with Globex"

  @journey
  Scenario: A person cancels a question while the assistant is thinking
    When Sam asks the assistant "What is our pipeline? Take your time." and sees it thinks
    And Sam cancels the question
    Then the run fails because it was cancelled
    When Sam asks the assistant in the same conversation "What is our open pipeline?"
    Then the run ends with an answer

  Scenario: A new company's assistant starts with limits a person rarely meets
    Then each person may ask the assistant 30 questions a minute and each tool may take 5000 milliseconds

  Scenario: Asking more often than the company allows is refused with a clear reason
    Given each person may ask the assistant 2 questions a minute
    When Sam asks the assistant "What is our open pipeline?"
    And Sam asks the assistant "What is our revenue?"
    And Sam asks the assistant "And the overdue invoices?"
    Then the question is refused because he asked too often

  @chaos
  Scenario: An instance with as many questions as it can take tells the next person to ask again shortly, and keeps nothing of it
    Given instance 2 takes one question at a time and keeps none waiting
    And Sam has asked the assistant "What is our pipeline? Take your time." through instance 2 and seen it think
    When Olivia asks the assistant "What is our revenue?" through instance 2
    Then the question is refused because the assistant is busy
    And Olivia is told to ask again in 1 second
    And Olivia has 0 conversations
    And Sam's question ends with an answer

  @chaos @journey
  Scenario: With the language model down the run fails clearly, and the conversation goes on once it is back
    Given the language model service is down
    When Sam asks the assistant "What is our open pipeline?"
    Then the run fails because the language model is unavailable
    When the language model service is back
    And Sam asks the assistant in the same conversation "What is our open pipeline?"
    Then the run ends with an answer

  @journey
  Scenario: A person holds at most 10 assistant connections open on an instance; the next is refused saying why
    Given Sam has 10 assistant connections open on one instance, each answering
    When Sam opens one more there
    Then it is closed at once because Sam holds 10 open already
    When Fiona opens a connection there
    Then Fiona's new connection there answers
    When Sam closes one of them and opens another there
    Then Sam's new connection there answers

  Scenario: A person's questions past 4 at once wait for one of theirs, and a colleague's is not held up
    When Sam sends the assistant 5 questions it takes its time over, one after the other
    And Fiona asks the assistant "What can you do for us?"
    Then Fiona was answered before any of Sam's questions
    And at most 4 of Sam's questions were worked on at once, the others once one of his had ended
