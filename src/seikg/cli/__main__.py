"""``python -m seikg.cli``: the same as the ``sei-kg`` command."""

from seikg.cli import main

main()
