"""Text runform prints about untrusted values: shown safely, and suggestions for typos."""
