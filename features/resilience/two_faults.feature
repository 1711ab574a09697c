@allure.issue:17
Feature: Two dependencies failing together still leave the money right
  Outages rarely come alone. With Redis and the payment processor away at the
  same time the platform is slower and refuses payments for later; it never
  takes money twice, loses a payment it acknowledged, or records one it did not take.

  @chaos @journey
  Scenario: Redis and the processor fail together: payments are refused for later, and charged once each after
    Given Fiona has issued an invoice to "Umbrella Corporation" for 5,000.00 EUR at 0% VAT
    When Redis stops
    And the payment processor goes down
    And Umbrella Corporation tries to pay 100.00 EUR by card 2 times
    Then each payment is answered "try again later"
    When the payment processor is back
    And Redis is back
    And the payments told to try again are sent again
    Then the card was charged 2 times
    And the invoice's payments add up to 200.00 EUR
    And the company's money is in its steady state
