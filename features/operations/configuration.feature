@needs_platform_code
Feature: A platform with wrong settings refuses to start, naming every wrong setting at once
  An operator who deploys with a typo must learn every mistake in one attempt, not one
  per restart, and must find no secret in the logs that say so.

  Scenario: Every missing or invalid setting is named, and the secrets are not repeated
    When the platform is started with these settings
      | setting               | value                     |
      | DATABASE_URL          | (missing)                 |
      | REDIS_URL             | not-a-url                 |
      | PAYMENT_PROCESSOR_URL | http://127.0.0.1:9        |
      | MODEL_URL             | http://127.0.0.1:9        |
      | MODEL_TIMEOUT_SECONDS | -1                        |
      | PLATFORM_ADMIN_KEY    | short-hunter2             |
      | TOKEN_SECRET          | too-short-to-sign-hunter3 |
    Then it refuses to start with exit code 2
    And it names DATABASE_URL, REDIS_URL, MODEL_TIMEOUT_SECONDS, PLATFORM_ADMIN_KEY and TOKEN_SECRET
    And it does not name PAYMENT_PROCESSOR_URL or MODEL_URL
    And nothing it printed contains "short-hunter2" or "too-short-to-sign-hunter3"

  Scenario: In production the test doubles, short secrets, test settings and plain-text services are refused at once
    When the platform is started with these settings
      | setting                  | value                                           |
      | PLATFORM_PROFILE         | production                                      |
      | DATABASE_URL             | postgresql://platform@db.internal:5432/platform |
      | REDIS_URL                | redis://cache.internal:6379/0                   |
      | PAYMENT_PROCESSOR_URL    | http://127.0.0.1:9                              |
      | MODEL_URL                | http://model.example.com                        |
      | PLATFORM_ADMIN_KEY       | twenty-four-chars-hunter                        |
      | TOKEN_SECRET             | forty-characters-of-a-token-secret-hunte        |
      | PASSWORD_HASH_ITERATIONS | 1000                                            |
    Then it refuses to start with exit code 2
    And it names PAYMENT_PROCESSOR_URL, MODEL_URL, PLATFORM_ADMIN_KEY, TOKEN_SECRET and PASSWORD_HASH_ITERATIONS
    And it does not name DATABASE_URL or REDIS_URL
    And nothing it printed contains "twenty-four-chars-hunter" or "forty-characters-of-a-token-secret-hunte"
