Feature: An invoice is drafted, issued, paid or voided, and a finished invoice stays finished
  Only a draft can be issued; only an issued invoice takes payments; an invoice can be
  voided until money has been received for it; a paid or void invoice takes nothing more.
  Every action from every status is tried (the invoice is 1,000.00 EUR at 0% VAT).

  Scenario Outline: Fiona tries to <action> when an invoice is <state>
    Given an invoice that is <state>
    When Fiona tries to <action>
    Then the move is <outcome> and the invoice is <after>

    Examples:
      | state                    | action         | outcome | after          |
      | draft                    | issue it       | allowed | issued         |
      | draft                    | void it        | allowed | void           |
      | draft                    | pay half of it | refused | draft          |
      | issued                   | issue it       | refused | issued         |
      | issued                   | pay half of it | allowed | partially paid |
      | issued                   | pay all of it  | allowed | paid           |
      | issued                   | void it        | allowed | void           |
      | partially paid           | issue it       | refused | partially paid |
      | partially paid           | pay all of it  | allowed | paid           |
      | partially paid           | void it        | refused | partially paid |
      | partially paid by a cent | void it        | refused | partially paid |
      | partially paid by a cent | pay all of it  | allowed | paid           |
      | paid                     | issue it       | refused | paid           |
      | paid                     | pay half of it | refused | paid           |
      | paid                     | void it        | refused | paid           |
      | void                     | issue it       | refused | void           |
      | void                     | pay half of it | refused | void           |
      | void                     | void it        | refused | void           |
