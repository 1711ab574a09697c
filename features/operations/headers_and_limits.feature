Feature: Every answer protects itself, and a request past a limit is answered, never dropped
  Browsers and caches between a person and the platform must not sniff, frame or keep
  what the platform says; a request too large, or a number too large to store, gets a
  clear refusal naming what was wrong, and the connection stays usable.

  Scenario: A profile and a sign-in are neither sniffed, framed nor stored
    When Fiona reads her own profile
    Then the answer may not be sniffed, framed or stored
    When Fiona signs in
    Then the answer may not be sniffed, framed or stored

  Scenario Outline: Requests on both sides of the size limits
    When Fiona sends a request whose <part> is <size> bytes
    Then it is answered <status> <code>
    And the same connection answers her next request

    Examples:
      | part    | size    | status | code                            |
      | headers | 15000   | 200    | -                               |
      | headers | 17000   | 431    | request_header_fields_too_large |
      | headers | 1000000 | 431    | request_header_fields_too_large |
      | body    | 1048576 | 422    | validation_error                |
      | body    | 1048577 | 413    | payload_too_large               |

  Scenario Outline: Invoice lines at the largest amounts kept, and one step past them
    Given "Stark Industries" has a project delivered for the company
    When Fiona drafts an invoice with one line of <quantity> at <unit price> and <tax>% tax
    Then the invoice is <outcome>, naming <field>
    And the same connection answers her next request

    Examples:
      | quantity      | unit price     | tax    | outcome | field              |
      | 99.999        | 9999999999.99  | 0      | drafted | -                  |
      | 100.001       | 9999999999.99  | 0      | refused | lines              |
      | 1000          | 9999999999.99  | 0      | refused | lines              |
      | 1             | 10000000000.00 | 0      | refused | lines.0.unit_price |
      | 999999999.999 | 0.01           | 0      | drafted | -                  |
      | 1000000000    | 0.01           | 0      | refused | lines.0.quantity   |
      | 1             | 100.00         | 100    | drafted | -                  |
      | 1             | 100.00         | 100.01 | refused | lines.0.tax_rate   |

  Scenario Outline: An invoice totalling <total> is <outcome>
    Given "Stark Industries" has a project delivered for the company
    When Fiona drafts an invoice with one line of 100 at 9999999999.99 and another of 1 at <cents>, without tax
    Then the invoice is <outcome>, naming <field>

    Examples:
      | cents | total                | outcome | field |
      | 0.99  | 999,999,999,999.99   | drafted | -     |
      | 1.00  | 1,000,000,000,000.00 | refused | lines |

  Scenario Outline: <what> at the largest value kept, and one step past it
    When <name> sends <what> of <value>
    Then <what> of <value> is <outcome>, naming <field>
    And the same connection answers the next request

    Examples:
      | name   | what                              | value          | outcome | field              |
      | Sam    | a lead's estimated value          | 9999999999.99  | kept    | -                  |
      | Sam    | a lead's estimated value          | 10000000000.00 | refused | estimated_value    |
      | Sam    | a campaign's budget               | 9999999999.99  | kept    | -                  |
      | Sam    | a campaign's budget               | 10000000000.00 | refused | budget             |
      | Olivia | the approval threshold            | 9999999999.99  | kept    | -                  |
      | Olivia | the approval threshold            | 10000000000.00 | refused | approval_threshold |
      | Olivia | a new colleague's commission rate | 1.0000         | kept    | -                  |
      | Olivia | a new colleague's commission rate | 1.0001         | refused | commission_rate    |
