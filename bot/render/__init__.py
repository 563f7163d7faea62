"""What the bot shows, built apart from Telegram: message texts (`<feature>.py`, pure functions of
a Translator and domain data returning Html), charts and pictures (PNG), documents (xlsx, docx,
ics). Nothing here imports the Telegram layer."""
