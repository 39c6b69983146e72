"""What every resource, the lookups and the CLI share: settings and connections (``settings``),
the requirements lookup and its caches (``requirements``), the input checker and shared parsers
(``checking``), routing, redaction, logging (``log``) and error wording (``wording``), where an
order lives (``home``), the notes of one ``pulumi`` command (``passes``) and process facts
(``processes``).

Nothing here imports Pulumi or a resource package.
"""
