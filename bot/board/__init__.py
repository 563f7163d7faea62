"""The village board: a Telegram Mini App (and an opt-in public page) served by the bot's own
aiohttp server. This package holds what is not a request handler: checking the Mini App's
init data, the templates and static files, and the web application they are served from. The
routes themselves are handlers (`handlers.board`): they call the same services as the chat."""
