Feature: A company reads every one of its invoices, page by page, none twice
  Invoices come a page at a time like every listing, in the order they were
  made; the page size asked for is the one given, so following the pages reads
  every invoice once.

  Scenario Outline: <count> invoices read <size> at a time take <pages> pages
    Given Fiona has drafted <count> invoices
    When Fiona reads the invoices <size> at a time
    Then she has read <pages> pages holding all <count> invoices, each once, oldest first

    Examples:
      | count | size | pages |
      | 1     | 2    | 1     |
      | 2     | 2    | 2     |
      | 3     | 2    | 2     |
