"""Who may run the exchange: only the platform itself, from the operator's command line."""

from dangwu import access

EXCHANGE_RUN = "exchange.run"

# No role grants it: bundles are made and applied by `dangwu exchange` (access.SYSTEM), so no
# web page or API operation can export or import.
access.register(
    EXCHANGE_RUN,
    roles=(),
    scoped=False,
    description="Generate exchange keys, export and import bundles (command line only)",
)
