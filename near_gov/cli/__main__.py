"""`python -m near_gov.cli`: the same as the `near-gov` console script."""

from near_gov.cli import run

run()
