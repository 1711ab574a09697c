Feature: Sign-ins, failed sign-ins and sign-outs are in the company's audit trail
  A company's compliance officer must be able to tell who came in, who tried and
  failed, and who left, from the same trail that records the business.

  Scenario: Fiona's sign-in, a wrong password for her account and her sign-out are there for Cleo to read
    When Fiona signs in with her own password
    And someone tries to sign in as Fiona with a wrong password 1 times
    And Fiona signs out
    Then Cleo finds that Fiona's security events end with: signed in, sign-in failed, signed out

  Scenario: A wrong password for an account that does not exist writes nothing into the company's trail
    When someone tries to sign in as "nobody@nowhere.example" with a wrong password 2 times
    Then Cleo finds no failed sign-in in the audit trail
