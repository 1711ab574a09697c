Feature: A malformed message on the assistant's socket is answered, never crashes it
  A client with a bug, or someone probing, can send anything on an open socket. Each
  message the platform cannot take is answered: a frame that is no message at all
  closes the socket with the code and reason WebSocket defines for it; a message of
  the wrong shape gets an error naming what to fix, and the socket goes on working.
  The platform logs no exception for any of them.

  Rule: A frame that is no message at all closes the socket, saying why

    Scenario Outline: A socket sent <frame> is closed because <why>
      Given Sam has the assistant open
      When Sam sends <frame> on it
      Then the platform closes his socket because <why>
      And the platform logged no exception

      Examples:
        | frame                          | why                            |
        | a binary frame                 | it takes text only             |
        | text that is not JSON          | a message must be JSON         |
        | JSON nested 60,000 deep        | a message may not nest so deep |
        | a message of 70,000 characters | the message is too big         |

  Rule: A message of the wrong shape is refused, naming what to fix, and the socket goes on

    Scenario Outline: <message> is refused, naming <what>, and the socket goes on
      Given Sam has the assistant open
      When Sam sends <message> on it
      Then he is told what is wrong with <what>
      And his socket still answers a question
      And the platform logged no exception

      Examples:
        | message                                       | what         |
        | a JSON list                                   | the type     |
        | a message of an unknown type                  | the type     |
        | a question without text                       | the text     |
        | a question holding a hidden control character | the text     |
        | a question holding half a character           | the text     |
        | a resume without a run                        | the run      |
        | a resume with a negative position             | the position |
        | a cancel of a run that is not running         | the run      |
