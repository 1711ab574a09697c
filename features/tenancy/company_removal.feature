@allure.issue:18
Feature: An operator removes a company with everything it holds
  A company that leaves the platform, or one a test run made on a shared
  deployment, is removed by the platform's operator together with its people,
  records, audit trail and cached figures. Nothing of it may remain, and no
  other company may lose or gain anything.

  Background:
    Given Acme Corporation and Globex Corporation both run their business on the platform
    And Acme Corporation has a record of every kind
    And Globex Corporation has a record of every kind

  @critical
  Scenario: A removed company leaves nothing behind, and the other keeps all it had
    When the operator removes Globex Corporation
    Then nothing of Globex Corporation remains on the platform, in its database, its cache or its analytics
    And Olivia of Globex Corporation is refused her session and cannot sign in again
    And Acme Corporation keeps every record it had, and its audit trail is intact

  @chaos
  Scenario: A company removed while its people are at work goes whole, with what they wrote meanwhile
    When the operator removes Globex Corporation while Sam of it sends 15 leads at the same moment, behind a long job holding its records
    Then nothing of Globex Corporation remains on the platform, in its database, its cache or its analytics
    And each lead Sam sent was taken before Globex Corporation went, or refused with nothing kept
    And Acme Corporation keeps every record it had, and its audit trail is intact

  @chaos
  Scenario: A company removed twice at the same moment is removed once, and the other removal is told it is not there
    When the operator removes Globex Corporation twice at the same moment, behind a long job holding its records
    Then one removal is done, and the other is told the company does not exist
    And nothing of Globex Corporation remains on the platform, in its database, its cache or its analytics
    And Acme Corporation keeps every record it had, and its audit trail is intact

  Scenario: Removing a company that is not there changes nothing
    When the operator removes a company that does not exist
    Then the operator is told the company does not exist
    And Acme Corporation keeps every record it had, and its audit trail is intact
    And Globex Corporation keeps every record it had, and its audit trail is intact
