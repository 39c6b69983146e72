"""The NumberOrderCompletion logic (``lifecycle``): the wait for an order's review, which orders
and releases nothing. ``sinch_numbers.completion`` holds its Pulumi hooks."""
