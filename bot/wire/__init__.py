"""The wire: everything that touches Telegram's HTTP side. Updates come in through polling
(`polling.py`) or the webhook server (`webhook.py`); what the bot sends is written to the outbox
(built in `messages.py`) with the update and sent by `outbox.py`, through the flood limits
(`ratelimit.py`), retries (`request.py`) and the aiohttp transport (`transport.py`); what an
update still does in memory after its commit runs in `delivery.py`; `lean_calls.py` makes the
calls by name with plain JSON parameters. Domain logic and message texts stay out: services and
render never import the wire."""

import warnings

from telegram.warnings import PTBUserWarning

# The wire makes calls by name (`Bot.do_api_request`) with parameters it builds itself; PTB
# warns that typed methods exist, which is the point.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.\w+' instead of", category=PTBUserWarning
)
