"""The NumberOrder logic the provider's hooks map onto: routing, outputs, the diff plan.

Nothing here imports Pulumi; ``sinch_numbers.provider`` is the only module that speaks to it.
"""
