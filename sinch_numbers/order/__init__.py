"""The NumberOrder logic the provider's hooks map onto, one module per concern: ``check``,
``diff`` (and the ``plan`` it decides with), ``create``, ``lifecycle`` (read, update, delete),
``outputs`` (the one projection), ``workflow`` and ``wait`` (the steps and the review wait),
``settings`` (stack config, one connection per set of settings), ``find`` (the one way an order is
read), ``routing``, ``cost``, ``journal``, ``redaction``.

Nothing here imports Pulumi: ``sinch_numbers.provider`` is the only module of the order logic that
speaks to it, and hands each hook a :class:`~sinch_numbers.order.log.Log` for its messages.
"""
