"""What every sandbox of a provider's API shares: fault injection, the hang-up of a dropped
answer, serving over uvicorn, and the in-process transport that reports a drop as httpx does.

A provider's sandbox keeps its own routes, storage and validation; these pieces know nothing of
any system.
"""
