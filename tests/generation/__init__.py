"""Generation tests: check, determinism, hostile specs, generated-package quality."""
