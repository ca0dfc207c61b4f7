"""``python -m reader`` is the ``reader`` command."""

import sys

from .cli import main

sys.exit(main())
