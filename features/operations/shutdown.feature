@chaos @needs_platform_code
Feature: An instance told to stop finishes what it is doing, and takes nothing new
  Instances are stopped for every deployment. An instance told to stop (SIGTERM)
  must not drop what it is in the middle of: the payment it is taking is
  answered, the question it is working on is finished, and the person following
  that question, whose connection it closes as it goes, picks the rest up from
  another instance with nothing lost or doubled. New connections go elsewhere.

  @journey
  Scenario: Stopped in the middle of a payment and a question, instance 2 finishes both before it goes
    Given Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT
    And Sam has an open deal with "Globex" worth 12,000.00 EUR
    When Sam asks the assistant "What is our pipeline? Take your time." through instance 2 and sees it thinks
    And Initech pays 100.00 EUR by card through instance 2 while instance 2 is told to stop
    Then the payment is accepted
    And the card was charged once
    And Sam's connection to instance 2 was closed as the service restarting
    When Sam's connection drops and he reconnects to instance 1
    Then no event was lost or doubled
    And the run ends with an answer
    And instance 2 has stopped and takes no new connection
    And the company's money is in its steady state
