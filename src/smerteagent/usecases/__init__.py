"""The use-case layer: every workflow written once, called by both faces (ui and cli).

A use case takes the storage services (or plain core objects), does one user-level job — including its
audit event and its safety rules — and returns core dataclasses. The faces only collect input and show
output; they reach storage through this package (issue 18 moves the older workflows here; new workflows
start here). This package never imports Qt.
"""
