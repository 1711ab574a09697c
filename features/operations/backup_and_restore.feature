@allure.issue:33
Feature: An operator backs up a company and restores it
  A company removed by mistake, or lost with its database, comes back from its
  backup whole: its people, records, settings and audit trail, the trail still
  verifiable from its first entry and the restore recorded in it. Its people sign
  in again: a backup does not know who signed out since it was taken. A backup
  holds one company and nothing of another, and a restore never overwrites a
  company that is there.

  Background:
    Given Acme Corporation and Globex Corporation both run their business on the platform
    And Acme Corporation has a record of every kind
    And Globex Corporation has a record of every kind

  @critical
  Scenario: A company removed by mistake comes back whole from its backup, and its people sign in again
    Given the operator has backed up Globex Corporation
    And Fiona of Globex Corporation has signed out since
    And Globex Corporation's analytics hold every entry of its trail
    When the operator removes Globex Corporation
    And the operator restores Globex Corporation from its backup
    Then every session of Globex Corporation begun before the restore is refused, Fiona's signed-out one too
    And Globex Corporation's people sign in again and find every record it had at its backup, its audit trail verified from its first entry to its restore
    And Globex Corporation's analytics hold each entry of its restored trail once, and nothing of before its removal
    And Acme Corporation keeps every record it had, and its audit trail is intact

  Scenario: A backup holds the company's records and nothing of another company
    When the operator backs up Globex Corporation
    Then the backup holds every record of Globex Corporation and nothing of Acme Corporation

  Scenario: A restore over a company that is still there is refused and changes nothing
    Given the operator has backed up Globex Corporation
    When the operator restores Globex Corporation from its backup while it is still there
    Then the operator is told the company is already there
    And Globex Corporation keeps every record it had, and its audit trail is intact
    And Acme Corporation keeps every record it had, and its audit trail is intact

  Scenario: One backup restored five times at the same moment is restored once
    Given the operator has backed up Globex Corporation
    And the operator has removed Globex Corporation
    When the operator restores Globex Corporation from its backup 5 times at the same moment
    Then it is restored once, and each other restore is told the company is already there
    And Globex Corporation's people sign in again and find every record it had at its backup, its audit trail verified from its first entry to its restore
