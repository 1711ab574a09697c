@chaos @needs_platform_code
Feature: An instance started while a dependency is down comes up by itself when it returns
  Instances are started in whatever order the machines come up. An instance that
  starts while its database or cache is away must not die or hang: it is alive at
  once (so it is not restarted in a loop), says in its readiness which dependency
  it waits for, and becomes ready by itself when that dependency returns. Without
  the database nothing can be served, so it is not ready; without the cache it
  serves correct answers more slowly, without the payment processor, the
  model or the analytics store only payments, questions or the analytics
  wait, so it is ready but degraded.

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
