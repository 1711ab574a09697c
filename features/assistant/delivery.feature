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
    When all five people of 10 companies ask the assistant "What is our open pipeline?" at the same time
    Then everyone receives the events of their own question, and only those
