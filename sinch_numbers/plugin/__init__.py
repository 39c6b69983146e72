"""``pulumi-resource-sinch``: the Pulumi package ``sinch`` as a real provider plugin, over the
same logic as the dynamic resources (``resources/``), for programs in any Pulumi language.

Imports nothing: the executable (``__main__``) loads what it serves.
"""
