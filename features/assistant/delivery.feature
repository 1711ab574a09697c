@allure.issue:3
Feature: Every event reaches its person once, wherever they connect
  The assistant runs on several instances. A person who loses their
  connection picks up where they left off, on any instance, and nobody ever
  receives someone else's events.

  @critical
  Scenario: A dropped connection resumes on another instance without a lost or doubled event
    Given Sam has an open deal with "Globex" worth 12,000.00 EUR
    When Sam asks the assistant "What is our pipeline? Take your time." and sees it thinks
    And Sam's connection drops and he reconnects to instance 2
    Then no event was lost or doubled

  Scenario: A question asked through one instance is followed from the other
    When Sam asks the assistant "What is our open pipeline?" through instance 1
    And Sam follows that question from instance 2
    Then the other instance delivered every event of the run

  Scenario: Nobody can follow someone else's question
    When Sam asks the assistant "What is our open pipeline?"
    And Fiona follows that question from instance 2
    Then she receives none of its events

  Scenario: Resuming a question whose events are gone says so
    When Sam asks to resume a question whose events are no longer kept
    Then Sam is told the question can no longer be resumed

  @slow
  Scenario: Fifty people in ten companies ask at once and each receives only their own events
    When all five people of 10 companies ask the assistant "What is my pipeline and which invoices are overdue?" at the same time, over every instance
    Then everyone receives the events of their own question, and only those

  @chaos @journey
  Scenario: A question whose instance dies is ended for the person following it, who can ask again
    Given Sam is delivering a project for "Globex"
    And a long-running job holds the company's records
    When Sam asks the assistant "Please create a follow-up for 'Globex'" through instance 2 and sees it uses a tool
    And Sam also follows that question from instance 1
    And instance 2 stops dead
    Then within 10 seconds Sam hears that the question failed because its instance was lost
    And he may ask again
    And the follow-up tool is reported as error
    When the instance is back
    And Sam asks the assistant "What is our open pipeline?" through instance 2
    Then the run ends with an answer
