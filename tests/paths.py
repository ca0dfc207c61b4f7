"""Where the repository and its bundled sample articles are."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "articles"  # the five bundled samples: read-only, copy before changing
