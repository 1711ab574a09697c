@allure.issue:28
Feature: What is one person's is theirs alone, in their company and beyond it
  A question to the assistant, a conversation and a notification belong to the
  person they were made for. A colleague in the same company is as much a
  stranger to them as a person of another company: either is told they do not
  exist, and nothing of them changes, whatever id they try. Nor are they among
  what either finds of their own.

  Scenario Outline: Neither a colleague nor another company's person may <action> Sam's <thing>
    Given Sam has a <thing>
    When Fiona tries to <action> Sam's <thing>
    And Fiona of Initech tries to <action> Sam's <thing>
    Then each of them is told it does not exist
    And Sam's <thing> is as he left it

    Examples:
      | action    | thing                                |
      | follow    | question the assistant is working on |
      | resume    | question the assistant is working on |
      | cancel    | question the assistant is working on |
      | read      | conversation                         |
      | archive   | conversation                         |
      | ask in    | conversation                         |
      | mark read | notification                         |
      | find      | question the assistant is working on |
      | find      | conversation                         |
      | find      | notification                         |
