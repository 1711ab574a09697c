Feature: A company reads every one of its records, page by page, none twice
  Listings come a page at a time, so that a company with thousands of records is
  answered quickly. Following the pages must give every record once, oldest first,
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
