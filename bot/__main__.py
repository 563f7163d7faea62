"""`python -m bot` is the same program as `villagebot`."""

import sys

from bot.cli import main

sys.exit(main())
