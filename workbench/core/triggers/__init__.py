"""Lambda's event sources as pure rules: where triggers are declared, the records AWS builds, how batches
form, which events a filter lets through, and what Lambda does with each record after a call.

The services host applies these rules with real local resources; nothing here does I/O or keeps time
itself (every rule takes "now" as an argument).
"""
