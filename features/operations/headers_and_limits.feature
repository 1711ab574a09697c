Feature: Every answer protects itself, and a request past a limit is answered, never dropped
  Browsers and caches between a person and the platform must not sniff, frame or keep
  what the platform says; a request too large, or a number too large to store, gets a
  clear refusal naming what was wrong, and the connection stays usable.

  @journey
  Scenario: A profile and a sign-in are neither sniffed, framed nor stored
    When Fiona reads her own profile
    Then the answer may not be sniffed, framed or stored
    When Fiona signs in
    Then the answer may not be sniffed, framed or stored

  Scenario: Asking for the headers alone gets them as the whole answer has them, without its body
    When Fiona asks for the headers alone of her own profile, the leads, the platform's health and an address the platform does not have
    Then each is answered as the whole request is, with the same headers and no body

  Rule: A request past a size limit is refused, saying which part is too large, and the connection stays usable

    Scenario Outline: A request whose <part> holds <size> is <outcome>
      When Fiona sends a request whose <part> holds <size>
      Then it is <outcome>
      And the same connection answers her next request

      Examples:
        | part    | size                         | outcome                                       |
        | headers | 15,000 bytes                 | answered                                      |
        | headers | 17,000 bytes                 | refused as too large, naming the headers      |
        | headers | a million bytes              | refused as too large, naming the headers      |
        | body    | a mebibyte                   | read, then refused as no lead, naming a field |
        | body    | a mebibyte and one byte more | refused as too large, naming the body         |

    Scenario: Opening the assistant with handshake headers of 17,000 bytes is refused as too large, naming the headers
      When Fiona opens the assistant with handshake headers of 17,000 bytes
      Then it is refused as too large, naming the headers
      And the assistant still answers Fiona

  Rule: A body labelled as structured data is read however a client spells the label, and one labelled otherwise is refused

    Scenario Outline: A new lead labelled as <label> is <outcome>
      When Sam sends a new lead labelled as <label>
      Then it is <outcome>

      Examples:
        | label                                    | outcome                                 |
        | structured data naming its character set | taken                                   |
        | structured data spelled in capitals      | taken                                   |
        | plain text                               | refused as unreadable, naming its label |

  Rule: A number is kept up to the largest its column holds, and refused one step past it, naming the field

    Scenario Outline: An invoice line of <quantity> at <unit price> with <tax>% tax is <outcome>
      Given "Stark Industries" has a project delivered for the company
      When Fiona drafts an invoice with one line of <quantity> at <unit price> and <tax>% tax
      Then the invoice is <outcome>, naming <field>
      And the same connection answers her next request

      Examples:
        | quantity      | unit price     | tax    | outcome | field                 |
        | 99.999        | 9999999999.99  | 0      | drafted | nothing               |
        | 100.001       | 9999999999.99  | 0      | refused | the lines             |
        | 1000          | 9999999999.99  | 0      | refused | the lines             |
        | 1             | 10000000000.00 | 0      | refused | the line's unit price |
        | 999999999.999 | 0.01           | 0      | drafted | nothing               |
        | 1000000000    | 0.01           | 0      | refused | the line's quantity   |
        | 1             | 100.00         | 100    | drafted | nothing               |
        | 1             | 100.00         | 100.01 | refused | the line's tax rate   |

    Scenario Outline: An invoice totalling <total> is <outcome>
      Given "Stark Industries" has a project delivered for the company
      When Fiona drafts an invoice with one line of 100 at 9999999999.99 and another of 1 at <cents>, without tax
      Then the invoice is <outcome>, naming <field>

      Examples:
        | cents | total                | outcome | field     |
        | 0.99  | 999,999,999,999.99   | drafted | nothing   |
        | 1.00  | 1,000,000,000,000.00 | refused | the lines |

    Scenario Outline: <what> of <value> is <outcome>
      When <name> sends <what> of <value>
      Then <what> of <value> is <outcome>, naming <field>
      And the same connection answers the next request

      Examples:
        | name   | what                              | value          | outcome | field                  |
        | Sam    | a lead's estimated value          | 9999999999.99  | kept    | nothing                |
        | Sam    | a lead's estimated value          | 10000000000.00 | refused | the estimated value    |
        | Sam    | a campaign's budget               | 9999999999.99  | kept    | nothing                |
        | Sam    | a campaign's budget               | 10000000000.00 | refused | the budget             |
        | Olivia | the approval threshold            | 9999999999.99  | kept    | nothing                |
        | Olivia | the approval threshold            | 10000000000.00 | refused | the approval threshold |
        | Olivia | a new colleague's commission rate | 1.0000         | kept    | nothing                |
        | Olivia | a new colleague's commission rate | 1.0001         | refused | the commission rate    |
