"""``python -m hugo_export``: the ``k8s-blog`` command line."""

import sys

from .cli import main

sys.exit(main())
