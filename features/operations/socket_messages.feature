Feature: A malformed message on the assistant's socket is answered, never crashes it
  A client with a bug, or someone probing, can send anything on an open socket. Each
  message the platform cannot take is answered: a frame that is no message at all
  closes the socket with the code and reason WebSocket defines for it; a message of
  the wrong shape gets an error naming what to fix, and the socket goes on working.
  The platform logs no exception for any of them.

  Scenario Outline: Frames that are no message close the socket with a reason
    Given Sam has the assistant open
    When Sam sends <frame> on it
    Then the platform closes his socket with code <code> and a reason
    And the platform logged no exception

    Examples:
      | frame                          | code |
      | a binary frame                 | 1003 |
      | text that is not JSON          | 1007 |
      | JSON nested 60,000 deep        | 1007 |
      | a message of 70,000 characters | 1009 |

  Scenario Outline: Messages of the wrong shape are refused by name, and the socket goes on
    Given Sam has the assistant open
    When Sam sends <message> on it
    Then he is told what is wrong with the <field>
    And his socket still answers a question
    And the platform logged no exception

    Examples:
      | message                               | field     |
      | a JSON list                           | type      |
      | a message of an unknown type          | type      |
      | a question without text               | text      |
      | a resume without a run                | run_id    |
      | a resume with a negative position     | after_seq |
      | a cancel of a run that is not running | run_id    |
