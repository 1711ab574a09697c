@allure.issue:27
Feature: A right taken away is gone at once, on every open connection
  Taking a right away is only real if it holds wherever the person is still
  connected. A signed-out, expired or removed session closes every assistant
  connection it opened, on every instance, the moment the change is known; a
  role taken away refuses what the assistant would do with it from then on,
  even for a question already under way. Nothing is written with a right the
  person no longer has.

  Background:
    Given Sam is delivering a project for "Globex"

  Rule: A session that ends closes every connection it opened, on every instance, saying why

    Scenario Outline: Sam's open connections are closed at once when <what happens>
      Given Sam has the assistant open on every instance
      When <what happens>
      Then every connection Sam had open is closed because <why>
      And Sam's ended session cannot open the assistant again

      Examples:
        | what happens                       | why                        |
        | Sam signs out                      | his session was signed out |
        | the operator removes Sam's company | his company was removed    |

    @needs_token_secret
    Scenario: Sam's session runs out while his connections are open: they are closed when it does
      Given Sam's session runs out in 2 seconds
      And Sam has the assistant open on every instance
      When Sam's session runs out
      Then every connection Sam had open is closed because his session expired

  Rule: A role taken away refuses what the assistant would do with it, from that moment

    Scenario: Sam, made an analyst while his connection is open, cannot have the assistant write a follow-up
      Given Sam has the assistant open on every instance
      When Olivia changes Sam's role to analyst
      And Sam asks the assistant "Create a follow-up for "Globex""
      Then the platform refuses the follow-up tool
      And the project has no task "Follow up with Globex"
      And the audit trail holds 1 refused tool calls for Sam

    Scenario: Sam, made an analyst while the assistant works on his follow-up, gets no follow-up written
      Given Sam has asked the assistant "Create a follow-up for "Globex", take your time" and seen it think
      When Olivia changes Sam's role to analyst
      Then Sam's question ends with an answer
      And the platform refuses the follow-up tool
      And the project has no task "Follow up with Globex"

  Rule: A change of rights waits for a write the assistant has already begun
    A write the assistant has begun for Sam was allowed when it began; it
    finishes with that right, and the change takes effect after it, never
    in the middle of it. Here the write is held up at the database (its
    project kept locked) until the change is seen waiting for it.

    Scenario Outline: Sam's follow-up, held up while <the change is made>, is written before it takes effect
      Given Sam has asked the assistant "Create a follow-up for "Globex"" and its write is held up at the database
      When <the change is made>
      Then Sam's follow-up is written before <it took effect>
      And the project has a task "Follow up with Globex"

      Examples:
        | the change is made                   | it took effect   |
        | Olivia changes Sam's role to analyst | his role changed |
        | Sam signs out                        | he signed out    |

  Rule: A question under way writes nothing once its asker's session has ended

    Scenario: Sam signs out while the assistant works on his follow-up: nothing is written, and the question ends saying why
      Given Sam has asked the assistant "Create a follow-up for "Globex", take your time" and seen it think
      When Sam signs out
      Then Sam, signed in again, finds his question ended because his session ended
      And the project has no task "Follow up with Globex"
