@allure.issue:6
Feature: A write of many rows is all or nothing
  An invoice is one row and its lines, and its audit entry: if the database
  refuses any of them, none is kept.

  Scenario: An invoice whose third line the database refuses leaves nothing half-written
    Given Sam has won a deal with "Globex" worth 3,000.00 EUR
    And the database will refuse an invoice line described "Rejected by the database"
    When Fiona tries to draft an invoice with these lines:
      | description              | quantity | unit price | rate |
      | Discovery workshop       | 1        | 1,000.00   | 21%  |
      | Build                    | 1        | 1,500.00   | 21%  |
      | Rejected by the database | 1        | 500.00     | 21%  |
    Then the invoice is not created and no part of it is stored
    And the company's money is in its steady state
