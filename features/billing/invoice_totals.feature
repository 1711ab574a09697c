@allure.issue:2
Feature: Invoice totals are exact to the cent
  Clients pay what the invoice says, to the cent. Each line's net and VAT are
  rounded half-up on their own, and the invoice total is the sum of the
  rounded lines, never rounded again.

  Scenario Outline: <quantity> × <unit price> EUR at <rate> VAT comes to <total> EUR
    Given Fiona is invoicing a delivery project for "Acme"
    When Fiona drafts an invoice with one line of <quantity> × <unit price> EUR at <rate> VAT
    Then the line's net is <net> EUR and its VAT is <vat> EUR
    And the invoice total is <total> EUR

    Examples:
      | quantity | unit price | rate | net      | vat   | total    |
      | 1        | 100.00     | 21%  | 100.00   | 21.00 | 121.00   |
      | 3        | 0.35       | 21%  | 1.05     | 0.22  | 1.27     |
      | 0.5      | 0.25       | 20%  | 0.13     | 0.03  | 0.16     |
      | 2.5      | 19.99      | 7%   | 49.98    | 3.50  | 53.48    |
      | 1        | 0.05       | 10%  | 0.05     | 0.01  | 0.06     |
      | 0.5      | 2.01       | 10%  | 1.01     | 0.10  | 1.11     |
      | 7        | 1,234.56   | 0%   | 8,641.92 | 0.00  | 8,641.92 |

  @critical
  Scenario: The total is the sum of the rounded lines, not the rounded sum
    Given Fiona is invoicing a delivery project for "Acme"
    When Fiona drafts an invoice with these lines:
      | description   | quantity | unit price | rate |
      | Design review | 0.5      | 0.25       | 20%  |
      | Code review   | 0.5      | 0.25       | 20%  |
      | Test review   | 0.5      | 0.25       | 20%  |
    Then the invoice total is 0.48 EUR
    And the stored invoice agrees with its lines
