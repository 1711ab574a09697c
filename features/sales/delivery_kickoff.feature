@allure.issue:5
Feature: Winning a deal sets delivery in motion
  The moment a deal is won the delivery project exists, its kick-off tasks
  are assigned, and the people who own them hear about it at once.

  @critical
  Scenario: The owner of the kick-off tasks is notified at once and can find it later
    Given Sam has the platform open
    And Fiona has the platform open
    And Sam has a qualified lead from "Globex" worth 12,000.00 EUR
    When Sam wins the deal
    Then a delivery project is opened for Globex with its kick-off tasks
    And Sam is notified at once that "3 kick-off tasks for Globex deal are assigned to you"
    And Sam's notifications list "3 kick-off tasks for Globex deal are assigned to you"
    And Fiona is not notified

  @journey
  Scenario: A notification is marked read by the person notified, and by nobody else
    Given Sam has won the deals of "Globex" and "Initech"
    When Fiona marks Sam's notification about Globex read
    Then Fiona is told the notification does not exist
    And Sam's notification about Globex is unread
    When Sam marks Sam's notification about Globex read
    Then Sam's notification about Globex is read
    And Sam's notification about Initech is unread

  Scenario: A person who opens the platform later is told only what happens from then on
    Given Sam has won the deals of "Globex" and "Initech"
    And Sam has an open deal with "Umbrella" worth 5,000.00 EUR
    When Sam opens the platform
    And Sam wins the deal
    Then Sam is notified at once that "3 kick-off tasks for Umbrella deal are assigned to you"
    And Sam was told of nothing else since opening the platform

  Scenario Outline: A person's <count> notifications read <size> at a time take <pages> pages, each once
    Given Sam has won the deals of <count> clients, one after the other
    When Sam reads their notifications <size> at a time
    Then they have read <pages> pages holding one notification for each deal, each once, oldest first

    Examples:
      | count | size | pages |
      | 3     | 2    | 2     |
      | 2     | 2    | 2     |
