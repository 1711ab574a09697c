@allure.issue:27
Feature: Every tool call the model asks for is run or refused, and reported as it went
  Whatever a language model writes (odd characters, numbers no reader takes,
  arguments nested without end, a batch with a broken call in it) the platform
  either runs the call or refuses it by name and audits the refusal: the run
  itself never breaks. And a call is reported as it went: a follow-up reported
  written is on the project, one reported stopped or refused is not.

  Background:
    Given Sam is delivering a project for "Globex"

  Rule: Any call is run or refused by name, audited, and the run still answers

    Scenario Outline: A model that <misbehaviour> is refused naming the <field>, and the run still answers
      Given the model <misbehaviour> when Sam asks
      When Sam asks the assistant "Tell me about client "Globex""
      Then a tool call is refused, naming the <field>
      And the audit trail holds 1 refused tool calls for Sam
      And the run ends with an answer

      Examples:
        | misbehaviour                                      | field     |
        | passes a hidden control character in an argument  | name      |
        | passes half a character in an argument            | name      |
        | names an argument with a hidden control character | arguments |
        | passes a number past what a number may be         | arguments |
        | passes a number that is not a number              | arguments |
        | passes arguments nested fifty thousand deep       | arguments |
        | passes research topics that are not words         | topics    |
        | asks for research on every topic                  | tool      |

    Scenario: A follow-up asked for beside a broken call is written, and reported so
      Given the model asks for a follow-up and a look-up with a hidden control character at once when Sam asks
      When Sam asks the assistant "Tell me about client "Globex""
      Then a tool call is refused, naming the name
      And the follow-up tool is reported as done
      And the project has a task "Follow up with Globex"
      And the run ends with an answer

  Rule: A follow-up is on the project exactly when the run reports it written

    Scenario: Asked again and again with tools allowed about as long as a follow-up takes, the project holds exactly the follow-ups reported written
      Given each person may ask the assistant 100 questions a minute
      When Sam and Olivia each ask the assistant "Create a follow-up for "Globex"" 11 times, each tool allowed from half to twice the time a follow-up takes
      Then the project holds as many follow-ups "Follow up with Globex" as the runs reported written
      And every one of those runs ended with an answer
