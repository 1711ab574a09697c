Feature: A company reads every one of its records, page by page, none twice
  Listings come a page at a time (100 unless asked otherwise, at most 500), so
  that a company with thousands of records is answered quickly. Following the pages must give every record once, oldest first,
  whatever the size of the pages and however the count falls on their edges.

  Scenario Outline: <count> leads read <size> at a time take <pages> pages
    Given Sam has captured <count> leads
    When Olivia reads the leads <size> at a time
    Then she has read <pages> pages holding all <count> leads, each once, oldest first

    Examples:
      | count | size | pages |
      | 99    | 100  | 1     |
      | 100   | 100  | 2     |
      | 101   | 100  | 2     |
      | 1001  | 500  | 3     |

  Scenario Outline: <count> leads read at the platform's own page size take <pages> pages
    Given Sam has captured <count> leads
    When Olivia reads the leads a page at a time, leaving the size to the platform
    Then she has read <pages> pages holding all <count> leads, each once, oldest first

    Examples:
      | count | pages |
      | 100   | 2     |
      | 199   | 2     |

  Scenario Outline: A page of <size> leads is <outcome>
    Given Sam has captured 3 leads
    When Olivia asks for the leads <size> at a time
    Then the page of <size> is <outcome>

    Examples:
      | size | outcome |
      | 0    | refused |
      | 1    | read    |
      | 500  | read    |
      | 501  | refused |
