"""HTTP for every provider: the transport, what a request's outcome means, retries with
back-off, the adaptive concurrency limit and request statistics."""
