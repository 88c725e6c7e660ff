"""Hand-written client core, copied verbatim into every generated package as ``_runtime``.

Only relative imports are allowed here: the same files run as ``generator.runtime`` in
this repository's tests and as ``<package>._runtime`` inside each generated client.
"""
