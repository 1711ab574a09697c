@chaos @needs_platform_code
Feature: An instance started while a dependency is down comes up by itself when it returns
  Instances are started in whatever order the machines come up. An instance that
  starts while its database or cache is away must not die or hang: it is alive at
  once (so it is not restarted in a loop), says in its readiness which dependency
  it waits for, and becomes ready by itself when that dependency returns. Without
  the database nothing can be served, so it is not ready; without the cache it
  serves correct answers more slowly, without the payment processor, the
  model or the analytics store only payments, questions or the analytics
  wait, so it is ready but degraded: a payment is asked to come back later
  (saying when), a question ends saying it may be asked again, and the rest
  is served. A dependency that takes connections but never answers (a
  server hung, replies swallowed) must not hang the instance or its
  readiness: it is reported down within seconds and, once the start-up
  time-out has passed, named in the instance's log.

  @journey
  Scenario Outline: Started while <dependency> is down, the instance is alive and <while down>, then ready by itself
    Given <dependency> is down
    When instance 2 of the platform is started
    Then instance 2 is alive and <while down>, with <dependency> reported down
    When <dependency> is back
    Then instance 2 becomes ready by itself, with every dependency up

    Examples:
      | dependency            | while down         |
      | the database          | not ready          |
      | Redis                 | ready but degraded |
      | the payment processor | ready but degraded |
      | the analytics store   | ready but degraded |
      | the language model    | ready but degraded |

  Scenario Outline: Started while <dependency> takes connections but never answers, instance 2 names it in time
    Given instance 2 will find <dependency> taking connections but never answering
    When instance 2 of the platform is started
    Then instance 2 is alive and <while silent>, with <dependency> reported down
    And instance 2's log names <dependency> as not answering within its start-up time-out

    Examples:
      | dependency   | while silent       |
      | the database | not ready          |
      | Redis        | ready but degraded |

  @journey
  Scenario: Started while the payment processor is down, instance 2 asks for payments later and answers questions
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And the payment processor is down
    When instance 2 of the platform is started
    Then a payment of 100.00 EUR through instance 2 is answered "try again in 5 seconds"
    When Sam asks the assistant "What can you do?" through instance 2
    Then the run ends with an answer
    When the payment processor is back
    Then instance 2 becomes ready by itself, with every dependency up
    And a payment of 100.00 EUR through instance 2 is accepted

  @journey
  Scenario: Started while the language model is down, instance 2 ends questions saying to ask again and takes payments
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And the language model is down
    When instance 2 of the platform is started
    And Sam asks the assistant "What can you do?" through instance 2
    Then the run fails because the language model is unavailable
    And he may ask again
    And a payment of 100.00 EUR through instance 2 is accepted
    When the language model is back
    Then instance 2 becomes ready by itself, with every dependency up
    When Sam asks the assistant "What can you do?" through instance 2
    Then the run ends with an answer
