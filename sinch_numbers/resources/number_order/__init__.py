"""The NumberOrder logic the provider's hooks map onto, one module per concern: ``check``,
``diff`` (and the ``plan`` it decides with), ``create``, ``lifecycle`` (read, update, delete),
``outputs`` (the one projection), ``workflow`` and ``wait`` (the steps and the review wait),
``find`` (the one way an order is read), ``inputs``, ``cost``, ``journal``.

Nothing here imports Pulumi: ``sinch_numbers.provider`` speaks to it, and hands each hook a
:class:`~sinch_numbers.core.log.Log` for its messages.
"""
