Feature: The counters an operator relies on move when the business does
  Whoever runs the platform watches its counters: answers by status, payments by
  outcome, assistant questions and events. Each moves when the business it counts
  happens, summed over every instance.

  Scenario: A payment, a declined card and an assistant question each move their counters
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    And the platform's counters are noted
    When Globex pays 210.00 EUR by card
    And Globex tries to pay 100.00 EUR with a card that is declined
    And Sam asks the assistant "What is our open pipeline?"
    Then the platform's counters moved by at least
      | counter                       | by |
      | payments recorded             | 1  |
      | payments declined             | 1  |
      | answers that created a record | 1  |
      | answers that refused a card   | 1  |
      | assistant questions answered  | 1  |
      | assistant events              | 6  |
