@allure.issue:5
Feature: The audit trail misses nothing and cannot be altered unnoticed
  Auditors rely on the trail being complete and untouched. Each entry seals
  the one before it, so the platform can tell exactly where a trail was
  altered behind its back.

  @critical
  Scenario: An untouched audit trail verifies, and an outside auditor can verify it too
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And Globex has paid 210.00 EUR by card
    Then Cleo finds the audit trail intact
    And Cleo can recompute the whole chain herself from the documented recipe

  @critical
  Scenario Outline: An entry altered in the database is found at that entry: <entry>
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And Cleo works for the company
    When someone alters <entry> entry of the audit trail directly in the database
    Then Cleo finds the audit trail broken at that entry

    Examples:
      | entry                |
      | the oldest           |
      | the "lead qualified" |
      | the "invoice issued" |
      | the newest           |

  @critical
  Scenario: The newest entry removed in the database is found missing
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And Cleo works for the company
    When someone removes the newest entry of the audit trail directly in the database
    Then Cleo finds the audit trail broken at that entry

  Scenario: Every entry removed in the database is found missing from the first
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And Cleo works for the company
    When someone removes every entry of the audit trail directly in the database
    Then Cleo finds the audit trail broken at that entry

  Scenario: Fifty writes at once leave one unbroken chain, each entry once
    When Sam captures 50 leads worth 100.00 EUR each at the same time
    Then Cleo finds the audit trail intact
    And Cleo finds 50 "lead captured" entries, one per record, in a trail without gap or repeat

  Scenario: After a whole sale every business event has exactly one entry
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT
    When Initech pays 1,210.00 EUR by card
    Then Cleo finds exactly one entry per business event, in order, each with who and when: lead captured, lead qualified, lead converted, deal won, project opened, invoice drafted, invoice issued, payment received, commission earned

  Scenario Outline: The audit trail read <size> entries at a time is the whole trail, each entry once
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT
    Then Cleo reading the audit trail <size> entries at a time finds every entry once, in order

    Examples:
      | size |
      | 2    |
      | 5    |
