"""Operations: configuration, start-up with a dependency down, shutdown, key rotation, metrics, security events, sign-in throttling, headers and limits, malformed socket frames."""
