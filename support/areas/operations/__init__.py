"""Operations: sign-in throttling, security headers and request limits, numbers at their limits, malformed socket frames, start-up configuration."""
