@allure.issue:6
Feature: A failing payment processor is left alone until it is back
  When the processor fails again and again, every platform instance stops
  calling it (the circuit opens) and answers "try again later" at once. After a
  pause one probe goes through; when it succeeds the circuit closes. Payments
  sent again with their keys are charged once each. A short burst of errors is
  absorbed by retrying with backoff.

  Background:
    Given Fiona has issued an invoice to "Umbrella Corporation" for 5,000.00 EUR at 0% VAT
    And the circuit to the payment processor is closed on every platform instance

  @chaos @critical @journey
  Scenario: An outage opens the circuit on every instance; the processor's return closes it
    Given the operators watch the platform's logs
    When the payment processor goes down
    And Umbrella Corporation tries to pay 100.00 EUR by card 2 times
    Then each payment is answered "try again later"
    And the circuit to the payment processor is open on every platform instance
    And the operators read in the logs that the circuit to the payment processor opened
    And 2 more payments are refused at once without reaching the processor
    And the circuit to the payment processor opened 1 time since the scenario began
    When the payment processor is back
    Then the circuit to the payment processor is closed on every platform instance
    When the payments told to try again are sent again
    Then the card was charged 4 times
    And the invoice's payments add up to 400.00 EUR
    And the company's money is in its steady state

  @chaos
  Scenario Outline: A short burst of the processor answering <answer> is absorbed by retries that back off
    Given the operators watch the platform's logs
    And the processor will answer its next 2 requests with <answer>
    When Umbrella Corporation pays 100.00 EUR by card
    Then the payment is accepted
    And the processor received 3 charge requests for it
    And the platform waited 0.1 to 0.6 s before its first retry and 0.2 to 0.7 s before its second
    And the card was charged once
    And the circuit to the payment processor is closed on every platform instance
    And the operators read nothing in the logs of the circuit to the payment processor opening

    Examples:
      | answer                            |
      | a failure of its own              |
      | that it is unavailable            |
      | that it has had too many requests |

  @chaos
  Scenario Outline: The processor answering <answer> is final: the payment is refused at once and never retried
    Given the operators watch the platform's logs
    And the processor will answer its next 1 requests with <answer>
    When Umbrella Corporation tries to pay 100.00 EUR by card
    Then the payment is answered that the processor refused it, not to try again later
    And the processor received 1 charge request for it
    And the invoice's payments add up to 0.00 EUR
    And the circuit to the payment processor is closed on every platform instance
    And the operators read nothing in the logs of the circuit to the payment processor opening

    Examples:
      | answer                           |
      | that the request is wrong        |
      | a refusal it names no reason for |

  @chaos
  Scenario: Failures with a success between them never add up to an open circuit
    Given the processor will fail its next request
    And Umbrella Corporation has paid 100.00 EUR by card
    And the processor will fail its next 3 requests
    Then a payment of 100.00 EUR is answered "try again later"
    And the circuit to the payment processor is closed on every platform instance
    Given the processor will fail its next request
    When Umbrella Corporation pays 100.00 EUR by card
    Then the payment is accepted
    And the processor received 7 charge requests for it
    And the invoice's payments add up to 200.00 EUR
    And the circuit to the payment processor is closed on every platform instance

  @chaos
  Scenario Outline: A refund met by a burst of the processor answering <answer> is retried and made once
    Given Umbrella Corporation has paid 100.00 EUR by card
    And the processor will answer its next 2 requests with <answer>
    When Fiona refunds 40.00 EUR of the payment
    Then the processor made one refund of 40.00 EUR on the payment's charge
    And the invoice is partially paid with 4,940.00 EUR still due

    Examples:
      | answer                            |
      | a failure of its own              |
      | that it has had too many requests |

  @chaos @journey
  Scenario: A slow payment that succeeds after another invoice's payments opened the circuit leaves it open
    When Umbrella Corporation starts paying 100.00 EUR by card, the processor holding its answer 4 seconds
    And Fiona issues an invoice to "Stark Industries" for 1,000.00 EUR at 0% VAT
    And the payment processor goes down
    And Stark Industries tries to pay 100.00 EUR by card 2 times
    Then the circuit to the payment processor is open on every platform instance
    And the slow payment is answered, and accepted
    And the circuit to the payment processor is open on every platform instance
    When the payment processor is back
    Then the circuit to the payment processor is closed on every platform instance
