"""The wire: everything that touches Telegram's HTTP side. Updates come in through polling
(`polling.py`) or the webhook server (`webhook.py`); answers go out through the delivery of each
update's answers (`delivery.py`), the flood limits (`ratelimit.py`), retries (`request.py`) and the
aiohttp transport (`transport.py`); calls whose answer nobody reads (`lean_calls.py`) and the live
cards the bot keeps up to date (`cards.py`) go through the same `Bot`. Domain logic and message
texts stay out: services and render never import the wire."""
