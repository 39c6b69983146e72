"""The ActiveNumber logic the provider's hooks map onto, in NumberOrder's shape: ``schema`` (the
one declaration of its properties), ``check``, ``diff``, ``create``, ``lifecycle`` (read, update,
delete), ``outputs`` (the one projection) and ``number`` (the calls to the API and what they say).

Nothing here imports Pulumi: ``sinch_numbers.active_number`` speaks to it, and hands each hook a
:class:`~sinch_numbers.core.log.Log` for its messages.
"""
