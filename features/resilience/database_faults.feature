@allure.issue:6
Feature: Money stays right when the database fails under a payment
  A payment in flight when the database loses its connections, restarts, or
  loses its primary to a standby kept in step (synchronous streaming
  replication), is never half-recorded. The platform does the payment again on
  a new connection (the processor charges one key once); when the database is
  not back in time for that, it answers "try again later", and sent again with
  its key the payment is charged once and recorded once. The platform recovers
  by itself: after a fail-over it finds the new primary on its own.
  Steady state, before and after every fault: every accepted payment recorded
  exactly once, every invoice's paid amount the sum of its payments, every
  invoice whole, the audit chain intact.

  Background:
    Given Fiona has issued an invoice to "Acme Corporation" for 1,000.00 EUR at 21% VAT
    And the company's money is in its steady state

  @chaos @critical
  Scenario: The database connections are cut while the processor answers a payment
    When Acme Corporation pays 1,210.00 EUR by card and the platform's database connections are cut meanwhile
    Then the payment is accepted, at once or when sent again after "try again later"
    And the card was charged once
    And the invoice is paid with 0.00 EUR still due
    And the company's money is in its steady state

  @chaos @critical
  Scenario: The database restarts while the processor answers a payment
    When Acme Corporation pays 500.00 EUR by card and the database restarts meanwhile
    Then the payment is accepted, at once or when sent again after "try again later"
    And the card was charged once
    And the invoice is partially paid with 710.00 EUR still due
    And the company's money is in its steady state

  @chaos @critical
  Scenario: The database's primary is lost while the processor answers a payment, and its standby takes over
    Given the database is kept in step by a standby
    When Acme Corporation pays 500.00 EUR by card and the database's primary is lost meanwhile
    Then the payment is accepted, at once or when sent again after "try again later"
    And the platform writes to the former standby, ready on every instance
    And the card was charged once
    And the invoice is partially paid with 710.00 EUR still due
    And the company's money is in its steady state

  @chaos @critical @journey
  Scenario: Payments and questions in flight when the primary is lost: what was acknowledged is kept, nothing doubled
    Given the database is kept in step by a standby
    And Sam has asked the assistant "What is our open pipeline?" through every instance
    When 10 payments of 10.00 EUR arrive one after another while the database's primary is lost
    Then each payment is taken or told to try again later
    And every payment acknowledged while the primary was lost is recorded
    When the payments told to try again are sent again
    Then the card was charged 10 times
    And the invoice's payments add up to 100.00 EUR
    And the company's money is in its steady state
    And Sam's question "What is our open pipeline?" to the assistant is answered through every instance

  @chaos @journey
  Scenario: With the database down the platform says so, stays alive, and recovers without a restart
    Given Sam has asked the assistant "What is our open pipeline?" through every instance
    When the database goes down
    Then a payment of 100.00 EUR is answered "try again later"
    And readiness reports the database down while the process stays alive
    When the database is back
    Then the platform is ready on every instance
    And a payment of 100.00 EUR is accepted
    And Sam's question "What is our open pipeline?" to the assistant is answered through every instance
    And the company's money is in its steady state

  @chaos @journey
  Scenario: More payments than their database connections: the overflow is told to retry, the rest is answered, nothing is lost
    Given the platform's counters are noted
    And the operators watch the platform's logs
    When 24 payments of 10.00 EUR arrive at once while a long job holds the company's records for 3 seconds
    Then each payment is taken or told to try again later, and some were told to try again
    And while the records were held, every database connection was shown in use and requests waiting for one
    And while the records were held, reading the invoice from the same instance took at most 0.5 seconds
    And the operators read in the logs that every database connection was busy
    And the platform's counters moved by at least
      | counter                                  | by |
      | requests turned away for a busy database | 1  |
    When the payments told to try again are sent again
    Then the card was charged 24 times
    And the invoice's payments add up to 240.00 EUR
    And the company's money is in its steady state
