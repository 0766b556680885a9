"""``python -m booking_rules.cli``: the ``booking-rules`` command."""

import sys

from .main import main

sys.exit(main())
