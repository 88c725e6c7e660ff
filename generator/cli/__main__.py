"""``python -m generator.cli``: the same as the ``routegen`` console script."""

import sys

from . import main

sys.exit(main())
