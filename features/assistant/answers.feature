@allure.issue:3
Feature: The assistant answers from the company's own data
  An answer is only useful if its figures are the company's figures, without
  markup or secrets, and a request to act does what it says.

  @critical
  Scenario: The pipeline the assistant gives is the sum of the company's open deals
    Given Sam has an open deal with "Globex" worth 12,000.00 EUR
    And Sam has an open deal with "Initech" worth 8,000.50 EUR
    When Sam asks the assistant "What is our open pipeline?"
    Then the answer gives an open pipeline of 20,000.50 EUR in 2 deals, as stored

  Scenario: A client's name with markup reaches the answer as plain text
    Given Sam has an open deal with "<b>Bold</b> Industries" worth 1,000.00 EUR
    When Sam asks the assistant "Tell me about the client 'Bold'"
    Then the answer mentions "Bold Industries"
    And the answer carries no markup

  Scenario: The assistant writes a follow-up task on the client's project
    Given Sam is delivering a project for "Globex"
    When Sam asks the assistant "Please create a follow-up for 'Globex'"
    Then the project has a task "Follow up with Globex"
    And the audit trail ends with: task created

  Scenario Outline: A look-up's summary of <size> characters reaches the model <ending>
    Given the company has 3 clients whose names start with "Northwind", making a look-up summary of <size> characters
    When Sam asks the assistant "Look up the client 'Northwind'"
    Then the client look-up handed the model 3 clients and a summary of <length> characters, <ending>

    Examples:
      | size | length | ending |
      | 500  | 500    | whole  |
      | 501  | 501    | cut    |

  Scenario Outline: A look-up among <count> clients hands the model <listed> of them
    Given the company has <count> clients whose names start with "Northwind"
    When Sam asks the assistant "Look up the client 'Northwind'"
    Then the client look-up handed the model <listed> clients

    Examples:
      | count | listed |
      | 10    | 10     |
      | 11    | 10     |

  Scenario Outline: A client whose name holds <what> is found by that name, and only that client
    Given Sam has an open deal with "<name>" worth 1,000.00 EUR
    And Sam has an open deal with "<look-alike>" worth 1,000.00 EUR
    When Sam asks the assistant "Look up the client '<name>'"
    Then the client look-up handed the model the client "<name>" alone

    Examples:
      | what           | name        | look-alike |
      | a percent sign | 100% Pure   | 100 Pure   |
      | an underscore  | Acme_Works  | AcmeXWorks |
      | a backslash    | Back\\Slash | BackSlash  |
