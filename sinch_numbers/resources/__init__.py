"""One package per resource, in one shape: the logic of its hooks, without Pulumi.

``sinch_numbers.provider``, ``sinch_numbers.active_number`` and ``sinch_numbers.completion`` are
the thin Pulumi hooks over these packages; they stay at their paths because the engine pickles
their provider classes by reference into every user's state.
"""
