"""The billing subgraph."""
