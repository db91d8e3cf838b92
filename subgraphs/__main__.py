"""``python -m subgraphs`` is the ``healthgraph`` command."""

from subgraphs.cli import main

main()
