@allure.issue:5 @needs_mail_server
Feature: Issued invoices reach the client by e-mail, even through a mail outage
  An issued invoice is e-mailed to the client. The e-mail is written down with
  the invoice itself, so a mail server that is away delays it and loses nothing;
  every instance sends what waits, and each e-mail is sent by one of them. An
  e-mail the client's server refuses for good is not tried again, and the
  person who issued the invoice is told, so that nobody believes it arrived.

  @critical
  Scenario: Issuing an invoice e-mails it to the client once
    Given Fiona has issued an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    Then Globex receives the invoice by e-mail once, showing a total of 1,210.00 EUR

  Scenario: An invoice to a client without an e-mail address is issued, and no e-mail waits for it
    Given Fiona has issued an invoice to "Tyrell", a client without an e-mail address, for 1,000.00 EUR at 21% VAT
    Then the invoice is issued with 1,210.00 EUR still due
    And no invoice e-mail waits for Tyrell

  Scenario: An invoice e-mail the client's mail server refuses for good is told to the person who issued it
    Given Fiona has the platform open
    And Fiona has issued an invoice to "Globex", whose mail server has no such mailbox, for 1,000.00 EUR at 21% VAT
    Then Fiona is told at once, and in her notifications, that the invoice's e-mail to Globex could not be delivered, and why
    And the invoice e-mail to Globex is set aside, never to be tried again

  Scenario: A client's name that cannot stand in an e-mail's subject holds up no one's mail
    Given Fiona has issued an invoice to "Acme Corp", its name typed with a line separator for each space, for 1,000.00 EUR at 21% VAT
    And Fiona has issued an invoice to each of these clients for 1,000.00 EUR at 21% VAT
      | client  |
      | Globex  |
      | Initech |
    Then each of these clients receives its invoice by e-mail once
    And Acme Corp receives its invoice by e-mail once, the subject on one line

  @chaos
  Scenario: With the mail server down the e-mail waits, and arrives once when it is back
    Given the mail server is down
    And Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT
    Then the invoice e-mail to Initech waits, and none has arrived
    When the mail server is back
    Then Initech receives the invoice by e-mail once, showing a total of 1,210.00 EUR

  @chaos
  Scenario: An invoice voided while its e-mail waits out an outage is never mailed
    Given the mail server is down
    And Fiona has issued an invoice to "Initech" for 1,000.00 EUR at 21% VAT
    When Fiona voids the invoice because "issued to the wrong client"
    And the mail server is back
    And Fiona issues an invoice to "Globex" for 1,000.00 EUR at 21% VAT
    Then Globex receives the invoice by e-mail once, showing a total of 1,210.00 EUR
    And no invoice e-mail has reached Initech, nor will one

  @chaos
  Scenario: E-mails that waited out an outage are sent once each, though every instance sends
    Given the mail server is down
    And Fiona has issued an invoice to each of these clients for 1,000.00 EUR at 21% VAT
      | client    |
      | Globex    |
      | Initech   |
      | Umbrella  |
      | Hooli     |
      | Cyberdyne |
      | Tyrell    |
    When the mail server is back, taking 0.5 seconds over each e-mail
    Then each of these clients receives its invoice by e-mail once
