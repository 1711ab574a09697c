Feature: Sign-ins, refusals and role changes are in the company's audit trail
  A company's compliance officer must be able to tell who came in, who tried and
  failed, who left, who tried what they may not do, and who was given which
  role by whom, from the same trail that records the business.

  Scenario: Fiona's sign-in, a wrong password for her account and her sign-out are there for Cleo to read
    When Fiona signs in with her own password
    And someone tries to sign in as Fiona with a wrong password 1 times
    And Fiona signs out
    Then Cleo finds that Fiona's security events end with: signed in, sign-in failed, signed out
    And Cleo finds where Fiona's sign-in and the failed one came from

  Scenario: A wrong password for an account that does not exist writes nothing into the company's trail
    When someone tries to sign in as "nobody@nowhere.example" with a wrong password 2 times
    Then Cleo finds no failed sign-in in the audit trail

  Scenario Outline: <name> trying to <operation> is refused, and Cleo finds who tried what
    When <name> tries to <operation>
    Then <name> is refused
    And Cleo finds that <name> was denied: <operation>

    Examples:
      | name  | operation            |
      | Sam   | read the audit trail |
      | Fiona | capture a lead       |
      | Cleo  | add a colleague      |

  @journey
  Scenario: Olivia makes Sam an analyst: the change is in the trail, and Sam's next lead is refused
    When Olivia changes Sam's role to analyst
    Then Sam's role is analyst
    And Cleo finds that Olivia changed Sam's role from sales to analyst
    When Sam tries to capture a lead
    Then Sam is refused

  @journey
  Scenario: Sam may not change anyone's role, and Olivia may not change her own
    When Sam changes Fiona's role to owner
    Then the role change is refused because only the owner changes roles
    When Olivia changes Olivia's role to analyst
    Then the role change is refused because nobody changes their own role
    And Cleo finds no role change in the audit trail
