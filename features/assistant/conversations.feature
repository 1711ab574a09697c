@allure.issue:3
Feature: Conversations are kept and carry their context
  A conversation with the assistant is kept, so a person can come back to it,
  and each new question is answered knowing what was said before.

  @critical
  Scenario: A second question in the same conversation draws on the first
    Given Sam has an open deal with "Globex" worth 12,000.00 EUR
    When Sam asks the assistant "What is our open pipeline?"
    And Sam asks the assistant in the same conversation "Can you remind me what you told me?"
    Then the second answer draws on the first
    And the conversation holds 4 messages, questions and answers in turn, each answer under its question's run

  @journey
  Scenario: A person's conversations are listed, and an archived one takes no more questions
    When Sam asks the assistant "What is our open pipeline?"
    And Sam asks the assistant "What is our revenue?"
    Then Sam has 2 conversations
    When Sam archives the conversation
    Then Sam has 1 conversation
    And Sam has 1 archived conversation
    When Sam asks the assistant in the same conversation "Anything else?"
    Then the question is refused because the conversation is archived

  Scenario: A conversation is named by its first question, up to its first 200 characters
    When Sam asks the assistant a question of 250 characters
    Then Sam's conversation is named by the first 200 characters of the question

  Scenario: One person never sees another's conversations
    When Sam asks the assistant "What is our open pipeline?"
    Then Fiona has 0 conversations

  Scenario Outline: A long conversation is kept whole, and the assistant is given its latest messages, <bound>
    Given Sam has asked the assistant <questions> in one conversation
    When Sam asks the assistant in the same conversation "How much of our conversation were you given?"
    Then the assistant was given the latest <given> of the conversation's <held> earlier messages

    Examples:
      | bound                        | questions                      | given | held |
      | up to 40 of them             | 21 questions                   | 40    | 42   |
      | up to 10,000 characters here | 3 questions of 4000 characters | 5     | 6    |

  Scenario Outline: A conversation of <questions> questions read <size> messages at a time takes <pages> pages
    Given Sam has asked the assistant <questions> questions in one conversation
    When Sam reads the conversation <size> messages at a time
    Then they have read <pages> pages holding each question and its answer once, in the order asked

    Examples:
      | questions | size | pages |
      | 3         | 4    | 2     |
      | 3         | 3    | 3     |
